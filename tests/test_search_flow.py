"""A citizen searches the ideas: „🔎 Ideen suchen“ and /suche, in German and English."""

from __future__ import annotations

import datetime as dt

from storage.idea_lifecycle import IdeaLifecycle
from storage.search_terms import MAX_QUERY_CHARS

from conftest import Harness
from stories.browse import import_ideas
from stories.dialogues import refused

NOTHING_BUTTONS = [
    "🔎 Neue Suche",
    "🗺 Ideen nach Region",
    "🎯 Ideen nach Herausforderung",
    "« Hauptmenü",
]


async def add_ideas(h: Harness, count: int) -> None:
    """count ideas „Lernort Nummer n“ in Köln, newest with the highest number."""
    ideas = [
        {
            "slug": f"lernort-{n}",
            "title": f"Lernort Nummer {n}",
            "region": "koeln",
            "body": "Ein Ort zum Lernen im Betrieb." if n % 2 else "Lernen im Quartier.",
            "published_on": (dt.date(2026, 1, 1) + dt.timedelta(days=n)).isoformat(),
        }
        for n in range(count)
    ]
    await import_ideas(h, *ideas)


async def kept_searches(h: Harness) -> list[str]:
    """The words kept for result lists."""
    return [str(r["words"]) for r in await h.data.db.fetchall("SELECT words FROM search_queries")]


async def test_search_from_the_menu_open_a_result_and_back(harness: Harness) -> None:
    user = harness.user()
    await user.command("start")
    menu = user.last
    await user.tap("🔎 Ideen suchen")
    assert user.last.message_id == menu.message_id  # the question replaces the menu
    assert "Schreiben Sie mir ein oder mehrere Wörter" in user.last.text
    assert user.last.button_labels() == ["✖️ Abbrechen"]
    await user.send("  Digital-Scouts\n")
    results = user.last
    assert results.message_id != menu.message_id  # an answer to typed text is a new message
    assert results.text.splitlines()[:4] == [
        "🔎 Suche: „Digital-Scouts“",
        "2 Ideen gefunden",
        "",
        "1. Netzwerk aus Digital-Scouts (Siegen-Wittgenstein/Olpe)",
    ]
    assert results.button_labels() == [
        "1. Netzwerk aus Digital-Scouts",
        "2. Digitalisierungs-Atlas",  # names the scouts in its description: second
        "🔎 Neue Suche",
        "« Hauptmenü",
    ]
    assert await harness.data.drafts.get(user.user_id) is None  # the dialogue is over
    await user.tap("1. Netzwerk aus Digital-Scouts")
    assert user.last.message_id == results.message_id
    assert "Netzwerk aus Digital-Scouts" in user.last.text
    assert "Suche" not in user.last.text
    await user.tap("« Zurück zur Liste")
    assert user.last.text == results.text
    assert user.last.button_labels() == results.button_labels()


async def test_umlauts_prefixes_and_ranking(harness: Harness) -> None:
    user = harness.user()
    for words in ("Muenster", "münster", "MÜNSTER", "Munster"):
        await user.command("suche", words)
        assert "3 Ideen gefunden" in user.last.text, words
        assert "Brancheninnovationsfestival Münsterland (Münsterland)" in user.last.text
    await user.command("suche", "Digitali")
    lines = user.last.text.splitlines()
    assert lines[1] == "10 Ideen gefunden · Seite 1 von 2"
    # the word in the title: those first
    assert all("Digitali" in line for line in lines[3:8]), lines


async def test_pages_of_results_and_back_to_the_page(harness: Harness) -> None:
    await add_ideas(harness, 19)
    user = harness.user()
    await user.command("suche", "Lernort")
    first = user.last
    assert "19 Ideen gefunden · Seite 1 von 3" in first.text
    labels = first.button_labels()
    assert [label.split(".")[0] for label in labels[:8]] == [str(n) for n in range(1, 9)]
    assert "‹ Zurück" not in labels and "Weiter ›" in labels
    await user.tap("Weiter ›")
    await user.tap("Weiter ›")
    third = user.last
    assert third.message_id == first.message_id  # paged in place
    assert "Seite 3 von 3" in third.text
    assert [label.split(".")[0] for label in third.button_labels()[:3]] == ["17", "18", "19"]
    assert "Weiter ›" not in third.button_labels() and "‹ Zurück" in third.button_labels()
    opened = third.button_labels()[1]
    await user.tap(opened)
    assert opened.split(". ", 1)[1] in user.last.text
    await user.tap("« Zurück zur Liste")
    assert user.last.text == third.text  # page 3 again, not page 1
    await user.tap("‹ Zurück")
    assert "Seite 2 von 3" in user.last.text
    assert await kept_searches(harness) == ["Lernort"]  # once, however many pages


async def test_every_word_must_match(harness: Harness) -> None:
    await add_ideas(harness, 6)
    user = harness.user()
    await user.command("suche", "Lernort", "Betrieb")  # body „… im Betrieb“: odd numbers
    assert "3 Ideen gefunden" in user.last.text
    await user.command("suche", "Lernort", "Quartier", "Köln")  # Köln: the region's name
    assert "3 Ideen gefunden" in user.last.text


