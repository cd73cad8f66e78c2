"""The anti-spam limits count comments written, deleted or not, and forget them on time."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from bot.app import purge_expired
from bot.offline.fake_user import FakeUser
from storage.migrate import available_migrations, split_statements

from conftest import FakeClock, Harness, make_settings, running
from stories.comments import IDEA, comment, open_idea
from stories.privacy import notice

LIMIT = "Sie haben das Limit von 2 Kommentaren in 10 Minuten erreicht."


async def writes(h: Harness) -> list[tuple[int, str]]:
    """Every row of the count: (user id, written at)."""
    rows = await h.data.db.fetchall("SELECT user_id, written_at FROM comment_writes ORDER BY 2")
    return [(int(r["user_id"]), str(r["written_at"])) for r in rows]


async def idea_id(h: Harness) -> int:
    """The id of the idea the comments go to."""
    idea = await h.data.ideas.get_by_slug(IDEA)
    assert idea is not None
    return idea.id


async def delete_first(user: FakeUser) -> None:
    """Delete one's newest comment through /meine_kommentare."""
    await user.command("meine_kommentare")
    await user.tap("🗑 Löschen: Nr. 1")
    await user.tap("🗑 Ja, endgültig löschen")
    assert "Ihr Kommentar wurde gelöscht." in user.last.text


def notices(user: FakeUser) -> list[str]:
    """The new-comment notifications a moderator received."""
    return [text for text in user.texts() if text.startswith("📝 Neuer Kommentar")]


async def test_deleting_ones_comment_does_not_free_a_place(db_path: Path, clock: FakeClock) -> None:
    settings = make_settings(db_path, IDEENLABOR_COMMENT_LIMITS="2/10m")
    async with running(settings, clock) as h:
        admin = h.admin()
        await admin.command("start")
        erika = h.user()
        await comment(erika, "Erster Kommentar zur Idee")
        await comment(erika, "Zweiter Kommentar zur Idee")
        await h.deliver()
        await delete_first(erika)
        await open_idea(erika)
        await erika.tap("✍️ Kommentieren")
        assert erika.last.text.startswith(LIMIT), erika.last.text
        assert "Ab 25.11.2026, 11:10 können Sie wieder kommentieren." in erika.last.text
        assert len(await h.data.comments.repo.by_user(erika.user_id)) == 1
        await h.deliver()
        assert len(notices(admin)) == 2  # the moderators got no third notice
        clock.advance(minutes=10, seconds=1)
        await comment(erika, "Nach der Pause wieder erlaubt")
        assert erika.last.text.startswith("✅ Danke!")
        assert h.errors == []
        h.api.assert_no_errors()


async def test_erasing_ones_data_does_not_reset_the_count(db_path: Path, clock: FakeClock) -> None:
    settings = make_settings(db_path, IDEENLABOR_COMMENT_LIMITS="2/10m,3/1d")
    async with running(settings, clock) as h:
        erika = h.user()
        await comment(erika, "Erster Kommentar zur Idee")
        clock.advance(minutes=1)
        await comment(erika, "Zweiter Kommentar zur Idee")
        await erika.command("daten_loeschen")
        prompt = erika.last.text
        assert (
            "Nur wann Sie Kommentare geschrieben haben, bleibt noch bis zu 1 Tag gespeichert,"
            " damit die Begrenzung gegen Spam gilt." in prompt
        )
        await erika.tap("🗑 Ja, alles löschen")
        assert erika.last.text.startswith("✅ Ihre Daten wurden gelöscht.")
        assert (
            "Ausnahme: Wann Sie Kommentare geschrieben haben (nur der Zeitpunkt), bleibt bis"
            " 26.11.2026, 11:01 gespeichert" in erika.last.text
        )
        assert await h.data.comments.repo.by_user(erika.user_id) == []
        assert [user for user, _ in await writes(h)] == [erika.user_id] * 2
        # What is left shows in the export: the moments, nothing else.
        found = await h.data.privacy.export(erika.user_id)
        assert found.sections == {
            "comment_writes.user_id": [
                {"written_at": "2026-11-25T10:00:00.000000Z"},
                {"written_at": "2026-11-25T10:01:00.000000Z"},
            ]
        }
        await erika.command("start")  # a new person, as far as everything else goes
        await open_idea(erika)
        await erika.tap("✍️ Kommentieren")
        assert erika.last.text.startswith(LIMIT), erika.last.text
        clock.advance(minutes=10)
        await comment(erika, "Jetzt wieder erlaubt")
        assert erika.last.text.startswith("✅ Danke!")
        assert h.errors == []
        h.api.assert_no_errors()


