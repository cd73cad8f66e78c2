"""Reminder schedules: parsing and due times across time zones and DST."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from bot.reminders import DEFAULT_SCHEDULE, parse_schedule, reminder_times

BERLIN = ZoneInfo("Europe/Berlin")


def local(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, second, tzinfo=BERLIN)


def test_default_schedule_is_seven_and_one_day_before_at_nine() -> None:
    start = local(2027, 5, 12, 14, 0)
    times = reminder_times(parse_schedule(DEFAULT_SCHEDULE), start, BERLIN, local(2027, 1, 1, 0, 0))
    assert [(label, due.astimezone(BERLIN)) for label, due in times] == [
        ("7d@09:00", local(2027, 5, 5, 9, 0)),
        ("1d@09:00", local(2027, 5, 11, 9, 0)),
    ]
    assert all(due.tzinfo == dt.UTC for _, due in times)


def test_durations_count_back_from_the_start() -> None:
    start = local(2027, 5, 12, 14, 0)
    times = reminder_times(parse_schedule("90m, 2h,1d,30s"), start, BERLIN, local(2027, 1, 1, 0, 0))
    assert [(label, due.astimezone(BERLIN)) for label, due in times] == [
        ("1d", local(2027, 5, 11, 14, 0)),
        ("2h", local(2027, 5, 12, 12, 0)),
        ("90m", local(2027, 5, 12, 12, 30)),
        ("30s", local(2027, 5, 12, 13, 59, 30)),
    ]


def test_local_time_is_kept_across_a_dst_change() -> None:
    start = local(2027, 3, 30, 10, 0)  # summer time began on 28 March 2027
    times = dict(reminder_times(parse_schedule("7d@09:00"), start, BERLIN, local(2027, 1, 1, 0, 0)))
    assert times["7d@09:00"] == dt.datetime(2027, 3, 23, 8, 0, tzinfo=dt.UTC)  # 09:00 CET


def test_a_workshop_created_less_than_a_day_ahead_gets_only_future_reminders() -> None:
    now = local(2027, 5, 11, 18, 0)
    start = local(2027, 5, 12, 14, 0)
    times = reminder_times(parse_schedule("7d@09:00,1d@09:00,2h"), start, BERLIN, now)
    assert [label for label, _ in times] == ["2h"]


@pytest.mark.parametrize("bad", ["7x", "d@09:00", "7d@25:00", "7d@9", "0m", "1h,1h", "abc"])
def test_bad_schedules_are_refused_with_the_entry(bad: str) -> None:
    with pytest.raises(ValueError, match=r"'|twice"):
        parse_schedule(bad)
