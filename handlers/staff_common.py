"""Shared parts of the staff dialogues (ideas, working groups, profiles): who may do what,
refusing, explaining a text outside its limits, the buttons of a dialogue.

Admins maintain every region, a region's contacts their own. The roles are read at every
command, button and typed answer (never cached), and the services check them again inside
the change's transaction.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import TypeVar

from telegram import Update

from bot.context import Context
from bot.logs import person
from bot.services.staff import (
    ChangeRefusedError,
    InvalidTextError,
    NotAllowedError,
    Staff,
    TextLimit,
)
from handlers import dialog
from handlers.common import answer, language_of, refuse, reply
from messages.actions import AnswerKind, DialogCancel, StaffAnswer
from messages.catalog import t
from messages.keyboards import Button, main_menu_keyboard
from messages.render import button_label, label
from storage.drafts import DraftGone
from storage.models import Draft, Region

logger = logging.getLogger(__name__)

T = TypeVar("T")
Again = Callable[[str], Awaitable[None]]  # ask the current step again, with what was wrong


@dataclass(frozen=True)
class Tap:
    """A button tapped in a staff dialogue: the person's draft, language and roles (read now),
    and what the button answers; handlers.staff_answers hands it to the draft's dialogue."""

    draft: Draft
    language: str
    staff: Staff
    kind: AnswerKind
    value: int

    @property
    def step(self) -> str:
        """The step the dialogue is at."""
        return self.draft.step


async def staff_of(context: Context, user_id: int) -> Staff:
    """The person's staff roles, read now."""
    return await context.bot_data.idea_staff.staff(user_id)


async def staff_language(update: Update, context: Context) -> tuple[str, Staff] | None:
    """The language and roles of an admin or contact; anyone else is refused (logged)."""
    language = await language_of(update, context)
    user = update.effective_user
    staff = await staff_of(context, user.id) if user is not None else None
    if staff is None or not staff.is_staff:
        await refuse(update, context, language)
        return None
    return language, staff


async def refuse_region(update: Update, context: Context, language: str) -> None:
    """A contact reaching for another region: a clear no (logged without content)."""
    user = update.effective_user
    logger.warning(
        "Refused staff action outside the person's regions by user %s",
        person(user.id if user else None),
    )
    if user is not None:
        await dialog.finish(context, user.id)
    if update.callback_query is not None:
        await answer(update, t(language, "staff.not_your_region"))
    await reply(update, t(language, "staff.not_your_region"), main_menu_keyboard(language))


async def still_allowed(
    update: Update,
    context: Context,
    draft: Draft,
    language: str,
    region_id: int | None,
    *,
    any_region: bool = False,
) -> bool:
    """Whether the person still maintains the region of their open dialogue (any_region:
    whether they still are staff at all); if not, the dialogue ends with a refusal (a role
    revoked meanwhile)."""
    staff = await staff_of(context, draft.user_id)
    if staff.may(region_id) or (any_region and staff.is_staff):
        return True
    await dialog.finish(context, draft.user_id)
    if staff.is_staff:
        await refuse_region(update, context, language)
    else:
        await refuse(update, context, language)
    return False


async def regions_of(context: Context, staff: Staff) -> list[Region]:
    """The regions the person maintains, in the regions' order (admins: all)."""
    regions = await context.bot_data.regions.list_with_counts()
    return [r for r in regions if staff.may(r.id)]


async def region_rows(context: Context, staff: Staff) -> list[list[Button]]:
    """A button for each region the person maintains."""
    regions = await regions_of(context, staff)
    return [[plain_choice(button_label(r.name), "region", r.id)] for r in regions]


async def challenge_rows(context: Context, language: str) -> list[list[Button]]:
    """A button for each challenge, and one for none."""
    challenges = await context.bot_data.ideas.challenges()
    rows = [[plain_choice(button_label(c.title), "challenge", c.id)] for c in challenges]
    rows.append([choice(language, "idea_staff.button.no_challenge", "challenge", 0)])
    return rows


async def idea_field_rows(
    context: Context, language: str, staff: Staff, fields: tuple[str, ...]
) -> list[list[Button]]:
    """A button for each of an idea's fields, two a row (its region only for someone who
    maintains several regions)."""
    several = len(await regions_of(context, staff)) > 1
    buttons = [
        choice(language, f"idea_staff.field.{field}", "field", number)
        for number, field in enumerate(fields)
        if field != "region" or several
    ]
    return [buttons[i : i + 2] for i in range(0, len(buttons), 2)]


def explain(language: str, error: InvalidTextError) -> str:
    """Why a text was not taken, with the limits."""
    return "⚠️ " + t(
        language,
        f"staff.error.{error.key}",
        count=error.length,
        min=error.limit.min,
        max=error.limit.max,
    )


async def typed_text(
    language: str, step: str, text: str, limits: Mapping[str, TextLimit], again: Again
) -> str | None:
    """The text typed at a step, tidied by the step's limits; None after asking the step
    again with what was wrong (a step answered with buttons, a text outside its limits)."""
    if step not in limits:
        await again("⚠️ " + t(language, "staff.error.use_buttons"))
        return None
    try:
        return limits[step].clean(step, text)
    except InvalidTextError as exc:
        await again(explain(language, exc))
        return None


def choice(language: str, key: str, kind: AnswerKind, value: int = 0, **params: object) -> Button:
    """A button answering the current dialogue."""
    return (label(language, key, **params), StaffAnswer(kind, value))


def plain_choice(text: str, kind: AnswerKind, value: int = 0) -> Button:
    """A button answering the current dialogue, labelled with a name (a region, a status)."""
    return (text, StaffAnswer(kind, value))


def cancel_row(language: str) -> list[Button]:
    """The dialogue's cancel button."""
    return [(label(language, "dialog.cancel_button"), DialogCancel())]


def data_int(draft: Draft, key: str) -> int | None:
    """A whole number kept in the draft, if there is one."""
    value = draft.data.get(key)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def data_str(draft: Draft, key: str) -> str:
    """A text kept in the draft ('' if none)."""
    value = draft.data.get(key)
    return value if isinstance(value, str) else ""


async def committed(
    update: Update,
    context: Context,
    language: str,
    user_id: int,
    change: Awaitable[T],
    *,
    ends_dialogue: bool = True,
) -> T | None:
    """Run a change (that ends the person's dialogue in its own transaction, unless told
    otherwise); None if it was not made, after saying why (a second tap, a role revoked, the
    thing gone or changed)."""
    try:
        result = await change
    except DraftGone:
        await answer(update, t(language, "admin.stale"))
        return None
    except NotAllowedError:
        await refuse_region(update, context, language)
        return None
    except InvalidTextError as exc:  # the dialogue checks first; a value from elsewhere may not fit
        await answer(update)
        await reply(update, explain(language, exc))
        return None
    except ChangeRefusedError as exc:  # rolled back with the draft's end: end it now
        if ends_dialogue:
            await dialog.finish(context, user_id)
        text = t(language, f"staff.refused.{exc.key}")
        await answer(update)
        await reply(update, text, main_menu_keyboard(language))
        return None
    if ends_dialogue:
        context.bot_data.users_with_drafts.discard(user_id)
    return result
