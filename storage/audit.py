"""The audit log of privileged actions: written in the action's own transaction, read paged."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any, Final, Literal, get_args

from storage.db import Database, Transaction
from storage.models import Record
from storage.timeutil import from_db, to_db

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


class AuditEntry(Record):
    """One row of the audit log."""

    id: int
    actor: str
    action: str
    target: str
    details: dict[str, Any]
    created_at: dt.datetime


class AuditRepository:
    """Append and read the audit log (there is no update and no delete)."""

    def __init__(self, db: Database) -> None:
        self._db = db

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
        row = await self._db.fetchone(f"SELECT COUNT(*) AS n FROM audit_log{where}", params)
        return int(row["n"]) if row else 0

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
        return [
            AuditEntry(
                id=r["id"],
                actor=r["actor"],
                action=r["action"],
                target=r["target"],
                details=json.loads(r["details"]),
                created_at=from_db(r["created_at"]),
            )
            for r in rows
        ]
