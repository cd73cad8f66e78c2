"""Anti-spam limits such as `5/10m,30/1d`: at most N actions per time window, and their check
over a log of writes (shared by comments and proposals)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from storage.db import Database, Transaction
from storage.write_log import WriteLog, WriteTable

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


@dataclass(frozen=True)
class Reached:
    """A limit the person reached, and when it frees up."""

    limit: Limit
    free_at: dt.datetime

    @property
    def params(self) -> dict[str, object]:
        """The refusal's catalog parameters: count, window, free_at."""
        return {"count": self.limit.count, "window": self.limit.window, "free_at": self.free_at}


class WriteLimits:
    """Limits over a log of writes (comments, proposals): checked and recorded inside the
    writing transaction, so no two writes slip through; forgotten after the longest window."""

    def __init__(
        self,
        db: Database,
        table: WriteTable,
        limits: tuple[Limit, ...],
        clock: Callable[[], dt.datetime],
    ) -> None:
        self._db = db
        self.log = WriteLog(db, table)
        self._limits = limits
        self._clock = clock

    @property
    def kept(self) -> dt.timedelta | None:
        """How long a write counts against a limit (the longest window; None: no limits)."""
        return max((limit.window for limit in self._limits), default=None)

    async def reached(self, user_id: int, tx: Transaction | None = None) -> Reached | None:
        """The first limit the person reached, or None."""
        now = self._clock()
        for limit in self._limits:
            since = now - limit.window
            if await self.log.count_since(user_id, since, tx) >= limit.count:
                oldest = await self.log.oldest_since(user_id, since, tx)
                return Reached(limit, (oldest or now) + limit.window)
        return None

    async def record(self, tx: Transaction, user_id: int, now: dt.datetime) -> None:
        """Count a write (nothing is kept without limits), forgetting those too old."""
        kept = self.kept
        if kept is not None:
            await self.log.prune(tx, now - kept)
            await self.log.record(tx, user_id, now)

    async def forget_old(self) -> int:
        """Drop the writes older than the longest window, all of them without limits (daily)."""
        kept = self.kept
        async with self._db.transaction() as tx:
            return await self.log.prune(tx, None if kept is None else self._clock() - kept)

    async def counted_until(self, user_id: int) -> dt.datetime | None:
        """Until when the person's writes are remembered (None: not at all any more)."""
        latest = await self.log.latest(user_id)
        kept = self.kept
        if latest is None or kept is None or latest + kept <= self._clock():
            return None
        return latest + kept
