"""Ideas of the idea map and the challenges they answer."""

from __future__ import annotations

import datetime as dt

from storage.db import Database
from storage.models import Challenge, Idea, IdeaSummary, Page

PAGE_SIZE = 8

# How a list of ideas can be ordered; the expressions match the indexes of migration 0003.
SORTS = {
    "newest": "published_on DESC, id DESC",
    "discussed": "comment_count DESC, id DESC",
    "rated": "rating_count > 0 DESC,"
    " (CAST(rating_sum AS REAL) / MAX(rating_count, 1)) DESC, id DESC",
}

_IDEA_SELECT = (
    "SELECT i.id, i.slug, i.title, i.summary, i.body, i.published_on, i.url,"
    " i.region_id, r.name AS region_name, r.slug AS region_slug,"
    " i.challenge_id, c.title AS challenge_title, i.comment_count, i.rating_count, i.rating_sum"
    " FROM ideas i LEFT JOIN regions r ON r.id = i.region_id"
    " LEFT JOIN challenges c ON c.id = i.challenge_id"
)


def _idea(row: object) -> Idea:
    data = dict(row)  # type: ignore[call-overload]
    published = data.pop("published_on")
    return Idea(**data, published_on=dt.date.fromisoformat(published) if published else None)


class IdeaRepository:
    """Read access to ideas and challenges."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def get(self, idea_id: int) -> Idea | None:
        """One idea by id."""
        row = await self._db.fetchone(_IDEA_SELECT + " WHERE i.id = ?", (idea_id,))
        return _idea(row) if row else None

    async def get_by_slug(self, slug: str) -> Idea | None:
        """One idea by its stable slug."""
        row = await self._db.fetchone(_IDEA_SELECT + " WHERE i.slug = ?", (slug,))
        return _idea(row) if row else None

    async def page_by_region(self, region_id: int | None, page: int, sort: str = "newest") -> Page:
        """A page of a region's ideas (region None: without a region), in the given order."""
        where = "region_id = ?" if region_id is not None else "region_id IS NULL"
        params: tuple[int, ...] = (region_id,) if region_id is not None else ()
        return await self._page(where, params, page, sort)

    async def page_by_challenge(self, challenge_id: int | None, page: int) -> Page:
        """A page of a challenge's ideas; challenge None: ideas without a challenge."""
        where = "challenge_id = ?" if challenge_id is not None else "challenge_id IS NULL"
        params: tuple[int, ...] = (challenge_id,) if challenge_id is not None else ()
        return await self._page(where, params, page)

    async def _page(
        self, where: str, params: tuple[int, ...], page: int, sort: str = "newest"
    ) -> Page:
        page = max(page, 0)
        rows = await self._db.fetchall(  # the items and the total in one round trip
            f"SELECT id, slug, title, comment_count,"
            f" (SELECT COUNT(*) FROM ideas WHERE {where}) AS total"
            f" FROM ideas WHERE {where} ORDER BY {SORTS[sort]} LIMIT ? OFFSET ?",
            (*params, *params, PAGE_SIZE, page * PAGE_SIZE),
        )
        if rows:
            total = int(rows[0]["total"])
        else:  # an empty list, or a page beyond the end (a stale button): count, then clamp
            count_row = await self._db.fetchone(
                f"SELECT COUNT(*) AS n FROM ideas WHERE {where}", params
            )
            total = int(count_row["n"]) if count_row else 0
            if total and page * PAGE_SIZE >= total:
                return await self._page(where, params, (total - 1) // PAGE_SIZE, sort)
        page_count = max(1, -(-total // PAGE_SIZE))
        items = tuple(
            IdeaSummary(
                id=r["id"], slug=r["slug"], title=r["title"], comment_count=r["comment_count"]
            )
            for r in rows
        )
        return Page(items=items, page=page, page_count=page_count, total=total)

    async def count_without_region(self) -> int:
        """How many ideas name no region."""
        row = await self._db.fetchone("SELECT COUNT(*) AS n FROM ideas WHERE region_id IS NULL")
        return int(row["n"]) if row else 0

    async def count(self) -> int:
        """How many ideas there are."""
        row = await self._db.fetchone("SELECT COUNT(*) AS n FROM ideas")
        return int(row["n"]) if row else 0

    async def challenges(self) -> list[Challenge]:
        """All challenges in their given order, with idea counts."""
        rows = await self._db.fetchall(
            "SELECT c.id, c.slug, c.title, c.position, c.idea_count FROM challenges c"
            " ORDER BY c.position, c.id"
        )
        return [Challenge(**dict(row)) for row in rows]

    async def get_challenge(self, challenge_id: int) -> Challenge | None:
        """One challenge by id."""
        row = await self._db.fetchone(
            "SELECT c.id, c.slug, c.title, c.position, c.idea_count FROM challenges c"
            " WHERE c.id = ?",
            (challenge_id,),
        )
        return Challenge(**dict(row)) if row else None

    async def count_without_challenge(self) -> int:
        """How many ideas name no challenge."""
        row = await self._db.fetchone("SELECT COUNT(*) AS n FROM ideas WHERE challenge_id IS NULL")
        return int(row["n"]) if row else 0
