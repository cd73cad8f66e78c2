"""The workshop dialogues as an admin uses them: back, cancel with a question, dates in words
(German and English) shown back for confirmation, clock-change times refused."""

from __future__ import annotations

from bot.offline.fake_user import FakeUser

from conftest import ADMIN_ID, Harness
from stories.admin import add_workshop, draft_step, open_field
from stories.dialogues import refused

# The harness clock: Wednesday, 25 November 2026, 11:00 in Berlin.


async def admin_in(harness: Harness, language: str) -> FakeUser:
    """The configured admin, using the bot in the given language."""
    admin = harness.user(user_id=ADMIN_ID, first_name="Ada", language_code=language)
    await admin.command("start")
    await harness.data.users.set_language(ADMIN_ID, language, harness.clock())
    harness.data.languages.pop(ADMIN_ID, None)
    return admin


async def to_start(admin: FakeUser, command: str) -> None:
    """Start the new-workshop dialogue up to the question for the start."""
    await admin.command(command)
    await admin.tap(next(b for b in admin.last.button_labels() if "Köln" in b))
    await admin.send("Gute Arbeit in Köln")


async def test_german_dates_in_words_back_and_cancel_with_a_question(harness: Harness) -> None:
    admin = await admin_in(harness, "de")
    await to_start(admin, "neuer_termin")
    assert "« Zurück" in admin.last.button_labels()
    await admin.send("morgen 14 Uhr")
    assert "✅ Verstanden: Donnerstag, 26. November 2026, 14:00 Uhr" in admin.last.text
    assert "Wann endet es?" in admin.last.text
    await admin.tap("« Zurück")  # the start was not meant: back to it, the answer shown
    assert await draft_step(harness) == "starts" and "Wann beginnt es?" in admin.last.text
    assert "Bisher: Donnerstag, 26. November 2026, 14:00 Uhr" in admin.last.text
    await admin.send("Freitag 10:00")
    assert "✅ Verstanden: Freitag, 27. November 2026, 10:00 Uhr" in admin.last.text
    await admin.send("12 Uhr")
    assert "✅ Verstanden: Freitag, 27. November 2026, 10:00–12:00 Uhr" in admin.last.text
    assert "Wo findet es statt?" in admin.last.text
    await admin.tap("« Zurück")
    await admin.tap("« Zurück")
    await admin.tap("« Zurück")
    assert await draft_step(harness) == "title" and "Bisher: Gute Arbeit in Köln" in admin.last.text
    await admin.tap("✖️ Abbrechen")  # a filled form: asked first
    assert "Wirklich abbrechen?" in admin.last.text
    assert admin.last.button_labels() == ["🗑 Ja, verwerfen", "« Nein, weiter ausfüllen"]
    assert await draft_step(harness) == "title"
    await admin.tap("« Nein, weiter ausfüllen")
    assert "Wie lautet der Titel?" in admin.last.text
    await admin.tap("✖️ Abbrechen")
    await admin.tap("🗑 Ja, verwerfen")
    assert admin.last.text.startswith("Abgebrochen. Es wurde nichts gespeichert.")
    assert await draft_step(harness) is None


async def test_an_empty_form_is_cancelled_without_a_question(harness: Harness) -> None:
    admin = await admin_in(harness, "de")
    await admin.command("neuer_termin")
    assert "« Zurück" not in admin.last.button_labels()  # nothing before the first step
    await admin.tap("✖️ Abbrechen")
    assert admin.last.text.startswith("Abgebrochen.")
    assert await draft_step(harness) is None


async def test_english_dates_in_words_are_shown_back(harness: Harness) -> None:
    admin = await admin_in(harness, "en")
    await to_start(admin, "new_date")
    assert "tomorrow 2pm" in admin.last.text  # the example in the question
    await admin.send("tomorrow 2pm")
    assert "✅ Understood: Thursday, 26 November 2026, 14:00" in admin.last.text
    await admin.tap("« Back")
    await admin.send("20 Jan 2027 14:00")
    assert "✅ Understood: Wednesday, 20 January 2027, 14:00" in admin.last.text
    await admin.send("5pm")
    assert "✅ Understood: Wednesday, 20 January 2027" in admin.last.text
    assert "Where does it take place?" in admin.last.text
    await admin.tap("✖️ Cancel")
    assert "Really cancel?" in admin.last.text
    await admin.tap("🗑 Yes, discard")
    assert admin.last.text.startswith("Cancelled.")


async def test_times_on_the_clock_change_days_are_refused_clearly(harness: Harness) -> None:
    admin = await admin_in(harness, "de")
    await to_start(admin, "neuer_termin")
    await refused(
        harness, admin, "28.03.2027 02:30", "wegen der Umstellung auf die Sommerzeit nicht"
    )
    await refused(harness, admin, "31.10.2027 02:30", "Diese Uhrzeit gibt es am 31.10.2027 zweimal")
    assert await draft_step(harness) == "starts"
    english = await admin_in(harness, "en")
    await to_start(english, "new_date")
    await refused(harness, english, "31 Oct 2027 2:30am", "This time occurs twice on 31 Oct 2027")
    await english.send("31 Oct 2027 3:00am")
    assert "✅ Understood: Sunday, 31 October 2027, 03:00" in english.last.text


async def test_changing_a_date_asks_before_a_typed_change_is_thrown_away(
    harness: Harness,
) -> None:
    await add_workshop(harness)
    admin = await admin_in(harness, "de")
    await admin.command("termin_aendern")
    await admin.tap(next(b for b in admin.last.button_labels() if "Gute Arbeit" in b))
    await admin.tap("✖️ Abbrechen")  # nothing typed yet: leaves at once
    assert admin.last.text.startswith("Abgebrochen.")
    admin = await open_field(harness, "Zeit")
    await admin.send("morgen 9 Uhr")
    assert "✅ Verstanden: Donnerstag, 26. November 2026, 09:00 Uhr" in admin.last.text
    await admin.tap("✖️ Abbrechen")
    assert "Wirklich abbrechen?" in admin.last.text
    await admin.tap("« Nein, weiter ausfüllen")
    assert "Wann endet es?" in admin.last.text
