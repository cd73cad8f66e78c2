"""How moments are stored: UTC, fixed-width ISO 8601, so text order is time order."""

from __future__ import annotations

import datetime as dt
from typing import Literal
from zoneinfo import ZoneInfo


def to_db(moment: dt.datetime) -> str:
    """An aware datetime as stored text (UTC, microseconds, 'Z')."""
    if moment.tzinfo is None:
        raise ValueError("naive datetimes are not stored")
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def from_db(text: str) -> dt.datetime:
    """Stored text back to an aware UTC datetime."""
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(dt.UTC)


WallClockProblem = Literal["nonexistent", "ambiguous"]


def wall_clock_problem(naive: dt.datetime, tz: ZoneInfo) -> WallClockProblem | None:
    """Whether a local time is skipped (clocks go forward) or comes twice (clocks go back) in tz.

    A skipped time does not survive the round trip through UTC; a repeated one has a different
    UTC offset for its first (fold=0) and second (fold=1) occurrence.
    """
    first = naive.replace(tzinfo=tz, fold=0)
    if first.astimezone(dt.UTC).astimezone(tz).replace(tzinfo=None) != naive.replace(fold=0):
        return "nonexistent"
    if first.utcoffset() != naive.replace(tzinfo=tz, fold=1).utcoffset():
        return "ambiguous"
    return None
