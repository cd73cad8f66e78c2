"""Everything stored about one person: the export, the erasure and the retention purges."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from storage.authored import erase_authored
from storage.db import Transaction
from storage.models import Erasure, PersonalData
from storage.proposals import ProposalRepository
from storage.repository import Repository
from storage.timeutil import to_db

# Put in place of a person's id where a row must stay (NOT NULL columns, the append-only
# moderation log): "someone whose data was erased".
ERASED_ID = 0


@dataclass(frozen=True)
class UserColumn:
    """A column that holds a Telegram user id, and what the export shows of its rows."""

    table: str
    column: str
    export: str = "*"  # the columns exported; never other people's data
    match: str = "{column} = ?"  # how a row names the person (? is their id)

    @property
    def section(self) -> str:
        """The name of this column's section in the export."""
        return f"{self.table}.{self.column}"


# Every column that identifies a person. tests/test_privacy_tables.py walks the schema and
# fails for a user column missing here, so a new table cannot escape export and erasure.
USER_COLUMNS = (
    UserColumn("users", "telegram_id"),
    UserColumn("region_subscriptions", "user_id"),
    UserColumn("workshop_followers", "user_id"),
    UserColumn("registrations", "user_id"),
    UserColumn("ratings", "user_id"),
    UserColumn("comments", "user_id"),
    UserColumn("comment_reports", "user_id"),
    # Kept by the erasure until the longest anti-spam window has passed (see _ERASE_REST).
    UserColumn("comment_writes", "user_id", "written_at"),
    UserColumn("proposals", "user_id"),
    UserColumn("proposal_writes", "user_id", "written_at"),  # kept like comment_writes
    UserColumn("moderation_log", "moderator_id", "id, kind, item_id, action, reason, created_at"),
    UserColumn("interest_registrations", "user_id"),
    UserColumn("interest_registrations", "contacted_by", "id, group_id, status, contacted_at"),
    UserColumn("roles", "user_id", "role, region_id, granted_at"),
    UserColumn("roles", "granted_by", "role, region_id, granted_at"),
    UserColumn("contacts", "telegram_id"),
    UserColumn("idea_followers", "user_id", "idea_id, since"),
    # Staff: news they posted on ideas, ideas they archived (the rows stay, the id becomes 0).
    UserColumn("idea_news", "posted_by", "id, idea_id, posted_at, kind, new_status, text"),
    UserColumn("ideas", "archived_by", "id, slug, archived_at, archived_reason"),
    UserColumn("contact_invites", "created_by", "region_id, contact_id, created_at, expires_at"),
    UserColumn("contact_invites", "used_by", "region_id, contact_id, used_at"),
    UserColumn("broadcasts", "admin_id", "id, audience, text, total, created_at, finished_at"),
    UserColumn("drafts", "user_id"),
    # The audit log names people as text: the actor's id, or a target "user:<id>".
    UserColumn("audit_log", "actor", "id, action, target, details, created_at"),
    UserColumn("audit_log", "target", "id, action, created_at", "target = 'user:' || ?"),
    UserColumn(
        "outbox", "chat_id", "id, kind, payload, state, created_at, sent_at"
    ),  # Telegram messages to the person (e-mail rows have chat_id 0)
)

_JSON_COLUMNS = frozenset({"payload", "data"})


def _value(column: str, value: object) -> object:
    if column in _JSON_COLUMNS and isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _keys_about(prefixes: tuple[str, ...], item_ids: list[int]) -> list[str]:
    """LIKE patterns for outbox dedupe keys of notices about the given items."""
    return [f"{prefix}:{item_id}:%" for item_id in item_ids for prefix in prefixes]


# Notices to others that carry the person's data: to moderators about their comments, to
# contacts about their registrations of interest (Telegram and e-mail).
_COMMENT_NOTICES = ("comment_new", "comment_report")
_PROPOSAL_NOTICES = ("proposal_new", "proposal_revised", "proposal_approved")
_REGISTRATION_NOTICES = (
    "wg_new",
    "wg_updated",
    "email:wg_new",
    "email:wg_updated",
)
_WITHDRAWAL_NOTICES = ("wg_withdrawn", "email:wg_withdrawn")


