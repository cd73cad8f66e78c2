"""Half-entered dialogues expire (IDEENLABOR_DRAFT_TTL): nothing half-typed stays for long."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from types import SimpleNamespace

import pytest
from workgroup_helpers import IDEA, link_contact, load, rows

from bot.app import expire_drafts
from bot.config import ConfigError, load_settings
from bot.offline.fake_user import FakeUser

from conftest import FakeClock, Harness, make_settings, running
from stories.privacy import found, notice

HALF_TYPED = "halb.getippt@example.org"
EXPIRED = (
    "⌛ „Mitmachen“ blieb zu lange unbeendet und wurde verworfen: halb eingegebene Angaben "
    "bewahren wir nicht auf. Ihre Nachricht habe ich deshalb nicht verwendet – bitte beginnen "
    "Sie neu."
)


async def run_job(h: Harness) -> None:
    """What the JobQueue calls every hour."""
    await expire_drafts(SimpleNamespace(bot_data=h.data))  # type: ignore[arg-type]


async def half_way(user: FakeUser) -> None:
    """Mitmachen up to the phone question: name and e-mail typed, then the person leaves."""
    await user.command("start", f"idea_{IDEA}")
    await user.tap("🙋 Mitmachen")
    await user.send("Erika Halbfertig")
    await user.send(HALF_TYPED)
    assert "Telefon" in user.last.text


async def stored(h: Harness) -> list[tuple[int, str, str]]:
    """(user, step, data) of every draft row."""
    found = await h.data.db.fetchall("SELECT user_id, step, data FROM drafts ORDER BY user_id")
    return [(int(r["user_id"]), str(r["step"]), str(r["data"])) for r in found]


def test_the_lifetime_is_a_duration_of_at_least_ten_minutes() -> None:
    assert load_settings(_env_file=None).draft_lifetime == dt.timedelta(hours=24)
    assert load_settings(_env_file=None, IDEENLABOR_DRAFT_TTL="90m").draft_lifetime == (
        dt.timedelta(minutes=90)
    )
    assert load_settings(_env_file=None, IDEENLABOR_DRAFT_TTL=" 7d ").draft_lifetime == (
        dt.timedelta(days=7)
    )
    for bad in ("0", "5m", "24", "1w", "31d", ""):
        with pytest.raises(ConfigError, match=r"IDEENLABOR_DRAFT_TTL: .* use e.g. 24h"):
            load_settings(_env_file=None, IDEENLABOR_DRAFT_TTL=bad)


async def test_job_runs_every_hour(harness: Harness) -> None:
    assert harness.app.job_queue is not None
    [job] = harness.app.job_queue.get_jobs_by_name("drafts")
    assert job.job.trigger.interval == dt.timedelta(hours=1)


async def test_an_abandoned_dialogue_expires_and_the_person_is_told_once(
    harness: Harness,
) -> None:
    await load(harness)
    await link_contact(harness)
    erika = harness.user()
    await half_way(erika)
    harness.clock.advance(hours=23, minutes=59)
    await run_job(harness)
    assert HALF_TYPED in (await stored(harness))[0][2]  # within the lifetime: kept
    harness.clock.advance(minutes=2)
    await run_job(harness)
    assert await stored(harness) == [(4711, "expired", "{}")]  # only "there was one" stays
    assert found(harness.data.settings.db_path, [HALF_TYPED]) == []  # not even as bytes
    export = await harness.data.privacy.export(4711)
    assert HALF_TYPED not in str(export.sections)
    # She comes back and answers the last question: told, and her text is not used for
    # anything else (neither a registration nor a place search).
    await erika.send("0211 5550123")
    assert erika.last.text == EXPIRED
    assert erika.last.button_labels()[0] == "🗺 Ideen nach Region"
    assert await rows(harness) == []
    assert await stored(harness) == []
    await erika.send("Köln")  # from now on, text is what it always is: a place
    assert "Ihre Region für" in erika.last.text
    assert erika.texts().count(EXPIRED) == 1


async def test_a_command_after_expiry_just_runs(harness: Harness) -> None:
    await load(harness)
    erika = harness.user()
    await half_way(erika)
    harness.clock.advance(hours=25)
    await run_job(harness)
    await erika.command("hilfe")
    assert EXPIRED not in erika.texts() and "/region_finden" in erika.last.text
    assert await stored(harness) == []


async def test_an_active_dialogue_is_kept_and_notes_go_a_lifetime_later(
    db_path: Path, clock: FakeClock
) -> None:
    settings = make_settings(db_path, IDEENLABOR_DRAFT_TTL="2h")
    async with running(settings, clock) as h:
        await load(h)
        people = [h.user(6000 + n, f"Person{n}") for n in range(200)]
        for person in people:
            await half_way(person)
        busy = people[0]
        h.clock.advance(minutes=90)
        await busy.send("0211 5550123")  # still typing: the draft's clock starts again
        h.clock.advance(minutes=45)
        await run_job(h)
        left = await stored(h)
        assert len(left) == 200 and sum(step == "expired" for _, step, _ in left) == 199
        assert [user for user, step, _ in left if step != "expired"] == [busy.user_id]
        h.clock.advance(hours=2, minutes=1)
        await run_job(h)  # the notes of the 199 go; the busy one is now too old as well
        assert await stored(h) == [(busy.user_id, "expired", "{}")]
        assert h.data.users_with_drafts == {busy.user_id}


@pytest.mark.parametrize(
    ("ttl", "german", "english"),
    [
        ("24h", "24 Stunden", "24 hours"),
        ("90m", "90 Minuten", "90 minutes"),
        ("7d", "7 Tage", "7 days"),
    ],
)
async def test_the_privacy_notice_names_the_lifetime(
    db_path: Path, clock: FakeClock, ttl: str, german: str, english: str
) -> None:
    async with running(make_settings(db_path, IDEENLABOR_DRAFT_TTL=ttl), clock) as h:
        erika = h.user()
        erika_notice = await notice(erika, "datenschutz")
        assert (
            "Begonnene, nicht abgeschlossene Eingaben (z. B. ein halb geschriebener Kommentar) "
            f"werden {german} nach der letzten Eingabe gelöscht." in erika_notice
        )
        john = h.user(4712, "John", language_code="en")
        john_notice = await notice(john, "privacy")
        assert f"is deleted {english} after your last entry." in john_notice
