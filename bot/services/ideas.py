"""Staff maintain ideas: create, edit, change the status, post news, archive and restore.

Each change is one transaction: the change, its audit row and the notices to the idea's
followers (in each follower's language, with a button to the idea). Followers are read and
enqueued in batches (FollowRepository.followers), so an idea with many followers never holds
them all in memory; each notice has a dedupe key naming the event, so an event is never
queued twice for a person. The author of a change is not told of their own change.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import fields, replace
from zoneinfo import ZoneInfo

from bot.logs import person
from bot.services.basis import Basis
from bot.services.staff import (
    ChangeRefusedError,
    Staff,
    StaffService,
    TextLimit,
    require,
    staff_of,
)
from messages import idea_staff as views
from messages.keyboards import Keyboard, chat_message
from storage.audit import CLI, AuditNote, AuditRepository
from storage.db import Transaction
from storage.drafts import DraftEnd
from storage.idea_followers import FAN_OUT_BATCH, FollowRepository
from storage.idea_lifecycle import IdeaFields, IdeaLifecycle
from storage.ideas import IdeaRepository
from storage.models import IDEA_STATUSES, ArchiveChange, Idea, StatusChange
from storage.outbox import OutboxRepository, Outgoing
from storage.roles import RoleRepository
from storage.timeutil import to_db

logger = logging.getLogger(__name__)

# What staff may write (characters). Storage does not limit: imports bring what the ministry
# wrote. Titles must fit a button and a notice; a body fits one Telegram message with the
# idea's facts and comments; news and notes are read in a notification.
LIMITS: dict[str, TextLimit] = {
    "title": TextLimit(5, 120),
    "summary": TextLimit(1, 500, multiline=True),
    "body": TextLimit(0, 3000, multiline=True),
    "title_en": TextLimit(5, 120, optional=True),
    "summary_en": TextLimit(1, 500, multiline=True, optional=True),
    "news": TextLimit(1, 1000, multiline=True),
    "note": TextLimit(0, 1000, multiline=True),
    "reason": TextLimit(1, 500),  # as `ideenlabor archive-idea --reason`
}
_TEXT_FIELDS = ("title", "summary", "body", "title_en", "summary_en")


class IdeaGoneError(ChangeRefusedError):
    """There is no such idea (any more)."""

    key = "idea_gone"


class IdeaArchivedError(ChangeRefusedError):
    """The idea is archived: restore it before changing it."""

    key = "idea_archived"


def fields_of(idea: Idea) -> IdeaFields:
    """What IdeaLifecycle.create/edit take, as the idea has it now."""
    return IdeaFields(
        title=idea.title,
        region_id=idea.region_id,
        challenge_id=idea.challenge_id,
        summary=idea.summary,
        body=idea.body,
        title_en=idea.title_en,
        summary_en=idea.summary_en,
        body_en=idea.body_en,
        workshop_id=idea.workshop.id if idea.workshop else None,
    )


def checked(fields_: IdeaFields, names: tuple[str, ...] = _TEXT_FIELDS) -> IdeaFields:
    """The fields with the named texts tidied; InvalidTextError for one outside its limits."""

    def tidy(name: str, value: str | None) -> str | None:
        return LIMITS[name].clean(name, value or "") if name in names else value

    return replace(
        fields_,
        title=tidy("title", fields_.title) or "",
        summary=tidy("summary", fields_.summary) or "",
        body=tidy("body", fields_.body) or "",
        title_en=tidy("title_en", fields_.title_en) or None,
        summary_en=tidy("summary_en", fields_.summary_en) or None,
    )


class IdeaService(StaffService):
    """The lifecycle of ideas as staff (and the command line) change it."""

    def __init__(self, basis: Basis, tz: ZoneInfo) -> None:
        super().__init__(basis)
        self._tz = tz
        self._roles = RoleRepository(basis.db)
        self.repo = IdeaRepository(basis.db)
        self.timeline = IdeaLifecycle(basis.db)
        self._follows = FollowRepository(basis.db)

    async def audience(self, idea: Idea, author: int) -> int:
        """How many would be told of a change the author makes (not the author)."""
        following = await self._follows.is_following(idea.id, author)
        return idea.follower_count - (1 if following else 0)

    async def staff(self, user_id: int) -> Staff:
        """The person's staff roles right now (what screens offer; every change checks again)."""
        return await staff_of(self._roles, user_id, self._config_admins)

    async def _idea(self, tx: Transaction, idea_id: int, by: int | None, *also: int | None) -> Idea:
        """The idea, if `by` may maintain its region (and the regions `also`); by None: the
        command line, which may do anything."""
        idea = await IdeaRepository.get_in(tx, idea_id)
        if by is not None:
            require(await self._staff(tx, by), idea.region_id if idea else None, *also)
        if idea is None:
            raise IdeaGoneError(idea_id)
        return idea

    async def _open_idea(
        self,
        tx: Transaction,
        idea_id: int,
        by: int | None,
        *also: int | None,
        ends: DraftEnd | None = None,
    ) -> Idea:
        """The idea as `_idea` gives it, not archived, with the dialogue `ends` ended in `tx`."""
        if ends is not None:
            await ends.apply(tx)
        idea = await self._idea(tx, idea_id, by, *also)
        if idea.archived:
            raise IdeaArchivedError(idea_id)
        return idea

    # ----------------------------------------------------------------- create and edit

    async def create(
        self, user_id: int, new: IdeaFields, *, ends: DraftEnd | None = None
    ) -> tuple[int, str]:
        """A new idea in a region the person maintains; (id, slug)."""
        new = checked(new)
        now = self._clock()
        async with self._db.transaction() as tx:
            require(await self._staff(tx, user_id, ends), new.region_id)
            today = now.astimezone(self._tz).date()
            idea_id, slug = await IdeaLifecycle.create(tx, new, now, published_on=today)
            note = AuditNote.by_user(
                user_id, "idea_create", f"idea:{idea_id}", slug=slug, title=new.title
            )
            await AuditRepository.record(tx, note, now)
        logger.info("Staff %s created idea %s", person(user_id), idea_id)
        return idea_id, slug

    async def edit(
        self, user_id: int, idea_id: int, new: IdeaFields, *, ends: DraftEnd | None = None
    ) -> tuple[str, ...]:
        """Change an idea (also its region: the person must maintain both); what changed.

        Followers are not told: an edit corrects the text, news and status say what happened.
        """
        now = self._clock()
        async with self._db.transaction() as tx:
            idea = await self._open_idea(tx, idea_id, user_id, new.region_id, ends=ends)
            before = fields_of(idea)
            names = tuple(
                f.name
                for f in fields(before)
                if f.name in _TEXT_FIELDS and getattr(before, f.name) != getattr(new, f.name)
            )
            new = checked(new, names)  # only what changes: an imported title may be longer
            changed = await IdeaLifecycle.edit(tx, idea_id, new, now) or ()
            if changed:
                note = AuditNote.by_user(
                    user_id, "idea_edit", f"idea:{idea_id}", changed=list(changed), title=new.title
                )
                await AuditRepository.record(tx, note, now)
        return changed

    # ----------------------------------------------------------------- what followers hear of

    async def set_status(
        self,
        user_id: int,
        idea_id: int,
        status: str,
        note: str = "",
        *,
        ends: DraftEnd | None = None,
    ) -> tuple[StatusChange | None, int]:
        """Change the status (with an optional note) and tell the followers.

        (None, 0): the idea already has that status. The second value: notices queued.
        """
        if status not in IDEA_STATUSES:
            raise ValueError(f"unknown idea status {status!r}")
        note = LIMITS["note"].clean("note", note)
        now = self._clock()
        async with self._db.transaction() as tx:
            idea = await self._open_idea(tx, idea_id, user_id, ends=ends)
            change = await IdeaLifecycle.set_status(tx, idea_id, status, now, by=user_id, text=note)
            if change is None:
                return None, 0
            audit = AuditNote.by_user(
                user_id,
                "idea_status",
                f"idea:{idea_id}",
                old=change.old_status,
                new=change.new_status,
                note=note,
            )
            told = await self._announce(
                tx,
                idea,
                audit,
                f"{idea_id}:{change.news_id}",
                lambda language: views.status_notice(language, idea, status, note),
                now,
            )
        self._woke(told)
        return change, told

    async def post_news(
        self, user_id: int, idea_id: int, text: str, *, ends: DraftEnd | None = None
    ) -> tuple[int, int]:
        """Add a news entry and tell the followers; (news id, notices queued)."""
        text = LIMITS["news"].clean("news", text)
        now = self._clock()
        async with self._db.transaction() as tx:
            idea = await self._open_idea(tx, idea_id, user_id, ends=ends)
            news_id = await IdeaLifecycle.post_news(tx, idea_id, text, now, by=user_id)
            if news_id is None:
                raise IdeaGoneError(idea_id)
            audit = AuditNote.by_user(
                user_id, "idea_news", f"idea:{idea_id}", news_id=news_id, text=text[:200]
            )
            told = await self._announce(
                tx,
                idea,
                audit,
                f"{idea_id}:{news_id}",
                lambda language: views.news_notice(language, idea, text),
                now,
            )
        self._woke(told)
        return news_id, told

    async def archive(
        self, by: int | None, idea_id: int, reason: str, *, ends: DraftEnd | None = None
    ) -> tuple[ArchiveChange, int]:
        """Hide the idea from citizens with a reason and tell its followers (they stay).

        by None: the command line (audited as `cli`). An idea archived already stays as it
        was (changed False, nobody told).
        """
        reason = LIMITS["reason"].clean("reason", reason)
        return await self._archive(by, idea_id, reason, ends)

    async def restore(
        self, by: int | None, idea_id: int, *, ends: DraftEnd | None = None
    ) -> tuple[ArchiveChange, int]:
        """Show an archived idea again and tell its followers (changed False: it was not)."""
        return await self._archive(by, idea_id, None, ends)

    async def _archive(
        self, by: int | None, idea_id: int, reason: str | None, ends: DraftEnd | None
    ) -> tuple[ArchiveChange, int]:
        now = self._clock()
        action = "idea_restore" if reason is None else "idea_archive"
        async with self._db.transaction() as tx:
            if ends is not None:
                await ends.apply(tx)
            idea = await self._idea(tx, idea_id, by)
            if reason is None:
                change = await IdeaLifecycle.restore(tx, idea_id, now, by=by)
            else:
                change = await IdeaLifecycle.archive(tx, idea_id, reason, now, by=by)
            if change is None:
                raise IdeaGoneError(idea_id)
            if not change.changed:
                return change, 0
            details = {"slug": idea.slug} | ({} if reason is None else {"reason": reason})
            actor = CLI if by is None else str(by)
            told = await self._announce(
                tx,
                idea,
                AuditNote(actor, action, f"idea:{idea_id}", details),
                str(idea_id),
                lambda language: views.archive_notice(language, idea, reason),
                now,
            )
        self._woke(told)
        return change, told

    async def _announce(
        self,
        tx: Transaction,
        idea: Idea,
        audit: AuditNote,
        ref: str,
        render: Callable[[str], tuple[str, Keyboard | None]],
        now: dt.datetime,
    ) -> int:
        """Record the change's audit row and queue its notice for every follower but the one
        who made it, batch by batch; the audit action is the notice's kind (key: kind:ref:now)."""
        await AuditRepository.record(tx, audit, now)
        kind, key = audit.action, f"{audit.action}:{ref}:{to_db(now)}"
        payloads: dict[str, dict[str, object]] = {}  # rendered once per language
        queued, after = 0, 0
        while batch := await FollowRepository.followers(
            tx, idea.id, after=after, limit=FAN_OUT_BATCH
        ):
            after = batch[-1].user_id
            messages = []
            for follower in batch:
                if str(follower.user_id) == audit.actor:
                    continue
                if follower.language not in payloads:
                    text, markup = render(follower.language)
                    payloads[follower.language] = chat_message(text, markup)
                payload = payloads[follower.language]
                messages.append(Outgoing(follower.user_id, payload, f"{key}:{follower.user_id}"))
            queued += await OutboxRepository.enqueue(tx, kind, messages, now)
        return queued

    def _woke(self, told: int) -> None:
        if told:
            self.wake()
