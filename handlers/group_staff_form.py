"""The working-group dialogues of staff: a new group (region, name, description, open?,
preview) and a changed name or description (typed, previewed, saved)."""

from __future__ import annotations

from dataclasses import replace
from functools import partial

from telegram import Update

from bot.context import App, Context
from bot.services.groups import LIMITS
from bot.services.staff import Staff
from handlers import dialog
from handlers.admin_form import stale
from handlers.common import answer, best_effort, reply, show
from handlers.staff_common import (
    Tap,
    cancel_row,
    choice,
    committed,
    data_int,
    data_str,
    refuse_region,
    region_rows,
    regions_of,
    staff_of,
    still_allowed,
    typed_text,
)
from messages import group_staff as views
from messages.actions import ManageGroup
from messages.catalog import t
from messages.keyboards import Button, keyboard, main_menu_keyboard
from messages.render import label
from storage.drafts import DraftEnd
from storage.models import Draft, WorkingGroup
from storage.workgroup_edits import GroupFields

NEW, EDIT = "new_group", "edit_group"
FLOWS = (NEW, EDIT)
STEPS = ("region", "name", "description", "open")
PREVIEW = "preview"


async def begin_new(update: Update, context: Context, language: str, staff: Staff) -> None:
    """Start a new group (a contact of one region is not asked for it)."""
    regions = await regions_of(context, staff)
    data: dict[str, object] = {"region_id": regions[0].id} if len(regions) == 1 else {}
    step = "name" if data else "region"
    await dialog.begin(context, staff.user_id, NEW, step, data)
    await ask(
        update, context, language, Draft(user_id=staff.user_id, flow=NEW, step=step, data=data)
    )


async def begin_edit(
    update: Update, context: Context, language: str, group: WorkingGroup, field: str
) -> None:
    """Start changing the group's name or description."""
    user = update.effective_user
    if user is None:
        return
    data: dict[str, object] = {
        "group_id": group.id,
        "field": field,
        "before": getattr(group, field),
    }
    await dialog.begin(context, user.id, EDIT, field, data)
    await ask(update, context, language, Draft(user_id=user.id, flow=EDIT, step=field, data=data))


async def _group(context: Context, draft: Draft) -> WorkingGroup | None:
    return await context.bot_data.group_edits.repo.group(data_int(draft, "group_id") or 0)


async def ask(
    update: Update, context: Context, language: str, draft: Draft, error: str = ""
) -> None:
    """Show the current step of either dialogue."""
    step, data = draft.step, draft.data
    rows: list[list[Button]] = []
    if draft.flow == EDIT:
        group = await _group(context, draft)
        if group is None:
            await _gone(update, context, language, draft)
            return
        head = t(language, "group_staff.head.edit", name=group.name)
        back: list[Button] = [
            (label(language, "group_staff.button.back"), ManageGroup(group.id, "m"))
        ]
        if step == PREVIEW:
            field = data_str(draft, "field")
            text = views.change_preview(
                language, group.name, field, getattr(group, field), data_str(draft, "value")
            )
            rows = [
                [choice(language, "staff.button.save", "confirm")],
                [choice(language, "staff.button.change", "back")],
            ]
        else:
            edited = LIMITS[step]
            text = views.prompt(
                language, head, f"group_staff.ask.{step}", error, min=edited.min, max=edited.max
            )
            text += "\n" + views.current(language, getattr(group, step))
            if step == "description":
                rows = [[choice(language, "group_staff.button.remove_description", "skip")]]
            rows.append(back)
        await show(update, text, keyboard([*rows, cancel_row(language)]))
        return
    region = await context.bot_data.regions.get(data_int(draft, "region_id") or 0)
    head = t(language, "group_staff.head.new")
    if step == PREVIEW:
        text = views.new_preview(
            language,
            data_str(draft, "name"),
            region.name if region else "",
            data_str(draft, "description"),
            bool(data.get("open")),
        )
        rows = [
            [choice(language, "group_staff.button.create", "confirm")],
            [choice(language, "staff.button.change", "back")],
        ]
    else:
        limit = LIMITS.get(step)
        text = views.prompt(
            language,
            head,
            f"group_staff.ask.{step}",
            error,
            min=limit.min if limit else 0,
            max=limit.max if limit else 0,
            region=region.name if region else "",
        )
        if step == "region":
            rows = await region_rows(context, await staff_of(context, draft.user_id))
        elif step == "description":
            rows = [[choice(language, "staff.button.skip", "skip")]]
        elif step == "open":
            rows = [
                [choice(language, "group_staff.button.open_yes", "open", 1)],
                [choice(language, "group_staff.button.open_no", "open", 0)],
            ]
    await show(update, text, keyboard([*rows, cancel_row(language)]))


async def _gone(update: Update, context: Context, language: str, draft: Draft) -> None:
    await dialog.finish(context, draft.user_id)
    await answer(update)
    await reply(update, t(language, "staff.refused.group_gone"), main_menu_keyboard(language))


