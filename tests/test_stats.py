"""Statistics: the numbers, /statistik with its chart for admins only, `ideenlabor stats`."""

from __future__ import annotations

import asyncio
import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main
from bot.stats import Series, render_bars
from storage.db import Database
from storage.stats import StatsRepository
from storage.timeutil import to_db

from conftest import Harness
from stories.stats import populate

ROOT = Path(__file__).resolve().parent.parent


async def test_collect_counts_everything(harness: Harness) -> None:
    now = harness.clock()
    await populate(harness.data.db, now)
    stats = await StatsRepository(harness.data.db).collect(now)
    assert (stats.users, stats.blocked, stats.active_7d, stats.active_30d) == (3, 1, 1, 2)
    assert stats.comments == {"pending": 1, "approved": 2, "rejected": 1, "hidden": 1, "deleted": 0}
    assert (stats.ratings, stats.interest, stats.subscribers) == (1, 2, 2)
    assert stats.ideas > 0 and len(stats.regions) == 16
    koeln = next(r for r in stats.regions if r.name == "NiederRhein")
    assert (koeln.comments, koeln.interest, koeln.subscribers) == (2, 2, 2)
    assert sum(r.comments for r in stats.regions) == 2
    assert stats.upcoming_total == 2
    assert [(w.title, w.confirmed, w.capacity) for w in stats.upcoming] == [
        ("Labor soon", 1, 20),
        ("Labor later", 0, 20),
    ]


async def test_admin_gets_numbers_and_a_chart(harness: Harness) -> None:
    await populate(harness.data.db, harness.clock())
    admin = harness.admin()
    await admin.command("statistik")
    text, photo = admin.messages[-2:]
    assert "Statistik" in text.text and "Aktiv in 7 Tagen: 2" in text.text  # with the admin
    assert "NiederRhein: 2 · 2 · 2" in text.text
    assert "Labor soon" in text.text and "angemeldet: 1 von 20" in text.text
    assert photo.photo is not None and photo.photo.content.startswith(b"\x89PNG")
    assert "nach Region" in photo.text
    assert len(harness.api.calls_to("sendPhoto")) == 1


async def test_english_admin(harness: Harness) -> None:
    await populate(harness.data.db, harness.clock())
    admin = harness.user(user_id=900001, first_name="Ada", language_code="en")
    await admin.command("statistics")
    assert "Statistics" in admin.messages[-2].text
    assert "by region" in admin.messages[-1].text


async def test_no_participation_yet_is_said_in_words_not_sixteen_rows_of_zeros(
    harness: Harness,
) -> None:
    admin = harness.admin()
    await admin.command("statistik")
    text = admin.last.text
    assert "Statistik" in text and ": 0 · 0 · 0" not in text and "Rhein-Erft" not in text
    assert (
        "Nach Region: noch keine Kommentare, Interessensbekundungen oder Abos. Sobald sich"
        " Bürgerinnen und Bürger beteiligen, steht hier für jede Region, wie viele es sind,"
        " und ein Diagramm zeigt Kommentare und Interessensbekundungen im Vergleich." in text
    )
    assert harness.api.calls_to("sendPhoto") == []  # no chart of empty bars
    ada = harness.user(user_id=900001, first_name="Ada", language_code="en")
    await ada.command("statistics")
    assert "By region: no comments, expressions of interest or subscriptions yet." in ada.last.text
    assert harness.api.calls_to("sendPhoto") == []


async def test_only_subscriptions_list_the_regions_without_a_chart(harness: Harness) -> None:
    region = await harness.data.db.fetchone("SELECT id FROM regions WHERE slug = 'niederrhein'")
    assert region
    erika = harness.user()
    await erika.command("start")
    await harness.data.db.execute(
        "INSERT INTO region_subscriptions (region_id, user_id, created_at) VALUES (?, 4711, ?)",
        (region["id"], to_db(harness.clock())),
    )
    admin = harness.admin()
    await admin.command("statistik")
    assert "NiederRhein: 0 · 0 · 1" in admin.last.text
    assert "Ein Diagramm der Kommentare und Interessensbekundungen folgt" in admin.last.text
    assert harness.api.calls_to("sendPhoto") == []


async def test_others_are_refused(harness: Harness) -> None:
    erika = harness.user()
    await erika.command("statistik")
    assert "Statistik" not in erika.last.text
    assert harness.api.calls_to("sendPhoto") == []


def test_chart_is_a_png_even_without_data() -> None:
    png = render_bars("Leer", ["A", "Bergisches Städtedreieck"], [Series("x", (0, 0, 0), [0, 0])])
    assert png.startswith(b"\x89PNG")


@pytest.mark.process
def test_pillow_is_not_loaded_by_the_bot_until_a_chart_is_drawn() -> None:
    code = (
        "import sys, bot.app, handlers.statistics, bot.stats, bot.cli; "
        "print('PIL' in sys.modules, 'matplotlib' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "False False"


async def _populated(db_path: Path) -> None:
    db = await Database.open(db_path)
    try:
        await populate(db, dt.datetime.now(dt.UTC))
    finally:
        await db.close()


def test_cli_prints_a_table(
    db_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("IDEENLABOR_DB", str(db_path))
    assert main(["stats"]) == 0
    out = capsys.readouterr().out
    assert "active in 7 / 30 days" in out and "Region Köln" not in out  # nothing by region yet
    assert (
        "by region: no comments, interest registrations or region subscriptions yet (a table"
        " per region appears here once citizens take part)" in out
    )
    asyncio.run(_populated(db_path))
    assert main(["stats"]) == 0
    out = capsys.readouterr().out
    assert "Region Köln" in out and "subscribers" in out and "no comments" not in out
    monkeypatch.setenv("IDEENLABOR_DB", str(tmp_path / "none.sqlite3"))
    assert main(["stats"]) == 1
    assert "does not exist" in capsys.readouterr().err
    assert not (tmp_path / "none.sqlite3").exists()


async def test_the_fake_api_takes_only_images_as_photos(harness: Harness) -> None:
    from telegram.error import BadRequest

    harness.user()  # a known chat
    with pytest.raises(BadRequest, match=r"(?i)image_process_failed"):
        await harness.app.bot.send_photo(4711, b"just text, no image")
    tall = render_bars("x", [str(n) for n in range(400)], [Series("x", (0, 0, 0), [1] * 400)])
    with pytest.raises(BadRequest, match=r"(?i)photo_invalid_dimensions"):
        await harness.app.bot.send_photo(4711, tall)
    harness.api.errors.clear()  # provoked on purpose


def test_cli_wants_a_migrated_database(
    db_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    import sqlite3

    conn = sqlite3.connect(db_path)
    conn.execute(
        "DELETE FROM schema_migrations WHERE version = (SELECT MAX(version) FROM schema_migrations)"
    )
    conn.commit()
    conn.close()
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("IDEENLABOR_DB", str(db_path))
    assert main(["stats"]) == 1
    assert "run: ideenlabor migrate" in capsys.readouterr().err
