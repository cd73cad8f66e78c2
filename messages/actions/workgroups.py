"""Working groups (Mitmachen) and the regional contacts who answer them (codes "g…")."""

from __future__ import annotations

from typing import Literal

from messages.actions.base import Action

JoinStep = Literal["t", "s", "k", "b"]  # take the Telegram name, skip, consent, keep
JoinField = Literal["name", "email", "phone", "message"]  # what the consent screen changes


class JoinIdea(Action, code="gj"):
    """Mitmachen: register interest in a working group of an idea."""

    idea_id: int


class JoinGroup(Action, code="gg"):
    """Choose a working group to register for (update: change an earlier registration)."""

    group_id: int
    update: int


class JoinAnswer(Action, code="ga"):
    """A dialogue button: "t" take the Telegram name, "s" skip, "k" consent and send,
    "b" keep the current value (Beibehalten)."""

    answer: JoinStep


class JoinChange(Action, code="gf"):
    """From the consent screen: change one field, then come back to it."""

    field: JoinField


class ShowGroup(Action, code="gs"):
    """One working group: description, ideas, contact, Mitmachen."""

    group_id: int


class RegionGroups(Action, code="gr"):
    """The working groups of a region."""

    region_id: int


class MyGroups(Action, code="gm"):
    """The groups I registered for."""


class Withdraw(Action, code="gw"):
    """Withdraw one's registration."""

    registration_id: int


class ConfirmWithdraw(Action, code="gz"):
    """Withdraw one's registration: the one confirming tap."""

    registration_id: int


class MarkContacted(Action, code="gc"):
    """A contact marks a registration as contacted."""

    registration_id: int


class Interested(Action, code="gi"):
    """A contact's list of registrations (region 0: all their regions)."""

    region_id: int


class ExportCsv(Action, code="ge"):
    """A contact exports their region's registrations as CSV (region 0: all theirs)."""

    region_id: int


class RemoveContact(Action, code="gx"):
    """An admin removes a linked contact from a region."""

    user_id: int
    region_id: int
