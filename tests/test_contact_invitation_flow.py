"""Inviting a regional contact as an admin sees it: regions as buttons, help with a wrong
name, the inviter told of the acceptance, the new contact told what the role means."""

from __future__ import annotations

import re

from conftest import ADMIN_ID, Harness

CONTACT = 4950


async def test_invitation_without_a_region_offers_them_and_both_sides_are_told(
    harness: Harness,
) -> None:
    admin = harness.admin()
    await admin.command("start")
    await admin.command("kontakt_einladen")
    assert "Für welche Region möchten Sie eine Ansprechperson einladen?" in admin.last.text
    labels = admin.last.button_labels()
    assert len(labels) == 16 + 1  # every region, and the menu
    await admin.tap(next(b for b in labels if "Köln" in b))
    link = re.search(r"https://t\.me/\S+\?start=(contact_\S+)", admin.last.text)
    assert link is not None and "Region Köln" in admin.last.text
    contact = harness.user(user_id=CONTACT, first_name="Kim")
    await contact.command("start", link.group(1))
    linked = contact.last.text
    assert "Sie sind jetzt als Ansprechperson für Region Köln verknüpft" in linked
    for command in ("/interessenten", "/moderation", "/hilfe"):
        assert command in linked, command
    await harness.deliver()
    accepted = "Ihre Einladung für Region Köln wurde angenommen."
    assert any(accepted in text for text in admin.texts())


async def test_a_wrong_region_name_gets_a_suggestion(harness: Harness) -> None:
    admin = harness.admin()
    await admin.command("start")
    await admin.command("kontakt_einladen", "Kleve")
    assert "Die Region „Kleve“ kenne ich nicht." in admin.last.text
    assert "„Kleve“ liegt in NiederRhein" in admin.last.text
    assert len(admin.last.button_labels()) == 2  # the region, and the menu
    await admin.tap(admin.last.button_labels()[0])
    assert "Einladungslink" in admin.last.text
    await admin.command("kontakt_einladen", "Mittlere", "Ruhr")
    assert "kenne ich nicht" in admin.last.text
    assert any("Ruhr" in b for b in admin.last.button_labels())


async def test_the_invitation_in_english(harness: Harness) -> None:
    admin = harness.user(user_id=ADMIN_ID, first_name="Ada", language_code="en")
    await admin.command("start")
    await admin.command("invite_contact", "Kleve")
    assert "I do not know the region “Kleve”." in admin.last.text
    assert "“Kleve” lies in NiederRhein" in admin.last.text
    await admin.command("invite_contact")
    assert "For which region would you like to invite a contact?" in admin.last.text
