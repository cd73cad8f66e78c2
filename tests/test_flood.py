"""Per-user flood protection: a user who floods the bot is slowed down, nobody else is."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from telegram import Update

from bot.app import build_application
from bot.config import Settings
from bot.offline.fake_api import FakeBotApi
from bot.offline.fake_user import UpdateFactory
from bot.updates import FairUpdateProcessor, UserMeter

from conftest import TOKEN, FakeClock, Ticks, running


def test_meter_lets_a_burst_through_then_the_rate() -> None:
    ticks = Ticks(100.0)
    meter = UserMeter(rate=2.0, burst=3, now=ticks)
    assert [meter.delay(1) for _ in range(3)] == [0.0, 0.0, 0.0]
    assert [meter.delay(1) for _ in range(3)] == [0.5, 1.0, 1.5]  # then one every 0.5 s
    assert meter.delay(2) == 0.0  # another user has a bucket of their own
    ticks.now += 2.0  # the waiting updates have run; the bucket has refilled by one token only
    assert [meter.delay(1) for _ in range(2)] == [0.0, 0.5]
    ticks.now += 60.0  # a quiet minute fills the bucket again
    assert [meter.delay(1) for _ in range(4)] == [0.0, 0.0, 0.0, 0.5]


def test_production_builds_the_app_with_the_fair_processor(db_path: Path) -> None:
    settings = Settings(
        _env_file=None,
        TELEGRAM_BOT_TOKEN=TOKEN,
        IDEENLABOR_DB=db_path,
        IDEENLABOR_FLOOD_RATE="3",
        IDEENLABOR_FLOOD_BURST="7",
    )
    processor = build_application(settings, request=FakeBotApi()).update_processor
    assert isinstance(processor, FairUpdateProcessor)
    assert (processor.meter.rate, processor.meter.burst) == (3.0, 7)


async def test_a_flooding_user_is_slowed_and_the_others_are_not(
    db_path: Path, clock: FakeClock
) -> None:
    settings = Settings(
        _env_file=None,
        TELEGRAM_BOT_TOKEN=TOKEN,
        IDEENLABOR_DB=db_path,
        IDEENLABOR_FLOOD_RATE="25",  # 25 per second after a burst of 5: 45 more take 1.8 s
        IDEENLABOR_FLOOD_BURST="5",
    )
    async with running(settings, clock) as h:
        factory = UpdateFactory(h.api)
        flooder = UpdateFactory.user(5001, "Flut", "de", None)
        calm = UpdateFactory.user(5002, "Ruhig", "de", None)
        done: dict[str, float] = {}

        async def feed(raw: dict[str, object], name: str) -> None:
            update = Update.de_json(raw, h.app.bot)
            await h.app.update_processor.process_update(update, h.app.process_update(update))
            done[name] = time.monotonic()

        started = time.monotonic()
        flood = [
            asyncio.create_task(feed(factory.text_message(flooder, f"Nachricht {n}"), f"f{n}"))
            for n in range(50)  # 50 messages in the same instant
        ]
        await asyncio.sleep(0.05)
        await feed(factory.command(calm, "start"), "calm")
        calm_took = done["calm"] - started
        await asyncio.gather(*flood)
        flood_took = max(done[f"f{n}"] for n in range(50)) - started

        assert h.errors == []
        assert calm_took < 0.5, calm_took  # went past the flood
        assert flood_took >= 1.6, flood_took  # the flooder waited for their tokens
        processor = h.app.update_processor
        assert isinstance(processor, FairUpdateProcessor)
        assert processor.slowed == 45
        # Nothing lost and nothing out of order: every message answered, in the order sent.
        assert [done[f"f{n}"] for n in range(50)] == sorted(done[f"f{n}"] for n in range(50))
        assert len(h.api.messages(flooder["id"])) == 50  # the bot answered every one
        assert any("Willkommen" in m.text for m in h.api.messages(calm["id"]))
