"""Anti-spam limits such as `5/10m,30/1d`: at most N actions per time window."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

_RULE = re.compile(r"^(\d{1,5})/(\d{1,5})([smhd])$")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}


@dataclass(frozen=True)
class Limit:
    """At most `count` within `window`."""

    count: int
    window: dt.timedelta


def parse_limits(text: str) -> tuple[Limit, ...]:
    """Parse `5/10m,30/1d`; raise ValueError naming the bad entry."""
    limits = []
    for raw in text.split(","):
        entry = raw.strip().lower()
        if not entry:
            continue
        match = _RULE.match(entry)
        if match is None or int(match.group(1)) == 0 or int(match.group(2)) == 0:
            raise ValueError(f"'{raw.strip()}' is not a limit (use e.g. 5/10m or 30/1d)")
        amount = int(match.group(2))
        limits.append(Limit(int(match.group(1)), dt.timedelta(**{_UNITS[match.group(3)]: amount})))
    return tuple(limits)
