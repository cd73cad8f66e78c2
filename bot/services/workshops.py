"""Workshop changes as transactions: the change and the notifications it causes commit together."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import replace
from zoneinfo import ZoneInfo

from bot.reminders import Offset, reminder_times, sync_plan
from bot.services.basis import Basis, Service
from messages import workshops as views
from messages.actions import CannotCome, ShowWorkshop, WorkshopCalendar
from messages.keyboards import Button, Keyboard, chat_message, keyboard
from messages.render import label
from storage.audit import AuditNote, AuditRepository
from storage.db import Transaction
from storage.drafts import DraftEnd
from storage.models import Workshop
from storage.outbox import OutboxRepository, Outgoing
from storage.reminders import Recipient
from storage.timeutil import to_db
from storage.workshops import WorkshopFields, WorkshopRepository

logger = logging.getLogger(__name__)


class WorkshopService(Service):
    """Creates, changes and cancels workshops; registrations; reminder fan-out."""

    def __init__(self, basis: Basis, tz: ZoneInfo, schedule: tuple[Offset, ...]) -> None:
        super().__init__(basis)
        self.repo = WorkshopRepository(basis.db)
        self._tz = tz
        self._schedule = schedule

    def plan_reminders(self, start: dt.datetime) -> list[tuple[str, dt.datetime]]:
        """The reminder times for a workshop starting at start, from now on."""
        return reminder_times(self._schedule, start, self._tz, self._clock())

    @staticmethod
    def _keyboard(
        language: str, workshop_id: int, *, cannot_come: bool, calendar: bool = False
    ) -> Keyboard:
        """Under a notice: "Ich kann doch nicht" (for participants), the calendar file after a
        change (same UID, higher SEQUENCE: calendars update the entry) and the date's details."""
        rows: list[list[Button]] = []
        if cannot_come:
            rows.append([(label(language, "workshop.button.cannot_come"), CannotCome(workshop_id))])
        if calendar:
            text = label(language, "workshop.button.calendar_update")
            rows.append([(text, WorkshopCalendar(workshop_id))])
        rows.append([(label(language, "workshop.button.details"), ShowWorkshop(workshop_id))])
        return keyboard(rows)

    @staticmethod
    def _had(recipient: Recipient) -> str:
        """What a cancellation takes from the recipient (messages.workshops.CANCELLED_FOR)."""
        if recipient.registration == "confirmed":
            return "seat"
        if recipient.registration == "waiting":
            return "waiting"
        return "reminder" if recipient.follows else "subscriber"

    async def _get(self, tx: Transaction, workshop_id: int) -> Workshop:
        workshop = await self.repo.get(workshop_id, tx)
        if workshop is None:
            raise LookupError(f"workshop {workshop_id} does not exist")
        return workshop

    async def _planned(
        self,
        tx: Transaction,
        workshop_id: int,
        now: dt.datetime,
        audit: AuditNote | None,
        ends: DraftEnd | None,
    ) -> Workshop | None:
        """The workshop to change, its change audited; None if it was cancelled meanwhile
        (nothing audited). The dialogue `ends` ends in `tx` either way."""
        if ends is not None:
            await ends.apply(tx)
        workshop = await self._get(tx, workshop_id)
        if workshop.status == "cancelled":
            return None
        if audit is not None:
            await AuditRepository.record(tx, audit, now)
        return workshop

    async def create(
        self,
        fields: WorkshopFields,
        slug: str | None = None,
        *,
        audit: AuditNote | None = None,
        ends: DraftEnd | None = None,
    ) -> int:
        """Publish a workshop: reminders planned, the region's subscribers notified.

        ends: the admin's dialogue that this publishes (DraftGone if it is over already).
        """
        now = self._clock()
        async with self._db.transaction() as tx:
            if ends is not None:
                await ends.apply(tx)
            slug = slug or f"ideenlabor-{now.strftime('%Y%m%d%H%M%S%f')}"
            workshop_id = await self.repo.create(tx, slug, fields, now)
            if audit is not None:
                note = replace(audit, target=f"workshop:{workshop_id}")
                await AuditRepository.record(tx, note, now)
            await self.repo.set_reminders(tx, workshop_id, self.plan_reminders(fields.starts_at))
            workshop = await self._get(tx, workshop_id)
            recipients = await self.repo.region_subscribers(tx, fields.region_id)
            await OutboxRepository.enqueue(
                tx,
                "workshop_new",
                (
                    Outgoing(
                        r.user_id,
                        chat_message(
                            views.notice_new(r.language, workshop, self._tz),
                            self._keyboard(r.language, workshop_id, cannot_come=False),
                        ),
                        f"workshop_new:{workshop_id}:{r.user_id}",
                    )
                    for r in recipients
                ),
                now,
            )
        logger.info("Workshop %s published, %s subscribers notified", workshop_id, len(recipients))
        self.wake()
        return workshop_id

    async def update(
        self,
        workshop_id: int,
        fields: WorkshopFields,
        *,
        audit: AuditNote | None = None,
        ends: DraftEnd | None = None,
    ) -> bool:
        """Change a workshop; reschedule reminders on a new time; tell everyone concerned.

        False if it was cancelled meanwhile (the dialogue `ends` ends all the same).
        """
        now = self._clock()
        async with self._db.transaction() as tx:
            old = await self._planned(tx, workshop_id, now, audit, ends)
            if old is None:
                return False
            await self.repo.update(tx, workshop_id, fields, now)
            if (old.starts_at, old.ends_at) != (fields.starts_at, fields.ends_at):
                await self.repo.set_reminders(
                    tx, workshop_id, self.plan_reminders(fields.starts_at)
                )
            promoted = await self.repo.promote_waiting(tx, workshop_id)
            new = await self._get(tx, workshop_id)
            messages = []
            for r in await self.repo.change_recipients(tx, workshop_id):
                text = views.notice_changed(r.language, old, new, self._tz)
                if text is not None:
                    messages.append(
                        Outgoing(
                            r.user_id,
                            chat_message(
                                text,
                                self._keyboard(
                                    r.language, workshop_id, cannot_come=False, calendar=True
                                ),
                            ),
                            f"workshop_changed:{workshop_id}:{new.sequence}:{r.user_id}",
                        )
                    )
            await OutboxRepository.enqueue(tx, "workshop_changed", messages, now)
            await self._enqueue_promoted(tx, new, promoted, now)
        self.wake()
        return True

    async def cancel(
        self, workshop_id: int, *, audit: AuditNote | None = None, ends: DraftEnd | None = None
    ) -> bool:
        """Cancel: reminders dropped, everyone concerned told; False if already cancelled.

        ends: the admin's dialogue that this confirms (it ends even if it was cancelled).
        """
        now = self._clock()
        async with self._db.transaction() as tx:
            workshop = await self._planned(tx, workshop_id, now, audit, ends)
            if workshop is None:
                return False
            await self.repo.cancel(tx, workshop_id, now)
            recipients = await self.repo.change_recipients(tx, workshop_id)
            await OutboxRepository.enqueue(
                tx,
                "workshop_cancelled",
                (
                    Outgoing(
                        r.user_id,
                        chat_message(
                            views.notice_cancelled(r.language, workshop, self._tz, self._had(r)),
                            self._keyboard(
                                r.language, workshop_id, cannot_come=False, calendar=True
                            ),
                        ),
                        f"workshop_cancelled:{workshop_id}:{r.user_id}",
                    )
                    for r in recipients
                ),
                now,
            )
        self.wake()
        return True

    async def register(self, workshop_id: int, user_id: int, display_name: str) -> str | None:
        """Take a seat or a waiting place; None if the workshop is cancelled or over."""
        now = self._clock()
        async with self._db.transaction() as tx:
            workshop = await self._get(tx, workshop_id)
            if workshop.status == "cancelled" or workshop.starts_at <= now:
                return None
            return await self.repo.register(tx, workshop_id, user_id, display_name, now)

    async def unregister(self, workshop_id: int, user_id: int) -> str | None:
        """Give up a seat (the first on the waiting list moves up and is told)."""
        now = self._clock()
        async with self._db.transaction() as tx:
            previous = await self.repo.unregister(tx, workshop_id, user_id)
            if previous == "confirmed":
                workshop = await self._get(tx, workshop_id)
                promoted = await self.repo.promote_waiting(tx, workshop_id)
                await self._enqueue_promoted(tx, workshop, promoted, now)
        self.wake()
        return previous

    async def release_seat(self, tx: Transaction, workshop_id: int, user_id: int) -> None:
        """Give up a seat inside the caller's transaction (erasing a person); others move up."""
        if await self.repo.unregister(tx, workshop_id, user_id) == "confirmed":
            workshop = await self._get(tx, workshop_id)
            promoted = await self.repo.promote_waiting(tx, workshop_id)
            await self._enqueue_promoted(tx, workshop, promoted, self._clock())

    async def _enqueue_promoted(
        self, tx: Transaction, workshop: Workshop, user_ids: list[int], now: dt.datetime
    ) -> None:
        messages = []
        for user_id in user_ids:
            language = await self.repo.language_of(tx, user_id)
            messages.append(
                Outgoing(
                    user_id,
                    chat_message(
                        views.promoted(language, workshop, self._tz),
                        self._keyboard(language, workshop.id, cannot_come=True),
                    ),
                    f"promoted:{workshop.id}:{user_id}:{to_db(now)}",
                )
            )
        await OutboxRepository.enqueue(tx, "promoted", messages, now)

    async def fan_out_reminders(self) -> int:
        """Turn every due reminder into outbox rows, exactly once; drop those too late."""
        now = self._clock()
        queued = 0
        for reminder in await self.repo.due_reminders(now):
            async with self._db.transaction() as tx:
                workshop = await self.repo.get(reminder.workshop_id, tx)
                if workshop is None or workshop.status == "cancelled" or workshop.starts_at <= now:
                    await self.repo.set_reminder_state(tx, reminder.id, "dropped")
                    logger.info("Reminder %s dropped: workshop started or cancelled", reminder.id)
                    continue
                if not await self.repo.set_reminder_state(tx, reminder.id, "done"):
                    continue
                recipients: list[Recipient] = await self.repo.reminder_recipients(tx, workshop.id)
                queued += await OutboxRepository.enqueue(
                    tx,
                    "reminder",
                    (
                        Outgoing(
                            r.user_id,
                            chat_message(
                                views.reminder(
                                    r.language, workshop, self._tz, r.registration == "confirmed"
                                ),
                                self._keyboard(r.language, workshop.id, cannot_come=True),
                            ),
                            # The slot and its moment, not the row id: SQLite reuses the id
                            # of a deleted row, and a re-planned reminder must not be taken
                            # for one already sent (nor a re-created one sent twice).
                            f"reminder:{workshop.id}:{reminder.label}:{to_db(reminder.due_at)}"
                            f":{r.user_id}",
                        )
                        for r in recipients
                    ),
                    now,
                )
        return queued

    async def sync_reminders(self) -> int:
        """At start: pending reminders of upcoming workshops follow the configured schedule.

        One transaction, idempotent: run again with the same schedule, it changes nothing.
        """
        now = self._clock()
        changed = 0
        async with self._db.transaction() as tx:
            for workshop_id, start, rows in await self.repo.upcoming_reminders(tx, now):
                plan = sync_plan(self._schedule, start, self._tz, now, rows)
                if not (plan.add or plan.move or plan.drop):
                    continue
                await self.repo.change_reminders(tx, workshop_id, plan.add, plan.move, plan.drop)
                changed += 1
                logger.info(
                    "Reminders of workshop %s follow the schedule: %s added, %s moved, %s dropped",
                    workshop_id,
                    len(plan.add),
                    len(plan.move),
                    len(plan.drop),
                )
        return changed

    async def next_due(self) -> dt.datetime | None:
        """When the next reminder is due."""
        return await self.repo.next_reminder_due()
