"""The Rückblick: past Ideenlabore, overall and per region, newest first, with their ideas.

Past means ended before now and not cancelled: imported past workshops and the bot's own
workshops once they are over alike.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from storage.ideas import LIVE, SUMMARY_COLUMNS, summary
from storage.models import IdeaSummary, PastWorkshop, PastWorkshopPage, Workshop
from storage.repository import Repository, page_bounds
from storage.timeutil import to_db
from storage.workshops import WORKSHOP_SELECT

PAGE_SIZE = 5
_PAST = "w.ends_at <= ? AND w.status != 'cancelled'"


class PastWorkshopRepository(Repository):
    """Read access to past workshops."""

    async def page(
        self, now: dt.datetime, region_id: int | None, page: int, page_size: int = PAGE_SIZE
    ) -> PastWorkshopPage:
        """Past workshops (of one region, or all), newest first, each with its ideas."""
        where, params = self._where(now, region_id)
        total = await self._count(where, params)
        page, page_count = page_bounds(total, page, page_size)
        rows = await self._db.fetchall(
            f"{WORKSHOP_SELECT} WHERE {where} ORDER BY w.starts_at DESC, w.id DESC"
            " LIMIT ? OFFSET ?",
            (*params, page_size, page * page_size),
        )
        workshops = [Workshop.of(r) for r in rows]
        ideas = await self.ideas_of([w.id for w in workshops])
        items = tuple(PastWorkshop(workshop=w, ideas=ideas.get(w.id, ())) for w in workshops)
        return PastWorkshopPage(items=items, page=page, page_count=page_count, total=total)

    async def count(self, now: dt.datetime, region_id: int | None = None) -> int:
        """How many past workshops there are (in one region, or all)."""
        where, params = self._where(now, region_id)
        return await self._count(where, params)

    async def counts(self, now: dt.datetime) -> dict[int, int]:
        """Region id → number of past workshops (regions without any omitted)."""
        rows = await self._db.fetchall(
            f"SELECT w.region_id, COUNT(*) AS n FROM workshops w WHERE {_PAST}"
            " GROUP BY w.region_id",
            (to_db(now),),
        )
        return {int(r["region_id"]): int(r["n"]) for r in rows}

    async def ideas_of(self, workshop_ids: list[int]) -> dict[int, tuple[IdeaSummary, ...]]:
        """Workshop id → the ideas that came out of it (not archived), in the order recorded."""
        if not workshop_ids:
            return {}
        marks = ",".join("?" * len(workshop_ids))
        columns = f"{SUMMARY_COLUMNS}, workshop_id"
        rows = await self._db.fetchall(
            f"SELECT {columns} FROM ideas WHERE workshop_id IN ({marks}) AND {LIVE}"
            " ORDER BY workshop_id, id",
            workshop_ids,
        )
        found: dict[int, list[IdeaSummary]] = defaultdict(list)
        for row in rows:
            found[int(row["workshop_id"])].append(summary(row))
        return {key: tuple(value) for key, value in found.items()}

    @staticmethod
    def _where(now: dt.datetime, region_id: int | None) -> tuple[str, tuple[object, ...]]:
        if region_id is None:
            return _PAST, (to_db(now),)
        return f"w.region_id = ? AND {_PAST}", (region_id, to_db(now))

    async def _count(self, where: str, params: tuple[object, ...]) -> int:
        return await self._db.count(f"SELECT COUNT(*) FROM workshops w WHERE {where}", params)
