"""/profil: a regional contact fills in the public profile (name, organisation, optional
e-mail and phone) and publishes it with an explicit consent; „Nicht mehr anzeigen“ withdraws it.

Changes stay in the draft until „Veröffentlichen“: citizens never see a half-edited profile.
"""

from __future__ import annotations

from telegram import Update

from bot.context import App, Context
from bot.services.profiles import LIMITS
from bot.services.staff import InvalidTextError
from handlers import dialog
from handlers.admin_form import stale
from handlers.common import answer, best_effort, private_command, reply, show
from handlers.staff_common import (
    Tap,
    cancel_row,
    choice,
    committed,
    data_int,
    explain,
    plain_choice,
    refuse_region,
    regions_of,
    staff_language,
    still_allowed,
)
from messages import profile as views
from messages.catalog import t
from messages.keyboards import Button, keyboard, menu_row
from messages.render import button_label
from storage.contact_format import normal_phone, valid_email
from storage.drafts import DraftEnd
from storage.models import Draft

FLOW = "profile"
OVERVIEW, CONSENT = "overview", "consent"
FIELDS = views.FIELDS
OPTIONAL = ("organisation", "email", "phone")


def _values(draft: Draft) -> dict[str, str]:
    raw = draft.data.get("values")
    return {k: str(v) for k, v in raw.items() if v} if isinstance(raw, dict) else {}


async def _start(context: Context, user_id: int, region_id: int) -> Draft:
    """The dialogue at the overview, with what the person published (or the imported record)."""
    profile = await context.bot_data.profiles.repo.profile_of(user_id, region_id)
    values: dict[str, object] = {}
    if profile is not None:
        values = {
            "name": profile.name,
            "organisation": profile.organisation,
            "email": profile.public_email or "",
            "phone": profile.public_phone or "",
        }
    data: dict[str, object] = {"region_id": region_id, "values": values, "changed": False}
    await dialog.advance(context, user_id, FLOW, OVERVIEW, data)
    return Draft(user_id=user_id, flow=FLOW, step=OVERVIEW, data=data)


async def profile_command(update: Update, context: Context) -> None:
    """/profil: the profile of the person's region (or the choice of a region)."""
    found = await staff_language(update, context)
    if found is None:
        return
    language, staff = found
    if not staff.regions:
        await reply(update, t(language, "profile.no_region"), keyboard([menu_row(language)]))
        return
    regions = [r for r in await regions_of(context, staff) if r.id in staff.regions]
    if len(regions) == 1:
        draft = await _start(context, staff.user_id, regions[0].id)
    else:
        await dialog.begin(context, staff.user_id, FLOW, "region")
        draft = Draft(user_id=staff.user_id, flow=FLOW, step="region", data={})
    await ask(update, context, language, draft)


async def ask(
    update: Update, context: Context, language: str, draft: Draft, error: str = ""
) -> None:
    """Show the current step."""
    data = context.bot_data
    rows: list[list[Button]] = []
    if draft.step == "region":
        staff = await data.idea_staff.staff(draft.user_id)
        regions = [r for r in await regions_of(context, staff) if r.id in staff.regions]
        rows = [[plain_choice(button_label(r.name), "region", r.id)] for r in regions]
        await show(
            update, t(language, "profile.choose_region"), keyboard([*rows, cancel_row(language)])
        )
        return
    region_id = data_int(draft, "region_id") or 0
    region = await data.regions.get(region_id)
    name = region.name if region else ""
    values = _values(draft)
    back = [choice(language, "staff.button.back", "back")]
    if draft.step == OVERVIEW:
        profile = await data.profiles.repo.profile_of(draft.user_id, region_id)
        published = profile.published_at if profile else None
        text = views.overview(
            language,
            name,
            values,
            published,
            data.settings.tz,
            changed=bool(draft.data.get("changed")),
            note=error,
        )
        buttons = [
            choice(language, f"profile.button.{f}", "field", n) for n, f in enumerate(FIELDS)
        ]
        rows = [buttons[0:2], buttons[2:4], [choice(language, "profile.button.publish", "confirm")]]
        if published is not None:
            rows.append([choice(language, "profile.button.withdraw", "withdraw")])
    elif draft.step == CONSENT:
        text = views.consent(language, name, values)
        rows = [[choice(language, "profile.button.consent", "confirm")], back]
    else:
        field = draft.step
        limit = LIMITS.get(field)
        text = views.ask(
            language, field, values.get(field, ""), error, max=limit.max if limit else 0
        )
        if field in OPTIONAL:
            rows.append([choice(language, "profile.button.remove", "skip")])
        rows.append(back)
    await show(update, text, keyboard([*rows, cancel_row(language)]))


async def _to(
    update: Update,
    context: Context,
    language: str,
    draft: Draft,
    step: str,
    error: str = "",
    **values: object,
) -> None:
    moved = await dialog.moved(context, draft, step, **values)
    await ask(update, context, language, moved, error)


async def prompt(update: Update, context: Context, draft: Draft, language: str) -> None:
    """Ask the current step again."""
    await ask(update, context, language, draft)


