"""The lifecycle of an idea: staff create and edit it, change its status, post news, archive
and restore it; the timeline (news) for the idea view.

Writes are static methods that run in the caller's transaction, so that the service adds the
followers' outbox rows and the audit row in the same one. Every write by staff sets
`shipped = 0`: a newer version of the shipped data leaves the idea alone from then on.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from storage.db import Transaction
from storage.models import IDEA_STATUSES, ArchiveChange, IdeaNews, NewsPage, StatusChange
from storage.repository import Repository, fetch_page
from storage.shipped import StaffEdits, staff_values
from storage.slugs import unique_slug
from storage.timeutil import from_db, to_db

NEWS_PAGE_SIZE = 5
_NEWS = (
    "SELECT id, idea_id, posted_at, posted_by, kind, old_status, new_status, text, text_en"
    " FROM idea_news"
)


@dataclass(frozen=True)
class IdeaFields:
    """What staff set on an idea (None or '' for an English text: none)."""

    title: str
    region_id: int | None
    challenge_id: int | None = None
    summary: str = ""
    body: str = ""
    title_en: str | None = None
    summary_en: str | None = None
    body_en: str | None = None
    workshop_id: int | None = None


def _check_status(status: str) -> None:
    if status not in IDEA_STATUSES:
        raise ValueError(f"unknown idea status {status!r}")


class IdeaLifecycle(Repository, StaffEdits[IdeaFields]):
    """Reads of the timeline; transactional writes of the lifecycle (edit: StaffEdits)."""

    _table = "ideas"

    # ----------------------------------------------------------------- the timeline

    async def latest_news(self, idea_id: int, limit: int = 3) -> list[IdeaNews]:
        """The newest entries (index idea_news_by_idea: no scan, no sort)."""
        rows = await self._db.fetchall(
            f"{_NEWS} WHERE idea_id = ? ORDER BY posted_at DESC, id DESC LIMIT ?",
            (idea_id, limit),
        )
        return [IdeaNews.of(r) for r in rows]

    async def news_page(self, idea_id: int, page: int, page_size: int = NEWS_PAGE_SIZE) -> NewsPage:
        """A page of the timeline, newest first (a page past the end: the last one)."""
        total = await self._db.count("SELECT COUNT(*) FROM idea_news WHERE idea_id = ?", (idea_id,))
        return await fetch_page(
            self._db,
            NewsPage,
            f"{_NEWS} WHERE idea_id = ? ORDER BY posted_at DESC, id DESC",
            (idea_id,),
            IdeaNews.of,
            total=total,
            page=page,
            page_size=page_size,
        )

    # ----------------------------------------------------------------- writes (in a transaction)

    @staticmethod
    async def create(
        tx: Transaction,
        fields: IdeaFields,
        now: dt.datetime,
        *,
        origin: str = "staff",
        published_on: dt.date | None = None,
    ) -> tuple[int, str]:
        """A new idea (status 'idea') with a unique slug from its title; (id, slug)."""
        slug = await unique_slug(tx, "ideas", fields.title, fallback="idee")
        stamp = to_db(now)
        idea_id = await tx.insert(
            "INSERT INTO ideas (slug, title, region_id, challenge_id, summary, body,"
            " title_en, summary_en, body_en, workshop_id, origin, published_on,"
            " created_at, updated_at)"
            " VALUES (:slug, :title, :region_id, :challenge_id, :summary, :body, :title_en,"
            " :summary_en, :body_en, :workshop_id, :origin, :published_on, :stamp, :stamp)",
            {
                **staff_values(fields),
                "slug": slug,
                "origin": origin,
                "published_on": published_on.isoformat() if published_on else None,
                "stamp": stamp,
            },
        )
        return idea_id, slug

    @staticmethod
    async def set_status(
        tx: Transaction,
        idea_id: int,
        status: str,
        now: dt.datetime,
        *,
        by: int | None,
        text: str = "",
        text_en: str | None = None,
    ) -> StatusChange | None:
        """Change the status and record it in the timeline (with an optional text).

        None: no such idea, or it already has that status (nothing written).
        """
        _check_status(status)
        row = await tx.fetchone("SELECT status FROM ideas WHERE id = ?", (idea_id,))
        if row is None or row["status"] == status:
            return None
        stamp = to_db(now)
        await tx.execute(
            "UPDATE ideas SET status = ?, status_changed_at = ?, updated_at = ?, shipped = 0"
            " WHERE id = ?",
            (status, stamp, stamp, idea_id),
        )
        news_id = await tx.insert(
            "INSERT INTO idea_news (idea_id, posted_at, posted_by, kind, old_status,"
            " new_status, text, text_en) VALUES (?, ?, ?, 'status', ?, ?, ?, ?)",
            (idea_id, stamp, by, row["status"], status, text, text_en or None),
        )
        return StatusChange(
            idea_id=idea_id, old_status=row["status"], new_status=status, news_id=news_id
        )

    @staticmethod
    async def post_news(
        tx: Transaction,
        idea_id: int,
        text: str,
        now: dt.datetime,
        *,
        by: int | None,
        text_en: str | None = None,
    ) -> int | None:
        """Add a news entry; its id (None: no such idea)."""
        if await tx.fetchone("SELECT 1 FROM ideas WHERE id = ?", (idea_id,)) is None:
            return None
        stamp = to_db(now)
        await tx.execute(
            "UPDATE ideas SET updated_at = ?, shipped = 0 WHERE id = ?", (stamp, idea_id)
        )
        return await tx.insert(
            "INSERT INTO idea_news (idea_id, posted_at, posted_by, kind, text, text_en)"
            " VALUES (?, ?, ?, 'news', ?, ?)",
            (idea_id, stamp, by, text, text_en or None),
        )

    @staticmethod
    async def archive(
        tx: Transaction, idea_id: int, reason: str, now: dt.datetime, *, by: int | None
    ) -> ArchiveChange | None:
        """Hide the idea from citizens, with a reason; None: no such idea.

        An idea already archived stays as it was (changed False, its earlier reason).
        """
        return await _set_archived(tx, idea_id, now, by=by, reason=reason)

    @staticmethod
    async def restore(
        tx: Transaction, idea_id: int, now: dt.datetime, *, by: int | None
    ) -> ArchiveChange | None:
        """Show an archived idea again; None: no such idea (changed False: it was not archived)."""
        return await _set_archived(tx, idea_id, now, by=by, reason=None)

    @staticmethod
    async def id_of(tx: Transaction, slug: str) -> int | None:
        """An idea's id by slug, inside a transaction."""
        row = await tx.fetchone("SELECT id FROM ideas WHERE slug = ?", (slug,))
        return int(row["id"]) if row else None


async def _set_archived(
    tx: Transaction, idea_id: int, now: dt.datetime, *, by: int | None, reason: str | None
) -> ArchiveChange | None:
    archive = reason is not None
    row = await tx.fetchone(
        "SELECT id, slug, title, region_id, archived_at, archived_reason, follower_count"
        " FROM ideas WHERE id = ?",
        (idea_id,),
    )
    if row is None:
        return None
    changed = (row["archived_at"] is None) == archive
    archived_at = row["archived_at"]
    kept_reason = row["archived_reason"]
    if changed:
        stamp = to_db(now)
        archived_at = stamp if archive else None
        kept_reason = reason
        await tx.execute(
            "UPDATE ideas SET archived_at = ?, archived_reason = ?, archived_by = ?,"
            " updated_at = ?, shipped = 0 WHERE id = ?",
            (archived_at, reason, by if archive else None, stamp, idea_id),
        )
    return ArchiveChange(
        idea_id=idea_id,
        slug=row["slug"],
        title=row["title"],
        region_id=row["region_id"],
        changed=changed,
        archived_at=from_db(archived_at) if archived_at else None,
        reason=kept_reason,
        follower_count=row["follower_count"],
    )
