"""Citizens' proposals as transactions (submit, resubmit, withdraw), and proposals as a kind
of moderated content (ProposalKind): approved, a proposal becomes an idea on the map.

Proposals are pre-moderated whatever IDEENLABOR_MODERATION says: an idea on the map speaks
for the ministry's process, a comment only for its author.
"""

from __future__ import annotations

import datetime as dt
import logging
import unicodedata
from zoneinfo import ZoneInfo

from bot.limits import Limit, WriteLimits
from bot.logs import person
from bot.services.basis import Basis, Service
from bot.services.moderation import ModerationService, Notice, StoredKind
from messages import proposals as views
from messages.keyboards import chat_message
from messages.problems import Problem
from storage.db import Transaction
from storage.drafts import DraftEnd
from storage.idea_followers import FollowRepository
from storage.idea_lifecycle import IdeaFields, IdeaLifecycle
from storage.ideas import IdeaRepository
from storage.models import Proposal
from storage.moderation import Item, ModerationRepository
from storage.outbox import OutboxRepository, Outgoing
from storage.privacy import PrivacyRepository
from storage.proposals import KIND, ProposalFields, ProposalRepository, group_slug, moderation_item
from storage.roles import RoleRepository
from storage.timeutil import to_db
from storage.workgroups import WorkgroupRepository
from storage.workshops import WorkshopRepository

logger = logging.getLogger(__name__)

TITLE = (5, 120)
DESCRIPTION = (30, 3000)
SUMMARY_MAX = 500  # an idea's summary (IdeaService's limit); a longer description is its body


class ProposalRefusedError(Problem):
    """The proposal cannot be accepted; key names the catalog text that explains why."""


def _has_words(text: str) -> bool:
    return any(unicodedata.category(ch)[0] in "LN" for ch in text)


def text_problem(field: str, text: str) -> str | None:
    """Why a title or description is not acceptable (a catalog key), or None."""
    low, high = TITLE if field == "title" else DESCRIPTION
    stripped = text.strip()
    if field == "title" and "\n" in stripped:
        return "proposals.invalid.title_lines"
    if len(stripped) < low:
        return f"proposals.invalid.{field}_short"
    if len(stripped) > high:
        return f"proposals.invalid.{field}_long"
    if not _has_words(stripped):
        return "proposals.invalid.no_words"
    return None


def limits_of(field: str) -> tuple[int, int]:
    """(shortest, longest) in characters."""
    return TITLE if field == "title" else DESCRIPTION


