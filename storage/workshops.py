"""Ideenlabore: workshops, followers, region subscriptions, registrations (their reminders
and audiences: storage.reminders)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field

from storage.db import Transaction
from storage.models import Registration, UserWorkshopState, Workshop, WorkshopPage
from storage.reminders import WorkshopReminders
from storage.repository import fetch_page, named
from storage.timeutil import to_db

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


# For other repositories reading workshops (the Rückblick).
WORKSHOP_SELECT = _SELECT


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


def _columns(fields: WorkshopFields) -> dict[str, object]:
    """What an admin sets on a workshop, as named parameters (its times as stored)."""
    return {
        **asdict(fields),
        "starts_at": to_db(fields.starts_at),
        "ends_at": to_db(fields.ends_at),
    }


class WorkshopRepository(WorkshopReminders):
    """Reads and transactional writes around workshops."""

    # ----------------------------------------------------------------- reading

    async def get(self, workshop_id: int, tx: Transaction | None = None) -> Workshop | None:
        """One workshop with its seat counts."""
        source = tx or self._db
        row = await source.fetchone(_SELECT + " WHERE w.id = ?", (workshop_id,))
        return Workshop.of(row) if row else None

    async def get_by_slug(self, slug: str) -> Workshop | None:
        """One workshop by slug."""
        row = await self._db.fetchone(_SELECT + " WHERE w.slug = ?", (slug,))
        return Workshop.of(row) if row else None

    async def upcoming_page(
        self, now: dt.datetime, region_id: int | None, page: int, page_size: int = PAGE_SIZE
    ) -> WorkshopPage:
        """Workshops that have not ended yet, soonest first; optionally of one region."""
        where = "w.ends_at > ?" + (" AND w.region_id = ?" if region_id else "")
        params: tuple[object, ...] = (to_db(now), region_id) if region_id else (to_db(now),)
        return await self._page(where, params, page, page_size)

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
            out.append((Workshop.of(data), status))
        return out

    async def followed_by(self, user_id: int, now: dt.datetime) -> list[Workshop]:
        """Workshops the user wants reminders for (not ended)."""
        rows = await self._db.fetchall(
            _SELECT + " JOIN workshop_followers f ON f.workshop_id = w.id AND f.user_id = ?"
            " WHERE w.ends_at > ? ORDER BY w.starts_at",
            (user_id, to_db(now)),
        )
        return [Workshop.of(r) for r in rows]

    async def subscribed_regions(self, user_id: int) -> list[tuple[int, str]]:
        """(region id, name) of the user's region subscriptions."""
        rows = await self._db.fetchall(
            "SELECT r.id, r.name FROM region_subscriptions s JOIN regions r ON r.id = s.region_id"
            " WHERE s.user_id = ? ORDER BY r.id",
            (user_id,),
        )
        return named(rows, "name")

    # ----------------------------------------------------------------- writing

    @staticmethod
    async def create(tx: Transaction, slug: str, fields: WorkshopFields, now: dt.datetime) -> int:
        """Insert a new workshop; return its id."""
        return await tx.insert(
            "INSERT INTO workshops (slug, region_id, title, description, starts_at, ends_at,"
            " venue, address, registration_url, capacity, created_at, updated_at)"
            " VALUES (:slug, :region_id, :title, :description, :starts_at, :ends_at, :venue,"
            " :address, :registration_url, :capacity, :now, :now)",
            {**_columns(fields), "slug": slug, "now": to_db(now)},
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
            "UPDATE workshops SET region_id = :region_id, title = :title,"
            " description = :description, starts_at = :starts_at, ends_at = :ends_at,"
            " venue = :venue, address = :address, registration_url = :registration_url,"
            " capacity = :capacity, status = :status, sequence = sequence + 1,"
            " updated_at = :now, shipped = 0 WHERE id = :id",
            {**_columns(fields), "status": status, "now": to_db(now), "id": workshop_id},
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
        await self._switch("workshop_followers", "workshop_id", workshop_id, user_id, on, now)

    async def subscribe_region(
        self, region_id: int, user_id: int, on: bool, now: dt.datetime
    ) -> None:
        """Subscribe to (or unsubscribe from) a region's new dates."""
        await self._switch("region_subscriptions", "region_id", region_id, user_id, on, now)

    async def _switch(
        self, table: str, key: str, key_id: int, user_id: int, on: bool, now: dt.datetime
    ) -> None:
        """Add (on) or remove the user's row for key_id in a table of followers."""
        if on:
            await self._db.execute(
                f"INSERT OR IGNORE INTO {table} ({key}, user_id, created_at) VALUES (?, ?, ?)",
                (key_id, user_id, to_db(now)),
            )
        else:
            await self._db.execute(
                f"DELETE FROM {table} WHERE {key} = ? AND user_id = ?", (key_id, user_id)
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

    # ----------------------------------------------------------------- admin views

    async def open_page(
        self, now: dt.datetime, page: int, page_size: int = PAGE_SIZE
    ) -> WorkshopPage:
        """Workshops an admin may still change or cancel: not started, not cancelled."""
        where = "w.starts_at > ? AND w.status != 'cancelled'"
        return await self._page(where, (to_db(now),), page, page_size)

    async def _page(
        self, where: str, params: Sequence[object], page: int, page_size: int
    ) -> WorkshopPage:
        """A page of the workshops where `where` holds, soonest first."""
        total = await self._db.count(f"SELECT COUNT(*) FROM workshops w WHERE {where}", params)
        return await fetch_page(
            self._db,
            WorkshopPage,
            f"{_SELECT} WHERE {where} ORDER BY w.starts_at, w.id",
            params,
            Workshop.of,
            total=total,
            page=page,
            page_size=page_size,
        )

    async def active_user_count(self) -> int:
        """How many users have not blocked the bot (the audience "everyone")."""
        return await self._db.count("SELECT COUNT(*) FROM users WHERE blocked_at IS NULL")

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
