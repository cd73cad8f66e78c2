"""Comment texts: moderator notifications and views, outcomes for authors, limits."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar
from zoneinfo import ZoneInfo

from babel.dates import format_datetime, format_timedelta

from messages.catalog import Html, t, tn
from messages.moderation import PROMPT_TEXT, QUEUE_TITLE, REASON_MAX, Phrases, ReasonNeed
from messages.render import MAX_TEXT, fitted, shorten
from storage.models import Comment
from storage.moderation import Item

_LOCALES = {"de": "de_DE", "en": "en_GB"}
FIRST_WORDS = 40  # characters of a comment that name it in a notice to its author


def _locale(language: str) -> str:
    return _LOCALES.get(language, "de_DE")


def window(language: str, delta: dt.timedelta) -> str:
    """A limit's time window in words ("10 Minuten", "1 Tag")."""
    return format_timedelta(delta, threshold=1.0, locale=_locale(language))


def moment(language: str, when: dt.datetime, tz: object = None) -> str:
    """A short local date and time ("25.11.2026, 14:05")."""
    pattern = "dd.MM.y, HH:mm" if language == "de" else "d MMM y, HH:mm"
    return format_datetime(when, pattern, tzinfo=tz, locale=_locale(language))  # type: ignore[arg-type]


def moderator_new(language: str, comment: Comment, moderation: str) -> str:
    """A moderator learns of a new comment (its text cut only if the message would not fit)."""
    hint = "\n\n" + t(language, "moderation.queue_hint")
    return fitted(
        language,
        f"comments.notice.moderator_new_{moderation}",
        comment.text,
        tail=hint,
        idea=comment.idea_title,
        author=comment.author_name,
    )


def moderator_report(language: str, comment: Comment, reason: str) -> str:
    """A moderator learns of a report (the comment's text cut only if it must be)."""
    hint = "\n\n" + t(language, "moderation.queue_hint")
    return fitted(
        language,
        "comments.notice.moderator_report",
        comment.text,
        tail=hint,
        reason=t(language, f"comments.reason.{reason}"),
        count=comment.report_count,
        idea=comment.idea_title,
        author=comment.author_name,
        status=t(language, f"comments.status.{comment.status}"),
    )


def author_outcome(language: str, comment: Comment, action: str, reason: str | None) -> str:
    """The author learns what a moderator decided."""
    words = shorten(comment.text, FIRST_WORDS)  # which comment, when there are several
    text = t(language, f"comments.notice.author_{action}", idea=comment.idea_title, words=words)
    if reason:
        text += "\n" + t(language, "comments.notice.author_reason", reason=reason)
    return text


# ------------------------------------------------------------------- for moderators

# The keys of the fixed texts about comments (they were the only kind, hence the places).
COMMENT_PHRASES = Phrases(
    button="comments.moderate",
    status="comments.status",
    outcome="moderation.outcome",
    done="moderation.done",
    already="moderation.already.what",
    changed="moderation.already.status",
    system="moderation.already.who.system",
    own="moderation.own",
    gone="moderation.gone",
    count="moderation.queue.count",
    empty="moderation.queue.empty",
    told="moderation.author_told",
)


def _reports(language: str, comment: Comment) -> str:
    if not comment.report_count:
        return ""
    return tn(language, "moderation.reports", comment.report_count)


class CommentTexts:
    """What moderators see of comments (messages.moderation.KindView for kind "comment")."""

    phrases = COMMENT_PHRASES
    # What a moderator can do with a comment in each state (bot.services.comments.CommentKind
    # moves it to the matching state).
    decisions: ClassVar[dict[str, tuple[str, ...]]] = {
        "pending": ("approve", "reject"),
        "approved": ("hide",),
        "hidden": ("restore", "reject"),
    }
    reasons: ClassVar[dict[str, ReasonNeed]] = {"reject": "optional"}

    def card(self, language: str, item: Item[Comment], tz: ZoneInfo, room: int = MAX_TEXT) -> str:
        """A comment with idea, author, date and state; its text is cut only if it must be."""
        comment = item.content
        return fitted(
            language,
            "moderation.card",
            comment.text,
            room,
            idea=comment.idea_title,
            author=comment.author_name,
            date=moment(language, comment.created_at, tz),
            status=t(language, f"comments.status.{comment.status}"),
            reports=Html(_reports(language, comment)),
        )

    def entry(
        self, language: str, number: int, item: Item[Comment], tz: ZoneInfo, room: int
    ) -> str:
        """One queue entry: idea, author, date, state, reports and the (shortened) text."""
        comment = item.content
        return t(
            language,
            "moderation.queue.item",
            number=number,
            idea=shorten(comment.idea_title, QUEUE_TITLE),
            author=comment.author_name,
            date=moment(language, comment.created_at, tz),
            status=t(language, f"comments.status.{comment.status}"),
            reports=Html(_reports(language, comment)),
            text=shorten(comment.text, room),
        )

    def queue_note(self, language: str, outcome: str, item: Item[Comment]) -> str:
        """ "✅ Freigegeben von Ada – Kommentar von Erika: „…“"."""
        return t(
            language,
            "moderation.queue.note",
            outcome=Html(outcome),
            author=item.content.author_name,
            text=shorten(item.content.text, 60),
        )

    def ask_reason(self, language: str, item: Item[Comment], decision: str) -> str:  # noqa: ARG002
        """Ask for an optional reason for rejecting a comment."""
        comment = item.content
        return t(
            language,
            "moderation.ask_reason",
            author=comment.author_name,
            idea=shorten(comment.idea_title, QUEUE_TITLE),
            text=shorten(comment.text, PROMPT_TEXT),
            maximum=REASON_MAX,
        )
