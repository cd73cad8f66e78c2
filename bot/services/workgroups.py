"""Registrations of interest and regional contacts: each change commits with its notifications."""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from dataclasses import asdict, dataclass
from email.utils import format_datetime

from bot.logs import person
from bot.mailer import new_message_id
from bot.services.basis import Basis, Service
from messages import workgroups as views
from messages.actions import MarkRevisionContacted
from messages.catalog import t
from messages.keyboards import Keyboard, chat_message, keyboard
from messages.render import label
from storage.audit import AuditNote, AuditRepository
from storage.db import Transaction
from storage.drafts import DraftEnd
from storage.models import InterestRegistration
from storage.outbox import OutboxRepository, Outgoing
from storage.roles import RoleRepository
from storage.timeutil import to_db
from storage.workgroup_registrations import InterestRegistrationRepository as Registrations
from storage.workgroups import WorkgroupRepository, region_slug, user_language

logger = logging.getLogger(__name__)

INVITE_LIFETIME = dt.timedelta(days=7)


@dataclass(frozen=True)
class Details:
    """What the citizen agreed to pass on."""

    name: str
    email: str | None = None
    phone: str | None = None
    message: str | None = None


class GroupClosedError(Exception):
    """The working group is gone or takes no registrations (any more)."""


@dataclass(frozen=True)
class Marking:
    """What "mark contacted" did, read in the same transaction as the change.

    outcome: "marked"; "already" (contacted before); "withdrawn" (by the citizen, details
    erased); "gone" (erased with the citizen's data or after the retention period);
    "outdated" (updated by the citizen since the revision the contact was shown: not marked);
    "refused" (not a contact of the registration's region, or of any region).
    """

    outcome: str
    item: InterestRegistration | None = None


