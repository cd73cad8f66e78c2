"""Moderation shared by notifications, the queue and the reason dialogue: checks and decisions."""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass

from telegram import Update
from telegram.error import BadRequest

from bot.context import Context
from bot.logs import person
from handlers.common import answer, best_effort, edit_message, refuse, reply, send_message
from messages import moderation as views
from messages.actions import QueueDecision, QueuePage
from messages.catalog import t
from messages.keyboards import Button, Keyboard, keyboard
from messages.render import label
from storage.models import Comment

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
    regions = await context.bot_data.comments.moderated_regions(user_id)
    return regions is None or bool(regions)


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
    """A page of the comments this user may decide on, oldest first, with their buttons."""
    data = context.bot_data
    regions = await data.comments.moderated_regions(user_id)
    total = await data.comments.repo.queue_size(regions)
    size = views.QUEUE_PAGE_SIZE
    page_count = max(1, math.ceil(total / size))
    page = min(max(page, 0), page_count - 1)
    items = (await data.comments.repo.queue(regions, limit=(page + 1) * size))[page * size :]
    names = None
    if regions is not None:
        found = [await data.regions.get(region_id) for region_id in regions]
        names = [region.name for region in found if region is not None]
    first = page * size + 1
    text = views.queue(
        language,
        items,
        first_number=first,
        page=page,
        page_count=page_count,
        total=total,
        regions=names,
        tz=data.settings.tz,
        note=note,
    )
    rows: list[list[Button]] = []
    for number, comment in enumerate(items, start=first):
        rows.append(
            [
                (
                    label(
                        language,
                        "moderation.button.item",
                        number=number,
                        action=label(language, f"comments.moderate.{action}"),
                    ),
                    QueueDecision(comment.id, action, page),
                )
                for action in views.ACTIONS.get(comment.status, ())
            ]
        )
    nav: list[Button] = []
    if page > 0:
        nav.append((label(language, "moderation.button.previous"), QueuePage(page - 1)))
    if page < page_count - 1:
        nav.append((label(language, "moderation.button.next"), QueuePage(page + 1)))
    rows += [nav, [(label(language, "moderation.button.refresh"), QueuePage(page))]]
    return text, keyboard(rows)


async def show_queue(
    context: Context, user_id: int, language: str, origin: Origin, note: str | None = None
) -> None:
    """Show the queue page of origin in its message."""
    text, markup = await queue_view(context, user_id, language, origin.page or 0, note)
    await edit(context, origin, text, markup)


async def permitted(
    update: Update, context: Context, language: str, comment_id: int, origin: Origin
) -> Comment | None:
    """The comment if the user may decide on it now; else refused, or told that it is gone."""
    user = update.effective_user
    if user is None:
        return None
    comment = await context.bot_data.comments.repo.get(comment_id)
    if comment is None:
        if not await is_moderator(context, user.id):
            await refuse(update, context, language)
            return None
        await tell(update, await _gone(context, user.id, language, origin))
        return None
    if not await context.bot_data.comments.may_moderate(user.id, comment.region_id):
        await refuse(update, context, language)
        return None
    if comment.user_id == user.id and await context.bot_data.comments.others_moderate(comment):
        # Nobody decides on their own comment while someone else can (four-eyes principle).
        own = t(language, "moderation.own")
        await tell(update, Outcome(own, own))
        return None
    return comment


async def decide(
    update: Update,
    context: Context,
    language: str,
    comment: Comment,
    action: str,
    reason: str | None,
    origin: Origin,
) -> Outcome:
    """Apply the decision once and show the result in the origin message."""
    data = context.bot_data
    user = update.effective_user
    assert user is not None
    decided = None
    if action in views.ACTIONS.get(comment.status, ()):
        decided = await data.comments.decide(comment.id, user.id, action, reason)
    if decided is None:
        return await _conflict(update, context, language, comment, origin)
    logger.info("Moderator %s: %s on comment %s", person(user.id), action, comment.id)
    tz = data.settings.tz
    async with best_effort("a moderation decision"):  # decided: showing it is best effort
        if origin.page is None:
            text = views.outcome(language, decided, action, user.first_name, reason, tz)
            await edit(context, origin, text, None)
        else:
            note = views.queue_note(language, action, user.first_name, reason, decided)
            await show_queue(context, user.id, language, origin, note)
    line = views.outcome_line(language, action, user.first_name, reason)
    if action != "restore":
        line += "\n" + t(language, "moderation.author_told")
    return Outcome(t(language, f"moderation.done.{action}"), line)


async def _conflict(
    update: Update, context: Context, language: str, comment: Comment, origin: Origin
) -> Outcome:
    """Someone decided first (or the button was forged): say what happened, show the state."""
    data = context.bot_data
    user = update.effective_user
    assert user is not None
    current = await data.comments.repo.get(comment.id)
    if current is None:
        return await _gone(context, user.id, language, origin)
    log = await data.comments.repo.decisions(comment.id)
    last = views.Decision(*log[-1]) if log else None
    line = views.already_line(language, current, last, user.id)
    if origin.page is None:
        text = views.already(language, current, last, user.id, data.settings.tz)
        buttons = data.comments.decision_keyboard(language, current)
        await edit(context, origin, text, buttons if buttons.rows else None)
    else:
        await show_queue(context, user.id, language, origin, line)
    logger.info("Moderator %s came too late for comment %s", person(user.id), comment.id)
    return Outcome(t(language, "moderation.already.toast"), line)


async def _gone(context: Context, user_id: int, language: str, origin: Origin) -> Outcome:
    """The comment was deleted by its author: say so in the origin message."""
    gone = t(language, "moderation.gone")
    if origin.page is None:
        await edit(context, origin, gone, None)
    else:
        await show_queue(context, user_id, language, origin, gone)
    return Outcome(gone, gone)
