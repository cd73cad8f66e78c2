"""News as an opt-in (issue 14): the offer made once, /neuigkeiten (/news), broadcasts to those
who said yes with a sender line and „Abbestellen“, and the opt-in in export and erasure."""

from __future__ import annotations

import json

from news_helpers import NO, OFFER, YES, offers, opt_in
from test_broadcast import person as region_fan

from bot.offline.fake_user import FakeUser
from messages.actions import NewsStop

from conftest import Harness
from stories.newsreaders import news_reader

SENDER_DE = "📣 Rundschreiben von Ministerium für Arbeit, Gesundheit und Soziales NRW"
SENDER_EN = "📣 Newsletter from Ministerium für Arbeit, Gesundheit und Soziales NRW"


async def broadcast(h: Harness, text: str, audience: str, preview: str | None = None) -> str:
    """The admin sends text to the audience (a button label); returns the preview's text."""
    admin = h.admin()
    await admin.command("rundschreiben")
    await admin.send(text)
    await admin.tap(audience)
    shown = admin.last.text
    if preview is not None:
        assert shown.startswith(preview), shown
    await admin.tap("📣 Jetzt senden")
    await h.deliver()
    return shown


def received(user: FakeUser, text: str) -> list[str]:
    """The person's messages that carry text."""
    return [m.text for m in user.messages if text in m.text]


async def test_a_new_person_is_offered_the_news_once_and_says_yes(harness: Harness) -> None:
    erika = harness.user()
    await erika.command("start")
    await harness.deliver()  # the offer is queued after the answer: it comes below it
    welcome, offer = erika.messages
    assert welcome.text.startswith("Willkommen")
    assert offer.text.startswith(OFFER["de"])
    assert "Rundschreiben von Ministerium für Arbeit, Gesundheit und Soziales NRW" in offer.text
    assert "/neuigkeiten" in offer.text
    assert offer.button_labels() == [YES["de"], NO["de"]]
    await erika.command("start")
    await erika.command("regionen")
    await harness.deliver()
    assert len(offers(erika)) == 1  # once
    await erika.tap(YES["de"], message=offer)
    assert offer.text.startswith("📰 Gern – Sie erhalten ab jetzt die Neuigkeiten.")
    assert offer.button_labels() == []  # the main menu stays the newest message with buttons
    await erika.command("neuigkeiten")
    assert erika.last.text.startswith("📰 Neuigkeiten\nSie erhalten die Rundschreiben von")
    assert "(bestellt am 25. November 2026)" in erika.last.text
    assert "/meine_termine" in erika.last.text
    await erika.tap("🔕 Neuigkeiten abbestellen")
    assert erika.last.text.startswith("In Ordnung – Sie erhalten keine Neuigkeiten.")
    assert "Sie erhalten keine Rundschreiben an alle." in erika.last.text
    assert erika.last.button_labels() == ["📰 Neuigkeiten erhalten"]
    assert await harness.data.news.since(erika.user_id) is None


async def test_an_english_reader_is_asked_in_english_and_uses_news(harness: Harness) -> None:
    john = harness.user(4712, "John", language_code="en")
    await john.command("news")  # the settings command first: no offer on top of it
    assert offers(john) == []
    assert john.last.text.startswith("📰 News\nYou do not receive newsletters to everyone.")
    await john.tap("📰 Receive the news")
    assert john.last.text.startswith("📰 Great – from now on you receive the news.")
    assert "(subscribed on 25 November 2026)" in john.last.text
    await john.command("start")
    await harness.deliver()
    assert offers(john) == []  # choosing ended the offer
    jane = await news_reader(harness, harness.user(4713, "Jane", language_code="en"), "en")
    assert await harness.data.news.since(jane.user_id) is not None


async def test_people_who_used_the_bot_before_are_asked_once_not_subscribed(
    harness: Harness,
) -> None:
    # Before migration 0015 people were only rows in users: nobody has opted in.
    for user_id in (5001, 5002):
        await harness.data.users.touch(user_id, harness.clock(), "de")
    admin = harness.admin()
    await admin.command("rundschreiben")
    await admin.send("Hallo")
    assert admin.last.button_labels()[0] == "Alle (0)"
    await admin.command("abbrechen")
    old = harness.user(5001)
    await old.command("regionen")  # the next contact, whatever it is
    await harness.deliver()
    regions, offer = old.messages
    assert offer.text.startswith(OFFER["de"]) and regions.text.startswith("Ideen nach Region")
    await old.tap(NO["de"], message=offer)
    assert offer.text.startswith("In Ordnung – Sie erhalten keine Neuigkeiten.")
    await old.command("start")
    await harness.deliver()
    assert old.last.text.startswith("Willkommen") and len(old.messages) == 3  # no second offer
    other = harness.user(5002)
    await other.command("neuigkeiten")  # a first contact that is about the news: no offer
    assert offers(other) == []
    await other.tap("📰 Neuigkeiten erhalten")
    assert await harness.data.news.offered(5002)  # deciding there counts as being asked
    await other.command("start")
    await harness.deliver()
    assert offers(other) == []
    assert await harness.data.news.since(5001) is None