def _read(field: str, text: str) -> str:
    """A typed value, tidied; InvalidTextError (or ValueError for e-mail and phone)."""
    if field in LIMITS:
        return LIMITS[field].clean(field, text)
    value = text.strip()
    if field == "email":
        if not valid_email(value):
            raise ValueError("email")
        return value
    phone = normal_phone(value)
    if phone is None:
        raise ValueError("phone")
    return phone


async def on_text(update: Update, context: Context, draft: Draft, language: str, text: str) -> None:
    """A typed name, organisation, e-mail or phone: checked, then back to the overview."""
    region_id = data_int(draft, "region_id")
    if not await still_allowed(
        update, context, draft, language, region_id, any_region=region_id is None
    ):
        return
    if draft.step not in FIELDS:
        await ask(update, context, language, draft, "⚠️ " + t(language, "staff.error.use_buttons"))
        return
    try:
        value = _read(draft.step, text)
    except InvalidTextError as exc:
        await ask(update, context, language, draft, explain(language, exc))
        return
    except ValueError as exc:
        await ask(
            update,
            context,
            language,
            draft,
            "⚠️ " + t(language, f"profile.invalid.{exc}", value=text.strip()),
        )
        return
    await _set(update, context, language, draft, value)


async def _set(update: Update, context: Context, language: str, draft: Draft, value: str) -> None:
    values = {**_values(draft), draft.step: value}
    await _to(update, context, language, draft, OVERVIEW, values=values, changed=True)


async def on_answer(update: Update, context: Context, tap: Tap) -> None:
    """The dialogue's buttons (routed by handlers.staff_answers)."""
    draft, language, staff = tap.draft, tap.language, tap.staff
    step, kind, value = tap.step, tap.kind, tap.value
    region_id = data_int(draft, "region_id")
    if step == "region" and kind == "region":
        if value not in staff.regions:
            await refuse_region(update, context, language)
            return
        await answer(update)
        await ask(update, context, language, await _start(context, staff.user_id, value))
    elif region_id is None or region_id not in staff.regions:
        await refuse_region(update, context, language)
    elif step == OVERVIEW and kind == "field" and 0 <= value < len(FIELDS):
        await answer(update)
        await _to(update, context, language, draft, FIELDS[value])
    elif step in OPTIONAL and kind == "skip":
        await answer(update)
        await _set(update, context, language, draft, "")
    elif step in (*FIELDS, CONSENT) and kind == "back":
        await answer(update)
        await _to(update, context, language, draft, OVERVIEW)
    elif step == OVERVIEW and kind == "confirm":
        await answer(update)
        await _to_consent(update, context, language, draft)
    elif step == CONSENT and kind == "confirm":
        await _publish(update, context, language, draft, region_id)
    elif step == OVERVIEW and kind == "withdraw":
        await _withdraw(update, context, language, draft, region_id)
    else:
        await stale(update, language)


async def _to_consent(update: Update, context: Context, language: str, draft: Draft) -> None:
    """On to the consent, if every value fits (an imported one may not): else its question."""
    values = _values(draft)
    if not values.get("name"):
        error = "⚠️ " + t(language, "profile.name_first")
        await _to(update, context, language, draft, "name", error)
        return
    for field, limit in LIMITS.items():
        try:
            limit.clean(field, values.get(field, ""))
        except InvalidTextError as exc:
            await _to(update, context, language, draft, field, explain(language, exc))
            return
    await _to(update, context, language, draft, CONSENT)


async def _publish(
    update: Update, context: Context, language: str, draft: Draft, region_id: int
) -> None:
    values = _values(draft)
    change = context.bot_data.profiles.publish(
        draft.user_id,
        region_id,
        name=values.get("name", ""),
        organisation=values.get("organisation", ""),
        email=values.get("email") or None,
        phone=values.get("phone") or None,
        ends=DraftEnd(draft.user_id, FLOW),
    )
    if await committed(update, context, language, draft.user_id, change) is None:
        return
    text = "\n".join([t(language, "profile.done"), "", *views.public_lines(language, values)])
    async with best_effort("a published profile"):
        await answer(update)
        await show(update, text, keyboard([menu_row(language)]))


async def _withdraw(
    update: Update, context: Context, language: str, draft: Draft, region_id: int
) -> None:
    change = context.bot_data.profiles.unpublish(
        draft.user_id, region_id, ends=DraftEnd(draft.user_id, FLOW)
    )
    withdrawn = await committed(update, context, language, draft.user_id, change)
    if withdrawn is None:
        return
    key = "profile.withdrawn" if withdrawn else "profile.not_published"
    async with best_effort("a withdrawn profile"):
        await answer(update)
        await show(update, t(language, key), keyboard([menu_row(language)]))


def register(app: App) -> None:
    """/profil (/profile) with its dialogue."""
    dialog.add_flow(app, dialog.Flow(FLOW, "profile.flow", on_text, prompt))
    app.add_handler(private_command(["profil", "profile"], profile_command))
