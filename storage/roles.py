"""Roles: admins and regional contacts, granted and revoked in the bot."""

from __future__ import annotations

import datetime as dt

from storage.audit import AuditNote, AuditRepository
from storage.collation import sort_key
from storage.db import Database, Transaction
from storage.models import Grant
from storage.outbox import OutboxRepository, Outgoing
from storage.repository import Repository
from storage.timeutil import to_db
from storage.workgroups import WorkgroupRepository


class RoleRepository(Repository):
    """Who may moderate and administrate; checked at every use."""

    async def is_admin(self, user_id: int) -> bool:
        """Whether the user holds the admin role in the database."""
        row = await self._db.fetchone(
            "SELECT 1 FROM roles WHERE user_id = ? AND role = 'admin'", (user_id,)
        )
        return row is not None

    async def contact_regions(self, user_id: int) -> list[int]:
        """The regions the user is a contact for."""
        return await self._db.ids(
            "SELECT region_id FROM roles WHERE user_id = ? AND role = 'contact' ORDER BY region_id",
            (user_id,),
        )

    async def holders(self, role: str, region_id: int | None = None) -> list[int]:
        """User ids holding a role (for contacts: of one region)."""
        if role == "admin":
            rows = await self._db.fetchall("SELECT user_id FROM roles WHERE role = 'admin'")
        else:
            rows = await self._db.fetchall(
                "SELECT user_id FROM roles WHERE role = 'contact' AND region_id = ?", (region_id,)
            )
        return sorted(int(r["user_id"]) for r in rows)

    async def grant(
        self,
        user_id: int,
        role: str,
        region_id: int | None,
        by: int | None,
        now: dt.datetime,
        *,
        audit: AuditNote | None = None,
        notice: Outgoing | None = None,
    ) -> bool:
        """Grant a role; False if the user already had it (then nothing is written).

        The role, its audit row and the notice to the user commit together.
        """
        async with self._db.transaction() as tx:
            changed = await tx.execute(
                "INSERT OR IGNORE INTO roles (user_id, role, region_id, granted_by, granted_at)"
                " VALUES (?, ?, ?, ?, ?)",
                (user_id, role, region_id, by, to_db(now)),
            )
            if changed != 1:
                return False
            await self._after_change(tx, "role_granted", now, audit, notice)
        return True

    async def revoke(
        self,
        user_id: int,
        role: str,
        region_id: int | None,
        *,
        now: dt.datetime | None = None,
        audit: AuditNote | None = None,
        notice: Outgoing | None = None,
    ) -> bool:
        """Revoke a role; False if the user did not have it (then nothing is written).

        A regional contact is also unlinked from the region's imported contact records.
        """
        async with self._db.transaction() as tx:
            changed = await tx.execute(
                "DELETE FROM roles WHERE user_id = ? AND role = ? AND COALESCE(region_id, 0) = ?",
                (user_id, role, region_id or 0),
            )
            if changed != 1:
                return False
            if role == "contact" and region_id is not None:
                await WorkgroupRepository.unlink_contact(tx, user_id, region_id)
            if now is not None:
                await self._after_change(tx, "role_revoked", now, audit, notice)
        return True

    @staticmethod
    async def _after_change(
        tx: Transaction,
        kind: str,
        now: dt.datetime,
        audit: AuditNote | None,
        notice: Outgoing | None,
    ) -> None:
        if audit is not None:
            await AuditRepository.record(tx, audit, now)
        if notice is not None:
            await OutboxRepository.enqueue(tx, kind, [notice], now)

    async def all_grants(self) -> list[Grant]:
        """Every role granted in the database, admins first, then contacts by region."""
        rows = await self._db.fetchall(
            "SELECT o.user_id, o.role, o.region_id, r.slug AS region_slug, r.name AS region_name,"
            " r.name_en AS region_name_en, o.granted_by, o.granted_at"
            " FROM roles o LEFT JOIN regions r ON r.id = o.region_id"
            " ORDER BY o.role, o.user_id"
        )
        grants = [Grant.of(r) for r in rows]
        return sorted(grants, key=lambda g: (g.role, sort_key(g.region_name or "")))

    async def language_of(self, user_id: int) -> str:
        """The language to write to a user in (chosen, else their Telegram app's, else German)."""
        row = await self._db.fetchone(
            "SELECT COALESCE(language, detected_language, 'de') AS language FROM users"
            " WHERE telegram_id = ?",
            (user_id,),
        )
        return str(row["language"]) if row else "de"

    async def admin_count(self) -> int:
        """How many users hold the admin role in the database."""
        return await self._db.count("SELECT COUNT(*) FROM roles WHERE role = 'admin'")

    @staticmethod
    async def moderators(
        tx: Database | Transaction, region_id: int | None, config_admins: frozenset[int]
    ) -> list[tuple[int, str]]:
        """(user id, language) of everyone who moderates a region and uses the bot.

        That is: configured admins, granted admins and the region's contacts.
        """
        admins = sorted(config_admins) or [0]
        marks = ",".join("?" * len(admins))
        rows = await tx.fetchall(
            "SELECT u.telegram_id AS user_id,"
            " COALESCE(u.language, u.detected_language, 'de') AS language FROM users u"
            f" WHERE u.blocked_at IS NULL AND (u.telegram_id IN ({marks})"
            " OR EXISTS (SELECT 1 FROM roles o WHERE o.user_id = u.telegram_id AND"
            " (o.role = 'admin' OR (o.role = 'contact' AND o.region_id = ?))))"
            " ORDER BY u.telegram_id",
            (*admins, region_id),
        )
        return [(int(r["user_id"]), str(r["language"])) for r in rows]

    async def moderates(
        self, user_id: int, region_id: int | None, tx: Transaction | None = None
    ) -> bool:
        """Whether a granted role lets the user moderate the region."""
        row = await (tx or self._db).fetchone(
            "SELECT 1 FROM roles WHERE user_id = ? AND (role = 'admin'"
            " OR (role = 'contact' AND region_id = ?))",
            (user_id, region_id),
        )
        return row is not None

    # ----------------------------------------------------------------- regional contacts

    @staticmethod
    async def contact_ids(tx: Transaction, region_id: int) -> list[int]:
        """Telegram users linked as contacts of the region, by user id."""
        return await tx.ids(
            "SELECT user_id FROM roles WHERE role = 'contact' AND region_id = ? ORDER BY user_id",
            (region_id,),
        )

    @staticmethod
    async def admin_ids(tx: Transaction) -> set[int]:
        """Users granted the admin role in the database (not the configured ones)."""
        rows = await tx.fetchall("SELECT user_id FROM roles WHERE role = 'admin'")
        return {int(r["user_id"]) for r in rows}

    @staticmethod
    async def contact_regions_in(tx: Transaction, user_id: int) -> set[int]:
        """The regions the user is a contact for, read inside a transaction."""
        rows = await tx.fetchall(
            "SELECT region_id FROM roles WHERE user_id = ? AND role = 'contact'", (user_id,)
        )
        return {int(r["region_id"]) for r in rows}

    @staticmethod
    async def grant_contact_by_invite(
        tx: Transaction, user_id: int, token: str, now: dt.datetime
    ) -> None:
        """Make the user a contact of the invitation's region, granted by its creator."""
        await tx.execute(
            "INSERT OR IGNORE INTO roles (user_id, role, region_id, granted_by, granted_at)"
            " SELECT ?, 'contact', region_id, created_by, ? FROM contact_invites"
            " WHERE token = ?",
            (user_id, to_db(now), token),
        )

    @staticmethod
    async def revoke_contact(tx: Transaction, user_id: int, region_id: int) -> int:
        """Remove the user's contact role for the region; the number of rows removed."""
        return await tx.execute(
            "DELETE FROM roles WHERE user_id = ? AND role = 'contact' AND region_id = ?",
            (user_id, region_id),
        )

    async def linked_contacts(self) -> list[tuple[int, int, str, str | None]]:
        """Linked contacts: (user id, region id, region name, imported contact name)."""
        rows = await self._db.fetchall(
            "SELECT o.user_id, o.region_id, r.name AS region_name,"
            " (SELECT c.name FROM contacts c WHERE c.telegram_id = o.user_id"
            " AND c.region_id = o.region_id) AS name FROM roles o"
            " JOIN regions r ON r.id = o.region_id WHERE o.role = 'contact'"
            " ORDER BY o.user_id"
        )
        linked = [(r["user_id"], r["region_id"], r["region_name"], r["name"]) for r in rows]
        return sorted(linked, key=lambda c: sort_key(c[2]))
