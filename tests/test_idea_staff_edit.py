"""✏️ Bearbeiten: one field at a time, previewed, audited; a change made meanwhile by someone
else is not overwritten; a contact cannot move an idea out of their regions. Contacts get
their commands in the menu and in /hilfe."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from staff_helpers import CONTACT, IDEA, audit_rows, contact_of, idea

from bot.services.ideas import fields_of
from messages import actions as cb
from storage.idea_lifecycle import IdeaLifecycle

from conftest import ADMIN_ID, Harness
from stories.dialogues import refused


def _json(value: object) -> Any:
    """A Bot API parameter as sent: JSON text, or already a structure."""
    return json.loads(value) if isinstance(value, str) else value


async def test_a_contact_edits_a_field_and_the_english_title(harness: Harness) -> None:
    contact = await contact_of(harness, "muensterland")
    the_idea = await idea(harness)
    await contact.command("start", f"idea_{IDEA}")
    await contact.tap("🛠 Idee verwalten")
    await contact.tap("✏️ Bearbeiten")
    assert "Was möchten Sie ändern?" in contact.last.text
    assert "Region" not in contact.last.button_labels()  # one region: nothing to move to
    await contact.tap("Kurzbeschreibung")
    assert f"Bisher: {the_idea.summary}" in contact.last.text
    await refused(
        harness, contact, the_idea.summary, "Das ist der bisherige Wert – es gibt nichts zu ändern."
    )
    await contact.send("Ein Netzwerk, über das Betriebe im Münsterland Wissen teilen.")
    assert "Vorschau der Änderung – Kurzbeschreibung:" in contact.last.text
    assert "Neu: Ein Netzwerk, über das Betriebe im Münsterland Wissen teilen." in (
        contact.last.text
    )
    await contact.tap("✅ Speichern")
    assert contact.last.text.startswith("✅ Gespeichert: Kurzbeschreibung.")
    assert contact.last.text.count("🛠 Idee verwalten") == 1  # back at the menu
    changed = await idea(harness)
    assert changed.summary == "Ein Netzwerk, über das Betriebe im Münsterland Wissen teilen."
    assert await audit_rows(harness, "idea_edit") == [(str(CONTACT), f"idea:{the_idea.id}")]
    shipped = await harness.data.db.fetchone(
        "SELECT shipped FROM ideas WHERE id = ?", (the_idea.id,)
    )
    assert shipped is not None and shipped["shipped"] == 0  # a newer shipped version leaves it

    await contact.tap("✏️ Bearbeiten")
    await contact.tap("Titel (Englisch)")
    await contact.tap("🗑 Entfernen")
    await contact.tap("✅ Speichern")
    assert (await idea(harness)).title_en is None


async def test_a_change_made_meanwhile_is_not_overwritten(harness: Harness) -> None:
    admin = harness.admin()
    the_idea = await idea(harness)
    await admin.command("start", f"idea_{IDEA}")
    await admin.tap("🛠 Idee verwalten")
    await admin.tap("✏️ Bearbeiten")
    await admin.tap("Titel")
    await admin.send("Wissen teilen im Münsterland")
    other = replace(fields_of(the_idea), title="Anders")
    async with harness.data.db.transaction() as tx:  # someone else changes the title
        await IdeaLifecycle.edit(tx, the_idea.id, other, harness.clock())
    await admin.tap("✅ Speichern")
    assert "Das wurde inzwischen von jemand anderem geändert." in admin.last.text
    assert (await idea(harness)).title == "Anders"
    assert await audit_rows(harness, "idea_edit") == []
    assert await harness.data.drafts.get(ADMIN_ID) is None


async def test_a_contact_cannot_move_an_idea_to_another_region(harness: Harness) -> None:
    contact = await contact_of(harness, "muensterland", "koeln")
    the_idea = await idea(harness)
    await contact.tap_data(cb.ManageIdea(the_idea.id, "e").encode())
    await contact.tap("Region")
    assert contact.last.button_labels()[:2] == ["Münsterland", "Region Köln"]
    niederrhein = await harness.data.regions.get_by_slug("niederrhein")
    assert niederrhein is not None
    await contact.tap_data(cb.StaffAnswer("region", niederrhein.id).encode())  # forged
    assert contact.last.text.startswith("Das liegt außerhalb Ihrer Region")
    assert (await idea(harness)).region_id == the_idea.region_id
    assert await harness.data.drafts.get(CONTACT) is None  # the dialogue ended
    await contact.tap_data(cb.ManageIdea(the_idea.id, "e").encode())
    await contact.tap("Region")
    await contact.tap("Region Köln")
    await contact.tap("✅ Speichern")
    koeln = await harness.data.regions.get_by_slug("koeln")
    assert koeln is not None and (await idea(harness)).region_id == koeln.id


async def test_contacts_get_their_commands_in_the_menu_and_in_help(harness: Harness) -> None:
    admin = harness.admin()
    await admin.command("start")
    clara = harness.user(CONTACT, "Clara", "en")
    await clara.command("start")
    await admin.command("rolle_vergeben", str(CONTACT), "kontakt", "koeln")
    menus = [
        _json(c.params["commands"])
        for c in harness.api.calls_to("setMyCommands")
        if _json(c.params.get("scope", "{}")).get("chat_id") == CONTACT
    ]
    assert menus, "no command menu for the new contact"
    names = [c["command"] for c in menus[-1]]
    # Clara's app is English: her menu is, too.
    assert {"new_idea", "archived", "working_groups", "profile", "moderation"} <= set(names)
    assert "rolle_vergeben" not in names and "grant_role" not in names
    await clara.command("help")
    assert "/new_idea – create an idea" in clara.last.text
    assert "/working_groups" in clara.last.text and "/profile" in clara.last.text
    assert "/grant_role" not in clara.last.text and "/rolle_vergeben" not in clara.last.text
    erika = harness.user(6001)
    await erika.command("hilfe")
    assert "/neue_idee" not in erika.last.text
