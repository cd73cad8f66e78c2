"""/datenschutz, /meine_daten and /daten_loeschen: the notice, the export, the erasure."""

from __future__ import annotations

import datetime as dt
import logging

from telegram import Update

from bot.context import App, Context
from handlers.buttons import on_tap
from handlers.common import answer, best_effort, language_of, private_command, reply, show
from messages import privacy as views
from messages.actions import CancelErase, ConfirmErase
from messages.catalog import t
from messages.keyboards import keyboard, main_menu_keyboard
from messages.render import label

logger = logging.getLogger(__name__)

# How long a deletion prompt can be confirmed.
CONFIRM_WINDOW = dt.timedelta(minutes=10)


async def notice_command(update: Update, context: Context) -> None:
    """/datenschutz: the privacy notice (in one or more messages)."""
    language = await language_of(update, context)
    parts = context.bot_data.privacy_notices[language]
    for number, part in enumerate(parts, start=1):
        await reply(update, part, main_menu_keyboard(language) if number == len(parts) else None)


async def export_command(update: Update, context: Context) -> None:
    """/meine_daten: everything stored about the person, in words and as a JSON file."""
    language = await language_of(update, context)
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None:
        return
    data = context.bot_data
    now = data.clock()
    found = await data.privacy.export(user.id)
    for part in views.export_summary(language, found, data.settings.tz):
        await reply(update, part)
    content = views.export_document(language, found, now)
    await context.bot.send_document(
        chat.id,
        document=content,
        filename=t(language, "privacy.export.filename"),
        caption=t(language, "privacy.export.caption", date=now.strftime("%Y-%m-%d %H:%M UTC")),
    )


async def erase_command(update: Update, context: Context) -> None:
    """/daten_loeschen: explain what goes, and ask for confirmation."""
    language = await language_of(update, context)
    data = context.bot_data
    issued = int(data.clock().timestamp())
    buttons = keyboard(
        [
            [(label(language, "privacy.delete.confirm"), ConfirmErase(issued))],
            [(label(language, "privacy.delete.cancel"), CancelErase())],
        ]
    )
    prompt = views.delete_prompt(
        language, data.settings.deleted_comments, data.comments.writes.kept
    )
    await reply(update, prompt, buttons)


async def on_button(update: Update, context: Context, action: ConfirmErase | CancelErase) -> None:
    """The answer to the deletion prompt."""
    language = await language_of(update, context)
    user = update.effective_user
    if user is None:
        return
    data = context.bot_data
    if isinstance(action, CancelErase):
        await answer(update)
        await show(update, t(language, "privacy.delete.cancelled"), main_menu_keyboard(language))
        return
    age = data.clock() - dt.datetime.fromtimestamp(action.issued, dt.UTC)
    if not dt.timedelta(0) <= age <= CONFIRM_WINDOW:
        logger.info("Refused an expired or forged deletion confirmation")
        await answer(update, t(language, "privacy.delete.expired"))
        await show(update, t(language, "privacy.delete.expired"))
        return
    await data.privacy.erase(user.id)
    data.forget(user.id)
    counted_until = await data.comments.counted_until(user.id)  # kept on purpose: see storage
    async with best_effort("an erasure"):
        await answer(update)
        await show(update, views.delete_done(language, counted_until, data.settings.tz))


def register(app: App) -> None:
    """Privacy commands (German and English names) and the deletion buttons."""
    app.add_handler(private_command(["datenschutz", "privacy"], notice_command))
    app.add_handler(private_command(["meine_daten", "my_data"], export_command))
    app.add_handler(private_command(["daten_loeschen", "delete_my_data"], erase_command))
    app.add_handler(on_tap(on_button))
