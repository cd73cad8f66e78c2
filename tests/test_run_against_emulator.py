"""The real `ideenlabor run` process against a Bot API emulator reached over HTTP.

Nothing here goes through the in-process fake: the bot is started as a subprocess exactly as an
operator starts it, finds "Telegram" through TELEGRAM_API_BASE_URL, and talks to it with
python-telegram-bot's own HTTP client. A new user's session is driven through the emulator and
checked at every step; then the bot is killed hard (SIGKILL), restarted against the same
database, checked again, and finally stopped cleanly (SIGTERM).
"""

from __future__ import annotations

import re
import signal
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from botapi_server import BotApiEmulator, BotMessage

from stories.processes import (
    MAIN_MENU_DE,
    REPO,
    STEP_TIMEOUT,
    TOKEN,
    USER,
    BotProcess,
    clean_env,
    has_menu,
    run_python,
    stop_cleanly,
)

pytestmark = pytest.mark.process  # starts the bot or a server (see conftest.py)

MAIN_MENU_EN = [
    "🗺 Ideas by region",
    "🎯 Ideas by challenge",
    "📍 Find my region",
    "🌐 Sprache / Language",
    "❓ Help",
]
IDEA = "We make you sexy, NiederRhein"


def regions_of(message: BotMessage) -> list[str]:
    """The region buttons of the region list (not 'without region', not navigation)."""
    return [
        label
        for label in message.labels()
        if label.endswith(")") and not label.startswith(("Ohne", "No region"))
    ]


