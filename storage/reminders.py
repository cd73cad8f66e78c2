"""Who hears of a workshop, and when: its reminders, and the audiences of its notices
(participants, followers, region subscribers, everyone), each in their language."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from storage.db import Params, Transaction
from storage.models import Reminder
from storage.repository import Repository
from storage.timeutil import from_db, to_db

_LANGUAGE = "COALESCE(u.language, u.detected_language, 'de')"
# Workshop :w as w, and user u's registration for it (g), if any.
_REGISTRATION = (
    "JOIN workshops w ON w.id = :w"
    " LEFT JOIN registrations g ON g.user_id = u.telegram_id AND g.workshop_id = w.id"
)
# Whether user u follows workshop w (asked for its reminders).
_FOLLOWS = (
    "EXISTS (SELECT 1 FROM workshop_followers f WHERE f.workshop_id = w.id"
    " AND f.user_id = u.telegram_id)"
)


@dataclass(frozen=True)
class Recipient:
    """Someone to notify, in their language."""

    user_id: int
    language: str
    registration: str | None = None  # confirmed / waiting for participants
    follows: bool = False  # asked for reminders (in change_recipients)


async def _recipients(
    tx: Transaction, *, joins: str = "", where: str = "", columns: str = "", params: Params = ()
) -> list[Recipient]:
    """The users who have not blocked the bot and whom joins and where select, by id, each with
    their language (and the columns registration, follows if asked for), to notify."""
    rows = await tx.fetchall(
        f"SELECT u.telegram_id AS user_id, {_LANGUAGE} AS language{columns} FROM users u {joins}"
        f" WHERE u.blocked_at IS NULL{where} ORDER BY u.telegram_id",
        params,
    )
    return [Recipient(**dict(r)) for r in rows]


class WorkshopReminders(Repository):
    """The reminder and audience queries of storage.workshops.WorkshopRepository."""

    async def due_reminders(self, now: dt.datetime) -> list[Reminder]:
        """Pending reminders whose time has come."""
        rows = await self._db.fetchall(
            "SELECT id, workshop_id, label, due_at, state FROM reminders"
            " WHERE state = 'pending' AND due_at <= ? ORDER BY due_at, id",
            (to_db(now),),
        )
        return [Reminder.of(r) for r in rows]

    async def next_reminder_due(self) -> dt.datetime | None:
        """When the next pending reminder is due."""
        row = await self._db.fetchone(
            "SELECT MIN(due_at) AS due FROM reminders WHERE state = 'pending'"
        )
        return from_db(row["due"]) if row and row["due"] else None

    async def reminders_of(self, workshop_id: int) -> list[Reminder]:
        """All reminder rows of a workshop."""
        rows = await self._db.fetchall(
            "SELECT id, workshop_id, label, due_at, state FROM reminders WHERE workshop_id = ?"
            " ORDER BY due_at",
            (workshop_id,),
        )
        return [Reminder.of(r) for r in rows]

    @staticmethod
    async def upcoming_reminders(
        tx: Transaction, now: dt.datetime
    ) -> list[tuple[int, dt.datetime, list[Reminder]]]:
        """(id, start, reminder rows) of every workshop not cancelled and not yet started."""
        workshops = await tx.fetchall(
            "SELECT id, starts_at FROM workshops WHERE status != 'cancelled' AND starts_at > ?"
            " ORDER BY id",
            (to_db(now),),
        )
        rows = await tx.fetchall(
            "SELECT r.id, r.workshop_id, r.label, r.due_at, r.state FROM reminders r"
            " JOIN workshops w ON w.id = r.workshop_id"
            " WHERE w.status != 'cancelled' AND w.starts_at > ? ORDER BY r.due_at, r.id",
            (to_db(now),),
        )
        by_workshop: dict[int, list[Reminder]] = {int(w["id"]): [] for w in workshops}
        for r in rows:
            by_workshop[int(r["workshop_id"])].append(Reminder.of(r))
        return [
            (int(w["id"]), from_db(w["starts_at"]), by_workshop[int(w["id"])]) for w in workshops
        ]

    @staticmethod
    async def change_reminders(
        tx: Transaction,
        workshop_id: int,
        add: Iterable[tuple[str, dt.datetime]],
        move: Iterable[tuple[int, dt.datetime]],
        drop: Iterable[int],
    ) -> None:
        """Add slots (a dropped one comes back), move and delete pending ones; sent ones stay."""
        await tx.executemany(
            "INSERT INTO reminders (workshop_id, label, due_at) VALUES (?, ?, ?)"
            " ON CONFLICT (workshop_id, label) DO UPDATE SET due_at = excluded.due_at,"
            " state = 'pending' WHERE reminders.state = 'dropped'",
            [(workshop_id, label, to_db(due)) for label, due in add],
        )
        await tx.executemany(
            "UPDATE reminders SET due_at = ? WHERE id = ? AND state = 'pending'",
            [(to_db(due), reminder_id) for reminder_id, due in move],
        )
        await tx.executemany(
            "DELETE FROM reminders WHERE id = ? AND state = 'pending'",
            [(reminder_id,) for reminder_id in drop],
        )

    @staticmethod
    async def set_reminder_state(tx: Transaction, reminder_id: int, state: str) -> bool:
        """Settle a pending reminder; False if it was no longer pending."""
        changed = await tx.execute(
            "UPDATE reminders SET state = ? WHERE id = ? AND state = 'pending'",
            (state, reminder_id),
        )
        return changed == 1

    @staticmethod
    async def reminder_recipients(tx: Transaction, workshop_id: int) -> list[Recipient]:
        """Followers and confirmed participants who have not blocked the bot."""
        return await _recipients(
            tx,
            columns=", g.status AS registration",
            joins=_REGISTRATION,
            where=f" AND (g.status = 'confirmed' OR {_FOLLOWS})",
            params={"w": workshop_id},
        )

    @staticmethod
    async def change_recipients(tx: Transaction, workshop_id: int) -> list[Recipient]:
        """Everyone who should hear of a change: participants, followers, region subscribers."""
        return await _recipients(
            tx,
            columns=f", g.status AS registration, {_FOLLOWS} AS follows",
            joins=_REGISTRATION,
            where=f" AND (g.status IS NOT NULL OR {_FOLLOWS}"
            " OR EXISTS (SELECT 1 FROM region_subscriptions s WHERE s.region_id = w.region_id"
            "  AND s.user_id = u.telegram_id))",
            params={"w": workshop_id},
        )

    @staticmethod
    async def region_subscribers(tx: Transaction, region_id: int) -> list[Recipient]:
        """Subscribers of a region who have not blocked the bot."""
        return await _recipients(
            tx,
            joins="JOIN region_subscriptions s ON s.user_id = u.telegram_id",
            where=" AND s.region_id = ?",
            params=(region_id,),
        )

    @staticmethod
    async def all_active_users(tx: Transaction) -> list[Recipient]:
        """Everyone who has not blocked the bot."""
        return await _recipients(tx)

    @staticmethod
    async def language_of(tx: Transaction, user_id: int) -> str:
        """The language to write to one user in."""
        row = await tx.fetchone(
            f"SELECT {_LANGUAGE} AS language FROM users u WHERE u.telegram_id = ?", (user_id,)
        )
        return str(row["language"]) if row else "de"
