"""Moderators: /moderation (the queue, oldest first) and decisions from notifications or the queue.

The same for every kind of content (bot.services.moderation): who may decide is checked at
the moment of every use — admins, and the contacts of the item's region; ModerationService
.decide changes the item only if it is still in the state the decision was made for, logs the
decision and tells the author; a moderator who comes second is told who decided what.
"""

from __future__ import annotations

import logging

from telegram import Update

from bot.context import App, Context
from handlers import moderation_reason
from handlers.buttons import on_tap
from handlers.common import answer, language_of, private_command, refuse, reply
from handlers.moderation_core import (
    Origin,
    decide,
    is_moderator,
    permitted,
    queue_view,
    show_queue,
    tell,
)
from messages import actions as cb
from messages.actions import Decide, DecideInQueue, Moderate, QueueDecision, QueuePage

logger = logging.getLogger(__name__)


async def moderation_command(update: Update, context: Context) -> None:
    """/moderation: the first page of the queue, for moderators only."""
    language = await language_of(update, context)
    user = update.effective_user
    if user is None:
        return
    if not await is_moderator(context, user.id):
        await refuse(update, context, language)
        return
    text, markup = await queue_view(context, user.id, language, 0)
    await reply(update, text, markup)


async def on_queue_page(
    update: Update, context: Context, action: cb.ModerationQueue | QueuePage
) -> None:
    """Another page of the queue, or the same one refreshed."""
    language = await language_of(update, context)
    query = update.callback_query
    user = update.effective_user
    if query is None or query.message is None or user is None:
        return
    if not await is_moderator(context, user.id):
        await refuse(update, context, language)
        return
    await answer(update)
    page = action.page if isinstance(action, QueuePage) else 0
    origin = Origin(query.message.chat.id, query.message.message_id, page)
    await show_queue(context, user.id, language, origin)


Decision = Decide | DecideInQueue | Moderate | QueueDecision


def _parts(action: Decision) -> tuple[str, int, str, int | None]:
    """(kind, item id, decision, queue page or None); the old buttons are about comments."""
    if isinstance(action, Moderate):
        return "comment", action.comment_id, action.action, None
    if isinstance(action, QueueDecision):
        return "comment", action.comment_id, action.action, action.page
    if isinstance(action, Decide):
        return action.kind, action.item_id, action.decision, None
    return action.kind, action.item_id, action.decision, action.page


async def on_decision(update: Update, context: Context, action: Decision) -> None:
    """A decision button: on a notification (Decide) or in the queue (DecideInQueue)."""
    language = await language_of(update, context)
    query = update.callback_query
    user = update.effective_user
    if query is None or query.message is None or user is None:
        return
    kind, item_id, decision, page = _parts(action)
    origin = Origin(query.message.chat.id, query.message.message_id, page)
    view = context.bot_data.moderation.kinds.get(kind)
    if view is not None and decision in view.reasons:
        item = await permitted(update, context, language, kind, item_id, origin)
        if item is None:
            return
        if decision in view.decisions.get(item.status, ()):
            await answer(update)
            await moderation_reason.ask(update, context, language, item, decision, origin)
            return
    outcome = await decide(update, context, language, kind, item_id, decision, None, origin)
    if outcome is not None:
        await tell(update, outcome)


def register(app: App) -> None:
    """/moderation (/moderate), the queue's pages and decisions."""
    app.add_handler(private_command(["moderation", "moderate"], moderation_command))
    app.add_handler(on_tap(on_decision))
    app.add_handler(on_tap(on_queue_page))
