"""Reminder schedules: `7d@09:00` (days before, at a local time) or a duration (`90m`, `2h`).

Durations also take seconds (`30s`), for trying the reminders out with a short schedule.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from storage.models import Reminder

DEFAULT_SCHEDULE = "7d@09:00,1d@09:00"

_AT = re.compile(r"^(\d{1,3})d@([01]?\d|2[0-3]):([0-5]\d)$")
_DURATION = re.compile(r"^(\d{1,5})([smhd])$")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}


@dataclass(frozen=True)
class Offset:
    """One entry of the schedule."""

    label: str
    days: int = 0
    at: dt.time | None = None  # local time of day, for the "Nd@HH:MM" form
    before: dt.timedelta = dt.timedelta(0)  # for plain durations

    def due(self, start: dt.datetime, tz: ZoneInfo) -> dt.datetime:
        """When the reminder for a workshop starting at start is due (UTC)."""
        if self.at is None:
            return (start - self.before).astimezone(dt.UTC)
        local_day = start.astimezone(tz).date() - dt.timedelta(days=self.days)
        return dt.datetime.combine(local_day, self.at, tzinfo=tz).astimezone(dt.UTC)


def parse_schedule(text: str) -> tuple[Offset, ...]:
    """Parse a comma-separated schedule; raise ValueError naming the bad entry."""
    offsets: list[Offset] = []
    for raw in text.split(","):
        entry = raw.strip().lower()
        if not entry:
            continue
        if match := _AT.match(entry):
            days, hour, minute = (int(g) for g in match.groups())
            label = f"{days}d@{hour:02d}:{minute:02d}"
            offsets.append(Offset(label, days=days, at=dt.time(hour, minute)))
        elif match := _DURATION.match(entry):
            amount, unit = int(match.group(1)), match.group(2)
            if amount == 0:
                raise ValueError(f"'{raw.strip()}' is zero: a reminder must come before the start")
            delta = dt.timedelta(**{_UNITS[unit]: amount})
            offsets.append(Offset(f"{amount}{unit}", before=delta))
        else:
            raise ValueError(
                f"'{raw.strip()}' is not a reminder offset (use e.g. 7d@09:00, 1d@09:00, 90m, 2h)"
            )
    labels = [o.label for o in offsets]
    if len(set(labels)) != len(labels):
        raise ValueError("the schedule names the same offset twice")
    return tuple(offsets)


def reminder_times(
    schedule: tuple[Offset, ...], start: dt.datetime, tz: ZoneInfo, now: dt.datetime
) -> list[tuple[str, dt.datetime]]:
    """(label, due time) for every reminder still in the future and before the start."""
    times = []
    for offset in schedule:
        due = offset.due(start, tz)
        if now < due < start:
            times.append((offset.label, due))
    return sorted(times, key=lambda item: item[1])


@dataclass(frozen=True)
class ReminderSync:
    """How a workshop's reminder rows must change to follow the configured schedule."""

    add: tuple[tuple[str, dt.datetime], ...] = ()  # (label, due): new, or a dropped one again
    move: tuple[tuple[int, dt.datetime], ...] = ()  # (reminder id, new due) of pending rows
    drop: tuple[int, ...] = ()  # pending rows no longer in the schedule, or now in the past


def sync_plan(
    schedule: tuple[Offset, ...],
    start: dt.datetime,
    tz: ZoneInfo,
    now: dt.datetime,
    rows: Sequence[Reminder],
) -> ReminderSync:
    """Bring an upcoming workshop's reminders in line with the schedule (after a restart).

    A slot is its label: one that was sent ("done") is never planned again; a new one is
    planned only if its time is still ahead (none is sent late); a pending one that left the
    schedule, or that a new time zone moved into the past, goes. A pending one whose time has
    passed unchanged (the bot was down) stays and goes out now, as before.
    """
    wanted = dict(reminder_times(schedule, start, tz, now))
    by_label = {row.label: row for row in rows}
    add = tuple(
        (label, due)
        for label, due in wanted.items()
        if label not in by_label or by_label[label].state == "dropped"
    )
    move: list[tuple[int, dt.datetime]] = []
    drop: list[int] = []
    dues = {offset.label: offset.due(start, tz) for offset in schedule}
    for row in rows:
        if row.state != "pending":
            continue
        due = dues.get(row.label)
        if due is None:  # no longer in the schedule
            drop.append(row.id)
        elif due != row.due_at:  # another time zone: another moment
            if row.label in wanted:
                move.append((row.id, due))
            else:
                drop.append(row.id)
    return ReminderSync(add=add, move=tuple(move), drop=tuple(drop))
