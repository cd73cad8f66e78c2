"""Erasing a person (on request or after inactivity) and the daily retention purge."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

from bot.config import Settings
from bot.workgroup_service import WorkgroupService
from bot.workshop_service import WorkshopService
from messages.catalog import LANGUAGES, t
from messages.privacy import Retention, notice_parts, placeholders_left
from storage.db import Database
from storage.models import Record
from storage.privacy import Erasure, PersonalData, PrivacyRepository

logger = logging.getLogger(__name__)

# Texts of delivered notifications are kept this long (for questions), then cleared.
DELIVERED_TEXT_KEPT = dt.timedelta(days=30)


class Purge(Record):
    """What one run of the retention job removed."""

    users: list[int]
    registrations: int
    workshop_rows: int


class PrivacyService:
    """Export and erase a person's data; purge what is past its retention period."""

    def __init__(
        self,
        db: Database,
        clock: Callable[[], dt.datetime],
        *,
        workgroups: WorkgroupService,
        workshops: WorkshopService,
        deleted_comments: str,
        retention_days: int,
        registration_retention_days: int,
        workshop_retention_days: int,
        keep: frozenset[int] = frozenset(),
        wake: Callable[[], None] = lambda: None,
    ) -> None:
        self._db = db
        self.repo = PrivacyRepository(db)
        self._clock = clock
        self._workgroups = workgroups
        self._workshops = workshops
        self._comments = deleted_comments
        self._retention = dt.timedelta(days=retention_days) if retention_days else None
        self._registrations = (
            dt.timedelta(days=registration_retention_days) if registration_retention_days else None
        )
        self._workshop_rows = (
            dt.timedelta(days=workshop_retention_days) if workshop_retention_days else None
        )
        self._keep = keep  # configured admins: never purged for inactivity
        self.wake = wake

    async def export(self, user_id: int) -> PersonalData:
        """Everything stored about the person."""
        return await self.repo.export(user_id)

    async def erase(self, user_id: int) -> Erasure:
        """Delete the person's data in one transaction; contacts and waiting lists are told."""
        now = self._clock()
        async with self._db.transaction() as tx:
            for registration_id in await PrivacyRepository.open_registrations(tx, user_id):
                await self._workgroups.withdraw_in(tx, registration_id)
            for workshop_id in await PrivacyRepository.confirmed_seats(tx, user_id, now):
                await self._workshops.release_seat(tx, workshop_id, user_id)
            erasure = await PrivacyRepository.erase(
                tx,
                user_id,
                comments=self._comments,
                deleted_author=t("de", "privacy.deleted_person"),
                now=now,
            )
        logger.info("Erased the data of a person (%s rows changed)", erasure.rows)
        self.wake()
        return erasure

    async def purge(self) -> Purge:
        """The daily job: inactive people, old registrations of interest and of workshops."""
        now = self._clock()
        erased: list[int] = []
        if self._retention is not None:
            for user_id in await self.repo.inactive_users(now - self._retention):
                if user_id not in self._keep:
                    await self.erase(user_id)
                    erased.append(user_id)
        registrations = workshop_rows = 0
        async with self._db.transaction() as tx:
            await PrivacyRepository.clear_delivered(tx, now - DELIVERED_TEXT_KEPT)
            if self._registrations is not None:
                registrations = await PrivacyRepository.purge_interest_registrations(
                    tx, now - self._registrations
                )
            if self._workshop_rows is not None:
                workshop_rows = await PrivacyRepository.purge_workshop_registrations(
                    tx, now - self._workshop_rows
                )
        logger.info(
            "Retention: %s inactive people erased, %s registrations of interest and %s workshop"
            " rows removed",
            len(erased),
            registrations,
            workshop_rows,
        )
        return Purge(users=erased, registrations=registrations, workshop_rows=workshop_rows)


def load_notices(settings: Settings) -> dict[str, list[str]]:
    """Read the configured privacy notices (at start-up) and fill in the retention periods."""
    retention = Retention(
        users=settings.retention_days,
        registrations=settings.registration_retention_days,
        workshops=settings.workshop_retention_days,
        comments=settings.deleted_comments,
        comment_writes=max((rule.window for rule in settings.comment_limit_rules), default=None),
    )
    notices = {}
    for language in LANGUAGES:
        path = settings.privacy_notice_path(language)
        template = path.read_text("utf-8")
        if placeholders_left(template):
            logger.warning("The privacy notice %s still has [[…]] fields to fill in", path)
        notices[language] = notice_parts(language, template, retention)
    return notices
