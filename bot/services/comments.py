"""Comments as transactions (change, log and notifications commit together), and comments as
the first kind of moderated content (CommentKind)."""

from __future__ import annotations

import datetime as dt
import logging
import re
import unicodedata

from bot.limits import Limit, WriteLimits
from bot.services.basis import Basis, Service
from bot.services.moderation import ModerationService, Notice, StoredKind
from messages import comments as views
from messages.actions import ReviseComment
from messages.keyboards import keyboard
from messages.problems import Problem
from messages.render import label
from storage.comments import HIDE_AFTER_REPORTS, KIND, CommentRepository, moderation_item
from storage.db import Transaction
from storage.drafts import DraftEnd
from storage.models import Comment
from storage.moderation import Item, ModerationRepository
from storage.privacy import PrivacyRepository

logger = logging.getLogger(__name__)

MIN_LENGTH = 10
MAX_LENGTH = 2000
_LINK = re.compile(r"(https?://|www\.|t\.me/)\S*", re.IGNORECASE)


class CommentRefusedError(Problem):
    """The comment cannot be accepted; key names the catalog text that explains why."""


def text_problem(text: str) -> str | None:
    """Why a text is not a comment (a catalog key), or None if it is fine."""
    stripped = text.strip()
    if not stripped:
        return "comments.invalid.empty"
    length = len(stripped)
    if length > MAX_LENGTH:
        return "comments.invalid.too_long"
    # Before "too short": "👍👍" needs words, not more emojis.
    words = _LINK.sub(" ", stripped)
    if not any(unicodedata.category(ch)[0] in "LN" for ch in words):
        return "comments.invalid.no_words"
    if length < MIN_LENGTH:
        return "comments.invalid.too_short"
    return None


def text_key(text: str) -> str:
    """The text as compared for duplicates: case and spacing do not matter."""
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


# What a moderator's decision makes of a comment (CommentTexts.decisions: in which states).
_DECIDED = {"approve": "approved", "reject": "rejected", "hide": "hidden", "restore": "approved"}


class CommentKind(views.CommentTexts, StoredKind[Comment]):
    """Comments as a kind of moderated content (registered by bot.context.BotData.attach);
    waiting for a decision: pending comments and those hidden after reports."""

    name = KIND

    def __init__(self, repo: CommentRepository) -> None:
        super().__init__(repo, moderation_item)
        self._repo = repo

    async def apply(
        self,
        tx: Transaction,
        item: Item[Comment],
        decision: str,
        reason: str | None,  # noqa: ARG002 (ModerationKind: a comment keeps no reason)
        now: dt.datetime,
    ) -> Item[Comment] | None:
        """The new status, if the comment still has the one it was decided in."""
        if not await self._repo.set_status(tx, item.id, (item.status,), _DECIDED[decision], now):
            return None
        return await self.load(item.id, tx)

    def author_notice(
        self, language: str, item: Item[Comment], decision: str, reason: str | None
    ) -> Notice | None:
        """Approved, rejected (with the reason, and a way to rework it) or hidden; a restored
        comment says nothing."""
        if decision not in ("approve", "reject", "hide"):
            return None
        text = views.author_outcome(language, item.content, decision, reason)
        if decision != "reject":
            return Notice(text)
        button = label(language, "citizen.button.revise_notice")
        return Notice(text, keyboard([[(button, ReviseComment(item.content.id))]]))


class CommentService(Service):
    """Submit, report and delete comments (decisions on them: ModerationService)."""

    def __init__(
        self,
        basis: Basis,
        *,
        moderation: str,
        limits: tuple[Limit, ...],
        moderators: ModerationService,
    ) -> None:
        super().__init__(basis)
        self.repo = CommentRepository(basis.db)
        self.moderation = moderation
        self.writes = WriteLimits(basis.db, "comment_writes", limits, basis.clock)
        self._moderators = moderators

    # ----------------------------------------------------------------- writing

    async def check_limits(self, user_id: int, tx: Transaction | None = None) -> None:
        """Raise CommentRefusedError if the user reached a limit (says when it frees up).

        Comments count as written, deleted or not: deleting one does not free a place.
        """
        reached = await self.writes.reached(user_id, tx)
        if reached is not None:
            raise CommentRefusedError("comments.invalid.rate_limit", **reached.params)

    async def counted_until(self, user_id: int) -> dt.datetime | None:
        """Until when the user's written comments are remembered for the limits (None: not)."""
        return await self.writes.counted_until(user_id)

    async def check_text(self, idea_id: int, user_id: int, text: str) -> None:
        """Raise CommentRefusedError for an unacceptable text (before it is previewed)."""
        problem = text_problem(text)
        if problem is not None:
            raise CommentRefusedError(
                problem, count=len(text.strip()), minimum=MIN_LENGTH, maximum=MAX_LENGTH
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
        replaces: int | None = None,
    ) -> Comment:
        """Store the comment (pending, or approved in post-moderation) and notify moderators.

        `replaces`: the author's rejected comment this one reworks; it goes in the same
        transaction (if it is still theirs and still rejected).

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
            await self.writes.record(tx, user_id, now)
            comment = await self.repo.get(comment_id, tx)
            assert comment is not None
            if replaces is not None:
                await self._drop_rejected(tx, replaces, user_id, now)
            await self._moderators.notify(
                tx,
                moderation_item(comment),
                "new",
                lambda language: views.moderator_new(language, comment, self.moderation),
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
                    await ModerationRepository.log(
                        tx, KIND, comment_id, None, "hide", f"reported by {count} users", now
                    )
            current = await self.repo.get(comment_id, tx)
            assert current is not None
            await self._moderators.notify(
                tx,
                moderation_item(current),
                "report",
                lambda language: views.moderator_report(language, current, reason),
                now,
                cause=user_id,
            )
        self.wake()
        return True, hidden

    async def _drop_rejected(
        self, tx: Transaction, comment_id: int, user_id: int, now: dt.datetime
    ) -> None:
        """The rejected comment a new one reworks goes, as if its author had deleted it."""
        old = await self.repo.get(comment_id, tx)
        if old is None or old.user_id != user_id or old.status != "rejected":
            return
        if await self.repo.delete_own(tx, comment_id, user_id):
            await ModerationRepository.log(
                tx, KIND, comment_id, user_id, "delete", "revised by the author", now
            )
            await PrivacyRepository.scrub_comment_notices(tx, [comment_id])

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
            await ModerationRepository.log(
                tx, KIND, comment_id, user_id, "delete", "by the author", now
            )
            await PrivacyRepository.scrub_comment_notices(tx, [comment_id])
        return True