def idea_fields(proposal: Proposal) -> IdeaFields:
    """What the idea an approved proposal becomes says: its summary, and its body if long."""
    description = proposal.description
    if len(description) <= SUMMARY_MAX:
        return IdeaFields(
            title=proposal.title,
            region_id=proposal.region_id,
            challenge_id=proposal.challenge_id,
            summary=description,
        )
    cut = description[: SUMMARY_MAX - 1]
    if " " in cut[SUMMARY_MAX // 2 :]:
        cut = cut[: cut.rindex(" ")]
    return IdeaFields(
        title=proposal.title,
        region_id=proposal.region_id,
        challenge_id=proposal.challenge_id,
        summary=cut.rstrip(" ,;:-–") + "…",
        body=description,
    )


# What a moderator's decision makes of a proposal.
_DECIDED = {"approve": "approved", "changes": "changes", "reject": "rejected", "merge": "merged"}


def merge_target(reason: str | None) -> int | None:
    """The idea a "merge" decision names (the decision's reason is its id)."""
    return int(reason) if reason is not None and reason.isdigit() else None


class ProposalKind(views.ProposalTexts, StoredKind[Proposal]):
    """Proposals as a kind of moderated content (registered by bot.context.BotData.attach).

    "merge" takes the target idea's id as its reason (handlers.proposal_merge asks for it):
    so the log and the audit name the idea without the shared code knowing about targets.
    """

    name = KIND

    def __init__(self, repo: ProposalRepository, tz: ZoneInfo) -> None:
        super().__init__(repo, moderation_item)
        self._repo = repo
        self._tz = tz

    async def apply(
        self,
        tx: Transaction,
        item: Item[Proposal],
        decision: str,
        reason: str | None,
        now: dt.datetime,
    ) -> Item[Proposal] | None:
        """The decision's change: an idea for "approve", following the target for "merge"."""
        proposal = item.content
        idea_id: int | None = None
        kept_reason = reason
        if decision == "approve":
            today = now.astimezone(self._tz).date()
            idea_id, _ = await IdeaLifecycle.create(
                tx, idea_fields(proposal), now, origin="citizen", published_on=today
            )
            if proposal.wants_to_help:  # Mitmachen needs a group; the region's contact has it
                await WorkgroupRepository.create_for_idea(
                    tx, group_slug(item.id), proposal.title, proposal.region_id, idea_id, now
                )
        elif decision == "merge":
            idea_id = merge_target(reason)
            target = None if idea_id is None else await IdeaRepository.get_in(tx, idea_id)
            if target is None or target.archived:
                return None
            kept_reason = None
        if not await ProposalRepository.decide(
            tx, item.id, item.status, _DECIDED[decision], kept_reason, idea_id, now
        ):
            return None
        if idea_id is not None and proposal.user_id is not None:
            await FollowRepository.follow(tx, idea_id, proposal.user_id, now)
        decided = await self.load(item.id, tx)
        if decided is not None and decision == "approve":
            await self._tell_contacts(tx, decided, now)
        return decided

    async def _tell_contacts(self, tx: Transaction, item: Item[Proposal], now: dt.datetime) -> None:
        """The region's contacts hear of a new idea from the citizens of their region."""
        messages = []
        for contact_id in await RoleRepository.contact_ids(tx, item.content.region_id):
            language = await WorkshopRepository.language_of(tx, contact_id)
            text, buttons = views.contact_approved(language, item.content)
            messages.append(
                Outgoing(
                    contact_id,
                    chat_message(text, buttons),
                    f"{KIND}_approved:{item.id}:{contact_id}:{to_db(now)}",
                )
            )
        await OutboxRepository.enqueue(tx, f"{KIND}_approved", messages, now)

    def author_notice(
        self,
        language: str,
        item: Item[Proposal],
        decision: str,
        reason: str | None,  # noqa: ARG002 (the protocol's; the reason is kept on the proposal)
    ) -> Notice | None:
        """Every outcome, with a button to the idea or to revise the proposal."""
        text, buttons = views.author_outcome(language, item.content, decision)
        return Notice(text, buttons)


class ProposalService(Service):
    """Submit, revise and withdraw proposals (decisions on them: ModerationService)."""

    def __init__(
        self, basis: Basis, *, limits: tuple[Limit, ...], moderators: ModerationService
    ) -> None:
        super().__init__(basis)
        self.repo = ProposalRepository(basis.db)
        self.writes = WriteLimits(basis.db, "proposal_writes", limits, basis.clock)
        self._moderators = moderators

    async def check_limits(self, user_id: int, tx: Transaction | None = None) -> None:
        """Raise ProposalRefusedError if the person reached a limit (withdrawing refunds none)."""
        reached = await self.writes.reached(user_id, tx)
        if reached is not None:
            raise ProposalRefusedError("proposals.invalid.rate_limit", **reached.params)

    async def submit(
        self,
        user_id: int,
        author_name: str,
        new: ProposalFields,
        *,
        revising: int | None = None,
        ends: DraftEnd | None = None,
    ) -> Proposal | None:
        """Store a new proposal (or the revision of one) and tell its moderators.

        `ends`: the dialogue, ended in the same transaction (DraftGone if it had ended), so
        a proposal is stored once however often "Absenden" is tapped. None: the proposal
        being revised was decided or withdrawn meanwhile.
        """
        for field, text in (("title", new.title), ("description", new.description)):
            problem = text_problem(field, text)
            if problem is not None:
                low, high = limits_of(field)
                raise ProposalRefusedError(problem, minimum=low, maximum=high)
        now = self._clock()
        async with self._db.transaction() as tx:
            if ends is not None:
                await ends.apply(tx)
            if revising is None:
                await self.check_limits(user_id, tx)  # in the transaction: none slips through
                proposal_id = await ProposalRepository.create(tx, user_id, author_name, new, now)
                await self.writes.record(tx, user_id, now)
            else:
                proposal_id = revising
                if not await ProposalRepository.resubmit(
                    tx, revising, user_id, author_name, new, now
                ):
                    return None
                await ModerationRepository.log(tx, KIND, revising, user_id, "resubmit", None, now)
            proposal = await self.repo.get(proposal_id, tx)
            assert proposal is not None
            await self._moderators.notify(
                tx,
                moderation_item(proposal),
                "new" if revising is None else "revised",
                lambda language: views.moderator_new(language, proposal, revising is not None),
                now,
            )
        logger.info("Proposal %s by %s submitted", proposal.id, person(user_id))
        self.wake()
        return proposal

    async def withdraw(self, proposal_id: int, user_id: int) -> bool:
        """The author withdraws an undecided proposal: it and its notices go, the log stays."""
        now = self._clock()
        try:
            async with self._db.transaction() as tx:
                await PrivacyRepository.scrub_proposal_notices(tx, [proposal_id])
                if not await ProposalRepository.withdraw(tx, proposal_id, user_id):
                    raise _Unchanged
                await ModerationRepository.log(
                    tx, KIND, proposal_id, user_id, "withdraw", "by the author", now
                )
        except _Unchanged:
            return False
        return True


class _Unchanged(Exception):
    """Nothing to withdraw: roll back the scrubbing."""