# After comments and notices: every other row that names the person, dependent rows first.
# Not comment_writes (when the person wrote comments, nothing else): the anti-spam limits count
# them, and if an erasure reset the count, erasing and starting afresh would be a way around
# the limits. They go by themselves once the longest window has passed (by default a day), a
# period the privacy notice states ({retention_comment_writes}).
_ERASE_REST = (
    "DELETE FROM comment_reports WHERE user_id = :user",
    "UPDATE moderation_log SET moderator_id = :erased WHERE moderator_id = :user",
    "DELETE FROM ratings WHERE user_id = :user",
    "DELETE FROM registrations WHERE user_id = :user",
    "DELETE FROM workshop_followers WHERE user_id = :user",
    "DELETE FROM region_subscriptions WHERE user_id = :user",
    "DELETE FROM drafts WHERE user_id = :user",
    "DELETE FROM roles WHERE user_id = :user",
    "UPDATE roles SET granted_by = NULL WHERE granted_by = :user",
    # A contact's public profile: a record they made in the chat goes; an imported one stays
    # (the operator's directory) without what they published and without the link.
    "DELETE FROM contacts WHERE telegram_id = :user AND self_made = 1",
    "UPDATE contacts SET telegram_id = NULL, public_name = NULL, public_organisation = NULL,"
    " public_email = NULL, public_phone = NULL, published_at = NULL WHERE telegram_id = :user",
    "DELETE FROM idea_followers WHERE user_id = :user",
    "UPDATE idea_news SET posted_by = :erased WHERE posted_by = :user",
    "UPDATE ideas SET archived_by = :erased WHERE archived_by = :user",
    "DELETE FROM contact_invites WHERE used_by = :user",
    "UPDATE contact_invites SET created_by = :erased WHERE created_by = :user",
    "DELETE FROM interest_registrations WHERE user_id = :user",
    "UPDATE interest_registrations SET contacted_by = NULL WHERE contacted_by = :user",
    "UPDATE broadcasts SET admin_id = :erased, progress_message_id = NULL,"
    " finished_at = COALESCE(finished_at, :now) WHERE admin_id = :user",
    "UPDATE audit_log SET actor = '0' WHERE actor = CAST(:user AS TEXT)",
    "UPDATE audit_log SET target = 'user:0' WHERE target = 'user:' || :user",
    "DELETE FROM users WHERE telegram_id = :user",
)


