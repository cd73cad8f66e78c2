"""The sent copies of notices, found to edit them: all of them, or those not edited yet."""

from __future__ import annotations

import datetime as dt

from storage.db import Database
from storage.outbox import OutboxRepository, Outgoing

NOW = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC)
PATTERNS = ["wg_new:7:%", "wg_updated:7:%"]


async def queue(db: Database, *messages: Outgoing) -> list[int]:
    """Enqueue the messages; their row ids, in order."""
    async with db.transaction() as tx:
        await OutboxRepository.enqueue(tx, "test", messages, NOW)
    rows = await db.fetchall("SELECT id FROM outbox ORDER BY id")
    return [int(r["id"]) for r in rows][-len(messages) :]


async def copies(db: Database, *, unedited: bool) -> list[tuple[int, int, int]]:
    """sent_copies of registration 7's notices."""
    async with db.transaction() as tx:
        return await OutboxRepository.sent_copies(tx, PATTERNS, unedited=unedited)


async def test_unedited_copies_leave_out_a_message_an_edit_is_queued_for(db: Database) -> None:
    outbox = OutboxRepository(db)
    first, second, later = await queue(
        db,
        Outgoing(1, {"text": "Neue Meldung"}, "wg_new:7:1:1"),
        Outgoing(2, {"text": "Neue Meldung"}, "wg_new:7:1:2"),
        Outgoing(1, {"text": "Aktualisierte Meldung"}, "wg_updated:7:2:1"),  # not sent yet
    )
    # The same Telegram message id in both chats: message ids count per chat.
    await outbox.mark_sent(first, NOW, 10)
    await outbox.mark_sent(second, NOW, 10)
    assert await copies(db, unedited=False) == [(first, 1, 10), (second, 2, 10)]
    assert await copies(db, unedited=True) == [(first, 1, 10), (second, 2, 10)]
    await queue(
        db,
        Outgoing(1, {"text": "Aktualisiert", "edit_message_id": 10}, "wg_edit:1:2"),
        Outgoing(2, {"text": "x", "edit_message_id": 11}, "other"),  # another message of chat 2
    )
    await db.execute(
        "INSERT INTO outbox (chat_id, kind, payload, not_before, created_at)"
        " VALUES (2, 'scrubbed', 'not json', '', '')"
    )
    assert await copies(db, unedited=True) == [(second, 2, 10)]
    assert await copies(db, unedited=False) == [(first, 1, 10), (second, 2, 10)]
    assert later not in [row for row, _, _ in await copies(db, unedited=False)]
