"""Upgrading to moderation by kind: the log keeps every row, old buttons and dialogues still work."""

from __future__ import annotations

import sqlite3

import pytest

from bot.config import Settings
from bot.offline.fake_api import FakeBotApi, SentMessage
from bot.offline.fake_user import FakeUser
from messages.actions import Moderate, QueueDecision, RejectWithoutReason
from messages.keyboards import Button, chat_message, keyboard
from storage.db import Database
from storage.migrate import available_migrations, migrate, split_statements
from storage.outbox import OutboxRepository, Outgoing
from storage.privacy import ERASED_ID

from conftest import ADMIN_ID, FakeClock, Harness, running
from stories.moderation import ada_and_erika, assert_append_only, notice, status, write

BEFORE = 10  # the schema the log named comments only in (main had migrations up to 0010)
OLD_ROWS = [
    (1, 5, ADMIN_ID, "approve", None, "2026-11-25T10:00:00.000000Z"),
    (2, 5, None, "hide", "reported by 3 users", "2026-11-25T10:05:00.000000Z"),
    (3, 7, ERASED_ID, "reject", "Spam", "2026-11-25T10:06:00.000000Z"),
    (4, 9, 4711, "delete", "by the author", "2026-11-25T10:07:00.000000Z"),
]


async def database_at(version: int) -> Database:
    """An in-memory database migrated up to (and including) version."""
    db = await Database.open(":memory:")
    async with db.transaction() as tx:
        await tx.execute(
            "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
            " applied_at TEXT NOT NULL)"
        )
        for migration in available_migrations():
            if migration.version > version:
                break
            for statement in split_statements(migration.sql):
                await tx.execute(statement)
            await tx.execute(
                "INSERT INTO schema_migrations VALUES (?, ?, '2026-01-01T00:00:00Z')",
                (migration.version, migration.name),
            )
    return db


async def test_migrating_keeps_every_log_row_as_a_comment_decision() -> None:
    db = await database_at(BEFORE)
    try:
        for row in OLD_ROWS:
            await db.execute(
                "INSERT INTO moderation_log (id, comment_id, moderator_id, action, reason,"
                " created_at) VALUES (?, ?, ?, ?, ?, ?)",
                row,
            )
        assert await migrate(db) == available_migrations()[-1].version
        rows = await db.fetchall(
            "SELECT id, kind, item_id, moderator_id, action, reason, created_at"
            " FROM moderation_log ORDER BY id"
        )
        assert [tuple(r) for r in rows] == [(n, "comment", *rest) for n, *rest in OLD_ROWS]
        columns = [r["name"] for r in await db.fetchall("PRAGMA table_info(moderation_log)")]
        assert columns == [
            "id", "kind", "item_id", "moderator_id", "action", "reason", "created_at"
        ]  # fmt: skip
        schema = await db.fetchall(
            "SELECT type, name FROM sqlite_master WHERE tbl_name = 'moderation_log'"
            " AND type IN ('index', 'trigger') ORDER BY type, name"
        )
        assert [tuple(r) for r in schema] == [
            ("index", "moderation_log_by_item"),
            ("index", "moderation_log_by_moderator"),
            ("trigger", "moderation_log_no_delete"),
            ("trigger", "moderation_log_no_update"),
        ]
        # Still append-only, with the one exception for an erased moderator.
        await assert_append_only(
            db,
            "UPDATE moderation_log SET kind = 'note' WHERE id = 1",
            "UPDATE moderation_log SET item_id = 6 WHERE id = 1",
            "UPDATE moderation_log SET reason = 'geändert' WHERE id = 3",
            "DELETE FROM moderation_log WHERE id = 4",
        )
        assert await db.execute("UPDATE moderation_log SET moderator_id = 0 WHERE id = 4") == 1
        with pytest.raises(sqlite3.IntegrityError, match="NOT NULL"):
            await db.execute(
                "INSERT INTO moderation_log (item_id, action, created_at) VALUES (1, 'x', 'now')"
            )
        new = await db.execute(
            "INSERT INTO moderation_log (kind, item_id, action, created_at)"
            " VALUES ('proposal', 5, 'approve', '2026-11-26T10:00:00.000000Z')"
        )
        assert new == 1
    finally:
        await db.close()


async def undo_kind_migration(db: Database) -> None:
    """The log as it was before migration 12, rows kept (for tests that fake an older database)."""
    rows = await db.fetchall("SELECT * FROM moderation_log ORDER BY id")
    assert {r["kind"] for r in rows} <= {"comment"}
    await db.execute("DROP TABLE moderation_log")
    await db.execute(
        "CREATE TABLE moderation_log (id INTEGER PRIMARY KEY, comment_id INTEGER NOT NULL,"
        " moderator_id INTEGER, action TEXT NOT NULL, reason TEXT, created_at TEXT NOT NULL)"
    )
    for r in rows:
        await db.execute(
            "INSERT INTO moderation_log VALUES (?, ?, ?, ?, ?, ?)",
            (r["id"], r["item_id"], r["moderator_id"], r["action"], r["reason"], r["created_at"]),
        )


