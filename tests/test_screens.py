"""Shared screens are rendered once and shown again, but never after the data changed."""

from __future__ import annotations

import datetime as dt
import sqlite3

from bot.screens import ScreenCache
from storage.db import Database

from conftest import Harness
from stories.browse import add_ideas


def _region_button(labels: list[str], name: str) -> str:
    return next(label for label in labels if label.startswith(name))


async def test_the_same_screen_is_shown_again_from_the_cache(harness: Harness) -> None:
    await add_ideas(harness, "muensterland", 3)
    erika, max_ = harness.user(), harness.user(4712, "Max")
    await erika.command("start")
    await max_.command("start")  # the first update of a day records the user: a write
    await erika.command("regionen")
    hits = harness.data.screens.hits
    await max_.command("regionen")
    assert harness.data.screens.hits == hits + 1
    assert max_.last.text == erika.last.text
    assert max_.last.button_labels() == erika.last.button_labels()
    await erika.tap(_region_button(erika.last.button_labels(), "Münsterland"))
    await max_.tap(_region_button(max_.last.button_labels(), "Münsterland"))
    assert harness.data.screens.hits == hits + 2
    assert max_.last.text == erika.last.text
    assert max_.last.button_labels()[:3] == ["Idee Nummer 2", "Idee Nummer 1", "Idee Nummer 0"]


async def test_each_language_has_its_own_screen(harness: Harness) -> None:
    await harness.user().command("regionen")
    english = harness.user(4713, "Ann", "en")
    await english.command("regions")
    assert "Regions" in english.last.text or "region" in english.last.text.lower()
    assert english.last.text != harness.user().last.text


async def test_a_write_by_the_bot_shows_at_once(harness: Harness) -> None:
    user = harness.user()
    await user.command("regionen")
    before = _region_button(user.last.button_labels(), "Münsterland")
    await add_ideas(harness, "muensterland", 2)  # through the bot's own connection
    await user.command("regionen")
    after = _region_button(user.last.button_labels(), "Münsterland")
    assert before != after
    count = int(before.rsplit("(", 1)[1].rstrip(")"))
    assert after.endswith(f"({count + 2})")


async def test_a_write_by_another_process_shows_at_once(harness: Harness) -> None:
    """E.g. `ideenlabor import` while the bot runs: another connection to the file."""
    await add_ideas(harness, "muensterland", 1)
    user = harness.user()
    await user.command("regionen")
    await user.tap(_region_button(user.last.button_labels(), "Münsterland"))
    assert user.last.button_labels()[0] == "Idee Nummer 0"
    other = sqlite3.connect(harness.data.settings.db_path)
    with other:
        other.execute(
            "INSERT INTO ideas (slug, title, region_id, summary, body, published_on,"
            " created_at, updated_at) SELECT 'neu', 'Ganz neue Idee', id, '', '', '2027-01-01',"
            " '2026-11-25T10:00:00Z', '2026-11-25T10:00:00Z' FROM regions"
            " WHERE slug = 'muensterland'"
        )
    other.close()
    await user.command("regionen")
    await user.tap(_region_button(user.last.button_labels(), "Münsterland"))
    assert user.last.button_labels()[0] == "Ganz neue Idee"


async def test_no_cache_without_a_read_connection() -> None:
    db = await Database.open(":memory:")
    try:
        screens: ScreenCache[str] = ScreenCache(db)
        assert screens.get("k") is None
        screens.put("k", "text", "markup")
        assert screens.get("k") is None  # nothing can tell when an in-memory database changed
    finally:
        await db.close()


async def test_a_screen_rendered_across_a_write_is_not_kept(harness: Harness) -> None:
    screens: ScreenCache[str] = ScreenCache(harness.data.db)
    assert screens.get("k") is None
    await harness.data.db.execute("UPDATE regions SET name = name || '!'")  # a commit between
    screens.put("k", "stale", "markup")
    assert screens.get("k") is None
    screens.put("k", "fresh", "markup")
    assert screens.get("k") == ("fresh", "markup")


async def test_a_screen_that_depends_on_the_time_goes_out_of_date(harness: Harness) -> None:
    screens: ScreenCache[str] = ScreenCache(harness.data.db)
    now = harness.clock()
    assert screens.get("page", now) is None  # the first look notes the data version
    screens.put("page", "next date: today 12:00", "kb", until=now + dt.timedelta(hours=2))
    screens.put("list", "no date in it", "kb")
    assert screens.get("page", now + dt.timedelta(hours=1)) == ("next date: today 12:00", "kb")
    assert screens.get("page", now + dt.timedelta(hours=2)) is None  # that date is over
    assert screens.get("page") is None  # asked without the time: not trusted
    assert screens.get("list", now + dt.timedelta(days=9)) == ("no date in it", "kb")
