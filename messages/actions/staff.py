"""Staff maintain the idea map: ideas ("e…"), working groups ("k…"), their profile.

Buttons inside a staff dialogue carry a `StaffAnswer`; which dialogue it answers is the one
the person's draft belongs to (handlers.staff_answers), so one small vocabulary serves them all.
"""

from __future__ import annotations

from typing import Annotated, Literal

from messages.actions.base import Action
from messages.actions.payloads import OnGroup, OnIdea

# What to do with an idea: the menu, edit, news, status, archive, restore (asks first).
IdeaTask = Literal["m", "e", "n", "s", "a", "r"]
# What to do with a working group: the menu, its name, its description, open, close, ideas.
GroupTask = Literal["m", "n", "d", "o", "c", "i"]
# An answer in a staff dialogue: a region, a challenge (0: none), a status or a field (by
# position), open or not (1/0), skip or remove an optional value, confirm (publish, save),
# back (to the previous screen), amend (choose a field of the preview), withdraw (a profile).
AnswerKind = Literal[
    "region", "challenge", "status", "field", "open", "skip", "confirm", "back", "amend", "withdraw"
]
Flag = Annotated[int, range(0, 2)]


class ManageIdea(OnIdea, code="em"):
    """Staff: an idea's manage menu, or one of its tasks."""

    task: IdeaTask


class ConfirmRestore(OnIdea, code="eq"):
    """Yes, show the archived idea again."""


class ArchivedPage(Action, code="el"):
    """/archiv: a page of the archived ideas of the person's regions."""

    page: int


class StaffAnswer(Action, code="ek"):
    """A button of the staff dialogue the person is in (value: an id, a position, 0 or 1)."""

    kind: AnswerKind
    value: int


class StaffGroups(Action, code="kl"):
    """/arbeitsgruppen: a page of the working groups of the person's regions."""

    page: int


class ManageGroup(OnGroup, code="km"):
    """Staff: a working group's menu, or one of its tasks."""

    task: GroupTask


class NewGroup(Action, code="kn"):
    """Staff: create a working group."""


class GroupIdeaPage(OnGroup, code="kp"):
    """Staff: a page of the region's ideas to link to the group."""

    page: int


class LinkIdea(OnGroup, code="kk"):
    """Staff: the group carries the idea (link 1) or no longer (0); page: where the list was."""

    idea_id: int
    link: Flag
    page: int
