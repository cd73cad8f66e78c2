"""/neue_idee: a regional contact creates an idea in their region, step by step (a re-prompt,
/abbrechen, a restart in the middle), and is refused for any other region."""

from __future__ import annotations

import logging

import pytest
from staff_helpers import CONTACT, audit_rows, contact_of, count, idea

from bot.config import Settings
from bot.services.staff import NotAllowedError
from messages import actions as cb
from storage.idea_lifecycle import IdeaFields

from conftest import FakeClock, Harness, running
from stories.dialogues import refused

TITLE = "Pflegekräfte halten in Köln"
SUMMARY = "Ein Netzwerk der Kölner Pflegedienste teilt Wissen über gute Dienstpläne."
BODY = "Die Pflegedienste treffen sich monatlich.\nSie teilen Vorlagen für Dienstpläne."
CHALLENGE = "Als Arbeitgeber und Region attraktiv bleiben"
OUTSIDE = "Das liegt außerhalb Ihrer Region"


async def test_a_contact_creates_an_idea_in_their_region(
    settings: Settings, clock: FakeClock
) -> None:
    async with running(settings, clock) as first:
        contact = await contact_of(first, "koeln")
        await contact.command("neue_idee")  # one region: not asked for it
        assert contact.last.text.startswith("💡 Neue Idee · Region Köln")
        assert "Wie lautet der Titel der Idee? (5–120 Zeichen)" in contact.last.text
        await refused(
            first, contact, "Kita", "⚠️ Das ist zu kurz: 4 Zeichen, nötig sind mindestens 5."
        )
        assert "Wie lautet der Titel der Idee?" in contact.last.text
        await contact.send("  Pflegekräfte   halten in Köln ")
        assert "Fassen Sie die Idee in ein, zwei Sätzen zusammen" in contact.last.text
        await contact.send(SUMMARY)
        assert "ausführlicher beschreiben" in contact.last.text
        assert "⏭ Überspringen" in contact.last.button_labels()
        draft = await first.data.drafts.get(CONTACT)
        assert draft is not None and draft.step == "body"
    async with running(settings, clock) as second:  # a restart: the draft is in SQLite
        contact = second.user(CONTACT, "Clara")
        await contact.send(BODY)
        assert "Zu welcher Herausforderung gehört die Idee?" in contact.last.text
        assert "Keine Herausforderung" in contact.last.button_labels()
        await contact.tap(CHALLENGE)
        preview = contact.last.text
        assert preview.startswith("Vorschau – so sehen Bürgerinnen und Bürger die Idee:")
        assert TITLE in preview and "Region: Region Köln" in preview and CHALLENGE in preview
        assert SUMMARY in preview and "Sie teilen Vorlagen für Dienstpläne." in preview
        await contact.tap("✏️ Ändern")
        await contact.tap("Titel")
        await contact.send("Pflegekräfte halten in der Region Köln")
        assert "Pflegekräfte halten in der Region Köln" in contact.last.text  # the preview again
        publish = contact.last.callback_data("✅ Veröffentlichen")
        await contact.tap("✅ Veröffentlichen")
        assert contact.last.text == "✅ Veröffentlicht: Pflegekräfte halten in der Region Köln"
        await contact.tap_data(publish or "", message=contact.last)  # a second tap
        assert contact.answers[-1].text == "Dieser Schritt ist nicht mehr aktuell."
        created = await second.data.db.fetchall(
            "SELECT slug, region_id, challenge_id, origin, body, shipped FROM ideas"
            " WHERE title = 'Pflegekräfte halten in der Region Köln'"
        )
        assert len(created) == 1
        koeln = await second.data.regions.get_by_slug("koeln")
        assert koeln is not None and created[0]["region_id"] == koeln.id
        assert created[0]["origin"] == "staff" and created[0]["shipped"] == 0
        assert created[0]["body"] == BODY and created[0]["challenge_id"] is not None
        assert await audit_rows(second, "idea_create") == [
            (str(CONTACT), f"idea:{(await idea(second, created[0]['slug'])).id}")
        ]
        await contact.tap("💡 Zur Idee")  # what citizens see, with the staff's button
        assert "Pflegekräfte halten in der Region Köln" in contact.last.text
        assert "🛠 Idee verwalten" in contact.last.button_labels()
        second.api.assert_no_errors()
        assert second.errors == []


