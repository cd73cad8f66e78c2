"""A citizen's buttons on things that changed meanwhile say what happened and show the state."""

from __future__ import annotations

from workgroup_helpers import link_contact, load

from messages import actions as cb

from conftest import Harness
from stories.comments import comment
from stories.screens import copies
from stories.workshops import add_workshop, open_detail

ALREADY = "Dieser Kommentar ist bereits gelöscht."
EMPTY = "Sie haben noch keine Kommentare geschrieben."


async def test_deleting_a_comment_deleted_meanwhile(harness: Harness) -> None:
    erika = harness.user()
    await comment(erika, "Den lösche ich gleich zweimal")
    first, second, third = await copies(erika, "meine_kommentare", 3)
    await erika.tap("🗑 Löschen: Nr. 1", message=third)
    confirm = erika.last
    assert confirm.buttons[0] == ["🗑 Ja, endgültig löschen"]
    await erika.tap("🗑 Löschen: Nr. 1", message=first)
    await erika.tap("🗑 Ja, endgültig löschen", message=first)
    assert "Ihr Kommentar wurde gelöscht." in first.text
    # An older list: told, and shown as it is now.
    await erika.tap("🗑 Löschen: Nr. 1", message=second)
    assert erika.answers[-1].text == ALREADY
    assert EMPTY in second.text and "🗑 Löschen: Nr. 1" not in str(second.buttons)
    # A confirmation from before: the same.
    await erika.tap("🗑 Ja, endgültig löschen", message=confirm)
    assert erika.answers[-1].text == ALREADY
    assert EMPTY in confirm.text and confirm.buttons[0] != ["🗑 Ja, endgültig löschen"]


async def test_ending_a_registration_or_subscription_twice(harness: Harness) -> None:
    """Two copies of /meine_termine: the second tap says it is over and shows the list anew."""
    workshop_id = await add_workshop(harness, capacity=10)
    erika = harness.user()
    await open_detail(erika, workshop_id)
    await erika.tap("🙋 Ich nehme teil")
    await erika.tap("✅ Ja, anmelden")
    koeln = await harness.data.regions.get_by_slug("koeln")
    assert koeln is not None
    await harness.data.workshops.repo.subscribe_region(
        koeln.id, erika.user_id, True, harness.clock()
    )
    first, second = await copies(erika, "meine_termine")
    await erika.tap("✖️ Abmelden", message=first)
    await erika.tap("✖️ Abo beenden: Region Köln", message=first)
    await erika.tap("✖️ Abmelden", message=second)
    assert erika.answers[-1].text == "Sie sind für diesen Termin nicht (mehr) angemeldet."
    assert "✖️ Abmelden" not in str(second.buttons)
    await erika.tap_data(cb.SubscribeRegion(koeln.id, 0).encode(), message=first)
    assert erika.answers[-1].text == "Sie haben Region Köln nicht (mehr) abonniert."
    assert await harness.data.workshops.repo.participants(workshop_id) == []


async def test_removing_a_contact_removed_meanwhile(harness: Harness) -> None:
    await load(harness)
    await link_contact(harness)
    admin = harness.admin()
    first, second = await copies(admin, "kontakte")
    await admin.tap("🗑 Anna Schmidt (NiederRhein) entfernen", message=first)
    assert admin.answers[-1].text == "✅ Die Verknüpfung wurde entfernt."
    await admin.tap("🗑 Anna Schmidt (NiederRhein) entfernen", message=second)
    assert admin.answers[-1].text == "Diese Verknüpfung gibt es nicht mehr."
    assert "Es ist noch keine Ansprechperson mit Telegram verknüpft." in admin.last.text
    row = await harness.data.db.fetchone(
        "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'contact_remove'"
    )
    assert row is not None and row["n"] == 1  # the second tap changed and logged nothing
