"""Ideenlabore: the list of dates (all or by region), a date's detail, .ics, participant lists."""

from __future__ import annotations

import datetime as dt
import logging

from telegram import InputFile, Update

from bot.context import App, Context
from bot.logs import person
from handlers.buttons import on_tap, tapped_button_shown
from handlers.common import (
    answer,
    is_admin,
    language_of,
    private_command,
    refuse,
    show,
    show_main_menu,
)
from messages import actions as cb
from messages import workshops as views
from messages.calendar import ics_filename, workshop_ics
from messages.catalog import t
from messages.keyboards import Button, keyboard, menu_row, page_row
from messages.participants import csv_filename, participants_csv, participants_text
from messages.render import label
from storage.audit import AuditNote
from storage.models import UserWorkshopState, Workshop

logger = logging.getLogger(__name__)


def user_id_of(update: Update) -> int:
    """The id of the person who sent the update (0 if there is none)."""
    return update.effective_user.id if update.effective_user else 0


def closed_reason(language: str, workshop: Workshop, now: dt.datetime) -> str | None:
    """Why nobody can register for (or be reminded of) a workshop any more, or None."""
    if workshop.status == "cancelled":
        return t(language, "dates.answer.cancelled")
    if workshop.starts_at <= now:
        return t(language, "dates.answer.started")
    return None


async def dates_command(update: Update, context: Context) -> None:
    """/termine: upcoming workshops of all regions."""
    await show_list(update, context, await language_of(update, context), 0, 0)


async def show_list(
    update: Update, context: Context, language: str, region_id: int, page_number: int
) -> bool:
    """A page of upcoming workshops, all or of one region; False if the region is unknown."""
    data = context.bot_data
    region_name = None
    subscribed = False
    if region_id:
        region = await data.regions.get(region_id)
        if region is None:
            return False
        region_name = region.name
        mine = await data.workshops.repo.subscribed_regions(user_id_of(update))
        subscribed = region_id in {r for r, _ in mine}
    page = await data.workshops.repo.upcoming_page(data.clock(), region_id or None, page_number)
    tz = data.settings.tz
    rows: list[list[Button]] = [
        [(views.workshop_button(language, w, tz), cb.ShowWorkshop(w.id))] for w in page.items
    ]
    nav = page_row(language, page.page, page.page_count, lambda p: cb.WorkshopList(region_id, p))
    rows.append(nav)
    if region_id:
        key = "dates.button.unsubscribe" if subscribed else "dates.button.subscribe"
        rows.append([(label(language, key), cb.SubscribeRegion(region_id, 0 if subscribed else 1))])
        rows.append(
            [
                (label(language, "dates.button.all_regions"), cb.WorkshopRegions()),
                (label(language, "dates.button.all_dates"), cb.WorkshopList(0, 0)),
            ]
        )
    else:
        rows.append([(label(language, "dates.button.filter"), cb.WorkshopRegions())])
    rows += [[(label(language, "dates.button.my_dates"), cb.MyDates())], menu_row(language)]
    text = views.workshop_list(language, page, tz, region_name, subscribed)
    await show(update, text, keyboard(rows))
    return True


async def show_regions(update: Update, context: Context, language: str) -> None:
    """Every region with its number of upcoming workshops."""
    data = context.bot_data
    counts = await data.workshops.repo.upcoming_counts(data.clock())
    rows: list[list[Button]] = [
        [
            (
                label(language, "dates.button.region", name=r.name, count=counts.get(r.id, 0)),
                cb.WorkshopList(r.id, 0),
            )
        ]
        for r in await data.regions.list_with_counts()
    ]
    rows += [
        [(label(language, "dates.button.all_dates"), cb.WorkshopList(0, 0))],
        menu_row(language),
    ]
    await show(update, t(language, "dates.regions.title"), keyboard(rows))


def detail_rows(
    language: str, workshop: Workshop, state: UserWorkshopState, open_: bool, admin: bool
) -> list[list[Button]]:
    """The buttons under a workshop; registration and reminders only while it can be attended."""
    w_id = workshop.id
    rows: list[list[Button]] = []
    if open_:
        if state.registration == "confirmed":
            rows.append([(label(language, "dates.button.unregister"), cb.Unregister(w_id))])
        elif state.registration == "waiting":
            rows.append([(label(language, "dates.button.leave_waiting"), cb.Unregister(w_id))])
        else:
            key = "dates.button.register_waiting" if workshop.is_full else "dates.button.register"
            rows.append([(label(language, key), cb.Register(w_id))])
    if state.follows:
        rows.append([(label(language, "dates.button.unfollow"), cb.FollowWorkshop(w_id, 0))])
    elif open_ and state.registration != "confirmed":  # participants are reminded anyway
        rows.append([(label(language, "dates.button.follow"), cb.FollowWorkshop(w_id, 1))])
    key = "dates.button.unsubscribe" if state.subscribed_region else "dates.button.subscribe"
    on = 0 if state.subscribed_region else 1
    rows.append([(label(language, key), cb.SubscribeRegion(workshop.region_id, on))])
    rows.append([(label(language, "dates.button.calendar"), cb.WorkshopCalendar(w_id))])
    if admin:
        count = label(language, "dates.button.participants", count=workshop.confirmed)
        rows.append(
            [
                (count, cb.Participants(w_id)),
                (label(language, "dates.button.csv"), cb.ParticipantsCsv(w_id)),
            ]
        )
    rows.append(
        [
            (label(language, "dates.button.all_dates"), cb.WorkshopList(0, 0)),
            (label(language, "dates.button.my_dates"), cb.MyDates()),
        ]
    )
    rows.append(menu_row(language))
    return rows


