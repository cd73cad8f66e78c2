"""Drafts: the durable state of a user's multi-step dialogue (survives restarts)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from storage.db import Transaction
from storage.models import Draft, Expiry
from storage.repository import Repository
from storage.timeutil import to_db

# The step of a draft that expired: what was entered is gone, only the flow's name stays, so
# that the person's next message is answered with "that dialogue expired" instead of being
# taken for something else (a place name). Never returned by get().
EXPIRED = "expired"


class DraftGone(Exception):
    """The dialogue had ended already (a second tap, /abbrechen): the action was not taken."""


@dataclass(frozen=True)
class DraftEnd:
    """The dialogue an action ends: its draft goes in the action's own transaction.

    So the action happens exactly once and the draft is never lost without it: a second tap
    finds no draft (DraftGone rolls the action back), and a failure rolls back both.
    """

    user_id: int
    flow: str

    async def apply(self, tx: Transaction) -> None:
        """Remove the draft; DraftGone if it is not there (any more)."""
        removed = await tx.execute(
            "DELETE FROM drafts WHERE user_id = ? AND flow = ? AND step != ?",
            (self.user_id, self.flow, EXPIRED),
        )
        if removed == 0:
            raise DraftGone(self.flow)


class DraftRepository(Repository):
    """One draft per user: which flow, which step, what was entered so far."""

    async def get(self, user_id: int) -> Draft | None:
        """The user's active draft, if any."""
        row = await self._db.fetchone(
            "SELECT user_id, flow, step, data FROM drafts WHERE user_id = ? AND step != ?",
            (user_id, EXPIRED),
        )
        if row is None:
            return None
        return Draft(
            user_id=row["user_id"], flow=row["flow"], step=row["step"], data=json.loads(row["data"])
        )

    async def save(
        self, user_id: int, flow: str, step: str, data: dict[str, object], now: dt.datetime
    ) -> None:
        """Create or replace the user's draft."""
        await self._db.execute(
            "INSERT INTO drafts (user_id, flow, step, data, updated_at) VALUES (?, ?, ?, ?, ?)"
            " ON CONFLICT (user_id) DO UPDATE SET flow = excluded.flow, step = excluded.step,"
            " data = excluded.data, updated_at = excluded.updated_at",
            (user_id, flow, step, json.dumps(data, ensure_ascii=False), to_db(now)),
        )

    async def clear(self, user_id: int) -> bool:
        """Drop the user's draft; True if there was one."""
        return await self._db.execute("DELETE FROM drafts WHERE user_id = ?", (user_id,)) > 0

    async def users_with_drafts(self) -> set[int]:
        """Everyone with an active draft (to rebuild the in-memory index at start)."""
        rows = await self._db.fetchall("SELECT user_id FROM drafts")
        return {int(r["user_id"]) for r in rows}

    async def expired_flow(self, user_id: int) -> str | None:
        """The flow of the user's expired dialogue, if that is what they have."""
        row = await self._db.fetchone(
            "SELECT flow FROM drafts WHERE user_id = ? AND step = ?", (user_id, EXPIRED)
        )
        return str(row["flow"]) if row else None

    async def expire(self, before: dt.datetime, now: dt.datetime) -> Expiry:
        """Empty the drafts not touched since before; remove expiry notes older than that."""
        async with self._db.transaction() as tx:
            gone = await tx.fetchall(
                "DELETE FROM drafts WHERE step = ? AND updated_at < ? RETURNING user_id",
                (EXPIRED, to_db(before)),
            )
            emptied = await tx.fetchall(
                "UPDATE drafts SET step = ?, data = '{}', updated_at = ?"
                " WHERE step != ? AND updated_at < ? RETURNING user_id",
                (EXPIRED, to_db(now), EXPIRED, to_db(before)),
            )
        return Expiry(
            expired=sorted(int(r["user_id"]) for r in emptied),
            forgotten=sorted(int(r["user_id"]) for r in gone),
        )
