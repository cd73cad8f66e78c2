"""When a person wrote something that anti-spam limits count (comments, proposals).

One table per kind, `<kind>_writes (user_id, written_at)`: the count outlives what was written
(deleting a comment or withdrawing a proposal frees no place). A write counts for a window
after `since` when it is later than `since`, so a limit frees up exactly at oldest + window.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from storage.db import Database, Transaction
from storage.timeutil import from_db, to_db

WriteTable = Literal["comment_writes", "proposal_writes"]


class WriteLog:
    """The record of one kind's writes (the table name is one of WriteTable, never input)."""

    def __init__(self, db: Database, table: WriteTable) -> None:
        self._db = db
        self._table = table

    async def count_since(
        self, user_id: int, since: dt.datetime, tx: Transaction | None = None
    ) -> int:
        """How many writes the person made after a moment."""
        return await (tx or self._db).count(
            f"SELECT COUNT(*) FROM {self._table} WHERE user_id = ? AND written_at > ?",
            (user_id, to_db(since)),
        )

    async def oldest_since(
        self, user_id: int, since: dt.datetime, tx: Transaction | None = None
    ) -> dt.datetime | None:
        """When the oldest of those was made (when a limit frees up)."""
        row = await (tx or self._db).fetchone(
            f"SELECT MIN(written_at) AS t FROM {self._table} WHERE user_id = ? AND written_at > ?",
            (user_id, to_db(since)),
        )
        return from_db(row["t"]) if row and row["t"] else None

    async def latest(self, user_id: int) -> dt.datetime | None:
        """When the person last wrote, as far as the log still remembers."""
        row = await self._db.fetchone(
            f"SELECT MAX(written_at) AS t FROM {self._table} WHERE user_id = ?", (user_id,)
        )
        return from_db(row["t"]) if row and row["t"] else None

    async def record(self, tx: Transaction, user_id: int, now: dt.datetime) -> None:
        """Count one write."""
        await tx.execute(
            f"INSERT INTO {self._table} (user_id, written_at) VALUES (?, ?)", (user_id, to_db(now))
        )

    async def prune(self, tx: Transaction, before: dt.datetime | None) -> int:
        """Forget the writes no limit looks at any more (before None: all of them)."""
        if before is None:
            return await tx.execute(f"DELETE FROM {self._table}")
        return await tx.execute(
            f"DELETE FROM {self._table} WHERE written_at <= ?", (to_db(before),)
        )
