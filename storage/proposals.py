"""Citizens' proposals for ideas, and the record of when they were submitted (limits)."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass

from storage.authored import erase_authored
from storage.db import Transaction
from storage.models import Proposal, ProposalCount
from storage.moderation import Item
from storage.repository import Repository
from storage.timeutil import to_db

KIND = "proposal"  # proposals in the moderation log, buttons and notices
STATUSES = ("pending", "changes", "approved", "rejected", "merged")
# What its author can still withdraw (and so also revise): nothing published or decided.
OPEN = ("pending", "changes")

_SELECT = (
    "SELECT p.id, p.user_id, p.author_name, p.title, p.description, p.region_id,"
    " r.name AS region_name, r.name_en AS region_name_en, p.challenge_id,"
    " c.title AS challenge_title, c.title_en AS challenge_title_en, p.wants_to_help,"
    " p.status, p.reason, p.idea_id, i.title AS idea_title, i.title_en AS idea_title_en,"
    " p.created_at, p.submitted_at, p.decided_at"
    " FROM proposals p JOIN regions r ON r.id = p.region_id"
    " LEFT JOIN challenges c ON c.id = p.challenge_id"
    " LEFT JOIN ideas i ON i.id = p.idea_id"
)


def group_slug(proposal_id: int) -> str:
    """The slug of the working group made for an approved proposal's idea (its author helps)."""
    return f"vorschlag-{proposal_id}"


@dataclass(frozen=True)
class ProposalFields:
    """What the author writes (and may revise after being asked for changes)."""

    title: str
    description: str
    region_id: int
    challenge_id: int | None
    wants_to_help: bool


def _written(author_name: str, new: ProposalFields, now: dt.datetime) -> dict[str, object]:
    """What the author wrote (submitted now), as named parameters."""
    values = {**asdict(new), "wants_to_help": int(new.wants_to_help)}
    return {**values, "author_name": author_name, "now": to_db(now)}


def moderation_item(proposal: Proposal) -> Item[Proposal]:
    """The proposal as moderation sees it (kind "proposal"); the queue is by submission."""
    return Item.of(KIND, proposal, proposal.submitted_at)


def _waiting(regions: list[int] | None) -> tuple[str, list[object]]:
    if regions is None:
        return "p.status = 'pending'", []
    marks = ",".join("?" * len(regions)) or "NULL"
    return f"p.status = 'pending' AND p.region_id IN ({marks})", [*regions]


class ProposalRepository(Repository):
    """Reads and transactional writes around proposals."""

    async def get(self, proposal_id: int, tx: Transaction | None = None) -> Proposal | None:
        """One proposal in any state."""
        row = await (tx or self._db).fetchone(f"{_SELECT} WHERE p.id = ?", (proposal_id,))
        return None if row is None else Proposal.of(row)

    async def of_user(self, user_id: int) -> list[Proposal]:
        """The person's proposals, newest first."""
        rows = await self._db.fetchall(
            f"{_SELECT} WHERE p.user_id = ? ORDER BY p.id DESC", (user_id,)
        )
        return [Proposal.of(r) for r in rows]

    async def queue(self, regions: list[int] | None, limit: int) -> list[Proposal]:
        """Proposals waiting for a decision, oldest submission first."""
        where, params = _waiting(regions)
        rows = await self._db.fetchall(
            f"{_SELECT} WHERE {where} ORDER BY p.submitted_at, p.id LIMIT ?", (*params, limit)
        )
        return [Proposal.of(r) for r in rows]

    async def queue_size(self, regions: list[int] | None) -> int:
        """How many proposals wait for a decision."""
        where, params = _waiting(regions)
        return await self._db.count(f"SELECT COUNT(*) FROM proposals p WHERE {where}", params)

    async def counts(self) -> list[ProposalCount]:
        """Proposals by region and status (statistics), by region name."""
        rows = await self._db.fetchall(
            "SELECT r.name AS region_name, p.status, COUNT(*) AS count FROM proposals p"
            " JOIN regions r ON r.id = p.region_id GROUP BY r.name, p.status"
            " ORDER BY r.name, p.status"
        )
        return [ProposalCount(**dict(r)) for r in rows]

    # ----------------------------------------------------------------- writes (in a transaction)

    @staticmethod
    async def create(
        tx: Transaction, user_id: int, author_name: str, new: ProposalFields, now: dt.datetime
    ) -> int:
        """A new proposal, waiting for a decision."""
        return await tx.insert(
            "INSERT INTO proposals (user_id, author_name, title, description, region_id,"
            " challenge_id, wants_to_help, status, created_at, submitted_at)"
            " VALUES (:user_id, :author_name, :title, :description, :region_id,"
            " :challenge_id, :wants_to_help, 'pending', :now, :now)",
            {**_written(author_name, new, now), "user_id": user_id},
        )

    @staticmethod
    async def resubmit(
        tx: Transaction,
        proposal_id: int,
        user_id: int,
        author_name: str,
        new: ProposalFields,
        now: dt.datetime,
    ) -> bool:
        """The revised proposal waits again; False if it is not the author's or not open."""
        changed = await tx.execute(
            "UPDATE proposals SET author_name = :author_name, title = :title,"
            " description = :description, region_id = :region_id, challenge_id = :challenge_id,"
            " wants_to_help = :wants_to_help, status = 'pending', submitted_at = :now"
            " WHERE id = :id AND user_id = :user_id AND status IN ('pending', 'changes')",
            {**_written(author_name, new, now), "id": proposal_id, "user_id": user_id},
        )
        return changed > 0

    @staticmethod
    async def decide(
        tx: Transaction,
        proposal_id: int,
        old_status: str,
        new_status: str,
        reason: str | None,
        idea_id: int | None,
        now: dt.datetime,
    ) -> bool:
        """Set the outcome of a decision, if the proposal still has the old status."""
        changed = await tx.execute(
            "UPDATE proposals SET status = ?, reason = ?, idea_id = COALESCE(?, idea_id),"
            " decided_at = ? WHERE id = ? AND status = ?",
            (new_status, reason, idea_id, to_db(now), proposal_id, old_status),
        )
        return changed > 0

    @staticmethod
    async def withdraw(tx: Transaction, proposal_id: int, user_id: int) -> bool:
        """The author withdraws an undecided proposal: it is deleted."""
        removed = await tx.execute(
            "DELETE FROM proposals"
            " WHERE id = ? AND user_id = ? AND status IN ('pending', 'changes')",
            (proposal_id, user_id),
        )
        return removed > 0

    # ----------------------------------------------------------------- erasure

    @staticmethod
    async def erase_author(
        tx: Transaction, user_id: int, *, mode: str, deleted_author: str
    ) -> tuple[list[int], int]:
        """The person's proposals: (ids of those affected, rows changed).

        Unpublished ones go. A published one (the idea on the map) stays under deleted_author
        ("anonymise"), or goes together with the idea it became ("remove").
        """
        rows = await tx.fetchall(
            "SELECT id, status, idea_id FROM proposals WHERE user_id = ?", (user_id,)
        )
        ids = [int(r["id"]) for r in rows]
        changed = 0
        if mode == "remove":
            for row in rows:
                if row["status"] == "approved" and row["idea_id"] is not None:
                    changed += await tx.execute("DELETE FROM ideas WHERE id = ?", (row["idea_id"],))
                    # The group made for it carries her title as its name.
                    changed += await tx.execute(
                        "DELETE FROM working_groups WHERE slug = ?", (group_slug(row["id"]),)
                    )
        changed += await erase_authored(
            tx, "proposals", user_id, remove=mode == "remove", deleted_author=deleted_author
        )
        return ids, changed
