"""Registrations of interest and regional contacts: each change commits with its notifications."""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from email.utils import format_datetime

from bot.mailer import new_message_id
from handlers.workgroup_actions import MarkContacted
from messages import workgroups as views
from messages.render import label
from storage.db import Database, Transaction
from storage.outbox import OutboxRepository, Outgoing
from storage.timeutil import to_db
from storage.workgroups import (
    InterestRegistration,
    WorkgroupRepository,
    registration,
    user_language,
)

logger = logging.getLogger(__name__)

INVITE_LIFETIME = dt.timedelta(days=7)
_SELECT = (
    "SELECT s.id, s.group_id, g.name AS group_name, g.region_id, r.name AS region_name,"
    " s.user_id, s.name, s.email, s.phone, s.message, s.consent_text, s.consented_at,"
    " s.status, s.revision, s.created_at, s.contacted_at FROM interest_registrations s"
    " JOIN working_groups g ON g.id = s.group_id JOIN regions r ON r.id = g.region_id"
    " WHERE s.id = ?"
)


@dataclass(frozen=True)
class Details:
    """What the citizen agreed to pass on."""

    name: str
    email: str | None = None
    phone: str | None = None
    message: str | None = None


class WorkgroupService:
    """Register, withdraw, mark contacted; invite, link and remove contacts."""

    def __init__(
        self,
        db: Database,
        clock: Callable[[], dt.datetime],
        *,
        config_admins: frozenset[int],
        wake: Callable[[], None] = lambda: None,
        mail_from: str | None = None,
    ) -> None:
        self._db = db
        self._mail_from = mail_from  # None: e-mail is off (no IDEENLABOR_SMTP_URL)
        self.repo = WorkgroupRepository(db)
        self._clock = clock
        self._config_admins = config_admins
        self.wake = wake

    # ----------------------------------------------------------------- who is told

    @staticmethod
    async def linked_contacts(tx: Transaction, region_id: int) -> list[int]:
        """Telegram users linked as contacts of the region."""
        rows = await tx.fetchall(
            "SELECT user_id FROM roles WHERE role = 'contact' AND region_id = ? ORDER BY user_id",
            (region_id,),
        )
        return [int(r["user_id"]) for r in rows]

    async def mail_contacts(self, tx: Transaction, region_id: int) -> list[tuple[int, str, str]]:
        """Imported contacts of the region reachable by e-mail: (id, name, address).

        Empty while SMTP is not configured.
        """
        if self._mail_from is None:
            return []
        rows = await tx.fetchall(
            "SELECT id, name, email FROM contacts WHERE region_id = ? AND email IS NOT NULL"
            " AND TRIM(email) != '' ORDER BY id",
            (region_id,),
        )
        return [(int(r["id"]), str(r["name"]), str(r["email"]).strip()) for r in rows]

    async def _mail(
        self,
        tx: Transaction,
        item: InterestRegistration,
        event: str,
        contacts: list[tuple[int, str, str]],
    ) -> None:
        """Queue the e-mails to the contacts, in the caller's transaction."""
        if self._mail_from is None or not contacts:
            return
        now = self._clock()
        messages = []
        for contact_id, name, address in contacts:
            subject, body = views.contact_email("de", item, event, name)
            payload: dict[str, object] = {
                "subject": subject,
                "body": body,
                "date": format_datetime(now),
                "message_id": new_message_id(self._mail_from),
            }
            key = f"email:wg_{event}:{item.id}:{item.revision}:{contact_id}"
            messages.append(Outgoing.email(address, payload, key))
        await OutboxRepository.enqueue(tx, f"wg_{event}", messages, now)

    @staticmethod
    def _buttons(
        language: str, item: InterestRegistration, event: str
    ) -> list[list[dict[str, str]]]:
        if event == "withdrawn":
            return []
        text = label(language, "wg.button.mark_contacted")
        return [[{"text": text, "data": MarkContacted(item.id).encode()}]]

    async def _admins(self, tx: Transaction) -> list[int]:
        rows = await tx.fetchall("SELECT user_id FROM roles WHERE role = 'admin'")
        return sorted(self._config_admins | {int(r["user_id"]) for r in rows})

    async def _notify_contacts(
        self, tx: Transaction, item: InterestRegistration, event: str, users: list[int]
    ) -> None:
        messages = []
        for user_id in users:
            language = await user_language(tx, user_id)
            messages.append(
                Outgoing(
                    user_id,
                    {
                        "text": views.contact_notice(language, item, event),
                        "buttons": self._buttons(language, item, event),
                    },
                    f"wg_{event}:{item.id}:{item.revision}:{user_id}",
                )
            )
        await OutboxRepository.enqueue(tx, f"wg_{event}", messages, self._clock())

    # ----------------------------------------------------------------- citizens

    async def register(
        self, group_id: int, user_id: int, details: Details, consent_text: str
    ) -> tuple[InterestRegistration, bool]:
        """Store (or update) a registration and tell the region's contacts or the admins."""
        now = to_db(self._clock())
        async with self._db.transaction() as tx:
            existing = await tx.fetchone(
                "SELECT id, status FROM interest_registrations WHERE group_id = ? AND user_id = ?",
                (group_id, user_id),
            )
            fields = (details.name, details.email, details.phone, details.message, consent_text)
            if existing is None:
                reg_id = await tx.insert(
                    "INSERT INTO interest_registrations (group_id, user_id, name, email, phone,"
                    " message, consent_text, consented_at, status, created_at, updated_at)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'new', ?, ?)",
                    (group_id, user_id, *fields, now, now, now),
                )
            else:
                reg_id = int(existing["id"])
                await tx.execute(
                    "UPDATE interest_registrations SET name = ?, email = ?, phone = ?,"
                    " message = ?, consent_text = ?, consented_at = ?, status = 'new',"
                    " revision = revision + 1, updated_at = ?, contacted_at = NULL,"
                    " contacted_by = NULL WHERE id = ?",
                    (*fields, now, now, reg_id),
                )
            updated = existing is not None and existing["status"] != "withdrawn"
            row = await tx.fetchone(_SELECT, (reg_id,))
            assert row is not None
            item = registration(row)
            event = "updated" if updated else "new"
            contacts = await self.linked_contacts(tx, item.region_id)
            mails = await self.mail_contacts(tx, item.region_id)
            if contacts:
                await self._notify_contacts(tx, item, event, contacts)
            await self._mail(tx, item, event, mails)
            if not contacts and not mails:
                await self._tell_admins_waiting(tx, item)
        logger.info("Registration %s for group %s (updated: %s)", reg_id, group_id, updated)
        self.wake()
        return item, updated

    async def _tell_admins_waiting(self, tx: Transaction, item: InterestRegistration) -> None:
        slug = await tx.fetchone("SELECT slug FROM regions WHERE id = ?", (item.region_id,))
        messages = []
        for admin in await self._admins(tx):
            language = await user_language(tx, admin)
            text = views.admin_waiting(language, item, str(slug["slug"]) if slug else "")
            messages.append(
                Outgoing(admin, {"text": text}, f"wg_waiting:{item.id}:{item.revision}:{admin}")
            )
        await OutboxRepository.enqueue(tx, "wg_waiting", messages, self._clock())

    async def withdraw(self, registration_id: int, user_id: int) -> InterestRegistration | None:
        """Withdraw the user's own registration (its details are erased); None if not theirs."""
        async with self._db.transaction() as tx:
            row = await tx.fetchone(_SELECT, (registration_id,))
            if row is None or row["user_id"] != user_id or row["status"] == "withdrawn":
                return None
            await tx.execute(
                "UPDATE interest_registrations SET status = 'withdrawn', email = NULL,"
                " phone = NULL, message = NULL, revision = revision + 1, updated_at = ?"
                " WHERE id = ?",
                (to_db(self._clock()), registration_id),
            )
            row = await tx.fetchone(_SELECT, (registration_id,))
            assert row is not None
            item = registration(row)
            await self._notify_contacts(
                tx, item, "withdrawn", await self.linked_contacts(tx, item.region_id)
            )
            await self._mail(tx, item, "withdrawn", await self.mail_contacts(tx, item.region_id))
        self.wake()
        return item

    # ----------------------------------------------------------------- contacts

    async def contact_regions(self, user_id: int) -> list[int]:
        """The regions the user is a linked contact for (checked at every use)."""
        rows = await self._db.fetchall(
            "SELECT region_id FROM roles WHERE user_id = ? AND role = 'contact' ORDER BY region_id",
            (user_id,),
        )
        return [int(r["region_id"]) for r in rows]

    async def mark_contacted(
        self, registration_id: int, contact_id: int, contact_name: str
    ) -> InterestRegistration | None:
        """Mark as contacted and tell the citizen; None if not a registration of their region."""
        async with self._db.transaction() as tx:
            row = await tx.fetchone(_SELECT, (registration_id,))
            if row is None or row["region_id"] not in await self._regions_in(tx, contact_id):
                return None
            item = registration(row)
            if item.status != "new":
                return item
            await tx.execute(
                "UPDATE interest_registrations SET status = 'contacted', contacted_at = ?,"
                " contacted_by = ? WHERE id = ?",
                (to_db(self._clock()), contact_id, registration_id),
            )
            language = await user_language(tx, item.user_id)
            text = views.citizen_contacted(language, item, contact_name)
            key = f"wg_contacted:{item.id}:{item.revision}"
            await OutboxRepository.enqueue(
                tx, "wg_contacted", [Outgoing(item.user_id, {"text": text}, key)], self._clock()
            )
            row = await tx.fetchone(_SELECT, (registration_id,))
            assert row is not None
        self.wake()
        return registration(row)

    @staticmethod
    async def _regions_in(tx: Transaction, user_id: int) -> set[int]:
        rows = await tx.fetchall(
            "SELECT region_id FROM roles WHERE user_id = ? AND role = 'contact'", (user_id,)
        )
        return {int(r["region_id"]) for r in rows}

    async def invite(self, region_id: int, contact_id: int | None, admin_id: int) -> str:
        """A new one-time invitation token, valid for seven days."""
        token = secrets.token_urlsafe(24)
        now = self._clock()
        await self._db.execute(
            "INSERT INTO contact_invites (token, region_id, contact_id, created_by, created_at,"
            " expires_at) VALUES (?, ?, ?, ?, ?, ?)",
            (token, region_id, contact_id, admin_id, to_db(now), to_db(now + INVITE_LIFETIME)),
        )
        return token

    async def redeem(self, token: str, user_id: int) -> tuple[str, int | None]:
        """Link the user as the region's contact: ("ok", region) or a refusal reason."""
        now = self._clock()
        async with self._db.transaction() as tx:
            row = await tx.fetchone(
                "SELECT region_id, contact_id, expires_at, used_by FROM contact_invites"
                " WHERE token = ?",
                (token,),
            )
            if row is None:
                return "unknown", None
            if row["used_by"] is not None:
                return "used", None
            if to_db(now) >= row["expires_at"]:
                return "expired", None
            region_id = int(row["region_id"])
            await tx.execute(
                "UPDATE contact_invites SET used_by = ?, used_at = ? WHERE token = ?",
                (user_id, to_db(now), token),
            )
            await tx.execute(
                "INSERT OR IGNORE INTO roles (user_id, role, region_id, granted_by, granted_at)"
                " SELECT ?, 'contact', region_id, created_by, ? FROM contact_invites"
                " WHERE token = ?",
                (user_id, to_db(now), token),
            )
            if row["contact_id"] is not None:
                await tx.execute(
                    "UPDATE contacts SET telegram_id = ? WHERE id = ?", (user_id, row["contact_id"])
                )
            waiting = await tx.fetchall(
                "SELECT s.id FROM interest_registrations s JOIN working_groups g"
                " ON g.id = s.group_id WHERE g.region_id = ? AND s.status = 'new' ORDER BY s.id",
                (region_id,),
            )
            for item in waiting:
                found = await tx.fetchone(_SELECT, (item["id"],))
                assert found is not None
                await self._notify_contacts(tx, registration(found), "new", [user_id])
        logger.info("User %s linked as contact of region %s", user_id, region_id)
        self.wake()
        return "ok", region_id

    async def deliver_waiting(self) -> int:
        """Give every linked contact the new registrations of their region not yet sent to them.

        For contacts linked by an import (a telegram_id in the file) rather than an invitation;
        what a contact already got (new or updated, this revision) is not sent again.
        """
        async with self._db.transaction() as tx:
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
            for row in rows:
                found = await tx.fetchone(_SELECT, (row["id"],))
                assert found is not None
                await self._notify_contacts(tx, registration(found), "new", [int(row["user_id"])])
        if rows:
            logger.info("Delivering %s waiting registration(s) to linked contacts", len(rows))
            self.wake()
        return len(rows)

    async def linked(self) -> list[tuple[int, int, str, str | None]]:
        """Linked contacts: (user id, region id, region name, imported contact name)."""
        rows = await self._db.fetchall(
            "SELECT o.user_id, o.region_id, r.name AS region_name,"
            " (SELECT c.name FROM contacts c WHERE c.telegram_id = o.user_id"
            " AND c.region_id = o.region_id) AS name FROM roles o"
            " JOIN regions r ON r.id = o.region_id WHERE o.role = 'contact'"
            " ORDER BY r.name, o.user_id"
        )
        return [(r["user_id"], r["region_id"], r["region_name"], r["name"]) for r in rows]

    async def remove(self, user_id: int, region_id: int) -> bool:
        """Unlink a contact from a region (role and imported record)."""
        async with self._db.transaction() as tx:
            changed = await tx.execute(
                "DELETE FROM roles WHERE user_id = ? AND role = 'contact' AND region_id = ?",
                (user_id, region_id),
            )
            await tx.execute(
                "UPDATE contacts SET telegram_id = NULL WHERE telegram_id = ? AND region_id = ?",
                (user_id, region_id),
            )
        return changed > 0
