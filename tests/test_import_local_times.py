"""`ideenlabor import`: local times that do not exist or exist twice (DST) are refused."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.cli import main
from storage.timeutil import wall_clock_problem

from stories.imports import env, refused_entry, stored, workshop, write

__all__ = ["env", "refused_entry"]  # the fixtures, used by name

BERLIN = ZoneInfo("Europe/Berlin")


@pytest.mark.parametrize(
    ("entry", "error"),
    [
        (
            workshop(starts_at="2027-03-28T02:30", ends_at="2027-03-28T05:00"),
            "workshops[1].starts_at: 2027-03-28 02:30 does not exist in Europe/Berlin"
            " (the clocks go forward that night, from UTC+01:00 to UTC+02:00)",
        ),
        (
            workshop(starts_at="2027-03-27T22:00", ends_at="2027-03-28T02:00"),
            "workshops[1].ends_at: 2027-03-28 02:00 does not exist in Europe/Berlin",
        ),
        (
            workshop(starts_at="2027-10-31T02:30", ends_at="2027-10-31T05:00"),
            "workshops[1].starts_at: 2027-10-31 02:30 is ambiguous in Europe/Berlin (the clocks"
            " go back that night, so it comes twice); give the UTC offset:"
            " 2027-10-31T02:30+02:00 (the first) or 2027-10-31T02:30+01:00 (the second)",
        ),
    ],
)
def test_times_that_do_not_exist_or_come_twice_are_refused_with_their_location(
    refused_entry: Callable[[dict[str, object]], str], entry: dict[str, object], error: str
) -> None:
    err = refused_entry(entry)
    assert error in err, err


def test_an_explicit_offset_resolves_the_ambiguous_time(env: Path, tmp_path: Path) -> None:
    first = workshop(
        slug="erste", starts_at="2027-10-31T02:30+02:00", ends_at="2027-10-31T05:00+01:00"
    )
    second = workshop(
        slug="zweite", starts_at="2027-10-31T02:30+01:00", ends_at="2027-10-31T05:00+01:00"
    )
    assert main(["import", str(write(tmp_path, first, second))]) == 0
    (one, _), (two, _) = stored(env)
    assert one.starts_at == dt.datetime(2027, 10, 31, 0, 30, tzinfo=dt.UTC)
    assert two.starts_at == dt.datetime(2027, 10, 31, 1, 30, tzinfo=dt.UTC)


def test_the_hours_around_the_changes_are_fine(env: Path, tmp_path: Path) -> None:
    spring = workshop(slug="fruehling", starts_at="2027-03-28T03:00", ends_at="2027-03-28T05:00")
    autumn = workshop(slug="herbst", starts_at="2027-10-31T01:59", ends_at="2027-10-31T03:00")
    assert main(["import", str(write(tmp_path, spring, autumn))]) == 0
    (one, _), (two, _) = stored(env)
    assert one.starts_at == dt.datetime(2027, 3, 28, 1, 0, tzinfo=dt.UTC)  # 03:00 CEST
    assert two.starts_at == dt.datetime(2027, 10, 30, 23, 59, tzinfo=dt.UTC)  # 01:59 CEST
    assert two.ends_at == dt.datetime(2027, 10, 31, 2, 0, tzinfo=dt.UTC)  # 03:00 CET


@pytest.mark.parametrize(
    ("naive", "problem"),
    [
        (dt.datetime(2027, 3, 28, 1, 59), None),
        (dt.datetime(2027, 3, 28, 2, 0), "nonexistent"),
        (dt.datetime(2027, 3, 28, 2, 59), "nonexistent"),
        (dt.datetime(2027, 3, 28, 3, 0), None),
        (dt.datetime(2027, 10, 31, 1, 59), None),
        (dt.datetime(2027, 10, 31, 2, 0), "ambiguous"),
        (dt.datetime(2027, 10, 31, 2, 59), "ambiguous"),
        (dt.datetime(2027, 10, 31, 3, 0), None),
        (dt.datetime(2027, 5, 12, 14, 0), None),
    ],
)
def test_wall_clock_problem(naive: dt.datetime, problem: str | None) -> None:
    assert wall_clock_problem(naive, BERLIN) == problem
