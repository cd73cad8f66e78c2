"""/neue_idee: staff create an idea — region, title, summary, description, challenge, preview.

Admins choose among all regions, contacts among theirs (a contact of one region is not
asked); `/neue_idee <region>` starts in that region. The draft lives in SQLite, so a restart
in the middle loses nothing; publishing ends it in the same transaction.
"""

from __future__ import annotations

from functools import partial

from telegram import Update

from bot.context import App, Context
from bot.services.ideas import LIMITS
from handlers import dialog
from handlers.admin_form import stale
from handlers.common import answer, best_effort, private_command, reply, show
from handlers.staff_common import (
    Tap,
    cancel_row,
    challenge_rows,
    choice,
    committed,
    data_int,
    data_str,
    idea_field_rows,
    refuse_region,
    region_rows,
    regions_of,
    staff_language,
    staff_of,
    still_allowed,
    typed_text,
)
from messages import idea_forms as forms
from messages.actions import ManageIdea, ShowIdea
from messages.catalog import t
from messages.keyboards import Button, keyboard
from messages.render import label
from storage.drafts import DraftEnd
from storage.idea_lifecycle import IdeaFields
from storage.models import Draft

FLOW = "new_idea"
STEPS = ("region", "title", "summary", "body", "challenge")
_LIMITS = {step: LIMITS[step] for step in ("title", "summary", "body")}  # the typed steps
PREVIEW = "preview"


def _next(step: str, data: dict[str, object]) -> str:
    if data.get("review") or step == STEPS[-1]:
        return PREVIEW
    return STEPS[STEPS.index(step) + 1]


async def _fields(context: Context, draft: Draft) -> tuple[IdeaFields, str, str | None]:
    """The would-be idea, its region's name and its challenge's title."""
    data = context.bot_data
    region = await data.regions.get(data_int(draft, "region_id") or 0)
    challenge_id = data_int(draft, "challenge_id") or None
    challenge = await data.ideas.get_challenge(challenge_id) if challenge_id else None
    fields = IdeaFields(
        title=data_str(draft, "title"),
        region_id=region.id if region else None,
        challenge_id=challenge.id if challenge else None,
        summary=data_str(draft, "summary"),
        body=data_str(draft, "body"),
    )
    return fields, region.name if region else "", challenge.title if challenge else None


async def ask(
    update: Update, context: Context, language: str, draft: Draft, error: str = ""
) -> None:
    """Show the current step (edits the tapped message, else a new one)."""
    step, data = draft.step, draft.data
    staff = await staff_of(context, draft.user_id)
    rows: list[list[Button]] = []
    if step == PREVIEW:
        fields, region, challenge = await _fields(context, draft)
        today = context.bot_data.clock().astimezone(context.bot_data.settings.tz).date()
        text = forms.new_preview(language, fields, region, challenge, today, error)
        if data.get("amend"):
            rows = await idea_field_rows(context, language, staff, STEPS)
            rows.append([choice(language, "staff.button.back_to_preview", "back")])
        else:
            rows = [
                [choice(language, "idea_staff.button.publish", "confirm")],
                [choice(language, "staff.button.change", "amend")],
            ]
        await show(update, text, keyboard([*rows, cancel_row(language)]))
        return
    if step == "region":
        rows = await region_rows(context, staff)
    elif step == "challenge":
        rows = await challenge_rows(context, language)
    elif step == "body":
        rows = [[choice(language, "staff.button.skip", "skip")]]
    if data.get("review"):
        rows.append([choice(language, "staff.button.back_to_preview", "back")])
    _, region, _ = await _fields(context, draft)
    text = forms.new_prompt(language, step, region, LIMITS.get(step), error)
    await show(update, text, keyboard([*rows, cancel_row(language)]))


async def _to(
    update: Update, context: Context, language: str, draft: Draft, step: str, **values: object
) -> None:
    await ask(update, context, language, await dialog.moved(context, draft, step, **values))


