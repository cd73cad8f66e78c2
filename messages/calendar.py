"""A workshop as an iCalendar (.ics) file, with its time zone, for any calendar app."""

from __future__ import annotations

import datetime as dt
import html
from zoneinfo import ZoneInfo

from messages.catalog import t
from messages.content import localized, localized_long, region_name
from storage.models import Workshop

PRODID = "-//Ideenlabor-Bot//Ideenlabore NRW 4.0//DE"


def _plain(language: str, key: str, /, **params: object) -> str:
    """A catalog text as plain text (calendar files do not know HTML)."""
    return html.unescape(t(language, key, **params))


def workshop_ics(language: str, workshop: Workshop, tz: ZoneInfo, now: dt.datetime) -> bytes:
    """One VEVENT with a stable UID; SEQUENCE and STATUS let calendars apply changes."""
    # Imported on first use: icalendar (with its time-zone tables) is several MB that a process
    # serving citizens who never ask for a calendar file does not need.
    from icalendar import Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", f"workshop-{workshop.id}@ideenlabor-bot")
    event.add("dtstamp", now.astimezone(dt.UTC))
    if workshop.time_known:
        event.add("dtstart", workshop.starts_at.astimezone(tz))
        event.add("dtend", workshop.ends_at.astimezone(tz))
    else:  # only the day is known: an all-day event, not 00:00–24:00
        day = workshop.starts_at.astimezone(tz).date()
        event.add("dtstart", day)
        event.add("dtend", day + dt.timedelta(days=1))
    event.add("summary", localized(language, workshop.title, workshop.title_en))
    location = ", ".join(p for p in (workshop.venue, workshop.address) if p)
    if location:
        event.add("location", location)
    region = region_name(language, workshop.region_name, workshop.region_name_en)
    description = [_plain(language, "dates.calendar.region", region=region)]
    text = localized_long(language, workshop.description, workshop.description_en)
    if text:
        description += ["", text]
    if workshop.registration_url:
        description += ["", _plain(language, "dates.calendar.link", url=workshop.registration_url)]
        event.add("url", workshop.registration_url)
    event.add("description", "\n".join(description))
    event.add("sequence", workshop.sequence)
    event.add("status", "CANCELLED" if workshop.status == "cancelled" else "CONFIRMED")
    calendar.add_component(event)
    start = workshop.starts_at.astimezone(tz).date()
    calendar.add_missing_timezones(
        first_date=start - dt.timedelta(days=366),
        last_date=workshop.ends_at.astimezone(tz).date() + dt.timedelta(days=366),
    )
    return calendar.to_ical()


def ics_filename(workshop: Workshop) -> str:
    """ideenlabor-<slug>.ics (without repeating a leading "ideenlabor-")."""
    return f"ideenlabor-{workshop.slug.removeprefix('ideenlabor-')}.ics"
