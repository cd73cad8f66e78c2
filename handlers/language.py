"""/sprache (alias /language): choose German or English; the choice is remembered."""

from __future__ import annotations

from telegram import Update

from bot.context import App, Context
from handlers.buttons import on_tap
from handlers.common import answer, language_of, private_command, reply, show
from handlers.menus import refresh_staff_menu
from messages import actions as cb
from messages.actions import Language
from messages.catalog import t
from messages.keyboards import Keyboard, keyboard, main_menu_keyboard
from messages.render import label


def _choices(language: str) -> Keyboard:
    buttons = []
    choices: tuple[tuple[Language, str], ...] = (("de", "button.german"), ("en", "button.english"))
    for code, key in choices:
        text = label(language, key)
        if code == language:
            text = label(language, "button.selected", label=text)
        buttons.append((text, cb.SetLanguage(code)))
    return keyboard([buttons])


async def language_command(update: Update, context: Context) -> None:
    """/sprache: offer the languages."""
    language = await language_of(update, context)
    await reply(update, t(language, "language.prompt"), _choices(language))


async def on_button(
    update: Update, context: Context, action: cb.LanguageMenu | cb.SetLanguage
) -> None:
    """The language menu and a language choice."""
    language = await language_of(update, context)
    if isinstance(action, cb.SetLanguage) and update.effective_user is not None:
        data = context.bot_data
        await data.users.set_language(update.effective_user.id, action.language, data.clock())
        data.languages[update.effective_user.id] = action.language
        language = action.language
        await answer(update, t(language, "language.set"))
        text = t(language, "language.set") + "\n\n" + t(language, "menu")
        await show(update, text, main_menu_keyboard(language))
        await refresh_staff_menu(context.bot, data, update.effective_user.id)
        return
    await answer(update)
    await show(update, t(language, "language.prompt"), _choices(language))


def register(app: App) -> None:
    """Language command and buttons."""
    app.add_handler(private_command(["sprache", "language"], language_command))
    app.add_handler(on_tap(on_button))
