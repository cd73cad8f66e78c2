"""/termin_aendern: an admin changes an upcoming Ideenlabor; everyone concerned is told."""

from __future__ import annotations

import logging
from dataclasses import fields

from telegram import Update

from bot.context import App, Context
from bot.dates import DateInputError
from bot.logs import person
from handlers import admin_pick, dialog
from handlers.admin_form import (
    EDIT_FIELDS,
    EMPTY,
    FIELD_STEP,
    STEP_ATTR,
    FormError,
    changed,
    closing,
    explain,
    field_rows,
    fields_of,
    form_cancel_row,
    made,
    moment,
    optional,
    read_value,
    stale,
    take,
    understood,
)
from handlers.admin_pick import EDIT, open_workshop
from handlers.common import answer, best_effort, reply, show
from messages import actions as cb
from messages import admin as views
from messages.actions import ClearField, EditField, EditSave, EditWorkshop, PickPage
from messages.keyboards import Button, keyboard
from messages.render import label
from messages.workshops import notice_changed
from storage.audit import AuditNote
from storage.drafts import DraftEnd
from storage.models import Draft, Workshop

logger = logging.getLogger(__name__)

_CLEAR_LABEL = {
    "link": "admin.button.remove_link",
    "capacity": "admin.button.no_limit",
    "description": "admin.button.remove_description",
}


def _values(data: dict[str, object]) -> dict[str, object]:
    raw = data.get("values")
    return dict(raw) if isinstance(raw, dict) else {}


async def _gone(update: Update, context: Context, language: str, user_id: int) -> None:
    await admin_pick.gone(update, context, language, "e", user_id, EditWorkshop)


async def ask_edit(
    update: Update,
    context: Context,
    language: str,
    workshop: Workshop,
    step: str,
    data: dict[str, object],
    error: str | None = None,
    understood: str | None = None,
) -> None:
    """Ask for the new value of a field, showing the current one."""
    tz = context.bot_data.settings.tz
    text = views.prompt(
        language,
        views.workshop_header(language, EDIT, workshop),
        step,
        tz,
        editing=True,
        error=error,
        start=moment(_values(data), "starts_at"),
        current=views.current_value(language, workshop, step, tz),
        understood=understood,
    )
    rows: list[list[Button]] = []
    field = optional(step)
    if field is not None:
        rows.append([(label(language, _CLEAR_LABEL[field]), ClearField(field))])
    rows.append([(label(language, "admin.button.back"), EditWorkshop(workshop.id))])
    await show(update, text, keyboard([*rows, form_cancel_row(language)]))


async def _edit_menu(update: Update, context: Context, language: str, workshop: Workshop) -> None:
    rows = field_rows(language, EDIT_FIELDS, EditField, workshop.id)
    rows.append([(label(language, "admin.button.back_to_list"), PickPage("e", 0))])
    text = views.edit_menu(language, workshop, context.bot_data.settings.tz)
    await show(update, text, keyboard([*rows, form_cancel_row(language)]))


async def _edit_preview(
    update: Update, context: Context, language: str, workshop: Workshop, data: dict[str, object]
) -> None:
    bot_data = context.bot_data
    new = changed(workshop, _values(data))
    notice = notice_changed(language, workshop, new, bot_data.settings.tz) or ""
    concerned = await bot_data.workshops.repo.change_recipient_count(workshop.id)
    rows: list[list[Button]] = [
        [(label(language, "admin.button.save"), EditSave())],
        [(label(language, "admin.button.back"), EditWorkshop(workshop.id))],
        form_cancel_row(language),
    ]
    await show(update, views.edit_preview(language, notice, concerned), keyboard(rows))


async def edit_prompt(update: Update, context: Context, draft: Draft, language: str) -> None:
    """Show the current step of /termin_aendern again."""
    workshop = await open_workshop(context, draft.data.get("workshop_id", 0))
    if draft.step == "pick":
        await admin_pick.show_pick(update, context, language, "e", 0, draft.user_id, EditWorkshop)
    elif workshop is None:
        await _gone(update, context, language, draft.user_id)
    elif draft.step == "field":
        await _edit_menu(update, context, language, workshop)
    elif draft.step == "preview":
        await _edit_preview(update, context, language, workshop, draft.data)
    else:
        await ask_edit(update, context, language, workshop, draft.step, draft.data)


async def edit_text(
    update: Update, context: Context, draft: Draft, language: str, text: str
) -> None:
    """A typed new value: validated against the workshop, then previewed."""
    workshop = await open_workshop(context, draft.data.get("workshop_id", 0))
    if draft.step not in STEP_ATTR:
        await reply(update, views.hint(language, "admin.ask.buttons"))
        await edit_prompt(update, context, draft, language)
        return
    if workshop is None:
        await _gone(update, context, language, draft.user_id)
        return
    bot_data = context.bot_data
    tz, start = bot_data.settings.tz, moment(_values(draft.data), "starts_at")
    try:
        value = read_value(
            draft.step,
            text,
            tz,
            bot_data.clock(),
            start=start,
            confirmed=workshop.confirmed,
            language=language,
        )
    except (FormError, DateInputError) as exc:
        await ask_edit(
            update,
            context,
            language,
            workshop,
            draft.step,
            draft.data,
            explain(language, exc, tz, start),
        )
        return
    await _after_value(update, context, language, workshop, draft, value)


