"""The global error handler: log with the update, tell the user, keep running."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import Forbidden

from bot.context import App, Context
from bot.logs import person
from handlers.common import answer
from messages.catalog import pick_language, t

logger = logging.getLogger(__name__)


async def on_error(update: object, context: Context) -> None:
    """Log the failure; apologise to the user in their language if there is one."""
    update_id = update.update_id if isinstance(update, Update) else None
    # The update id as the per-update log line shows it (a pseudonym), to find the two together.
    logger.error("Error while handling update %s", person(update_id), exc_info=context.error)
    if not isinstance(update, Update) or isinstance(context.error, Forbidden):
        return
    user = update.effective_user
    chat = update.effective_chat
    language = pick_language(
        context.bot_data.languages.get(user.id) if user else None,
        user.language_code if user else None,
    )
    try:
        if update.callback_query is not None:
            await answer(update, t(language, "errors.generic"))
        elif chat is not None and chat.type == "private":
            await chat.send_message(t(language, "errors.generic"))
    except Exception:  # the apology itself must never crash the bot
        logger.warning("Could not tell the user about the error", exc_info=True)


def register(app: App) -> None:
    """Install the error handler."""
    app.add_error_handler(on_error)
