"""News as an opt-in: who receives broadcasts to „Alle“, and the offer made once to each person.

The columns live in the users row (migration 0015), so /meine_daten exports them and
/daten_loeschen deletes them with it.
"""

from __future__ import annotations

import datetime as dt

from storage.db import Transaction
from storage.outbox import OutboxRepository, Outgoing
from storage.reminders import Recipient
from storage.repository import Repository
from storage.timeutil import from_db, to_db

_LANGUAGE = "COALESCE(u.language, u.detected_language, 'de')"


def _stamp(moment: dt.datetime) -> str:
    """Stored like users.first_seen/last_seen: to the second (see storage/users.py)."""
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class NewsRepository(Repository):
    """The news opt-in and the one-time offer."""

    async def since(self, user_id: int) -> dt.datetime | None:
        """When the person opted in to the news; None if they did not."""
        row = await self._db.fetchone(
            "SELECT news_since FROM users WHERE telegram_id = ?", (user_id,)
        )
        return from_db(str(row["news_since"])) if row and row["news_since"] else None

    async def offered(self, user_id: int) -> bool:
        """Whether the person was offered the news already (or chose without the offer)."""
        row = await self._db.fetchone(
            "SELECT news_offered_at FROM users WHERE telegram_id = ?", (user_id,)
        )
        return row is not None and row["news_offered_at"] is not None

    async def offer_once(self, user_id: int, now: dt.datetime, offer: dict[str, object]) -> bool:
        """Note the offer and queue its message, in one transaction; True only the first time.

        Only for a person the bot knows (the visit made the row): the last answer to someone
        who just erased their data must not bring their row back.
        """
        async with self._db.transaction() as tx:
            changed = await tx.execute(
                "UPDATE users SET news_offered_at = ?"
                " WHERE telegram_id = ? AND news_offered_at IS NULL",
                (_stamp(now), user_id),
            )
            if changed != 1:
                return False
            message = Outgoing(user_id, offer, f"news_offer:{user_id}")
            await OutboxRepository.enqueue(tx, "news_offer", [message], now)
        return True

    async def choose(self, user_id: int, on: bool, now: dt.datetime) -> bool:
        """Opt in or out (also ends the offer); True if this changed the choice."""
        stamp = _stamp(now)
        async with self._db.transaction() as tx:
            row = await tx.fetchone(
                "SELECT news_since FROM users WHERE telegram_id = ?", (user_id,)
            )
            was_on = row is not None and row["news_since"] is not None
            await tx.execute(
                "INSERT INTO users (telegram_id, first_seen, last_seen, news_since,"
                " news_offered_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (telegram_id) DO UPDATE"
                " SET news_since = CASE WHEN ? THEN COALESCE(news_since, ?) END,"
                " news_offered_at = COALESCE(news_offered_at, ?)",
                (user_id, stamp, stamp, to_db(now) if on else None, stamp, on, to_db(now), stamp),
            )
        return was_on != on

    async def leave_region(self, user_id: int, region_id: int) -> bool:
        """End the person's subscription of a region; True if there was one."""
        changed = await self._db.execute(
            "DELETE FROM region_subscriptions WHERE user_id = ? AND region_id = ?",
            (user_id, region_id),
        )
        return changed == 1

    async def reader_count(self) -> int:
        """How many people opted in and have not blocked the bot (the audience „Alle“)."""
        return await self._db.count(
            "SELECT COUNT(*) FROM users WHERE news_since IS NOT NULL AND blocked_at IS NULL"
        )

    @staticmethod
    async def readers(tx: Transaction) -> list[Recipient]:
        """Everyone who opted in and has not blocked the bot, in their language."""
        rows = await tx.fetchall(
            f"SELECT u.telegram_id AS user_id, {_LANGUAGE} AS language FROM users u"
            " WHERE u.news_since IS NOT NULL AND u.blocked_at IS NULL ORDER BY u.telegram_id"
        )
        return [Recipient(**dict(r)) for r in rows]
