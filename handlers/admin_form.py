"""Shared parts of the admin dialogues: the admin check, drafts, reading typed values."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Awaitable
from typing import TypeVar, get_args
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from telegram import Update

from bot.context import Context
from bot.dates import MAX_YEARS_AHEAD, DateInputError, parse_date_time, parse_end
from handlers import dialog
from handlers.common import admin_of, answer, best_effort, fields_from, show
from messages import admin as views
from messages.actions import DialogCancel, EditableField, FormCancel, NewField, OptionalField
from messages.catalog import t
from messages.keyboards import Button, main_menu_keyboard
from messages.problems import Problem
from messages.render import label
from storage.drafts import DraftGone
from storage.models import Draft, Region, Workshop
from storage.workshops import WorkshopFields

T = TypeVar("T")

MAX_CAPACITY = 10_000
MAX_URL = 500
# The step of a dialogue → the workshop attribute it sets.
STEP_ATTR = {
    "title": "title",
    "starts": "starts_at",
    "ends": "ends_at",
    "venue": "venue",
    "address": "address",
    "link": "registration_url",
    "capacity": "capacity",
    "description": "description",
}
# What an admin can choose to change → the step that asks for it ("time" asks start, then end).
FIELD_STEP = {"region": "region", "time": "starts"} | {
    s: s for s in STEP_ATTR if s not in ("starts", "ends")
}
EDIT_FIELDS: tuple[EditableField, ...] = get_args(EditableField)
NEW_FIELDS: tuple[NewField, ...] = get_args(NewField)
# Optional steps: the value a "skip" / "remove" button stands for.
EMPTY: dict[OptionalField, object] = {"link": None, "capacity": None, "description": ""}
_OPTIONAL: dict[str, OptionalField] = {field: field for field in EMPTY}

_CAPACITY = re.compile(r"^(\d{1,9})(?:\s+[^\d\s]+)?$")


class FormError(Problem, ValueError):
    """Typed input that was not accepted; `key` names the explanation in admin.error."""


def _text(raw: str, limit: int, *, multiline: bool = False) -> str:
    value = raw.strip() if multiline else " ".join(raw.split())
    if not value:
        raise FormError("empty")
    if len(value) > limit:
        raise FormError("too_long", count=len(value), max=limit)
    return value


def _url(raw: str) -> str:
    value = raw.strip()
    try:
        parts = urlsplit(value)
        host = parts.hostname or ""
    except ValueError:
        raise FormError("url") from None
    if (
        len(value) > MAX_URL
        or any(c.isspace() for c in value)
        or parts.scheme.lower() not in ("http", "https")
        or "." not in host.strip(".")
    ):
        raise FormError("url")
    return value


def _capacity(raw: str, confirmed: int) -> int:
    match = _CAPACITY.match(raw.strip())
    if match is None:
        raise FormError("not_number")
    number = int(match.group(1))
    if number < 1:
        raise FormError("not_positive")
    if number > MAX_CAPACITY:
        raise FormError("too_many", max=MAX_CAPACITY)
    if number < confirmed:
        raise FormError("below_confirmed", count=confirmed)
    return number


def read_value(
    step: str,
    text: str,
    tz: ZoneInfo,
    now: dt.datetime,
    *,
    start: dt.datetime | None = None,
    confirmed: int = 0,
    language: str = "de",
) -> object:
    """The typed answer to a step as stored in a draft; FormError or DateInputError if invalid."""
    if step in ("title", "venue", "address"):
        return _text(text, views.LIMITS[step])
    if step == "description":
        return _text(text, views.LIMITS[step], multiline=True)
    if step == "link":
        return _url(text)
    if step == "capacity":
        return _capacity(text, confirmed)
    if step == "starts":
        return parse_date_time(text, tz, now, language).isoformat()
    if step == "ends" and start is not None:
        return parse_end(text, start, tz, now, language).isoformat()
    raise ValueError(f"no typed value at step {step!r}")


def explain(
    language: str, error: FormError | DateInputError, tz: ZoneInfo, start: dt.datetime | None
) -> str:
    """The message that says what was wrong with the input."""
    if isinstance(error, DateInputError):
        return views.date_problem(
            language, error.reason, error.day, tz, start, years=MAX_YEARS_AHEAD
        )
    return views.problem(language, error.key, **error.params)


def understood(language: str, step: str, values: dict[str, object], tz: ZoneInfo) -> str | None:
    """A typed start or end as the bot understood it, in words, to be confirmed by the admin."""
    start, end = moment(values, "starts_at"), moment(values, "ends_at")
    if step == "starts" and start is not None:
        return views.spelled(language, start, tz)
    if step == "ends" and start is not None and end is not None:
        return views.spelled_span(language, start, end, tz)
    return None


def optional(step: str) -> OptionalField | None:
    """The optional field a step asks for (it can be skipped or cleared), else None."""
    return _OPTIONAL.get(step)


def moment(values: dict[str, object], key: str) -> dt.datetime | None:
    """A stored start or end, if set."""
    raw = values.get(key)
    return dt.datetime.fromisoformat(raw) if isinstance(raw, str) else None


def typed(values: dict[str, object]) -> dict[str, object]:
    """Draft values (JSON) as workshop attributes."""
    out = {k: v for k, v in values.items() if k in STEP_ATTR.values()}
    for key in ("starts_at", "ends_at"):
        if isinstance(out.get(key), str):
            out[key] = moment(values, key)
    return out


def would_be(values: dict[str, object], region: Region) -> Workshop:
    """The workshop a new-workshop draft describes (for the preview)."""
    data: dict[str, object] = {"description": "", "venue": "", "address": ""}
    data |= {"registration_url": None, "capacity": None} | typed(values)
    return Workshop.model_validate(
        {
            "id": 0,
            "slug": "",
            "region_id": region.id,
            "region_name": region.name,
            "region_slug": region.slug,
            "status": "planned",
            "sequence": 0,
            **data,
        }
    )


def changed(workshop: Workshop, values: dict[str, object]) -> Workshop:
    """The workshop with the draft's new values."""
    return workshop.model_copy(update=typed(values))


