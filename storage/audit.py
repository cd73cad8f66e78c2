"""The audit log of privileged actions: written in the action's own transaction, read paged."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Final, Literal, get_args

from storage.contact_profiles import ContactProfileRepository
from storage.db import Transaction
from storage.models import AuditEntry
from storage.repository import Repository
from storage.timeutil import to_db

CLI: Final = "cli"
# Every action the log knows (the /protokoll filter offers exactly these).
AuditAction = Literal[
    "role_grant",
    "role_revoke",
    "workshop_create",
    "workshop_edit",
    "workshop_cancel",
    "broadcast",
    "moderation",
    "contact_invite",
    "contact_remove",
    "interest_contacted",
    "export_interested",
    "export_participants",
    "import",
    "idea_archive",
    "idea_restore",
    "idea_create",
    "idea_edit",
    "idea_status",
    "idea_news",
    "group_create",
    "group_edit",
    "group_open",
    "group_close",
    "group_link",
    "group_unlink",
    "profile_publish",
    "profile_unpublish",
]
ACTIONS: tuple[AuditAction, ...] = get_args(AuditAction)


@dataclass(frozen=True)
class AuditNote:
    """What a privileged action records: who, what, to what, and details (JSON-able)."""

    actor: str
    action: str
    target: str = ""
    details: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.action not in ACTIONS:
            raise ValueError(f"unknown audit action {self.action!r}")

    @classmethod
    def by_user(cls, user_id: int, action: str, target: str = "", **details: Any) -> AuditNote:
        """A note for an action by a Telegram user."""
        return cls(str(user_id), action, target, details)


# A name in German and, where there is one, in English.
Named = tuple[str, str | None]


@dataclass(frozen=True)
class AuditSubjects:
    """What the bot knows to name the people and things of some audit rows.

    people: Telegram id → the name a linked contact shows citizens (the bot keeps no other
    names). things: "kind:key" as rows write them ("idea:5", "idea:gute-arbeit",
    "region:koeln", "region:3", "workshop:2", "group:4", "comment:7" → its idea's title,
    "proposal:3", "contact:9", "registration:6" → its group's name) → the current name.
    """

    people: dict[int, str] = field(default_factory=dict)
    things: dict[str, Named] = field(default_factory=dict)


# "kind" of a thing → the query naming it by id (or by slug, "kind-slug").
_NAMES: Final = {
    "idea": "SELECT id AS k, title AS de, title_en AS en FROM ideas WHERE id IN ({})",
    "idea-slug": "SELECT slug AS k, title AS de, title_en AS en FROM ideas WHERE slug IN ({})",
    "region": "SELECT id AS k, name AS de, name_en AS en FROM regions WHERE id IN ({})",
    "region-slug": "SELECT slug AS k, name AS de, name_en AS en FROM regions WHERE slug IN ({})",
    "workshop": "SELECT id AS k, title AS de, title_en AS en FROM workshops WHERE id IN ({})",
    "group": "SELECT id AS k, name AS de, name_en AS en FROM working_groups WHERE id IN ({})",
    "comment": "SELECT c.id AS k, i.title AS de, i.title_en AS en FROM comments c"
    " JOIN ideas i ON i.id = c.idea_id WHERE c.id IN ({})",
    "proposal": "SELECT id AS k, title AS de, NULL AS en FROM proposals WHERE id IN ({})",
    "contact": "SELECT id AS k, CASE WHEN published_at IS NULL THEN name"
    " ELSE COALESCE(public_name, name) END AS de, NULL AS en FROM contacts"
    " WHERE id IN ({}) AND (self_made = 0 OR published_at IS NOT NULL)",
    "registration": "SELECT r.id AS k, g.name AS de, g.name_en AS en"
    " FROM interest_registrations r JOIN working_groups g ON g.id = r.group_id"
    " WHERE r.id IN ({})",
}


def _wanted(entries: Iterable[AuditEntry]) -> tuple[set[int], dict[str, set[str]]]:
    """The people and things (kind → keys) the rows name, in their targets and details."""
    people: set[int] = set()
    things: dict[str, set[str]] = {}

    def add(kind: str, key: object) -> None:
        text = str(key)
        if kind.endswith("-slug") or (text.isascii() and text.isdigit()):
            things.setdefault(kind, set()).add(text)

    for entry in entries:
        if entry.actor.isdigit():
            people.add(int(entry.actor))
        kind, _, key = entry.target.partition(":")
        if kind == "user" and key.isdigit():
            people.add(int(key))
        elif kind == "regions":
            for part in key.split(","):
                add("region", part)
        elif kind == "region" and not key.isdigit():
            add("region-slug", key)
        elif kind in _NAMES:
            add(kind, key)
        details = entry.details
        if isinstance(details.get("region"), str):
            add("region-slug", details["region"])
        if details.get("region_id") is not None:
            add("region", details["region_id"])
        if details.get("contact_id") is not None:
            add("contact", details["contact_id"])
        for name in ("idea", "slug"):
            if isinstance(details.get(name), str) and kind in ("group", "idea"):
                add("idea-slug", details[name])
        audience = details.get("audience")
        if isinstance(audience, str) and audience.startswith("region:"):
            add("region", audience.partition(":")[2])
        if details.get("decision") == "merge" and details.get("reason") is not None:
            add("idea", details["reason"])
    return people, things


class AuditRepository(Repository):
    """Append and read the audit log (there is no update and no delete)."""

    @staticmethod
    async def record(tx: Transaction, note: AuditNote, now: dt.datetime) -> int:
        """Append a row inside the caller's transaction; its id."""
        return await tx.insert(
            "INSERT INTO audit_log (actor, action, target, details, created_at)"
            " VALUES (?, ?, ?, ?, ?)",
            (
                note.actor,
                note.action,
                note.target,
                json.dumps(note.details, ensure_ascii=False, sort_keys=True, default=str),
                to_db(now),
            ),
        )

    async def add(self, note: AuditNote, now: dt.datetime) -> int:
        """Append a row on its own (for actions that write nothing else, such as exports)."""
        async with self._db.transaction() as tx:
            return await self.record(tx, note, now)

    @staticmethod
    def _where(actor: str | None, action: str | None) -> tuple[str, list[object]]:
        clauses: list[str] = []
        params: list[object] = []
        if actor is not None:
            clauses.append("actor = ?")
            params.append(actor)
        if action is not None:
            clauses.append("action = ?")
            params.append(action)
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", params

    async def count(self, *, actor: str | None = None, action: str | None = None) -> int:
        """How many rows match the filter."""
        where, params = self._where(actor, action)
        return await self._db.count(f"SELECT COUNT(*) FROM audit_log{where}", params)

    async def subjects(self, entries: Iterable[AuditEntry]) -> AuditSubjects:
        """The names of the people and things the rows speak of, as they are now."""
        people, wanted = _wanted(entries)
        things: dict[str, Named] = {}
        for kind, keys in wanted.items():
            ordered = sorted(keys)
            sql = _NAMES[kind].format(",".join("?" * len(ordered)))
            label = kind.removesuffix("-slug")
            for row in await self._db.fetchall(sql, ordered):
                things[f"{label}:{row['k']}"] = (str(row["de"]), row["en"])
        names = await ContactProfileRepository(self._db).names_of(people)
        return AuditSubjects(names, things)

    async def newest(
        self,
        *,
        offset: int = 0,
        limit: int = 10,
        actor: str | None = None,
        action: str | None = None,
    ) -> list[AuditEntry]:
        """A page of rows, newest first."""
        where, params = self._where(actor, action)
        rows = await self._db.fetchall(
            "SELECT id, actor, action, target, details, created_at FROM audit_log"
            f"{where} ORDER BY id DESC LIMIT ? OFFSET ?",
            (*params, limit, offset),
        )
        return [AuditEntry.of(r, details=json.loads(r["details"])) for r in rows]
