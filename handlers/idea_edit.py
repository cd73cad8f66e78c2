"""✏️ Bearbeiten: staff change one field of an idea at a time — typed, previewed, saved.

Followers are not told of an edit (news and status say what happened). A field changed by
someone else since the dialogue began is not overwritten: the dialogue says so and ends.
"""

from __future__ import annotations

from dataclasses import replace
from functools import partial

from telegram import Update

from bot.context import App, Context
from bot.services.ideas import LIMITS, fields_of
from handlers import dialog
from handlers.admin_form import stale
from handlers.common import answer, best_effort, show
from handlers.idea_menu import back_to_menu, draft_idea, maintained_idea, show_menu
from handlers.staff_common import (
    Tap,
    cancel_row,
    challenge_rows,
    choice,
    committed,
    idea_field_rows,
    refuse_region,
    region_rows,
    staff_of,
    typed_text,
)
from messages import idea_forms as forms
from messages.catalog import t
from messages.keyboards import Button, keyboard
from storage.drafts import DraftEnd
from storage.idea_lifecycle import IdeaFields
from storage.models import Draft, Idea

FLOW = "edit_idea"
FIELDS = ("title", "summary", "body", "challenge", "region", "title_en", "summary_en")
TYPED = ("title", "summary", "body", "title_en", "summary_en")
_LIMITS = {step: LIMITS[step] for step in TYPED}  # the steps answered with a text
REMOVABLE = ("body", "title_en", "summary_en")
PREVIEW = "preview"


def current(idea: Idea, field: str) -> object:
    """What the field holds now (ids for region and challenge)."""
    if field == "region":
        return idea.region_id
    if field == "challenge":
        return idea.challenge_id
    return getattr(idea, field)


async def shown(context: Context, language: str, field: str, value: object) -> str:
    """A field's value as staff read it."""
    data = context.bot_data
    if field == "region":
        region = await data.regions.get(value) if isinstance(value, int) else None
        return region.name if region else forms.none(language)
    if field == "challenge":
        challenge = await data.ideas.get_challenge(value) if isinstance(value, int) else None
        return challenge.title if challenge else forms.none(language)
    return str(value) if value else forms.none(language)


async def begin(update: Update, context: Context, language: str, idea: Idea) -> None:
    """Start the dialogue with the choice of a field."""
    user = update.effective_user
    if user is None:
        return
    await dialog.begin(context, user.id, FLOW, "field", {"idea_id": idea.id})
    await _field_menu(update, context, language, idea, user.id)


async def _field_menu(
    update: Update, context: Context, language: str, idea: Idea, user_id: int, error: str = ""
) -> None:
    rows = await idea_field_rows(context, language, await staff_of(context, user_id), FIELDS)
    text = forms.edit_menu(language, idea, error)
    await show(
        update, text, keyboard([*rows, [back_to_menu(language, idea)], cancel_row(language)])
    )


async def ask(
    update: Update,
    context: Context,
    language: str,
    idea: Idea,
    draft: Draft,
    error: str = "",
) -> None:
    """Show the current step: the field menu, a field's question, or the preview."""
    step, data = draft.step, draft.data
    if step == "field":
        await _field_menu(update, context, language, idea, draft.user_id, error)
        return
    back = [choice(language, "staff.button.back", "back")]
    rows: list[list[Button]] = []
    if step == PREVIEW:
        field = str(data.get("field"))
        old = await shown(context, language, field, current(idea, field))
        new = await shown(context, language, field, data.get("value"))
        text = forms.change_preview(language, idea, field, old, new)
        rows = [[choice(language, "staff.button.save", "confirm")], back]
        await show(update, text, keyboard([*rows, cancel_row(language)]))
        return
    if step == "region":
        rows = await region_rows(context, await staff_of(context, draft.user_id))
    elif step == "challenge":
        rows = await challenge_rows(context, language)
    elif step in REMOVABLE:
        rows = [[choice(language, "idea_staff.button.remove", "skip")]]
    now = await shown(context, language, step, current(idea, step))
    limit = LIMITS.get(step)
    text = forms.field_prompt(language, idea, step, now, limit, error)
    await show(update, text, keyboard([*rows, back, cancel_row(language)]))


async def prompt(update: Update, context: Context, draft: Draft, language: str) -> None:
    """Ask the current step again."""
    idea = await draft_idea(update, context, language, draft)
    if idea is not None:
        await ask(update, context, language, idea, draft)


