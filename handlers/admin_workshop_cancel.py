"""/termin_absagen: an admin cancels an upcoming Ideenlabor after a confirmation."""

from __future__ import annotations

import logging

from telegram import Update

from bot.context import App, Context
from bot.logs import person
from handlers import admin_pick, dialog
from handlers.admin_form import cancel_row, closing, made, stale, take
from handlers.admin_pick import CANCEL, open_workshop
from handlers.common import answer, best_effort, reply, show
from messages import admin as views
from messages.actions import CancelWorkshop, ConfirmCancel, PickPage
from messages.keyboards import Button, keyboard, main_menu_keyboard
from messages.render import label
from storage.audit import AuditNote
from storage.drafts import DraftEnd
from storage.models import Draft, Workshop

logger = logging.getLogger(__name__)


async def _question(update: Update, context: Context, language: str, workshop: Workshop) -> None:
    bot_data = context.bot_data
    concerned = await bot_data.workshops.repo.change_recipient_count(workshop.id)
    rows: list[list[Button]] = [
        [(label(language, "admin.button.confirm_cancel"), ConfirmCancel(workshop.id))],
        [(label(language, "admin.button.back_to_list"), PickPage("c", 0))],
        cancel_row(language),
    ]
    text = views.cancel_question(language, workshop, bot_data.settings.tz, concerned)
    await show(update, text, keyboard(rows))


async def _confirmed(update: Update, context: Context, language: str, draft: Draft) -> None:
    """Cancel the workshop: reminders dropped, everyone concerned told (WorkshopService).

    The dialogue ends in the cancellation's own transaction; Telegram hears of it only after.
    """
    bot_data = context.bot_data
    workshop = await bot_data.workshops.repo.get(int(str(draft.data["workshop_id"])))
    if workshop is None:  # deleted meanwhile (not possible through the bot)
        if await take(context, draft.user_id):
            await closing(update, language, "admin.cancel.already")
        else:
            await stale(update, language)
        return
    note = AuditNote.by_user(
        draft.user_id, "workshop_cancel", f"workshop:{workshop.id}", title=workshop.title
    )
    change = bot_data.workshops.cancel(
        workshop.id, audit=note, ends=DraftEnd(draft.user_id, CANCEL)
    )
    if not await made(update, context, language, draft.user_id, change, "admin.cancel.already"):
        return
    logger.info("Admin %s cancelled workshop %s", person(draft.user_id), workshop.id)
    concerned = await bot_data.workshops.repo.change_recipient_count(workshop.id)
    async with best_effort("a cancelled workshop"):
        await answer(update)
        text = views.cancelled(language, workshop, concerned)
        await show(update, text, main_menu_keyboard(language))


async def on_button(
    update: Update, context: Context, action: CancelWorkshop | ConfirmCancel | PickPage
) -> None:
    """The list's pages, the chosen workshop, the confirmation."""
    opened = await admin_pick.button_draft(update, context, "c", action, CancelWorkshop)
    if opened is None:
        return
    language, draft = opened
    if isinstance(action, CancelWorkshop):
        workshop = await open_workshop(context, action.workshop_id)
        if workshop is None:
            await admin_pick.gone(update, context, language, "c", draft.user_id, CancelWorkshop)
            return
        await answer(update)
        data: dict[str, object] = {"workshop_id": workshop.id}
        await dialog.advance(context, draft.user_id, CANCEL, "confirm", data)
        await _question(update, context, language, workshop)
    elif (
        isinstance(action, ConfirmCancel)
        and draft.step == "confirm"
        and draft.data.get("workshop_id") == action.workshop_id
    ):
        await _confirmed(update, context, language, draft)
    else:
        await stale(update, language)


async def prompt(update: Update, context: Context, draft: Draft, language: str) -> None:
    """Show the current step again."""
    workshop = await open_workshop(context, draft.data.get("workshop_id", 0))
    if draft.step == "confirm" and workshop is not None:
        await _question(update, context, language, workshop)
    else:
        await admin_pick.show_pick(update, context, language, "c", 0, draft.user_id, CancelWorkshop)


async def on_text(
    update: Update, context: Context, draft: Draft, language: str, _text: str
) -> None:
    """This dialogue is answered with buttons only."""
    await reply(update, views.hint(language, "admin.ask.buttons"))
    await prompt(update, context, draft, language)


def register(app: App) -> None:
    """/termin_absagen, its dialogue and buttons."""
    commands = ["termin_absagen", "cancel_date", "cancel_workshop"]
    admin_pick.register(app, "c", commands, CancelWorkshop, on_text, prompt, on_button)
