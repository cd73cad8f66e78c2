"""/profil: a contact edits and publishes the public profile (explicit consent, the moment
recorded); the Mitmachen consent screen then names the contact as published; withdrawn, the
imported record is shown again."""

from __future__ import annotations

from staff_helpers import audit_rows, contact_of
from workgroup_helpers import CONTACT_ID, IDEA, link_contact, load

from conftest import Harness
from stories.dialogues import refused

REFUSED = "Dafür fehlt Ihnen die Berechtigung. Ihr Versuch wurde protokolliert."


async def consent_screen(h: Harness, user_id: int = 6001, idea: str = IDEA) -> str:
    """The Mitmachen consent screen a citizen sees for the idea (name only)."""
    erika = h.user(user_id)
    await erika.command("start", f"idea_{idea}")
    await erika.tap("🙋 Mitmachen")
    await erika.tap("✅ Übernehmen: Erika")
    for _ in range(3):
        await erika.tap("⏭ Überspringen")
    text = erika.last.text
    await erika.command("abbrechen")
    return text


async def test_a_published_profile_shows_on_the_consent_screen(harness: Harness) -> None:
    await load(harness)
    anna = await link_contact(harness)
    before = await consent_screen(harness)
    assert "Ihr Name geht an Anna Schmidt, Regionalagentur NiederRhein." in before

    await anna.command("profil")
    overview = anna.last.text
    assert overview.startswith("📇 Ihr öffentliches Profil – NiederRhein")
    assert "⏸ Nicht veröffentlicht" in overview
    assert "Ansprechperson: Anna Schmidt, Regionalagentur NiederRhein" in overview  # imported
    assert "allen Bürgerinnen und Bürgern" in overview
    await anna.tap("✏️ Name")
    await refused(harness, anna, "A", "⚠️ Das ist zu kurz: 1 Zeichen, nötig sind mindestens 2.")
    await anna.send("Dr. Anna Schmidt")
    await anna.tap("✏️ Telefon")
    await refused(harness, anna, "12ab", "„12ab“ ist keine gültige Telefonnummer.")
    await anna.send("02841 / 123 456")
    assert "📞 Telefon: +492841123456" in anna.last.text
    assert "✏️ Ihre Änderungen sind noch nicht veröffentlicht." in anna.last.text
    assert "Anna Schmidt, Regionalagentur" in await consent_screen(harness, 6002)  # not yet
    await anna.tap("✅ Veröffentlichen …")
    consent = anna.last.text
    assert "Diese Angaben werden allen Bürgerinnen und Bürgern gezeigt" in consent
    assert "Ansprechperson: Dr. Anna Schmidt, Regionalagentur NiederRhein" in consent
    await anna.tap("✅ Einverstanden, veröffentlichen")
    assert anna.last.text.startswith("✅ Ihr Profil ist veröffentlicht.")
    row = await harness.data.db.fetchone(
        "SELECT public_name, public_phone, published_at FROM contacts WHERE telegram_id = ?",
        (CONTACT_ID,),
    )
    assert row is not None
    assert (row["public_name"], row["public_phone"]) == ("Dr. Anna Schmidt", "+492841123456")
    assert row["published_at"] == "2026-11-25T10:00:00.000000Z"  # the moment of consent
    assert len(await audit_rows(harness, "profile_publish")) == 1
    after = await consent_screen(harness, 6003)
    assert "Ihr Name geht an Dr. Anna Schmidt, Regionalagentur NiederRhein." in after

    await anna.command("profil")
    assert "✅ Veröffentlicht (Einverständnis vom 25.11.2026 11:00)." in anna.last.text
    await anna.tap("🚫 Nicht mehr anzeigen")
    assert anna.last.text.startswith("Ihr Profil wird nicht mehr angezeigt.")
    assert len(await audit_rows(harness, "profile_unpublish")) == 1
    assert "Ihr Name geht an Anna Schmidt, Regionalagentur NiederRhein." in await consent_screen(
        harness, 6004
    )


async def test_a_contact_without_an_imported_record_publishes_in_english(
    harness: Harness,
) -> None:
    await load(harness)
    clara = await contact_of(harness, "koeln", language="en")
    await clara.command("profile")
    assert clara.last.text.startswith("📇 Your public profile – Region Köln")
    assert "⏸ Not published" in clara.last.text
    await clara.tap("✅ Publish …")
    assert "Please give your name first." in clara.last.text
    await clara.send("Clara Beispiel")
    await clara.tap("✏️ Organisation")
    await clara.send("Regionalagentur Region Köln")
    await clara.tap("✏️ E-mail")
    await refused(
        harness, clara, "clara(at)example", "“clara(at)example” is not a valid e-mail address."
    )
    await clara.send("clara@example.org")
    await clara.tap("✅ Publish …")
    assert "These details will be shown to all citizens" in clara.last.text
    await clara.tap("✅ I agree, publish")
    assert clara.last.text.startswith("✅ Your profile is published.")
    assert "✉️ E-mail: clara@example.org" in clara.last.text
    screen = await consent_screen(harness, 6005, "pflege-koeln")
    assert "Ihr Name geht an Clara Beispiel, Regionalagentur Region Köln." in screen


async def test_only_contacts_have_a_profile(harness: Harness) -> None:
    erika = harness.user(6001)
    await erika.command("profil")
    assert erika.last.text == REFUSED
    admin = harness.admin()
    await admin.command("profil")
    assert admin.last.text.startswith("Ein öffentliches Profil haben regionale Ansprechpersonen.")
