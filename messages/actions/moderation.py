"""Moderation of any kind of content: decisions, the queue, the reason dialogue.

An item is named by its kind ("comment", …) and its id. Kinds are registered at run time
(bot.services.moderation), so kind and decision are words the handlers check, not Literals.
"""

from __future__ import annotations

from typing import Annotated, Literal

from messages.actions.base import Action, Word
from messages.actions.payloads import OnComment

KindName = Annotated[str, Word(12, "comment")]
DecisionName = Annotated[str, Word(12, "approve")]


class OnItem(Action, payload=True):
    """An action on one moderated item, named by its kind and its id."""

    kind: KindName
    item_id: int


class Decide(OnItem, code="mv"):
    """A moderator's decision on an item (from a notification)."""

    decision: DecisionName


class DecideInQueue(OnItem, code="mj"):
    """A decision taken in the /moderation list; page: the list page to show afterwards."""

    decision: DecisionName
    page: int


class DecideWithoutReason(OnItem, code="mr"):
    """Take the decision being asked about without giving a reason ("Ohne Begründung")."""


class ModerationQueue(Action, code="mq"):
    """The moderation queue, oldest first."""


class QueuePage(Action, code="mp"):
    """A page of the moderation queue."""

    page: int


# The buttons of the time when only comments were moderated. Notices and queue pages that
# carry them are still in moderators' chats: they parse as before (their fields never
# change) and decide on the comment, kind "comment".
Verdict = Literal["approve", "reject", "hide", "restore"]


class Moderate(OnComment, code="mo"):
    """A moderator's decision on a comment (from a notification; now Decide)."""

    action: Verdict


class QueueDecision(OnComment, code="mk"):
    """A decision on a comment taken in the /moderation list (now DecideInQueue)."""

    action: Verdict
    page: int


class RejectWithoutReason(OnComment, code="mn"):
    """Reject the comment being asked about, without a reason (now DecideWithoutReason)."""
