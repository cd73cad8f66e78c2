"""Shared fixtures: settings, a clock, databases, and the real application on a fake Bot API."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.config import Settings
from storage.db import Database
from storage.migrate import migrate

TOKEN = "123456:TEST-TOKEN-abcdefghij"
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
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        TELEGRAM_BOT_TOKEN=TOKEN,
        IDEENLABOR_DB=db_path,
        IDEENLABOR_ADMINS=str(ADMIN_ID),
    )