async def apply_migration(db: Database, version: int) -> None:
    """Apply one migration as storage.migrate does (for tests that fake an older database:
    later migrations are recorded already, so deleting its record would not re-run it)."""
    (migration,) = [m for m in available_migrations() if m.version == version]
    async with db.transaction() as tx:
        for statement in split_statements(migration.sql):
            await tx.execute(statement)


async def old_message(h: Harness, user: FakeUser, text: str, buttons: list[Button]) -> SentMessage:
    """A message as the bot sent it before the upgrade, with the buttons of that time."""
    async with h.data.db.transaction() as tx:
        payload = chat_message(text, keyboard([buttons]))
        await OutboxRepository.enqueue(
            tx, "old", [Outgoing(user.user_id, payload, f"old:{text}")], h.clock()
        )
    await h.deliver()
    return user.last


async def test_buttons_and_dialogues_from_before_the_upgrade_still_decide(
    settings: Settings, clock: FakeClock
) -> None:
    api = FakeBotApi()
    async with running(settings, clock, api) as h:
        ideas, admin, erika = await ada_and_erika(h)
        earlier = await write(h, erika, ideas["koeln"], "Schon vor dem Update freigegeben.")
        await h.data.moderation.decide("comment", earlier.id, ADMIN_ID, "approve")
        texts = ("Freigabe über einen alten Hinweis.", "Aus der alten Liste.", "Alte Rückfrage.")
        by_notice, in_queue, asked = [await write(h, erika, ideas["koeln"], t) for t in texts]
        # Notices, a queue page and a rejection's question of the old version, with its buttons:
        old_notice = await old_message(
            h, admin, "📝 alter Hinweis", [("✅ Freigeben", Moderate(by_notice.id, "approve"))]
        )
        old_queue = await old_message(
            h, admin, "🗂 alte Liste", [("2 ✅ Freigeben", QueueDecision(in_queue.id, "approve", 0))]
        )
        asked_notice = await old_message(
            h, admin, "📝 alter Hinweis, abgelehnt", [("❌ Ablehnen", Moderate(asked.id, "reject"))]
        )
        old_question = await old_message(
            h, admin, "❌ alte Frage", [("Ohne Begründung", RejectWithoutReason(asked.id))]
        )
        old_draft: dict[str, object] = {
            "comment_id": asked.id,
            "chat_id": ADMIN_ID,
            "message_id": asked_notice.message_id,
            "page": None,
        }
        await h.data.drafts.save(ADMIN_ID, "moderation_reason", "reason", old_draft, h.clock())
        assert old_notice.reply_markup[0][0].callback_data == f"1|mo|{by_notice.id}|approve"
        await undo_kind_migration(h.data.db)  # as the database was before the upgrade
        await apply_migration(h.data.db, 12)  # the upgrade (later ones exist: applied directly)
    async with running(settings, clock, api) as h:  # the new version starts
        admin = h.user(user_id=ADMIN_ID, first_name="Ada")
        erika = h.user(4711, "Erika")
        assert await h.data.moderation.log.decisions("comment", earlier.id) == [
            (ADMIN_ID, "approve", None)
        ]
        await admin.tap("✅ Freigeben", message=old_notice)
        assert admin.answers[-1].text == "Freigegeben."
        assert old_notice.text.startswith("✅ Freigegeben von Ada\n\nIdee: Lernwerkstatt")
        await admin.tap("2 ✅ Freigeben", message=old_queue)
        assert old_queue.text.startswith("✅ Freigegeben von Ada – Kommentar von Erika")
        await admin.tap("Ohne Begründung", message=old_question)
        assert old_question.text.startswith("❌ Abgelehnt von Ada\nohne Begründung")
        assert asked_notice.text.startswith("❌ Abgelehnt von Ada\nohne Begründung\n\nIdee:")
        assert await status(h, by_notice.id) == "approved"
        assert await status(h, in_queue.id) == "approved"
        assert await status(h, asked.id) == "rejected"
        assert await h.data.moderation.log.decisions("comment", asked.id) == [
            (ADMIN_ID, "reject", None)
        ]
        # An old button about something decided meanwhile says so, as before.
        await admin.tap_data(Moderate(earlier.id, "reject").encode(), message=old_notice)
        assert admin.answers[-1].text == "Darüber wurde schon entschieden."
        assert old_notice.text.startswith("ℹ️ Schon entschieden: freigegeben von Ihnen.")
        # New notices carry the new buttons, which name the kind.
        await write(h, erika, ideas["koeln"], "Ein ganz neuer Kommentar.")
        await h.deliver()
        fresh = notice(admin, "ganz neuer Kommentar")
        data = [button.callback_data for row in fresh.reply_markup for button in row]
        assert [d.split("|")[:3] for d in data if d] == [["1", "mv", "comment"]] * 2
        assert h.errors == []
        api.assert_no_errors()