async def show_detail(
    update: Update, context: Context, language: str, workshop_id: int, note: str | None = None
) -> bool:
    """One workshop with the user's relation to it; False if it does not exist."""
    data = context.bot_data
    workshop = await data.workshops.repo.get(workshop_id)
    if workshop is None:
        return False
    user_id = user_id_of(update)
    state = await data.workshops.repo.user_state(workshop_id, user_id)
    now = data.clock()
    open_ = closed_reason(language, workshop, now) is None
    rows = detail_rows(language, workshop, state, open_, await is_admin(context, user_id))
    text = views.detail_view(language, workshop, data.settings.tz, state, now, note)
    await show(update, text, keyboard(rows))
    return True


async def send_calendar(update: Update, context: Context, language: str, workshop_id: int) -> bool:
    """Send the workshop as an .ics document."""
    data = context.bot_data
    workshop = await data.workshops.repo.get(workshop_id)
    chat = update.effective_chat
    if workshop is None or chat is None:
        return False
    content = workshop_ics(language, workshop, data.settings.tz, data.clock())
    key = "cancelled_caption" if workshop.status == "cancelled" else "caption"
    caption = t(language, f"dates.calendar.{key}", title=workshop.title)
    await chat.send_document(InputFile(content, filename=ics_filename(workshop)), caption=caption)
    return True


async def participants(
    update: Update, context: Context, language: str, action: cb.Participants | cb.ParticipantsCsv
) -> bool:
    """Admin: the participant list of a workshop, shown or sent as a CSV document."""
    data = context.bot_data
    workshop = await data.workshops.repo.get(action.workshop_id)
    if workshop is None:
        return False
    registrations = await data.workshops.repo.participants(workshop.id)
    if isinstance(action, cb.Participants):
        rows: list[list[Button]] = [
            [(label(language, "dates.button.csv"), cb.ParticipantsCsv(workshop.id))],
            [(label(language, "dates.button.back_to_workshop"), cb.ShowWorkshop(workshop.id))],
            menu_row(language),
        ]
        text = participants_text(language, workshop, data.settings.tz, registrations)
        await show(update, text, keyboard(rows))
        return True
    chat = update.effective_chat
    if chat is None:
        return False
    content = participants_csv(registrations, data.settings.tz)
    caption = t(
        language, "dates.participants.csv_caption", title=workshop.title, count=len(registrations)
    )
    # Audited before the file leaves: an export that cannot be recorded does not happen.
    note = AuditNote.by_user(
        user_id_of(update),
        "export_participants",
        f"workshop:{workshop.id}",
        count=len(registrations),
    )
    await data.audit.add(note, data.clock())
    logger.info(
        "Participant list of workshop %s exported by %s", workshop.id, person(user_id_of(update))
    )
    await chat.send_document(InputFile(content, filename=csv_filename(workshop)), caption=caption)
    return True


async def gone(update: Update, language: str) -> None:
    """A button for a workshop or region that does not exist (any more)."""
    await answer(update, t(language, "dates.answer.not_found"))
    if tapped_button_shown(update):  # a forged button gets the short answer only
        await show_main_menu(update, language, "errors.not_found")


async def on_button(
    update: Update,
    context: Context,
    action: cb.WorkshopList
    | cb.WorkshopRegions
    | cb.ShowWorkshop
    | cb.WorkshopCalendar
    | cb.Participants
    | cb.ParticipantsCsv,
) -> None:
    """Browsing dates, a date's detail, the calendar file, the admins' participant lists."""
    language = await language_of(update, context)
    found, toast = True, None
    match action:
        case cb.WorkshopList(region_id=region_id, page=page):
            found = await show_list(update, context, language, region_id, page)
        case cb.WorkshopRegions():
            await show_regions(update, context, language)
        case cb.ShowWorkshop(workshop_id=workshop_id):
            found = await show_detail(update, context, language, workshop_id)
        case cb.WorkshopCalendar(workshop_id=workshop_id):
            found = await send_calendar(update, context, language, workshop_id)
            toast = t(language, "dates.answer.calendar")
        case cb.Participants() | cb.ParticipantsCsv():
            if not await is_admin(context, user_id_of(update)):
                await refuse(update, context, language)
                return
            found = await participants(update, context, language, action)
    if found:
        await answer(update, toast)
    else:
        logger.info("Workshop button for something that does not exist: %r", action)
        await gone(update, language)


def register(app: App) -> None:
    """/termine and the buttons that show dates (handlers.my_dates changes the user's own)."""
    app.add_handler(private_command(["termine", "dates"], dates_command))
    app.add_handler(on_tap(on_button))
