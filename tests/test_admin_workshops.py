"""Admins publish an Ideenlabor step by step; bad input is asked again; drafts survive restarts."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from bot.config import Settings
from bot.offline.fake_user import FakeUser
from messages.workshops import notice_new, when

from conftest import FakeClock, Harness, running
from stories.admin import draft_step, up_to
from stories.dialogues import refused
from stories.taps import tap_twice

BERLIN = ZoneInfo("Europe/Berlin")
START = dt.datetime(2027, 5, 12, 14, 0, tzinfo=BERLIN)
END = dt.datetime(2027, 5, 12, 18, 0, tzinfo=BERLIN)


async def subscriber(h: Harness, user_id: int, region: str = "koeln") -> FakeUser:
    """A citizen who has used the bot and subscribed to a region's new dates."""
    user = h.user(user_id=user_id, first_name=f"Person {user_id}")
    await user.command("start")
    found = await h.data.regions.get_by_slug(region)
    assert found is not None
    await h.data.workshops.repo.subscribe_region(found.id, user.user_id, True, h.clock())
    return user


async def test_new_workshop_step_by_step_is_published_and_subscribers_notified(
    harness: Harness,
) -> None:
    fan = await subscriber(harness, 5001, "koeln")
    elsewhere = await subscriber(harness, 5002, "muensterland")
    admin = harness.admin()
    await admin.command("neuer_termin")
    assert admin.last.text.startswith("Neues Ideenlabor · Schritt 1 von 9")
    assert "Für welche Region ist das Ideenlabor?" in admin.last.text
    labels = admin.last.button_labels()
    assert len(labels) == 17 and "Region Köln" in labels and labels[-1] == "✖️ Abbrechen"
    await admin.tap("Region Köln")
    assert "Schritt 2 von 9" in admin.last.text and "Wie lautet der Titel?" in admin.last.text
    await admin.send("  Gute   Arbeit in Köln ")
    assert "Schritt 3 von 9" in admin.last.text and "Wann beginnt es?" in admin.last.text
    await admin.send("12.5.27 14 Uhr")
    assert "Wann endet es?" in admin.last.text
    assert "Beginn: Mi., 12.05.2027, 14:00" in admin.last.text
    await admin.send("18:00 Uhr")
    assert "Schritt 5 von 9" in admin.last.text and "Wo findet es statt?" in admin.last.text
    await admin.send("Zeche Zollverein, Halle 12")
    assert "Unter welcher Adresse?" in admin.last.text
    await admin.send("Gelsenkirchener Str. 181, 45309 Essen")
    assert (
        "Gibt es eine Webseite" in admin.last.text and "Überspringen" in admin.last.button_labels()
    )
    await admin.send("https://www.arbeit.nrw.de/ideenlabor")
    assert "Wie viele Plätze" in admin.last.text and "Ohne Begrenzung" in admin.last.button_labels()
    await admin.send("30")
    assert "Schritt 9 von 9" in admin.last.text and "Beschreibung" in admin.last.text
    await admin.send("Wir sammeln Ideen für <gute> Arbeit.")
    preview = admin.last
    assert preview.text.startswith("Vorschau – so sieht der Termin für Bürgerinnen und Bürger aus:")
    for part in (
        "Gute Arbeit in Köln",
        "Region: Region Köln",
        when("de", START, END, BERLIN),
        "Wo: Zeche Zollverein, Halle 12, Gelsenkirchener Str. 181, 45309 Essen",
        "Freie Plätze: 30 von 30",
        "Wir sammeln Ideen für <gute> Arbeit.",
        "Beim Veröffentlichen: 1 Person, die die Region abonniert hat, wird benachrichtigt.",
    ):
        assert part in preview.text
    assert 'href="https://www.arbeit.nrw.de/ideenlabor"' in preview.html
    assert preview.button_labels() == ["✅ Veröffentlichen", "✏️ Ändern", "« Zurück", "✖️ Abbrechen"]
    assert (await harness.data.workshops.repo.open_page(harness.clock(), 0)).total == 0
    await admin.tap("✅ Veröffentlichen")
    assert admin.last.text.startswith("✅ Veröffentlicht: Gute Arbeit in Köln")
    assert "1 Person, die die Region abonniert hat, wird benachrichtigt." in admin.last.text
    assert await draft_step(harness) is None
    page = await harness.data.workshops.repo.open_page(harness.clock(), 0)
    (workshop,) = page.items
    assert (workshop.starts_at, workshop.ends_at) == (START, END)
    assert workshop.starts_at.tzinfo == dt.UTC and workshop.starts_at.hour == 12
    assert (workshop.capacity, workshop.registration_url) == (
        30,
        "https://www.arbeit.nrw.de/ideenlabor",
    )
    assert len(await harness.data.workshops.repo.reminders_of(workshop.id)) == 2
    await harness.deliver()
    assert "Neues Ideenlabor" in fan.last.text and "Gute Arbeit in Köln" in fan.last.text
    assert fan.last.html == notice_new("de", workshop, BERLIN)
    assert not any("Neues Ideenlabor" in text for text in elsewhere.texts())


