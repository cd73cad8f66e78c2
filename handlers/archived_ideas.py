"""/archiv: the archived ideas of the staff member's regions (admins: all), each restorable."""

from __future__ import annotations

from telegram import Update

from bot.context import App, Context
from handlers.buttons import on_tap
from handlers.common import answer, private_command, reply, show
from handlers.staff_common import staff_language
from messages import idea_staff as views
from messages.actions import ArchivedPage, ManageIdea
from messages.keyboards import Button, Keyboard, keyboard, menu_row, page_row
from messages.render import button_label


async def _screen(
    context: Context, language: str, regions: list[int] | None, page: int
) -> tuple[str, Keyboard]:
    found = await context.bot_data.ideas.archived_page(regions, page)
    rows: list[list[Button]] = [
        [(button_label(views.title_of(language, item)), ManageIdea(item.id, "m"))]
        for item in found.items
    ]
    nav = page_row(language, found.page, found.page_count, ArchivedPage)
    return views.archived_list(language, found), keyboard([*rows, nav, menu_row(language)])


async def archive_command(update: Update, context: Context) -> None:
    """/archiv: the first page."""
    found = await staff_language(update, context)
    if found is None:
        return
    language, staff = found
    regions = None if staff.admin else sorted(staff.regions)
    await reply(update, *await _screen(context, language, regions, 0))


async def on_button(update: Update, context: Context, action: ArchivedPage) -> None:
    """Another page of /archiv."""
    found = await staff_language(update, context)
    if found is None:
        return
    language, staff = found
    await answer(update)
    regions = None if staff.admin else sorted(staff.regions)
    await show(update, *await _screen(context, language, regions, action.page))


def register(app: App) -> None:
    """/archiv (/archived) and its pages."""
    app.add_handler(private_command(["archiv", "archived"], archive_command))
    app.add_handler(on_tap(on_button))
