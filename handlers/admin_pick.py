"""Choosing an upcoming workshop to change or cancel: a paged list of buttons."""

from __future__ import annotations

from collections.abc import Callable

from telegram import Update

from bot.context import Context
from handlers import dialog
from handlers.admin_form import admin_language, cancel_row
from handlers.common import answer, reply, show
from messages import actions as cb
from messages import admin as views
from messages.actions import PickKind, PickPage
from messages.catalog import t
from messages.keyboards import Button, keyboard, main_menu_keyboard
from messages.render import label
from storage.models import Workshop

EDIT = "edit_workshop"
CANCEL = "cancel_workshop"
FLOWS: dict[PickKind, str] = {"e": EDIT, "c": CANCEL}
_QUESTION: dict[PickKind, str] = {"e": "edit", "c": "cancel"}

Target = Callable[[int], cb.Action]  # the button action of one listed workshop


async def open_workshop(context: Context, workshop_id: object) -> Workshop | None:
    """The workshop if an admin may still change or cancel it (not started, not cancelled)."""
    data = context.bot_data
    workshop = await data.workshops.repo.get(int(str(workshop_id)))
    if workshop is None or workshop.status == "cancelled" or workshop.starts_at <= data.clock():
        return None
    return workshop


async def show_pick(
    update: Update,
    context: Context,
    language: str,
    kind: PickKind,
    page: int,
    user_id: int,
    target: Target,
) -> None:
    """Upcoming, not cancelled workshops as buttons, eight per page; none: the dialogue ends."""
    data = context.bot_data
    tz = data.settings.tz
    result = await data.workshops.repo.open_page(data.clock(), page)
    text = views.pick_text(language, _QUESTION[kind], result)
    if result.total == 0:
        await dialog.finish(context, user_id)
        await show(update, text, main_menu_keyboard(language))
        return
    rows: list[list[Button]] = [
        [(views.pick_label(language, w, tz), target(w.id))] for w in result.items
    ]
    nav: list[Button] = []
    if result.page > 0:
        nav.append((label(language, "button.previous"), PickPage(kind, result.page - 1)))
    if result.page < result.page_count - 1:
        nav.append((label(language, "button.next"), PickPage(kind, result.page + 1)))
    await show(update, text, keyboard([*rows, nav, cancel_row(language)]))


async def start(update: Update, context: Context, kind: PickKind, target: Target) -> None:
    """The command: for admins, begin the dialogue with the list."""
    language = await admin_language(update, context)
    user = update.effective_user
    if language is None or user is None:
        return
    await dialog.begin(context, user.id, FLOWS[kind], "pick")
    await show_pick(update, context, language, kind, 0, user.id, target)


async def turn_page(
    update: Update, context: Context, language: str, action: PickPage, user_id: int, target: Target
) -> None:
    """Another page of the list (also: back to the list)."""
    await answer(update)
    await dialog.advance(context, user_id, FLOWS[action.kind], "pick", {})
    await show_pick(update, context, language, action.kind, action.page, user_id, target)


async def gone(
    update: Update, context: Context, language: str, kind: PickKind, user_id: int, target: Target
) -> None:
    """The chosen workshop was cancelled, started or deleted meanwhile: say so, list again."""
    if update.callback_query is not None:
        await answer(update, t(language, "admin.gone"))
    else:
        await reply(update, t(language, "admin.gone"))
    await dialog.advance(context, user_id, FLOWS[kind], "pick", {})
    await show_pick(update, context, language, kind, 0, user_id, target)
