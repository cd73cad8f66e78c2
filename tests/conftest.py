"""Shared fixtures: settings, a clock, databases, and the real application on a fake Bot API."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import os
import shutil
import socket
import sys
from collections.abc import AsyncIterator, Generator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

import bot.app
import bot.services.privacy
from bot.app import build_application
from bot.config import Settings
from bot.context import App, BotData, Context
from bot.dispatcher import DrainReport, Pacer
from bot.offline.fake_api import FakeBotApi
from bot.offline.fake_user import FakeUser
from bot.places import PlaceIndex
from messages.privacy import Retention
from storage.db import Database
from storage.migrate import migrate

# --------------------------------------------------------------------------- the two tiers

# `make test-fast` runs `pytest -m "not process"`: the tests that start a process or a server
# (the bot as a subprocess, the HTTP emulator, an SMTP server, a webhook) carry the `process`
# marker. Every other test must stay in-process; the guard fails one that does not. Processes
# are seen through Python's audit events; a server through "socket.listen", which this module
# raises itself (Python audits bind, but probing a free port binds too).
PROCESS_EVENTS = frozenset(
    {
        "subprocess.Popen",
        "os.system",
        "os.posix_spawn",
        "os.spawn",
        "os.fork",
        "os.forkpty",
        "os.exec",
        "socket.listen",
    }
)


class TierGuard:
    """Notes, through an audit hook, the processes and listening sockets a test starts."""

    def __init__(self) -> None:
        self.watching = False
        self.seen: list[str] = []

    def hook(self, event: str, args: tuple[object, ...]) -> None:
        """The audit hook (cheap for every other event)."""
        if self.watching and event in PROCESS_EVENTS:
            self.seen.append(f"{event} {args!r:.160}")

    def watch(self, unmarked: bool) -> None:
        """Start a test: watch it if it is not marked `process`."""
        self.watching, self.seen = unmarked, []

    def verdict(self, nodeid: str) -> str | None:
        """What is wrong with the test, if it started something while watched."""
        if not self.seen:
            return None
        return (
            f"{nodeid} started a process or a server but is not marked "
            f"@pytest.mark.process (make test-fast runs in-process tests only): "
            + "; ".join(self.seen[:3])
        )


_listen = socket.socket.listen


def _audited_listen(self: socket.socket, *backlog: int) -> None:
    sys.audit("socket.listen", self, *backlog)
    _listen(self, *backlog)


socket.socket.listen = _audited_listen  # type: ignore[method-assign, assignment]
TIER_GUARD = TierGuard()
sys.addaudithook(TIER_GUARD.hook)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """Watch every unmarked test from its fixtures' set-up on."""
    TIER_GUARD.watch(item.get_closest_marker("process") is None)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, None, None]:
    """Fail an unmarked test that started a process or bound a socket."""
    result = yield
    problem = TIER_GUARD.verdict(item.nodeid)
    TIER_GUARD.watch(False)
    if problem:
        pytest.fail(problem, pytrace=False)
    return result


# Fixtures of the process tests: the HTTP Bot API emulator (`emulator`, `launch`, …) and a local
# SMTP server (`smtp`).
pytest_plugins = ["stories.processes", "stories.mail"]

TOKEN = "123456:TEST-TOKEN-abcdefghij"
EMU_TOKEN = "123456:EMU-TOKEN-abcdefgh"  # the token the HTTP emulator (botapi_server) accepts
ADMIN_ID = 900001


class FakeClock:
    """A settable clock; tests move time instead of sleeping."""

    def __init__(self, start: dt.datetime) -> None:
        self.now = start

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        """Move time forward."""
        self.now += dt.timedelta(**delta)


class Ticks:
    """A monotonic clock for Telegram's pauses; sleeping only moves it."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    """2026-11-25 10:00 UTC, movable."""
    return FakeClock(dt.datetime(2026, 11, 25, 10, 0, tzinfo=dt.UTC))


@pytest.fixture
async def db() -> AsyncIterator[Database]:
    """An empty, migrated in-memory database."""
    database = await Database.open(":memory:")
    await migrate(database)
    yield database
    await database.close()


@pytest.fixture(scope="session")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database file with the shipped data, built once per test session."""
    import asyncio

    from bot.app import prepare_database

    path = tmp_path_factory.mktemp("template") / "ideenlabor.sqlite3"

    async def build() -> None:
        database = await Database.open(path)
        await prepare_database(database)
        await database.close()

    asyncio.run(build())
    return path


@pytest.fixture
def db_path(tmp_path: Path, template_db: Path) -> Path:
    """A fresh copy of the database with the shipped data."""
    target = tmp_path / "ideenlabor.sqlite3"
    shutil.copy(template_db, target)
    return target


@pytest.fixture
def settings(db_path: Path) -> Settings:
    """Settings for tests: no .env file, a test token, one admin."""
    return make_settings(db_path)


