"""Moderation of any kind of content: who decides, decisions as transactions, queue, notices.

A kind of content — comments (bot.services.comments.CommentKind), later citizens' proposals
or news entries — implements `ModerationKind` and is registered by the wiring
(bot.context.BotData.attach). It says what its items are, what a decision does to one, and
what moderators and authors read; the rest is shared and written once, here and in
handlers/moderation*.py: who may decide (admins and the contacts of the item's region; nobody
on their own item while someone else can), a decision as one transaction (the kind's change,
the log row, the audit row, the notice to the author), conflicts (decided by someone else,
deleted by its author), the queue across kinds, notices to moderators with decision buttons,
and the dialogue that asks for a reason. A kind, in short:

    class NoteKind(NoteTexts):  # NoteTexts: messages.moderation.KindView[Note], the texts
        name = "note"  # in buttons, the log and the outbox keys

        async def load(self, item_id, tx=None) -> Item[Note] | None: ...
        async def queue(self, regions, limit) -> list[Item[Note]]: ...  # undecided, oldest first
        async def queue_size(self, regions) -> int: ...
        async def apply(self, tx, item, decision, reason, now) -> Item[Note] | None: ...
        def author_notice(self, language, item, decision, reason) -> Notice | None: ...
"""

from __future__ import annotations

import datetime as dt
import logging
import types
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from bot.services.basis import Basis, Service
from messages.actions import Decide
from messages.catalog import DEFAULT_LANGUAGE
from messages.keyboards import Keyboard, chat_message, keyboard
from messages.moderation import KindView, decision_label
from storage.audit import AuditNote, AuditRepository
from storage.db import Database, Transaction
from storage.moderation import Item, LogEntry, ModerationRepository
from storage.outbox import OutboxRepository, Outgoing
from storage.roles import RoleRepository
from storage.timeutil import to_db
from storage.workshops import WorkshopRepository

logger = logging.getLogger(__name__)

T = TypeVar("T")
_NAME = next(field.word for field in Decide.SPEC if field.word is not None)  # kinds, decisions


@dataclass(frozen=True)
class Notice:
    """A message to an item's author about a decision, with buttons if it needs any."""

    text: str
    buttons: Keyboard | None = None


class ModerationKind(KindView[T], Protocol[T]):
    """A kind of moderated content: its items, what decisions do, what its author is told.

    The texts for moderators come from KindView (phrases, decisions per status, reasons,
    card, queue entry, …).
    """

    @property
    def name(self) -> str:
        """The kind in buttons, the log and outbox keys: 1–12 lowercase letters ("comment")."""
        ...

    async def load(self, item_id: int, tx: Transaction | None = None) -> Item[T] | None:
        """One item in any state; None if there is no such item (any more)."""
        ...

    async def queue(self, regions: list[int] | None, limit: int) -> list[Item[T]]:
        """Up to limit items waiting for a decision, oldest first (regions None: all)."""
        ...

    async def queue_size(self, regions: list[int] | None) -> int:
        """How many items wait for a decision (regions None: all)."""
        ...

    async def apply(
        self, tx: Transaction, item: Item[T], decision: str, reason: str | None, now: dt.datetime
    ) -> Item[T] | None:
        """Make the decision's change, if the item is still as loaded; return it changed.

        Called in the decision's transaction with a decision the kind offers in the item's
        status (KindView.decisions); None, having written nothing, if the item changed.
        """
        ...

    def author_notice(
        self, language: str, item: Item[T], decision: str, reason: str | None
    ) -> Notice | None:
        """What the author is told about the decision (item: as decided), or None: nothing."""
        ...


class StoredItems(Protocol[T]):
    """What a kind's repository offers: one item in any state, the waiting ones, their number."""

    async def get(self, item_id: int, tx: Transaction | None = None, /) -> T | None:
        """One item, or None."""
        ...

    async def queue(self, regions: list[int] | None, limit: int, /) -> list[T]:
        """Up to limit items waiting for a decision, oldest first."""
        ...

    async def queue_size(self, regions: list[int] | None, /) -> int:
        """How many items wait for a decision."""
        ...


class StoredKind(Generic[T]):
    """The reading part of a ModerationKind, from the kind's repository and the function that
    makes one of its rows a moderation Item."""

    def __init__(self, items: StoredItems[T], as_item: Callable[[T], Item[T]]) -> None:
        self._items = items
        self._as_item = as_item

    async def load(self, item_id: int, tx: Transaction | None = None) -> Item[T] | None:
        """The item, if it still exists."""
        found = await self._items.get(item_id, tx)
        return None if found is None else self._as_item(found)

    async def queue(self, regions: list[int] | None, limit: int) -> list[Item[T]]:
        """The items waiting for a decision, oldest first (as the repository's queue has them)."""
        return [self._as_item(found) for found in await self._items.queue(regions, limit)]

    async def queue_size(self, regions: list[int] | None) -> int:
        """How many items wait for a decision."""
        return await self._items.queue_size(regions)