async def test_the_count_is_forgotten_after_the_longest_window(harness: Harness) -> None:
    erika = harness.user()
    await harness.user(4712, "Max").command("start")
    await comment(erika, "Erikas Kommentar zur Idee")
    harness.clock.advance(hours=23)
    await harness.data.comments.submit(
        await idea_id(harness), 4712, "Max", "Max' Kommentar zur Idee"
    )
    assert len(await writes(harness)) == 2
    harness.clock.advance(hours=1, seconds=1)  # Erika's is older than 1 day (5/10m,30/1d)
    await purge_expired(SimpleNamespace(bot_data=harness.data))  # type: ignore[arg-type]
    assert [user for user, _ in await writes(harness)] == [4712]
    assert await harness.data.comments.counted_until(4711) is None
    harness.clock.advance(hours=23)
    await comment(erika, "Erikas zweiter Kommentar")  # a new comment prunes as well
    assert [user for user, _ in await writes(harness)] == [4711]
    await erika.command("daten_loeschen")
    await erika.tap("🗑 Ja, alles löschen")
    assert "bleibt bis 26.11.2026" not in erika.last.text
    assert "bleibt bis 28.11.2026, 10:00 gespeichert" in erika.last.text


async def test_without_limits_nothing_is_counted(db_path: Path, clock: FakeClock) -> None:
    async with running(make_settings(db_path, IDEENLABOR_COMMENT_LIMITS=""), clock) as h:
        erika = h.user()
        for n in range(3):
            await comment(erika, f"Kommentar Nummer {n} zur Idee")
        assert erika.last.text.startswith("✅ Danke!")
        assert await writes(h) == []
        erika_notice = await notice(erika, "datenschutz")
        assert "wird nicht gesondert gespeichert" in erika_notice
        await erika.command("daten_loeschen")
        assert "Begrenzung gegen Spam" not in erika.last.text
        await erika.tap("🗑 Ja, alles löschen")
        assert "Ausnahme" not in erika.last.text
        assert h.errors == []


async def test_the_privacy_notice_says_how_long_the_count_is_kept(harness: Harness) -> None:
    erika = harness.user()
    erika_notice = await notice(erika, "datenschutz")
    assert (
        "Wann Sie Kommentare geschrieben haben (nur der Zeitpunkt, ohne Inhalt), speichert der"
        " Bot 1 Tag lang für die Begrenzung gegen Spam" in erika_notice
    )
    john = harness.user(4712, "John", language_code="en")
    john_notice = await notice(john, "privacy")
    assert "When you wrote comments (only the time, not the content) is kept for 1 day" in (
        john_notice
    )


async def test_migration_counts_the_comments_written_before(
    db_path: Path, clock: FakeClock
) -> None:
    """An upgraded database keeps counting what was written before the upgrade."""
    async with running(make_settings(db_path, IDEENLABOR_COMMENT_LIMITS="2/10m"), clock) as h:
        erika = h.user()
        await comment(erika, "Erster Kommentar zur Idee")
        await comment(erika, "Zweiter Kommentar zur Idee")
        db = h.data.db
        # As the database was before migration 9: no record of writes besides the comments.
        await db.execute("DELETE FROM comment_writes")
        await db.execute("DROP TABLE comment_writes")
        # The upgrade: migration 9 as storage.migrate applies it (later migrations are
        # already there, so deleting its record would not make migrate() run it again).
        (nine,) = [m for m in available_migrations() if m.version == 9]
        async with db.transaction() as tx:
            for statement in split_statements(nine.sql):
                await tx.execute(statement)
    async with running(make_settings(db_path, IDEENLABOR_COMMENT_LIMITS="2/10m"), clock) as h:
        erika = h.user()
        await open_idea(erika)
        await erika.tap("✍️ Kommentieren")
        assert erika.last.text.startswith(LIMIT)
        assert len(await writes(h)) == 2
