"""Dates and times as admins type them: "12.05.2027 14:00", "12.5.27 14 Uhr", and in words
("morgen 14 Uhr", "Freitag 10:00", "tomorrow 2pm", "20 Jan 2027 14:00") through dateparser."""

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
# "14 Uhr" / "14.30 Uhr" as dateparser reads them ("14:00"); it takes "14 Uhr" for the 14th.
_UHR = re.compile(r"\b(\d{1,2})(?:[.:](\d{2}))?\s*uhr\b\.?", re.IGNORECASE)
_LANGUAGES = ("de", "en")
_MAX_WORDS_INPUT = 60  # longer text is no date; dateparser gets slow on long input
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
    """A local wall-clock time as an aware UTC moment.

    A time that does not exist (clocks go forward) or comes twice (clocks go back) on the day
    the clocks change is refused: guessing would put the Ideenlabor an hour off.
    """
    naive = dt.datetime.combine(day, time)
    problem = wall_clock_problem(naive, tz)
    if problem is not None:  # skipped in spring, or twice in autumn: the admin must choose
        raise DateInputError(f"{problem}_time", day)
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


def parse_date_time(text: str, tz: ZoneInfo, now: dt.datetime, language: str = "de") -> dt.datetime:
    """A future moment from "12.05.2027 14:00", "12.5.27 14 Uhr", "2027-05-12 14:00", or in
    words ("morgen 14 Uhr", "tomorrow 2pm"; the admin's language is tried first).

    Interpreted in tz and returned aware in UTC. Without a year, the next such day is meant.
    """
    normalised = _normalise(text)
    match = _DATE_TIME.match(normalised)
    if match is None:
        if _DATE_ONLY.match(normalised):
            raise DateInputError("missing_time")
        if _TIME_ONLY.match(normalised):  # a start needs its day
            raise DateInputError("unparsable")
        return _in_words(text, tz, now, language)
    now_local = now.astimezone(tz)
    day, year_given = _date_of(match, now_local)
    time = _time_of(match["hour"], match["minute"])
    if not year_given and dt.datetime.combine(day, time) <= now_local.replace(tzinfo=None):
        try:
            day = day.replace(year=day.year + 1)
        except ValueError:  # 29 February
            raise DateInputError("invalid_date") from None
    _check_weekday(match["weekday"], day)
    return _checked(day, time, tz, now)


def _checked(day: dt.date, time: dt.time, tz: ZoneInfo, now: dt.datetime) -> dt.datetime:
    """The moment, if it exists once, lies ahead, and not too far."""
    moment = localize(day, time, tz)
    if moment <= now:
        raise DateInputError("past")
    if day.year > now.astimezone(tz).year + MAX_YEARS_AHEAD:
        raise DateInputError("too_far")
    return moment


def _in_words(
    text: str, tz: ZoneInfo, now: dt.datetime, language: str, base: dt.datetime | None = None
) -> dt.datetime:
    """ "morgen 14 Uhr", "Freitag 10:00", "tomorrow 2pm", "20 Jan 2027 14:00" (dateparser).

    Weekdays and relative days are the next ones (PREFER_DATES_FROM future), counted from now
    in the bot's time zone (from base, if given: an end's "5pm" is on the start's day); a day
    without a time of day is refused, not guessed. dateparser
    loads a language's data on first use (~0.5 s once per process), then takes ~2 ms.
    """
    prepared = _UHR.sub(lambda m: f"{m[1]}:{m[2] or '00'}", " ".join(text.split()))
    if len(prepared) > _MAX_WORDS_INPUT:
        raise DateInputError("unparsable")
    languages = [language, *(code for code in _LANGUAGES if code != language)]
    settings = {
        "PREFER_DATES_FROM": "future",
        "RELATIVE_BASE": (base or now).astimezone(tz).replace(tzinfo=None, second=0, microsecond=0),
        "DATE_ORDER": "DMY",
        "RETURN_TIME_AS_PERIOD": True,
    }
    # Imported here: dateparser (with regex and pytz) is ~11 MB that only an admin typing a
    # date in words needs, not every process that shows citizens the map.
    from dateparser.date import DateDataParser

    found = DateDataParser(languages=languages, settings=settings).get_date_data(prepared)
    if found.date_obj is None:
        raise DateInputError("unparsable")
    if found.period != "time":  # "morgen", or a number dateparser took for a day
        raise DateInputError("missing_time")
    moment = found.date_obj.replace(tzinfo=None, second=0, microsecond=0)
    return _checked(moment.date(), moment.time(), tz, now)


def parse_end(
    text: str, start: dt.datetime, tz: ZoneInfo, now: dt.datetime, language: str = "de"
) -> dt.datetime:
    """The end: a time on the start's (local) day, or a full date and time; after the start."""
    normalised = _normalise(text)
    if _TIME_ONLY.match(normalised):
        end = localize(start.astimezone(tz).date(), parse_time(text), tz)
    elif _DATE_TIME.match(normalised) or _DATE_ONLY.match(normalised):
        end = parse_date_time(text, tz, now, language)
    else:  # in words ("5pm", "17 Uhr 30"), counted from the start
        end = _in_words(text, tz, now, language, base=start)
    if end <= start:
        raise DateInputError("end_before_start")
    return end