async def test_nothing_found_offers_next_steps(harness: Harness) -> None:
    user = harness.user()
    await user.command("suche", "Quantenphysik")
    assert "Zu „Quantenphysik“ habe ich keine Idee gefunden." in user.last.text
    assert user.last.button_labels() == NOTHING_BUTTONS
    assert await kept_searches(harness) == []  # no result list, nothing kept
    await user.tap("🗺 Ideen nach Region")
    assert "Ideen nach Region" in user.last.text
    await user.command("suche", "Quantenphysik")
    await user.tap("🔎 Neue Suche")
    assert "Schreiben Sie mir ein oder mehrere Wörter" in user.last.text
    await user.send("Lernwerkstatt")
    assert "1. Lernwerkstatt (Ostwestfalen-Lippe)" in user.last.text


async def test_hostile_and_unusable_input(harness: Harness) -> None:
    user = harness.user()
    for words in ('"NEAR(', "digital AND (scouts", "title:digital*", "-digital", "*"):
        await user.command("suche", words)  # never an error; operators are separators
    await user.command("suche", '"Digital-Scouts" OR *')
    assert "2 Ideen gefunden\n\n1. Netzwerk aus Digital-Scouts" in user.last.text
    await user.command("suche", "*** ((( ---")
    assert user.last.text.startswith("Darin finde ich kein Wort")
    assert (await harness.data.drafts.get(user.user_id)) is not None  # the next text is the search
    await refused(harness, user, "x" * (MAX_QUERY_CHARS + 1), "für eine Suche zu lang")
    assert user.last.text.startswith("Das ist für eine Suche zu lang (höchstens 200 Zeichen)")
    await user.send_sticker()
    assert "Schreiben Sie mir ein oder mehrere Wörter" in user.last.text
    await user.send("Gipfeltreffen")
    assert "1. Gipfeltreffen (Ostwestfalen-Lippe)" in user.last.text


async def test_cancel_the_question(harness: Harness) -> None:
    user = harness.user()
    await user.command("suche")
    await user.command("abbrechen")
    assert "Abgebrochen" in user.last.text
    await user.send("Lünen")  # not a search any more: the region finder answers
    assert "Lünen" in user.last.text and "Ihre Region für" in user.last.text
    await user.command("suche")
    await user.tap("✖️ Abbrechen")
    assert "Abgebrochen" in user.last.text
    assert await harness.data.drafts.get(user.user_id) is None


async def test_english(harness: Harness) -> None:
    user = harness.user(language_code="en")
    await user.command("start")
    await user.tap("🔎 Search ideas")
    assert "Send me one or more words" in user.last.text
    await user.send("digitalisation atlas")
    assert user.last.text.splitlines()[:4] == [
        "🔎 Search: “digitalisation atlas”",
        "1 idea found",
        "",
        "1. Digitalisation atlas (Siegen-Wittgenstein/Olpe)",
    ]
    assert user.last.button_labels() == ["1. Digitalisation atlas", "🔎 New search", "« Main menu"]
    await user.command("suche", "Quantenphysik")  # the German command works as well
    assert "I found no idea for “Quantenphysik”" in user.last.text
    assert user.last.button_labels()[0] == "🔎 New search"
    await user.command("search", "Gipfeltreffen")
    assert "1. Summit (Ostwestfalen-Lippe)" in user.last.text
    await user.command("search", "*")
    assert user.last.text.startswith("I cannot find a word to search for")


async def test_archived_ideas_leave_the_results(harness: Harness) -> None:
    user = harness.user()
    await user.command("suche", "Gipfeltreffen")
    results = user.last
    assert "1 Idee gefunden" in results.text
    data = harness.data
    idea = await data.ideas.get_by_slug("gipfeltreffen-owl")
    assert idea is not None
    async with data.db.transaction() as tx:
        await IdeaLifecycle.archive(tx, idea.id, "doppelt", harness.clock(), by=None)
    await user.command("suche", "Gipfeltreffen")
    assert "keine Idee gefunden" in user.last.text
    await user.tap("🔎 Neue Suche", message=results)
    await user.send("Gipfeltreffen")
    assert "keine Idee gefunden" in user.last.text
    async with data.db.transaction() as tx:
        await IdeaLifecycle.restore(tx, idea.id, harness.clock(), by=None)
    await user.command("suche", "Gipfeltreffen")
    assert "1 Idee gefunden" in user.last.text


async def test_an_old_result_list_expires(harness: Harness) -> None:
    await add_ideas(harness, 9)
    user = harness.user()
    await user.command("suche", "Lernort")
    results = user.last
    harness.clock.advance(days=8)
    await user.tap("Weiter ›", message=results)
    assert user.last.text.startswith("Diese Suche ist abgelaufen")
    assert user.last.button_labels() == NOTHING_BUTTONS
    await harness.data.privacy.purge()  # the daily retention job removes the words
    assert await kept_searches(harness) == []


async def test_a_forged_search_id_shows_nobody_elses_words(harness: Harness) -> None:
    await add_ideas(harness, 9)
    erika, max_ = harness.user(4711), harness.user(4712, "Max")
    await erika.command("suche", "Lernort")
    row = await harness.data.db.fetchone("SELECT id FROM search_queries")
    assert row is not None
    await max_.command("start")
    await max_.tap_data(f"1|sr|{int(row['id']) + 1}|0")  # a neighbouring id: nothing there
    assert max_.last.text.startswith("Diese Suche ist abgelaufen")
