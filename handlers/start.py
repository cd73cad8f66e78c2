"""/start with deep links, the main menu, /hilfe and the about text."""

from __future__ import annotations

import logging
import re

from telegram import Update

from bot.context import App, Context
from handlers import browse
from handlers.buttons import on_tap
from handlers.common import answer, language_of, private_command, reply, show, show_main_menu
from messages import actions as cb
from messages.catalog import t
from messages.keyboards import Keyboard, keyboard, main_menu_keyboard, menu_row
from messages.render import label

logger = logging.getLogger(__name__)

_PAYLOAD = re.compile(r"^(idea|region)_([a-z0-9][a-z0-9-]{0,39})$")


async def start(update: Update, context: Context) -> None:
    """/start [payload]: welcome, or open the idea or region a deep link names."""
    language = await language_of(update, context)
    payload = context.args[0] if context.args else ""
    if payload:
        for prefix, opener in context.bot_data.deep_links.items():
            if payload.startswith(prefix):
                await opener(update, context, language, payload.removeprefix(prefix))
                return
        if await _open_deep_link(update, context, language, payload):
            return
        logger.info("Unknown deep-link payload %r", payload[:64])
        await reply(update, t(language, "bad_link"), main_menu_keyboard(language))
        return
    await reply(update, t(language, "welcome"), main_menu_keyboard(language))


async def _open_deep_link(update: Update, context: Context, language: str, payload: str) -> bool:
    match = _PAYLOAD.match(payload)
    if match is None:
        return False
    kind, slug = match.groups()
    data = context.bot_data
    if kind == "idea":
        idea = await data.ideas.get_by_slug(slug)
        return idea is not None and await browse.show_idea(update, context, language, idea.id, None)
    region = await data.regions.get_by_slug(slug)
    return region is not None and await browse.show_region_ideas(
        update, context, language, region.id, 0
    )


async def help_command(update: Update, context: Context) -> None:
    """/hilfe: all commands, and a button to the about text."""
    language = await language_of(update, context)
    await reply(update, await _help_text(update, context, language), _help_keyboard(language))


async def _help_text(update: Update, context: Context, language: str) -> str:
    text = t(language, "help")
    user = update.effective_user
    if user is None:
        return text
    staff = await context.bot_data.idea_staff.staff(user.id)
    if staff.admin:
        text += "\n\n" + t(language, "help_admin") + "\n" + t(language, "roles.help")
    if staff.is_staff:  # admins and regional contacts maintain the idea map
        text += "\n\n" + t(language, "help_staff")
    return text


def _help_keyboard(language: str) -> Keyboard:
    return keyboard([[(label(language, "button.about"), cb.About())], menu_row(language)])


async def on_button(
    update: Update, context: Context, action: cb.MainMenu | cb.Help | cb.About
) -> None:
    """Main menu, help and about buttons."""
    language = await language_of(update, context)
    await answer(update)
    if isinstance(action, cb.Help):
        await show(update, await _help_text(update, context, language), _help_keyboard(language))
    elif isinstance(action, cb.About):
        await show(update, t(language, "about"), keyboard([menu_row(language)]))
    else:
        await show_main_menu(update, language)


def register(app: App) -> None:
    """Start, help and menu handlers."""
    app.add_handler(private_command("start", start))
    app.add_handler(private_command(["hilfe", "help"], help_command))
    app.add_handler(on_tap(on_button))