class PrivacyRepository(Repository):
    """Reads for the export; erasure and purges run inside the caller's transaction."""

    async def export(self, user_id: int) -> PersonalData:
        """Every row in every user column that holds the person's id."""
        sections: dict[str, list[dict[str, object]]] = {}
        for source in USER_COLUMNS:
            where = source.match.format(column=source.column)
            if source.table == "outbox":
                where += " AND channel = 'telegram'"
            rows = await self._db.fetchall(
                f"SELECT {source.export} FROM {source.table} WHERE {where}",
                (user_id,),
            )
            if rows:
                sections[source.section] = [
                    {key: _value(key, row[key]) for key in row.keys()}  # noqa: SIM118
                    for row in rows
                ]
        return PersonalData(user_id=user_id, sections=sections)

    async def last_seen(self, user_id: int) -> str | None:
        """When the person was last active (None: not stored)."""
        row = await self._db.fetchone(
            "SELECT last_seen FROM users WHERE telegram_id = ?", (user_id,)
        )
        return str(row["last_seen"]) if row else None

    # ----------------------------------------------------------------- erasure

    @staticmethod
    async def open_registrations(tx: Transaction, user_id: int) -> list[int]:
        """The person's registrations of interest not yet withdrawn (contacts must be told)."""
        return await tx.ids(
            "SELECT id FROM interest_registrations WHERE user_id = ? AND status != 'withdrawn'"
            " ORDER BY id",
            (user_id,),
        )

    @staticmethod
    async def confirmed_seats(tx: Transaction, user_id: int, now: dt.datetime) -> list[int]:
        """Coming workshops where the person holds a seat (the waiting list moves up)."""
        return await tx.ids(
            "SELECT r.workshop_id FROM registrations r JOIN workshops w ON w.id = r.workshop_id"
            " WHERE r.user_id = ? AND r.status = 'confirmed' AND w.status != 'cancelled'"
            " AND w.starts_at > ? ORDER BY r.workshop_id",
            (user_id, to_db(now)),
        )

    @staticmethod
    async def _scrub_notices(tx: Transaction, patterns: list[str], *, keep_pending: bool) -> int:
        """Notices to others carrying the person's data: unsent ones dropped (unless
        keep_pending), the text of sent ones erased (only the fact of a delivery stays)."""
        changed = 0
        for pattern in patterns:
            if not keep_pending:
                changed += await tx.execute(
                    "DELETE FROM outbox WHERE dedupe_key LIKE ?"
                    " AND state IN ('pending', 'sending')",
                    (pattern,),
                )
            changed += await tx.execute(
                "UPDATE outbox SET payload = '{}', dedupe_key = NULL"
                " WHERE dedupe_key LIKE ? AND state NOT IN ('pending', 'sending')",
                (pattern,),
            )
        return changed

    @classmethod
    async def scrub_comment_notices(cls, tx: Transaction, comment_ids: list[int]) -> int:
        """Erase the moderators' copies of comments (before the comments go)."""
        return await cls._scrub_notices(
            tx, _keys_about(_COMMENT_NOTICES, comment_ids), keep_pending=False
        )

    @classmethod
    async def scrub_proposal_notices(cls, tx: Transaction, proposal_ids: list[int]) -> int:
        """Erase the moderators' and contacts' copies of proposals (before the proposals go)."""
        return await cls._scrub_notices(
            tx, _keys_about(_PROPOSAL_NOTICES, proposal_ids), keep_pending=False
        )

    @classmethod
    async def scrub_registration_notices(cls, tx: Transaction, registration_ids: list[int]) -> int:
        """Erase the contacts' copies of registrations (before the registrations go)."""
        count = await cls._scrub_notices(
            tx, _keys_about(_REGISTRATION_NOTICES, registration_ids), keep_pending=False
        )
        # Earlier withdrawals named the person; a withdrawal still to deliver must go out.
        return count + await cls._scrub_notices(
            tx, _keys_about(_WITHDRAWAL_NOTICES, registration_ids), keep_pending=True
        )

    @classmethod
    async def erase(
        cls,
        tx: Transaction,
        user_id: int,
        *,
        comments: str,
        deleted_author: str,
        now: dt.datetime,
    ) -> Erasure:
        """Remove or neutralise every row that identifies the person, in one transaction.

        comments: "anonymise" keeps published comments under deleted_author, "remove"
        deletes them; unpublished comments always go. The same for proposals (a published
        one: the idea it became). Run after the contacts were told about
        withdrawn registrations and waiting lists moved up.
        """
        existed = await tx.fetchone("SELECT 1 FROM users WHERE telegram_id = ?", (user_id,))
        rows = 0
        comment_ids = await tx.ids("SELECT id FROM comments WHERE user_id = ?", (user_id,))
        rows += await cls.scrub_comment_notices(tx, comment_ids)
        proposal_ids = await tx.ids("SELECT id FROM proposals WHERE user_id = ?", (user_id,))
        rows += await cls.scrub_proposal_notices(tx, proposal_ids)
        registration_ids = await tx.ids(
            "SELECT id FROM interest_registrations WHERE user_id = ?", (user_id,)
        )
        rows += await cls.scrub_registration_notices(tx, registration_ids)
        # As a contact: what they told citizens names them; undelivered notices still go out.
        contacted = await tx.ids(
            "SELECT id FROM interest_registrations WHERE contacted_by = ?", (user_id,)
        )
        rows += await cls._scrub_notices(
            tx, _keys_about(("wg_contacted",), contacted), keep_pending=True
        )
        # Dedupe keys naming the person (e.g. as the reporter of a comment).
        rows += await tx.execute(
            "UPDATE outbox SET dedupe_key = NULL WHERE chat_id != ?"
            " AND (dedupe_key LIKE '%:' || ? || ':%' OR dedupe_key LIKE '%:' || ?)",
            (user_id, user_id, user_id),
        )
        # Messages to the person: gone; in a broadcast only an anonymous count remains.
        rows += await tx.execute(
            "DELETE FROM outbox WHERE chat_id = ? AND channel = 'telegram'"
            " AND broadcast_id IS NULL",
            (user_id,),
        )
        rows += await tx.execute(
            "UPDATE outbox SET chat_id = ?, payload = '{}', dedupe_key = NULL,"
            " state = CASE WHEN state IN ('pending', 'sending') THEN 'failed' ELSE state END,"
            " last_error = CASE WHEN state IN ('pending', 'sending') THEN 'erased'"
            " ELSE last_error END"
            " WHERE chat_id = ? AND channel = 'telegram'",
            (ERASED_ID, user_id),
        )
        rows += await erase_authored(
            tx, "comments", user_id, remove=comments == "remove", deleted_author=deleted_author
        )
        _, changed = await ProposalRepository.erase_author(
            tx, user_id, mode=comments, deleted_author=deleted_author
        )
        rows += changed
        params = {"user": user_id, "erased": ERASED_ID, "now": to_db(now)}
        for sql in _ERASE_REST:
            rows += await tx.execute(sql, params)
        return Erasure(user_id=user_id, existed=existed is not None, rows=rows)

    # ----------------------------------------------------------------- retention

    async def inactive_users(self, before: dt.datetime, limit: int = 500) -> list[int]:
        """People last active before the cutoff who hold no role (contacts stay linked)."""
        return await self._db.ids(
            "SELECT telegram_id FROM users WHERE last_seen < ? AND telegram_id NOT IN"
            " (SELECT user_id FROM roles) ORDER BY last_seen, telegram_id LIMIT ?",
            (to_db(before), limit),
        )

    @classmethod
    async def purge_interest_registrations(cls, tx: Transaction, before: dt.datetime) -> int:
        """Registrations of interest unchanged since the cutoff, with the contacts' copies."""
        ids = await tx.ids(
            "SELECT id FROM interest_registrations WHERE updated_at < ?", (to_db(before),)
        )
        if not ids:
            return 0
        await cls.scrub_registration_notices(tx, ids)
        await tx.executemany("DELETE FROM interest_registrations WHERE id = ?", [(i,) for i in ids])
        return len(ids)

    @staticmethod
    async def clear_delivered(tx: Transaction, before: dt.datetime) -> int:
        """Forget the text of notifications settled before the cutoff (the rows stay counted)."""
        return await tx.execute(
            "UPDATE outbox SET payload = '{}' WHERE state IN ('sent', 'failed', 'blocked')"
            " AND created_at < ? AND payload != '{}'",
            (to_db(before),),
        )

    @staticmethod
    async def purge_workshop_registrations(tx: Transaction, before: dt.datetime) -> int:
        """Registrations and reminders of workshops that ended before the cutoff."""
        ended = "SELECT id FROM workshops WHERE ends_at < ?"
        count = await tx.execute(
            f"DELETE FROM registrations WHERE workshop_id IN ({ended})", (to_db(before),)
        )
        return count + await tx.execute(
            f"DELETE FROM workshop_followers WHERE workshop_id IN ({ended})", (to_db(before),)
        )
