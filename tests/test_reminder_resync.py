"""After a restart, pending reminders follow IDEENLABOR_REMINDERS; none twice, none late."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import json
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.cli import main
from bot.config import Settings
from bot.reminders import ReminderSync, parse_schedule, sync_plan
from storage.models import Reminder
from storage.workshops import WorkshopFields

from conftest import FakeClock, Harness, make_settings, running

BERLIN = ZoneInfo("Europe/Berlin")
START = dt.datetime(2026, 12, 10, 14, 0, tzinfo=BERLIN)  # 13:00 UTC, a Thursday
SEVEN_DAYS = dt.datetime(2026, 12, 3, 8, 0, tzinfo=dt.UTC)  # 7d@09:00
ONE_DAY = dt.datetime(2026, 12, 9, 8, 0, tzinfo=dt.UTC)  # 1d@09:00
TITLE = "Gute Arbeit in Köln"
ERIKA = 4711


@pytest.fixture
def cli_env(db_path: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch) -> Path:
    """`ideenlabor import` on the test database, with the default reminders and the test clock."""
    for name in ("IDEENLABOR_TIMEZONE", "IDEENLABOR_REMINDERS", "IDEENLABOR_ADMINS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(db_path.parent)
    monkeypatch.setenv("IDEENLABOR_DB", str(db_path))
    monkeypatch.setattr("bot.cli.utc_now", clock)
    return db_path


async def import_workshop(folder: Path) -> None:
    """The workshop on 10 December 2026, 14:00 Berlin, through `ideenlabor import`."""
    entry = {
        "slug": "koeln-dezember",
        "region": "koeln",
        "title": TITLE,
        "starts_at": START.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (START + dt.timedelta(hours=4)).strftime("%Y-%m-%dT%H:%M"),
    }
    path = folder / "termine.json"
    path.write_text(json.dumps({"workshops": [entry]}), encoding="utf-8")
    assert await asyncio.to_thread(main, ["import", str(path)]) == 0


def settings_with(db_path: Path, reminders: str) -> Settings:
    return make_settings(db_path, IDEENLABOR_REMINDERS=reminders)


async def imported(harness: Harness) -> int:
    """The id of the imported workshop (the shipped past ones come first)."""
    workshop = await harness.data.workshops.repo.get_by_slug("koeln-dezember")
    assert workshop is not None
    return workshop.id


async def follow(harness: Harness) -> None:
    """Erika asks to be reminded of the workshop, through the bot."""
    erika = harness.user(ERIKA)
    await erika.command("termine")
    await erika.tap(f"10.12.2026 · {TITLE}")
    await erika.tap("🔔 Erinnern")
    assert "🔔 Sie werden an diesen Termin erinnert." in erika.last.text


def reminders_seen(harness: Harness) -> int:
    """How many reminders Erika got from this run of the bot."""
    return sum(m.text.startswith(f"🔔 Erinnerung: {TITLE}") for m in harness.api.messages(ERIKA))


async def run_until(db_path: Path, clock: FakeClock, reminders: str, *moments: dt.datetime) -> int:
    """Start the bot, deliver at each moment, stop; the number of reminders sent."""
    async with running(settings_with(db_path, reminders), clock) as harness:
        for moment in moments:
            clock.now = moment
            await harness.deliver()
        assert harness.errors == [], harness.errors
        harness.api.assert_no_errors()
        return reminders_seen(harness)


async def test_a_new_slot_applies_to_imported_workshops_after_a_restart(
    cli_env: Path, clock: FakeClock
) -> None:
    await import_workshop(cli_env.parent)  # under 7d@09:00,1d@09:00
    schedule = "7d@09:00,1d@09:00,5m"
    async with running(settings_with(cli_env, schedule), clock) as harness:
        await follow(harness)
        await harness.deliver()
        assert reminders_seen(harness) == 0
    assert await run_until(cli_env, clock, schedule, SEVEN_DAYS) == 1
    assert await run_until(cli_env, clock, schedule, SEVEN_DAYS + dt.timedelta(hours=1)) == 0
    assert await run_until(cli_env, clock, schedule) == 0  # restarting twice repeats nothing
    five_minutes = START - dt.timedelta(minutes=5)
    assert await run_until(cli_env, clock, schedule, ONE_DAY) == 1
    assert await run_until(cli_env, clock, schedule, five_minutes - dt.timedelta(seconds=1)) == 0
    assert await run_until(cli_env, clock, schedule, five_minutes) == 1  # the new one, once
    assert await run_until(cli_env, clock, schedule, START - dt.timedelta(minutes=1)) == 0
    assert await run_until(cli_env, clock, schedule) == 0


async def test_a_slot_removed_from_the_schedule_is_not_sent(
    cli_env: Path, clock: FakeClock
) -> None:
    await import_workshop(cli_env.parent)
    async with running(settings_with(cli_env, "1d@09:00"), clock) as harness:
        await follow(harness)
        reminders = await harness.data.workshops.repo.reminders_of(await imported(harness))
        assert [(r.label, r.state) for r in reminders] == [("1d@09:00", "pending")]
    assert await run_until(cli_env, clock, "1d@09:00", SEVEN_DAYS, ONE_DAY - dt.timedelta(1)) == 0
    assert await run_until(cli_env, clock, "1d@09:00", ONE_DAY) == 1


async def test_a_new_slot_whose_time_has_passed_is_not_sent_late(
    cli_env: Path, clock: FakeClock
) -> None:
    clock.now = dt.datetime(2026, 12, 6, 10, 0, tzinfo=dt.UTC)  # four days before
    await import_workshop(cli_env.parent)  # the 7-day reminder is already past: not planned
    schedule = "7d@09:00,3d@09:00,1d@09:00"
    async with running(settings_with(cli_env, schedule), clock) as harness:
        await follow(harness)
        await harness.deliver()
        assert reminders_seen(harness) == 0  # neither 7d (past) nor anything else yet
        reminders = await harness.data.workshops.repo.reminders_of(await imported(harness))
        assert [r.label for r in reminders] == ["3d@09:00", "1d@09:00"]
    three_days = dt.datetime(2026, 12, 7, 8, 0, tzinfo=dt.UTC)
    assert await run_until(cli_env, clock, schedule, three_days, ONE_DAY) == 2


async def test_a_new_time_brings_new_reminders_even_after_earlier_ones_were_sent(
    db_path: Path, clock: FakeClock
) -> None:
    # A reminder row re-created with the id of a sent one must not be taken for a duplicate.
    async with running(settings_with(db_path, "7d@09:00,1d@09:00"), clock) as harness:
        service = harness.data.workshops
        region = await harness.data.regions.get_by_slug("koeln")
        assert region is not None
        fields = WorkshopFields(
            region_id=region.id, title=TITLE, starts_at=START, ends_at=START + dt.timedelta(hours=4)
        )
        workshop_id = await service.create(fields, slug="koeln-dezember")
        await follow(harness)
        clock.now = SEVEN_DAYS
        await harness.deliver()
        assert reminders_seen(harness) == 1
        later = START + dt.timedelta(days=7)
        moved = dataclasses.replace(fields, starts_at=later, ends_at=later + dt.timedelta(hours=4))
        assert await service.update(workshop_id, moved)
        clock.now = SEVEN_DAYS + dt.timedelta(days=7)
        await harness.deliver()
        assert reminders_seen(harness) == 2


def reminder(id: int, label: str, due: dt.datetime, state: str = "pending") -> Reminder:
    return Reminder(id=id, workshop_id=1, label=label, due_at=due, state=state)


def test_sync_plan_keeps_what_was_sent_and_moves_what_a_new_time_zone_moves() -> None:
    now = dt.datetime(2026, 11, 25, 10, 0, tzinfo=dt.UTC)
    schedule = parse_schedule("7d@09:00,1d@09:00,5m")
    rows = [
        reminder(1, "14d@09:00", dt.datetime(2026, 11, 26, 8, 0, tzinfo=dt.UTC)),
        reminder(2, "7d@09:00", SEVEN_DAYS, state="done"),
        reminder(3, "1d@09:00", ONE_DAY),
    ]
    plan = sync_plan(schedule, START, BERLIN, now, rows)
    assert plan.drop == (1,) and plan.move == ()
    assert plan.add == (("5m", START.astimezone(dt.UTC) - dt.timedelta(minutes=5)),)
    # IDEENLABOR_TIMEZONE changed: 09:00 is another moment now; the sent one stays sent.
    london = ZoneInfo("Europe/London")
    start = START.astimezone(dt.UTC)
    plan = sync_plan(schedule, start, london, now, rows)
    assert plan.move == ((3, dt.datetime(2026, 12, 9, 9, 0, tzinfo=dt.UTC)),)
    assert 2 not in plan.drop and not any(label == "7d@09:00" for label, _ in plan.add)
    # Unchanged: nothing to do, however often it runs.
    rows = [reminder(2, "7d@09:00", SEVEN_DAYS, "done"), reminder(3, "1d@09:00", ONE_DAY)]
    plan = sync_plan(parse_schedule("7d@09:00,1d@09:00"), START, BERLIN, now, rows)
    assert (plan.add, plan.move, plan.drop) == ((), (), ())


def test_sync_plan_brings_a_dropped_slot_back_and_keeps_one_missed_while_down() -> None:
    schedule = parse_schedule("7d@09:00,1d@09:00")
    now = SEVEN_DAYS + dt.timedelta(hours=2)  # the bot was down when the 7-day one was due
    rows = [reminder(1, "7d@09:00", SEVEN_DAYS), reminder(2, "1d@09:00", ONE_DAY, "dropped")]
    plan = sync_plan(schedule, START, BERLIN, now, rows)
    assert plan == ReminderSync(add=(("1d@09:00", ONE_DAY),))  # 7d goes out now, as before


async def test_a_dropped_reminder_of_an_upcoming_workshop_comes_back_at_start(
    db_path: Path, clock: FakeClock
) -> None:
    schedule = "7d@09:00,1d@09:00"
    async with running(settings_with(db_path, schedule), clock) as harness:
        region = await harness.data.regions.get_by_slug("koeln")
        assert region is not None
        fields = WorkshopFields(
            region_id=region.id, title=TITLE, starts_at=START, ends_at=START + dt.timedelta(hours=4)
        )
        workshop_id = await harness.data.workshops.create(fields, slug="koeln-dezember")
        await follow(harness)
        await harness.data.db.execute("UPDATE reminders SET state = 'dropped'")
    async with running(settings_with(db_path, schedule), clock) as harness:
        reminders = await harness.data.workshops.repo.reminders_of(workshop_id)
        assert [(r.label, r.due_at, r.state) for r in reminders] == [
            ("7d@09:00", SEVEN_DAYS, "pending"),
            ("1d@09:00", ONE_DAY, "pending"),
        ]
    assert await run_until(db_path, clock, schedule, SEVEN_DAYS, ONE_DAY) == 2
