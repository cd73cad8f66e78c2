"""/arbeitsgruppen: a contact creates a working group, links an idea, renames and closes the
group; each change audited, visible to citizens at once; other regions' groups refused."""

from __future__ import annotations

from staff_helpers import CONTACT, audit_rows, contact_of
from workgroup_helpers import load

from messages import actions as cb

from conftest import Harness
from stories.dialogues import refused

OUTSIDE = "Das liegt außerhalb Ihrer Region"


async def group_id(h: Harness, name: str) -> int:
    row = await h.data.db.fetchone("SELECT id FROM working_groups WHERE name = ?", (name,))
    assert row is not None
    return int(row["id"])


async def test_a_contact_creates_links_renames_and_closes_a_group(harness: Harness) -> None:
    await load(harness)
    contact = await contact_of(harness, "koeln")
    await contact.command("arbeitsgruppen")
    assert contact.last.text.startswith("👥 1 Arbeitsgruppe in Ihren Regionen")
    assert contact.last.button_labels()[0] == "✅ Pflege Köln (Region Köln)"
    await contact.tap("➕ Neue Arbeitsgruppe")
    assert "Wie heißt die Arbeitsgruppe? (3–100 Zeichen)" in contact.last.text
    await refused(harness, contact, "AG", "⚠️ Das ist zu kurz: 2 Zeichen, nötig sind mindestens 3.")
    await contact.send("Digitale Pflege Köln")
    await contact.send("Wir erproben digitale Dienstpläne.")
    assert "Nimmt die Arbeitsgruppe jetzt neue Mitwirkende auf?" in contact.last.text
    await contact.tap("✅ Ja, Mitwirkende willkommen")
    preview = contact.last.text
    assert "Arbeitsgruppe Digitale Pflege Köln" in preview and "Region: Region Köln" in preview
    await contact.tap("✅ Anlegen")
    assert contact.last.text.startswith("✅ Die Arbeitsgruppe „Digitale Pflege Köln“ ist angelegt.")
    new = await group_id(harness, "Digitale Pflege Köln")
    assert await audit_rows(harness, "group_create") == [(str(CONTACT), f"group:{new}")]

    await contact.tap("« Zur Arbeitsgruppe")
    assert "Trägt 0 Ideen." in contact.last.text
    await contact.tap("💡 Ideen verknüpfen")
    await contact.tap("➕ Pflege in Köln")
    assert contact.answers[-1].text == "✅ Verknüpft."
    assert "✅ Pflege in Köln" in contact.last.button_labels()
    assert await audit_rows(harness, "group_link") == [(str(CONTACT), f"group:{new}")]
    erika = harness.user(6001)
    await erika.command("start", "idea_pflege-koeln")
    assert "Digitale Pflege Köln" in erika.last.text and "🙋 Mitmachen" in erika.last.buttons[2]

    await contact.tap("« Zur Arbeitsgruppe")
    await contact.tap("✏️ Name")
    await contact.send("Digitale Pflege in der Region Köln")
    assert "Neu: Digitale Pflege in der Region Köln" in contact.last.text
    await contact.tap("✅ Speichern")
    assert contact.last.text == "✅ Gespeichert: Name."
    assert len(await audit_rows(harness, "group_edit")) == 1
    await contact.tap("« Zur Arbeitsgruppe")
    await contact.tap("⏸ Schließen")
    assert contact.last.text.startswith("⏸ Die Arbeitsgruppe nimmt jetzt niemanden mehr auf.")
    assert "✅ Öffnen" in contact.last.button_labels()
    assert await audit_rows(harness, "group_close") == [(str(CONTACT), f"group:{new}")]
    group = await harness.data.group_edits.repo.group(new)
    assert group is not None and not group.open
    assert group.name == "Digitale Pflege in der Region Köln"


async def test_another_regions_group_is_refused(harness: Harness) -> None:
    await load(harness)
    contact = await contact_of(harness, "koeln")
    other = await group_id(harness, "Fachkräfte NiederRhein")
    for task in ("m", "c", "n", "i"):
        await contact.tap_data(cb.ManageGroup(other, task).encode(), message=contact.last)
        assert contact.last.text.startswith(OUTSIDE), task
    idea = await harness.data.ideas.get_by_slug("pflege-koeln")
    assert idea is not None
    await contact.tap_data(cb.LinkIdea(other, idea.id, 1, 0).encode(), message=contact.last)
    assert contact.last.text.startswith(OUTSIDE)
    group = await harness.data.group_edits.repo.group(other)
    assert group is not None and group.open
    titles = [title for _, title in await harness.data.group_edits.repo.ideas_of_group(other)]
    assert "Pflege in Köln" not in titles
    assert await audit_rows(harness, "group_close") == []
    assert await audit_rows(harness, "group_link") == []


async def test_groups_in_english(harness: Harness) -> None:
    await load(harness)
    contact = await contact_of(harness, "koeln", language="en")
    await contact.command("working_groups")
    assert contact.last.text.startswith("👥 1 working group in your regions")
    await contact.tap("✅ Pflege Köln (Region Köln)")
    assert contact.last.text.startswith("👥 Manage working group: Pflege Köln")
    assert contact.last.buttons[1] == ["⏸ Close", "💡 Link ideas"]
