"""Citizens' dialogues as a user sees them: what was typed is kept, texts say what applies."""

from __future__ import annotations

import datetime as dt

from icalendar import Calendar
from workgroup_helpers import IDEA, load, register, rows

from bot.offline.fake_user import FakeUser
from messages import actions as cb
from storage.workshops import WorkshopFields

from conftest import ADMIN_ID, Harness
from stories.admin import START, add_workshop
from stories.comments import open_idea, start_writing
from stories.dialogues import refused
from stories.workgroups import announced, withdraw
from stories.workshops import open_detail


def ics(user: FakeUser) -> bytes:
    """The calendar file the user got last."""
    document = user.last.document
    assert document is not None and document.filename.endswith(".ics")
    return document.content


async def person(h: Harness, user_id: int, language_code: str = "de") -> FakeUser:
    """A citizen who has used the bot."""
    user = h.user(user_id, f"Person {user_id}", language_code=language_code)
    await user.command("start")
    return user


async def test_a_comment_typed_before_the_name_is_chosen_is_kept(harness: Harness) -> None:
    erika = harness.user()
    await start_writing(erika, name=None)
    text = "Eine gute Idee für unsere Region, finde ich."
    await erika.send(text)  # the natural thing: the comment right away
    assert "Ihr Text ist gespeichert" in erika.messages[-2].text
    assert erika.last.buttons[0] == ["👤 Erika", "🕶 anonym"]
    await erika.tap("👤 Erika")
    assert "so erscheint Ihr Kommentar" in erika.last.text and text in erika.last.text
    await erika.tap("✅ Absenden")
    [stored] = await harness.data.comments.repo.by_user(erika.user_id)
    assert stored.text == text


async def test_an_english_comment_typed_before_the_name_is_kept(harness: Harness) -> None:
    anna = harness.user(4713, "Anna", language_code="en")
    await open_idea(anna)
    await anna.tap("✍️ Comment")
    await anna.send("A good idea for our region, I think.")
    assert "Your text is saved" in anna.messages[-2].text
    await anna.tap("🕶 anonymous")
    assert "under the name anonymous:" in anna.last.text
    assert "A good idea for our region, I think." in anna.last.text


async def test_a_kept_text_is_still_checked(harness: Harness) -> None:
    erika = harness.user()
    await start_writing(erika, name=None)
    await erika.send("kurz")
    await erika.tap("🕶 anonym")
    assert "mit 4 Zeichen zu kurz" in erika.last.text
    assert "Bitte schreiben Sie ihn mir jetzt als Nachricht" in erika.last.text


async def test_emoji_only_is_named_before_too_short(harness: Harness) -> None:
    erika = harness.user()
    await start_writing(erika, name=None)
    await erika.tap("👤 Erika")
    await refused(harness, erika, "👍👍", "besteht nur aus Emojis oder Links")
    assert "zu kurz" not in erika.last.text


async def test_a_cancellation_tells_each_recipient_what_applies_to_them(harness: Harness) -> None:
    repo = harness.data.workshops.repo
    workshops = harness.data.workshops
    workshop_id = await add_workshop(harness, capacity=1)
    seat, waiting, fan = [await person(harness, n) for n in (5001, 5002, 5003)]
    subscriber = await person(harness, 5004, language_code="en")
    assert await workshops.register(workshop_id, seat.user_id, "Person 5001") == "confirmed"
    assert await workshops.register(workshop_id, waiting.user_id, "Person 5002") == "waiting"
    await repo.follow(workshop_id, fan.user_id, True, harness.clock())
    koeln = await harness.data.regions.get_by_slug("koeln")
    assert koeln is not None
    await repo.subscribe_region(koeln.id, subscriber.user_id, True, harness.clock())
    assert await workshops.cancel(workshop_id)
    await harness.deliver()
    told = {u.user_id: u.last.text for u in (seat, waiting, fan, subscriber)}
    assert "Ihre Anmeldung ist damit aufgehoben" in told[seat.user_id]
    assert "Ihr Platz auf der Warteliste entfällt" in told[waiting.user_id]
    assert "Ihre Erinnerungen für diesen Termin sind gelöscht" in told[fan.user_id]
    assert "Erinnerungen" not in told[seat.user_id] + told[waiting.user_id]
    assert "You are receiving this because you follow new dates" in told[subscriber.user_id]
    assert "reminders" not in told[subscriber.user_id]


async def test_a_changed_date_brings_the_calendar_along(harness: Harness) -> None:
    workshops = harness.data.workshops
    workshop_id = await add_workshop(harness)
    fan = await person(harness, 5001)
    await fan.tap_data(cb.ShowWorkshop(workshop_id).encode(), message=fan.last)
    await fan.tap("📅 In den Kalender")
    [event] = Calendar.from_ical(ics(fan)).walk("VEVENT")
    await harness.data.workshops.repo.follow(workshop_id, fan.user_id, True, harness.clock())
    before = await workshops.repo.get(workshop_id)
    assert before is not None
    later = START + dt.timedelta(hours=2)
    fields = WorkshopFields(
        region_id=before.region_id,
        title=before.title,
        starts_at=later,
        ends_at=later + dt.timedelta(hours=4),
        venue=before.venue,
        address=before.address,
    )
    assert await workshops.update(workshop_id, fields)
    await harness.deliver()
    assert fan.last.text.startswith("⚠️ Änderung")
    await fan.tap("📅 Kalender aktualisieren")
    [changed] = Calendar.from_ical(ics(fan)).walk("VEVENT")
    assert changed["UID"] == event["UID"]
    assert int(changed.decoded("SEQUENCE")) > int(event.decoded("SEQUENCE"))
    assert changed.decoded("DTSTART") == later