async def _to(
    update: Update,
    context: Context,
    language: str,
    idea: Idea,
    draft: Draft,
    step: str,
    **values: object,
) -> None:
    moved = await dialog.moved(context, draft, step, **values)
    await ask(update, context, language, idea, moved)


async def _value(
    update: Update, context: Context, language: str, idea: Idea, draft: Draft, value: object
) -> None:
    """A new value: unchanged is asked again, anything else previewed."""
    if value == current(idea, draft.step):
        await ask(update, context, language, idea, draft, forms.problem(language, "unchanged"))
        return
    await _to(update, context, language, idea, draft, PREVIEW, value=value)


async def on_text(update: Update, context: Context, draft: Draft, language: str, text: str) -> None:
    """A typed new value, checked against the field's limits."""
    idea = await maintained_idea(update, context, language, draft)
    if idea is None:
        return
    again = partial(ask, update, context, language, idea, draft)
    value = await typed_text(language, draft.step, text, _LIMITS, again)
    if value is None:
        return
    english = draft.step in ("title_en", "summary_en")
    await _value(update, context, language, idea, draft, (value or None) if english else value)


async def on_answer(update: Update, context: Context, tap: Tap) -> None:
    """The dialogue's buttons (routed by handlers.staff_answers)."""
    draft, language, staff = tap.draft, tap.language, tap.staff
    idea = await maintained_idea(update, context, language, draft)
    if idea is None:
        return
    step, kind, value = tap.step, tap.kind, tap.value
    if step == "field" and kind == "field" and 0 <= value < len(FIELDS):
        await answer(update)
        field = FIELDS[value]
        await _to(
            update, context, language, idea, draft, field, field=field, before=current(idea, field)
        )
    elif step == "region" and kind == "region":
        if not staff.may(value):
            await refuse_region(update, context, language)
            return
        if await context.bot_data.regions.get(value) is None:
            await stale(update, language)
            return
        await answer(update)
        await _value(update, context, language, idea, draft, value)
    elif step == "challenge" and kind == "challenge":
        if value and await context.bot_data.ideas.get_challenge(value) is None:
            await stale(update, language)
            return
        await answer(update)
        await _value(update, context, language, idea, draft, value or None)
    elif step in REMOVABLE and kind == "skip":
        await answer(update)
        await _value(update, context, language, idea, draft, None if step != "body" else "")
    elif step != "field" and kind == "back":
        await answer(update)
        await _to(update, context, language, idea, draft, "field")
    elif step == PREVIEW and kind == "confirm":
        await _save(update, context, language, idea, draft)
    else:
        await stale(update, language)


def _changed(idea: Idea, field: str, value: object) -> IdeaFields:
    """The idea's fields with one of them changed."""
    base = fields_of(idea)
    number = value if isinstance(value, int) else None
    text = value if isinstance(value, str) else ""
    match field:
        case "region":
            return replace(base, region_id=number)
        case "challenge":
            return replace(base, challenge_id=number)
        case "title":
            return replace(base, title=text)
        case "summary":
            return replace(base, summary=text)
        case "body":
            return replace(base, body=text)
        case "title_en":
            return replace(base, title_en=text or None)
        case _:
            return replace(base, summary_en=text or None)


async def _save(update: Update, context: Context, language: str, idea: Idea, draft: Draft) -> None:
    """Save the one field, unless someone changed it since the dialogue began."""
    field = str(draft.data.get("field"))
    if current(idea, field) != draft.data.get("before"):
        await dialog.finish(context, draft.user_id)
        await answer(update)
        await show_menu(update, context, language, idea, forms.problem(language, "conflict"))
        return
    new = _changed(idea, field, draft.data.get("value"))
    service = context.bot_data.idea_staff
    saved = await committed(
        update,
        context,
        language,
        draft.user_id,
        service.edit(draft.user_id, idea.id, new, ends=DraftEnd(draft.user_id, FLOW)),
    )
    if saved is None:
        return
    fresh = await context.bot_data.ideas.get(idea.id) or idea
    note = t(language, "idea_staff.edit.saved", field=t(language, f"idea_staff.field.{field}"))
    async with best_effort("a changed idea"):
        await answer(update)
        await show_menu(update, context, language, fresh, "✅ " + note)


def register(app: App) -> None:
    """The edit dialogue (started from the manage menu, handlers.idea_manage)."""
    dialog.add_flow(app, dialog.Flow(FLOW, f"idea_staff.flow.{FLOW}", on_text, prompt))
