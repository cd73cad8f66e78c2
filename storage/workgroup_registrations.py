"""Registrations of interest: the writes, each inside the caller's transaction."""

from __future__ import annotations

import datetime as dt

from storage.db import Transaction
from storage.models import InterestRegistration
from storage.timeutil import to_db
from storage.workgroups import REGISTRATION_SELECT


class InterestRegistrationRepository:
    """Store, update, withdraw and mark registrations; find the ones still to deliver."""

    @staticmethod
    async def get(tx: Transaction, registration_id: int) -> InterestRegistration | None:
        """One registration, read inside the transaction."""
        row = await tx.fetchone(f"{REGISTRATION_SELECT} WHERE s.id = ?", (registration_id,))
        return InterestRegistration.of(row) if row else None

    @staticmethod
    async def group_open(tx: Transaction, group_id: int) -> bool:
        """Whether the working group exists and takes registrations, read in the transaction."""
        row = await tx.fetchone("SELECT open FROM working_groups WHERE id = ?", (group_id,))
        return row is not None and bool(row["open"])

    @staticmethod
    async def id_and_status(tx: Transaction, group_id: int, user_id: int) -> tuple[int, str] | None:
        """(id, status) of the user's registration for the group, if any."""
        row = await tx.fetchone(
            "SELECT id, status FROM interest_registrations WHERE group_id = ? AND user_id = ?",
            (group_id, user_id),
        )
        return (int(row["id"]), str(row["status"])) if row else None

    @staticmethod
    async def write(
        tx: Transaction,
        group_id: int,
        user_id: int,
        *,
        name: str,
        email: str | None,
        phone: str | None,
        message: str | None,
        consent_text: str,
        now: dt.datetime,
    ) -> int:
        """Store the user's registration for the group (status new), or replace the details of
        the one they have, consent again and start over as new (next revision); its id."""
        stamp = to_db(now)
        [registration_id] = await tx.ids(
            "INSERT INTO interest_registrations (group_id, user_id, name, email, phone,"
            " message, consent_text, consented_at, status, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'new', ?, ?)"
            " ON CONFLICT (group_id, user_id) DO UPDATE SET name = excluded.name,"
            " email = excluded.email, phone = excluded.phone, message = excluded.message,"
            " consent_text = excluded.consent_text, consented_at = excluded.consented_at,"
            " status = 'new', revision = revision + 1, updated_at = excluded.updated_at,"
            " contacted_at = NULL, contacted_by = NULL RETURNING id",
            (group_id, user_id, name, email, phone, message, consent_text, stamp, stamp, stamp),
        )
        return registration_id

    @staticmethod
    async def withdraw(tx: Transaction, registration_id: int, now: dt.datetime) -> None:
        """Withdraw a registration and erase its contact details (next revision)."""
        await tx.execute(
            "UPDATE interest_registrations SET status = 'withdrawn', email = NULL,"
            " phone = NULL, message = NULL, revision = revision + 1, updated_at = ?"
            " WHERE id = ?",
            (to_db(now), registration_id),
        )

    @staticmethod
    async def mark_contacted(
        tx: Transaction, registration_id: int, contact_id: int, now: dt.datetime
    ) -> None:
        """Record that a contact got in touch."""
        await tx.execute(
            "UPDATE interest_registrations SET status = 'contacted', contacted_at = ?,"
            " contacted_by = ? WHERE id = ?",
            (to_db(now), contact_id, registration_id),
        )

    @staticmethod
    async def new_in_region(tx: Transaction, region_id: int) -> list[int]:
        """Ids of the region's registrations still waiting for a contact (status new)."""
        return await tx.ids(
            "SELECT s.id FROM interest_registrations s JOIN working_groups g"
            " ON g.id = s.group_id WHERE g.region_id = ? AND s.status = 'new' ORDER BY s.id",
            (region_id,),
        )

    @staticmethod
    async def undelivered(tx: Transaction) -> list[tuple[int, int]]:
        """(contact user id, registration id) of new registrations not yet sent to a contact.

        Sent means: a new or updated notice of this revision is in the outbox for that contact.
        """
        rows = await tx.fetchall(
            "SELECT o.user_id, s.id FROM roles o"
            " JOIN working_groups g ON g.region_id = o.region_id"
            " JOIN interest_registrations s ON s.group_id = g.id"
            " WHERE o.role = 'contact' AND s.status = 'new' AND NOT EXISTS ("
            " SELECT 1 FROM outbox x WHERE x.chat_id = o.user_id AND x.dedupe_key IN ("
            " 'wg_new:' || s.id || ':' || s.revision || ':' || o.user_id,"
            " 'wg_updated:' || s.id || ':' || s.revision || ':' || o.user_id))"
            " ORDER BY o.user_id, s.id"
        )
        return [(int(r["user_id"]), int(r["id"])) for r in rows]
