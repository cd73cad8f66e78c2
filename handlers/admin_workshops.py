"""/neuer_termin: an admin creates and publishes an Ideenlabor in a guided, durable dialogue."""

from __future__ import annotations

import logging
from typing import cast

from telegram import Update

from bot.context import App, Context
from bot.dates import DateInputError
from bot.logs import person
from handlers import dialog
from handlers.admin_form import (
    EMPTY,
    FIELD_STEP,
    NEW_FIELDS,
    STEP_ATTR,
    FormError,
    admin_begins,
    admin_draft,
    ending,
    entered,
    explain,
    field_rows,
    fields_of,
    form_cancel_row,
    moment,
    optional,
    read_value,
    stale,
    understood,
    would_be,
)
from handlers.buttons import on_tap
from handlers.common import answer, best_effort, private_command, show
from messages import actions as cb
from messages import admin as views
from messages.actions import (
    Amend,
    AmendField,
    BackToPreview,
    NewBack,
    NewRegion,
    NewStep,
    Publish,
    Skip,
)
from messages.catalog import t
from messages.keyboards import Button, keyboard
from messages.render import button_label, label
from storage.audit import AuditNote
from storage.drafts import DraftEnd
from storage.models import Draft

logger = logging.getLogger(__name__)

FLOW = "new_workshop"
STEPS = ("region", "title", "starts", "ends", "venue", "address", "link", "capacity", "description")
PREVIEW = "preview"
_SKIP_LABEL = {"link": "admin.button.skip", "capacity": "admin.button.no_limit"}


def _back(step: str) -> NewBack:
    """The back button of a step (STEPS and PREVIEW are exactly the NewStep values)."""
    return NewBack(cast(NewStep, step))


def previous_step(step: str) -> str:
    """The step before: the preview goes back to the last question."""
    return STEPS[-1] if step == PREVIEW else STEPS[max(STEPS.index(step) - 1, 0)]


def next_step(step: str, data: dict[str, object]) -> str:
    """After start comes end; while amending, back to the preview; otherwise the next step."""
    if step == "starts":
        return "ends"
    if data.get("review") or step == STEPS[-1]:
        return PREVIEW
    return STEPS[STEPS.index(step) + 1]


async def ask(
    update: Update,
    context: Context,
    language: str,
    step: str,
    data: dict[str, object],
    error: str | None = None,
    understood: str | None = None,
) -> None:
    """Show the question of a step (edits the tapped message, else a new message)."""
    if step == PREVIEW:
        await show_preview(update, context, language, data)
        return
    tz = context.bot_data.settings.tz
    review = bool(data.get("review"))
    head = views.header(language, FLOW, None if review else STEPS.index(step) + 1, len(STEPS))
    text = views.prompt(
        language,
        head,
        step,
        tz,
        error=error,
        start=moment(data, "starts_at"),
        understood=understood,
        current=entered(language, step, data, tz) if error is None and not understood else None,
    )
    rows: list[list[Button]] = []
    if step == "region":
        regions = await context.bot_data.regions.list_with_counts()
        rows += [[(button_label(r.name), NewRegion(r.id))] for r in regions]
    field = optional(step)
    if field is not None:
        rows.append([(label(language, _SKIP_LABEL.get(step, "admin.button.skip")), Skip(field))])
    if review:
        rows.append([(label(language, "admin.button.back_to_preview"), BackToPreview())])
    elif step != STEPS[0]:
        rows.append([(label(language, "admin.button.back"), _back(step))])
    rows.append(form_cancel_row(language))
    await show(update, text, keyboard(rows))


async def show_preview(
    update: Update, context: Context, language: str, data: dict[str, object]
) -> None:
    """The would-be workshop as citizens will see it, with publish / change / cancel."""
    bot_data = context.bot_data
    region = await bot_data.regions.get(int(str(data["region_id"])))
    if region is None:  # cannot happen with the shipped regions; start over safely
        await ask(
            update, context, language, "region", {k: v for k, v in data.items() if k != "region_id"}
        )
        return
    subscribers = (await bot_data.workshops.repo.subscriber_counts()).get(region.id, 0)
    text = views.new_preview(language, would_be(data, region), bot_data.settings.tz, subscribers)
    rows: list[list[Button]] = [
        [(label(language, "admin.button.publish"), Publish())],
        [(label(language, "admin.button.amend"), Amend())],
        [(label(language, "admin.button.back"), _back(PREVIEW))],
        form_cancel_row(language),
    ]
    await show(update, text, keyboard(rows))


async def new_command(update: Update, context: Context) -> None:
    """/neuer_termin: start the dialogue with the region."""
    found = await admin_begins(update, context, FLOW, "region")
    if found is not None:
        await ask(update, context, found[0], "region", {})


async def on_text(update: Update, context: Context, draft: Draft, language: str, text: str) -> None:
    """A typed answer: validated, stored, next question; or the problem and the same question."""
    step, data = draft.step, draft.data
    if step not in STEP_ATTR:  # region and preview are answered with buttons
        await ask(update, context, language, step, data, views.hint(language, "admin.ask.buttons"))
        return
    tz, now = context.bot_data.settings.tz, context.bot_data.clock()
    start = moment(data, "starts_at")
    try:
        value = read_value(step, text, tz, now, start=start, language=language)
    except (FormError, DateInputError) as exc:
        await ask(update, context, language, step, data, explain(language, exc, tz, start))
        return
    await _store(update, context, language, draft, value)


