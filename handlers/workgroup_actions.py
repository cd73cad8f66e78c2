"""Button actions of working groups and contacts (codes "g…"), registered with callback_data."""

from __future__ import annotations

from dataclasses import dataclass

from handlers import callback_data as cb


@dataclass(frozen=True)
class JoinIdea(cb.Action):
    """Mitmachen: register interest in a working group of an idea."""

    CODE = "gj"
    idea_id: int


@dataclass(frozen=True)
class JoinGroup(cb.Action):
    """Choose a working group to register for (update: change an earlier registration)."""

    CODE = "gg"
    group_id: int
    update: int


@dataclass(frozen=True)
class JoinAnswer(cb.Action):
    """A dialogue button: "t" take the Telegram name, "s" skip, "k" consent and send."""

    CODE = "ga"
    answer: str


@dataclass(frozen=True)
class ShowGroup(cb.Action):
    """One working group: description, ideas, contact, Mitmachen."""

    CODE = "gs"
    group_id: int


@dataclass(frozen=True)
class RegionGroups(cb.Action):
    """The working groups of a region."""

    CODE = "gr"
    region_id: int


@dataclass(frozen=True)
class MyGroups(cb.Action):
    """The groups I registered for."""

    CODE = "gm"


@dataclass(frozen=True)
class Withdraw(cb.Action):
    """Withdraw one's registration."""

    CODE = "gw"
    registration_id: int


@dataclass(frozen=True)
class MarkContacted(cb.Action):
    """A contact marks a registration as contacted."""

    CODE = "gc"
    registration_id: int


@dataclass(frozen=True)
class Interested(cb.Action):
    """A contact's list of registrations (region 0: all their regions)."""

    CODE = "gi"
    region_id: int


@dataclass(frozen=True)
class ExportCsv(cb.Action):
    """A contact exports their region's registrations as CSV (region 0: all theirs)."""

    CODE = "ge"
    region_id: int


@dataclass(frozen=True)
class RemoveContact(cb.Action):
    """An admin removes a linked contact from a region."""

    CODE = "gx"
    user_id: int
    region_id: int


cb.register(JoinAnswer, answer=frozenset({"t", "s", "k"}))
for _action in (
    JoinIdea,
    JoinGroup,
    ShowGroup,
    RegionGroups,
    MyGroups,
    Withdraw,
    MarkContacted,
    Interested,
    ExportCsv,
    RemoveContact,
):
    cb.register(_action)
