"""Granting and revoking roles in the bot: errors, notifications, effects, the admin menu."""

from __future__ import annotations

import json

import pytest

from bot.config import Settings
from bot.offline.fake_user import FakeUser

from conftest import ADMIN_ID, FakeClock, Harness, running

REFUSED = "Dafür fehlt Ihnen die Berechtigung. Ihr Versuch wurde protokolliert."
GERT = 4800


async def person(harness: Harness, user_id: int, name: str, language: str = "de") -> FakeUser:
    """Someone who has opened the bot (so that the bot knows them)."""
    user = harness.user(user_id=user_id, first_name=name, language_code=language)
    await user.command("start")
    return user


def admin_menu(harness: Harness, chat_id: int) -> list[str]:
    """The command menu Telegram shows in one chat (scope chat), as command names."""
    key = (json.dumps({"chat_id": chat_id, "type": "chat"}, sort_keys=True), "")
    return [c["command"] for c in harness.api.commands.get(key, [])]


async def test_grant_and_revoke_admin_notify_and_take_effect_at_once(harness: Harness) -> None:
    admin = await person(harness, ADMIN_ID, "Ada")
    gert = await person(harness, GERT, "Gert")
    await admin.command("rolle_vergeben", str(GERT), "admin")
    assert admin.last.text == (
        "✅ Nutzer 4800 hat jetzt die Rolle „Admin“. Die Person wurde benachrichtigt."
    )
    await harness.deliver()
    assert gert.last.text.startswith("🔑 Sie sind jetzt Admin des Ideenlabor-Bots.")
    assert "rolle_vergeben" in admin_menu(harness, GERT)
    await gert.command("rollen")
    assert (
        "🔑 ID 4800 (Name nicht bekannt) – vergeben von ID 900001 (Name nicht bekannt)"
        " am 25.11.2026" in gert.last.text
    )
    assert f"👑 ID {ADMIN_ID} (Name nicht bekannt) – über die Konfiguration" in gert.last.text

    await admin.command("rolle_vergeben", str(GERT), "admin")
    assert admin.last.text == "Nutzer 4800 hat die Rolle „Admin“ bereits. Es wurde nichts geändert."

    await admin.command("rolle_entziehen", str(GERT), "admin")
    assert admin.last.text.startswith("✅ Nutzer 4800 hat die Rolle „Admin“ nicht mehr.")
    await harness.deliver()
    assert gert.last.text.startswith("Ihre Rolle als Admin des Ideenlabor-Bots wurde beendet.")
    assert admin_menu(harness, GERT) == []
    await gert.command("rollen")
    assert gert.last.text == REFUSED
    await admin.command("rolle_entziehen", str(GERT), "admin")
    assert admin.last.text == "Nutzer 4800 hat die Rolle „Admin“ nicht. Es wurde nichts geändert."


async def test_regional_contact_role_grants_moderation_and_interest_lists(
    harness: Harness,
) -> None:
    admin = await person(harness, ADMIN_ID, "Ada")
    kim = await person(harness, GERT, "Kim")
    await kim.command("interessenten")
    assert kim.last.text == REFUSED
    await admin.command("rolle_vergeben", str(GERT), "kontakt", "Koeln")
    assert "„regionale Ansprechperson für Region Köln“" in admin.last.text
    await harness.deliver()
    assert kim.last.text.startswith("🔑 Sie sind jetzt regionale Ansprechperson für Region Köln.")
    koeln = await harness.data.regions.get_by_slug("koeln")
    assert koeln is not None
    assert await harness.data.roles.contact_regions(GERT) == [koeln.id]
    assert await harness.data.moderation.may_moderate(GERT, koeln.id)
    await kim.command("interessenten")
    assert kim.last.text != REFUSED
    await kim.command("moderation")
    assert kim.last.text != REFUSED
    await kim.command("rollen")  # a contact is no admin
    assert kim.last.text == REFUSED

    await admin.command("rolle_entziehen", str(GERT), "kontakt", "koeln")
    assert admin.last.text.startswith("✅ Nutzer 4800 hat die Rolle „regionale Ansprechperson")
    assert await harness.data.roles.contact_regions(GERT) == []
    await kim.command("interessenten")
    assert kim.last.text == REFUSED
    await kim.command("moderation")
    assert kim.last.text == REFUSED


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((), "So vergeben oder entziehen Sie eine Rolle:"),
        (("4800",), "So vergeben oder entziehen Sie eine Rolle:"),
        (("gert", "admin"), "So vergeben oder entziehen Sie eine Rolle:"),
        (("4800", "chef"), "So vergeben oder entziehen Sie eine Rolle:"),
        (("²", "admin"), "So vergeben oder entziehen Sie eine Rolle:"),
        (("9" * 30, "admin"), "So vergeben oder entziehen Sie eine Rolle:"),
        (("4800", "admin", "koeln"), "So vergeben oder entziehen Sie eine Rolle:"),
        (("4800", "kontakt"), "Für die Rolle „kontakt“ nennen Sie bitte auch die Region"),
        (("4800", "kontakt", "atlantis"), "Die Region „atlantis“ kenne ich nicht. Gültige Kürzel:"),
        (("4999", "admin"), "Nutzer 4999 ist dem Bot nicht bekannt."),
        ((str(ADMIN_ID), "admin"), "Nutzer 900001 ist bereits Admin über die Konfiguration"),
    ],
)
async def test_bad_grants_are_explained_and_change_nothing(
    harness: Harness, args: tuple[str, ...], expected: str
) -> None:
    admin = await person(harness, ADMIN_ID, "Ada")
    await person(harness, GERT, "Gert")
    await admin.command("rolle_vergeben", *args)
    assert admin.last.text.startswith(expected), admin.last.text
    if "atlantis" in args:
        assert "koeln" in admin.last.text
    assert await harness.data.roles.all_grants() == []
    assert await harness.data.audit.count() == 0


