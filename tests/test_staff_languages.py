"""Staff in both languages: every staff command has a working English twin, menu and help."""

from __future__ import annotations

import json

import pytest

from bot.offline.fake_user import FakeUser
from handlers.menus import ADMIN_COMMANDS, CONTACT_COMMANDS

from conftest import ADMIN_ID, Harness

UNKNOWN = {"de": "kenne ich nicht", "en": "I do not know the command"}
REFUSED = {"de": "Dafür fehlt Ihnen die Berechtigung", "en": "You are not allowed to do this"}
CONTACT = 4900


def chat_menu(harness: Harness, chat_id: int) -> list[str]:
    """The command menu Telegram shows in one chat (scope chat), as command names."""
    key = (json.dumps({"chat_id": chat_id, "type": "chat"}, sort_keys=True), "")
    return [c["command"] for c in harness.api.commands.get(key, [])]


async def speaker(harness: Harness, user_id: int, language: str) -> FakeUser:
    """A person who uses the bot in the given language (chosen with /sprache)."""
    user = harness.user(user_id=user_id, first_name="Ada", language_code=language)
    await user.command("start")
    await harness.data.users.set_language(user_id, language, harness.clock())
    harness.data.languages.pop(user_id, None)
    return user


@pytest.mark.parametrize(("index", "language"), [(0, "de"), (1, "en")])
async def test_every_staff_command_works_in_both_languages(
    harness: Harness, index: int, language: str
) -> None:
    admin = await speaker(harness, ADMIN_ID, language)
    for names in ADMIN_COMMANDS:
        command = names[index]
        await admin.command(command)
        for answer in admin.texts()[-2:]:
            assert UNKNOWN[language] not in answer, command
            assert REFUSED[language] not in answer, command
        await admin.command("abbrechen" if language == "de" else "cancel")


async def test_english_admin_gets_english_help_and_menu(harness: Harness) -> None:
    admin = await speaker(harness, ADMIN_ID, "en")
    await admin.command("new_date")
    assert "New Ideenlabor · step 1 of 9" in admin.last.text
    await admin.command("cancel")
    await admin.command("help")
    text = admin.last.text
    for de, en, _ in ADMIN_COMMANDS:
        assert f"/{en}" in text, en
        if de != en:
            assert f"/{de} " not in text, de
    # The menu follows the language the admin chose.
    await admin.command("language")
    await admin.tap(next(b for b in admin.last.button_labels() if "English" in b))
    menu = chat_menu(harness, ADMIN_ID)
    assert {en for _, en, _ in ADMIN_COMMANDS} <= set(menu)
    assert "neuer_termin" not in menu and "regions" in menu
    await admin.command("sprache")
    await admin.tap(next(b for b in admin.last.button_labels() if "Deutsch" in b))
    menu = chat_menu(harness, ADMIN_ID)
    assert {de for de, _, _ in ADMIN_COMMANDS} <= set(menu) and "new_date" not in menu


async def test_german_admin_help_lists_statistics(harness: Harness) -> None:
    admin = await speaker(harness, ADMIN_ID, "de")
    await admin.command("hilfe")
    for de, _, _ in ADMIN_COMMANDS:
        assert f"/{de}" in admin.last.text, de


@pytest.mark.parametrize(("index", "language"), [(0, "de"), (1, "en")])
async def test_contacts_commands_and_help_in_both_languages(
    harness: Harness, index: int, language: str
) -> None:
    contact = await speaker(harness, CONTACT, language)
    region = await harness.data.regions.get_by_slug("koeln")
    assert region is not None
    await harness.data.roles.grant(CONTACT, "contact", region.id, ADMIN_ID, harness.clock())
    await contact.command("hilfe" if language == "de" else "help")
    for names in CONTACT_COMMANDS:
        assert f"/{names[index]}" in contact.last.text, names[index]
    for names in CONTACT_COMMANDS:
        await contact.command(names[index])
        for answer in contact.texts()[-2:]:
            assert UNKNOWN[language] not in answer, names[index]
            assert REFUSED[language] not in answer, names[index]
        await contact.command("abbrechen" if language == "de" else "cancel")
