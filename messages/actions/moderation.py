"""Moderation of any kind of content: decisions, the queue, the reason dialogue.

An item is named by its kind ("comment", …) and its id. Kinds are registered at run time
(bot.services.moderation), so kind and decision are words the handlers check, not Literals.
"""

from __future__ import annotations

from typing import Annotated, Literal

from messages.actions.base import Action, Word

KindName = Annotated[str, Word(12, "comment")]
DecisionName = Annotated[str, Word(12, "approve")]


class Decide(Action, code="mv"):
    """A moderator's decision on an item (from a notification)."""

    kind: KindName
    item_id: int
    decision: DecisionName


class DecideInQueue(Action, code="mj"):
    """A decision taken in the /moderation list; page: the list page to show afterwards."""

    kind: KindName
    item_id: int
    decision: DecisionName
    page: int


class DecideWithoutReason(Action, code="mr"):
    """Take the decision being asked about without giving a reason ("Ohne Begründung")."""

    kind: KindName
    item_id: int


class ModerationQueue(Action, code="mq"):
    """The moderation queue, oldest first."""


class QueuePage(Action, code="mp"):
    """A page of the moderation queue."""

    page: int


# The buttons of the time when only comments were moderated. Notices and queue pages that
# carry them are still in moderators' chats: they parse as before (their fields never
# change) and decide on the comment, kind "comment".
Verdict = Literal["approve", "reject", "hide", "restore"]


class Moderate(Action, code="mo"):
    """A moderator's decision on a comment (from a notification; now Decide)."""

    comment_id: int
    action: Verdict


class QueueDecision(Action, code="mk"):
    """A decision on a comment taken in the /moderation list (now DecideInQueue)."""

    comment_id: int
    action: Verdict
    page: int


class RejectWithoutReason(Action, code="mn"):
    """Reject the comment being asked about, without a reason (now DecideWithoutReason)."""

    comment_id: int
