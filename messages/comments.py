"""Comment texts: moderator notifications, outcomes for authors, comment lists."""

from __future__ import annotations

import datetime as dt

from babel.dates import format_datetime, format_timedelta

from messages.catalog import t
from messages.render import fit
from storage.models import Comment

_LOCALES = {"de": "de_DE", "en": "en_GB"}


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
    return fit(
        lambda text: (
            t(
                language,
                f"comments.notice.moderator_new_{moderation}",
                idea=comment.idea_title,
                author=comment.author_name,
                text=text,
            )
            + hint
        ),
        comment.text,
    )


def moderator_report(language: str, comment: Comment, reason: str) -> str:
    """A moderator learns of a report (the comment's text cut only if it must be)."""
    hint = "\n\n" + t(language, "moderation.queue_hint")
    return fit(
        lambda text: (
            t(
                language,
                "comments.notice.moderator_report",
                reason=t(language, f"comments.reason.{reason}"),
                count=comment.report_count,
                idea=comment.idea_title,
                author=comment.author_name,
                status=t(language, f"comments.status.{comment.status}"),
                text=text,
            )
            + hint
        ),
        comment.text,
    )


def author_outcome(language: str, comment: Comment, action: str, reason: str | None) -> str:
    """The author learns what a moderator decided."""
    text = t(language, f"comments.notice.author_{action}", idea=comment.idea_title)
    if reason:
        text += "\n" + t(language, "comments.notice.author_reason", reason=reason)
    return text