def test_new_user_session_survives_sigkill_and_restart(
    emulator: BotApiEmulator, launch: Callable[[], BotProcess]
) -> None:
    emu = emulator
    emu.user(USER, "Erika", language_code="de")
    first = launch()

    # /start: welcome and the main menu
    emu.push_command(USER, "start")
    welcome = emu.wait_for(USER, "Willkommen beim Ideenlabor-Bot!", STEP_TIMEOUT)
    assert welcome.text.startswith("Willkommen beim Ideenlabor-Bot!")
    # Below it, once: the news offer (issue 14); declined, it keeps no buttons.
    offer = emu.wait_for(USER, lambda m: m.text.startswith("📰 Neuigkeiten"), STEP_TIMEOUT)
    emu.tap(USER, "Nein, danke", message=offer)
    emu.wait_for(USER, lambda m: m.text.startswith("In Ordnung"), STEP_TIMEOUT)
    assert "Ideenlandkarte 4.0" in welcome.text
    assert "<b>" not in welcome.text  # HTML was parsed, the user sees no tags
    assert has_menu(welcome, MAIN_MENU_DE), welcome.labels()

    # the regions, edited into the same message
    emu.tap(USER, "🗺 Ideen nach Region")
    regions = emu.wait_for(USER, lambda m: m.text.startswith("Ideen nach Region"), STEP_TIMEOUT)
    assert regions.message_id == welcome.message_id and regions.edits == 1
    assert len(regions_of(regions)) == 16, regions.labels()
    assert "NiederRhein (6)" in regions.labels()  # the shipped data
    assert "Ohne Regionsangabe (1)" in regions.labels()

    # a region, then its idea
    emu.tap(USER, "NiederRhein (6)")
    region = emu.wait_for(USER, lambda m: m.text.startswith("NiederRhein"), STEP_TIMEOUT)
    assert region.message_id == welcome.message_id
    assert "6 Ideen" in region.text
    assert IDEA in region.labels()
    emu.tap(USER, IDEA)
    idea = emu.wait_for(USER, lambda m: m.text.startswith(IDEA), STEP_TIMEOUT)
    assert idea.message_id == welcome.message_id
    assert "Region: NiederRhein" in idea.text
    assert "« Zurück zur Liste" in idea.labels()

    # typed places and postcodes
    emu.push_message(USER, "Lünen")
    found = emu.wait_for(USER, lambda m: True, STEP_TIMEOUT, kinds=["send"])
    assert found.text == "Ihre Region für Lünen (Kreis Unna): Westfälisches Ruhrgebiet"
    assert found.labels() == ["Ideen: Westfälisches Ruhrgebiet (3)", "« Hauptmenü"]
    emu.push_message(USER, "57319")
    found = emu.wait_for(USER, lambda m: True, STEP_TIMEOUT, kinds=["send"])
    assert found.text == (
        "Ihre Region für die Postleitzahl 57319 (Bad Berleburg): Siegen-Wittgenstein/Olpe"
    )

    # /sprache → English
    emu.push_command(USER, "sprache")
    chooser = emu.wait_for(USER, lambda m: m.labels() == ["✓ Deutsch", "English"], STEP_TIMEOUT)
    emu.tap(USER, "English")
    switched = emu.wait_for(
        USER,
        lambda m: m.text.startswith("From now on I will write to you in English."),
        STEP_TIMEOUT,
    )
    assert switched.message_id == chooser.message_id
    assert has_menu(switched, MAIN_MENU_EN), switched.labels()
    emu.wait_until(
        lambda: any(
            a["text"] == "From now on I will write to you in English." for a in emu.callback_answers
        ),
        STEP_TIMEOUT,
        "the toast",
    )

    # a deep link from a poster opens the idea directly
    emu.push_command(USER, "start", "idea_schachtzeichen-4-0")
    scouts = emu.wait_for(USER, lambda m: True, STEP_TIMEOUT, kinds=["send"])
    assert scouts.text.startswith("The “Schachtzeichen 4.0” campaign")  # its English title
    assert "Region: not given" in scouts.text
    assert "« Back to the list" in scouts.labels()

    # every button press was answered exactly once (the news offer's „Nein, danke“ too)
    emu.wait_until(lambda: len(emu.callback_answers) == 5, STEP_TIMEOUT, "5 callback answers")

    # pull the plug: SIGKILL once the bot has confirmed every update it got
    emu.wait_confirmed(STEP_TIMEOUT)
    assert first.kill() == -signal.SIGKILL
    sent_before = len(emu.events(USER))

    # start again on the same database: the language choice is still there
    second = launch()
    emu.push_command(USER, "start")  # the Telegram app still says "de"
    welcome = emu.wait_for(USER, lambda m: m.text.startswith("Welcome"), STEP_TIMEOUT)
    assert welcome.text.startswith("Welcome to the Ideenlabor bot!")
    assert has_menu(welcome, MAIN_MENU_EN), welcome.labels()
    assert len(emu.events(USER)) == sent_before + 1  # no update was handled twice

    emu.tap(USER, "🗺 Ideas by region")
    regions = emu.wait_for(USER, lambda m: m.text.startswith("Ideas by region"), STEP_TIMEOUT)
    assert regions.message_id == welcome.message_id
    assert len(regions_of(regions)) == 16 and "NiederRhein (6)" in regions.labels()
    assert "No region given (1)" in regions.labels()  # the data was not loaded twice

    # a button on a message the killed process sent still works
    emu.tap(USER, "« Back to the list", message=scouts)
    back = emu.wait_for(USER, lambda m: m.message_id == scouts.message_id, STEP_TIMEOUT)
    assert "The “Schachtzeichen 4.0” campaign" in back.labels()

    emu.push_message(USER, "Lünen")
    found = emu.wait_for(USER, lambda m: True, STEP_TIMEOUT, kinds=["send"])
    assert found.text == "Your region for Lünen (Kreis Unna): Westfälisches Ruhrgebiet"

    # a clean stop: SIGTERM ends the process with status 0; Telegram would have accepted every call
    stop_cleanly(emu, first, second)
    languages = [c.params.get("language_code") for c in emu.calls("setMyCommands")]
    assert languages.count("de") == 2 and languages.count("en") == 2, languages
    assert [c["command"] for c in emu.commands[("all_private_chats", "de")]][:2] == [
        "start",
        "regionen",
    ]
    assert [c["command"] for c in emu.commands[("all_private_chats", "en")]][:2] == [
        "start",
        "regions",
    ]


