"""Comments and ratings (their moderation: messages.actions.moderation)."""

from __future__ import annotations

from typing import Literal

from messages.actions.base import Action
from messages.actions.payloads import OnComment, OnIdea

NameChoice = Literal["f", "a"]  # first name, anonymous
ReportReasonCode = Literal["spam", "insult", "off_topic", "personal_data", "other"]


class IdeaComments(OnIdea, code="ic"):
    """A page of an idea's published comments."""

    page: int


class ShowComment(OnComment, code="cv"):
    """One published comment in full; page is the comment list page to return to."""

    page: int


class WriteComment(OnIdea, code="cw"):
    """Start writing a comment on an idea."""


class ReviseComment(OnComment, code="cy"):
    """Rework a rejected comment and send it again (it replaces the rejected one)."""


class SubmitComment(Action, code="cs"):
    """Publish the comment shown in preview number `version` of the draft ("Absenden")."""

    version: int


class CommentName(Action, code="cn"):
    """Choose how to appear under comments: f(irst name) or a(nonymous)."""

    choice: NameChoice


class ReportComment(OnComment, code="cr"):
    """Report a comment (shows the reasons)."""


class ReportReason(OnComment, code="cq"):
    """Report a comment for a reason."""

    reason: ReportReasonCode


class MyComments(Action, code="mc"):
    """The user's own comments."""

    page: int


class DeleteComment(OnComment, code="cd"):
    """Ask to delete one's own comment."""


class ConfirmDeleteComment(OnComment, code="ce"):
    """Delete one's own comment."""


class RateIdea(OnIdea, code="rt"):
    """Show the star buttons for an idea."""


class SetStars(OnIdea, code="rs"):
    """Rate an idea with 1–5 stars."""

    stars: int


class WithdrawRating(OnIdea, code="rw"):
    """Withdraw one's rating of an idea."""
