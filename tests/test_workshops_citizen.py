"""A citizen finds Ideenlabore, follows them, subscribes to a region, gets the .ics file."""

from __future__ import annotations

import datetime as dt
from typing import Any

import icalendar

from bot.offline.fake_api import SentMessage
from bot.offline.fake_user import FakeUser
from messages import actions as cb

from conftest import Harness
from stories.workshops import BERLIN, MAY_12, add_workshop, person


async def test_no_dates_yet_says_so_and_offers_the_region_subscription(harness: Harness) -> None:
    user = harness.user()
    await user.command("start")
    await user.tap("📅 Ideenlabore – Termine")
    assert "Es sind noch keine Termine veröffentlicht" in user.last.text
    assert len(user.messages) == 1  # the menu message, edited in place
    await user.tap("🔎 Nach Region filtern")
    assert "Region Köln (0)" in user.last.button_labels()
    await user.tap("Region Köln (0)")
    assert "In dieser Region sind zurzeit keine Ideenlabore geplant" in user.last.text
    await user.tap("📬 Alle Termine der Region abonnieren")
    assert user.answers[-1].text == "📬 Abonniert: neue Termine für Region Köln."
    assert "Sie haben die Termine dieser Region abonniert" in user.last.text
    assert "Regions-Abo beenden" in user.last.button_labels()
    await add_workshop(harness)
    await harness.deliver()
    assert "Neues Ideenlabor – Region Köln" in user.last.text
    assert "Mittwoch, 12. Mai 2027, 14:00–18:00 Uhr" in user.last.text
    await user.tap("Details")
    assert user.last.text.startswith("Gute Arbeit in Köln")


async def test_list_pages_region_filter_and_cancelled_marker(harness: Harness) -> None:
    for n in range(10):
        start = MAY_12 + dt.timedelta(days=n)
        region = "koeln" if n < 9 else "muensterland"
        await add_workshop(harness, f"w{n}", region=region, title=f"Labor {n}", start=start)
    await add_workshop(
        harness, "over", title="Vorbei", start=dt.datetime(2026, 11, 1, tzinfo=BERLIN)
    )
    assert await harness.data.workshops.cancel(await _id(harness, "w1"))
    user = harness.user()
    await user.command("termine")
    page = user.last
    assert "10 Termine · Seite 1 von 2" in page.text
    assert "Mi., 12.05.2027, 14:00 · Region Köln\nLabor 0" in page.text
    assert "❌ Abgesagt: Do., 13.05.2027, 14:00" in page.text
    assert page.button_labels()[:2] == ["12.05.2027 · Labor 0", "❌ Abgesagt: 13.05.2027 · Labor 1"]
    assert "Vorbei" not in page.text and "‹ Zurück" not in page.button_labels()
    await user.tap("Weiter ›")
    assert "Seite 2 von 2" in user.last.text
    assert user.last.button_labels()[:2] == ["20.05.2027 · Labor 8", "21.05.2027 · Labor 9"]
    await user.tap("‹ Zurück")
    await user.tap("🔎 Nach Region filtern")
    assert {"Region Köln (9)", "Münsterland (1)", "Region Aachen (0)"} <= set(
        user.last.button_labels()
    )
    await user.tap("Region Köln (9)")
    await user.tap("Weiter ›")
    await user.tap("📬 Alle Termine der Region abonnieren")
    assert "9 Termine · Seite 2 von 2" in user.last.text  # still on the page it was tapped on
    assert "Sie haben die Termine dieser Region abonniert" in user.last.text
    await user.tap("« Alle Regionen")
    await user.tap("Münsterland (1)")
    assert "Ideenlabore: Münsterland" in user.last.text
    assert "1 Termin\n" in user.last.text and "Labor 9" in user.last.text
    await user.tap("21.05.2027 · Labor 9")
    assert "Region: Münsterland" in user.last.text
    assert len(user.messages) == 1


async def _id(h: Harness, slug: str) -> int:
    workshop = await h.data.workshops.repo.get_by_slug(slug)
    assert workshop is not None
    return workshop.id


