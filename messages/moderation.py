"""Moderation texts for every kind of content: outcomes, conflicts, the queue, reasons.

What differs between kinds — the card a moderator sees, a queue entry, the words for the
decisions — comes from the kind's `KindView` (comments: messages.comments.CommentTexts).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from typing import Any, Literal, Protocol, TypeVar
from zoneinfo import ZoneInfo

from messages.catalog import Html, t, tn
from messages.render import MAX_TEXT, label, visible_len
from storage.moderation import Item, LogEntry
from storage.privacy import ERASED_ID

REASON_MAX = 500
QUEUE_PAGE_SIZE = 5
QUEUE_TEXT = 300  # characters of an item's text shown in the queue
QUEUE_TITLE = 80  # characters of a title (such as an idea's) shown in the queue
PROMPT_TEXT = 200  # characters of the item quoted when asking for a reason

T = TypeVar("T")
# A decision that asks for a reason: one may be given ("Ohne Begründung"), or must be.
ReasonNeed = Literal["optional", "required"]


@dataclass(frozen=True)
class Phrases:
    """Where the catalog keeps the fixed texts about one kind (keys; ".<x>": one per x)."""

    button: str  # .<decision>: its button ("✅ Freigeben")
    status: str  # .<status>: the state in words ("wartet auf Freigabe")
    outcome: str  # .<decision>, {name}: "✅ Freigegeben von Ada"
    done: str  # .<decision>: the toast after deciding ("Freigegeben.")
    already: str  # .<decision>: what happened before ("freigegeben")
    changed: str  # {status}: the state, when the log does not say who changed it
    system: str  # who decided when no person did ("automatisch nach Meldungen")
    own: str  # four-eyes: somebody else decides on the moderator's own item
    gone: str  # the item is gone (deleted by its author)
    count: str  # plural {count}: "7 Kommentare warten auf eine Entscheidung."
    empty: str  # the queue is empty (when this is the only kind)
    told: str  # under an outcome: the author is told

    @classmethod
    def under(cls, prefix: str) -> Phrases:
        """Every key under one prefix: `<prefix>.button.approve`, `<prefix>.own`, …"""
        return cls(**{field.name: f"{prefix}.{field.name}" for field in fields(cls)})


class KindView(Protocol[T]):
    """What a kind of content shows moderators (the texts part of a ModerationKind)."""

    @property
    def phrases(self) -> Phrases:
        """Its fixed texts."""
        ...

    @property
    def decisions(self) -> Mapping[str, tuple[str, ...]]:
        """Per status, what a moderator can decide (its buttons, in order); absent: nothing."""
        ...

    @property
    def reasons(self) -> Mapping[str, ReasonNeed]:
        """The decisions that ask for a reason (the author reads it); others take none."""
        ...

    def card(self, language: str, item: Item[T], tz: ZoneInfo, room: int) -> str:
        """The item in full as a moderator sees it, in at most room visible characters."""
        ...

    def entry(self, language: str, number: int, item: Item[T], tz: ZoneInfo, room: int) -> str:
        """One numbered entry of the queue; its quoted text at most room characters."""
        ...

    def queue_note(self, language: str, outcome: str, item: Item[T]) -> str:
        """The line above the queue after a decision in it ("{outcome} – Kommentar von …")."""
        ...

    def ask_reason(self, language: str, item: Item[T], decision: str) -> str:
        """The question for the reason of a decision (REASON_MAX characters at most)."""
        ...


AnyView = KindView[Any]


def decision_label(view: AnyView, language: str, decision: str) -> str:
    """The button of a decision ("✅ Freigeben"), plain text."""
    return label(language, f"{view.phrases.button}.{decision}")


def _with_card(view: AnyView, language: str, head: str, item: Item[Any], tz: ZoneInfo) -> str:
    """A head line (or a few) above the item's card, within Telegram's limit."""
    room = MAX_TEXT - visible_len(head) - 2
    return head + "\n\n" + view.card(language, item, tz, room)


def reason_line(language: str, reason: str | None) -> str:
    """ "Begründung: …" or "ohne Begründung"."""
    if reason:
        return t(language, "moderation.reason_line", reason=reason)
    return t(language, "moderation.no_reason")


def outcome_line(
    view: AnyView, language: str, decision: str, name: str, reason: str | None = None
) -> str:
    """ "✅ Freigegeben von Ada", with the reason under a decision that asks for one."""
    line = t(language, f"{view.phrases.outcome}.{decision}", name=name)
    if decision in view.reasons:
        line += "\n" + reason_line(language, reason)
    return line


def outcome(
    view: AnyView,
    language: str,
    item: Item[Any],
    decision: str,
    name: str,
    reason: str | None,
    tz: ZoneInfo,
) -> str:
    """The notification after a decision: who decided what, above the item."""
    return _with_card(
        view, language, outcome_line(view, language, decision, name, reason), item, tz
    )


def already_line(
    view: AnyView, language: str, item: Item[Any], last: LogEntry | None, me: int
) -> str:
    """What happened before this moderator's decision, and who did it."""
    decided = {d for choices in view.decisions.values() for d in choices}
    if last is None or last.action not in decided:
        status = t(language, f"{view.phrases.status}.{item.status}")
        return t(language, view.phrases.changed, status=status)
    if last.moderator_id == me:
        who = t(language, "moderation.already.who.self")
    elif last.moderator_id is None:
        who = t(language, view.phrases.system)
    elif last.moderator_id == ERASED_ID:
        who = t(language, "privacy.erased_moderator")
    else:
        who = t(language, "moderation.already.who.other", user_id=last.moderator_id)
    what = t(language, f"{view.phrases.already}.{last.action}")
    line = t(language, "moderation.already.line", what=what, who=Html(who))
    if last.action in view.reasons and last.reason:
        line += "\n" + reason_line(language, last.reason)
    return line


