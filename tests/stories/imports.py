"""Story steps of `ideenlabor import` (files, the environment), shared by several test modules."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from pathlib import Path

import pytest

from storage.db import Database
from storage.models import Reminder, Workshop
from storage.workshops import WorkshopRepository

NOW = dt.datetime(2027, 5, 1, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A database in tmp, Berlin time, the default reminders, and a fixed "now"."""
    for name in ("IDEENLABOR_TIMEZONE", "IDEENLABOR_REMINDERS", "IDEENLABOR_ADMINS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    db = tmp_path / "import.sqlite3"
    monkeypatch.setenv("IDEENLABOR_DB", str(db))
    monkeypatch.setattr("bot.cli.utc_now", lambda: NOW)
    return db


def workshop(**fields: object) -> dict[str, object]:
    """One workshop entry of an import file."""
    return {
        "slug": "koeln-mai",
        "region": "koeln",
        "title": "Gute Arbeit in Köln",
        "starts_at": "2027-05-12T14:00",
        "ends_at": "2027-05-12T18:00",
        "venue": "Rathaus",
        "registration_url": "https://example.org/anmeldung",
        "capacity": 30,
        **fields,
    }


def write(tmp: Path, *workshops: dict[str, object]) -> Path:
    path = tmp / "termine.json"
    path.write_text(json.dumps({"workshops": list(workshops)}), encoding="utf-8")
    return path


def stored(db: Path) -> list[tuple[Workshop, list[Reminder]]]:
    """Every workshop of the imports in the database (not the shipped past ones), with its
    reminder rows."""
    if not db.exists():
        return []

    async def read() -> list[tuple[Workshop, list[Reminder]]]:
        database = await Database.open(db)
        try:
            repo = WorkshopRepository(database)
            rows = await database.fetchall(
                "SELECT slug FROM workshops WHERE shipped = 0 ORDER BY id"
            )
            out = []
            for row in rows:
                found = await repo.get_by_slug(row["slug"])
                assert found is not None
                out.append((found, await repo.reminders_of(found.id)))
            return out
        finally:
            await database.close()

    return asyncio.run(read())