async def test_detail_shows_german_long_dates_and_the_right_buttons(harness: Harness) -> None:
    await add_workshop(harness, capacity=20, registration_url="https://example.org/anmeldung")
    user = harness.user()
    await user.command("termine")
    await user.tap("12.05.2027 · Gute Arbeit in Köln")
    text = user.last.text
    assert text.startswith("Gute Arbeit in Köln\n\nRegion: Region Köln")
    assert "Wann: Mittwoch, 12. Mai 2027, 14:00–18:00 Uhr" in text
    assert "Wo: Rathaus Köln, Rathausplatz 2, 50667 Köln" in text
    assert "Freie Plätze: 20 von 20" in text
    assert user.last.button_labels() == [
        "🙋 Ich nehme teil",
        "🔔 Erinnern",
        "📬 Alle Termine der Region abonnieren",
        "📅 In den Kalender",
        "« Alle Termine",
        "🗓 Meine Termine",
        "« Hauptmenü",
    ]
    await user.tap("🔔 Erinnern")
    assert user.answers[-1].text == "🔔 Ich erinnere Sie an diesen Termin."
    assert "🔔 Sie werden an diesen Termin erinnert." in user.last.text
    data = user.last.callback_data("🔕 Nicht mehr erinnern")
    await user.tap_data(cb.FollowWorkshop(await _id(harness, "koeln-mai"), 1).encode())
    assert user.answers[-1].text == "Sie werden bereits an diesen Termin erinnert."
    await user.tap("🔕 Nicht mehr erinnern")
    assert "erinnert" not in user.last.text and "🔔 Erinnern" in user.last.button_labels()
    await user.tap_data(data or "")
    assert user.answers[-1].text == "Die Erinnerungen für diesen Termin sind bereits aus."
    await user.tap("« Alle Termine")
    assert "1 Termin" in user.last.text


async def test_calendar_file_parses_back_with_time_zone(harness: Harness) -> None:
    workshop_id = await add_workshop(harness, registration_url="https://example.org/a?b=1&c=2")
    user = harness.user()
    await user.tap_data(cb.ShowWorkshop(workshop_id).encode(), message=await _menu(user))
    await user.tap("📅 In den Kalender")
    assert user.answers[-1].text == "Die Kalenderdatei ist unterwegs."
    document = user.last.document
    assert document is not None and document.filename == "ideenlabor-koeln-mai.ics"
    assert "Öffnen Sie die Datei" in user.last.text
    event: Any = icalendar.Calendar.from_ical(document.content).events[0]
    assert event.start == MAY_12 and str(event.start.tzinfo) == "Europe/Berlin"
    assert event.end == MAY_12 + dt.timedelta(hours=4)
    assert str(event["summary"]) == "Gute Arbeit in Köln"
    assert str(event["uid"]) == f"workshop-{workshop_id}@ideenlabor-bot"
    assert str(event["location"]) == "Rathaus Köln, Rathausplatz 2, 50667 Köln"
    assert str(event["url"]) == "https://example.org/a?b=1&c=2"
    assert str(event["status"]) == "CONFIRMED" and int(event["sequence"]) == 0
    assert b"BEGIN:VTIMEZONE" in document.content and b"TZID:Europe/Berlin" in document.content
    await harness.data.workshops.cancel(workshop_id)
    await user.tap("📅 In den Kalender")
    cancelled: Any = icalendar.Calendar.from_ical(user.last.document.content).events[0]  # type: ignore[union-attr]
    assert str(cancelled["status"]) == "CANCELLED" and int(cancelled["sequence"]) == 1
    assert "ist abgesagt" in user.last.text


async def _menu(user: FakeUser) -> SentMessage:
    await user.command("start")
    return user.last


