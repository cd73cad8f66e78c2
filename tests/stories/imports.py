"""Story steps of `ideenlabor import` (files, the environment), shared by several test modules."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.cli import main
from storage.db import Database
from storage.models import Reminder, Workshop
from storage.workshops import WorkshopRepository

NOW = dt.datetime(2027, 5, 1, 12, 0, tzinfo=dt.UTC)


def command_line(monkeypatch: pytest.MonkeyPatch, folder: Path, db: Path) -> Path:
    """`ideenlabor ...` (bot.cli.main) as an operator runs it: in folder (no developer's .env
    there), without the developer's TELEGRAM_* / IDEENLABOR_* settings, on the database db."""
    for name in [n for n in os.environ if n.startswith(("TELEGRAM_", "IDEENLABOR_"))]:
        monkeypatch.delenv(name)
    monkeypatch.chdir(folder)
    monkeypatch.setenv("IDEENLABOR_DB", str(db))
    return db


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The command line with a database in tmp, Berlin time, the default reminders, and a fixed
    "now"."""
    monkeypatch.setattr("bot.cli.utc_now", lambda: NOW)
    return command_line(monkeypatch, tmp_path, tmp_path / "import.sqlite3")


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


def refused(path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    """`ideenlabor import path` refuses the whole file: what it wrote to stderr."""
    assert main(["import", str(path)]) == 1
    err = capsys.readouterr().err
    assert "nothing was changed" in err, err
    return err


@pytest.fixture
def refused_entry(
    env: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> Callable[[dict[str, object]], str]:
    """`refused_entry(entry)`: a file of a valid workshop and then entry is refused as a whole
    (not even the valid one is stored); what the import wrote to stderr."""

    def attempt(entry: dict[str, object]) -> str:
        err = refused(write(tmp_path, workshop(slug="gueltig"), entry), capsys)
        assert stored(env) == []  # all or nothing
        return err

    return attempt


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
