"""News as an opt-in: the offer made once, /neuigkeiten, and „Abbestellen“ under broadcasts.

Broadcasts to „Alle“ reach only those who said yes. Everyone is asked once: a new person at
their first contact (usually /start), everyone who used the bot before the opt-in existed at
their next one (migration 0015 subscribed nobody). The offer goes through the outbox, queued
in the transaction that notes it (never lost, never twice) after the feature has answered
(group OFFER), so it arrives below that answer.
"""

from __future__ import annotations

import logging

from telegram import Message, Update
from telegram.ext import CallbackQueryHandler, MessageHandler, filters

from bot.context import App, Context
from bot.logs import person
from handlers.buttons import on_tap
from handlers.common import (
    answer,
    best_effort,
    edit_buttons,
    language_of,
    private_command,
    reply,
    show,
)
from messages import news as views
from messages.actions import NewsChoice, NewsStop, parse
from messages.catalog import t
from messages.content import region_name
from messages.keyboards import chat_message

logger = logging.getLogger(__name__)

OFFER = 10  # after every feature (group 0) has answered the update
COMMANDS = ("neuigkeiten", "news")
# Messages in the private chat (not edits, not "joined"/"pinned" notices, never a block).
_PRIVATE_MESSAGES = (
    filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE & ~filters.StatusUpdate.ALL
)


def _skips_offer(update: Update) -> bool:
    """Whether the update is about the news itself (then the offer is moot)."""
    query = update.callback_query
    if query is not None:
        return isinstance(parse(query.data), NewsChoice | NewsStop)
    message = update.message
    text = message.text if message is not None and message.text else ""
    words = text[1:].split(maxsplit=1) if text.startswith("/") else []
    return bool(words) and words[0].split("@", 1)[0] in COMMANDS


async def offer_once(update: Update, context: Context) -> None:
    """Ask once whether the person wants the news (queued after the answer to this update)."""
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None or chat.type != "private":
        return
    data = context.bot_data
    if user.id in data.news_offered or user.id in data.users_with_drafts:
        return  # asked already; or in the middle of a dialogue, which an offer would interrupt
    if await data.news.offered(user.id):
        data.news_offered.add(user.id)
        return
    if _skips_offer(update):
        return  # /neuigkeiten or a news button: the choice made there ends the offer
    language = await language_of(update, context)
    offer = chat_message(*views.offer(language, data.settings.broadcast_sender))
    if await data.news.offer_once(user.id, data.clock(), offer):
        logger.info("News offered to %s", person(user.id))
        data.news_offered.add(user.id)
        data.wake()
    # Otherwise the person is unknown (just erased, or the visit's write failed): next time.


async def news_command(update: Update, context: Context) -> None:
    """/neuigkeiten: whether the person receives the news, and the button to change it."""
    language = await language_of(update, context)
    user = update.effective_user
    if user is None:
        return
    data = context.bot_data
    since = await data.news.since(user.id)
    sender = data.settings.broadcast_sender
    await reply(update, *views.settings(language, sender, since, data.settings.tz))


async def choose(
    update: Update, context: Context, language: str, on: bool, *, from_offer: bool
) -> None:
    """Yes or no from the offer or /neuigkeiten: saved, then the message shows the choice.

    The offer becomes the answer alone (no buttons: the main menu above stays the newest
    message with buttons); /neuigkeiten shows the new state with the button to change it.
    """
    user = update.effective_user
    if user is None:
        return
    data = context.bot_data
    changed = await data.news.choose(user.id, on, data.clock())
    data.news_offered.add(user.id)
    if changed:
        logger.info("%s %s the news", person(user.id), "subscribed to" if on else "unsubscribed")
    state = "on" if on else "off"
    await answer(update, None if changed or from_offer else t(language, f"news.already_{state}"))
    chosen = t(language, f"news.chosen_{state}")
    if from_offer:
        await show(update, chosen)
        return
    since = await data.news.since(user.id)
    sender = data.settings.broadcast_sender
    text, buttons = views.settings(language, sender, since, data.settings.tz)
    if changed or not on:  # "no" when it was no already is still an answer to the tap
        text = chosen + "\n\n" + text
    await show(update, text, buttons)


async def stop(update: Update, context: Context, language: str, region_id: int) -> None:
    """„Abbestellen“ under a broadcast: the news, or the region's subscription; says which."""
    user = update.effective_user
    if user is None:
        return
    data = context.bot_data
    if region_id:
        region = await data.regions.get(region_id)
        if region is None:  # no such region: a forged button
            await answer(update)
            await reply(update, t(language, "news.stop_invalid"))
            return
        name = region_name(language, region.name, region.name_en)
        changed = await data.news.leave_region(user.id, region_id)
        key = "stopped_region" if changed else "stopped_already_region"
        text = t(language, f"news.{key}", region=name)
    else:
        changed = await data.news.choose(user.id, False, data.clock())
        data.news_offered.add(user.id)
        text = t(language, "news.stopped_all" if changed else "news.stopped_already_all")
    if changed:
        what = f"region {region_id}" if region_id else "the news"
        logger.info("%s unsubscribed from %s under a broadcast", person(user.id), what)
    await answer(update)
    query = update.callback_query
    async with best_effort("unsubscribing under a broadcast"):
        # The broadcast stays; only its button goes, since it has done its work.
        message = query.message if query is not None else None
        if isinstance(message, Message) and message.reply_markup is not None:
            await edit_buttons(context.bot, message.chat.id, message.message_id, None)
        await reply(update, text)


async def on_button(update: Update, context: Context, action: NewsChoice | NewsStop) -> None:
    """The offer's and /neuigkeiten's yes and no; „Abbestellen“ under a broadcast."""
    language = await language_of(update, context)
    if isinstance(action, NewsChoice):
        await choose(update, context, language, action.on == "y", from_offer=action.where == "o")
    else:
        await stop(update, context, language, action.region_id)


def register(app: App) -> None:
    """The offer (group OFFER, after the features), /neuigkeiten and the news buttons."""
    app.add_handler(CallbackQueryHandler(offer_once), group=OFFER)
    app.add_handler(MessageHandler(_PRIVATE_MESSAGES, offer_once), group=OFFER)
    app.add_handler(private_command(list(COMMANDS), news_command))
    app.add_handler(on_tap(on_button))