async def test_region_subscription_from_a_detail_brings_the_next_date(harness: Harness) -> None:
    await add_workshop(harness)
    fan, other = harness.user(), harness.user(4712, "Max")
    await other.command("termine")
    await fan.command("termine")
    await fan.tap("12.05.2027 · Gute Arbeit in Köln")
    subscribe = fan.last.callback_data("📬 Alle Termine der Region abonnieren") or ""
    await fan.tap("📬 Alle Termine der Region abonnieren")
    assert "📬 Sie haben alle Termine für Region Köln abonniert." in fan.last.text
    assert "Regions-Abo beenden" in fan.last.button_labels()
    await fan.tap_data(subscribe)  # a double tap
    assert fan.answers[-1].text == "Sie haben Region Köln bereits abonniert."
    await add_workshop(
        harness, "koeln-juni", title="Juni in Köln", start=MAY_12 + dt.timedelta(days=30)
    )
    await add_workshop(harness, "ms", region="muensterland", title="Münster", start=MAY_12)
    await harness.deliver()
    notices = [m.text for m in fan.messages if "Neues Ideenlabor" in m.text]
    assert len(notices) == 1 and "Juni in Köln" in notices[0]
    assert not [m for m in other.messages if "Neues Ideenlabor" in m.text]
    await fan.command("meine_termine")
    assert "• Region Köln" in fan.last.text
    await fan.tap("✖️ Abo beenden: Region Köln")
    assert fan.answers[-1].text == "Abo beendet: Region Köln."
    assert "Sie haben noch keine Anmeldungen, Erinnerungen oder Abos" in fan.last.text


async def test_english_user_sees_english_texts(harness: Harness) -> None:
    await add_workshop(harness)
    user = harness.user(4713, "Emma", language_code="en")
    await user.command("dates")
    assert "Ideenlabore – the next dates" in user.last.text
    await user.tap("12 May 2027 · Gute Arbeit in Köln")
    assert "When: Wednesday, 12 May 2027, 14:00–18:00" in user.last.text
    await user.tap("🙋 I'll take part")
    assert "we pass your name “Emma” on to the ministry/the organisers" in user.last.text
    await user.tap("✅ Yes, register me")
    assert user.last.text.startswith("🎉 We look forward to seeing you!")
    assert "✅ You are registered." in user.last.text
    await user.command("my_dates")
    assert (
        "1. Gute Arbeit in Köln (in German)\nWed, 12 May 2027, 14:00 – ✅ registered"
        in user.last.text
    )


async def test_texts_from_imports_and_users_are_shown_literally(harness: Harness) -> None:
    await add_workshop(harness, title="<b>Fett</b> & <Co>", description="a < b & <i>c</i>")
    user = person(harness, first="<i>Erika</i>", last="& Co")
    await user.command("termine")
    assert "<b>Fett</b> & <Co>" in user.last.text
    await user.tap("12.05.2027 · <b>Fett</b> & <Co>")
    assert user.last.text.startswith("<b>Fett</b> & <Co>") and "a < b & <i>c</i>" in user.last.text
    await user.tap("📅 In den Kalender")
    assert "<b>Fett</b> & <Co>" in user.last.text
    await user.tap("🙋 Ich nehme teil")
    assert "Ihren Namen „<i>Erika</i>“" in user.keyboard_message().text
    await user.tap("✅ Ja, anmelden")
    await user.command("meine_termine")
    assert "1. <b>Fett</b> & <Co>\n" in user.last.text


async def test_long_titles_and_many_dates_stay_within_telegram_limits(harness: Harness) -> None:
    title = "Sehr langer Titel eines Ideenlabors " * 6  # 216 characters
    ids = [
        await add_workshop(
            harness,
            f"lang-{n}",
            title=title[:200],
            start=MAY_12 + dt.timedelta(days=n),
            description="Beschreibung " * 400,
            venue="V" * 200,
            address="A" * 300,
        )
        for n in range(12)
    ]
    user = person(harness, last="Mustermann")
    await user.command("termine")  # the bot knows the user from now on
    for workshop_id in ids:
        await harness.data.workshops.register(workshop_id, user.user_id, "Erika Mustermann")
        await harness.data.workshops.repo.follow(workshop_id, user.user_id, True, harness.clock())
    await user.command("termine")
    assert "12 Termine · Seite 1 von 2" in user.last.text
    assert all(len(label) <= 60 for label in user.last.button_labels())
    await user.tap_data(cb.ShowWorkshop(ids[0]).encode())
    assert "✅ Sie sind angemeldet." in user.last.text
    await user.command("meine_termine")
    assert "… und 2 weitere" in user.last.text
    assert len(user.last.button_labels()) == 10 * 2 + 2