async def test_optional_steps_can_be_skipped(harness: Harness) -> None:
    admin = await up_to(harness, "link")
    await admin.tap("Überspringen")
    assert "Wie viele Plätze" in admin.last.text
    await admin.tap("Ohne Begrenzung")
    await admin.tap("Überspringen")
    assert "Plätze: ohne Begrenzung" in admin.last.text
    assert "Anmeldung/Infos" not in admin.last.text
    assert "Beim Veröffentlichen: Die Region hat noch keine Abonnierenden" in admin.last.text
    await admin.tap("✅ Veröffentlichen")
    (workshop,) = (await harness.data.workshops.repo.open_page(harness.clock(), 0)).items
    assert (workshop.registration_url, workshop.capacity, workshop.description) == (None, None, "")


@pytest.mark.parametrize(
    ("step", "text", "problem"),
    [
        (
            "starts",
            "31.02.2027 14:00",
            "Dieses Datum gibt es nicht. Bitte prüfen Sie Tag und Monat.",
        ),
        ("starts", "01.11.2026 10:00", "Dieser Zeitpunkt liegt in der Vergangenheit."),
        (
            "starts",
            "irgendwann nächste Woche",
            "Das habe ich nicht als Datum mit Uhrzeit verstanden.",
        ),
        ("starts", "12.05.2027", "Bitte geben Sie auch die Uhrzeit an"),
        (
            "starts",
            "28.03.2027 02:30",
            "Diese Uhrzeit gibt es an diesem Tag wegen der Umstellung auf die Sommerzeit nicht.",
        ),
        (
            "starts",
            "Fr, 12.05.2027 14:00",
            "Der Wochentag passt nicht zum Datum: Der 12.05.2027 ist ein Mittwoch.",
        ),
        ("ends", "12:00", "Das Ende muss nach dem Beginn (Mi., 12.05.2027, 14:00) liegen."),
        ("ends", "11.05.2027 18:00", "Das Ende muss nach dem Beginn"),
        ("ends", "25:00", "Diese Uhrzeit gibt es nicht."),
        ("title", "T" * 201, "Das ist zu lang: 201 Zeichen, erlaubt sind höchstens 200."),
        ("title", "   ", "Bitte schreiben Sie etwas Text."),
        ("venue", "V" * 201, "Das ist zu lang: 201 Zeichen, erlaubt sind höchstens 200."),
        ("address", "A" * 301, "Das ist zu lang: 301 Zeichen, erlaubt sind höchstens 300."),
        ("link", "ftp://example.org/datei", "Das ist keine gültige Webadresse."),
        ("link", "javascript:alert(1)", "Das ist keine gültige Webadresse."),
        ("link", "www.arbeit.nrw.de", "Das ist keine gültige Webadresse."),
        ("capacity", "dreißig", "Bitte schreiben Sie die Zahl der Plätze in Ziffern"),
        ("capacity", "0", "Die Zahl der Plätze muss mindestens 1 sein."),
        ("capacity", "-5", "Bitte schreiben Sie die Zahl der Plätze in Ziffern"),
        ("description", "D" * 2001, "Das ist zu lang: 2001 Zeichen, erlaubt sind höchstens 2000."),
    ],
)
async def test_invalid_input_is_explained_and_the_step_asked_again(
    harness: Harness, step: str, text: str, problem: str
) -> None:
    admin = await up_to(harness, step)
    question = admin.last.text.rsplit("\n\n", 1)[1]  # after a date's "understood" line
    await refused(harness, admin, text, "⚠️ " + problem)  # the step is kept (see up_to)
    assert admin.last.text.startswith("Neues Ideenlabor · Schritt")
    assert admin.last.text.endswith(question)  # the same question again