async def test_everyone_means_those_who_opted_in_with_sender_and_one_tap_unsubscribe(
    harness: Harness,
) -> None:
    erika, john = harness.user(5001), harness.user(5002, "John", language_code="en")
    silent = harness.user(5003)
    for user in (erika, john, silent):
        await user.command("start")
    await harness.deliver()
    await opt_in(erika)
    await opt_in(john, "en")
    preview = await broadcast(
        harness,
        "Das nächste Ideenlabor <b>kommt</b>!",
        "Alle (2)",
        "Vorschau – genau so erhalten es 2 Personen (alle mit Neuigkeiten-Abo):",
    )
    assert SENDER_DE + "\n\nDas nächste Ideenlabor <b>kommt</b>!" in preview
    assert "Darunter steht der Knopf „🔕 Abbestellen“." in preview
    [german] = [m for m in erika.messages if "Ideenlabor" in m.text and "kommt" in m.text]
    assert german.text == SENDER_DE + "\n\nDas nächste Ideenlabor <b>kommt</b>!"
    assert german.button_labels() == ["🔕 Abbestellen"]
    [english] = [m for m in john.messages if "kommt" in m.text]
    assert english.text.startswith(SENDER_EN + "\n\n")
    assert english.button_labels() == ["🔕 Unsubscribe"]
    assert received(silent, "kommt") == []
    await erika.tap("🔕 Abbestellen", message=german)
    assert german.button_labels() == []  # the broadcast stays, its button has done its work
    assert erika.last.text == (
        "🔕 Abbestellt: Sie erhalten keine Rundschreiben an alle mehr. Wieder bestellen: "
        "/neuigkeiten"
    )
    await john.tap("🔕 Unsubscribe", message=english)
    assert john.last.text.startswith("🔕 Unsubscribed: you no longer receive newsletters")
    stale = NewsStop(0).encode()
    await erika.tap_data(stale, message=german)  # an old copy of the button
    assert erika.last.text.startswith("Sie erhalten schon keine Rundschreiben an alle mehr")
    await erika.tap_data(NewsStop(999).encode(), message=german)  # forged: no such region
    assert erika.last.text.startswith("Dieser Knopf zum Abbestellen ist nicht gültig")
    admin = harness.admin()
    await admin.command("rundschreiben")
    await admin.send("Noch eins")
    assert admin.last.button_labels()[0] == "Alle (0)"
    await admin.tap("Alle (0)")
    assert admin.answers[-1].text == "Diese Zielgruppe erreicht niemanden."
    assert harness.errors == []


async def test_a_region_broadcast_names_the_region_and_unsubscribes_from_it(
    harness: Harness,
) -> None:
    fan = await region_fan(harness, 5001)
    reader = harness.user(5002, "Reader", language_code="en")
    await reader.command("start")
    await harness.deliver()
    found = await harness.data.regions.get_by_slug("koeln")
    assert found is not None
    await harness.data.workshops.repo.subscribe_region(
        found.id, reader.user_id, True, harness.clock()
    )
    preview = await broadcast(
        harness,
        "Neues aus Köln",
        "Region Köln (2)",
        "Vorschau – genau so erhalten es 2 Personen (Abonnierende von Region Köln):",
    )
    line = SENDER_DE + " an alle, die Region Köln abonniert haben"
    assert line + "\n\nNeues aus Köln" in preview
    [message] = [m for m in fan.messages if "Neues aus Köln" in m.text]
    assert message.text == line + "\n\nNeues aus Köln"
    [english] = [m for m in reader.messages if "Neues aus Köln" in m.text]
    assert english.text.startswith(SENDER_EN + " to everyone subscribed to Cologne Region")
    await fan.tap("🔕 Abbestellen", message=message)
    assert fan.last.text.startswith("🔕 Abbestellt: Ihr Abo für Region Köln ist beendet")
    assert await harness.data.workshops.repo.subscribed_regions(fan.user_id) == []
    await fan.tap_data(NewsStop(found.id).encode(), message=message)
    assert fan.last.text == (
        "Sie hatten Region Köln schon nicht mehr abonniert – es hat sich nichts geändert."
    )
    await reader.tap("🔕 Unsubscribe", message=english)
    assert reader.last.text.startswith("🔕 Unsubscribed: your subscription to Cologne Region")


async def test_one_recipient_is_counted_in_the_singular(harness: Harness) -> None:
    await news_reader(harness, harness.user(5001))
    await broadcast(
        harness,
        "Hallo",
        "Alle (1)",
        "Vorschau – genau so erhält es 1 Person (alle mit Neuigkeiten-Abo):",
    )


async def test_the_opt_in_is_in_the_export_the_notice_and_goes_with_erasure(
    harness: Harness,
) -> None:
    erika = await news_reader(harness, harness.user())
    await erika.command("meine_daten")
    assert erika.last.document is not None
    [user_row] = json.loads(erika.last.document.content)["data"]["users.telegram_id"]
    assert user_row["news_since"].startswith("2026-11-25T10:00")
    assert user_row["news_offered_at"].startswith("2026-11-25T10:00")
    summary = erika.messages[-2].text
    assert "Sie erhalten die Neuigkeiten aus dem Dialogprozess (zugestimmt am 25.11.2026" in summary
    await erika.command("datenschutz")
    notice = "\n".join(erika.texts()[-3:])
    assert "Neuigkeiten" in notice and "/neuigkeiten" in notice
    john = harness.user(4712, "John", language_code="en")
    await john.command("privacy")
    assert "/news" in "\n".join(john.texts())
    await erika.command("daten_loeschen")
    await erika.tap("🗑 Ja, alles löschen")
    assert await harness.data.news.since(erika.user_id) is None
    assert await harness.data.news.reader_count() == 0
    await erika.command("start")
    await harness.deliver()
    assert len(offers(erika)) == 1  # a fresh start: asked again (the first offer was answered)
