"""Broadcasts: one admin message to many users, delivered through the outbox."""

from __future__ import annotations

import datetime as dt

from storage.db import Transaction
from storage.models import Broadcast
from storage.repository import Repository
from storage.timeutil import to_db


class BroadcastRepository(Repository):
    """Create broadcasts and read their delivery progress."""

    @staticmethod
    async def create(
        tx: Transaction, admin_id: int, audience: str, text: str, total: int, now: dt.datetime
    ) -> int:
        """Record a broadcast; its messages are enqueued by the caller in the same transaction."""
        return await tx.insert(
            "INSERT INTO broadcasts (admin_id, audience, text, total, created_at)"
            " VALUES (?, ?, ?, ?, ?)",
            (admin_id, audience, text, total, to_db(now)),
        )

    async def set_progress_message(self, broadcast_id: int, message_id: int) -> None:
        """Remember the admin's message that shows the progress."""
        await self._db.execute(
            "UPDATE broadcasts SET progress_message_id = ? WHERE id = ?", (message_id, broadcast_id)
        )

    async def get(self, broadcast_id: int) -> Broadcast | None:
        """A broadcast with its delivery counts."""
        row = await self._db.fetchone(
            "SELECT b.id, b.admin_id, b.audience, b.text, b.total, b.progress_message_id,"
            " b.finished_at,"
            " SUM(o.state IN ('pending', 'sending')) AS pending,"
            " SUM(o.state = 'sent') AS sent, SUM(o.state = 'blocked') AS blocked,"
            " SUM(o.state = 'failed') AS failed"
            " FROM broadcasts b LEFT JOIN outbox o ON o.broadcast_id = b.id"
            " WHERE b.id = ? GROUP BY b.id",
            (broadcast_id,),
        )
        if row is None:
            return None
        counts = {key: int(row[key] or 0) for key in ("pending", "sent", "blocked", "failed")}
        return Broadcast.of(row, **counts)

    async def unfinished(self) -> list[int]:
        """Broadcasts whose final report has not been given yet."""
        return await self._db.ids("SELECT id FROM broadcasts WHERE finished_at IS NULL")

    async def finish(self, broadcast_id: int, now: dt.datetime) -> bool:
        """Mark the broadcast finished once; True if this call did it."""
        changed = await self._db.execute(
            "UPDATE broadcasts SET finished_at = ? WHERE id = ? AND finished_at IS NULL",
            (to_db(now), broadcast_id),
        )
        return changed == 1