async def test_a_sticker_instead_of_text_keeps_the_step(harness: Harness) -> None:
    admin = await up_to(harness, "title")
    await admin.send_sticker()
    assert admin.texts()[-2] == "Bitte antworten Sie mit einer Textnachricht."
    assert "Wie lautet der Titel?" in admin.last.text
    assert await draft_step(harness) == "title"


async def test_typing_where_a_button_is_expected_gets_a_hint(harness: Harness) -> None:
    admin = await up_to(harness, "region")
    await refused(harness, admin, "Köln", "⚠️ Bitte wählen Sie über die Schaltflächen")


async def test_the_preview_can_be_amended_before_publishing(harness: Harness) -> None:
    admin = await up_to(harness, "description")
    await admin.tap("Überspringen")
    await admin.tap("✏️ Ändern")
    assert admin.last.button_labels()[:8] == [
        "Region",
        "Titel",
        "Zeit",
        "Ort",
        "Adresse",
        "Link",
        "Plätze",
        "Beschreibung",
    ]
    await admin.tap("Titel")
    assert "Wie lautet der Titel?" in admin.last.text and "Schritt" not in admin.last.text
    await admin.send("Faire Arbeit in Köln")
    assert admin.last.text.startswith("Vorschau") and "Faire Arbeit in Köln" in admin.last.text
    await admin.tap("✏️ Ändern")
    await admin.tap("Region")
    await admin.tap("Münsterland")
    assert "Region: Münsterland" in admin.last.text
    await admin.tap("✏️ Ändern")
    await admin.tap("Zeit")
    await admin.send("13.05.2027 9:00")
    await admin.send("12:30")
    assert (
        when(
            "de",
            START + dt.timedelta(days=1, hours=-5),
            END + dt.timedelta(days=1, hours=-5.5),
            BERLIN,
        )
        in admin.last.text
    )
    await admin.tap("✏️ Ändern")
    await admin.tap("« Zurück zur Vorschau")
    assert admin.last.text.startswith("Vorschau")


async def test_cancel_button_and_command_leave_the_dialogue(harness: Harness) -> None:
    admin = await up_to(harness, "region")
    await admin.tap("✖️ Abbrechen")
    assert admin.last.text == "Abgebrochen. Es wurde nichts gespeichert."
    assert await draft_step(harness) is None
    admin = await up_to(harness, "venue")
    await admin.command("abbrechen")
    assert admin.last.text == "Abgebrochen. Es wurde nichts gespeichert."
    assert await draft_step(harness) is None
    await admin.send("Köln")  # back to normal: the region finder answers
    assert "Region Köln" in admin.last.text
    assert (await harness.data.workshops.repo.open_page(harness.clock(), 0)).total == 0


async def test_the_dialogue_survives_a_restart(settings: Settings, clock: FakeClock) -> None:
    async with running(settings, clock) as first:
        admin = first.admin()
        await admin.command("neuer_termin")
        await admin.tap("Region Köln")
        await admin.send("Gute Arbeit in Köln")
        assert "Wann beginnt es?" in admin.last.text
    async with running(settings, clock) as second:
        admin = second.admin()
        await admin.send("12.05.2027 14:00")
        assert "Wann endet es?" in admin.last.text
        for answer in ("18:00", "Zeche", "Essen", "https://example.org", "20", "Beschreibung"):
            await admin.send(answer)
        assert "Gute Arbeit in Köln" in admin.last.text and "Region: Region Köln" in admin.last.text
        await admin.tap("✅ Veröffentlichen")
        assert admin.last.text.startswith("✅ Veröffentlicht: Gute Arbeit in Köln")
        assert second.errors == []
        second.api.assert_no_errors()


async def test_a_second_publish_tap_does_not_create_a_second_workshop(harness: Harness) -> None:
    admin = await up_to(harness, "description")
    await admin.tap("Überspringen")
    await tap_twice(admin, "✅ Veröffentlichen")
    assert (await harness.data.workshops.repo.open_page(harness.clock(), 0)).total == 1
