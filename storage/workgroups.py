"""Working groups, regional contacts, invitations and registrations of interest."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from storage.collation import sort_key
from storage.db import Database, Transaction
from storage.models import Contact, InterestRegistration, Invite, Row, WorkingGroup
from storage.repository import Repository, named
from storage.timeutil import to_db

_GROUP = (
    "SELECT g.id, g.slug, g.name, g.region_id, r.name AS region_name, g.description, g.open,"
    " g.name_en, g.description_en FROM working_groups g JOIN regions r ON r.id = g.region_id"
)
_CONTACT = "SELECT id, slug, region_id, name, organisation, email, phone, telegram_id FROM contacts"
REGISTRATION_SELECT = (
    "SELECT s.id, s.group_id, g.name AS group_name, g.region_id, r.name AS region_name,"
    " s.user_id, s.name, s.email, s.phone, s.message, s.consent_text, s.consented_at,"
    " s.status, s.revision, s.created_at, s.contacted_at FROM interest_registrations s"
    " JOIN working_groups g ON g.id = s.group_id JOIN regions r ON r.id = g.region_id"
)


def _open_first(rows: Iterable[Row]) -> list[WorkingGroup]:
    """The groups of the rows, open ones first, each part by name."""
    groups = (WorkingGroup.of(r) for r in rows)
    return sorted(groups, key=lambda g: (not g.open, sort_key(g.name)))


class WorkgroupRepository(Repository):
    """Reads for the idea view, the dialogue and the contacts' lists."""

    async def groups_of_idea(self, idea_id: int) -> list[WorkingGroup]:
        """The working groups carrying an idea, open ones first."""
        rows = await self._db.fetchall(
            f"{_GROUP} JOIN working_group_ideas l ON l.group_id = g.id WHERE l.idea_id = ?"
            " ORDER BY g.id",
            (idea_id,),
        )
        return _open_first(rows)

    async def groups_of_region(self, region_id: int) -> list[WorkingGroup]:
        """The working groups of a region, open ones first."""
        rows = await self._db.fetchall(
            f"{_GROUP} WHERE g.region_id = ? ORDER BY g.id", (region_id,)
        )
        return _open_first(rows)

    async def ideas_of_group(self, group_id: int) -> list[tuple[int, str]]:
        """The ideas a working group carries (not archived ones): (id, title), by title."""
        rows = await self._db.fetchall(
            "SELECT i.id, i.title FROM ideas i JOIN working_group_ideas l ON l.idea_id = i.id"
            " WHERE l.group_id = ? AND i.archived_at IS NULL ORDER BY i.id",
            (group_id,),
        )
        return named(rows, "title")

    async def group(self, group_id: int) -> WorkingGroup | None:
        """One working group."""
        row = await self._db.fetchone(f"{_GROUP} WHERE g.id = ?", (group_id,))
        return WorkingGroup.of(row) if row else None

    async def contacts_of_region(self, region_id: int) -> list[Contact]:
        """The imported contacts of a region."""
        rows = await self._db.fetchall(f"{_CONTACT} WHERE region_id = ? ORDER BY id", (region_id,))
        return sorted((Contact(**dict(r)) for r in rows), key=lambda c: sort_key(c.name))

    async def contacts(self) -> list[Contact]:
        """Every imported contact (for the admins' list)."""
        rows = await self._db.fetchall(f"{_CONTACT} ORDER BY region_id, id")
        contacts = [Contact(**dict(r)) for r in rows]
        return sorted(contacts, key=lambda c: (c.region_id, sort_key(c.name)))

    async def contact_name(self, user_id: int, region_id: int) -> str | None:
        """The name of the imported contact linked to this Telegram user in the region."""
        row = await self._db.fetchone(
            "SELECT name FROM contacts WHERE telegram_id = ? AND region_id = ? ORDER BY id",
            (user_id, region_id),
        )
        return str(row["name"]) if row else None

    async def registration(self, registration_id: int) -> InterestRegistration | None:
        """One registration."""
        row = await self._db.fetchone(f"{REGISTRATION_SELECT} WHERE s.id = ?", (registration_id,))
        return InterestRegistration.of(row) if row else None

    async def registration_of(self, group_id: int, user_id: int) -> InterestRegistration | None:
        """The user's registration for a group (any status)."""
        row = await self._db.fetchone(
            f"{REGISTRATION_SELECT} WHERE s.group_id = ? AND s.user_id = ?", (group_id, user_id)
        )
        return InterestRegistration.of(row) if row else None

    async def registrations_of_user(self, user_id: int) -> list[InterestRegistration]:
        """The user's registrations, newest first."""
        rows = await self._db.fetchall(
            f"{REGISTRATION_SELECT} WHERE s.user_id = ? ORDER BY s.created_at DESC, s.id DESC",
            (user_id,),
        )
        return [InterestRegistration.of(r) for r in rows]

    async def registrations_of_regions(self, region_ids: list[int]) -> list[InterestRegistration]:
        """Open registrations (new, contacted) of the regions: new first, then newest first."""
        if not region_ids:
            return []
        marks = ",".join("?" * len(region_ids))
        rows = await self._db.fetchall(
            f"{REGISTRATION_SELECT} WHERE g.region_id IN ({marks}) AND s.status != 'withdrawn'"
            " ORDER BY s.status = 'new' DESC, s.updated_at DESC, s.id DESC",
            region_ids,
        )
        return [InterestRegistration.of(r) for r in rows]

    async def invite(self, token: str) -> Invite | None:
        """An invitation by its token."""
        return await _invite(self._db, token)

    # ----------------------------------------------------------------- groups (writes)

    @staticmethod
    async def create_for_idea(
        tx: Transaction, slug: str, name: str, region_id: int, idea_id: int, now: dt.datetime
    ) -> int:
        """An open working group carrying one idea (not shipped: imports leave it alone)."""
        group_id = await tx.insert(
            "INSERT INTO working_groups (slug, name, region_id, updated_at) VALUES (?, ?, ?, ?)",
            (slug, name, region_id, to_db(now)),
        )
        await tx.execute(
            "INSERT INTO working_group_ideas (group_id, idea_id) VALUES (?, ?)",
            (group_id, idea_id),
        )
        return group_id

    # ----------------------------------------------------------------- contacts (writes)

    @staticmethod
    async def email_contacts_of_region(
        tx: Transaction, region_id: int
    ) -> list[tuple[int, str, str]]:
        """Imported contacts of the region with an e-mail address: (id, name, address)."""
        rows = await tx.fetchall(
            "SELECT id, name, email FROM contacts WHERE region_id = ? AND email IS NOT NULL"
            " AND TRIM(email) != '' ORDER BY id",
            (region_id,),
        )
        return [(int(r["id"]), str(r["name"]), str(r["email"]).strip()) for r in rows]

    @staticmethod
    async def link_contact(tx: Transaction, contact_id: int, user_id: int) -> None:
        """Record the Telegram user of an imported contact."""
        await tx.execute("UPDATE contacts SET telegram_id = ? WHERE id = ?", (user_id, contact_id))

    @staticmethod
    async def unlink_contact(tx: Transaction, user_id: int, region_id: int) -> None:
        """Forget the Telegram user of the region's imported contact records."""
        await tx.execute(
            "UPDATE contacts SET telegram_id = NULL WHERE telegram_id = ? AND region_id = ?",
            (user_id, region_id),
        )

    # ----------------------------------------------------------------- invitations

    async def create_invite(
        self,
        token: str,
        region_id: int,
        contact_id: int | None,
        created_by: int,
        now: dt.datetime,
        expires_at: dt.datetime,
    ) -> None:
        """Store a new one-time invitation (on its own, autocommitted)."""
        await self._db.execute(
            "INSERT INTO contact_invites (token, region_id, contact_id, created_by, created_at,"
            " expires_at) VALUES (?, ?, ?, ?, ?, ?)",
            (token, region_id, contact_id, created_by, to_db(now), to_db(expires_at)),
        )

    @staticmethod
    async def invite_in(tx: Transaction, token: str) -> Invite | None:
        """An invitation by its token, read inside a transaction."""
        return await _invite(tx, token)

    @staticmethod
    async def use_invite(tx: Transaction, token: str, user_id: int, now: dt.datetime) -> None:
        """Mark the invitation as used by the user."""
        await tx.execute(
            "UPDATE contact_invites SET used_by = ?, used_at = ? WHERE token = ?",
            (user_id, to_db(now), token),
        )


async def _invite(source: Database | Transaction, token: str) -> Invite | None:
    row = await source.fetchone(
        "SELECT i.token, i.region_id, i.contact_id, i.expires_at, i.used_by, i.created_by,"
        " r.name AS region_name FROM contact_invites i JOIN regions r ON r.id = i.region_id"
        " WHERE i.token = ?",
        (token,),
    )
    if row is None:
        return None
    return Invite.of(row)


async def user_language(tx: Transaction, user_id: int) -> str:
    """The language a user gets notifications in."""
    row = await tx.fetchone(
        "SELECT COALESCE(language, detected_language, 'de') AS language FROM users"
        " WHERE telegram_id = ?",
        (user_id,),
    )
    return str(row["language"]) if row else "de"


async def region_slug(tx: Transaction, region_id: int) -> str | None:
    """The slug of a region, read inside a transaction."""
    row = await tx.fetchone("SELECT slug FROM regions WHERE id = ?", (region_id,))
    return str(row["slug"]) if row else None