async def new_command(update: Update, context: Context) -> None:
    """/neue_idee [region]: begin the dialogue."""
    found = await staff_language(update, context)
    if found is None:
        return
    language, staff = found
    regions = await regions_of(context, staff)
    data: dict[str, object] = {}
    if context.args:
        region = await context.bot_data.regions.get_by_slug(context.args[0].lower())
        if region is None:
            slugs = ", ".join(r.slug for r in regions)
            await reply(
                update,
                t(language, "idea_staff.new.unknown_region", slug=context.args[0], slugs=slugs),
            )
            return
        if not staff.may(region.id):
            await refuse_region(update, context, language)
            return
        data["region_id"] = region.id
    elif len(regions) == 1:
        data["region_id"] = regions[0].id
    step = "title" if "region_id" in data else "region"
    await dialog.begin(context, staff.user_id, FLOW, step, data)
    await ask(
        update, context, language, Draft(user_id=staff.user_id, flow=FLOW, step=step, data=data)
    )


async def prompt(update: Update, context: Context, draft: Draft, language: str) -> None:
    """Ask the current step again."""
    await ask(update, context, language, draft)


async def on_text(update: Update, context: Context, draft: Draft, language: str, text: str) -> None:
    """A typed title, summary or description: checked, stored, next question."""
    region_id = data_int(draft, "region_id")
    if not await still_allowed(
        update, context, draft, language, region_id, any_region=region_id is None
    ):
        return
    again = partial(ask, update, context, language, draft)
    value = await typed_text(language, draft.step, text, _LIMITS, again)
    if value is None:
        return
    await _to(
        update, context, language, draft, _next(draft.step, draft.data), **{draft.step: value}
    )


async def on_answer(update: Update, context: Context, tap: Tap) -> None:
    """The dialogue's buttons (routed by handlers.staff_answers)."""
    draft, language, staff = tap.draft, tap.language, tap.staff
    step, kind, value = tap.step, tap.kind, tap.value
    review = bool(draft.data.get("review"))
    if step == "region" and kind == "region":
        if not staff.may(value) or await context.bot_data.regions.get(value) is None:
            await refuse_region(update, context, language)
            return
        await answer(update)
        await _to(update, context, language, draft, _next(step, draft.data), region_id=value)
    elif step == "challenge" and kind == "challenge":
        if value and await context.bot_data.ideas.get_challenge(value) is None:
            await stale(update, language)
            return
        await answer(update)
        await _to(update, context, language, draft, PREVIEW, challenge_id=value)
    elif step == "body" and kind == "skip":
        await answer(update)
        await _to(update, context, language, draft, _next(step, draft.data), body="")
    elif step == PREVIEW and kind == "amend":
        await answer(update)
        await _to(update, context, language, draft, PREVIEW, amend=True)
    elif (
        step == PREVIEW and kind == "field" and draft.data.get("amend") and 0 <= value < len(STEPS)
    ):
        await answer(update)
        await _to(update, context, language, draft, STEPS[value], review=True, amend=False)
    elif kind == "back" and (review or draft.data.get("amend")):
        await answer(update)
        await _to(update, context, language, draft, PREVIEW, amend=False)
    elif step == PREVIEW and kind == "confirm" and not draft.data.get("amend"):
        await _publish(update, context, language, draft)
    else:
        await stale(update, language)


async def _publish(update: Update, context: Context, language: str, draft: Draft) -> None:
    """Create the idea (audited); citizens see it at once."""
    fields, _, _ = await _fields(context, draft)
    service = context.bot_data.idea_staff
    created = await committed(
        update,
        context,
        language,
        draft.user_id,
        service.create(draft.user_id, fields, ends=DraftEnd(draft.user_id, FLOW)),
    )
    if created is None:
        return
    idea_id, _ = created
    rows: list[list[Button]] = [
        [
            (
                label(language, "idea_staff.button.to_idea"),
                ShowIdea(idea_id, "r", fields.region_id or 0, 0),
            )
        ],
        [(label(language, "idea_staff.button.manage"), ManageIdea(idea_id, "m"))],
    ]
    async with best_effort("a new idea"):
        await answer(update)
        await show(
            update, t(language, "idea_staff.new.published", title=fields.title), keyboard(rows)
        )


def register(app: App) -> None:
    """/neue_idee (/new_idea) with its dialogue."""
    dialog.add_flow(app, dialog.Flow(FLOW, f"idea_staff.flow.{FLOW}", on_text, prompt))
    app.add_handler(private_command(["neue_idee", "new_idea"], new_command))
