"""kill -9 in the middle of a broadcast to 10,000 subscribers, then a restart.

The real `ideenlabor run` process sends an admin's broadcast (enqueued as /rundschreiben does)
to the HTTP Bot API emulator and is killed hard twice:

1. at full speed (IDEENLABOR_SEND_RATE=1000), when about 35 % of the subscribers have the
   message. The sends the dispatcher had in flight at that moment (at most its 8 concurrent
   senders) may have reached Telegram without their outbox row being marked sent; after the
   restart they are sent again. The Bot API has no idempotency key, so this is the one way a
   message can arrive twice; the test measures exactly how many do, and checks that they are
   in flight sends of re-queued rows and no more than the senders.
2. at a quiet moment (IDEENLABOR_SEND_RATE=30: between two paced sends, with no request open
   at the emulator): nothing is in flight, so nothing may arrive twice.

A last start finishes the broadcast. Then every subscriber has the message (none lost), every
outbox row is 'sent', and the only duplicates are the ones counted at the first kill.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import inspect
import re
import signal
import sqlite3
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from botapi_server import BotApiEmulator

from bot.dispatcher import Dispatcher
from bot.offline.telegram_rules import html_to_text
from storage.broadcasts import BroadcastRepository
from storage.db import Database
from storage.outbox import OutboxRepository, Outgoing
from storage.workshops import WorkshopRepository

from stories.processes import BotProcess, clean_env, close_bots

pytestmark = pytest.mark.process  # starts the bot or a server (see conftest.py)

REPO = Path(__file__).resolve().parents[1]
TOKEN = "123456:EMU-TOKEN-abcdefgh"
ADMIN_ID = 900_001
SUBSCRIBERS = 10_000
FIRST_SUBSCRIBER = 20_000_000
# The Dispatcher's concurrency (open_services keeps the default): sends in flight at most.
SENDERS = inspect.signature(Dispatcher).parameters["concurrency"].default
FAST_RATE = "1000"
QUIET_RATE = "30"
KILL_SHARE = 0.35  # first kill: when this share of the subscribers has the message
QUIET_ATTEMPTS = 3  # a quiet moment missed (the machine stalled the bot) is tried again
START_TIMEOUT = 20.0
FINISH_TIMEOUT = 90.0  # generous: ~40 s of sending on a slow machine
TEXT = (
    "<b>Neue Ideenlabore 2027</b>\nDie Termine stehen fest: /termine zeigt sie, mit Anmeldung."
    " Wir freuen uns auf <i>Ihre</i> Ideen für gute &amp; faire Arbeit!"
)


# --------------------------------------------------------------------------- the database


async def _seed(path: Path) -> int:
    """SUBSCRIBERS users and one broadcast to all of them, as /rundschreiben enqueues it."""
    db = await Database.open(path)  # a copy of the template: migrated, shipped data loaded
    try:
        seen = "2026-10-01T10:00:00Z"
        async with db.transaction() as tx:
            await tx.executemany(
                "INSERT INTO users (telegram_id, first_seen, last_seen) VALUES (?, ?, ?)",
                ((FIRST_SUBSCRIBER + n, seen, seen) for n in range(SUBSCRIBERS)),
            )
        now = dt.datetime.now(dt.UTC)
        async with db.transaction() as tx:
            recipients = await WorkshopRepository.all_active_users(tx)
            broadcast_id = await BroadcastRepository.create(
                tx, ADMIN_ID, "all", TEXT, len(recipients), now
            )
            await OutboxRepository.enqueue(
                tx,
                "broadcast",
                (
                    Outgoing(r.user_id, {"text": TEXT}, f"broadcast:{broadcast_id}:{r.user_id}")
                    for r in recipients
                ),
                now,
                broadcast_id=broadcast_id,
            )
        return broadcast_id
    finally:
        await db.close()


def outbox_states(path: Path) -> dict[int, str]:
    """chat → state of its broadcast row, read as another process would (read-only, WAL)."""
    with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=10)) as c:
        rows = c.execute("SELECT chat_id, state FROM outbox WHERE kind = 'broadcast'").fetchall()
    return {int(chat): str(state) for chat, state in rows}


# --------------------------------------------------------------------------- the bot process


@pytest.fixture
def emulator() -> Iterator[BotApiEmulator]:
    """The Bot API emulator on an ephemeral port, knowing the admin and every subscriber."""
    emu = BotApiEmulator(TOKEN).start()
    emu.user(ADMIN_ID, "Ada")
    for n in range(SUBSCRIBERS):
        emu.user(FIRST_SUBSCRIBER + n, f"Abonnent {n}")
    try:
        yield emu
    finally:
        emu.stop()


@pytest.fixture
def launch(
    emulator: BotApiEmulator, db_path: Path, tmp_path: Path
) -> Iterator[Callable[[str], BotProcess]]:
    """Start the bot on db_path at a send rate; every process is killed at the end."""
    started: list[BotProcess] = []

    def start(send_rate: str) -> BotProcess:
        env = clean_env(
            TELEGRAM_BOT_TOKEN=TOKEN,
            TELEGRAM_API_BASE_URL=emulator.base_url,
            IDEENLABOR_DB=str(db_path),
            IDEENLABOR_ADMINS=str(ADMIN_ID),
            IDEENLABOR_SEND_RATE=send_rate,
        )
        number = len(started) + 1
        bot = BotProcess(f"#{number} (rate {send_rate})", env, tmp_path / f"bot-{number}.log")
        started.append(bot)
        emulator.watchdog = bot.check_alive
        return bot

    try:
        yield start
    finally:
        close_bots(started, emulator)


# --------------------------------------------------------------------------- measuring


def received(emu: BotApiEmulator) -> Counter[int]:
    """Messages each subscriber received (the admin's progress messages aside)."""
    return Counter(
        e.message.chat_id
        for e in emu.events()
        if e.kind == "send" and e.message.chat_id != ADMIN_ID
    )


def sends(emu: BotApiEmulator) -> int:
    """sendMessage requests answered so far (cheap enough to poll)."""
    return len(emu.calls("sendMessage"))


@dataclass
class Kill:
    """What one SIGKILL left behind, from the emulator's and the database's side."""

    label: str
    delivered: int  # subscribers who had the message at the kill
    sent_rows: int  # outbox rows marked sent at the kill
    requeued: set[int]  # chats whose row was 'sending' (re-queued at the next start)
    in_flight: set[int]  # chats that got the message while their row was not marked sent
    unaccounted: dict[int, int] = field(default_factory=dict)  # chat → deliveries beyond 'sent'


def settle_after_kill(
    label: str, bot: BotProcess, emu: BotApiEmulator, db: Path, before: dict[int, int]
) -> Kill:
    """Kill the bot, let the emulator finish what it read, and compare both sides.

    `before` maps chat → deliveries the outbox did not account for after earlier kills; a chat
    whose count grew got a message its outbox row does not record: an in-flight send.
    """
    assert bot.kill() == -signal.SIGKILL
    emu.watchdog = None
    # A request the bot had fully written before it died is still answered (as by Telegram).
    emu.wait_until(lambda: emu.open_requests("sendMessage") == 0, 10, "open sends to end")
    got = received(emu)
    states = outbox_states(db)
    sent = {chat for chat, state in states.items() if state == "sent"}
    unaccounted = {c: n - (1 if c in sent else 0) for c, n in got.items()}
    unaccounted = {c: n for c, n in unaccounted.items() if n}
    return Kill(
        label,
        delivered=len(got),
        sent_rows=len(sent),
        requeued={chat for chat, state in states.items() if state == "sending"},
        in_flight={c for c, n in unaccounted.items() if n > before.get(c, 0)},
        unaccounted=unaccounted,
    )


def wait_for_sends(emu: BotApiEmulator, bot: BotProcess, count: int, timeout: float) -> None:
    """Poll (every few ms) until the emulator has answered `count` sendMessage requests."""
    deadline = time.monotonic() + timeout
    while sends(emu) < count:
        bot.check_alive()
        assert time.monotonic() < deadline, f"only {sends(emu)} of {count} sends arrived"
        time.sleep(0.01)


def wait_for_quiet_moment(emu: BotApiEmulator, bot: BotProcess, after: int) -> None:
    """Return between two paced sends (1/30 s apart) once `after` sends have been answered:
    no send open at the emulator and the last one answered 6-15 ms ago, so that the bot has
    recorded it and the next one is still ~20 ms away."""
    deadline = time.monotonic() + START_TIMEOUT
    last, changed = sends(emu), time.monotonic()
    while True:
        bot.check_alive()
        assert time.monotonic() < deadline, "no quiet moment between sends"
        count, now = sends(emu), time.monotonic()
        if count != last:
            last, changed = count, now
        elif (
            count >= after
            and 0.006 <= now - changed <= 0.015
            and emu.open_requests("sendMessage") == 0
        ):
            return
        time.sleep(0.0005)


def requeued_in_log(bot: BotProcess) -> int:
    """N of "Re-queued N messages that were in flight", 0 if the start re-queued nothing."""
    found = re.findall(r"Re-queued (\d+) messages that were in flight", bot.log())
    return int(found[0]) if found else 0


# --------------------------------------------------------------------------- the test


def test_kill_9_mid_broadcast_then_restart_delivers_to_every_subscriber_once(
    emulator: BotApiEmulator, launch: Callable[[str], BotProcess], db_path: Path
) -> None:
    emu = emulator
    asyncio.run(_seed(db_path))
    assert set(outbox_states(db_path).values()) == {"pending"}
    subscribers = range(FIRST_SUBSCRIBER, FIRST_SUBSCRIBER + SUBSCRIBERS)
    kills: list[Kill] = []

    # 1. full speed, SIGKILL at about 35 %: sends in flight
    first = launch(FAST_RATE)
    wait_for_sends(emu, first, 1, START_TIMEOUT)
    began = time.monotonic()
    wait_for_sends(emu, first, int(KILL_SHARE * SUBSCRIBERS), FINISH_TIMEOUT)
    fast_rate = (sends(emu) - 1) / (time.monotonic() - began)
    kills.append(settle_after_kill("mid-flight", first, emu, db_path, {}))

    # 2. paced at 30/s, SIGKILL between two sends; tried again if the moment was missed
    for attempt in range(1, QUIET_ATTEMPTS + 1):
        quiet = launch(QUIET_RATE)
        wait_for_quiet_moment(emu, quiet, after=sends(emu) + 15)
        kills.append(
            settle_after_kill(f"quiet #{attempt}", quiet, emu, db_path, kills[-1].unaccounted)
        )
        assert requeued_in_log(quiet) == len(kills[-2].requeued), quiet.log()
        if not kills[-1].in_flight:
            break

    # 3. the last start finishes the broadcast
    last = launch(FAST_RATE)
    deadline = time.monotonic() + FINISH_TIMEOUT
    while set(outbox_states(db_path).values()) & {"pending", "sending"}:
        last.check_alive()
        assert time.monotonic() < deadline, Counter(outbox_states(db_path).values())
        time.sleep(0.1)
    emu.wait_until(lambda: emu.open_requests("sendMessage") == 0, 10, "open sends to end")
    assert requeued_in_log(last) == len(kills[-1].requeued), last.log()

    got = received(emu)
    states = outbox_states(db_path)
    lost = [chat for chat in subscribers if got[chat] == 0]
    duplicates = sum(n - 1 for n in got.values() if n > 1)
    unaccounted = kills[-1].unaccounted
    print(
        f"broadcast to {SUBSCRIBERS}: {len(got)} subscribers reached, lost {len(lost)},"
        f" duplicates {duplicates}; emulator took {fast_rate:.0f} sends/s at rate {FAST_RATE}"
    )
    for kill in kills:
        print(
            f"  kill {kill.label}: {kill.delivered} delivered, {kill.sent_rows} rows sent,"
            f" {len(kill.requeued)} re-queued, {len(kill.in_flight)} in flight"
            f" (delivered, not recorded) → sent again"
        )

    assert lost == [], f"{len(lost)} subscribers never got the broadcast, e.g. {lost[:5]}"
    assert set(got) <= set(subscribers)
    assert Counter(states.values()) == {"sent": SUBSCRIBERS}
    texts = {e.message.text for e in emu.events() if e.kind == "send" and e.message.chat_id in got}
    assert texts == {html_to_text(TEXT)}

    # Every duplicate is a send that was in flight at a kill, and nothing else.
    assert {c: n - 1 for c, n in got.items() if n > 1} == unaccounted
    assert duplicates == sum(len(kill.in_flight) for kill in kills)
    for kill in kills:
        assert kill.in_flight <= kill.requeued, kill  # a re-queued row, sent again
        assert len(kill.in_flight) <= SENDERS, kill
        assert kill.sent_rows <= kill.delivered, kill  # marked sent only once Telegram had it
    assert 0.25 * SUBSCRIBERS <= kills[0].delivered <= 0.55 * SUBSCRIBERS, kills[0]
    assert kills[-1].in_flight == set(), (
        f"no quiet moment in {QUIET_ATTEMPTS} attempts: {[len(k.in_flight) for k in kills]}"
    )
    assert emu.errors == [], "\n".join(map(str, emu.errors))
