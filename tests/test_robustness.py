"""Bad input and Telegram failures: a clear answer, nothing crashes, nothing is lost."""

from __future__ import annotations

import logging

import pytest

from bot.config import Settings
from bot.importfile import shipped_bundle
from bot.offline.fake_user import UpdateFactory
from messages import actions as cb

from conftest import FakeClock, Harness, running
from stories.browse import import_ideas

STALE = "Diese Schaltfläche ist nicht mehr gültig."


@pytest.mark.parametrize(
    "data",
    [
        "garbage",
        "1|ri|999999|0",  # a region that does not exist
        "1|i|424242|r|1|0",  # an idea that does not exist
        "1|ci|999|0",
        "0|m",  # an old format version
        "1|ri|1",  # missing field
        "1|l|fr",  # unsupported language
        "1|zz|1",
    ],
)
async def test_stale_or_forged_buttons_get_a_short_answer_and_the_menu(
    harness: Harness, data: str
) -> None:
    user = harness.user()
    await user.command("start")
    await user.tap_data(data)
    assert "Hauptmenü" in user.last.text
    assert "🗺 Ideen nach Region" in user.last.button_labels()
    answers = [a.text for a in user.answers]
    assert answers == [STALE] or user.last.text.startswith("Das gibt es leider nicht mehr")


async def test_button_of_an_idea_deleted_meanwhile(harness: Harness) -> None:
    user = harness.user()
    await user.command("start", "region_niederrhein")
    await harness.data.db.execute("DELETE FROM ideas WHERE slug = 'we-make-you-sexy-niederrhein'")
    await user.tap("We make you sexy, NiederRhein")
    assert user.last.text.startswith("Das gibt es leider nicht mehr. Hier ist das Hauptmenü.")


async def test_non_text_messages_get_a_prompt(harness: Harness) -> None:
    user = harness.user()
    for send in (user.send_sticker, user.send_photo, user.send_voice):
        await send()
        assert user.last.text.startswith("Damit kann ich leider nichts anfangen")
        assert "🗺 Ideen nach Region" in user.last.button_labels()
    assert len(user.messages) == 3


async def test_unknown_command_is_explained(harness: Harness) -> None:
    user = harness.user()
    await user.send("/gibtsnicht@IdeenlaborBot foo")
    assert user.last.text == (
        "Den Befehl /gibtsnicht@IdeenlaborBot kenne ich nicht. "
        "Unter /hilfe finden Sie alle Befehle."
    )


async def test_groups_get_a_pointer_to_the_private_chat_and_channels_are_ignored(
    harness: Harness,
) -> None:
    factory = UpdateFactory(harness.api)
    person = factory.user(user_id=777, first_name="Gruppe")
    user = harness.user(user_id=777)
    await user.process(factory.group_message(person, "/start"))
    group_messages = harness.api.messages(-4242)
    assert len(group_messages) == 1
    assert "Ich bin nur im privaten Chat für Sie da" in group_messages[0].text
    assert "https://t.me/IdeenlaborBot" in group_messages[0].text
    await user.process(factory.group_message(person, "Dortmund ist schön"))  # chatter: ignored
    await user.process(factory.channel_post("Neuigkeiten"))
    assert len(harness.api.messages(-4242)) == 1
    assert sorted(harness.api.sent) == [-4242]  # nothing went anywhere else


async def test_edited_messages_are_ignored(harness: Harness) -> None:
    user = harness.user()
    original = await user.send("Dortmund")
    before = len(harness.api.sent)
    await user.edit(original, "Köln")
    assert len(harness.api.sent) == before


async def test_navigation_on_a_deleted_message_sends_a_new_one(harness: Harness) -> None:
    user = harness.user()
    await user.command("start")
    menu = user.last
    await harness.app.bot.delete_message(menu.chat_id, menu.message_id)
    await user.tap_data(cb.RegionList().encode(), message=menu)
    assert user.last.message_id != menu.message_id
    assert user.last.text.startswith("Ideen nach Region")
    harness.api.errors.clear()  # the failed edit was expected


async def test_a_failing_handler_apologises_and_the_bot_keeps_running(
    harness: Harness, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    async def broken(*args: object) -> None:
        raise RuntimeError("database on fire")

    user = harness.user()
    monkeypatch.setattr(harness.data.ideas, "challenges", broken)
    with caplog.at_level(logging.ERROR):
        await user.command("herausforderungen")
    assert user.last.text == (
        "Entschuldigung, da ist etwas schiefgegangen. Bitte versuchen Sie es gleich noch einmal."
    )
    assert "Error while handling update" in caplog.text
    monkeypatch.undo()
    harness.errors.clear()
    await user.command("herausforderungen")
    assert user.last.text.startswith("Ideen nach Herausforderung")


async def test_user_who_blocked_the_bot_does_not_crash_it(harness: Harness) -> None:
    user = harness.user()
    harness.api.block(user.user_id)
    await user.command("start")
    assert harness.api.messages(user.user_id) == []
    assert len(harness.errors) == 1 and "blocked" in str(harness.errors[0])
    harness.errors.clear()
    harness.api.errors.clear()
    harness.api.unblock(user.user_id)
    await user.command("start")
    assert user.last.text.startswith("Willkommen")


@pytest.mark.parametrize("failure", ["timeout", "retry_after", "server_error"])
async def test_telegram_failures_are_handled(harness: Harness, failure: str) -> None:
    user = harness.user()
    if failure == "timeout":
        harness.api.timeout_next("sendMessage")
    elif failure == "retry_after":
        harness.api.fail_next("sendMessage", status=429, retry_after=3)
    else:
        harness.api.fail_next("sendMessage", status=500, description="Internal Server Error")
    await user.command("start")
    if failure == "timeout":  # maybe delivered: not sent again (bot.flood), but apologised for
        assert len(harness.errors) == 1  # logged by the error handler
        assert user.last.text.startswith("Entschuldigung, da ist etwas schiefgegangen.")
    else:  # tried again after a pause: the user gets the welcome, once
        assert harness.errors == []
        assert [t for t in user.texts() if t.startswith("Willkommen")] == [user.last.text]
    harness.errors.clear()
    harness.api.errors.clear()
    await user.command("start")
    assert user.last.text.startswith("Willkommen")


async def test_restart_keeps_all_data(settings: Settings, clock: FakeClock) -> None:
    async with running(settings, clock) as first:
        await import_ideas(first, {"slug": "bleibt", "title": "Bleibt", "region": "koeln"})
        await first.user().command("start")
    async with running(settings, clock) as second:
        user = second.user()
        await user.command("start", "idea_bleibt")
        assert user.last.text.startswith("Bleibt")
        assert await second.data.users.count() == 1
        assert await second.data.ideas.count() == len(shipped_bundle().ideas) + 1
