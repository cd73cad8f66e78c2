"""Comments and their moderation as transactions: change, log and notifications commit together."""

from __future__ import annotations

import datetime as dt
import logging
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from bot.limits import Limit
from messages import comments as views
from messages.actions import Moderate, Verdict
from messages.keyboards import Button, Keyboard, chat_message, keyboard
from messages.render import label
from storage.audit import AuditNote, AuditRepository
from storage.comments import HIDE_AFTER_REPORTS, CommentRepository
from storage.db import Database, Transaction
from storage.drafts import DraftEnd
from storage.models import Comment
from storage.outbox import OutboxRepository, Outgoing
from storage.privacy import PrivacyRepository
from storage.roles import RoleRepository
from storage.timeutil import to_db
from storage.workshops import WorkshopRepository

logger = logging.getLogger(__name__)

MIN_LENGTH = 10
MAX_LENGTH = 2000
_LINK = re.compile(r"(https?://|www\.|t\.me/)\S*", re.IGNORECASE)


class CommentRefusedError(Exception):
    """The comment cannot be accepted; key names the catalog text that explains why."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


def text_problem(text: str) -> str | None:
    """Why a text is not a comment (a catalog key), or None if it is fine."""
    stripped = text.strip()
    if not stripped:
        return "comments.invalid.empty"
    length = len(stripped)
    if length < MIN_LENGTH:
        return "comments.invalid.too_short"
    if length > MAX_LENGTH:
        return "comments.invalid.too_long"
    words = _LINK.sub(" ", stripped)
    if not any(unicodedata.category(ch)[0] in "LN" for ch in words):
        return "comments.invalid.no_words"
    return None


def text_key(text: str) -> str:
    """The text as compared for duplicates: case and spacing do not matter."""
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


@dataclass(frozen=True)
class Moderator:
    """Someone allowed to decide on a comment, in their language."""

    user_id: int
    language: str


class CommentService:
    """Submit, moderate, report and delete comments."""

    def __init__(
        self,
        db: Database,
        clock: Callable[[], dt.datetime],
        *,
        moderation: str,
        limits: tuple[Limit, ...],
        config_admins: frozenset[int],
        wake: Callable[[], None] = lambda: None,
    ) -> None:
        self._db = db
        self.repo = CommentRepository(db)
        self._roles = RoleRepository(db)
        self._clock = clock
        self.moderation = moderation
        self._limits = limits
        self._config_admins = config_admins
        self.wake = wake

    # ----------------------------------------------------------------- who moderates

    async def moderators(self, tx: Transaction, region_id: int | None) -> list[Moderator]:
        """Admins (configured or granted) and the contacts of the region, who use the bot."""
        rows = await RoleRepository.moderators(tx, region_id, self._config_admins)
        return [Moderator(user_id, language) for user_id, language in rows]

    async def others_moderate(self, comment: Comment) -> bool:
        """Whether someone other than the comment's author may decide on it."""
        rows = await RoleRepository.moderators(self._db, comment.region_id, self._config_admins)
        return any(user_id != comment.user_id for user_id, _ in rows)

    async def may_moderate(self, user_id: int, region_id: int | None) -> bool:
        """Whether the user may decide on comments of the region (checked at every use)."""
        return user_id in self._config_admins or await self._roles.moderates(user_id, region_id)

    async def moderated_regions(self, user_id: int) -> list[int] | None:
        """None for admins (all regions), else the regions the user is a contact for."""
        if user_id in self._config_admins or await self._roles.is_admin(user_id):
            return None
        return await self._roles.contact_regions(user_id)

    # ----------------------------------------------------------------- writing

    @property
    def writes_kept(self) -> dt.timedelta | None:
        """How long a written comment counts against a limit (the longest window)."""
        return max((limit.window for limit in self._limits), default=None)

    async def check_limits(self, user_id: int, tx: Transaction | None = None) -> None:
        """Raise CommentRefusedError if the user reached a limit (says when it frees up).

        Comments count as written, deleted or not: deleting one does not free a place.
        """
        now = self._clock()
        for limit in self._limits:
            since = now - limit.window
            if await self.repo.count_since(user_id, since, tx) >= limit.count:
                oldest = await self.repo.oldest_since(user_id, since, tx)
                free_at = (oldest or now) + limit.window
                raise CommentRefusedError(
                    "comments.invalid.rate_limit",
                    count=limit.count,
                    window=limit.window,
                    free_at=free_at,
                )

    async def counted_until(self, user_id: int) -> dt.datetime | None:
        """Until when the user's written comments are remembered for the limits (None: not)."""
        latest = await self.repo.latest_write(user_id)
        kept = self.writes_kept
        if latest is None or kept is None or latest + kept <= self._clock():
            return None
        return latest + kept

    async def forget_old_writes(self) -> int:
        """Drop the record of comments written before the longest window (daily job)."""
        kept = self.writes_kept
        async with self._db.transaction() as tx:
            return await self.repo.prune_writes(tx, None if kept is None else self._clock() - kept)

    async def check_text(self, idea_id: int, user_id: int, text: str) -> None:
        """Raise CommentRefusedError for an unacceptable text (before it is previewed)."""
        problem = text_problem(text)
        if problem is not None:
            raise CommentRefusedError(
                problem, length=len(text.strip()), minimum=MIN_LENGTH, maximum=MAX_LENGTH
            )
        if await self.repo.has_same_text(idea_id, user_id, text_key(text)):
            raise CommentRefusedError("comments.invalid.duplicate")

    async def submit(
        self,
        idea_id: int,
        user_id: int,
        author_name: str,
        text: str,
        *,
        ends: DraftEnd | None = None,
    ) -> Comment:
        """Store the comment (pending, or approved in post-moderation) and notify moderators.

        `ends`: the dialogue that wrote it, ended in the same transaction (DraftGone if it had
        ended already), so that a comment is stored exactly once however often "Absenden" is
        tapped, and a crash never leaves a stored comment with its dialogue still open.
        """
        await self.check_text(idea_id, user_id, text)
        now = self._clock()
        status = "pending" if self.moderation == "pre" else "approved"
        async with self._db.transaction() as tx:
            if ends is not None:
                await ends.apply(tx)
            await self.check_limits(user_id, tx)  # in the transaction: no two slip through
            comment_id = await self.repo.create(
                tx, idea_id, user_id, author_name, text, text_key(text), status, now
            )
            kept = self.writes_kept
            if kept is not None:  # without limits there is nothing to count
                await self.repo.prune_writes(tx, now - kept)
                await self.repo.record_write(tx, user_id, now)
            comment = await self.repo.get(comment_id, tx)
            assert comment is not None
            await self._notify_moderators(tx, comment, "comment_new", now)
        self.wake()
        return comment

    async def _notify_moderators(
        self,
        tx: Transaction,
        comment: Comment,
        kind: str,
        now: dt.datetime,
        reason: str | None = None,
        reporter: int | None = None,
    ) -> None:
        messages = []
        for mod in await self.moderators(tx, comment.region_id):
            if mod.user_id == comment.user_id:
                continue
            if kind == "comment_new":
                text = views.moderator_new(mod.language, comment, self.moderation)
            else:
                text = views.moderator_report(mod.language, comment, reason or "other")
            messages.append(
                Outgoing(
                    mod.user_id,
                    chat_message(text, self.decision_keyboard(mod.language, comment)),
                    f"{kind}:{comment.id}:{mod.user_id}:{to_db(now)}:{reporter or 0}",
                )
            )
        await OutboxRepository.enqueue(tx, kind, messages, now)

    def decision_keyboard(self, language: str, comment: Comment) -> Keyboard:
        """The buttons a moderator gets for a comment in its current state (none once decided)."""

        def button(action: Verdict) -> Button:
            return (label(language, f"comments.moderate.{action}"), Moderate(comment.id, action))

        if comment.status == "pending":
            return keyboard([[button("approve"), button("reject")]])
        if comment.status == "approved":
            return keyboard([[button("hide")]])
        if comment.status == "hidden":
            return keyboard([[button("restore"), button("reject")]])
        return keyboard([])

    async def decide(
        self, comment_id: int, moderator_id: int, action: str, reason: str | None = None
    ) -> Comment | None:
        """Apply a decision once; None if the comment changed meanwhile (or is gone)."""
        transitions = {
            "approve": (("pending",), "approved"),
            "reject": (("pending", "hidden"), "rejected"),
            "hide": (("approved",), "hidden"),
            "restore": (("hidden",), "approved"),
        }
        expected, status = transitions[action]
        now = self._clock()
        async with self._db.transaction() as tx:
            if not await self.repo.set_status(tx, comment_id, expected, status, now):
                return None
            await self.repo.log(tx, comment_id, moderator_id, action, reason, now)
            note = AuditNote.by_user(
                moderator_id, "moderation", f"comment:{comment_id}", decision=action, reason=reason
            )
            await AuditRepository.record(tx, note, now)
            comment = await self.repo.get(comment_id, tx)
            assert comment is not None
            if comment.user_id is not None and action in ("approve", "reject", "hide"):
                language = await WorkshopRepository.language_of(tx, comment.user_id)
                await OutboxRepository.enqueue(
                    tx,
                    "comment_decision",
                    [
                        Outgoing(
                            comment.user_id,
                            chat_message(views.author_outcome(language, comment, action, reason)),
                            f"comment_decision:{comment_id}:{action}:{to_db(now)}",
                        )
                    ],
                    now,
                )
        self.wake()
        return comment

    async def report(self, comment_id: int, user_id: int, reason: str) -> tuple[bool, bool]:
        """Record a report; returns (new report, hidden now). Moderators hear of each report."""
        now = self._clock()
        async with self._db.transaction() as tx:
            comment = await self.repo.get(comment_id, tx)
            if comment is None or comment.status != "approved":
                return False, False
            new, count = await self.repo.report(tx, comment_id, user_id, reason, now)
            if not new:
                return False, False
            hidden = False
            if count >= HIDE_AFTER_REPORTS:
                hidden = await self.repo.set_status(tx, comment_id, ("approved",), "hidden", now)
                if hidden:
                    await self.repo.log(
                        tx, comment_id, None, "hide", f"reported by {count} users", now
                    )
            current = await self.repo.get(comment_id, tx)
            assert current is not None
            await self._notify_moderators(tx, current, "comment_report", now, reason, user_id)
        self.wake()
        return True, hidden

    async def delete_own(self, comment_id: int, user_id: int) -> bool:
        """The author deletes their comment; the log keeps that it happened.

        The moderators' notices about it go with it: those not yet sent are dropped, the text
        of those delivered is cleared from the queue (their buttons then say it was deleted).
        It still counts against the author's limits (comment_writes).
        """
        now = self._clock()
        async with self._db.transaction() as tx:
            if not await self.repo.delete_own(tx, comment_id, user_id):
                return False
            await self.repo.log(tx, comment_id, user_id, "delete", "by the author", now)
            await PrivacyRepository.scrub_comment_notices(tx, [comment_id])
        return True
