"""The daily retention job: inactive people, old registrations, delivered texts (no sleeping)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from types import SimpleNamespace

import pytest
from workgroup_helpers import CONTACT_ID, link_contact, load, register, rows

from bot.app import purge_expired
from bot.config import ConfigError, load_settings

from conftest import ADMIN_ID, FakeClock, Harness, make_settings, running
from stories.comments import comment
from stories.workgroups import announced
from stories.workshops import add_workshop


async def run_job(h: Harness) -> None:
    """What the JobQueue calls once a day."""
    await purge_expired(SimpleNamespace(bot_data=h.data))  # type: ignore[arg-type]


async def known(h: Harness, user_id: int) -> bool:
    """Whether the users table still has the person."""
    return await h.data.users.get(user_id) is not None


async def test_job_is_scheduled_daily_at_night(harness: Harness) -> None:
    assert harness.app.job_queue is not None
    [job] = harness.app.job_queue.get_jobs_by_name("retention")
    trigger = job.job.trigger
    assert "hour='3', minute='30'" in str(trigger)
    assert str(trigger.timezone) == "Europe/Berlin"


async def test_inactive_people_are_erased_active_ones_and_staff_kept(harness: Harness) -> None:
    await load(harness)
    await link_contact(harness)  # a contact: holds a role, kept however quiet
    erika = harness.user()
    await comment(erika, "Ein alter Kommentar")
    max_ = harness.user(4712, "Max")
    await max_.command("start")
    await harness.admin().command("start")
    harness.clock.advance(days=700)
    await max_.command("regionen")  # Max was here 700 days later
    harness.clock.advance(days=29)
    await run_job(harness)
    assert await known(harness, 4711)  # 729 days: not yet
    harness.clock.advance(days=2)
    assert harness.data.languages.get(4711, "x") is None  # cached since her last visit
    await run_job(harness)
    assert not await known(harness, 4711)
    assert 4711 not in harness.data.languages
    assert (await harness.data.privacy.export(4711)).sections == {}
    assert await known(harness, 4712)
    assert await known(harness, CONTACT_ID) and await known(harness, ADMIN_ID)
    assert await harness.data.comments.repo.by_user(4711) == []


async def test_old_registrations_of_interest_go_with_the_contacts_copy(
    harness: Harness,
) -> None:
    _, erika, notice = await announced(harness)
    assert "erika@example.org" in notice.text
    harness.clock.advance(days=364)
    await erika.command("start")  # active: her account stays
    await run_job(harness)
    assert len(await rows(harness)) == 1
    harness.clock.advance(days=2)
    await run_job(harness)
    assert await rows(harness) == []
    assert await known(harness, 4711)
    copies = await harness.data.db.fetchall(
        "SELECT payload FROM outbox WHERE payload LIKE '%erika@example.org%'"
    )
    assert copies == []


async def test_workshop_registrations_go_90_days_after_the_event(harness: Harness) -> None:
    workshop_id = await add_workshop(harness, start=harness.clock() + dt.timedelta(days=10))
    await harness.data.workshops.repo.follow(workshop_id, 4711, False, harness.clock())
    erika = harness.user()
    await erika.command("start")
    assert await harness.data.workshops.register(workshop_id, 4711, "Erika Muster") == "confirmed"
    harness.clock.advance(days=10 + 89)
    await erika.command("start")
    await run_job(harness)
    assert len(await harness.data.workshops.repo.participants(workshop_id)) == 1
    harness.clock.advance(days=2)
    await run_job(harness)
    assert await harness.data.workshops.repo.participants(workshop_id) == []


async def test_delivered_texts_are_cleared_after_30_days(harness: Harness) -> None:
    _, _, notice = await announced(harness, email=None)
    assert "Name: Erika" in notice.text
    harness.clock.advance(days=31)
    await run_job(harness)
    payloads = await harness.data.db.fetchall(
        "SELECT payload FROM outbox WHERE chat_id = ?", (CONTACT_ID,)
    )
    assert payloads and all(r["payload"] == "{}" for r in payloads)


async def test_zero_keeps_data(db_path: Path, clock: FakeClock) -> None:
    settings = make_settings(
        db_path,
        IDEENLABOR_RETENTION_DAYS="0",
        IDEENLABOR_REGISTRATION_RETENTION_DAYS="0",
        IDEENLABOR_WORKSHOP_RETENTION_DAYS="0",
    )
    async with running(settings, clock) as h:
        await load(h)
        erika = h.user()
        await register(erika)
        await erika.tap("✅ Einverstanden, senden")
        clock.advance(days=5000)
        await run_job(h)
        assert await known(h, 4711) and len(await rows(h)) == 1


def test_settings_explain_bad_privacy_values(tmp_path: Path) -> None:
    missing = str(tmp_path / "fehlt.{lang}.html")
    with pytest.raises(
        ConfigError, match=r"^IDEENLABOR_PRIVACY_NOTICE: '.*fehlt\.de\.html' is not"
    ):
        load_settings(_env_file=None, IDEENLABOR_PRIVACY_NOTICE=missing)
    with pytest.raises(ConfigError, match=r"^IDEENLABOR_DELETED_COMMENTS: .* — use anonymise"):
        load_settings(_env_file=None, IDEENLABOR_DELETED_COMMENTS="keep")
    with pytest.raises(ConfigError, match=r"^IDEENLABOR_RETENTION_DAYS: "):
        load_settings(_env_file=None, IDEENLABOR_RETENTION_DAYS="-1")
    one = tmp_path / "notice.html"
    one.write_text("<b>Hinweis</b>", "utf-8")
    settings = load_settings(_env_file=None, IDEENLABOR_PRIVACY_NOTICE=str(one))
    assert settings.privacy_notice_path("en") == one  # one file for both languages


async def test_erasure_moves_up_only_for_coming_workshops(harness: Harness) -> None:
    past = await add_workshop(harness, "vorbei", start=harness.clock() + dt.timedelta(days=1))
    coming = await add_workshop(harness, "kommt", start=harness.clock() + dt.timedelta(days=9))
    for user_id in (4711, 4712):
        await harness.user(user_id).command("start")
    for workshop_id in (past, coming):
        await harness.data.db.execute(
            "UPDATE workshops SET capacity = 1 WHERE id = ?", (workshop_id,)
        )
        await harness.data.workshops.register(workshop_id, 4711, "Erika")
        await harness.data.workshops.register(workshop_id, 4712, "Max")
    harness.clock.advance(days=2)
    await harness.data.privacy.erase(4711)
    for workshop_id, expected in ((past, "waiting"), (coming, "confirmed")):
        [max_] = await harness.data.workshops.repo.participants(workshop_id)
        assert (max_.display_name, max_.status) == ("Max", expected)
    promoted = await harness.data.db.fetchall(
        "SELECT dedupe_key FROM outbox WHERE kind = 'promoted'"
    )
    assert [r["dedupe_key"].split(":")[1] for r in promoted] == [str(coming)]