@dataclass(frozen=True)
class Moderator:
    """Someone allowed to decide on a region's items, in their language."""

    user_id: int
    language: str


# What checking a moderator's right, or deciding, came to.
@dataclass(frozen=True)
class Allowed:
    """The user may decide on the item now."""

    item: Item[Any]


@dataclass(frozen=True)
class Refused:
    """The user moderates nothing, or not the item's region."""


@dataclass(frozen=True)
class Own:
    """The item is the user's own, and someone else can decide on it (four-eyes principle)."""

    item: Item[Any]


@dataclass(frozen=True)
class Gone:
    """No such item any more (deleted by its author), or no such kind (a forged button)."""


@dataclass(frozen=True)
class Changed:
    """The decision does not fit the item's state any more: someone decided first."""

    item: Item[Any]  # as it is now
    last: LogEntry | None  # the newest log entry about it


@dataclass(frozen=True)
class Decided:
    """The decision was taken: the item as changed by it."""

    item: Item[Any]
    author_told: bool  # whether the kind tells the author about this decision


Check = Allowed | Refused | Own | Gone
Result = Decided | Changed | Refused | Own | Gone


class ModerationService(Service):
    """The kinds of moderated content, who may decide, decisions, the queue, the notices."""

    def __init__(self, basis: Basis) -> None:
        super().__init__(basis)
        self.log = ModerationRepository(basis.db)
        self._roles = RoleRepository(basis.db)
        self._kinds: dict[str, ModerationKind[Any]] = {}

    def register(self, kind: ModerationKind[Any]) -> None:
        """Add a kind of content (the wiring does, once for each)."""
        names = [kind.name, *(d for choices in kind.decisions.values() for d in choices)]
        bad = [name for name in names if not _NAME.accepts(name)]
        if bad:
            raise ValueError(f"kind and decision names are 1–12 lowercase letters: {bad}")
        if kind.name in self._kinds:
            raise ValueError(f"the moderation kind {kind.name!r} is registered already")
        self._kinds[kind.name] = kind

    @property
    def kinds(self) -> Mapping[str, ModerationKind[Any]]:
        """The registered kinds by name, in the order of registration."""
        return types.MappingProxyType(self._kinds)

    # ----------------------------------------------------------------- who moderates

    async def moderators(
        self, tx: Database | Transaction, region_id: int | None
    ) -> list[Moderator]:
        """Admins (configured or granted) and the contacts of the region, who use the bot."""
        rows = await RoleRepository.moderators(tx, region_id, self._config_admins)
        return [Moderator(user_id, language) for user_id, language in rows]

    async def may_moderate(
        self, user_id: int, region_id: int | None, tx: Transaction | None = None
    ) -> bool:
        """Whether the user may decide on items of the region (checked at every use)."""
        return user_id in self._config_admins or await self._roles.moderates(user_id, region_id, tx)

    async def moderated_regions(self, user_id: int) -> list[int] | None:
        """None for admins (all regions), else the regions the user is a contact for."""
        if user_id in self._config_admins or await self._roles.is_admin(user_id):
            return None
        return await self._roles.contact_regions(user_id)

    async def is_moderator(self, user_id: int) -> bool:
        """Admins, and contacts of at least one region (checked at every use)."""
        regions = await self.moderated_regions(user_id)
        return regions is None or bool(regions)

    async def _allowed(
        self, user_id: int, item: Item[Any], tx: Transaction | None = None
    ) -> Allowed | Refused | Own:
        """Whether the user moderates the item's region, and it is not their own (four-eyes)."""
        if not await self.may_moderate(user_id, item.region_id, tx):
            return Refused()
        if item.author_id == user_id:
            others = await self.moderators(tx or self._db, item.region_id)
            if any(other.user_id != user_id for other in others):
                return Own(item)
        return Allowed(item)

    async def _gone(self, user_id: int) -> Gone | Refused:
        """Only moderators learn that an item is gone; anyone else is refused as always."""
        return Gone() if await self.is_moderator(user_id) else Refused()

    async def check(self, user_id: int, kind_name: str, item_id: int) -> Check:
        """Whether the user may decide on the item now (before asking them for a reason)."""
        kind = self._kinds.get(kind_name)
        item = None if kind is None else await kind.load(item_id)
        if item is None:
            return await self._gone(user_id)
        return await self._allowed(user_id, item)

    # ----------------------------------------------------------------- deciding

    async def decide(
        self,
        kind_name: str,
        item_id: int,
        moderator_id: int,
        decision: str,
        reason: str | None = None,
    ) -> Result:
        """Check the right again, then apply the decision once: the kind's change, the log
        and audit rows and the author's notice in one transaction."""
        kind = self._kinds.get(kind_name)
        if kind is None:
            return await self._gone(moderator_id)
        async with self._db.transaction() as tx:
            result = await self._decide(tx, kind, item_id, moderator_id, decision, reason)
        if result is None:
            return await self._gone(moderator_id)
        if isinstance(result, Decided):
            self.wake()
        return result

    async def _decide(
        self,
        tx: Transaction,
        kind: ModerationKind[Any],
        item_id: int,
        moderator_id: int,
        decision: str,
        reason: str | None,
    ) -> Result | None:
        """decide() inside its transaction; None if the item is gone."""
        item = await kind.load(item_id, tx)
        if item is None:
            return None
        allowed = await self._allowed(moderator_id, item, tx)
        if not isinstance(allowed, Allowed):
            return allowed
        now = self._clock()
        decided = None
        if decision in kind.decisions.get(item.status, ()):
            decided = await kind.apply(tx, item, decision, reason, now)
        if decided is None:
            current = await kind.load(item_id, tx)
            if current is None:
                return None
            log = await self.log.decisions(kind.name, item_id, tx)
            return Changed(current, log[-1] if log else None)
        told = await self._record(tx, kind, decided, moderator_id, decision, reason, now)
        return Decided(decided, told)

    async def _record(
        self,
        tx: Transaction,
        kind: ModerationKind[Any],
        item: Item[Any],
        moderator_id: int,
        decision: str,
        reason: str | None,
        now: dt.datetime,
    ) -> bool:
        """The log and audit rows of a decision, and the author's notice; whether one is due."""
        await ModerationRepository.log(tx, kind.name, item.id, moderator_id, decision, reason, now)
        note = AuditNote.by_user(
            moderator_id, "moderation", f"{kind.name}:{item.id}", decision=decision, reason=reason
        )
        await AuditRepository.record(tx, note, now)
        author = item.author_id
        language = DEFAULT_LANGUAGE
        if author is not None:
            language = await WorkshopRepository.language_of(tx, author)
        notice = kind.author_notice(language, item, decision, reason)
        if notice is not None and author is not None:
            outgoing = Outgoing(
                author,
                chat_message(notice.text, notice.buttons),
                f"{kind.name}_decision:{item.id}:{decision}:{to_db(now)}",
            )
            await OutboxRepository.enqueue(tx, f"{kind.name}_decision", [outgoing], now)
        return notice is not None

    # ----------------------------------------------------------------- queue and notices

    async def queue(self, regions: list[int] | None, limit: int) -> list[Item[Any]]:
        """Up to limit items of every kind waiting for a decision, oldest first."""
        order = {name: number for number, name in enumerate(self._kinds)}
        found = [item for kind in self._kinds.values() for item in await kind.queue(regions, limit)]
        found.sort(key=lambda item: (item.created_at, order[item.kind], item.id))
        return found[:limit]

    async def queue_sizes(self, regions: list[int] | None) -> list[tuple[ModerationKind[Any], int]]:
        """How many items of each kind wait for a decision."""
        return [(kind, await kind.queue_size(regions)) for kind in self._kinds.values()]

    def decision_keyboard(self, language: str, item: Item[Any]) -> Keyboard:
        """The buttons a moderator gets for an item in its current state (none once decided)."""
        kind = self._kinds[item.kind]
        decisions = kind.decisions.get(item.status, ())
        return keyboard(
            [
                [
                    (decision_label(kind, language, d), Decide(item.kind, item.id, d))
                    for d in decisions
                ]
            ]
        )

    async def notify(
        self,
        tx: Transaction,
        item: Item[Any],
        event: str,
        text: Callable[[str], str],
        now: dt.datetime,
        cause: int = 0,
    ) -> None:
        """Tell the item's moderators (not its author) of an event, with the decision buttons.

        event: "new", "report", …: the outbox kind is "<kind>_<event>". text(language): the
        notice. cause: who caused it (a reporter), so that each report makes its own notice.
        """
        messages = [
            Outgoing(
                moderator.user_id,
                chat_message(
                    text(moderator.language), self.decision_keyboard(moderator.language, item)
                ),
                f"{item.kind}_{event}:{item.id}:{moderator.user_id}:{to_db(now)}:{cause}",
            )
            for moderator in await self.moderators(tx, item.region_id)
            if moderator.user_id != item.author_id
        ]
        await OutboxRepository.enqueue(tx, f"{item.kind}_{event}", messages, now)
