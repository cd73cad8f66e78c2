"""/termin_absagen: an admin cancels an upcoming Ideenlabor after a confirmation."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import CommandHandler, filters

from bot.context import App, Context
from bot.logs import person
from handlers import admin_pick, dialog
from handlers.admin_form import admin_language, cancel_row, stale, take
from handlers.admin_pick import CANCEL, open_workshop
from handlers.buttons import on_tap
from handlers.common import answer, best_effort, reply, show
from messages import admin as views
from messages.actions import CancelWorkshop, ConfirmCancel, PickPage
from messages.catalog import t
from messages.keyboards import Button, keyboard, main_menu_keyboard
from messages.render import label
from storage.audit import AuditNote
from storage.drafts import DraftEnd, DraftGone
from storage.models import Draft, Workshop

logger = logging.getLogger(__name__)


async def cancel_command(update: Update, context: Context) -> None:
    """/termin_absagen: choose the workshop."""
    await admin_pick.start(update, context, "c", CancelWorkshop)


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
            await answer(update)
            await show(update, t(language, "admin.cancel.already"), main_menu_keyboard(language))
        else:
            await stale(update, language)
        return
    note = AuditNote.by_user(
        draft.user_id, "workshop_cancel", f"workshop:{workshop.id}", title=workshop.title
    )
    try:
        cancelled = await bot_data.workshops.cancel(
            workshop.id, audit=note, ends=DraftEnd(draft.user_id, CANCEL)
        )
    except DraftGone:
        await stale(update, language)
        return
    bot_data.users_with_drafts.discard(draft.user_id)
    if not cancelled:
        async with best_effort("a workshop cancelled before"):
            await answer(update)
            await show(update, t(language, "admin.cancel.already"), main_menu_keyboard(language))
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
    language = await admin_language(update, context)
    user = update.effective_user
    if language is None or user is None:
        return
    draft = await dialog.current(context, user.id, CANCEL)
    if draft is None:
        await stale(update, language)
    elif isinstance(action, PickPage):
        await admin_pick.turn_page(update, context, language, action, user.id, CancelWorkshop)
    elif isinstance(action, CancelWorkshop):
        workshop = await open_workshop(context, action.workshop_id)
        if workshop is None:
            await admin_pick.gone(update, context, language, "c", user.id, CancelWorkshop)
            return
        await answer(update)
        await dialog.advance(context, user.id, CANCEL, "confirm", {"workshop_id": workshop.id})
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


def _is_mine(action: object) -> bool:
    """Pages of the workshop list only if they belong to this dialogue (not to the edit one)."""
    return not isinstance(action, PickPage) or action.kind == "c"


def register(app: App) -> None:
    """/termin_absagen, its dialogue and buttons."""
    dialog.add_flow(
        app, dialog.Flow(CANCEL, f"admin.flow.{CANCEL}", on_text, prompt, admin_only=True)
    )
    app.add_handler(
        CommandHandler(
            ["termin_absagen", "cancel_date", "cancel_workshop"],
            cancel_command,
            filters=filters.ChatType.PRIVATE,
        )
    )
    app.add_handler(on_tap(on_button, when=_is_mine))
