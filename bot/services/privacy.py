"""Erasing a person (on request or after inactivity) and the daily retention purge."""

from __future__ import annotations

import datetime as dt
import logging
import sqlite3
from pathlib import Path

from bot.config import Settings
from bot.services.basis import Basis, Service
from bot.services.workgroups import WorkgroupService
from bot.services.workshops import WorkshopService
from messages.catalog import LANGUAGES, t
from messages.privacy import Retention, notice_parts, unfilled_fields
from storage.models import Erasure, PersonalData, Record
from storage.privacy import PrivacyRepository
from storage.search import SearchRepository

logger = logging.getLogger(__name__)

# Texts of delivered notifications are kept this long (for questions), then cleared.
DELIVERED_TEXT_KEPT = dt.timedelta(days=30)


class Purge(Record):
    """What one run of the retention job removed."""

    users: list[int]
    registrations: int
    workshop_rows: int


def _period(days: int) -> dt.timedelta | None:
    """A configured retention period (0 days: None, kept until the person deletes it)."""
    return dt.timedelta(days=days) if days else None


def retention_of(settings: Settings) -> Retention:
    """The configured retention periods, as the purge keeps to them and the notice tells."""
    return Retention(
        users=settings.retention_days,
        registrations=settings.registration_retention_days,
        workshops=settings.workshop_retention_days,
        comments=settings.deleted_comments,
        drafts=settings.draft_lifetime,
        comment_writes=max((rule.window for rule in settings.comment_limit_rules), default=None),
    )


class PrivacyService(Service):
    """Export and erase a person's data; purge what is past its retention period."""

    def __init__(
        self,
        basis: Basis,
        retention: Retention,
        *,
        workgroups: WorkgroupService,
        workshops: WorkshopService,
    ) -> None:
        super().__init__(basis)
        self.repo = PrivacyRepository(basis.db)
        self._workgroups = workgroups
        self._workshops = workshops
        self._comments = retention.comments
        self._retention = _period(retention.users)
        self._registrations = _period(retention.registrations)
        self._workshop_rows = _period(retention.workshops)

    async def export(self, user_id: int) -> PersonalData:
        """Everything stored about the person."""
        return await self.repo.export(user_id)

    async def erase(self, user_id: int) -> Erasure:
        """Delete the person's data in one transaction; contacts and waiting lists are told.

        Then checkpoint: no byte of it stays in the database file or its -wal.
        """
        erasure = await self._erase(user_id)
        await self.checkpoint()
        return erasure

    async def checkpoint(self) -> None:
        """Empty the WAL after a deletion, so that the deleted data leaves the disk now."""
        try:
            emptied = await self._db.checkpoint()
        except sqlite3.Error as exc:
            logger.warning("WAL checkpoint failed (retried within the hour): %s", exc)
            return
        if not emptied:
            logger.warning(
                "WAL checkpoint blocked by a reader: deleted data leaves the -wal file at the "
                "next checkpoint (within the hour)"
            )

    async def _erase(self, user_id: int) -> Erasure:
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
                if user_id not in self._config_admins:  # never purged for inactivity
                    await self._erase(user_id)
                    erased.append(user_id)
        registrations = workshop_rows = 0
        async with self._db.transaction() as tx:
            await PrivacyRepository.clear_delivered(tx, now - DELIVERED_TEXT_KEPT)
            await SearchRepository.forget_old(tx, now)  # the words of searches (no one's id)
            if self._registrations is not None:
                registrations = await PrivacyRepository.purge_interest_registrations(
                    tx, now - self._registrations
                )
            if self._workshop_rows is not None:
                workshop_rows = await PrivacyRepository.purge_workshop_registrations(
                    tx, now - self._workshop_rows
                )
        await self.checkpoint()
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
    retention = retention_of(settings)
    notices = {}
    for language in LANGUAGES:
        template = settings.privacy_notice_path(language).read_text("utf-8")
        notices[language] = notice_parts(language, template, retention)
    return notices


def unfilled_notices(settings: Settings) -> dict[Path, list[str]]:
    """The configured notices that still have [[…]] fields, with those fields.

    `ideenlabor check` fails on them and `run` logs an error; citizens see the fields as
    "(vom Betreiber noch nicht eingetragen)".
    """
    found: dict[Path, list[str]] = {}
    for language in LANGUAGES:
        path = settings.privacy_notice_path(language)
        fields = unfilled_fields(path.read_text("utf-8"))
        if fields:
            found[path] = fields
    return found


def describe_unfilled(found: dict[Path, list[str]]) -> str:
    """One line for the operator: each file with its unfilled fields, and what to do."""
    files = "; ".join(f"{path}: {', '.join(fields)}" for path, fields in found.items())
    return (
        f"the privacy notice is not filled in: {files} — copy the notices, fill in the [[…]] "
        "fields (controller's address, data protection officer), have them checked and set "
        "IDEENLABOR_PRIVACY_NOTICE (README, Datenschutz)"
    )
