"""Dates and times as admins type them in German ("12.05.2027 14:00", "12.5.27 14 Uhr")."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

from storage.timeutil import wall_clock_problem

MAX_YEARS_AHEAD = 5

_DATE_DE = r"(?P<day>\d{1,2})\.\s?(?P<month>\d{1,2})\.(?:\s?(?P<year>\d{4}|\d{2}))?"
_DATE_ISO = r"(?P<iyear>\d{4})-(?P<imonth>\d{1,2})-(?P<iday>\d{1,2})"
_TIME = r"(?P<hour>\d{1,2})(?:[:.](?P<minute>\d{2}))?\s?h?"
_WEEKDAY = r"(?:(?P<weekday>[a-zäöüß]{2,10})\.?\s+)?"
_DATE_TIME = re.compile(rf"^{_WEEKDAY}(?:{_DATE_DE}|{_DATE_ISO})(?:\s+|t)(?:um\s+)?{_TIME}$")
_DATE_ONLY = re.compile(rf"^{_WEEKDAY}(?:{_DATE_DE}|{_DATE_ISO})$")
_TIME_ONLY = re.compile(rf"^(?:um\s+)?{_TIME}$")

_WEEKDAYS = {
    0: ("mo", "mon", "montag", "monday"),
    1: ("di", "die", "dienstag", "tue", "tues", "tuesday"),
    2: ("mi", "mit", "mittwoch", "wed", "wednesday"),
    3: ("do", "don", "donnerstag", "thu", "thurs", "thursday"),
    4: ("fr", "fre", "freitag", "fri", "friday"),
    5: ("sa", "sam", "samstag", "sonnabend", "sat", "saturday"),
    6: ("so", "son", "sonntag", "sun", "sunday"),
}
_WEEKDAY_NUMBER = {name: number for number, names in _WEEKDAYS.items() for name in names}


class DateInputError(ValueError):
    """Why a typed date or time was not accepted; `reason` is a catalog key suffix."""

    def __init__(self, reason: str, day: dt.date | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.day = day  # the date meant, where it helps the explanation (weekday_mismatch)


def _normalise(text: str) -> str:
    """Lower case, single spaces, without "Uhr", commas and a trailing full stop after a time."""
    text = text.strip().lower().replace(",", " ").replace("\u00a0", " ")
    text = re.sub(r"\s*\buhr\b\.?", "", text)
    return " ".join(text.split())


def _time_of(hour: str, minute: str | None) -> dt.time:
    h, m = int(hour), int(minute or 0)
    if not (0 <= h <= 23 and 0 <= m <= 59):
        raise DateInputError("invalid_time")
    return dt.time(h, m)


def parse_time(text: str) -> dt.time:
    """A time of day: "18:00", "18 Uhr", "18.30", "um 18:00 Uhr", "18h"."""
    match = _TIME_ONLY.match(_normalise(text))
    if match is None:
        raise DateInputError("unparsable")
    return _time_of(match["hour"], match["minute"])


def localize(day: dt.date, time: dt.time, tz: ZoneInfo) -> dt.datetime:
    """A local wall-clock time as an aware UTC moment; missing (DST gap) times are refused."""
    naive = dt.datetime.combine(day, time)
    if wall_clock_problem(naive, tz) == "nonexistent":
        raise DateInputError("nonexistent_time")
    # fold=0: an ambiguous autumn time is the first (summer time).
    return naive.replace(tzinfo=tz).astimezone(dt.UTC)


def _year(raw: str | None) -> int | None:
    """A four-digit year; two digits mean this century ("27" is 2027)."""
    if raw is None:
        return None
    return 2000 + int(raw) if len(raw) == 2 else int(raw)


def _date_of(match: re.Match[str], now_local: dt.datetime) -> tuple[dt.date, bool]:
    """The date in the match and whether its year was given."""
    if match["iyear"] is not None:
        parts = (int(match["iyear"]), int(match["imonth"]), int(match["iday"]))
        given = True
    else:
        year = _year(match["year"])
        given = year is not None
        parts = (year or now_local.year, int(match["month"]), int(match["day"]))
    try:
        return dt.date(*parts), given
    except ValueError:
        raise DateInputError("invalid_date") from None


def _check_weekday(raw: str | None, day: dt.date) -> None:
    if raw is None:
        return
    number = _WEEKDAY_NUMBER.get(raw)
    if number is None:
        raise DateInputError("unparsable")
    if number != day.weekday():
        raise DateInputError("weekday_mismatch", day)


def parse_date_time(text: str, tz: ZoneInfo, now: dt.datetime) -> dt.datetime:
    """A future moment from "12.05.2027 14:00", "12.5.27 14 Uhr", "2027-05-12 14:00", ...

    Interpreted in tz and returned aware in UTC. Without a year, the next such day is meant.
    """
    normalised = _normalise(text)
    match = _DATE_TIME.match(normalised)
    if match is None:
        raise DateInputError("missing_time" if _DATE_ONLY.match(normalised) else "unparsable")
    now_local = now.astimezone(tz)
    day, year_given = _date_of(match, now_local)
    time = _time_of(match["hour"], match["minute"])
    if not year_given and dt.datetime.combine(day, time) <= now_local.replace(tzinfo=None):
        try:
            day = day.replace(year=day.year + 1)
        except ValueError:  # 29 February
            raise DateInputError("invalid_date") from None
    _check_weekday(match["weekday"], day)
    moment = localize(day, time, tz)
    if moment <= now:
        raise DateInputError("past")
    if day.year > now_local.year + MAX_YEARS_AHEAD:
        raise DateInputError("too_far")
    return moment


def parse_end(text: str, start: dt.datetime, tz: ZoneInfo, now: dt.datetime) -> dt.datetime:
    """The end: a time on the start's (local) day, or a full date and time; after the start."""
    if _TIME_ONLY.match(_normalise(text)):
        end = localize(start.astimezone(tz).date(), parse_time(text), tz)
    else:
        end = parse_date_time(text, tz, now)
    if end <= start:
        raise DateInputError("end_before_start")
    return end
