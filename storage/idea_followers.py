"""„🔔 Folgen“: who follows an idea (told of status changes and news), /meine_ideen.

The idea's follower_count is kept exact by triggers (migration 0011), so nothing here counts
the followers of an idea. The fan-out reads followers in pages by user id (the primary key),
so that a status change with many followers never holds them all in memory.
"""

from __future__ import annotations

import datetime as dt

from storage.db import Transaction
from storage.ideas import LIVE, PAGE_SIZE, SUMMARY_COLUMNS, summary
from storage.models import Page
from storage.reminders import Recipient
from storage.repository import Repository, fetch_page
from storage.timeutil import to_db

FAN_OUT_BATCH = 1000
_LANGUAGE = "COALESCE(u.language, u.detected_language, 'de')"


class FollowRepository(Repository):
    """Follow and unfollow (in the caller's transaction), the user's list, the fan-out."""

    @staticmethod
    async def follow(tx: Transaction, idea_id: int, user_id: int, now: dt.datetime) -> bool:
        """Follow an idea that is not archived; False if nothing changed (already following,
        or the idea is archived or gone). The user must exist (users row)."""
        changed = await tx.execute(
            "INSERT OR IGNORE INTO idea_followers (idea_id, user_id, since)"
            f" SELECT id, ?, ? FROM ideas WHERE id = ? AND {LIVE}",
            (user_id, to_db(now), idea_id),
        )
        return changed == 1

    @staticmethod
    async def unfollow(tx: Transaction, idea_id: int, user_id: int) -> bool:
        """Stop following; False if the user did not follow it."""
        changed = await tx.execute(
            "DELETE FROM idea_followers WHERE idea_id = ? AND user_id = ?", (idea_id, user_id)
        )
        return changed == 1

    async def is_following(self, idea_id: int, user_id: int) -> bool:
        """Whether the user follows the idea (primary key lookup)."""
        row = await self._db.fetchone(
            "SELECT 1 FROM idea_followers WHERE idea_id = ? AND user_id = ?", (idea_id, user_id)
        )
        return row is not None

    async def followed_page(self, user_id: int, page: int) -> Page:
        """/meine_ideen: the ideas the user follows (not archived), newest follow first."""
        where = f"f.user_id = ? AND i.{LIVE}"
        total = await self._db.count(
            f"SELECT COUNT(*) FROM idea_followers f JOIN ideas i ON i.id = f.idea_id WHERE {where}",
            (user_id,),
        )
        columns = ", ".join(f"i.{c.strip()}" for c in SUMMARY_COLUMNS.split(","))
        return await fetch_page(
            self._db,
            Page,
            f"SELECT {columns} FROM idea_followers f JOIN ideas i ON i.id = f.idea_id"
            f" WHERE {where} ORDER BY f.since DESC, f.idea_id DESC",
            (user_id,),
            summary,
            total=total,
            page=page,
            page_size=PAGE_SIZE,
        )

    @staticmethod
    async def followers(
        tx: Transaction, idea_id: int, *, after: int = 0, limit: int = FAN_OUT_BATCH
    ) -> list[Recipient]:
        """A batch of the idea's followers who have not blocked the bot, by user id, starting
        after the given id (pass the last id of the previous batch; an empty list: done)."""
        rows = await tx.fetchall(
            f"SELECT f.user_id, {_LANGUAGE} AS language FROM idea_followers f"
            " JOIN users u ON u.telegram_id = f.user_id"
            " WHERE f.idea_id = ? AND f.user_id > ? AND u.blocked_at IS NULL"
            " ORDER BY f.user_id LIMIT ?",
            (idea_id, after, limit),
        )
        return [Recipient(user_id=int(r["user_id"]), language=str(r["language"])) for r in rows]