class WorkgroupService(Service):
    """Register, withdraw, mark contacted; invite, link and remove contacts."""

    def __init__(self, basis: Basis, *, mail_from: str | None = None) -> None:
        super().__init__(basis)
        self._mail_from = mail_from  # None: e-mail is off (no IDEENLABOR_SMTP_URL)
        self.repo = WorkgroupRepository(basis.db)
        self._roles = RoleRepository(basis.db)

    # ----------------------------------------------------------------- who is told

    @staticmethod
    async def linked_contacts(tx: Transaction, region_id: int) -> list[int]:
        """Telegram users linked as contacts of the region."""
        return await RoleRepository.contact_ids(tx, region_id)

    async def mail_contacts(self, tx: Transaction, region_id: int) -> list[tuple[int, str, str]]:
        """Imported contacts of the region reachable by e-mail: (id, name, address).

        Empty while SMTP is not configured.
        """
        if self._mail_from is None:
            return []
        return await WorkgroupRepository.email_contacts_of_region(tx, region_id)

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
    def _keyboard(language: str, item: InterestRegistration, event: str) -> Keyboard | None:
        """ "Als kontaktiert markieren" under a new or changed registration."""
        if event == "withdrawn":
            return None
        text = label(language, "wg.button.mark_contacted")
        return keyboard([[(text, MarkRevisionContacted(item.id, item.revision))]])

    async def _admins(self, tx: Transaction) -> list[int]:
        return sorted(self._config_admins | await RoleRepository.admin_ids(tx))

    async def _notify_contacts(
        self, tx: Transaction, item: InterestRegistration, event: str, users: list[int]
    ) -> None:
        messages = []
        for user_id in users:
            language = await user_language(tx, user_id)
            messages.append(
                Outgoing(
                    user_id,
                    chat_message(
                        views.contact_notice(language, item, event),
                        self._keyboard(language, item, event),
                    ),
                    f"wg_{event}:{item.id}:{item.revision}:{user_id}",
                )
            )
        await OutboxRepository.enqueue(tx, f"wg_{event}", messages, self._clock())

    # ----------------------------------------------------------------- citizens

    async def register(
        self,
        group_id: int,
        user_id: int,
        details: Details,
        consent_text: str,
        *,
        ends: DraftEnd | None = None,
    ) -> tuple[InterestRegistration, bool]:
        """Store (or update) a registration and tell the region's contacts or the admins.

        Raises GroupClosedError if the group closed (or went) since the citizen started.
        `ends`: the Mitmachen dialogue, ended in the same transaction (DraftGone if it had
        ended already).
        """
        now = self._clock()
        async with self._db.transaction() as tx:
            if ends is not None:
                await ends.apply(tx)
            if not await Registrations.group_open(tx, group_id):
                raise GroupClosedError(group_id)
            existing = await Registrations.id_and_status(tx, group_id, user_id)
            written = asdict(details) | {"consent_text": consent_text, "now": now}
            reg_id = await Registrations.write(tx, group_id, user_id, **written)
            updated = existing is not None and existing[1] != "withdrawn"
            item = await Registrations.get(tx, reg_id)
            assert item is not None
            event = "updated" if updated else "new"
            contacts = await self.linked_contacts(tx, item.region_id)
            mails = await self.mail_contacts(tx, item.region_id)
            if contacts:
                await self._notify_contacts(tx, item, event, contacts)
            await self._mail(tx, item, event, mails)
            if updated:
                await self._mark_earlier_notices(tx, item, "updated")
            if not contacts and not mails:
                await self._tell_admins_waiting(tx, item)
        logger.info("Registration %s for group %s (updated: %s)", reg_id, group_id, updated)
        self.wake()
        return item, updated

    async def _tell_admins_waiting(self, tx: Transaction, item: InterestRegistration) -> None:
        slug = await region_slug(tx, item.region_id)
        messages = []
        for admin in await self._admins(tx):
            language = await user_language(tx, admin)
            text = views.admin_waiting(language, item, slug or "")
            messages.append(
                Outgoing(admin, chat_message(text), f"wg_waiting:{item.id}:{item.revision}:{admin}")
            )
        await OutboxRepository.enqueue(tx, "wg_waiting", messages, self._clock())

    async def withdraw(self, registration_id: int, user_id: int) -> InterestRegistration | None:
        """Withdraw the user's own registration (its details are erased); None if not theirs."""
        async with self._db.transaction() as tx:
            found = await Registrations.get(tx, registration_id)
            if found is None or found.user_id != user_id or found.status == "withdrawn":
                return None
            item = await self.withdraw_in(tx, registration_id)
        self.wake()
        return item

    async def withdraw_in(self, tx: Transaction, registration_id: int) -> InterestRegistration:
        """Withdraw inside the caller's transaction and tell the contacts (also on erasure)."""
        await Registrations.withdraw(tx, registration_id, self._clock())
        item = await Registrations.get(tx, registration_id)
        assert item is not None
        await self._notify_contacts(
            tx, item, "withdrawn", await self.linked_contacts(tx, item.region_id)
        )
        await self._mail(tx, item, "withdrawn", await self.mail_contacts(tx, item.region_id))
        await self._mark_earlier_notices(tx, item)
        return item

    async def _mark_earlier_notices(
        self, tx: Transaction, item: InterestRegistration, event: str = "withdrawn"
    ) -> None:
        """The contacts' notices of the registration, already in their chats, are edited to
        say it was withdrawn or updated since: their contact details and "mark contacted"
        button go.

        A withdrawal edits every one; an update only those not edited before (an older update
        said so already, a withdrawal before a new registration said more), as Telegram
        refuses an edit to the same text. A notice not delivered yet is sent as it is; the
        newer one follows it.
        """
        patterns = [f"wg_{kind}:{item.id}:%" for kind in ("new", "updated")]
        copies = await OutboxRepository.sent_copies(tx, patterns, unedited=event == "updated")
        messages = []
        for row_id, chat_id, message_id in copies:
            language = await user_language(tx, chat_id)
            payload = chat_message(views.contact_notice(language, item, f"{event}_earlier"))
            payload["edit_message_id"] = message_id
            messages.append(Outgoing(chat_id, payload, f"wg_edit:{row_id}:{item.revision}"))
        await OutboxRepository.enqueue(tx, f"wg_{event}_edit", messages, self._clock())

    # ----------------------------------------------------------------- contacts

    async def contact_regions(self, user_id: int) -> list[int]:
        """The regions the user is a linked contact for (checked at every use)."""
        return await self._roles.contact_regions(user_id)

    async def mark_contacted(
        self,
        registration_id: int,
        contact_id: int,
        contact_name: str,
        *,
        revision: int | None = None,
    ) -> Marking:
        """Mark as contacted and tell the citizen, if the registration is still new.

        `revision`: the one the contact was shown; another one (updated since) marks nothing.
        None for buttons sent before they carried it: the current revision is marked.
        """
        async with self._db.transaction() as tx:
            regions = await self._regions_in(tx, contact_id)
            item = await Registrations.get(tx, registration_id)
            if not regions:
                return Marking("refused")
            if item is None:
                return Marking("gone")
            if item.region_id not in regions:
                return Marking("refused")
            if item.status != "new":
                return Marking("withdrawn" if item.status == "withdrawn" else "already", item)
            # Read and written in this one (immediate) transaction: an update committed before
            # it is seen here, one after it finds the registration marked and makes it new.
            if revision is not None and revision != item.revision:
                return Marking("outdated", item)
            await Registrations.mark_contacted(tx, registration_id, contact_id, self._clock())
            note = AuditNote.by_user(
                contact_id, "interest_contacted", f"registration:{registration_id}"
            )
            await AuditRepository.record(tx, note, self._clock())
            language = await user_language(tx, item.user_id)
            text = views.citizen_contacted(language, item, contact_name)
            key = f"wg_contacted:{item.id}:{item.revision}"
            await OutboxRepository.enqueue(
                tx, "wg_contacted", [Outgoing(item.user_id, chat_message(text), key)], self._clock()
            )
            contacted = await Registrations.get(tx, registration_id)
            assert contacted is not None
        self.wake()
        return Marking("marked", contacted)

    @staticmethod
    async def _regions_in(tx: Transaction, user_id: int) -> set[int]:
        return await RoleRepository.contact_regions_in(tx, user_id)

    async def invite(self, region_id: int, contact_id: int | None, admin_id: int) -> str:
        """A new one-time invitation token, valid for seven days."""
        token = secrets.token_urlsafe(24)
        now = self._clock()
        await self.repo.create_invite(
            token, region_id, contact_id, admin_id, now, now + INVITE_LIFETIME
        )
        return token

    async def redeem(self, token: str, user_id: int) -> tuple[str, int | None]:
        """Link the user as the region's contact: ("ok", region) or a refusal reason."""
        now = self._clock()
        async with self._db.transaction() as tx:
            invite = await WorkgroupRepository.invite_in(tx, token)
            if invite is None:
                return "unknown", None
            if invite.used_by is not None:
                return "used", None
            if to_db(now) >= to_db(invite.expires_at):
                return "expired", None
            region_id = invite.region_id
            await WorkgroupRepository.use_invite(tx, token, user_id, now)
            await RoleRepository.grant_contact_by_invite(tx, user_id, token, now)
            note = AuditNote.by_user(  # the invitation's creator was audited when inviting
                user_id,
                "role_grant",
                f"user:{user_id}",
                role="contact",
                region_id=region_id,
                via="invitation",
            )
            await AuditRepository.record(tx, note, now)
            if invite.contact_id is not None:
                await WorkgroupRepository.link_contact(tx, invite.contact_id, user_id)
            # The inviting admin hears of it; without the contact's id, so that no notice
            # carries a person's data that an erasure would have to chase (/kontakte shows it).
            if invite.created_by not in (0, user_id):
                language = await user_language(tx, invite.created_by)
                text = t(language, "wg.invite.accepted", region=invite.region_name)
                accepted = Outgoing(
                    invite.created_by, chat_message(text, None), f"invite_accepted:{token}"
                )
                await OutboxRepository.enqueue(tx, "invite_accepted", [accepted], now)
            for waiting_id in await Registrations.new_in_region(tx, region_id):
                found = await Registrations.get(tx, waiting_id)
                assert found is not None
                await self._notify_contacts(tx, found, "new", [user_id])
        logger.info("User %s linked as contact of region %s", person(user_id), region_id)
        self.wake()
        return "ok", region_id

    async def deliver_waiting(self) -> int:
        """Give every linked contact the new registrations of their region not yet sent to them.

        For contacts linked by an import (a telegram_id in the file) rather than an invitation;
        what a contact already got (new or updated, this revision) is not sent again.
        """
        async with self._db.transaction() as tx:
            rows = await Registrations.undelivered(tx)
            for contact, registration_id in rows:
                found = await Registrations.get(tx, registration_id)
                assert found is not None
                await self._notify_contacts(tx, found, "new", [contact])
        if rows:
            logger.info("Delivering %s waiting registration(s) to linked contacts", len(rows))
            self.wake()
        return len(rows)

    async def linked(self) -> list[tuple[int, int, str, str | None]]:
        """Linked contacts: (user id, region id, region name, imported contact name)."""
        return await self._roles.linked_contacts()

    async def remove(self, user_id: int, region_id: int, *, audit: AuditNote | None = None) -> bool:
        """Unlink a contact from a region (role and imported record), audited if it changed."""
        async with self._db.transaction() as tx:
            changed = await RoleRepository.revoke_contact(tx, user_id, region_id)
            await WorkgroupRepository.unlink_contact(tx, user_id, region_id)
            if changed and audit is not None:
                await AuditRepository.record(tx, audit, self._clock())
        return changed > 0
