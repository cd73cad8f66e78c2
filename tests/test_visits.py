"""Visits: who used the bot, and on which day last, recorded once a day before any feature."""

from __future__ import annotations

import datetime as dt

from telegram import Update

from bot.context import CONTEXT_TYPES
from bot.offline.fake_user import UpdateFactory
from handlers.common import language_of
from storage.models import User

from conftest import Harness


async def stored(h: Harness, user_id: int) -> User | None:
    """The person's row, as the database has it now."""
    return await h.data.users.get(user_id)


async def test_the_first_message_creates_the_person_and_a_day_is_written_once(
    harness: Harness,
) -> None:
    erika = harness.user(4711)
    await erika.send("Dortmnd")  # a near miss: the region finder answers, nothing else writes
    first = await stored(harness, 4711)
    assert first is not None and first.first_seen == first.last_seen == harness.clock()
    harness.clock.advance(hours=1)
    await erika.tap("« Hauptmenü")
    same_day = await stored(harness, 4711)
    assert same_day is not None and same_day.last_seen == first.last_seen  # one write a day
    harness.clock.advance(days=1)
    await erika.tap("🗺 Ideen nach Region")
    next_day = await stored(harness, 4711)
    assert next_day is not None and next_day.last_seen == harness.clock()
    assert next_day.first_seen == first.first_seen


async def test_group_chatter_is_no_visit_but_a_command_there_is(harness: Harness) -> None:
    factory = UpdateFactory(harness.api)
    person = factory.user(user_id=777, first_name="Gruppe")
    user = harness.user(user_id=777)
    await user.process(factory.group_message(person, "Dortmund ist schön"))
    assert await stored(harness, 777) is None  # nobody's use of the bot: nothing stored
    await user.process(factory.group_message(person, "Hallo @IdeenlaborBot"))
    assert await stored(harness, 777) is not None


async def test_asking_for_the_language_writes_nothing(harness: Harness) -> None:
    erika = harness.user(4711)
    await erika.command("start")
    harness.clock.advance(days=2)
    before = await stored(harness, 4711)
    update = UpdateFactory(harness.api).text_message(erika.user, "Köln", erika.chat)
    parsed = Update.de_json(update, harness.app.bot)
    context = CONTEXT_TYPES.context.from_update(parsed, harness.app)
    assert await language_of(parsed, context) == "de"
    assert await stored(harness, 4711) == before
    assert before is not None and before.last_seen < harness.clock() - dt.timedelta(days=1)
