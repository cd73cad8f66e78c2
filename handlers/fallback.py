"""Everything no feature handled: groups, non-text messages, unknown commands, stale buttons."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import CallbackQueryHandler, MessageHandler, filters

from bot.context import App, Context
from handlers.common import answer, language_of, reply, show_main_menu
from handlers.membership import addresses_bot
from messages.catalog import t
from messages.keyboards import main_menu_keyboard

logger = logging.getLogger(__name__)


async def in_group(update: Update, context: Context) -> None:
    """Commands or mentions in a group: point to the private chat (other chatter is ignored)."""
    message = update.effective_message
    if message is None or message.text is None:
        return
    username = context.bot.username
    if not addresses_bot(message.text, username):
        return
    language = await language_of(update, context)
    await message.reply_text(t(language, "input.private_only", link=f"https://t.me/{username}"))


async def unknown_command(update: Update, context: Context) -> None:
    """A command no feature knows."""
    message = update.effective_message
    language = await language_of(update, context)
    command = (message.text or "/").split()[0] if message else "/"
    await reply(
        update, t(language, "input.unknown_command", command=command), main_menu_keyboard(language)
    )


async def not_text(update: Update, context: Context) -> None:
    """Stickers, photos, voice and other non-text messages in a private chat."""
    language = await language_of(update, context)
    await reply(update, t(language, "input.not_text"), main_menu_keyboard(language))


async def stale_button(update: Update, context: Context) -> None:
    """A button whose data no feature understands: stale or forged."""
    query = update.callback_query
    logger.info("Stale or forged callback data %r", (query.data or "")[:64] if query else None)
    language = await language_of(update, context)
    await answer(update, t(language, "errors.stale_button"))
    await show_main_menu(update, language)


def register(app: App) -> None:
    """Catch-all handlers; registered last so that every feature comes first."""
    private = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE
    app.add_handler(MessageHandler(filters.ChatType.GROUPS & filters.UpdateType.MESSAGE, in_group))
    app.add_handler(MessageHandler(private & filters.COMMAND, unknown_command))
    app.add_handler(MessageHandler(private & ~filters.TEXT & ~filters.StatusUpdate.ALL, not_text))
    app.add_handler(CallbackQueryHandler(stale_button))