async def test_cancel_in_the_middle_keeps_nothing(harness: Harness) -> None:
    contact = await contact_of(harness, "koeln")
    before = await count(harness, "SELECT COUNT(*) FROM ideas")
    await contact.command("neue_idee")
    await contact.send(TITLE)
    await contact.command("abbrechen")
    assert contact.last.text == "Abgebrochen. Es wurde nichts gespeichert."
    assert await harness.data.drafts.get(CONTACT) is None
    await contact.send("Lünen")  # the region finder again, not the dialogue
    assert "Westfälisches Ruhrgebiet" in contact.last.text
    assert await count(harness, "SELECT COUNT(*) FROM ideas") == before
    assert await audit_rows(harness, "idea_create") == []


async def test_an_english_contact_gets_the_dialogue_in_english(harness: Harness) -> None:
    contact = await contact_of(harness, "koeln", "bonn-rhein-sieg", language="en")
    await contact.command("new_idea")
    assert contact.last.text.startswith("💡 New idea")
    assert "Which region is the idea for?" in contact.last.text
    assert contact.last.button_labels()[:2] == ["Bonn/Rhein-Sieg", "Region Köln"]
    await contact.tap("Region Köln")
    await refused(
        harness, contact, "x" * 121, "That is too long: 121 characters, at most 120 are allowed."
    )


async def test_a_contact_is_refused_for_another_region(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    contact = await contact_of(harness, "koeln", "bonn-rhein-sieg")
    before = await count(harness, "SELECT COUNT(*) FROM ideas")
    with caplog.at_level(logging.WARNING):
        await contact.command("neue_idee", "muensterland")  # a forged command argument
    assert contact.last.text.startswith(OUTSIDE)
    assert "outside the person's regions" in caplog.text and str(CONTACT) not in caplog.text
    assert await harness.data.drafts.get(CONTACT) is None
    await contact.command("neue_idee", "niemandsland")
    assert "Die Region „niemandsland“ kenne ich nicht" in contact.last.text
    assert "bonn-rhein-sieg, koeln" in contact.last.text

    await contact.command("neue_idee")
    assert "Region Köln" in contact.last.button_labels()
    assert "Münsterland" not in contact.last.button_labels()
    muensterland = await harness.data.regions.get_by_slug("muensterland")
    assert muensterland is not None
    await contact.tap_data(cb.StaffAnswer("region", muensterland.id).encode())  # forged
    assert (contact.answers[-1].text or "").startswith(OUTSIDE)
    assert contact.last.text.startswith(OUTSIDE)
    assert await harness.data.drafts.get(CONTACT) is None

    other = await idea(harness)  # an idea of the Münsterland: no staff button, no menu
    await contact.command("start", f"idea_{other.slug}")
    assert "🛠 Idee verwalten" not in contact.last.button_labels()
    for task in ("m", "e", "n", "s", "a", "r"):
        await contact.tap_data(cb.ManageIdea(other.id, task).encode())
        assert contact.last.text.startswith(OUTSIDE), task
    with pytest.raises(NotAllowedError):  # and the service checks again, in its transaction
        await harness.data.idea_staff.create(
            CONTACT,
            IdeaFields(title="Nicht meine Region", region_id=muensterland.id, summary=SUMMARY),
        )
    assert await count(harness, "SELECT COUNT(*) FROM ideas") == before
    assert await audit_rows(harness, "idea_create") == []


async def test_a_revoked_contact_cannot_finish_the_dialogue(harness: Harness) -> None:
    contact = await contact_of(harness, "koeln")
    await contact.command("neue_idee")
    await contact.send(TITLE)
    koeln = await harness.data.regions.get_by_slug("koeln")
    assert koeln is not None
    await harness.data.roles.revoke(CONTACT, "contact", koeln.id)
    await contact.send(SUMMARY)
    assert (
        contact.last.text == "Dafür fehlt Ihnen die Berechtigung. Ihr Versuch wurde protokolliert."
    )
    assert await harness.data.drafts.get(CONTACT) is None
