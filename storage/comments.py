"""Comments on ideas and their reports (decisions on them go to storage.moderation's log)."""

from __future__ import annotations

import datetime as dt

from storage.db import Transaction
from storage.models import Comment, CommentPage
from storage.moderation import Item
from storage.repository import Repository, fetch_page
from storage.timeutil import to_db

KIND = "comment"  # comments in the moderation log, buttons and notices
PAGE_SIZE = 5
HIDE_AFTER_REPORTS = 3

_SELECT = (
    "SELECT c.id, c.idea_id, i.title AS idea_title, i.region_id, c.user_id, c.author_name,"
    " c.text, c.status, c.created_at,"
    " (SELECT COUNT(*) FROM comment_reports r WHERE r.comment_id = c.id AND r.resolved = 0)"
    " AS report_count"
    " FROM comments c JOIN ideas i ON i.id = c.idea_id"
)


def moderation_item(comment: Comment) -> Item[Comment]:
    """The comment as moderation sees it (kind "comment")."""
    return Item.of(KIND, comment, comment.created_at)


def _queue_filter(region_ids: list[int] | None) -> tuple[str, list[object]]:
    """WHERE clause of the moderation queue: undecided comments, optionally of some regions."""
    where = "c.status IN ('pending', 'hidden')"
    params: list[object] = []
    if region_ids is not None:
        marks = ",".join("?" * len(region_ids)) or "NULL"
        where += f" AND i.region_id IN ({marks})"
        params += region_ids
    return where, params


class CommentRepository(Repository):
    """Reads and transactional writes around comments."""

    async def get(self, comment_id: int, tx: Transaction | None = None) -> Comment | None:
        """One comment (any status)."""
        row = await (tx or self._db).fetchone(_SELECT + " WHERE c.id = ?", (comment_id,))
        return Comment.of(row) if row else None

    async def published_page(
        self, idea_id: int, page: int, page_size: int = PAGE_SIZE
    ) -> CommentPage:
        """Approved comments of an idea, newest first."""
        total = await self._db.count("SELECT comment_count FROM ideas WHERE id = ?", (idea_id,))
        return await fetch_page(
            self._db,
            CommentPage,
            _SELECT + " WHERE c.idea_id = ? AND c.status = 'approved'"
            " ORDER BY c.created_at DESC, c.id DESC",
            (idea_id,),
            Comment.of,
            total=total,
            page=page,
            page_size=page_size,
        )

    async def by_user(self, user_id: int) -> list[Comment]:
        """The user's own comments with their status, newest first."""
        rows = await self._db.fetchall(
            _SELECT + " WHERE c.user_id = ? ORDER BY c.created_at DESC, c.id DESC", (user_id,)
        )
        return [Comment.of(r) for r in rows]

    async def has_same_text(self, idea_id: int, user_id: int, text_key: str) -> bool:
        """Whether the user already wrote this text on this idea."""
        row = await self._db.fetchone(
            "SELECT 1 FROM comments WHERE idea_id = ? AND user_id = ? AND text_key = ?",
            (idea_id, user_id, text_key),
        )
        return row is not None

    async def queue(self, region_ids: list[int] | None, limit: int = 10) -> list[Comment]:
        """Comments waiting for a decision (pending, or hidden after reports), oldest first.

        region_ids None: every region (admins); otherwise only those regions.
        """
        where, params = _queue_filter(region_ids)
        rows = await self._db.fetchall(
            _SELECT + f" WHERE {where} ORDER BY c.created_at, c.id LIMIT ?", (*params, limit)
        )
        return [Comment.of(r) for r in rows]

    async def queue_size(self, region_ids: list[int] | None) -> int:
        """How many comments wait for a decision."""
        where, params = _queue_filter(region_ids)
        return await self._db.count(
            f"SELECT COUNT(*) FROM comments c JOIN ideas i ON i.id = c.idea_id WHERE {where}",
            params,
        )

    # ----------------------------------------------------------------- writing

    @staticmethod
    async def create(
        tx: Transaction,
        idea_id: int,
        user_id: int,
        author_name: str,
        text: str,
        text_key: str,
        status: str,
        now: dt.datetime,
    ) -> int:
        """Store a new comment; return its id."""
        return await tx.insert(
            "INSERT INTO comments (idea_id, user_id, author_name, text, text_key, status,"
            " created_at, decided_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                idea_id,
                user_id,
                author_name,
                text,
                text_key,
                status,
                to_db(now),
                to_db(now) if status == "approved" else None,
            ),
        )

    @staticmethod
    async def set_status(
        tx: Transaction,
        comment_id: int,
        expected: tuple[str, ...],
        status: str,
        now: dt.datetime,
    ) -> bool:
        """Change the status if it is one of expected (so two decisions cannot collide)."""
        marks = ",".join("?" * len(expected))
        changed = await tx.execute(
            f"UPDATE comments SET status = ?, decided_at = ? WHERE id = ? AND status IN ({marks})",
            (status, to_db(now), comment_id, *expected),
        )
        if changed and status in ("approved", "rejected"):
            await tx.execute(
                "UPDATE comment_reports SET resolved = 1 WHERE comment_id = ?", (comment_id,)
            )
        return changed == 1

    @staticmethod
    async def report(
        tx: Transaction, comment_id: int, user_id: int, reason: str, now: dt.datetime
    ) -> tuple[bool, int]:
        """Record a report once per user; return (new, open reports from distinct users)."""
        changed = await tx.execute(
            "INSERT OR IGNORE INTO comment_reports (comment_id, user_id, reason, created_at)"
            " VALUES (?, ?, ?, ?)",
            (comment_id, user_id, reason, to_db(now)),
        )
        open_reports = await tx.count(
            "SELECT COUNT(*) FROM comment_reports WHERE comment_id = ? AND resolved = 0",
            (comment_id,),
        )
        return changed == 1, open_reports

    @staticmethod
    async def delete_own(tx: Transaction, comment_id: int, user_id: int) -> bool:
        """The author removes their comment (the row and its text are gone)."""
        return (
            await tx.execute(
                "DELETE FROM comments WHERE id = ? AND user_id = ?", (comment_id, user_id)
            )
            == 1
        )

    async def has_reported(self, comment_id: int, user_id: int) -> bool:
        """Whether the user already reported the comment."""
        row = await self._db.fetchone(
            "SELECT 1 FROM comment_reports WHERE comment_id = ? AND user_id = ?",
            (comment_id, user_id),
        )
        return row is not None
