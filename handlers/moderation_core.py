"""Moderation shared by notifications, the queue and the reason dialogue, for every kind of
content: checks, decisions and what the moderator is shown."""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from typing import Any

from telegram import Update
from telegram.error import BadRequest

from bot.context import Context
from bot.logs import person
from bot.services.moderation import Allowed, Changed, Check, Decided, Gone, Own, Refused
from handlers.common import answer, best_effort, edit_message, refuse, reply, send_message
from messages import moderation as views
from messages.actions import DecideInQueue, QueuePage
from messages.catalog import t
from messages.keyboards import Button, Keyboard, keyboard, page_row
from messages.render import label
from storage.moderation import Item

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Origin:
    """The message a decision started from: a notification (page None) or a queue page."""

    chat_id: int
    message_id: int
    page: int | None = None

    def dump(self) -> dict[str, object]:
        """As stored in a draft."""
        return {"chat_id": self.chat_id, "message_id": self.message_id, "page": self.page}

    @classmethod
    def load(cls, data: dict[str, object]) -> Origin:
        """From a draft."""
        page = data.get("page")
        return cls(
            int(str(data["chat_id"])),
            int(str(data["message_id"])),
            None if page is None else int(str(page)),
        )


@dataclass(frozen=True)
class Outcome:
    """What the moderator is told: a short toast and a line for the chat."""

    toast: str
    line: str


async def is_moderator(context: Context, user_id: int) -> bool:
    """Admins, and contacts of at least one region (checked at every use)."""
    return await context.bot_data.moderation.is_moderator(user_id)


async def edit(context: Context, origin: Origin, text: str, buttons: Keyboard | None) -> None:
    """Show text in the origin message (no buttons: they are removed); else send it anew."""
    try:
        await edit_message(context.bot, origin.chat_id, origin.message_id, text, buttons)
    except BadRequest as exc:
        if "not modified" in exc.message.lower():
            return
        logger.info("Could not edit moderation message, sending a new one: %s", exc.message)
        await send_message(context.bot, origin.chat_id, text, buttons)


async def tell(update: Update, outcome: Outcome) -> None:
    """The toast for a button, the line for typed input."""
    if update.callback_query is not None:
        await answer(update, outcome.toast)
    else:
        await reply(update, outcome.line)


async def queue_view(
    context: Context, user_id: int, language: str, page: int, note: str | None = None
) -> tuple[str, Keyboard]:
    """A page of what this user may decide on, of every kind, oldest first, with buttons."""
    data = context.bot_data
    service = data.moderation
    regions = await service.moderated_regions(user_id)
    counts = await service.queue_sizes(regions)
    total = sum(count for _, count in counts)
    size = views.QUEUE_PAGE_SIZE
    page_count = max(1, math.ceil(total / size))
    page = min(max(page, 0), page_count - 1)
    items = (await service.queue(regions, limit=(page + 1) * size))[page * size :]
    shown = [(service.kinds[item.kind], item) for item in items]
    names = None
    if regions is not None:
        found = [await data.regions.get(region_id) for region_id in regions]
        names = [region.name for region in found if region is not None]
    first = page * size + 1
    text = views.queue(
        language,
        shown,
        counts=counts,
        first_number=first,
        page=page,
        page_count=page_count,
        regions=names,
        tz=data.settings.tz,
        note=note,
    )
    rows: list[list[Button]] = [
        [
            (
                label(
                    language,
                    "moderation.button.item",
                    number=number,
                    action=views.decision_label(kind, language, decision),
                ),
                DecideInQueue(item.kind, item.id, decision, page),
            )
            for decision in kind.decisions.get(item.status, ())
        ]
        for number, (kind, item) in enumerate(shown, start=first)
    ]
    rows += [
        page_row(language, page, page_count, QueuePage),
        [(label(language, "moderation.button.refresh"), QueuePage(page))],
    ]
    return text, keyboard(rows)


async def show_queue(
    context: Context, user_id: int, language: str, origin: Origin, note: str | None = None
) -> None:
    """Show the queue page of origin in its message."""
    text, markup = await queue_view(context, user_id, language, origin.page or 0, note)
    await edit(context, origin, text, markup)


