"""Regional contacts: invitation links, the list of interested people, CSV, region boundaries."""

from __future__ import annotations

from workgroup_helpers import invite_link, link_contact, load, register, rows

from messages.actions import ExportCsv, MarkContacted

from conftest import Harness


async def test_invitation_is_single_use_and_expires(harness: Harness) -> None:
    await load(harness)
    payload = await invite_link(harness)
    assert len(payload) <= 64
    anna = harness.user(5001, "Anna")
    await anna.command("start", payload)
    assert "Sie sind jetzt als Ansprechperson für NiederRhein verknüpft" in anna.last.text
    assert await harness.data.roles.contact_regions(5001) != []
    other = harness.user(5002, "Otto")
    await other.command("start", payload)
    assert "bereits verwendet" in other.last.text
    assert await harness.data.roles.contact_regions(5002) == []
    late = await invite_link(harness)
    harness.clock.advance(days=7, minutes=1)
    await other.command("start", late)
    assert "abgelaufen" in other.last.text
    await other.command("start", "contact_erfunden")
    assert "ungültig" in other.last.text
    assert await harness.data.roles.contact_regions(5002) == []


async def test_admin_lists_and_removes_contacts(harness: Harness) -> None:
    await load(harness)
    await link_contact(harness)
    admin = harness.admin()
    await admin.command("kontakte")
    assert "Anna Schmidt – NiederRhein (Telegram-ID 5001)" in admin.last.text
    await admin.tap("🗑 Anna Schmidt (NiederRhein) entfernen")
    assert "Es ist noch keine Ansprechperson mit Telegram verknüpft." in admin.last.text
    assert await harness.data.roles.contact_regions(5001) == []
    citizen = harness.user(4712, "Max")
    await citizen.command("kontakte")
    assert "Dafür fehlt Ihnen die Berechtigung" in citizen.last.text
    await citizen.command("kontakt_einladen", "koeln")
    assert "Dafür fehlt Ihnen die Berechtigung" in citizen.last.text


async def test_interested_list_and_csv_export(harness: Harness) -> None:
    await load(harness)
    anna = await link_contact(harness)
    erika = harness.user()
    await register(erika, email="erika@example.org", message="=Gern; „mit“ Umlauten: äöü")
    await erika.tap("✅ Einverstanden, senden")
    await anna.command("interessenten")
    assert "Interessierte: NiederRhein" in anna.last.text
    assert "1. Erika · Fachkräfte NiederRhein · 25.11.2026 · neu" in anna.last.text
    await anna.tap("📄 Export (CSV)")
    document = anna.last.document
    assert document is not None and document.filename.endswith(".csv")
    assert document.content.startswith(b"\xef\xbb\xbf")
    lines = document.content.decode("utf-8-sig").splitlines()
    assert lines[0] == (
        "Nr.;Region;Arbeitsgruppe;Name;E-Mail;Telefon;Nachricht;Status;Gemeldet am;Kontaktiert am"
    )
    assert lines[1] == (
        "1;NiederRhein;Fachkräfte NiederRhein;Erika;erika@example.org;;"
        '"\'=Gern; „mit“ Umlauten: äöü";neu;25.11.2026;'
    )


async def test_contact_of_one_region_cannot_read_another(harness: Harness) -> None:
    await load(harness)
    anna = await link_contact(harness)  # NiederRhein
    koeln = await link_contact(harness, 5003, "koeln")
    max_ = harness.user(4712, "Max")
    await max_.command("start", "idea_pflege-koeln")
    await max_.tap("🙋 Mitmachen")
    await max_.tap("✅ Übernehmen: Max")
    await max_.send("max@example.org")
    for _ in range(2):
        await max_.tap("⏭ Überspringen")
    await max_.tap("✅ Einverstanden, senden")
    [row] = await rows(harness)
    await harness.deliver()
    assert "max@example.org" in koeln.last.text
    assert not any("max@example.org" in text for text in anna.texts())
    await anna.command("interessenten", "koeln")
    assert "Dafür fehlt Ihnen die Berechtigung" in anna.last.text
    await anna.command("interessenten")
    assert "Max" not in anna.last.text
    await anna.tap_data(MarkContacted(int(str(row["id"]))).encode())
    assert anna.answers[-1].text and "Berechtigung" in anna.answers[-1].text
    koeln_id = (await harness.data.regions.get_by_slug("koeln")).id  # type: ignore[union-attr]
    before = len(anna.messages)
    await anna.tap_data(ExportCsv(koeln_id).encode())
    assert all(m.document is None for m in anna.messages[before:])
    assert (await rows(harness))[0]["status"] == "new"
    citizen = harness.user(4799, "Eve")
    await citizen.command("interessenten")
    assert "Dafür fehlt Ihnen die Berechtigung" in citizen.last.text