def make_settings(db_path: Path, **env: Any) -> Settings:
    """The test settings (no .env file, a test token, one admin) with some variables changed."""
    return Settings(
        _env_file=None,
        TELEGRAM_BOT_TOKEN=TOKEN,
        IDEENLABOR_DB=db_path,
        IDEENLABOR_ADMINS=str(ADMIN_ID),
        **env,
    )


# --------------------------------------------------------------------------- shared start-up

# Every harness starts the application as production does (post_init included). Two of its
# steps build the same immutable things again and again from the same inputs; the test session
# builds each once. The place index (about half of a start) is shared between databases with
# the same bytes (a fresh copy of the template, whoever copied it), which are read only when the
# write-ahead log is empty, so identical bytes mean identical places. A changed database builds
# its own index, as in production.
_build_places = bot.app.refresh_places
_places_by_content: dict[bytes, PlaceIndex] = {}


def database_digest(path: Path) -> bytes | None:
    """A digest of an SQLite file that holds all its data (no write-ahead log), else None."""
    wal = path.with_name(path.name + "-wal")
    if not path.is_file() or (wal.exists() and wal.stat().st_size > 0):
        return None
    return hashlib.blake2b(path.read_bytes(), digest_size=16).digest()


async def refresh_places_once(data: BotData) -> None:
    """bot.app.refresh_places, built once per database content."""
    before = database_digest(Path(data.settings.db_path))
    if before is not None and before in _places_by_content:
        data.places = _places_by_content[before]
        return
    await _build_places(data)
    if before is not None and database_digest(Path(data.settings.db_path)) == before:
        _places_by_content[before] = data.places


@functools.cache
def _notice_parts_once(language: str, template: str, retention: Retention) -> tuple[str, ...]:
    return tuple(_notice_parts(language, template, retention))


def notice_parts_once(language: str, template: str, retention: Retention) -> list[str]:
    """messages.privacy.notice_parts (a pure function of its arguments), computed once."""
    return list(_notice_parts_once(language, template, retention))


_notice_parts = bot.services.privacy.notice_parts


@pytest.fixture(scope="session", autouse=True)
def shared_start_up() -> Iterator[None]:
    """Application starts in this session share the place index and the privacy notices."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(bot.app, "refresh_places", refresh_places_once)
        patch.setattr(bot.services.privacy, "notice_parts", notice_parts_once)
        yield


os.environ.setdefault("PTB_TIMEDELTA", "1")  # RetryAfter.retry_after as timedelta, no warning


@dataclass
class Harness:
    """The real application on a fake Bot API, with the errors its handlers raised."""

    app: App
    api: FakeBotApi
    errors: list[BaseException]
    clock: FakeClock

    def user(
        self, user_id: int = 4711, first_name: str = "Erika", language_code: str = "de"
    ) -> FakeUser:
        """A person talking to the bot in a private chat."""
        return FakeUser(
            self.app, self.api, user_id=user_id, first_name=first_name, language_code=language_code
        )

    def admin(self) -> FakeUser:
        """The admin configured in the test settings."""
        return self.user(user_id=ADMIN_ID, first_name="Ada")

    @property
    def data(self) -> BotData:
        """The application's bot data (repositories)."""
        return self.app.bot_data

    async def deliver(self) -> DrainReport:
        """Run the dispatcher once: due reminders fanned out, due outbox messages sent."""
        return await self.data.dispatcher.drain()


@asynccontextmanager
async def running(
    settings: Settings, clock: FakeClock, api: FakeBotApi | None = None
) -> AsyncIterator[Harness]:
    """Build the app as production does, run post_init, yield, shut down."""
    api = api or FakeBotApi()
    app = build_application(settings, request=api, clock=clock)
    errors: list[BaseException] = []

    async def collect(update: object, context: Context) -> None:
        if context.error is not None:
            errors.append(context.error)

    app.add_error_handler(collect)
    await app.initialize()
    assert app.post_init is not None
    await app.post_init(app)
    # Tests do not wait for Telegram's pace; the pacer itself is tested on its own. Pauses
    # Telegram asks for are shared by the replies and the dispatcher, as in production, and
    # waited for on a clock that sleeping moves (read it as `harness.data.flood.monotonic()`).
    ticks = Ticks()
    flood = app.bot_data.flood
    flood.monotonic, flood.sleep = ticks, ticks.sleep
    app.bot_data.dispatcher.pacer = Pacer(
        rate=None, per_chat=0.0, monotonic=ticks, sleep=ticks.sleep, flood=flood
    )
    try:
        yield Harness(app, api, errors, clock)
    finally:
        assert app.post_shutdown is not None
        await app.post_shutdown(app)
        await app.shutdown()


@asynccontextmanager
async def checked(settings: Settings, clock: FakeClock) -> AsyncIterator[Harness]:
    """`running`; fails the test if a handler raised or the fake rejected a call."""
    async with running(settings, clock) as h:
        yield h
        assert h.errors == [], h.errors
        h.api.assert_no_errors()


@pytest.fixture
async def harness(settings: Settings, clock: FakeClock) -> AsyncIterator[Harness]:
    """The running bot; fails the test if a handler raised or the fake rejected a call."""
    async with checked(settings, clock) as h:
        yield h
