"""The durable delivery queue: notifications are rows first, messages second."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass

from storage.db import Transaction
from storage.models import OutboxMessage
from storage.repository import Repository
from storage.timeutil import from_db, to_db


@dataclass(frozen=True)
class Outgoing:
    """One message to enqueue: recipient, rendered payload, optional dedupe key.

    A Telegram message goes to chat_id; an e-mail (see `Outgoing.email`) goes to email_to,
    its payload holding subject, body, message_id and date.
    """

    chat_id: int
    payload: dict[str, object]
    dedupe_key: str | None = None
    email_to: str | None = None

    @classmethod
    def email(cls, to: str, payload: dict[str, object], dedupe_key: str) -> Outgoing:
        """An e-mail to one address (sent by the dispatcher's mailer, not to Telegram)."""
        return cls(0, payload, dedupe_key, to)

    @property
    def channel(self) -> str:
        """'email' or 'telegram'."""
        return "email" if self.email_to is not None else "telegram"


_COLUMNS = (
    "id, chat_id, kind, payload, state, attempts, not_before, broadcast_id, channel, email_to"
)


class OutboxRepository(Repository):
    """Enqueue, claim and settle outgoing notifications."""

    @staticmethod
    async def enqueue(
        tx: Transaction,
        kind: str,
        messages: Iterable[Outgoing],
        now: dt.datetime,
        *,
        broadcast_id: int | None = None,
    ) -> int:
        """Add messages inside the caller's transaction; a known dedupe key is skipped."""
        stamp = to_db(now)
        rows = [
            (
                m.chat_id,
                kind,
                m.dedupe_key,
                json.dumps(m.payload, ensure_ascii=False),
                stamp,
                broadcast_id,
                stamp,
                m.channel,
                m.email_to,
            )
            for m in messages
        ]
        before = await tx.fetchone("SELECT total_changes() AS n")
        await tx.executemany(
            "INSERT OR IGNORE INTO outbox"
            " (chat_id, kind, dedupe_key, payload, not_before, broadcast_id, created_at,"
            " channel, email_to) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        after = await tx.fetchone("SELECT total_changes() AS n")
        return int(after["n"]) - int(before["n"]) if before and after else 0

    async def recover_in_flight(self) -> int:
        """After a crash: messages claimed but not settled go back to the queue."""
        return await self._db.execute("UPDATE outbox SET state = 'pending' WHERE state = 'sending'")

    async def claim_due(self, now: dt.datetime, limit: int) -> list[OutboxMessage]:
        """Take up to limit due messages (oldest first) and mark them as being sent."""
        async with self._db.transaction() as tx:
            rows = await tx.fetchall(
                f"SELECT {_COLUMNS} FROM outbox WHERE state = 'pending' AND not_before <= ?"
                " ORDER BY not_before, id LIMIT ?",
                (to_db(now), limit),
            )
            if rows:
                await tx.executemany(
                    "UPDATE outbox SET state = 'sending' WHERE id = ?", [(r["id"],) for r in rows]
                )
        return [OutboxMessage.of(r) for r in rows]

    async def next_due(self) -> dt.datetime | None:
        """When the next pending message becomes due."""
        row = await self._db.fetchone(
            "SELECT MIN(not_before) AS due FROM outbox WHERE state = 'pending'"
        )
        return from_db(row["due"]) if row and row["due"] else None

    async def mark_sent(
        self, message_id: int, now: dt.datetime, telegram_message_id: int | None = None
    ) -> None:
        """The message was delivered (as Telegram's message telegram_message_id, if known).

        The id goes into the payload's JSON (no column: a later change edits the message by it,
        see sent_copies).
        """
        await self._db.execute(
            "UPDATE outbox SET state = 'sent', sent_at = :now, attempts = attempts + 1,"
            " last_error = NULL, payload = CASE WHEN :sent IS NULL THEN payload"
            " ELSE json_set(payload, '$.telegram_message_id', :sent) END WHERE id = :id",
            {"now": to_db(now), "sent": telegram_message_id, "id": message_id},
        )

    @staticmethod
    async def sent_copies(
        tx: Transaction, key_patterns: list[str], *, unedited: bool = False
    ) -> list[tuple[int, int, int]]:
        """Telegram messages sent for rows whose dedupe key is LIKE one of the patterns:
        (row id, chat id, Telegram message id), to edit them.

        unedited: only those no row edits (or is about to edit) yet.
        """
        if not key_patterns:
            return []
        where = " OR ".join("o.dedupe_key LIKE ?" for _ in key_patterns)
        if unedited:  # CASE: a payload that is not JSON edits nothing (and raises nothing)
            where = (
                f"({where}) AND NOT EXISTS (SELECT 1 FROM outbox e WHERE e.chat_id = o.chat_id"
                " AND e.channel = 'telegram' AND json_extract(CASE WHEN json_valid(e.payload)"
                " THEN e.payload END, '$.edit_message_id')"
                " = json_extract(o.payload, '$.telegram_message_id'))"
            )
        rows = await tx.fetchall(
            "SELECT o.id, o.chat_id, json_extract(o.payload, '$.telegram_message_id')"
            " AS telegram_message_id FROM outbox o WHERE o.channel = 'telegram'"
            " AND o.state = 'sent' AND json_valid(o.payload)"
            " AND json_extract(o.payload, '$.telegram_message_id') IS NOT NULL"
            f" AND ({where}) ORDER BY o.id",
            key_patterns,
        )
        return [(int(r["id"]), int(r["chat_id"]), int(r["telegram_message_id"])) for r in rows]

    async def retry_later(
        self, message_id: int, not_before: dt.datetime, error: str, *, count_attempt: bool = True
    ) -> None:
        """Put the message back in the queue until not_before."""
        await self._db.execute(
            "UPDATE outbox SET state = 'pending', not_before = ?, last_error = ?,"
            " attempts = attempts + ? WHERE id = ?",
            (to_db(not_before), error[:500], 1 if count_attempt else 0, message_id),
        )

    async def mark_failed(self, message_id: int, error: str) -> None:
        """Give up on the message, keeping the reason."""
        await self._db.execute(
            "UPDATE outbox SET state = 'failed', attempts = attempts + 1, last_error = ?"
            " WHERE id = ?",
            (error[:500], message_id),
        )

    async def mark_chat_blocked(self, chat_id: int, now: dt.datetime, error: str) -> None:
        """The user blocked the bot: mark them inactive and stop all their messages."""
        async with self._db.transaction() as tx:
            await tx.execute(
                "UPDATE outbox SET state = 'blocked', last_error = ?"
                " WHERE chat_id = ? AND channel = 'telegram' AND state IN ('pending', 'sending')",
                (error[:500], chat_id),
            )
            await tx.execute(
                "UPDATE users SET blocked_at = ? WHERE telegram_id = ? AND blocked_at IS NULL",
                (to_db(now), chat_id),
            )

    async def get(self, message_id: int) -> OutboxMessage | None:
        """One row (for tests and reports)."""
        row = await self._db.fetchone(f"SELECT {_COLUMNS} FROM outbox WHERE id = ?", (message_id,))
        return OutboxMessage.of(row) if row else None

    async def count_by_state(self) -> dict[str, int]:
        """How many messages are in each state."""
        rows = await self._db.fetchall("SELECT state, COUNT(*) AS n FROM outbox GROUP BY state")
        return {r["state"]: int(r["n"]) for r in rows}
