"""Admins change and cancel Ideenlabore; reminders follow, everyone concerned is told."""

from __future__ import annotations

import datetime as dt

from bot.offline.fake_user import FakeUser
from messages.workshops import notice_cancelled, notice_changed, when
from storage.workshops import WorkshopFields

from conftest import ADMIN_ID, Harness
from stories.admin import BERLIN, PICK, START, add_workshop, open_field, stored
from stories.dialogues import refused

UTC = dt.UTC
END = dt.datetime(2027, 5, 12, 18, 0, tzinfo=BERLIN)


async def person(h: Harness, user_id: int) -> FakeUser:
    """A citizen who has used the bot."""
    user = h.user(user_id=user_id, first_name=f"Person {user_id}")
    await user.command("start")
    return user


async def followed_workshop(h: Harness) -> tuple[int, FakeUser]:
    """A workshop and a citizen who follows it (with reminders)."""
    workshop_id = await add_workshop(h)
    fan = await person(h, 5001)
    await h.data.workshops.repo.follow(workshop_id, fan.user_id, True, h.clock())
    return workshop_id, fan


async def notice(h: Harness, workshop_id: int, **change: object) -> str:
    """The change notice (as messages.workshops renders it) for a change of the workshop."""
    workshop = await stored(h, workshop_id)
    return notice_changed("de", workshop, workshop.model_copy(update=change), BERLIN) or ""


async def test_changing_the_time_reschedules_reminders_and_tells_the_follower(
    harness: Harness,
) -> None:
    repo = harness.data.workshops.repo
    workshop_id, fan = await followed_workshop(harness)
    reminders = [(r.due_at, r.state) for r in await repo.reminders_of(workshop_id)]
    assert reminders == [
        (dt.datetime(2027, 5, 5, 7, 0, tzinfo=UTC), "pending"),
        (dt.datetime(2027, 5, 11, 7, 0, tzinfo=UTC), "pending"),
    ]
    admin = harness.admin()
    await admin.command("termin_aendern")
    assert admin.last.text == "Termin ändern\nWelchen Termin möchten Sie ändern?"
    assert admin.last.button_labels() == [PICK, "✖️ Abbrechen"]
    before = await stored(harness, workshop_id)
    await admin.tap(PICK)
    old = when("de", START, END, BERLIN)
    await admin.tap("Zeit")
    assert admin.last.text.startswith("Termin ändern: Gute Arbeit in Köln")
    assert f"Bisher: {old}" in admin.last.text
    await admin.send("19.05.2027 10:00")
    assert (
        "Wann endet es?" in admin.last.text and "Beginn: Mi., 19.05.2027, 10:00" in admin.last.text
    )
    await admin.send("13:00")
    new_start = dt.datetime(2027, 5, 19, 10, 0, tzinfo=BERLIN)
    new = when("de", new_start, new_start + dt.timedelta(hours=3), BERLIN)
    preview = admin.last
    assert preview.text.startswith("Vorschau der Änderung")
    expected = await notice(
        harness, workshop_id, starts_at=new_start, ends_at=new_start + dt.timedelta(hours=3)
    )
    assert old in expected and new in expected
    assert expected in preview.html
    assert "1 Person (angemeldet, mit Erinnerung oder Abo der Region) wird benachrichtigt." in (
        preview.text
    )
    assert (await stored(harness, workshop_id)).starts_at == START
    await admin.tap("✅ Speichern und benachrichtigen")
    assert admin.last.text.startswith("✅ Gespeichert: Gute Arbeit in Köln")
    assert new in admin.last.text
    workshop = await stored(harness, workshop_id)
    assert workshop.status == "changed"
    assert (workshop.starts_at, workshop.ends_at) == (new_start, new_start + dt.timedelta(hours=3))
    after = [(r.due_at, r.state) for r in await repo.reminders_of(workshop_id)]
    assert after == [
        (dt.datetime(2027, 5, 12, 7, 0, tzinfo=UTC), "pending"),
        (dt.datetime(2027, 5, 18, 7, 0, tzinfo=UTC), "pending"),
    ]
    await harness.deliver()
    assert fan.last.html == notice_changed("de", before, workshop, BERLIN)
    assert old in fan.last.text and new in fan.last.text and "Gute Arbeit in Köln" in fan.last.text