async def test_configured_admin_cannot_be_revoked_in_the_bot(harness: Harness) -> None:
    admin = await person(harness, ADMIN_ID, "Ada")
    await admin.command("rolle_entziehen", str(ADMIN_ID), "admin")
    assert admin.last.text.startswith(
        "Nutzer 900001 ist Admin über die Konfiguration (IDEENLABOR_ADMINS). Diese Rolle lässt"
    )
    assert "Entfernen Sie die ID aus IDEENLABOR_ADMINS" in admin.last.text
    await admin.command("protokoll")
    assert "Einträge" in admin.last.text


async def test_the_last_admin_cannot_be_revoked(settings: Settings, clock: FakeClock) -> None:
    no_admins = settings.model_copy(update={"admins": frozenset()})
    async with running(no_admins, clock) as harness:
        first = await person(harness, 4801, "Fiona")
        second = await person(harness, 4802, "Sven")
        await harness.data.roles.grant(4801, "admin", None, None, clock())
        await first.command("rolle_entziehen", "4801", "admin")
        assert first.last.text.startswith("Nutzer 4801 ist der letzte Admin.")
        assert await harness.data.roles.is_admin(4801)
        await first.command("rolle_vergeben", "4802", "admin")
        await first.command("rolle_entziehen", "4801", "admin")
        assert first.last.text.startswith("✅ Nutzer 4801 hat die Rolle „Admin“ nicht mehr.")
        await second.command("rolle_entziehen", "4802", "admin")
        assert second.last.text.startswith("Nutzer 4802 ist der letzte Admin.")
        assert harness.errors == []


async def test_english_commands_and_role_words(harness: Harness) -> None:
    admin = harness.user(ADMIN_ID, "Ada", language_code="en")
    await admin.command("start")
    gert = await person(harness, GERT, "Gert", language="en")
    await admin.command("grant_role", str(GERT), "contact", "aachen")
    assert admin.last.text.startswith("✅ User 4800 now has the role “regional contact for")
    await harness.deliver()
    assert gert.last.text.startswith("🔑 You are now the regional contact for Region Aachen.")
    await admin.command("roles")
    assert (
        "📍 Aachen Region\n   • ID 4800 (name not known) – granted by ID 900001 (name not known)"
        " on 25 Nov 2026" in admin.last.text
    )
    await admin.command("revoke_role", str(GERT), "contact", "aachen")
    await harness.deliver()
    assert gert.last.text.startswith(
        "Your role as the regional contact for Region Aachen has ended."
    )


async def test_a_revoked_admin_in_the_middle_of_a_dialogue_is_stopped(harness: Harness) -> None:
    admin = await person(harness, ADMIN_ID, "Ada")
    gert = await person(harness, GERT, "Gert")
    await admin.command("rolle_vergeben", str(GERT), "admin")
    await gert.command("rundschreiben")
    assert await harness.data.drafts.get(GERT) is not None
    await admin.command("rolle_entziehen", str(GERT), "admin")
    await gert.send("Liebe Mitwirkende, ein letzter Gruß!")
    assert gert.last.text == REFUSED
    assert await harness.data.drafts.get(GERT) is None
    assert await harness.data.broadcasts.unfinished() == []


async def test_granted_admins_get_the_admin_menu_after_a_restart(
    settings: Settings, clock: FakeClock
) -> None:
    async with running(settings, clock) as harness:
        await person(harness, GERT, "Gert")
        await harness.data.roles.grant(GERT, "admin", None, ADMIN_ID, clock())
    async with running(settings, clock) as harness:
        assert "protokoll" in admin_menu(harness, GERT)
        assert "protokoll" in admin_menu(harness, ADMIN_ID)
