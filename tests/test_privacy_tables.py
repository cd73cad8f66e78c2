"""Export and erasure cover every column that can name a person, now and in future tables."""

from __future__ import annotations

import json
import re

from privacy_helpers import (
    ERIKA,
    ZED,
    ZED_COMMENT,
    ZED_DRAFT,
    ZED_EMAIL,
    ZED_NAME,
    ZED_PHONE,
    everywhere,
)
from workgroup_helpers import CONTACT_ID

from messages.privacy import export_document
from storage.db import Database
from storage.privacy import ERASED_ID, USER_COLUMNS

from conftest import Harness
from stories.moderation import assert_append_only

# A column holds a person's Telegram id if it references users or is named like one (the
# audit log's actor and target hold them as text: "4711", "user:4711").
_USER_NAMES = re.compile(r"^(user_id|telegram_id|chat_id|admin_id|moderator_id|actor|target)$|_by$")


async def user_columns(db: Database) -> set[tuple[str, str]]:
    """Every (table, column) of the live schema that can hold a Telegram user id."""
    tables = await db.fetchall(
        "SELECT name FROM sqlite_master WHERE type = 'table'"
        " AND name NOT LIKE 'sqlite_%' AND name != 'schema_migrations'"
    )
    found = set()
    for table in (str(r["name"]) for r in tables):
        for fk in await db.fetchall(f"PRAGMA foreign_key_list({table})"):
            if fk["table"] == "users":
                found.add((table, str(fk["from"])))
        for column in await db.fetchall(f"PRAGMA table_info({table})"):
            name = str(column["name"])
            if _USER_NAMES.search(name) or (table == "users" and column["pk"]):
                found.add((table, name))
    return found


async def cells_naming(db: Database, needles: list[str], number: int) -> list[str]:
    """Cells ("table.column: value") equal to the number or containing a needle."""
    hits = []
    tables = await db.fetchall(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    )
    for table in (str(r["name"]) for r in tables):
        for row in await db.fetchall(f"SELECT * FROM {table}"):
            for key in row.keys():  # noqa: SIM118
                value = row[key]
                text = str(value)
                if value == number or any(n in text for n in needles):
                    hits.append(f"{table}.{key}: {text[:120]}")
    return hits


async def test_every_user_column_is_known_to_export_and_erasure(db: Database) -> None:
    known = {(c.table, c.column) for c in USER_COLUMNS}
    assert await user_columns(db) == known


async def test_export_has_rows_from_every_user_column(harness: Harness) -> None:
    await everywhere(harness)
    # (Through the service: a command would end ZED's unfinished dialogue, i.e. the draft.)
    found = await harness.data.privacy.export(ZED)
    exported = json.loads(export_document("de", found, harness.clock()))
    assert exported["telegram_id"] == ZED
    sections = exported["data"]
    missing = {c.section for c in USER_COLUMNS} - {k for k, v in sections.items() if v}
    assert missing == set()
    assert sections["comments.user_id"][0]["text"] == ZED_COMMENT
    assert sections["drafts.user_id"][0]["data"]["text"] == ZED_DRAFT
    assert sections["interest_registrations.user_id"][0]["email"] == ZED_EMAIL
    assert sections["registrations.user_id"][0]["display_name"] == ZED_NAME
    # Rows about ZED's acts on others carry nothing about the others.
    assert "Erika" not in json.dumps(sections["interest_registrations.contacted_by"])
    assert "token" not in json.dumps(sections["contact_invites.created_by"])
    assert {"text", "reply_markup"} <= set(sections["outbox.chat_id"][0]["payload"])


async def test_erasure_leaves_nothing_that_names_the_person(harness: Harness) -> None:
    made = await everywhere(harness)
    db = harness.data.db
    before = await cells_naming(db, [str(ZED), ZED_NAME, ZED_EMAIL, ZED_PHONE, ZED_DRAFT], ZED)
    assert len(before) > 30
    erasure = await harness.data.privacy.erase(ZED)
    assert erasure.existed and erasure.rows > 0
    left = await cells_naming(
        db, [str(ZED), ZED_NAME, ZED_EMAIL, ZED_PHONE, ZED_DRAFT, "Zacharias"], ZED
    )
    # The only traces: the notice telling Anna to delete what she got (not delivered yet), the
    # published comment, whose text stays without its author (IDEENLABOR_DELETED_COMMENTS), and
    # when ZED wrote his two comments, for the anti-spam limits until their window has passed.
    assert sorted(hit for hit in left if not hit.startswith("outbox.payload: ")) == [
        f"comment_writes.user_id: {ZED}",
        f"comment_writes.user_id: {ZED}",
        f"comments.text: {ZED_COMMENT}",
        f"proposal_writes.user_id: {ZED}",  # his proposal, for its limits likewise
    ]
    notices = await db.fetchall(
        "SELECT chat_id, kind, state FROM outbox WHERE payload LIKE ?", (f"%{ZED_NAME}%",)
    )
    assert [tuple(r) for r in notices] == [(CONTACT_ID, "wg_withdrawn", "pending")]
    # Anna's earlier notice is edited to say it was withdrawn, without naming anyone.
    edits = await db.fetchall("SELECT payload FROM outbox WHERE kind = 'wg_withdrawn_edit'")
    assert edits and all(ZED_NAME not in str(r["payload"]) for r in edits)
    assert len(left) == 5
    comment = await db.fetchone(
        "SELECT user_id, author_name FROM comments WHERE text = ?", (ZED_COMMENT,)
    )
    assert comment is not None
    assert dict(comment) == {"user_id": None, "author_name": "gelöschte Person"}
    # ZED's seat went to Erika, who is told.
    seats = await harness.data.workshops.repo.participants(made.workshop_id)
    assert [(r.display_name, r.status) for r in seats] == [("Erika Muster", "confirmed")]
    await harness.deliver()
    assert harness.user(ERIKA, "Erika").last.text.startswith("🎉 Sie sind nachgerückt!")
    # A moderator who finds ZED's old decision is told it was taken by an erased person.
    admin = harness.admin()
    notice = next(m for m in admin.messages if "Erikas Gedanke dazu." in m.text)
    await admin.tap(notice.buttons[0][0], message=notice)
    assert (
        "Schon entschieden: freigegeben von einer Person, deren Daten inzwischen gelöscht sind."
        in notice.text
    )


async def test_moderation_log_only_lets_an_erased_moderator_be_replaced(db: Database) -> None:
    await db.execute(
        "INSERT INTO moderation_log (kind, item_id, moderator_id, action, created_at)"
        " VALUES ('comment', 1, ?, 'approve', '2026-11-25T10:00:00.000000Z')",
        (ZED,),
    )
    await assert_append_only(
        db,
        "UPDATE moderation_log SET action = 'reject'",
        "UPDATE moderation_log SET kind = 'note'",
        "UPDATE moderation_log SET item_id = 2",
        "UPDATE moderation_log SET moderator_id = 4711",
        "UPDATE moderation_log SET moderator_id = 0, reason = 'x'",
        "DELETE FROM moderation_log",
    )
    assert await db.execute("UPDATE moderation_log SET moderator_id = ? WHERE 1", (ERASED_ID,)) == 1
