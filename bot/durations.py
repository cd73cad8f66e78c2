"""Durations in settings: a number and a unit, `30s`, `90m`, `24h`, `7d` (as in the reminders)."""

from __future__ import annotations

import datetime as dt
import re

_DURATION = re.compile(r"^(\d{1,6})([smhd])$")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}


def parse_duration(text: str) -> dt.timedelta:
    """`90m` as 90 minutes; raise ValueError for anything else."""
    match = _DURATION.match(text.strip().lower())
    if match is None:
        raise ValueError(f"'{text}' is not a duration such as 90m, 24h or 7d")
    return dt.timedelta(**{_UNITS[match.group(2)]: int(match.group(1))})
