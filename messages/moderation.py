"""Moderation texts: comment cards, outcomes, the queue, the question for a reason."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from messages.actions import Verdict
from messages.catalog import Html, t, tn
from messages.comments import moment
from messages.render import MAX_TEXT, fit, shorten, visible_len
from storage.models import Comment
from storage.privacy import ERASED_ID

REASON_MAX = 500
QUEUE_PAGE_SIZE = 5
QUEUE_TEXT = 300  # characters of a comment shown in the queue
QUEUE_TITLE = 80  # characters of an idea title shown in the queue
PROMPT_TEXT = 200  # characters of the comment quoted when asking for a reason
# What a moderator can do with a comment in each state (CommentService.decide's transitions).
ACTIONS: dict[str, tuple[Verdict, ...]] = {
    "pending": ("approve", "reject"),
    "approved": ("hide",),
    "hidden": ("restore", "reject"),
}


@dataclass(frozen=True)
class Decision:
    """One entry of the moderation log, as the handlers read it."""

    moderator_id: int | None
    action: str
    reason: str | None


def _reports(language: str, comment: Comment) -> str:
    if not comment.report_count:
        return ""
    return tn(language, "moderation.reports", comment.report_count)


def card(language: str, comment: Comment, tz: ZoneInfo, *, room: int = MAX_TEXT) -> str:
    """A comment with idea, author, date and state; its text is cut only if it must be."""

    def compose(text: str) -> str:
        return t(
            language,
            "moderation.card",
            idea=comment.idea_title,
            author=comment.author_name,
            date=moment(language, comment.created_at, tz),
            status=t(language, f"comments.status.{comment.status}"),
            reports=Html(_reports(language, comment)),
            text=text,
        )

    return fit(compose, comment.text, room)


def _with_card(language: str, head: str, comment: Comment, tz: ZoneInfo) -> str:
    """A head line (or a few) above the comment's card, within Telegram's limit."""
    room = MAX_TEXT - visible_len(head) - 2
    return head + "\n\n" + card(language, comment, tz, room=room)


def reason_line(language: str, reason: str | None) -> str:
    """ "Begründung: …" or "ohne Begründung"."""
    if reason:
        return t(language, "moderation.reason_line", reason=reason)
    return t(language, "moderation.no_reason")


def outcome_line(language: str, action: str, name: str, reason: str | None = None) -> str:
    """ "✅ Freigegeben von Ada", with the reason under a rejection."""
    line = t(language, f"moderation.outcome.{action}", name=name)
    if action == "reject":
        line += "\n" + reason_line(language, reason)
    return line


def outcome(
    language: str, comment: Comment, action: str, name: str, reason: str | None, tz: ZoneInfo
) -> str:
    """The notification after a decision: who decided what, above the comment."""
    return _with_card(language, outcome_line(language, action, name, reason), comment, tz)


def already_line(language: str, comment: Comment, last: Decision | None, me: int) -> str:
    """What happened before this moderator's decision, and who did it."""
    if last is None or last.action not in ("approve", "reject", "hide", "restore"):
        status = t(language, f"comments.status.{comment.status}")
        return t(language, "moderation.already.status", status=status)
    if last.moderator_id == me:
        who = t(language, "moderation.already.who.self")
    elif last.moderator_id is None:
        who = t(language, "moderation.already.who.system")
    elif last.moderator_id == ERASED_ID:
        who = t(language, "privacy.erased_moderator")
    else:
        who = t(language, "moderation.already.who.other", user_id=last.moderator_id)
    what = t(language, f"moderation.already.what.{last.action}")
    line = t(language, "moderation.already.line", what=what, who=Html(who))
    if last.action == "reject" and last.reason:
        line += "\n" + reason_line(language, last.reason)
    return line


def already(language: str, comment: Comment, last: Decision | None, me: int, tz: ZoneInfo) -> str:
    """Someone decided first: what happened, and the comment as it is now."""
    return _with_card(language, already_line(language, comment, last, me), comment, tz)


def ask_reason(language: str, comment: Comment, problem: str | None = None) -> str:
    """Ask for an optional reason for rejecting a comment."""
    text = t(
        language,
        "moderation.ask_reason",
        author=comment.author_name,
        idea=shorten(comment.idea_title, QUEUE_TITLE),
        text=shorten(comment.text, PROMPT_TEXT),
        maximum=REASON_MAX,
    )
    return f"{problem}\n\n{text}" if problem else text


def reason_problem(language: str, reason: str) -> str | None:
    """Why a typed reason is not accepted, or None."""
    if not reason:
        return t(language, "moderation.reason_empty")
    if len(reason) > REASON_MAX:
        return t(language, "moderation.reason_too_long", length=len(reason), maximum=REASON_MAX)
    return None


def queue(
    language: str,
    items: Sequence[Comment],
    *,
    first_number: int,
    page: int,
    page_count: int,
    total: int,
    regions: Sequence[str] | None,
    tz: ZoneInfo,
    note: str | None = None,
) -> str:
    """A page of the moderation queue, oldest first; each item numbered for its buttons."""
    lines = [note, ""] if note else []
    lines.append(t(language, "moderation.queue.title"))
    if regions is not None:
        lines.append(t(language, "moderation.queue.regions", regions=", ".join(regions)))
    if total == 0:
        lines += ["", t(language, "moderation.queue.empty")]
        return "\n".join(lines)
    count = tn(language, "moderation.queue.count", total)
    if page_count > 1:
        count += " " + t(language, "moderation.queue.page", page=page + 1, pages=page_count)
    lines.append(count)
    room = QUEUE_TEXT
    while True:  # emoji count twice for Telegram: shorten the items until the page fits
        text = "\n".join(
            lines
            + [_item(language, n, c, tz, room) for n, c in enumerate(items, start=first_number)]
        )
        if visible_len(text) <= MAX_TEXT or room <= 20:
            return text
        room //= 2


def _item(language: str, number: int, comment: Comment, tz: ZoneInfo, room: int) -> str:
    """One queue item, after an empty line."""
    return "\n" + t(
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


def queue_note(language: str, action: str, name: str, reason: str | None, comment: Comment) -> str:
    """The lines above the queue after a decision taken in it."""
    return t(
        language,
        "moderation.queue.note",
        outcome=Html(t(language, f"moderation.outcome.{action}", name=name)),
        author=comment.author_name,
        text=shorten(comment.text, 60),
    ) + ("\n" + reason_line(language, reason) if action == "reject" else "")