def test_run_without_token_explains_where_to_get_one(tmp_path: Path) -> None:
    # cwd is an empty directory so that no developer's .env can supply a token
    env = clean_env(IDEENLABOR_DB=str(tmp_path / "bot.sqlite3"), PYTHONPATH=str(REPO))
    result = run_python("-m", "bot", "run", env=env, cwd=tmp_path, timeout=30)
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "@BotFather" in lines[0] and "TELEGRAM_BOT_TOKEN" in lines[0]
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    assert not (tmp_path / "bot.sqlite3").exists()  # nothing was created


def test_rejected_token_is_explained_in_one_line_without_leaking_it(
    emulator: BotApiEmulator, run_env: dict[str, str]
) -> None:
    """A revoked or mistyped token is the most common operator error."""
    secret = "999999:REVOKED-TOKEN-qwertzuiop"
    env = {**run_env, "TELEGRAM_BOT_TOKEN": secret}
    result = run_python("-m", "bot", "run", env=env, timeout=30)
    assert [c.status for c in emulator.calls("getMe")] == [401]
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert secret.split(":", 1)[1] not in output, "the secret part of the token was printed"
    assert "Traceback" not in output, output[-2000:]
    assert "TELEGRAM_BOT_TOKEN" in result.stderr


async def test_emulator_rejects_what_telegram_rejects(emulator: BotApiEmulator) -> None:
    """The emulator's checks are real (so 'no errors' above means something)."""
    from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
    from telegram.constants import ParseMode
    from telegram.error import BadRequest, InvalidToken

    emu = emulator
    emu.user(1)
    root = emu.base_url
    async with Bot(TOKEN, base_url=f"{root}/bot", base_file_url=f"{root}/file/bot") as bot:
        assert bot.username == "IdeenlaborBot"
        button = InlineKeyboardMarkup([[InlineKeyboardButton("Go", callback_data="go")]])
        sent = await bot.send_message(
            1, "<b>Hallo</b> &amp; Tschüss", parse_mode=ParseMode.HTML, reply_markup=button
        )
        assert emu.messages(1)[-1].text == "Hallo & Tschüss"
        assert emu.messages(1)[-1].labels() == ["Go"]
        doc = await bot.send_document(
            1,
            b"a;b\n1;2\n",
            filename="ideen.csv",
            caption="<i>Export</i>",
            parse_mode=ParseMode.HTML,
        )
        assert (emu.messages(1)[-1].document, emu.messages(1)[-1].text) == ("ideen.csv", "Export")
        await bot.edit_message_reply_markup(1, sent.message_id, reply_markup=None)
        assert emu.messages(1)[0].keyboard == ()
        assert await bot.delete_message(1, doc.message_id)
        assert emu.errors == []

        rejected: list[tuple[Callable[[], Awaitable[object]], str]] = [
            (
                lambda: bot.send_message(1, "<b>kaputt", parse_mode=ParseMode.HTML),
                "can't parse entities",
            ),
            (lambda: bot.send_message(1, "x" * 4097), "message is too long"),
            (
                lambda: bot.send_message(
                    1,
                    "x",
                    reply_markup=InlineKeyboardMarkup(
                        [[InlineKeyboardButton("x", callback_data="y" * 65)]]
                    ),
                ),
                "BUTTON_DATA_INVALID",
            ),
            (lambda: bot.send_message(2, "who?"), "chat not found"),
            (
                lambda: bot.edit_message_text(
                    "<b>Hallo</b> &amp; Tschüss", 1, sent.message_id, parse_mode=ParseMode.HTML
                ),
                "message is not modified",
            ),
            (lambda: bot.edit_message_text("x", 1, 999), "message to edit not found"),
            (lambda: bot.delete_message(1, doc.message_id), "message to delete not found"),
            (lambda: bot.answer_callback_query("42"), "query is too old"),
        ]
        for call, expected in rejected:
            with pytest.raises(BadRequest, match=f"(?i){re.escape(expected)}"):
                await call()
        assert len(emu.errors) == len(rejected)

    wrong = Bot("42:WRONG-TOKEN-abcdefgh", base_url=f"{root}/bot")
    with pytest.raises(InvalidToken):
        await wrong.initialize()  # getMe → 401 Unauthorized
    await wrong.shutdown()
    assert emu.errors[-1].status == 401 and emu.errors[-1].description == "Unauthorized"