# ------------------------------------------------------------------ Mitmachen


async def test_the_consent_screen_changes_each_field_before_sending(harness: Harness) -> None:
    await load(harness)
    erika = harness.user()
    await register(erika, email="erika@example.org")
    assert erika.last.buttons == [
        ["✅ Einverstanden, senden"],
        ["✏️ Name", "✏️ E-Mail"],
        ["✏️ Telefon", "✏️ Nachricht"],
        ["✖️ Abbrechen"],
    ]
    await erika.tap("✏️ E-Mail")
    assert "E-Mail-Adresse" in erika.last.text
    assert erika.last.buttons[:2] == [["✅ Beibehalten: erika@example.org"], ["🗑 Weglassen"]]
    await erika.send("erika.neu@example.org")  # straight back to the consent screen
    assert "E-Mail: erika.neu@example.org" in erika.last.text
    assert erika.last.buttons[0] == ["✅ Einverstanden, senden"]
    await erika.tap("✏️ Name")
    await erika.send("Erika Mustermann")
    assert "Name: Erika Mustermann" in erika.last.text
    await erika.send("+49 211 123456")  # typed at the consent screen: kept for the next field
    assert "Ihr Text ist gespeichert" in erika.messages[-2].text
    await erika.tap("✏️ Telefon")
    assert "Telefon: +49211123456" in erika.last.text
    await erika.tap("✏️ E-Mail")
    await erika.tap("🗑 Weglassen")
    assert "E-Mail" not in erika.last.text.split("Arbeitsgruppe", 1)[1].split("gehen an")[0]
    await erika.tap("✅ Einverstanden, senden")
    [row] = await rows(harness)
    assert (row["name"], row["email"], row["phone"]) == ("Erika Mustermann", None, "+49211123456")


async def test_the_english_consent_screen_has_change_buttons(harness: Harness) -> None:
    await load(harness)
    anna = harness.user(4713, "Anna", language_code="en")
    await anna.command("start", f"idea_{IDEA}")
    await anna.tap("🙋 Join in")
    await anna.tap("✅ Use: Anna")
    for _ in range(3):
        await anna.tap("⏭ Skip")
    assert anna.last.buttons[1:3] == [["✏️ Name", "✏️ E-mail"], ["✏️ Phone", "✏️ Message"]]
    await anna.tap("✏️ Name")
    assert anna.last.buttons[0] == ["✅ Keep: Anna"]


async def test_updating_a_registration_keeps_the_current_values(harness: Harness) -> None:
    await load(harness)
    erika = harness.user()
    await register(erika, email="erika@example.org", phone="0211 123456", message="Gern!")
    await erika.tap("✅ Einverstanden, senden")
    await erika.command("start", f"idea_{IDEA}")
    await erika.tap("🙋 Mitmachen")
    await erika.tap("✏️ Angaben aktualisieren")
    assert erika.last.buttons[0] == ["✅ Beibehalten: Erika"]
    await erika.tap("✅ Beibehalten: Erika")
    await erika.tap("✅ Beibehalten: erika@example.org")
    await erika.send("0211 654321")
    await erika.tap("✅ Beibehalten: Gern!")
    screen = erika.last.text
    assert "E-Mail: erika@example.org" in screen and "Telefon: +49211654321" in screen
    assert "Nachricht: Gern!" in screen
    await erika.tap("✅ Einverstanden, senden")
    [row] = await rows(harness)
    assert (row["email"], row["phone"], row["message"]) == (
        "erika@example.org",
        "+49211654321",
        "Gern!",
    )


async def test_withdrawing_asks_once(harness: Harness) -> None:
    await load(harness)
    erika = harness.user()
    await register(erika)
    await erika.tap("✅ Einverstanden, senden")
    await erika.command("meine_gruppen")
    await erika.tap("↩️ Nr. 1 zurückziehen")
    assert "wirklich zurückziehen" in erika.last.text
    assert erika.last.buttons == [["↩️ Ja, zurückziehen"], ["« Nein, behalten"]]
    assert [r["status"] for r in await rows(harness)] == ["new"]
    await erika.tap("« Nein, behalten")
    assert "1. Fachkräfte NiederRhein" in erika.last.text
    await erika.tap("↩️ Nr. 1 zurückziehen")
    await erika.tap("↩️ Ja, zurückziehen")
    assert any("wurde zurückgezogen" in text for text in erika.texts())
    assert [r["status"] for r in await rows(harness)] == ["withdrawn"]


# ------------------------------------------------------------------ workshop registration