async def test_title_validation_and_an_unchanged_value(harness: Harness) -> None:
    workshop_id = await add_workshop(harness)
    admin = await open_field(harness, "Titel")
    assert "Bisher: Gute Arbeit in Köln" in admin.last.text
    await refused(
        harness, admin, "x" * 201, "⚠️ Das ist zu lang: 201 Zeichen, erlaubt sind höchstens 200."
    )
    await refused(
        harness,
        admin,
        "Gute Arbeit in Köln",
        "⚠️ Das ist der bisherige Wert – es gibt nichts zu ändern.",
    )
    await admin.send_sticker()
    assert "Bitte antworten Sie mit einer Textnachricht." in admin.texts()[-2]
    draft = await harness.data.drafts.get(ADMIN_ID)
    assert draft is not None and draft.step == "title"
    await admin.send("Faire Arbeit in Köln")
    assert admin.last.text.startswith("Vorschau der Änderung")
    assert await notice(harness, workshop_id, title="Faire Arbeit in Köln") in admin.last.html
    assert "Niemand ist angemeldet" in admin.last.text


async def test_seats_cannot_drop_below_registrations_and_the_limit_can_be_lifted(
    harness: Harness,
) -> None:
    workshop_id = await add_workshop(harness, capacity=5)
    for user_id in (5001, 5002):
        await person(harness, user_id)
        assert await harness.data.workshops.register(workshop_id, user_id, "Name") == "confirmed"
    admin = await open_field(harness, "Plätze")
    assert "Bisher: 5" in admin.last.text
    await refused(harness, admin, "1", "⚠️ Es sind schon 2 Personen angemeldet.")
    await admin.tap("Ohne Begrenzung")
    assert await notice(harness, workshop_id, capacity=None) in admin.last.html
    assert "2 Personen (angemeldet, mit Erinnerung oder Abo der Region) werden" in admin.last.text
    await admin.tap("✅ Speichern und benachrichtigen")
    assert (await stored(harness, workshop_id)).capacity is None


async def test_the_link_can_be_replaced_or_removed(harness: Harness) -> None:
    workshop_id = await add_workshop(harness, registration_url="https://example.org/alt")
    admin = await open_field(harness, "Link")
    assert "Bisher: https://example.org/alt" in admin.last.text
    await refused(
        harness, admin, "mailto:someone@example.org", "⚠️ Das ist keine gültige Webadresse."
    )
    await admin.tap("Link entfernen")
    assert await notice(harness, workshop_id, registration_url=None) in admin.last.html
    await admin.tap("✅ Speichern und benachrichtigen")
    assert (await stored(harness, workshop_id)).registration_url is None


async def test_the_list_has_pages_and_leaves_out_cancelled_and_started_dates(
    harness: Harness,
) -> None:
    for day in range(10):
        await add_workshop(harness, START + dt.timedelta(days=day), title=f"Termin {day}")
    await harness.data.workshops.cancel(await add_workshop(harness, title="Abgesagt"))
    await add_workshop(harness, dt.datetime(2026, 11, 25, 9, 0, tzinfo=BERLIN), title="Läuft")
    admin = harness.admin()
    await admin.command("termin_aendern")
    assert "Seite 1 von 2" in admin.last.text
    labels = admin.last.button_labels()
    assert len(labels) == 10 and labels[0].endswith("Termin 0") and labels[-2] == "Weiter ›"
    await admin.tap("Weiter ›")
    assert "Seite 2 von 2" in admin.last.text
    assert admin.last.button_labels() == [
        "Do., 20.05.2027, 14:00 · Termin 8",
        "Fr., 21.05.2027, 14:00 · Termin 9",
        "‹ Zurück",
        "✖️ Abbrechen",
    ]
    assert not [label for label in admin.last.button_labels() if "Abgesagt" in label]
    assert not [label for label in admin.last.button_labels() if "Läuft" in label]