async def _after_value(
    update: Update, context: Context, language: str, workshop: Workshop, draft: Draft, value: object
) -> None:
    values = {**_values(draft.data), STEP_ATTR[draft.step]: value}
    data = {**draft.data, "values": values}
    if draft.step == "starts":
        await dialog.advance(context, draft.user_id, EDIT, "ends", data)
        tz = context.bot_data.settings.tz
        said = understood(language, "starts", values, tz)
        await ask_edit(update, context, language, workshop, "ends", data, understood=said)
        return
    tz = context.bot_data.settings.tz
    if notice_changed(language, workshop, changed(workshop, values), tz) is None:
        error = views.problem(language, "unchanged")
        await ask_edit(update, context, language, workshop, draft.step, draft.data, error)
        return
    await dialog.advance(context, draft.user_id, EDIT, "preview", data)
    await _edit_preview(update, context, language, workshop, data)


async def _save(update: Update, context: Context, language: str, draft: Draft) -> None:
    """Save the change: reminders rescheduled, everyone concerned notified (WorkshopService)."""
    bot_data = context.bot_data
    workshop = await open_workshop(context, draft.data.get("workshop_id", 0))
    if workshop is None or workshop.sequence != draft.data.get("sequence"):
        await take(context, draft.user_id)
        await closing(update, language, "admin.edit.conflict")
        return
    new = changed(workshop, _values(draft.data))
    if new.starts_at <= bot_data.clock():  # the preview waited too long
        await answer(update)
        data = {**draft.data, "values": {}}
        await dialog.advance(context, draft.user_id, EDIT, "starts", data)
        error = views.problem(language, "date.past")
        await ask_edit(update, context, language, workshop, "starts", data, error)
        return
    before, after = fields_of(workshop), fields_of(new)
    changes = [f.name for f in fields(before) if getattr(before, f.name) != getattr(after, f.name)]
    note = AuditNote.by_user(
        draft.user_id, "workshop_edit", f"workshop:{workshop.id}", title=new.title, changed=changes
    )
    # The dialogue ends in the same transaction: saved once, however often tapped.
    change = bot_data.workshops.update(
        workshop.id, after, audit=note, ends=DraftEnd(draft.user_id, EDIT)
    )
    if not await made(update, context, language, draft.user_id, change, "admin.edit.conflict"):
        return
    logger.info("Admin %s changed workshop %s", person(draft.user_id), workshop.id)
    concerned = await bot_data.workshops.repo.change_recipient_count(workshop.id)
    text = views.edit_saved(language, new, bot_data.settings.tz, concerned)
    details = [(label(language, "admin.button.details"), cb.ShowWorkshop(workshop.id))]
    async with best_effort("a saved change"):
        await answer(update)
        await show(update, text, keyboard([details]))


async def on_button(
    update: Update,
    context: Context,
    action: EditWorkshop | EditField | ClearField | EditSave | PickPage,
) -> None:
    """The list's pages, the workshop, its fields, clearing a field, saving."""
    opened = await admin_pick.button_draft(update, context, "e", action, EditWorkshop)
    if opened is None:
        return
    language, draft = opened
    user_id = draft.user_id
    if isinstance(action, (EditWorkshop, EditField)):
        workshop = await open_workshop(context, action.workshop_id)
        if workshop is None:
            await _gone(update, context, language, user_id)
            return
        await answer(update)
        if isinstance(action, EditWorkshop):
            await dialog.advance(context, user_id, EDIT, "field", {"workshop_id": workshop.id})
            await _edit_menu(update, context, language, workshop)
            return
        step = FIELD_STEP[action.field]
        data: dict[str, object] = {"workshop_id": workshop.id, "sequence": workshop.sequence}
        await dialog.advance(context, user_id, EDIT, step, data)
        await ask_edit(update, context, language, workshop, step, data)
    elif isinstance(action, ClearField) and draft.step == action.field:
        workshop = await open_workshop(context, draft.data.get("workshop_id", 0))
        if workshop is None:
            await _gone(update, context, language, user_id)
            return
        await answer(update)
        await _after_value(update, context, language, workshop, draft, EMPTY[action.field])
    elif isinstance(action, EditSave) and draft.step == "preview":
        await _save(update, context, language, draft)
    else:
        await stale(update, language)


def register(app: App) -> None:
    """/termin_aendern with its dialogue and buttons."""
    commands = ["termin_aendern", "change_date", "change_workshop"]
    admin_pick.register(app, "e", commands, EditWorkshop, edit_text, edit_prompt, on_button)