def already(
    view: AnyView,
    language: str,
    item: Item[Any],
    last: LogEntry | None,
    me: int,
    tz: ZoneInfo,
) -> str:
    """Someone decided first: what happened, and the item as it is now."""
    return _with_card(view, language, already_line(view, language, item, last, me), item, tz)


def ask_reason(
    view: AnyView, language: str, item: Item[Any], decision: str, problem: str | None = None
) -> str:
    """Ask for the reason of a decision (after what was wrong with the last answer)."""
    text = view.ask_reason(language, item, decision)
    return f"{problem}\n\n{text}" if problem else text


def reason_problem(language: str, reason: str, need: ReasonNeed = "optional") -> str | None:
    """Why a typed reason is not accepted, or None."""
    if not reason:
        key = "moderation.reason_empty" if need == "optional" else "moderation.reason_required"
        return t(language, key)
    if len(reason) > REASON_MAX:
        return t(language, "moderation.reason_too_long", count=len(reason), maximum=REASON_MAX)
    return None


def queue(
    language: str,
    items: Sequence[tuple[AnyView, Item[Any]]],
    *,
    counts: Sequence[tuple[AnyView, int]],
    first_number: int,
    page: int,
    page_count: int,
    regions: Sequence[str] | None,
    tz: ZoneInfo,
    note: str | None = None,
) -> str:
    """A page of the moderation queue, oldest first; each item numbered for its buttons.

    counts: how many items of each kind wait (a line for each kind with any).
    """
    lines = [note, ""] if note else []
    lines.append(t(language, "moderation.queue.title"))
    if regions is not None:
        lines.append(t(language, "moderation.queue.regions", regions=", ".join(regions)))
    waiting = [tn(language, view.phrases.count, count) for view, count in counts if count]
    if not waiting:
        only = counts[0][0].phrases.empty if len(counts) == 1 else "moderation.queue.empty_all"
        lines += ["", t(language, only)]
        return "\n".join(lines)
    if page_count > 1:
        waiting[-1] += " " + t(language, "moderation.queue.page", page=page + 1, pages=page_count)
    lines += waiting
    room = QUEUE_TEXT
    while True:  # emoji count twice for Telegram: shorten the items until the page fits
        entries = [
            "\n" + view.entry(language, number, item, tz, room)
            for number, (view, item) in enumerate(items, start=first_number)
        ]
        text = "\n".join(lines + entries)
        if visible_len(text) <= MAX_TEXT or room <= 20:
            return text
        room //= 2


def queue_note(
    view: AnyView,
    language: str,
    decision: str,
    name: str,
    reason: str | None,
    item: Item[Any],
) -> str:
    """The lines above the queue after a decision taken in it."""
    head = t(language, f"{view.phrases.outcome}.{decision}", name=name)
    note = view.queue_note(language, head, item)
    return note + ("\n" + reason_line(language, reason) if decision in view.reasons else "")
