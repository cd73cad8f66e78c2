"""Citizens register interest in a working group: consent, notification, duplicates, withdrawal."""

from __future__ import annotations

from workgroup_helpers import GROUP, IDEA, link_contact, load, register, rows

from conftest import ADMIN_ID, Harness
from stories.dialogues import refused
from stories.workgroups import registered


async def test_idea_view_shows_group_contact_and_join(harness: Harness) -> None:
    await load(harness)
    erika = harness.user()
    await erika.command("start", f"idea_{IDEA}")
    assert f"Arbeitsgruppe: {GROUP}" in erika.last.text
    assert "Ansprechperson: Anna Schmidt, Regionalagentur NiederRhein" in erika.last.text
    assert "anna.schmidt@example.org" not in erika.last.text and "02841" not in erika.last.text
    assert ["🙋 Mitmachen"] in erika.last.buttons


async def test_registration_with_details_reaches_linked_contact(harness: Harness) -> None:
    await load(harness)
    anna = await link_contact(harness)
    erika = harness.user()
    await erika.command("start", f"idea_{IDEA}")
    await erika.tap("🙋 Mitmachen")
    assert "Unter welchem Namen" in erika.last.text
    await erika.tap("✅ Übernehmen: Erika")
    await refused(
        harness, erika, "erika@beispiel", "„erika@beispiel“ ist keine gültige E-Mail-Adresse."
    )
    await erika.send("erika@example.org")
    await refused(harness, erika, "12ab", "keine gültige Telefonnummer")
    await erika.send("0211 / 123 456")
    await refused(harness, erika, "x" * 1001, "mit 1001 Zeichen zu lang")
    await erika.send("Ich helfe gern <b>mit</b>")
    screen = erika.last.text
    assert "Name: Erika" in screen and "E-Mail: erika@example.org" in screen
    assert "Telefon: +49211123456" in screen and "Nachricht: Ich helfe gern <b>mit</b>" in screen
    assert (
        "Ihr Name, Ihre E-Mail, Ihre Telefonnummer und Ihre Nachricht gehen an Anna Schmidt, "
        "Regionalagentur NiederRhein." in screen
    )
    assert await rows(harness) == []  # nothing before consent
    await erika.tap("✅ Einverstanden, senden")
    assert "Danke! Ihre Meldung für die Arbeitsgruppe „Fachkräfte NiederRhein“" in erika.last.text
    [row] = await rows(harness)
    assert (row["email"], row["phone"], row["status"]) == (
        "erika@example.org",
        "+49211123456",
        "new",
    )
    assert "gehen an Anna Schmidt" in str(row["consent_text"])
    assert row["consented_at"] == "2026-11-25T10:00:00.000000Z"
    await harness.deliver()
    notice = anna.last
    assert "Neue Meldung für die Arbeitsgruppe „Fachkräfte NiederRhein“" in notice.text
    assert "Nachricht: Ich helfe gern <b>mit</b>" in notice.text  # escaped, shown literally
    assert notice.buttons == [["✅ Als kontaktiert markieren"]]
    await anna.tap("✅ Als kontaktiert markieren", message=notice)
    assert anna.answers[-1].text == "✅ Als kontaktiert markiert."
    await harness.deliver()
    assert "Anna Schmidt hat Ihre Meldung zur Arbeitsgruppe" in erika.last.text
    assert (await rows(harness))[0]["status"] == "contacted"


async def test_without_contact_admins_told_and_delivered_after_linking(harness: Harness) -> None:
    await load(harness)
    erika = harness.user()
    await register(erika)
    assert "Ihr Name geht an Anna Schmidt, Regionalagentur NiederRhein." in erika.last.text
    await erika.tap("✅ Einverstanden, senden")
    [row] = await rows(harness)
    assert (row["email"], row["phone"], row["message"]) == (None, None, None)
    await harness.deliver()
    admin = harness.admin()
    assert "keine Ansprechperson mit Telegram verknüpft" in admin.last.text
    assert "/kontakt_einladen niederrhein" in admin.last.text
    assert "Erika" not in admin.last.text  # no personal data to the admins
    anna = await link_contact(harness)
    await harness.deliver()
    notice = next(m for m in reversed(anna.messages) if "Neue Meldung" in m.text)  # not the offer
    assert "Name: Erika" in notice.text and "E-Mail" not in notice.text


async def test_refused_consent_stores_nothing(harness: Harness) -> None:
    await load(harness)
    erika = harness.user()
    await register(erika, email="erika@example.org")
    await erika.tap("✖️ Abbrechen")
    assert "Es wurde nichts gespeichert" in erika.last.text
    assert await rows(harness) == []
    assert await harness.data.db.fetchall("SELECT * FROM drafts") == []
    assert await harness.data.db.fetchall("SELECT * FROM outbox WHERE kind LIKE 'wg_%'") == []


async def test_duplicate_recognised_and_updated(harness: Harness) -> None:
    await load(harness)
    anna = await link_contact(harness)
    erika = await registered(harness)
    harness.clock.advance(days=2)
    await erika.command("start", f"idea_{IDEA}")
    await erika.tap("🙋 Mitmachen")
    assert "Sie haben sich bereits am 25.11.2026 für die Arbeitsgruppe" in erika.last.text
    await erika.tap("✏️ Angaben aktualisieren")
    await erika.tap("✅ Beibehalten: Erika")
    await erika.send("erika@example.org")
    await erika.tap("⏭ Überspringen")
    await erika.tap("⏭ Überspringen")
    await erika.tap("✅ Einverstanden, senden")
    assert "wurden aktualisiert" in erika.last.text
    [row] = await rows(harness)
    assert (row["email"], row["revision"]) == ("erika@example.org", 2)
    await harness.deliver()
    assert "Aktualisierte Meldung" in anna.last.text
    assert "E-Mail: erika@example.org" in anna.last.text


async def test_withdrawal_tells_contact(harness: Harness) -> None:
    await load(harness)
    anna = await link_contact(harness)
    erika = await registered(harness, phone="+49 2841 99887")
    await erika.command("meine_gruppen")
    assert "1. Fachkräfte NiederRhein (NiederRhein)" in erika.last.text
    assert "neu" in erika.last.text
    await erika.tap("↩️ Nr. 1 zurückziehen")
    await erika.tap("↩️ Ja, zurückziehen")
    assert any("wurde zurückgezogen" in text for text in erika.texts())
    assert "zurückgezogen" in erika.last.text and erika.last.buttons == [["« Hauptmenü"]]
    [row] = await rows(harness)
    assert (row["status"], row["phone"]) == ("withdrawn", None)
    await harness.deliver()
    assert "Erika hat die Meldung für die Arbeitsgruppe" in anna.last.text
    assert not [m for m in harness.api.messages(ADMIN_ID) if "Meldung" in m.text]  # contact linked
