"""Ideenlabore: workshops, followers, region subscriptions, registrations, reminders."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass, field

from storage.db import Database, Transaction
from storage.models import Registration, Reminder, UserWorkshopState, Workshop, WorkshopPage
from storage.timeutil import from_db, to_db

PAGE_SIZE = 8

_SELECT = (
    "SELECT w.id, w.slug, w.region_id, r.name AS region_name, r.slug AS region_slug,"
    " r.name_en AS region_name_en, w.title,"
    " w.description, w.starts_at, w.ends_at, w.venue, w.address, w.registration_url,"
    " w.capacity, w.status, w.sequence, w.time_known, w.city, w.organisers, w.participants,"
    " w.participants_qualifier, w.report, w.title_en, w.description_en, w.report_en, w.sources,"
    " (SELECT COUNT(*) FROM registrations g WHERE g.workshop_id = w.id"
    "  AND g.status = 'confirmed') AS confirmed,"
    " (SELECT COUNT(*) FROM registrations g WHERE g.workshop_id = w.id"
    "  AND g.status = 'waiting') AS waiting"
    " FROM workshops w JOIN regions r ON r.id = w.region_id"
)
_LANGUAGE = "COALESCE(u.language, u.detected_language, 'de')"


def _workshop(row: object) -> Workshop:
    data = dict(row)  # type: ignore[call-overload]
    data["starts_at"] = from_db(data["starts_at"])
    data["ends_at"] = from_db(data["ends_at"])
    data["time_known"] = bool(data["time_known"])
    data["organisers"] = tuple(json.loads(data["organisers"]))
    data["sources"] = tuple(json.loads(data["sources"]))
    return Workshop(**data)


# For other repositories reading workshops (the Rückblick).
WORKSHOP_SELECT = _SELECT
workshop_record = _workshop


@dataclass(frozen=True)
class WorkshopFields:
    """What an admin or an import sets on a workshop."""

    region_id: int
    title: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    description: str = ""
    venue: str = ""
    address: str = ""
    registration_url: str | None = None
    capacity: int | None = None


@dataclass(frozen=True)
class WorkshopFacts:
    """What the Rückblick shows of a (past) workshop; set by imports, kept by admin edits."""

    time_known: bool = True
    city: str = ""
    organisers: tuple[str, ...] = ()
    participants: int | None = None
    participants_qualifier: str | None = None  # about, more_than, almost
    report: str = ""
    title_en: str | None = None
    description_en: str | None = None
    report_en: str | None = None
    sources: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class Recipient:
    """Someone to notify, in their language."""

    user_id: int
    language: str
    registration: str | None = None  # confirmed / waiting for participants
    follows: bool = False  # asked for reminders (in change_recipients)


class WorkshopRepository:
    """Reads and transactional writes around workshops."""

    def __init__(self, db: Database) -> None:
        self._db = db

    # ----------------------------------------------------------------- reading

    async def get(self, workshop_id: int, tx: Transaction | None = None) -> Workshop | None:
        """One workshop with its seat counts."""
        source = tx or self._db
        row = await source.fetchone(_SELECT + " WHERE w.id = ?", (workshop_id,))
        return _workshop(row) if row else None

    async def get_by_slug(self, slug: str) -> Workshop | None:
        """One workshop by slug."""
        row = await self._db.fetchone(_SELECT + " WHERE w.slug = ?", (slug,))
        return _workshop(row) if row else None

    async def upcoming_page(
        self, now: dt.datetime, region_id: int | None, page: int, page_size: int = PAGE_SIZE
    ) -> WorkshopPage:
        """Workshops that have not ended yet, soonest first; optionally of one region."""
        where = "w.ends_at > ?" + (" AND w.region_id = ?" if region_id else "")
        params: tuple[object, ...] = (to_db(now), region_id) if region_id else (to_db(now),)
        row = await self._db.fetchone(
            f"SELECT COUNT(*) AS n FROM workshops w WHERE {where}", params
        )
        total = int(row["n"]) if row else 0
        page_count = max(1, -(-total // page_size))
        page = min(max(page, 0), page_count - 1)
        rows = await self._db.fetchall(
            _SELECT + f" WHERE {where} ORDER BY w.starts_at, w.id LIMIT ? OFFSET ?",
            (*params, page_size, page * page_size),
        )
        items = tuple(_workshop(r) for r in rows)
        return WorkshopPage(items=items, page=page, page_count=page_count, total=total)

    async def upcoming_counts(self, now: dt.datetime) -> dict[int, int]:
        """Number of upcoming workshops per region id."""
        rows = await self._db.fetchall(
            "SELECT region_id, COUNT(*) AS n FROM workshops WHERE ends_at > ? GROUP BY region_id",
            (to_db(now),),
        )
        return {int(r["region_id"]): int(r["n"]) for r in rows}

    async def user_state(self, workshop_id: int, user_id: int) -> UserWorkshopState:
        """Registration, waiting position, reminder and region subscription of one user."""
        row = await self._db.fetchone(
            "SELECT g.status AS registration,"
            " CASE WHEN g.status = 'waiting' THEN (SELECT COUNT(*) FROM registrations o"
            "  WHERE o.workshop_id = g.workshop_id AND o.status = 'waiting' AND o.id <= g.id)"
            "  END AS waiting_position,"
            " EXISTS (SELECT 1 FROM workshop_followers f WHERE f.workshop_id = w.id"
            "  AND f.user_id = :user) AS follows,"
            " EXISTS (SELECT 1 FROM region_subscriptions s WHERE s.region_id = w.region_id"
            "  AND s.user_id = :user) AS subscribed_region"
            " FROM workshops w LEFT JOIN registrations g ON g.workshop_id = w.id"
            " AND g.user_id = :user WHERE w.id = :workshop",
            {"user": user_id, "workshop": workshop_id},
        )
        if row is None:
            return UserWorkshopState(
                registration=None, waiting_position=None, follows=False, subscribed_region=False
            )
        return UserWorkshopState(**dict(row))

    async def participants(self, workshop_id: int) -> list[Registration]:
        """Confirmed participants first, then the waiting list, each in order of registration."""
        rows = await self._db.fetchall(
            "SELECT id, workshop_id, user_id, display_name, status, created_at"
            " FROM registrations WHERE workshop_id = ?"
            " ORDER BY CASE status WHEN 'confirmed' THEN 0 ELSE 1 END, id",
            (workshop_id,),
        )
        return [Registration(**dict(r)) for r in rows]

    async def registrations_of(self, user_id: int, now: dt.datetime) -> list[tuple[Workshop, str]]:
        """The user's registrations for workshops that have not ended."""
        rows = await self._db.fetchall(
            _SELECT.replace("SELECT w.id", "SELECT g.status AS my_status, w.id", 1)
            + " JOIN registrations g ON g.workshop_id = w.id AND g.user_id = ?"
            " WHERE w.ends_at > ? ORDER BY w.starts_at",
            (user_id, to_db(now)),
        )
        out = []
        for row in rows:
            data = dict(row)
            status = data.pop("my_status")
            out.append((_workshop(data), status))
        return out

    async def followed_by(self, user_id: int, now: dt.datetime) -> list[Workshop]:
        """Workshops the user wants reminders for (not ended)."""
        rows = await self._db.fetchall(
            _SELECT + " JOIN workshop_followers f ON f.workshop_id = w.id AND f.user_id = ?"
            " WHERE w.ends_at > ? ORDER BY w.starts_at",
            (user_id, to_db(now)),
        )
        return [_workshop(r) for r in rows]

    async def subscribed_regions(self, user_id: int) -> list[tuple[int, str]]:
        """(region id, name) of the user's region subscriptions."""
        rows = await self._db.fetchall(
            "SELECT r.id, r.name FROM region_subscriptions s JOIN regions r ON r.id = s.region_id"
            " WHERE s.user_id = ? ORDER BY r.name",
            (user_id,),
        )
        return [(int(r["id"]), str(r["name"])) for r in rows]

    # ----------------------------------------------------------------- writing

    @staticmethod
    async def create(tx: Transaction, slug: str, fields: WorkshopFields, now: dt.datetime) -> int:
        """Insert a new workshop; return its id."""
        return await tx.insert(
            "INSERT INTO workshops (slug, region_id, title, description, starts_at, ends_at,"
            " venue, address, registration_url, capacity, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                slug,
                fields.region_id,
                fields.title,
                fields.description,
                to_db(fields.starts_at),
                to_db(fields.ends_at),
                fields.venue,
                fields.address,
                fields.registration_url,
                fields.capacity,
                to_db(now),
                to_db(now),
            ),
        )

    @staticmethod
    async def update(
        tx: Transaction,
        workshop_id: int,
        fields: WorkshopFields,
        now: dt.datetime,
        *,
        status: str = "changed",
    ) -> None:
        """Change a workshop (marks it changed and bumps its sequence)."""
        await tx.execute(
            "UPDATE workshops SET region_id = ?, title = ?, description = ?, starts_at = ?,"
            " ends_at = ?, venue = ?, address = ?, registration_url = ?, capacity = ?,"
            " status = ?, sequence = sequence + 1, updated_at = ?, shipped = 0 WHERE id = ?",
            (
                fields.region_id,
                fields.title,
                fields.description,
                to_db(fields.starts_at),
                to_db(fields.ends_at),
                fields.venue,
                fields.address,
                fields.registration_url,
                fields.capacity,
                status,
                to_db(now),
                workshop_id,
            ),
        )

    @staticmethod
    async def set_facts(
        tx: Transaction, workshop_id: int, facts: WorkshopFacts, *, shipped: bool = False
    ) -> None:
        """Set the Rückblick facts and English texts (shipped: as shipped with the bot)."""
        await tx.execute(
            "UPDATE workshops SET time_known = ?, city = ?, organisers = ?, participants = ?,"
            " participants_qualifier = ?, report = ?, title_en = ?, description_en = ?,"
            " report_en = ?, sources = ?, shipped = ? WHERE id = ?",
            (
                int(facts.time_known),
                facts.city,
                json.dumps(list(facts.organisers), ensure_ascii=False),
                facts.participants,
                facts.participants_qualifier,
                facts.report,
                facts.title_en,
                facts.description_en,
                facts.report_en,
                json.dumps(list(facts.sources)),
                int(shipped),
                workshop_id,
            ),
        )

    @staticmethod
    async def cancel(tx: Transaction, workshop_id: int, now: dt.datetime) -> None:
        """Mark a workshop cancelled and drop its pending reminders."""
        await tx.execute(
            "UPDATE workshops SET status = 'cancelled', sequence = sequence + 1, updated_at = ?,"
            " shipped = 0 WHERE id = ?",
            (to_db(now), workshop_id),
        )
        await tx.execute(
            "UPDATE reminders SET state = 'dropped' WHERE workshop_id = ? AND state = 'pending'",
            (workshop_id,),
        )

    @staticmethod
    async def set_reminders(
        tx: Transaction, workshop_id: int, times: list[tuple[str, dt.datetime]]
    ) -> None:
        """Replace the workshop's reminder times (a new time means new reminders)."""
        await tx.execute("DELETE FROM reminders WHERE workshop_id = ?", (workshop_id,))
        await tx.executemany(
            "INSERT INTO reminders (workshop_id, label, due_at) VALUES (?, ?, ?)",
            [(workshop_id, label, to_db(due)) for label, due in times],
        )

    async def follow(self, workshop_id: int, user_id: int, on: bool, now: dt.datetime) -> None:
        """Switch the workshop's reminders on or off for the user."""
        if on:
            await self._db.execute(
                "INSERT OR IGNORE INTO workshop_followers (workshop_id, user_id, created_at)"
                " VALUES (?, ?, ?)",
                (workshop_id, user_id, to_db(now)),
            )
        else:
            await self._db.execute(
                "DELETE FROM workshop_followers WHERE workshop_id = ? AND user_id = ?",
                (workshop_id, user_id),
            )

    async def subscribe_region(
        self, region_id: int, user_id: int, on: bool, now: dt.datetime
    ) -> None:
        """Subscribe to (or unsubscribe from) a region's new dates."""
        if on:
            await self._db.execute(
                "INSERT OR IGNORE INTO region_subscriptions (region_id, user_id, created_at)"
                " VALUES (?, ?, ?)",
                (region_id, user_id, to_db(now)),
            )
        else:
            await self._db.execute(
                "DELETE FROM region_subscriptions WHERE region_id = ? AND user_id = ?",
                (region_id, user_id),
            )

    @staticmethod
    async def register(
        tx: Transaction, workshop_id: int, user_id: int, display_name: str, now: dt.datetime
    ) -> str:
        """Take a seat, or a waiting-list place when full; return 'confirmed' or 'waiting'."""
        existing = await tx.fetchone(
            "SELECT status FROM registrations WHERE workshop_id = ? AND user_id = ?",
            (workshop_id, user_id),
        )
        if existing is not None:
            return str(existing["status"])
        row = await tx.fetchone(
            "SELECT w.capacity, (SELECT COUNT(*) FROM registrations g WHERE g.workshop_id = w.id"
            " AND g.status = 'confirmed') AS confirmed FROM workshops w WHERE w.id = ?",
            (workshop_id,),
        )
        full = (
            row is not None and row["capacity"] is not None and row["confirmed"] >= row["capacity"]
        )
        status = "waiting" if full else "confirmed"
        await tx.execute(
            "INSERT INTO registrations (workshop_id, user_id, display_name, status, created_at)"
            " VALUES (?, ?, ?, ?, ?)",
            (workshop_id, user_id, display_name, status, to_db(now)),
        )
        return status

    @staticmethod
    async def unregister(tx: Transaction, workshop_id: int, user_id: int) -> str | None:
        """Give up a seat or waiting place; return what it was (None if there was none)."""
        row = await tx.fetchone(
            "SELECT status FROM registrations WHERE workshop_id = ? AND user_id = ?",
            (workshop_id, user_id),
        )
        if row is None:
            return None
        await tx.execute(
            "DELETE FROM registrations WHERE workshop_id = ? AND user_id = ?",
            (workshop_id, user_id),
        )
        return str(row["status"])

    @staticmethod
    async def promote_waiting(tx: Transaction, workshop_id: int) -> list[int]:
        """Move people up from the waiting list into free seats; return their user ids."""
        row = await tx.fetchone(
            "SELECT w.capacity, (SELECT COUNT(*) FROM registrations g WHERE g.workshop_id = w.id"
            " AND g.status = 'confirmed') AS confirmed FROM workshops w WHERE w.id = ?",
            (workshop_id,),
        )
        if row is None:
            return []
        if row["capacity"] is None:
            free = -1  # no limit: everybody moves up
        else:
            free = max(0, int(row["capacity"]) - int(row["confirmed"]))
            if free == 0:
                return []
        rows = await tx.fetchall(
            "SELECT id, user_id FROM registrations WHERE workshop_id = ? AND status = 'waiting'"
            " ORDER BY id LIMIT ?",
            (workshop_id, free),
        )
        await tx.executemany(
            "UPDATE registrations SET status = 'confirmed' WHERE id = ?", [(r["id"],) for r in rows]
        )
        return [int(r["user_id"]) for r in rows]

    # ----------------------------------------------------------------- reminders and audiences

    async def due_reminders(self, now: dt.datetime) -> list[Reminder]:
        """Pending reminders whose time has come."""
        rows = await self._db.fetchall(
            "SELECT id, workshop_id, label, due_at, state FROM reminders"
            " WHERE state = 'pending' AND due_at <= ? ORDER BY due_at, id",
            (to_db(now),),
        )
        return [Reminder(**{**dict(r), "due_at": from_db(r["due_at"])}) for r in rows]

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
        return [Reminder(**{**dict(r), "due_at": from_db(r["due_at"])}) for r in rows]

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
            by_workshop[int(r["workshop_id"])].append(
                Reminder(**{**dict(r), "due_at": from_db(r["due_at"])})
            )
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
        rows = await tx.fetchall(
            f"SELECT u.telegram_id AS user_id, {_LANGUAGE} AS language, g.status AS registration"
            " FROM users u LEFT JOIN registrations g ON g.user_id = u.telegram_id"
            " AND g.workshop_id = :w"
            " WHERE u.blocked_at IS NULL AND (g.status = 'confirmed' OR EXISTS (SELECT 1 FROM"
            " workshop_followers f WHERE f.workshop_id = :w AND f.user_id = u.telegram_id))"
            " ORDER BY u.telegram_id",
            {"w": workshop_id},
        )
        return [Recipient(**dict(r)) for r in rows]

    @staticmethod
    async def change_recipients(tx: Transaction, workshop_id: int) -> list[Recipient]:
        """Everyone who should hear of a change: participants, followers, region subscribers."""
        rows = await tx.fetchall(
            f"SELECT u.telegram_id AS user_id, {_LANGUAGE} AS language, g.status AS registration,"
            " EXISTS (SELECT 1 FROM workshop_followers f WHERE f.workshop_id = w.id"
            "  AND f.user_id = u.telegram_id) AS follows"
            " FROM users u JOIN workshops w ON w.id = :w"
            " LEFT JOIN registrations g ON g.user_id = u.telegram_id AND g.workshop_id = w.id"
            " WHERE u.blocked_at IS NULL AND (g.status IS NOT NULL"
            " OR EXISTS (SELECT 1 FROM workshop_followers f WHERE f.workshop_id = w.id"
            "  AND f.user_id = u.telegram_id)"
            " OR EXISTS (SELECT 1 FROM region_subscriptions s WHERE s.region_id = w.region_id"
            "  AND s.user_id = u.telegram_id))"
            " ORDER BY u.telegram_id",
            {"w": workshop_id},
        )
        return [Recipient(**dict(r)) for r in rows]

    @staticmethod
    async def region_subscribers(tx: Transaction, region_id: int) -> list[Recipient]:
        """Subscribers of a region who have not blocked the bot."""
        rows = await tx.fetchall(
            f"SELECT u.telegram_id AS user_id, {_LANGUAGE} AS language FROM users u"
            " JOIN region_subscriptions s ON s.user_id = u.telegram_id"
            " WHERE s.region_id = ? AND u.blocked_at IS NULL ORDER BY u.telegram_id",
            (region_id,),
        )
        return [Recipient(**dict(r)) for r in rows]

    @staticmethod
    async def all_active_users(tx: Transaction) -> list[Recipient]:
        """Everyone who has not blocked the bot."""
        rows = await tx.fetchall(
            f"SELECT u.telegram_id AS user_id, {_LANGUAGE} AS language FROM users u"
            " WHERE u.blocked_at IS NULL ORDER BY u.telegram_id"
        )
        return [Recipient(**dict(r)) for r in rows]

    @staticmethod
    async def language_of(tx: Transaction, user_id: int) -> str:
        """The language to write to one user in."""
        row = await tx.fetchone(
            f"SELECT {_LANGUAGE} AS language FROM users u WHERE u.telegram_id = ?", (user_id,)
        )
        return str(row["language"]) if row else "de"

    # ----------------------------------------------------------------- admin views

    async def open_page(
        self, now: dt.datetime, page: int, page_size: int = PAGE_SIZE
    ) -> WorkshopPage:
        """Workshops an admin may still change or cancel: not started, not cancelled."""
        where = "w.starts_at > ? AND w.status != 'cancelled'"
        row = await self._db.fetchone(
            f"SELECT COUNT(*) AS n FROM workshops w WHERE {where}", (to_db(now),)
        )
        total = int(row["n"]) if row else 0
        page_count = max(1, -(-total // page_size))
        page = min(max(page, 0), page_count - 1)
        rows = await self._db.fetchall(
            _SELECT + f" WHERE {where} ORDER BY w.starts_at, w.id LIMIT ? OFFSET ?",
            (to_db(now), page_size, page * page_size),
        )
        items = tuple(_workshop(r) for r in rows)
        return WorkshopPage(items=items, page=page, page_count=page_count, total=total)

    async def active_user_count(self) -> int:
        """How many users have not blocked the bot (the audience "everyone")."""
        row = await self._db.fetchone("SELECT COUNT(*) AS n FROM users WHERE blocked_at IS NULL")
        return int(row["n"]) if row else 0

    async def subscriber_counts(self) -> dict[int, int]:
        """Region id → subscribers who have not blocked the bot (regions without any omitted)."""
        rows = await self._db.fetchall(
            "SELECT s.region_id, COUNT(*) AS n FROM region_subscriptions s"
            " JOIN users u ON u.telegram_id = s.user_id WHERE u.blocked_at IS NULL"
            " GROUP BY s.region_id"
        )
        return {int(r["region_id"]): int(r["n"]) for r in rows}

    async def change_recipient_count(self, workshop_id: int) -> int:
        """How many people a change or cancellation of the workshop would reach."""
        async with self._db.transaction() as tx:
            return len(await self.change_recipients(tx, workshop_id))
