"""The delivery queue: pacing, RetryAfter, blocked users, retries, failures, reminders."""

from __future__ import annotations

import asyncio
import datetime as dt
import itertools

import pytest

from bot.config import Settings
from bot.dispatcher import HEADROOM, Pacer
from storage.outbox import OutboxRepository, Outgoing
from storage.workshops import WorkshopFields

from conftest import FakeClock, Harness, running


async def enqueue(h: Harness, chat_ids: list[int], kind: str = "test", key: str = "k") -> int:
    """Put one message per chat into the outbox."""
    async with h.data.db.transaction() as tx:
        return await OutboxRepository.enqueue(
            tx,
            kind,
            [
                Outgoing(c, {"text": f"<b>Hallo</b> {c}", "buttons": []}, f"{key}:{c}")
                for c in chat_ids
            ],
            h.clock(),
        )


async def test_messages_are_delivered_once_and_marked_sent(harness: Harness) -> None:
    assert await enqueue(harness, [101, 102, 103]) == 3
    assert await enqueue(harness, [101, 102, 103]) == 0  # same dedupe keys: nothing new
    report = await harness.deliver()
    assert report.sent == 3
    for chat in (101, 102, 103):
        assert [m.text for m in harness.api.messages(chat)] == [f"Hallo {chat}"]
    assert await harness.data.outbox.count_by_state() == {"sent": 3}
    assert (await harness.deliver()).sent == 0


async def test_blocked_user_is_marked_and_skipped(harness: Harness) -> None:
    user = harness.user(user_id=201)
    await user.command("start")
    await harness.deliver()  # the news offer
    harness.api.block(201)
    async with harness.data.db.transaction() as tx:
        await OutboxRepository.enqueue(
            tx,
            "test",
            [Outgoing(201, {"text": "eins"}, "a"), Outgoing(201, {"text": "zwei"}, "b")],
            harness.clock(),
        )
    report = await harness.deliver()
    assert report.blocked == 1 and report.sent == 0
    assert await harness.data.outbox.count_by_state() == {"blocked": 2, "sent": 1}  # sent: offer
    row = await harness.data.db.fetchone("SELECT blocked_at FROM users WHERE telegram_id = 201")
    assert row is not None and row["blocked_at"] is not None
    async with harness.data.db.transaction() as tx:
        everyone = await harness.data.workshops.repo.all_active_users(tx)
    assert 201 not in [r.user_id for r in everyone]
    harness.api.errors.clear()
    harness.api.unblock(201)
    harness.clock.advance(days=1)
    await user.command("start")  # writing again means the bot is no longer blocked
    row = await harness.data.db.fetchone("SELECT blocked_at FROM users WHERE telegram_id = 201")
    assert row is not None and row["blocked_at"] is None


async def test_retry_after_pauses_and_delivers_exactly_once(harness: Harness) -> None:
    slept: list[float] = []
    now = [0.0]

    async def fake_sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    harness.data.dispatcher.pacer = Pacer(
        rate=None, per_chat=0.0, monotonic=lambda: now[0], sleep=fake_sleep
    )
    harness.api.fail_next("sendMessage", status=429, retry_after=7)
    await enqueue(harness, [301, 302])
    report = await harness.deliver()
    assert report.too_many_requests == 1 and report.sent == 2
    assert sum(slept) >= 7
    assert len(harness.api.messages(301)) == 1 and len(harness.api.messages(302)) == 1
    harness.api.errors.clear()


async def test_network_errors_back_off_then_fail_with_reason(harness: Harness) -> None:
    harness.api.timeout_next("sendMessage", times=100)
    await enqueue(harness, [401])
    report = await harness.deliver()
    assert report.retried == 1 and report.sent == 0
    assert (await harness.deliver()).retried == 0  # not due yet: nothing is hammered
    for _ in range(10):
        harness.clock.advance(hours=2)
        await harness.deliver()
    row = await harness.data.db.fetchone("SELECT state, attempts, last_error FROM outbox")
    assert row is not None and row["state"] == "failed" and row["attempts"] == 6
    assert row["last_error"] == "Injected timeout"
    assert harness.api.messages(401) == []
    harness.api.errors.clear()


async def test_a_network_error_is_retried_and_then_delivered(harness: Harness) -> None:
    harness.api.timeout_next("sendMessage")
    await enqueue(harness, [451])
    await harness.deliver()
    harness.clock.advance(seconds=11)
    assert (await harness.deliver()).sent == 1
    assert len(harness.api.messages(451)) == 1
    harness.api.errors.clear()


async def test_permanent_refusal_is_recorded(harness: Harness) -> None:
    harness.api.fail_next("sendMessage", status=400, description="Bad Request: chat not found")
    await enqueue(harness, [501])
    report = await harness.deliver()
    assert report.failed == 1
    row = await harness.data.db.fetchone("SELECT state, last_error FROM outbox")
    assert (
        row is not None
        and row["state"] == "failed"
        and "chat not found" in row["last_error"].lower()
    )
    harness.api.errors.clear()


async def test_messages_in_flight_at_a_crash_are_sent_after_restart(
    settings: Settings, clock: FakeClock
) -> None:
    async with running(settings, clock) as first:
        await enqueue(first, [601, 602])
        claimed = await first.data.outbox.claim_due(clock(), 1)  # "sending" when the crash hits
        assert len(claimed) == 1
    async with running(settings, clock) as second:
        second.data.dispatcher.pacer = Pacer(rate=None, per_chat=0.0)
        assert (await second.deliver()).sent == 2
        assert len(second.api.messages(601)) == 1 and len(second.api.messages(602)) == 1