async def permitted(
    update: Update, context: Context, language: str, kind: str, item_id: int, origin: Origin
) -> Item[Any] | None:
    """The item if the user may decide on it now; else refused, or told why not."""
    user = update.effective_user
    if user is None:
        return None
    checked = await context.bot_data.moderation.check(user.id, kind, item_id)
    if isinstance(checked, Allowed):
        return checked.item
    await _not_permitted(update, context, language, kind, checked, origin)
    return None


async def _not_permitted(
    update: Update,
    context: Context,
    language: str,
    kind: str,
    checked: Check,
    origin: Origin,
) -> None:
    """Refuse, or say that the item is gone or the moderator's own."""
    user = update.effective_user
    assert user is not None
    if isinstance(checked, Refused):
        await refuse(update, context, language)
    elif isinstance(checked, Gone):
        await tell(update, await _gone(context, user.id, language, kind, origin))
    elif isinstance(checked, Own):
        # Nobody decides on their own item while someone else can (four-eyes principle).
        own = t(language, context.bot_data.moderation.kinds[kind].phrases.own)
        await tell(update, Outcome(own, own))


async def decide(
    update: Update,
    context: Context,
    language: str,
    kind: str,
    item_id: int,
    decision: str,
    reason: str | None,
    origin: Origin,
) -> Outcome | None:
    """Decide once and show the result in the origin message; None: not permitted (told)."""
    data = context.bot_data
    user = update.effective_user
    assert user is not None
    result = await data.moderation.decide(kind, item_id, user.id, decision, reason)
    if isinstance(result, Changed):
        return await _conflict(update, context, language, result, origin)
    if not isinstance(result, Decided):
        await _not_permitted(update, context, language, kind, result, origin)
        return None
    logger.info("Moderator %s: %s on %s %s", person(user.id), decision, kind, item_id)
    view = data.moderation.kinds[kind]
    tz = data.settings.tz
    decided = result.item
    async with best_effort("a moderation decision"):  # decided: showing it is best effort
        if origin.page is None:
            text = views.outcome(view, language, decided, decision, user.first_name, reason, tz)
            await edit(context, origin, text, None)
        else:
            note = views.queue_note(view, language, decision, user.first_name, reason, decided)
            await show_queue(context, user.id, language, origin, note)
    line = views.outcome_line(view, language, decision, user.first_name, reason)
    if result.author_told:
        line += "\n" + t(language, view.phrases.told)
    return Outcome(t(language, f"{view.phrases.done}.{decision}"), line)


async def _conflict(
    update: Update, context: Context, language: str, changed: Changed, origin: Origin
) -> Outcome:
    """Someone decided first (or the button was forged): say what happened, show the state."""
    data = context.bot_data
    user = update.effective_user
    assert user is not None
    current = changed.item
    view = data.moderation.kinds[current.kind]
    line = views.already_line(view, language, current, changed.last, user.id)
    if origin.page is None:
        text = views.already(view, language, current, changed.last, user.id, data.settings.tz)
        buttons = data.moderation.decision_keyboard(language, current)
        await edit(context, origin, text, buttons if buttons.rows else None)
    else:
        await show_queue(context, user.id, language, origin, line)
    logger.info("Moderator %s came too late for %s %s", person(user.id), current.kind, current.id)
    return Outcome(t(language, "moderation.already.toast"), line)


async def _gone(
    context: Context, user_id: int, language: str, kind: str, origin: Origin
) -> Outcome:
    """The item was deleted by its author: say so in the origin message."""
    view = context.bot_data.moderation.kinds.get(kind)
    if view is None:  # no such kind: a forged button
        stale = t(language, "errors.stale_button")
        return Outcome(stale, stale)
    gone = t(language, view.phrases.gone)
    if origin.page is None:
        await edit(context, origin, gone, None)
    else:
        await show_queue(context, user_id, language, origin, gone)
    return Outcome(gone, gone)
