"""Choosing an upcoming workshop to change or cancel: a paged list of buttons."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from telegram import Update

from bot.context import App, Context, Prompt, TextStep
from handlers import dialog
from handlers.admin_form import admin_begins, admin_draft, cancel_row
from handlers.buttons import OnTap, on_tap
from handlers.common import answer, private_command, reply, show
from messages import actions as cb
from messages import admin as views
from messages.actions import PickKind, PickPage
from messages.catalog import t
from messages.keyboards import Button, keyboard, main_menu_keyboard, page_row
from storage.models import Draft, Workshop

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
    nav = page_row(language, result.page, result.page_count, lambda p: PickPage(kind, p))
    await show(update, text, keyboard([*rows, nav, cancel_row(language)]))


async def start(update: Update, context: Context, kind: PickKind, target: Target) -> None:
    """The command: for admins, begin the dialogue with the list."""
    found = await admin_begins(update, context, FLOWS[kind], "pick")
    if found is not None:
        language, user_id = found
        await show_pick(update, context, language, kind, 0, user_id, target)


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


async def button_draft(
    update: Update, context: Context, kind: PickKind, action: cb.Action, target: Target
) -> tuple[str, Draft] | None:
    """The admin's language and dialogue for a tap; None once the tap is dealt with here (not
    an admin, a step that is over, another page of the list)."""
    found = await admin_draft(update, context, FLOWS[kind])
    if found is not None and isinstance(action, PickPage):
        language, draft = found
        await turn_page(update, context, language, action, draft.user_id, target)
        return None
    return found


def register(
    app: App,
    kind: PickKind,
    commands: Sequence[str],
    target: Target,
    on_text: TextStep,
    prompt: Prompt,
    on_button: OnTap,
) -> None:
    """A picking dialogue: its flow, its command (the list first) and its buttons."""
    flow = FLOWS[kind]
    dialog.add_flow(app, dialog.Flow(flow, f"admin.flow.{flow}", on_text, prompt, admin_only=True))

    async def command(update: Update, context: Context) -> None:
        await start(update, context, kind, target)

    def is_mine(action: object) -> bool:
        # Pages of the workshop list only if they belong to this dialogue (not to the other).
        return not isinstance(action, PickPage) or action.kind == kind

    app.add_handler(private_command(list(commands), command))
    app.add_handler(on_tap(on_button, when=is_mine))
