"""An erased person's data is gone from the bytes on disk: the database file and its -wal.

SQLite only marks deleted rows as free space, and WAL mode keeps old page versions in the
-wal file until a checkpoint; so these tests read the files as bytes, not through SQL.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from types import SimpleNamespace

import pytest
from workgroup_helpers import IDEA, link_contact, load

from bot.app import purge_expired
from bot.offline.fake_user import FakeUser

from conftest import FakeClock, Harness, make_settings, running
from stories.comments import start_writing
from stories.privacy import approve_all, erase, found

QUIRIN = 7340012345
FIRST_NAME = "Quirinus"  # Telegram first name: the author of the comments
REG_NAME = "Quirinella Quast"  # typed as the name for the working group
EMAIL = "quirinella.quast@example.org"
PHONE = "+492115550123"
MESSAGE = "Ich bringe zwei Lastenraeder und Werkzeug mit"
PUBLISHED = "Eine Lastenradwerkstatt in jedem Quartier"
PENDING = "Noch ein Einwand zur Werkstatt, unveroeffentlicht"
DRAFT = "Ein halb geschriebener Gedanke zur Werkstatt"
GONE = [FIRST_NAME, EMAIL, PHONE, MESSAGE, PENDING, DRAFT]


async def uses_everything(h: Harness) -> FakeUser:
    """Quirinus registers for a working group, comments (one published) and leaves a draft."""
    await load(h)
    anna = await link_contact(h)
    quirin = h.user(QUIRIN, FIRST_NAME)
    await quirin.command("start", f"idea_{IDEA}")
    await quirin.tap("🙋 Mitmachen")
    for text in (REG_NAME, EMAIL, "0211 5550123", MESSAGE):
        await quirin.send(text)
    await quirin.tap("✅ Einverstanden, senden")
    for text in (PUBLISHED, PENDING):
        await start_writing(quirin, f"👤 {FIRST_NAME}")
        await quirin.send(text)
        await quirin.tap("✅ Absenden")
        if text == PUBLISHED:
            await approve_all(h)
    await start_writing(quirin, f"👤 {FIRST_NAME}")
    await quirin.send(DRAFT)  # the preview: the draft holds the text, not yet sent
    await h.deliver()
    assert any(
        EMAIL in text for text in anna.texts()
    )  # the contact got the registration (and its copy stays)
    assert found(h.data.settings.db_path, [*GONE, REG_NAME, PUBLISHED]) == [
        *GONE,
        REG_NAME,
        PUBLISHED,
    ]
    return quirin


async def test_deletion_leaves_no_bytes_behind(harness: Harness) -> None:
    quirin = await uses_everything(harness)
    await erase(quirin)
    db_path = harness.data.settings.db_path
    assert found(db_path, GONE) == []
    # By design: the published comment stays (IDEENLABOR_DELETED_COMMENTS=anonymise), and the
    # contact's notice of the withdrawal names the person until its text is cleared.
    assert found(db_path, [PUBLISHED, REG_NAME]) == [PUBLISHED, REG_NAME]
    await harness.deliver()
    harness.clock.advance(days=31)
    await purge_expired(SimpleNamespace(bot_data=harness.data))  # type: ignore[arg-type]
    assert found(db_path, [*GONE, REG_NAME]) == []


async def test_remove_setting_leaves_not_even_the_published_comment(
    db_path: Path, clock: FakeClock
) -> None:
    settings = make_settings(db_path, IDEENLABOR_DELETED_COMMENTS="remove")
    async with running(settings, clock) as h:
        quirin = await uses_everything(h)
        await erase(quirin)
        assert found(db_path, [*GONE, PUBLISHED]) == []


async def test_the_retention_job_leaves_no_bytes_behind(harness: Harness) -> None:
    await uses_everything(harness)
    harness.clock.advance(days=731)
    await purge_expired(SimpleNamespace(bot_data=harness.data))  # type: ignore[arg-type]
    assert await harness.data.users.get(QUIRIN) is None
    assert found(harness.data.settings.db_path, GONE) == []


async def test_a_reader_in_the_way_is_logged_and_the_next_checkpoint_finishes(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    quirin = await uses_everything(harness)
    db_path = harness.data.settings.db_path
    await harness.data.db.execute("PRAGMA busy_timeout=50")  # the test need not wait 5 s
    other = sqlite3.connect(db_path)  # another process reading, e.g. an operator's sqlite3
    other.execute("BEGIN")
    other.execute("SELECT COUNT(*) FROM users").fetchone()
    try:
        await erase(quirin)
        assert quirin.last.text.startswith("✅ Ihre Daten wurden gelöscht.")
        assert "WAL checkpoint blocked by a reader" in caplog.text
        assert found(db_path, GONE) != []  # still in the -wal
    finally:
        other.close()
    await harness.data.privacy.checkpoint()
    assert found(db_path, GONE) == []
