"""Comments and ratings (their moderation: messages.actions.moderation)."""

from __future__ import annotations

from typing import Literal

from messages.actions.base import Action

NameChoice = Literal["f", "a"]  # first name, anonymous
ReportReasonCode = Literal["spam", "insult", "off_topic", "personal_data", "other"]


class IdeaComments(Action, code="ic"):
    """A page of an idea's published comments."""

    idea_id: int
    page: int


class ShowComment(Action, code="cv"):
    """One published comment in full; page is the comment list page to return to."""

    comment_id: int
    page: int


class WriteComment(Action, code="cw"):
    """Start writing a comment on an idea."""

    idea_id: int


class ReviseComment(Action, code="cy"):
    """Rework a rejected comment and send it again (it replaces the rejected one)."""

    comment_id: int


class SubmitComment(Action, code="cs"):
    """Publish the comment shown in preview number `version` of the draft ("Absenden")."""

    version: int


class CommentName(Action, code="cn"):
    """Choose how to appear under comments: f(irst name) or a(nonymous)."""

    choice: NameChoice


class ReportComment(Action, code="cr"):
    """Report a comment (shows the reasons)."""

    comment_id: int


class ReportReason(Action, code="cq"):
    """Report a comment for a reason."""

    comment_id: int
    reason: ReportReasonCode


class MyComments(Action, code="mc"):
    """The user's own comments."""

    page: int


class DeleteComment(Action, code="cd"):
    """Ask to delete one's own comment."""

    comment_id: int


class ConfirmDeleteComment(Action, code="ce"):
    """Delete one's own comment."""

    comment_id: int


class RateIdea(Action, code="rt"):
    """Show the star buttons for an idea."""

    idea_id: int


class SetStars(Action, code="rs"):
    """Rate an idea with 1–5 stars."""

    idea_id: int
    stars: int


class WithdrawRating(Action, code="rw"):
    """Withdraw one's rating of an idea."""

    idea_id: int
