"""Working groups (Mitmachen) and the regional contacts who answer them (codes "g…")."""

from __future__ import annotations

from typing import Literal

from messages.actions.base import Action
from messages.actions.payloads import OnGroup, OnIdea, OnRegion, OnRegistration

JoinStep = Literal["t", "s", "k", "b"]  # take the Telegram name, skip, consent, keep
JoinField = Literal["name", "email", "phone", "message"]  # what the consent screen changes


class JoinIdea(OnIdea, code="gj"):
    """Mitmachen: register interest in a working group of an idea."""


class JoinGroup(OnGroup, code="gg"):
    """Choose a working group to register for (update: change an earlier registration)."""

    update: int


class JoinAnswer(Action, code="ga"):
    """A dialogue button: "t" take the Telegram name, "s" skip, "k" consent and send,
    "b" keep the current value (Beibehalten)."""

    answer: JoinStep


class JoinChange(Action, code="gf"):
    """From the consent screen: change one field, then come back to it."""

    field: JoinField


class ShowGroup(OnGroup, code="gs"):
    """One working group: description, ideas, contact, Mitmachen."""


class RegionGroups(OnRegion, code="gr"):
    """The working groups of a region."""


class MyGroups(Action, code="gm"):
    """The groups I registered for."""


class Withdraw(OnRegistration, code="gw"):
    """Withdraw one's registration."""


class ConfirmWithdraw(OnRegistration, code="gz"):
    """Withdraw one's registration: the one confirming tap."""


class MarkContacted(OnRegistration, code="gc"):
    """A contact marks a registration as contacted."""


class Interested(OnRegion, code="gi"):
    """A contact's list of registrations (region 0: all their regions)."""


class ExportCsv(OnRegion, code="ge"):
    """A contact exports their region's registrations as CSV (region 0: all theirs)."""


class RemoveContact(Action, code="gx"):
    """An admin removes a linked contact from a region."""

    user_id: int
    region_id: int
