"""Ideas of the idea map and the challenges they answer.

Citizens see only ideas that are not archived: every list and count here leaves archived ones
out (the region and challenge counters too, see migration 0011); `get` and `get_by_slug`
return an archived idea as well, so that a deep link can say what became of it.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Sequence

from storage.db import Transaction
from storage.models import Challenge, Idea, IdeaSummary, Page, WorkshopRef
from storage.repository import Repository, fetch_page, page_count

PAGE_SIZE = 8
LIVE = "archived_at IS NULL"

# How a list of ideas can be ordered; the expressions match the indexes of migration 0003.
SORTS = {
    "newest": "published_on DESC, id DESC",
    "discussed": "comment_count DESC, id DESC",
    "rated": "rating_count > 0 DESC,"
    " (CAST(rating_sum AS REAL) / MAX(rating_count, 1)) DESC, id DESC",
}

_IDEA_SELECT = (
    "SELECT i.id, i.slug, i.title, i.summary, i.body, i.published_on, i.url,"
    " i.region_id, r.name AS region_name, r.slug AS region_slug, r.name_en AS region_name_en,"
    " i.challenge_id, c.title AS challenge_title, c.title_en AS challenge_title_en,"
    " i.comment_count, i.rating_count, i.rating_sum, i.status, i.status_changed_at, i.origin,"
    " i.title_en, i.summary_en, i.body_en, i.sources, i.follower_count, i.archived_at,"
    " i.archived_reason, w.id AS w_id, w.slug AS w_slug, w.title AS w_title,"
    " w.title_en AS w_title_en, wr.name AS w_region_name, wr.name_en AS w_region_name_en,"
    " w.starts_at AS w_starts_at,"
    " w.time_known AS w_time_known"
    " FROM ideas i LEFT JOIN regions r ON r.id = i.region_id"
    " LEFT JOIN challenges c ON c.id = i.challenge_id"
    " LEFT JOIN workshops w ON w.id = i.workshop_id LEFT JOIN regions wr ON wr.id = w.region_id"
)
SUMMARY_COLUMNS = "id, slug, title, comment_count, title_en, status"
_CHALLENGE = "SELECT c.id, c.slug, c.title, c.position, c.idea_count, c.title_en FROM challenges c"


def _idea(row: sqlite3.Row) -> Idea:
    data = dict(row)
    ref = {key[2:]: data.pop(key) for key in list(data) if key.startswith("w_")}
    published = data.pop("published_on")
    return Idea.of(
        data,
        workshop=WorkshopRef.of(ref) if ref["id"] is not None else None,
        published_on=dt.date.fromisoformat(published) if published else None,
    )


def summary(row: sqlite3.Row) -> IdeaSummary:
    """A row with SUMMARY_COLUMNS as a list entry."""
    return IdeaSummary(**{key: row[key] for key in IdeaSummary.model_fields})


class IdeaRepository(Repository):
    """Read access to ideas and challenges."""

    async def get(self, idea_id: int) -> Idea | None:
        """One idea by id (archived ones too: see Idea.archived)."""
        row = await self._db.fetchone(_IDEA_SELECT + " WHERE i.id = ?", (idea_id,))
        return _idea(row) if row else None

    @staticmethod
    async def get_in(tx: Transaction, idea_id: int) -> Idea | None:
        """One idea, read inside a transaction (for a check right before a change)."""
        row = await tx.fetchone(_IDEA_SELECT + " WHERE i.id = ?", (idea_id,))
        return _idea(row) if row else None

    async def get_by_slug(self, slug: str) -> Idea | None:
        """One idea by its stable slug (archived ones too)."""
        row = await self._db.fetchone(_IDEA_SELECT + " WHERE i.slug = ?", (slug,))
        return _idea(row) if row else None

    async def page_by_region(self, region_id: int | None, page: int, sort: str = "newest") -> Page:
        """A page of a region's ideas (region None: without a region), in the given order."""
        if region_id is None:
            return await self._page("region_id IS NULL", (), page, sort)
        total = "SELECT idea_count FROM regions WHERE id = ?"  # exact, kept by triggers
        return await self._page("region_id = ?", (region_id,), page, sort, total)

    async def page_by_challenge(self, challenge_id: int | None, page: int) -> Page:
        """A page of a challenge's ideas; challenge None: ideas without a challenge."""
        if challenge_id is None:
            return await self._page("challenge_id IS NULL", (), page)
        total = "SELECT idea_count FROM challenges WHERE id = ?"
        return await self._page("challenge_id = ?", (challenge_id,), page, "newest", total)

    async def _page(
        self,
        where: str,
        params: tuple[int, ...],
        page: int,
        sort: str = "newest",
        total_sql: str | None = None,
    ) -> Page:
        where = f"{where} AND {LIVE}"
        total_sql = total_sql or f"SELECT COUNT(*) FROM ideas WHERE {where}"
        page = max(page, 0)
        rows = await self._db.fetchall(  # the items and the total in one round trip
            f"SELECT {SUMMARY_COLUMNS}, ({total_sql}) AS total"
            f" FROM ideas WHERE {where} ORDER BY {SORTS[sort]} LIMIT ? OFFSET ?",
            (*params, *params, PAGE_SIZE, page * PAGE_SIZE),
        )
        if rows:
            total = int(rows[0]["total"] or 0)
        else:  # an empty list, or a page beyond the end (a stale button): count, then clamp
            total = await self._db.count(total_sql, params)
            if total and page * PAGE_SIZE >= total:  # the last page
                return await self._summaries(where, params, SORTS[sort], total, page)
        return Page(
            items=tuple(summary(r) for r in rows),
            page=page,
            page_count=page_count(total, PAGE_SIZE),
            total=total,
        )

    async def _summaries(
        self, where: str, params: Sequence[object], order: str, total: int, page: int
    ) -> Page:
        """A page of the ideas where `where` holds, of total in all, in the given order."""
        return await fetch_page(
            self._db,
            Page,
            f"SELECT {SUMMARY_COLUMNS} FROM ideas WHERE {where} ORDER BY {order}",
            params,
            summary,
            total=total,
            page=page,
            page_size=PAGE_SIZE,
        )

    async def archived_page(self, region_ids: list[int] | None, page: int) -> Page:
        """Archived ideas, newest archived first (for staff: restore); None: every region."""
        where = "archived_at IS NOT NULL"
        params: list[int] = []
        if region_ids is not None:
            where += f" AND region_id IN ({','.join('?' * len(region_ids)) or 'NULL'})"
            params = list(region_ids)
        total = await self._db.count(f"SELECT COUNT(*) FROM ideas WHERE {where}", params)
        return await self._summaries(where, params, "archived_at DESC, id DESC", total, page)

    async def count_without_region(self) -> int:
        """How many ideas (not archived) name no region."""
        return await self._db.count(
            f"SELECT COUNT(*) FROM ideas WHERE region_id IS NULL AND {LIVE}"
        )

    async def count(self) -> int:
        """How many ideas there are (not archived)."""
        return await self._db.count(f"SELECT COUNT(*) FROM ideas WHERE {LIVE}")

    async def challenges(self) -> list[Challenge]:
        """All challenges in their given order, with idea counts."""
        rows = await self._db.fetchall(f"{_CHALLENGE} ORDER BY c.position, c.id")
        return [Challenge(**dict(row)) for row in rows]

    async def get_challenge(self, challenge_id: int) -> Challenge | None:
        """One challenge by id."""
        row = await self._db.fetchone(f"{_CHALLENGE} WHERE c.id = ?", (challenge_id,))
        return Challenge(**dict(row)) if row else None

    async def count_without_challenge(self) -> int:
        """How many ideas (not archived) name no challenge."""
        return await self._db.count(
            f"SELECT COUNT(*) FROM ideas WHERE challenge_id IS NULL AND {LIVE}"
        )