def fields_of(workshop: Workshop) -> WorkshopFields:
    """What WorkshopService.create/update take."""
    return fields_from(WorkshopFields, workshop)


async def admin_begins(
    update: Update, context: Context, flow: str, step: str
) -> tuple[str, int] | None:
    """Begin an admin's dialogue at its first step: the admin's language and id; None after
    refusing anyone else."""
    found = await admin_of(update, context)
    if found is not None:
        await dialog.begin(context, found[1], flow, step)
    return found


async def admin_draft(update: Update, context: Context, flow: str) -> tuple[str, Draft] | None:
    """The admin's language and dialogue for a tap; None after refusing anyone else, or
    saying that the step is over (the dialogue has ended)."""
    found = await admin_of(update, context)
    if found is None:
        return None
    language, user_id = found
    draft = await dialog.current(context, user_id, flow)
    if draft is None:
        await stale(update, language)
        return None
    return language, draft


async def take(context: Context, user_id: int) -> bool:
    """End the user's dialogue; True only for the one caller that actually ended it."""
    data = context.bot_data
    taken = await data.drafts.clear(user_id)
    data.users_with_drafts.discard(user_id)
    return taken


async def stale(update: Update, language: str) -> None:
    """A button of a step that is over (tapped twice, or after /abbrechen)."""
    await answer(update, t(language, "admin.stale"))


async def ending(
    update: Update, context: Context, language: str, user_id: int, change: Awaitable[T]
) -> T | None:
    """Await a change that ends the admin's dialogue in its own transaction; None (the step
    said to be over) when a first tap had ended it already."""
    try:
        result = await change
    except DraftGone:
        await stale(update, language)
        return None
    context.bot_data.users_with_drafts.discard(user_id)
    return result


async def made(
    update: Update,
    context: Context,
    language: str,
    user_id: int,
    change: Awaitable[bool],
    not_made: str,
) -> bool:
    """Await a change of a workshop that ends the admin's dialogue; False when it was not
    made: a second tap (the step said to be over), or the workshop changed meanwhile (the
    dialogue closed with the text `not_made`)."""
    done = await ending(update, context, language, user_id, change)
    if done is False:
        async with best_effort(f"a workshop change not made ({not_made})"):
            await closing(update, language, not_made)
    return done is True


async def closing(update: Update, language: str, key: str) -> None:
    """The dialogue is over without the change: answer the tap, say why, offer the menu."""
    await answer(update)
    await show(update, t(language, key), main_menu_keyboard(language))


def cancel_row(language: str) -> list[Button]:
    """The dialogue's cancel button."""
    return [(label(language, "dialog.cancel_button"), DialogCancel())]


def form_cancel_row(language: str) -> list[Button]:
    """The cancel button of a form: asks before throwing filled-in answers away."""
    return [(label(language, "dialog.cancel_button"), FormCancel())]


def entered(language: str, step: str, values: dict[str, object], tz: ZoneInfo) -> str | None:
    """What a step of a form holds already (shown when the admin goes back to it)."""
    if step in ("starts", "ends"):
        return understood(language, step, values, tz)
    attr = STEP_ATTR.get(step)
    if attr is None or attr not in values:
        return None
    value = values[attr]
    if value is None or value == "":
        return t(language, "admin.unlimited" if step == "capacity" else "admin.none")
    return str(value)


def field_rows(
    language: str, fields: tuple[str, ...], action: type, *ids: int
) -> list[list[Button]]:
    """Buttons for the fields an admin can change, two per row."""
    buttons: list[Button] = [(label(language, f"admin.field.{f}"), action(*ids, f)) for f in fields]
    return [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