async def _to(
    update: Update, context: Context, language: str, draft: Draft, step: str, **values: object
) -> None:
    await ask(update, context, language, await dialog.moved(context, draft, step, **values))


async def prompt(update: Update, context: Context, draft: Draft, language: str) -> None:
    """Ask the current step again."""
    await ask(update, context, language, draft)


async def _region(context: Context, draft: Draft) -> int | None:
    if draft.flow == NEW:
        return data_int(draft, "region_id")
    group = await _group(context, draft)
    return group.region_id if group else None


async def on_text(update: Update, context: Context, draft: Draft, language: str, text: str) -> None:
    """A typed name or description: checked, then the next step (or the preview)."""
    region_id = await _region(context, draft)
    if not await still_allowed(
        update,
        context,
        draft,
        language,
        region_id,
        any_region=region_id is None and draft.flow == NEW,
    ):
        return
    value = await typed_text(
        language, draft.step, text, LIMITS, partial(ask, update, context, language, draft)
    )
    if value is None:
        return
    if draft.flow == EDIT:
        await _edited(update, context, language, draft, value)
    else:
        await _to(
            update,
            context,
            language,
            draft,
            "description" if draft.step == "name" else "open",
            **{draft.step: value},
        )


async def _edited(
    update: Update, context: Context, language: str, draft: Draft, value: str
) -> None:
    if value == draft.data.get("before"):
        error = "⚠️ " + t(language, "staff.error.unchanged")
        await ask(update, context, language, draft, error)
        return
    await _to(update, context, language, draft, PREVIEW, value=value)


async def on_answer(update: Update, context: Context, tap: Tap) -> None:
    """The buttons of both dialogues (routed by handlers.staff_answers)."""
    draft, language, staff = tap.draft, tap.language, tap.staff
    step, kind, value = tap.step, tap.kind, tap.value
    region_id = await _region(context, draft)
    if region_id is not None and not staff.may(region_id):
        await refuse_region(update, context, language)
    elif draft.flow == NEW and step == "region" and kind == "region":
        if not staff.may(value) or await context.bot_data.regions.get(value) is None:
            await refuse_region(update, context, language)
            return
        await answer(update)
        await _to(update, context, language, draft, "name", region_id=value)
    elif step == "description" and kind == "skip":
        await answer(update)
        if draft.flow == EDIT:
            await _edited(update, context, language, draft, "")
        else:
            await _to(update, context, language, draft, "open", description="")
    elif draft.flow == NEW and step == "open" and kind == "open":
        await answer(update)
        await _to(update, context, language, draft, PREVIEW, open=bool(value))
    elif step == PREVIEW and kind == "back":
        await answer(update)
        first = data_str(draft, "field") if draft.flow == EDIT else "name"
        await _to(update, context, language, draft, first)
    elif step == PREVIEW and kind == "confirm":
        await _commit(update, context, language, draft, staff)
    else:
        await stale(update, language)


async def _commit(
    update: Update, context: Context, language: str, draft: Draft, staff: Staff
) -> None:
    """Create the group, or save the change (audited)."""
    service, ends = context.bot_data.group_edits, DraftEnd(draft.user_id, draft.flow)
    if draft.flow == NEW:
        fields = GroupFields(
            name=data_str(draft, "name"),
            region_id=data_int(draft, "region_id") or 0,
            description=data_str(draft, "description"),
        )
        change = service.create(staff.user_id, fields, open=bool(draft.data.get("open")), ends=ends)
        created = await committed(update, context, language, draft.user_id, change)
        if created is None:
            return
        group_id, text = created[0], t(language, "group_staff.new.done", name=fields.name)
    else:
        group = await _group(context, draft)
        if group is None:
            await _gone(update, context, language, draft)
            return
        field = data_str(draft, "field")
        if getattr(group, field) != draft.data.get("before"):
            await dialog.finish(context, draft.user_id)
            await answer(update)
            await reply(
                update, "⚠️ " + t(language, "staff.error.conflict"), main_menu_keyboard(language)
            )
            return
        fields = GroupFields(
            group.name, group.region_id, group.description, group.name_en, group.description_en
        )
        value = data_str(draft, "value")
        if field == "name":
            fields = replace(fields, name=value)
        else:
            fields = replace(fields, description=value)
        saved = await committed(
            update,
            context,
            language,
            draft.user_id,
            service.edit(staff.user_id, group.id, fields, ends=ends),
        )
        if saved is None:
            return
        group_id = group.id
        text = t(language, "group_staff.edit.done", field=t(language, f"group_staff.field.{field}"))
    rows = [[(label(language, "group_staff.button.back"), ManageGroup(group_id, "m"))]]
    async with best_effort("a working group"):
        await answer(update)
        await show(update, "✅ " + text, keyboard(rows))


def register(app: App) -> None:
    """The two dialogues (started from /arbeitsgruppen, handlers.group_staff)."""
    dialog.add_flow(app, dialog.Flow(NEW, f"group_staff.flow.{NEW}", on_text, prompt))
    dialog.add_flow(app, dialog.Flow(EDIT, f"group_staff.flow.{EDIT}", on_text, prompt))