async def test_pacer_keeps_the_overall_and_per_chat_rate() -> None:
    now = [0.0]
    starts: list[tuple[float, int]] = []

    async def fake_sleep(seconds: float) -> None:
        now[0] += seconds

    pacer = Pacer(rate=30.0, per_chat=1.0, monotonic=lambda: now[0], sleep=fake_sleep)
    for chat in range(60):
        await pacer.acquire(chat)
        starts.append((now[0], chat))
    assert starts[-1][0] == pytest.approx(59 / (30 * HEADROOM))
    await pacer.acquire(7)
    await pacer.acquire(7)
    assert now[0] >= starts[-1][0] + 1.0  # one per second to the same chat
    pacer.pause(5)
    before = now[0]
    await pacer.acquire(999)
    assert now[0] >= before + 5


# ---------------------------------------------------------------- reminders


async def workshop(h: Harness, start: dt.datetime, hours: int = 4) -> int:
    """Publish a workshop in Region Köln starting at start."""
    region = await h.data.regions.get_by_slug("koeln")
    assert region is not None
    return await h.data.workshops.create(
        WorkshopFields(
            region_id=region.id,
            title="Ideenlabor Köln",
            starts_at=start,
            ends_at=start + dt.timedelta(hours=hours),
            venue="Rathaus",
            address="Markt 1, 50667 Köln",
        )
    )


async def test_reminders_fire_at_local_times_exactly_once_across_a_restart(
    settings: Settings, clock: FakeClock
) -> None:
    start = dt.datetime(2026, 12, 10, 13, 0, tzinfo=dt.UTC)  # 14:00 in Berlin
    async with running(settings, clock) as first:
        workshop_id = await workshop(first, start)
        await first.user().command("start")
        await first.deliver()  # the news offer
        await first.data.workshops.repo.follow(workshop_id, 4711, True, clock())
        reminders = await first.data.workshops.repo.reminders_of(workshop_id)
        assert [(r.label, r.due_at) for r in reminders] == [
            ("7d@09:00", dt.datetime(2026, 12, 3, 8, 0, tzinfo=dt.UTC)),
            ("1d@09:00", dt.datetime(2026, 12, 9, 8, 0, tzinfo=dt.UTC)),
        ]
    clock.now = dt.datetime(2026, 12, 3, 8, 0, tzinfo=dt.UTC)  # the bot was down meanwhile
    async with running(settings, clock) as second:
        user = second.user()
        assert (await second.deliver()).sent == 1
        assert user.last.text.startswith("🔔 Erinnerung: Ideenlabor Köln")
        assert "Donnerstag, 10. Dezember 2026, 14:00–18:00 Uhr" in user.last.text
        assert user.last.button_labels() == ["Ich kann doch nicht", "Details"]
        assert (await second.deliver()).sent == 0
    async with running(settings, clock) as third:
        assert (await third.deliver()).sent == 0  # not again after another restart
        clock.now = dt.datetime(2026, 12, 9, 8, 0, 1, tzinfo=dt.UTC)
        assert (await third.deliver()).sent == 1


async def test_a_reminder_whose_workshop_started_is_dropped(harness: Harness) -> None:
    start = dt.datetime(2026, 12, 10, 13, 0, tzinfo=dt.UTC)
    workshop_id = await workshop(harness, start)
    await harness.user().command("start")
    await harness.deliver()  # the news offer
    await harness.data.workshops.repo.follow(workshop_id, 4711, True, harness.clock())
    harness.clock.now = start + dt.timedelta(minutes=5)  # the bot was down over both times
    assert (await harness.deliver()).sent == 0
    states = [r.state for r in await harness.data.workshops.repo.reminders_of(workshop_id)]
    assert states == ["dropped", "dropped"]


async def test_cancelling_drops_reminders_and_tells_followers(harness: Harness) -> None:
    start = dt.datetime(2026, 12, 10, 13, 0, tzinfo=dt.UTC)
    workshop_id = await workshop(harness, start)
    user = harness.user()
    await user.command("start")
    await harness.data.workshops.repo.follow(workshop_id, 4711, True, harness.clock())
    assert await harness.data.workshops.cancel(workshop_id)
    assert not await harness.data.workshops.cancel(workshop_id)  # only once
    await harness.deliver()
    assert user.last.text.startswith("❌ Abgesagt: Ideenlabor Köln")
    states = [r.state for r in await harness.data.workshops.repo.reminders_of(workshop_id)]
    assert states == ["dropped", "dropped"]
    harness.clock.now = start - dt.timedelta(days=1)
    assert (await harness.deliver()).sent == 0


async def test_senders_waiting_during_a_retry_after_do_not_burst_when_it_ends() -> None:
    now = [0.0]
    sleepers: list[tuple[float, asyncio.Future[None]]] = []

    async def fake_sleep(seconds: float) -> None:
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        sleepers.append((now[0] + seconds, future))
        await future

    pacer = Pacer(rate=30.0, per_chat=0.0, monotonic=lambda: now[0], sleep=fake_sleep)
    sent: list[float] = []

    async def sender(chat: int) -> None:
        await pacer.acquire(chat)
        sent.append(now[0])

    tasks = [asyncio.create_task(sender(chat)) for chat in range(8)]
    await asyncio.sleep(0)
    pacer.pause(5.0)  # a 429 arrives while 7 senders hold slots
    while sleepers or not all(t.done() for t in tasks):
        await asyncio.sleep(0)
        if sleepers:
            sleepers.sort(key=lambda item: item[0])
            wake, future = sleepers.pop(0)
            now[0] = max(now[0], wake)
            future.set_result(None)
    after = sorted(t for t in sent if t >= 5.0)
    gaps = [b - a for a, b in itertools.pairwise(after)]
    assert len(after) >= 7
    assert min(gaps) >= 1 / 30 - 1e-9  # evenly spaced, not eight at once