async def test_a_workshop_registration_passes_on_a_chosen_name(harness: Harness) -> None:
    workshop_id = await add_workshop(harness, capacity=10)
    erika = harness.user(4711, "Erika")
    await open_detail(erika, workshop_id)
    await erika.tap("🙋 Ich nehme teil")
    assert "Ihren Namen „Erika“" in erika.last.text
    assert "ein anderer Name" in erika.last.text
    await erika.send("Erika Musterfrau")
    assert "Ihren Namen „Erika Musterfrau“" in erika.last.text
    await erika.tap("✅ Ja, anmelden")
    rows = await harness.data.workshops.repo.participants(workshop_id)
    assert [r.display_name for r in rows] == ["Erika Musterfrau"]
    assert await harness.data.drafts.get(erika.user_id) is None


async def test_an_english_registration_name_and_cancelling_it(harness: Harness) -> None:
    workshop_id = await add_workshop(harness, capacity=10)
    anna = harness.user(4713, "Anna", language_code="en")
    await open_detail(anna, workshop_id)
    await anna.tap("🙋 I'll take part")
    assert "your name “Anna”" in anna.last.text and "another name" in anna.last.text
    await anna.tap("Cancel")
    assert await harness.data.drafts.get(anna.user_id) is None  # a later text is not a name
    assert await harness.data.workshops.repo.participants(workshop_id) == []


# ------------------------------------------------------------------ moderation outcomes


async def write_comment(user: FakeUser, text: str) -> None:
    """Write and submit a comment (first name)."""
    await user.command("start", f"idea_{IDEA}")
    await user.tap(user.last.button_labels()[1])  # ✍️ Kommentieren / Comment
    if len(user.last.buttons) > 1 and len(user.last.buttons[0]) == 2:
        await user.tap(user.last.buttons[0][0])  # the first name
    await user.send(text)
    await user.tap(user.last.buttons[0][0])  # ✅ Absenden / Submit


async def test_a_rejected_comment_is_revised_from_the_notice(harness: Harness) -> None:
    erika = harness.user()
    await write_comment(erika, "Eine gute Idee für unsere ganze Region, finde ich wirklich.")
    [comment] = await harness.data.comments.repo.by_user(erika.user_id)
    await harness.data.moderation.decide("comment", comment.id, ADMIN_ID, "reject", "Zu pauschal")
    await harness.deliver()
    notice = erika.last
    assert "Ihr Kommentar „Eine gute Idee für unsere ganze…“ zur Idee" in notice.text
    assert "Begründung: Zu pauschal" in notice.text
    await erika.tap("✏️ Überarbeiten und neu senden", message=notice)
    shown = erika.messages[-2].text  # the old text to copy, then the usual question
    assert "Eine gute Idee für unsere ganze Region, finde ich wirklich." in shown
    assert "überarbeitete Fassung" in shown and "Ihr Kommentar zur Idee" in erika.last.text
    await erika.send("Eine gute Idee, weil sie Pendelwege in der Region verkürzt.")
    await erika.tap("✅ Absenden")
    [revised] = await harness.data.comments.repo.by_user(erika.user_id)  # replaces the old one
    assert revised.text.startswith("Eine gute Idee, weil") and revised.status == "pending"


async def test_a_rejected_comment_is_revised_from_my_comments(harness: Harness) -> None:
    anna = harness.user(4713, "Anna", language_code="en")
    await write_comment(anna, "Great idea for the whole region, I really think so.")
    [comment] = await harness.data.comments.repo.by_user(anna.user_id)
    await harness.data.moderation.decide("comment", comment.id, ADMIN_ID, "reject")
    await harness.deliver()
    assert "Your comment “Great idea for the whole region, I…” on the idea" in anna.last.text
    await anna.command("my_comments")
    await anna.tap("✏️ Revise no. 1")
    assert "revised version" in anna.messages[-2].text
    await anna.send("Great idea, because it shortens commutes in the region.")
    await anna.tap("✅ Submit")
    [revised] = await harness.data.comments.repo.by_user(anna.user_id)
    assert revised.text.startswith("Great idea, because")


async def test_an_approval_names_the_comment(harness: Harness) -> None:
    erika = harness.user()
    await write_comment(erika, "Das ist mein erster Kommentar zu dieser Idee.")
    [comment] = await harness.data.comments.repo.by_user(erika.user_id)
    await harness.data.moderation.decide("comment", comment.id, ADMIN_ID, "approve")
    await harness.deliver()
    assert erika.last.text.startswith("✅ Ihr Kommentar „Das ist mein erster Kommentar zu")
    assert erika.last.buttons == []


async def test_a_withdrawal_marks_the_contacts_earlier_notices(harness: Harness) -> None:
    anna, erika, notice = await announced(harness)
    await withdraw(erika)
    await harness.deliver()
    assert "hat die Meldung für die Arbeitsgruppe" in anna.last.text  # told anew, as before
    assert notice.text.startswith("↩️ Zurückgezogen")  # and the old notice says so
    assert "erika@example.org" not in notice.text and notice.buttons == []
    await harness.deliver()
    assert notice.edited == 1  # once
