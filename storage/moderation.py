"""What moderation knows of any kind of content (an Item), and its append-only log."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Generic, NamedTuple, Protocol, TypeVar

from storage.db import Transaction
from storage.repository import Repository
from storage.timeutil import to_db

T = TypeVar("T")


class Authored(Protocol):
    """A record a citizen wrote (a comment, a proposal), as moderation reads it."""

    @property
    def id(self) -> int: ...
    @property
    def region_id(self) -> int | None: ...
    @property
    def user_id(self) -> int | None: ...
    @property
    def status(self) -> str: ...


A = TypeVar("A", bound=Authored)


@dataclass(frozen=True)
class Item(Generic[T]):
    """Something moderators decide on, identified by (kind, id): the same fields for every kind."""

    kind: str  # "comment", …: the name its ModerationKind is registered under
    id: int
    region_id: int | None  # its region's contacts moderate it (and the admins)
    author_id: int | None  # nobody decides on their own item while someone else can
    status: str  # the kind's own states ("pending", "approved", …)
    created_at: dt.datetime  # the queue is oldest first
    content: T  # the kind's own record (a Comment, …), for its texts

    @classmethod
    def of(cls, kind: str, content: A, created_at: dt.datetime) -> Item[A]:
        """The item of a citizen's record: its id, region, author and status."""
        return Item(
            kind,
            content.id,
            content.region_id,
            content.user_id,
            content.status,
            created_at,
            content,
        )


class LogEntry(NamedTuple):
    """One row of the moderation log, as read back: who (None: the system), what, why."""

    moderator_id: int | None
    action: str
    reason: str | None


class ModerationRepository(Repository):
    """The moderation log: every decision on every kind of content; rows are never changed."""

    @staticmethod
    async def log(
        tx: Transaction,
        kind: str,
        item_id: int,
        moderator_id: int | None,
        action: str,
        reason: str | None,
        now: dt.datetime,
    ) -> None:
        """Append a decision (or another event, such as the author deleting the item)."""
        await tx.execute(
            "INSERT INTO moderation_log (kind, item_id, moderator_id, action, reason, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (kind, item_id, moderator_id, action, reason, to_db(now)),
        )

    async def decisions(
        self, kind: str, item_id: int, tx: Transaction | None = None
    ) -> list[LogEntry]:
        """The log of one item, oldest first."""
        rows = await (tx or self._db).fetchall(
            "SELECT moderator_id, action, reason FROM moderation_log"
            " WHERE kind = ? AND item_id = ? ORDER BY id",
            (kind, item_id),
        )
        return [LogEntry(r["moderator_id"], r["action"], r["reason"]) for r in rows]