async def test_a_change_made_meanwhile_is_not_overwritten(harness: Harness) -> None:
    workshop_id = await add_workshop(harness)
    admin = await open_field(harness, "Ort")
    await admin.send("Rathaus")
    workshop = await stored(harness, workshop_id)
    fields = WorkshopFields(
        region_id=workshop.region_id,
        title="Von jemand anderem geändert",
        starts_at=workshop.starts_at,
        ends_at=workshop.ends_at,
    )
    await harness.data.workshops.update(workshop_id, fields)
    await admin.tap("✅ Speichern und benachrichtigen")
    assert admin.last.text.startswith("Der Termin wurde inzwischen geändert oder abgesagt.")
    assert (await stored(harness, workshop_id)).venue == ""


async def test_cancelling_tells_followers_and_subscribers_and_drops_reminders(
    harness: Harness,
) -> None:
    repo = harness.data.workshops.repo
    workshop_id, fan = await followed_workshop(harness)
    subscriber = await person(harness, 5002)
    koeln = await harness.data.regions.get_by_slug("koeln")
    assert koeln is not None
    await repo.subscribe_region(koeln.id, subscriber.user_id, True, harness.clock())
    bystander = await person(harness, 5003)
    admin = harness.admin()
    await admin.command("termin_absagen")
    assert admin.last.text == "Termin absagen\nWelchen Termin möchten Sie absagen?"
    await admin.tap(PICK)
    before = await stored(harness, workshop_id)
    question = admin.last
    assert question.text.startswith("Diesen Termin wirklich absagen?")
    assert "2 Personen (angemeldet, mit Erinnerung oder Abo der Region) werden" in question.text
    confirm = question.callback_data("❌ Ja, absagen")
    assert confirm is not None
    await admin.tap("❌ Ja, absagen")
    assert admin.last.text.startswith("❌ Abgesagt: Gute Arbeit in Köln")
    assert (await stored(harness, workshop_id)).status == "cancelled"
    assert {r.state for r in await repo.reminders_of(workshop_id)} == {"dropped"}
    await admin.tap_data(confirm, message=question)  # a second tap changes nothing
    assert admin.answers[-1].text == "Dieser Schritt ist nicht mehr aktuell."
    await harness.deliver()
    for user, had in ((fan, "reminder"), (subscriber, "subscriber")):
        assert [m.html for m in user.messages][-1] == notice_cancelled("de", before, BERLIN, had)
        assert [m for m in user.messages if "Gute Arbeit in Köln" in m.text] == [user.last]
    assert not [m for m in bystander.messages if "Gute Arbeit in Köln" in m.text]
    await admin.command("termin_absagen")
    assert admin.last.text.startswith("Es gibt keine anstehenden Termine")


async def test_a_date_cancelled_meanwhile_cannot_be_chosen(harness: Harness) -> None:
    workshop_id = await add_workshop(harness)
    admin = harness.admin()
    await admin.command("termin_aendern")
    await harness.data.workshops.cancel(workshop_id)
    await admin.tap(PICK)
    assert admin.answers[-1].text == (
        "Diesen Termin gibt es nicht mehr, er hat schon begonnen oder er ist abgesagt."
    )
    assert admin.last.text.startswith("Es gibt keine anstehenden Termine")


async def test_buttons_of_a_dialogue_that_was_left_are_stale(harness: Harness) -> None:
    workshop_id = await add_workshop(harness)
    admin = await open_field(harness, "Adresse")
    await admin.send("Neue Adresse 1")
    await admin.command("abbrechen")
    assert admin.last.text == "Abgebrochen. Es wurde nichts gespeichert."
    preview = admin.messages[-2]
    await admin.tap("✅ Speichern und benachrichtigen", message=preview)
    assert admin.answers[-1].text == "Dieser Schritt ist nicht mehr aktuell."
    assert (await stored(harness, workshop_id)).address == "Essen"
