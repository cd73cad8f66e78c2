"""The living Ideenlandkarte for citizens: the map picture, a region's page, the Rückblick,
an idea's status, origin and history, following ideas and /meine_ideen (issue 12)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from staff_helpers import contact_of

from messages import actions as cb
from storage.workshops import WorkshopFields

from conftest import Harness
from stories.browse import import_ideas

BERLIN = ZoneInfo("Europe/Berlin")
IDEA = "brancheninnovationsfestival-muensterland"

# What a German and an English reader see along the same way.
SEEN = {
    "de": {
        "map": "🗺 Karte",
        "caption": "31 Ideen in 10 Regionen",
        "region_button": "1 Münsterland (3)",
        "region_head": "Münsterland\n3 Ideen",
        "next": "Nächstes Ideenlabor: Mi., 12.05.2027, 14:00 – Zukunft der Arbeit im Münsterland",
        "past": "Rückblick: 2 Ideenlabore, zuletzt am 27. November 2017",
        "agency": "Regionalagentur: Regionalagentur Münsterland (Träger: Münsterland e.V.)",
        "can_do": "Was Sie hier tun können: Ideen lesen, kommentieren, bewerten und ihnen folgen",
        "dates_button": "📅 Termine (1)",
        "review_button": "📜 Rückblick (2)",
        "subscribe": "📬 Alle Termine der Region abonnieren",
        "unsubscribe": "Regions-Abo beenden",
        "review_title": "Rückblick: Münsterland",
        "workshop_button": "13.06.2017 · Ideenlabor Region Münsterland",
        "when": "Wann: Dienstag, 13. Juni 2017, 09:00–13:00 Uhr",
        "where": "Wo: Digital Hub münsterLAND, Hafenweg 16, 48155 Münster",
        "participants": "Teilnehmende: mehr als 30",
        "report": "Unter dem Titel „Digital. Wer geht mit“",
        "outcome": "Daraus entstanden: 3 Ideen",
        "idea_button": "Brancheninnovationsfestival Münsterland",
        "status": "Stand: 📝 in Ausarbeitung (seit 27. November 2017)",
        "origin": "Herkunft: Entstanden im Ideenlabor Münsterland am 13. Juni 2017",
        "news": "29. November 2017 – Die Regionalagentur Münsterland kündigte an",
        "history": "📜 Verlauf",
        "history_title": "Verlauf: Brancheninnovationsfestival Münsterland\n2 Einträge",
        "change": "Stand: 💡 Idee → 📝 in Ausarbeitung · Im Ideenlabor II Münsterland",
        "back_to_idea": "« Zurück zur Idee",
        "back_to_list": "« Zurück zur Liste",
        "origin_button": "🏛 Ideenlabor vom 13.06.2017",
        "follow": "🔔 Folgen",
        "unfollow": "🔕 Nicht mehr folgen",
        "followed": "🔔 Sie folgen dieser Idee.",
        "you_follow": "🔔 Sie folgen dieser Idee: Bei Neuigkeiten schreibe ich Ihnen.",
        "unfollowed": "🔕 Sie folgen dieser Idee nicht mehr.",
        "my_ideas": "meine_ideen",
        "my_count": "Sie folgen 1 Idee.",
        "my_button": "📝 Brancheninnovationsfestival Münsterland",
        "my_title": "Meine Ideen",
        "my_empty": "Sie folgen noch keiner Idee.",
    },
    "en": {
        "map": "🗺 Map",
        "caption": "31 ideas in 10 regions",
        "region_button": "1 Münsterland (3)",
        "region_head": "Münsterland\n3 ideas",
        "next": "Next Ideenlabor: Wed, 12 May 2027, 14:00 – Future of work in the Münsterland",
        "past": "Past: 2 Ideenlabore, the latest on 27 November 2017",
        "agency": "Regional agency: Regionalagentur Münsterland (run by Münsterland e.V.)",
        "can_do": "What you can do here: read, comment on, rate and follow ideas",
        "dates_button": "📅 Dates (1)",
        "review_button": "📜 Past (2)",
        "subscribe": "📬 Subscribe to all dates of the region",
        "unsubscribe": "End region subscription",
        "review_title": "Past Ideenlabore: Münsterland",
        "workshop_button": "13 Jun 2017 · Ideas Lab Münsterland",
        "when": "When: Tuesday, 13 June 2017, 09:00–13:00",
        "where": "Where: Digital Hub münsterLAND, Hafenweg 16, 48155 Münster",
        "participants": "Participants: more than 30",
        "report": "Under the title “Digital. Wer geht mit” (digital – who comes along?)",
        "outcome": "Outcome: 3 ideas",
        "idea_button": "Münsterland industry innovation festival",
        "status": "Status: 📝 being worked out (since 27 November 2017)",
        "origin": "Origin: came out of the Ideenlabor Münsterland on 13 June 2017",
        "news": "29 November 2017 – The Münsterland regional agency announced",
        "history": "📜 History",
        "history_title": "History: Münsterland industry innovation festival\n2 entries",
        "change": "Status: 💡 idea → 📝 being worked out · At Ideas Lab II Münsterland",
        "back_to_idea": "« Back to the idea",
        "back_to_list": "« Back to the list",
        "origin_button": "🏛 Ideenlabor of 13 Jun 2017",
        "follow": "🔔 Follow",
        "unfollow": "🔕 Stop following",
        "followed": "🔔 You follow this idea.",
        "you_follow": "🔔 You follow this idea: I will write to you when there is news.",
        "unfollowed": "🔕 You no longer follow this idea.",
        "my_ideas": "my_ideas",
        "my_count": "You follow 1 idea.",
        "my_button": "📝 Münsterland industry innovation festival",
        "my_title": "My ideas",
        "my_empty": "You do not follow any idea yet.",
    },
}


async def region_id(harness: Harness, slug: str) -> int:
    row = await harness.data.db.fetchone("SELECT id FROM regions WHERE slug = ?", (slug,))
    assert row is not None
    return int(row["id"])


async def idea_id(harness: Harness, slug: str) -> int:
    row = await harness.data.db.fetchone("SELECT id FROM ideas WHERE slug = ?", (slug,))
    assert row is not None
    return int(row["id"])


async def add_workshop(
    harness: Harness,
    region: str = "muensterland",
    starts: dt.datetime = dt.datetime(2027, 5, 12, 14, 0, tzinfo=BERLIN),
    ends: dt.datetime = dt.datetime(2027, 5, 12, 18, 0, tzinfo=BERLIN),
) -> int:
    """A coming Ideenlabor (by default 12 May 2027, 14:00–18:00), with an English title."""
    workshop_id = await harness.data.workshops.create(
        WorkshopFields(
            region_id=await region_id(harness, region),
            title="Zukunft der Arbeit im Münsterland",
            starts_at=starts,
            ends_at=ends,
            venue="Digital Hub",
        )
    )
    await harness.data.db.execute(
        "UPDATE workshops SET title_en = 'Future of work in the Münsterland' WHERE id = ?",
        (workshop_id,),
    )
    return workshop_id


async def followers(harness: Harness, slug: str) -> list[int]:
    rows = await harness.data.db.fetchall(
        "SELECT f.user_id FROM idea_followers f JOIN ideas i ON i.id = f.idea_id WHERE i.slug = ?",
        (slug,),
    )
    return [int(r["user_id"]) for r in rows]


@pytest.mark.parametrize("language", ["de", "en"])
async def test_from_the_map_to_an_idea_of_a_past_ideenlabor_and_following_it(
    harness: Harness, language: str
) -> None:
    seen = SEEN[language]
    await add_workshop(harness)
    user = harness.user(language_code=language)
    await user.command("start")
    await user.tap(seen["map"])
    picture = user.last
    assert picture.photo is not None and seen["caption"] in picture.text
    region_buttons = [b for b in picture.button_labels() if b[0].isdigit()]
    assert len(region_buttons) == 16 and all(len(row) == 2 for row in picture.buttons[:8])
    assert region_buttons[0] == seen["region_button"]

    # A region's button opens its page below the picture.
    await user.tap(seen["region_button"], message=picture)
    page = user.last
    assert page.message_id != picture.message_id and page.is_text
    for key in ("region_head", "next", "past", "agency", "can_do"):
        assert seen[key] in page.text, (key, page.text)
    for key in ("dates_button", "review_button", "subscribe"):
        assert seen[key] in page.button_labels(), (key, page.button_labels())
    await user.tap(seen["subscribe"])
    assert user.last.message_id == page.message_id and seen["past"] in user.last.text
    assert seen["unsubscribe"] in user.last.button_labels()

    # Its Rückblick, a past Ideenlabor, an idea that came out of it.
    await user.tap(seen["review_button"])
    assert seen["review_title"] in user.last.text
    await user.tap(seen["workshop_button"])
    for key in ("when", "where", "participants", "report", "outcome"):
        assert seen[key] in user.last.text, (key, user.last.text)
    await user.tap(seen["idea_button"])
    idea = user.last
    for key in ("status", "origin", "news"):
        assert seen[key] in idea.text, (key, idea.text)
    assert seen["origin_button"] in idea.button_labels()

    # Its history, a tap away, and back.
    await user.tap(seen["history"])
    assert seen["history_title"] in user.last.text and seen["change"] in user.last.text
    await user.tap(seen["back_to_idea"])
    assert seen["origin"] in user.last.text
    await user.tap(seen["back_to_list"])  # the Ideenlabor it was opened from
    assert seen["outcome"] in user.last.text
    await user.tap(seen["idea_button"])

    # Following it.
    await user.tap(seen["follow"])
    assert user.answers[-1].text is not None and user.answers[-1].text.startswith(seen["followed"])
    assert seen["you_follow"] in user.last.text and seen["unfollow"] in user.last.button_labels()
    assert await followers(harness, IDEA) == [user.user_id]
    await user.command(seen["my_ideas"])
    assert seen["my_title"] in user.last.text and seen["my_count"] in user.last.text
    await user.tap(seen["my_button"])
    assert seen["origin"] in user.last.text
    await user.tap(seen["back_to_list"])
    assert seen["my_count"] in user.last.text
    await user.tap(seen["my_button"])
    await user.tap(seen["unfollow"])
    assert user.answers[-1].text == seen["unfollowed"]
    assert seen["follow"] in user.last.button_labels()
    assert await followers(harness, IDEA) == []
    await user.command(seen["my_ideas"])
    assert seen["my_empty"] in user.last.text


async def test_the_map_is_drawn_once_and_sent_again_by_file_id_until_the_counts_change(
    harness: Harness,
) -> None:
    erika, max_ = harness.user(4711), harness.user(4712, "Max")
    await erika.command("karte")
    first = harness.api.calls_to("sendPhoto")[-1]
    assert first.files, "the first map is an upload"
    assert erika.last.photo is not None
    file_id = erika.last.photo.file_id
    await max_.command("karte")
    again = harness.api.calls_to("sendPhoto")[-1]
    assert not again.files and again.params["photo"] == file_id  # by Telegram's file_id
    assert max_.last.photo is not None and max_.last.photo.file_id == file_id

    emma = harness.user(4713, "Emma", language_code="en")  # a picture in English
    await emma.command("map")
    assert harness.api.calls_to("sendPhoto")[-1].files
    assert emma.last.photo is not None and emma.last.photo.file_id != file_id

    # A new idea in the Region Aachen: the counts changed, so the map is drawn anew.
    idea = {"slug": "neu-in-aachen", "title": "Neu in Aachen", "region": "aachen"}
    await import_ideas(harness, idea)
    await max_.command("karte")
    assert harness.api.calls_to("sendPhoto")[-1].files
    assert max_.last.photo is not None and max_.last.photo.file_id != file_id
    assert "13 Region Aachen (1)" in max_.last.button_labels()
    assert "32 Ideen in 11 Regionen" in max_.last.text
    await erika.command("karte")
    assert harness.api.calls_to("sendPhoto")[-1].params["photo"] == max_.last.photo.file_id


async def test_a_region_without_ideas_offers_the_next_steps(harness: Harness) -> None:
    user = harness.user()
    await user.command("regionen")
    await user.tap("Region Aachen (0)")
    page = user.last
    assert "Aus dieser Region sind noch keine Ideen veröffentlicht." in page.text
    assert "Schauen Sie in die Termine der Region, in den Rückblick" in page.text
    assert "Zurzeit ist hier kein Ideenlabor geplant." in page.text
    assert "Tippen Sie auf eine Idee" not in page.text and "Ideen lesen" not in page.text
    assert page.buttons[:4] == [
        ["📅 Termine (0)", "📜 Rückblick"],
        ["📬 Alle Termine der Region abonnieren"],
        ["💡 Idee vorschlagen"],  # the first idea of the region could be one's own
        ["📍 Meine Region finden"],
    ]
    await user.tap("📜 Rückblick")
    assert "Rückblick: bisherige Ideenlabore\n14 Ideenlabore" in user.last.text
    await user.tap("🔎 Nach Region")
    assert "Münsterland (2)" in user.last.button_labels()
    assert not any("Aachen" in b for b in user.last.button_labels())  # nothing to see there
    # The Rückblick of a region without one (an old or hand-made button) says what to do.
    await user.tap_data(cb.PastWorkshops(await region_id(harness, "aachen"), 0).encode())
    assert "Aus dieser Region ist noch kein Ideenlabor verzeichnet." in user.last.text
    assert user.last.buttons[:2] == [
        ["🗺 Region Aachen", "📅 Termine der Region"],
        ["« Alle Ideenlabore"],
    ]
    await user.tap("🗺 Region Aachen")
    assert "Region Aachen\n0 Ideen" in user.last.text


async def test_the_region_page_follows_the_clock_when_its_next_date_is_over(
    harness: Harness,
) -> None:
    # Today (25 November 2026, the clock says 11:00 in Berlin), 12:00–14:00.
    starts = dt.datetime(2026, 11, 25, 12, 0, tzinfo=BERLIN)
    await add_workshop(harness, starts=starts, ends=starts + dt.timedelta(hours=2))
    user = harness.user()
    await user.command("start", "region_muensterland")
    assert "Nächstes Ideenlabor: Mi., 25.11.2026, 12:00" in user.last.text
    assert "Rückblick: 2 Ideenlabore" in user.last.text
    await user.command("start", "region_muensterland")  # after the write of the news offer
    cached = harness.data.screens.hits
    await user.command("start", "region_muensterland")
    assert harness.data.screens.hits == cached + 1  # the same page, from the cache
    harness.clock.advance(hours=3)  # the same day: nothing is written in between
    await user.command("start", "region_muensterland")
    assert "Zurzeit ist hier kein Ideenlabor geplant." in user.last.text
    assert "Rückblick: 3 Ideenlabore, zuletzt am 25. November 2026" in user.last.text
    assert "📜 Rückblick (3)" in user.last.button_labels()


async def test_an_archived_idea_says_so_and_offers_the_way_on(harness: Harness) -> None:
    from storage.idea_lifecycle import IdeaLifecycle

    user = harness.user()
    await user.command("start", f"idea_{IDEA}")
    old_view = user.last
    await user.tap("🔔 Folgen")
    assert await followers(harness, IDEA) == [user.user_id]
    other = harness.user(4712, "Max")
    await other.command("start", f"idea_{IDEA}")
    before_archiving = other.last
    async with harness.data.db.transaction() as tx:
        await IdeaLifecycle.archive(
            tx,
            await idea_id(harness, IDEA),
            "Im Export nicht mehr enthalten",
            harness.clock(),
            by=None,
        )

    await other.command("start", f"idea_{IDEA}")
    text = other.last.text
    assert text.startswith("🗄 Brancheninnovationsfestival Münsterland")
    assert "Diese Idee wurde am 25. November 2026 archiviert" in text
    assert "Grund: Im Export nicht mehr enthalten" in text
    assert other.last.buttons == [
        ["Ideen: Münsterland (2)"],
        ["🗺 Karte", "« Alle Regionen"],
        ["« Hauptmenü"],
    ]
    # An old button: the same, never an error; following it is no longer possible.
    await other.tap("🔔 Folgen", message=before_archiving)
    assert other.answers[-1].text == "Diese Idee wurde archiviert."
    assert "archiviert" in other.last.text and await followers(harness, IDEA) == [user.user_id]
    # Someone who follows it can stop.
    await user.tap("« Zurück zur Liste", message=old_view)
    await user.command("start", f"idea_{IDEA}")
    assert user.last.buttons[0] == ["🔕 Nicht mehr folgen"]
    await user.tap("🔕 Nicht mehr folgen")
    assert await followers(harness, IDEA) == []
    assert user.last.buttons[0] == ["Ideen: Münsterland (2)"]
    await user.tap("Ideen: Münsterland (2)")
    assert "Münsterland\n2 Ideen" in user.last.text
    assert not any("Brancheninnovationsfestival" in b for b in user.last.button_labels())


async def test_english_readers_get_english_content_and_german_marked(harness: Harness) -> None:
    idea = {
        "slug": "nur-deutsch",
        "title": "Nur auf Deutsch",
        "summary": "Eine Zusammenfassung",
        "body": "Ein langer Text.",
        "region": "muensterland",
        "challenge": "attraktiv-bleiben",
        "published_on": "2030-01-01",
    }
    await import_ideas(harness, idea)
    emma = harness.user(4713, "Emma", language_code="en")
    await emma.command("regions")
    assert "Cologne Region (0)" in emma.last.button_labels()
    await emma.tap("Münsterland (4)")
    labels = emma.last.button_labels()
    assert labels[:2] == [
        "Nur auf Deutsch (in German)",
        "Regional platform “Innovatives Münsterland”",
    ]
    await emma.tap("Nur auf Deutsch (in German)")
    text = emma.last.text
    assert text.startswith("Nur auf Deutsch (in German)\n")
    assert "Challenge: Staying attractive as an employer and as a region" in text
    assert "(in German) Eine Zusammenfassung" in text and "(in German) Ein langer Text." in text
    await emma.command("start", "region_muensterland")
    assert "Working groups: Münsterland digitalisation festival working groups" in emma.last.text
    await emma.tap("👥 Working groups")
    assert "Working group Münsterland digitalisation festival working groups" in emma.last.text
    assert "At Ideas Lab II Münsterland on 27 November 2017" in emma.last.text
    await emma.command("challenges")
    assert "Staying attractive as an employer and as a region" in emma.last.text
    await emma.command("review")
    assert "Ideas Lab II Münsterland" in emma.last.text
    await emma.send("50667")  # a postcode in Cologne: its region by its English name
    assert "Cologne Region" in emma.last.text
    assert emma.last.button_labels()[0] == "Ideas: Cologne Region (0)"
    # German readers get the German text, never a marker.
    erika = harness.user()
    await erika.command("start", "idea_nur-deutsch")
    assert erika.last.text.startswith("Nur auf Deutsch\n") and "German" not in erika.last.text


async def test_a_workshop_known_only_by_its_day_shows_no_time(harness: Harness) -> None:
    user = harness.user()
    await user.command("rueckblick")
    await user.tap("Weiter ›")
    await user.tap("Weiter ›")
    await user.tap("07.12.2016 · Ideenlabor – Kreative Ideen")
    text = user.last.text
    assert "Wann: Mittwoch, 7. Dezember 2016\n" in text and "00:00" not in text
    assert "Teilnehmende: rund 30" in text
    workshop = await harness.data.workshops.repo.get_by_slug("ideenlabor-emscher-lippe-2016-12")
    assert workshop is not None and not workshop.time_known
    await user.tap_data(cb.ShowWorkshop(workshop.id).encode())  # the dates' view of it
    assert "Wann: Mittwoch, 7. Dezember 2016\n" in user.last.text
    assert "00:00" not in user.last.text
    await user.tap("📅 In den Kalender")
    ics = user.messages[-1].document
    assert ics is not None
    assert b"DTSTART;VALUE=DATE:20161207" in ics.content
    assert b"DTEND;VALUE=DATE:20161208" in ics.content


async def test_a_citizen_follows_from_the_map_and_is_told_of_the_news_a_contact_posts(
    harness: Harness,
) -> None:
    """Issue 12's whole way: map → region → past Ideenlabor → idea → history → follow, then the
    region's contact posts news on the idea and the citizen gets it (and sees it in the view)."""
    seen = SEEN["de"]
    erika = harness.user(6101, "Erika")
    await erika.command("start")
    await erika.tap(seen["map"])
    await erika.tap(seen["region_button"], message=erika.last)
    await erika.tap(seen["review_button"])
    await erika.tap(seen["workshop_button"])
    await erika.tap(seen["idea_button"])
    await erika.tap(seen["history"])
    await erika.tap(seen["back_to_idea"])
    await erika.tap(seen["follow"])
    assert await followers(harness, IDEA) == [erika.user_id]

    clara = await contact_of(harness, "muensterland")
    await clara.command("start", f"idea_{IDEA}")
    await clara.tap("🛠 Idee verwalten")
    await clara.tap("📰 Neuigkeit schreiben")
    assert "1 Person, die der Idee folgt, wird benachrichtigt." in clara.last.text
    news = "Das Festival findet am 5. Mai im Hafen statt."
    await clara.send(news)
    await clara.tap("✅ Veröffentlichen")
    assert "✅ Die Neuigkeit ist veröffentlicht." in clara.last.text

    await harness.deliver()
    notice = erika.last
    assert notice.text.startswith("📰 Neuigkeit zur Idee „Brancheninnovationsfestival Münsterland“")
    assert news in notice.text
    assert "Sie erhalten diese Nachricht, weil Sie der Idee folgen." in notice.text
    await erika.tap(notice.button_labels()[0], message=notice)
    assert news in erika.last.text and seen["you_follow"] in erika.last.text
    await erika.tap(seen["history"])
    assert "3 Einträge" in erika.last.text and news in erika.last.text