async def _store(
    update: Update, context: Context, language: str, draft: Draft, value: object
) -> None:
    data = {**draft.data, STEP_ATTR[draft.step]: value}
    step = next_step(draft.step, data)
    await dialog.advance(context, draft.user_id, FLOW, step, data)
    tz = context.bot_data.settings.tz
    await ask(
        update, context, language, step, data, understood=understood(language, draft.step, data, tz)
    )


async def prompt(update: Update, context: Context, draft: Draft, language: str) -> None:
    """Ask the current step again (after a sticker, photo, ...)."""
    await ask(update, context, language, draft.step, draft.data)


async def on_button(
    update: Update,
    context: Context,
    action: NewRegion | Skip | Publish | Amend | AmendField | BackToPreview | NewBack,
) -> None:
    """Every button of the new-workshop dialogue."""
    found = await admin_draft(update, context, FLOW)
    if found is None:
        return
    language, draft = found
    if isinstance(action, NewRegion) and draft.step == "region":
        if await context.bot_data.regions.get(action.region_id) is None:
            await stale(update, language)
            return
        await answer(update)
        data = {**draft.data, "region_id": action.region_id}
        step = next_step("region", data)
        await dialog.advance(context, draft.user_id, FLOW, step, data)
        await ask(update, context, language, step, data)
    elif isinstance(action, Skip) and draft.step == action.field:
        await answer(update)
        await _store(update, context, language, draft, EMPTY[action.field])
    elif isinstance(action, Amend) and draft.step == PREVIEW:
        await answer(update)
        rows = field_rows(language, NEW_FIELDS, AmendField)
        rows += [[(label(language, "admin.button.back_to_preview"), BackToPreview())]]
        text = views.header(language, FLOW) + "\n\n" + t(language, "admin.new.amend")
        await show(update, text, keyboard([*rows, form_cancel_row(language)]))
    elif isinstance(action, AmendField) and draft.step == PREVIEW:
        await answer(update)
        data = {**draft.data, "review": True}
        await dialog.advance(context, draft.user_id, FLOW, FIELD_STEP[action.field], data)
        await ask(update, context, language, FIELD_STEP[action.field], data)
    elif isinstance(action, BackToPreview) and draft.data.get("review"):
        await answer(update)
        await dialog.advance(context, draft.user_id, FLOW, PREVIEW, draft.data)
        await show_preview(update, context, language, draft.data)
    elif isinstance(action, NewBack) and draft.step == action.step and action.step != STEPS[0]:
        await answer(update)
        step = previous_step(action.step)
        await dialog.advance(context, draft.user_id, FLOW, step, draft.data)
        await ask(update, context, language, step, draft.data)
    elif isinstance(action, Publish) and draft.step == PREVIEW:
        await _publish(update, context, language, draft)
    else:
        await stale(update, language)


async def _publish(update: Update, context: Context, language: str, draft: Draft) -> None:
    """Create the workshop (its region's subscribers are notified through the outbox)."""
    bot_data = context.bot_data
    start = moment(draft.data, "starts_at")
    region = await bot_data.regions.get(int(str(draft.data["region_id"])))
    if start is None or region is None:
        await stale(update, language)
        return
    if start <= bot_data.clock():
        await answer(update)
        data = {**draft.data, "review": True}
        await dialog.advance(context, draft.user_id, FLOW, "starts", data)
        await ask(
            update,
            context,
            language,
            "starts",
            data,
            views.hint(language, "admin.new.start_passed"),
        )
        return
    workshop = would_be(draft.data, region)
    subscribers = (await bot_data.workshops.repo.subscriber_counts()).get(region.id, 0)
    note = AuditNote.by_user(
        draft.user_id, "workshop_create", region=region.slug, title=workshop.title
    )
    # The dialogue ends in the same transaction: published once, however often tapped.
    ends = DraftEnd(draft.user_id, FLOW)
    change = bot_data.workshops.create(fields_of(workshop), audit=note, ends=ends)
    workshop_id = await ending(update, context, language, draft.user_id, change)
    if workshop_id is None:
        return
    logger.info("Admin %s published workshop %s", person(draft.user_id), workshop_id)
    text = views.published(language, workshop, bot_data.settings.tz, subscribers)
    details = [(label(language, "admin.button.details"), cb.ShowWorkshop(workshop_id))]
    async with best_effort("a published workshop"):
        await answer(update)
        await show(update, text, keyboard([details]))


def register(app: App) -> None:
    """/neuer_termin with its dialogue and buttons."""
    dialog.add_flow(app, dialog.Flow(FLOW, f"admin.flow.{FLOW}", on_text, prompt, admin_only=True))
    app.add_handler(private_command(["neuer_termin", "new_date", "new_workshop"], new_command))
    app.add_handler(on_tap(on_button))
