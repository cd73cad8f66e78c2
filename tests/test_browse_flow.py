"""A citizen browses the idea map: start, regions, pages, ideas, challenges, deep links."""

from __future__ import annotations

from conftest import Harness
from stories.browse import add_ideas, import_ideas


async def test_start_shows_welcome_and_main_menu(harness: Harness) -> None:
    user = harness.user()
    await user.command("start")
    assert "Willkommen beim Ideenlabor-Bot" in user.last.text
    assert "Ideenlandkarte 4.0" in user.last.text
    assert user.last.button_labels() == [
        "🗺 Ideen nach Region",
        "🗺 Karte",
        "📜 Rückblick",
        "🎯 Ideen nach Herausforderung",
        "📅 Ideenlabore – Termine",
        "📍 Meine Region finden",
        "🔎 Ideen suchen",
        "💡 Idee vorschlagen",
        "🌐 Sprache / Language",
        "❓ Hilfe",
    ]


async def test_command_menus_are_registered_in_german_and_english(harness: Harness) -> None:
    calls = harness.api.calls_to("setMyCommands")
    by_language = {c.params.get("language_code"): c.params for c in calls}
    assert set(by_language) == {"de", "en", None}
    names = lambda p: [c["command"] for c in p["commands"]]  # noqa: E731
    assert "regionen" in names(by_language["de"]) and "regions" in names(by_language["en"])


async def test_browse_every_region_and_back(harness: Harness) -> None:
    user = harness.user()
    await user.command("start")
    await user.tap("🗺 Ideen nach Region")
    menu = user.last
    regions = [label for label in menu.button_labels() if label.endswith(")")]
    assert len([r for r in regions if not r.startswith("Ohne")]) == 16
    assert "NiederRhein (6)" in regions and "Ohne Regionsangabe (1)" in regions
    for region in regions:
        await user.tap(region, message=menu)
        assert region.rsplit(" (", 1)[0] in user.last.text or "ohne Regionsangabe" in user.last.text
        await user.tap("« Alle Regionen")
        assert user.last.message_id == menu.message_id  # edited in place
    assert len(user.messages) == 1  # the welcome message, edited in place throughout


async def test_region_pages_and_idea_view(harness: Harness) -> None:
    await add_ideas(harness, "bonn-rhein-sieg", 19)  # a region without shipped ideas
    user = harness.user()
    await user.command("regionen")
    await user.tap("Bonn/Rhein-Sieg (19)")
    page = user.last
    assert "19 Ideen · Seite 1 von 3" in page.text
    assert page.button_labels()[:2] == ["Idee Nummer 18", "Idee Nummer 17"]
    assert "‹ Zurück" not in page.button_labels()
    await user.tap("Weiter ›")
    await user.tap("Weiter ›")
    assert "Seite 3 von 3" in user.last.text
    assert user.last.button_labels()[:3] == ["Idee Nummer 2", "Idee Nummer 1", "Idee Nummer 0"]
    assert "Weiter ›" not in user.last.button_labels()
    await user.tap("Idee Nummer 1")
    idea = user.last
    assert idea.text.startswith("Idee Nummer 1")
    assert "Region: Bonn/Rhein-Sieg" in idea.text
    assert "Herausforderung: nicht angegeben" in idea.text
    assert "Veröffentlicht: 2. Januar 2026" in idea.text
    await user.tap("« Zurück zur Liste")
    assert "Seite 3 von 3" in user.last.text
    assert len(user.messages) == 1  # all of it in one message


async def test_ideas_by_challenge(harness: Harness) -> None:
    await add_ideas(harness, "koeln", 2, challenge="alle-mitnehmen")
    user = harness.user()
    await user.command("start")
    await user.tap("🎯 Ideen nach Herausforderung")
    text = user.last.text
    assert "3. Alle Menschen im digitalen Wandel mitnehmen (3)" in text  # 1 shipped
    assert "Ohne Zuordnung zu einer Herausforderung (5)" in text
    await user.tap("3 (3)")
    assert "Alle Menschen im digitalen Wandel mitnehmen" in user.last.text
    await user.tap("Idee Nummer 0")
    assert "Herausforderung: Alle Menschen im digitalen Wandel mitnehmen" in user.last.text
    await user.tap("« Zurück zur Liste")
    await user.tap("« Alle Herausforderungen")
    await user.tap("Ohne Zuordnung (5)")
    assert "We make you sexy, NiederRhein" in user.last.button_labels()


async def test_empty_region_says_so(harness: Harness) -> None:
    user = harness.user()
    await user.command("regionen")
    await user.tap("Region Aachen (0)")
    assert "Aus dieser Region sind noch keine Ideen veröffentlicht." in user.last.text


async def test_idea_without_region_says_not_given(harness: Harness) -> None:
    user = harness.user()
    await user.command("start", "idea_schachtzeichen-4-0")
    assert "Region: nicht angegeben" in user.last.text
    assert "Herausforderung: nicht angegeben" in user.last.text


async def test_deep_links_open_idea_and_region(harness: Harness) -> None:
    user = harness.user()
    await user.command("start", "idea_we-make-you-sexy-niederrhein")
    assert user.last.text.startswith("We make you sexy, NiederRhein")
    await user.tap("« Zurück zur Liste")
    assert user.last.text.startswith("NiederRhein")
    await user.command("start", "region_muensterland")
    assert user.last.text.startswith("Münsterland")


async def test_bad_deep_links_fall_back_to_the_menu(harness: Harness) -> None:
    user = harness.user()
    for payload in ("idea_gibt-es-nicht", "region_nirgendwo", "<script>", "x" * 64, "idea_"):
        await user.command("start", payload)
        assert "Dieser Link ist leider nicht (mehr) gültig" in user.last.text
        assert "🗺 Ideen nach Region" in user.last.button_labels()


async def test_html_in_imported_text_is_shown_literally(harness: Harness) -> None:
    await import_ideas(
        harness,
        {
            "slug": "html",
            "title": "<b>Fett</b> & Co",
            "region": "koeln",
            "body": "a < b > c & <i>kein Tag</i>",
        },
    )
    user = harness.user()
    await user.command("start", "idea_html")
    assert user.last.text.startswith("<b>Fett</b> & Co")
    assert "a < b > c & <i>kein Tag</i>" in user.last.text


async def test_very_long_idea_is_shortened_to_fit(harness: Harness) -> None:
    await import_ideas(
        harness, {"slug": "lang", "title": "Lang", "region": "koeln", "body": "Wort " * 4000}
    )
    user = harness.user()
    await user.command("start", "idea_lang")
    assert user.last.text.endswith("… (gekürzt)")


async def test_help_and_about_with_attribution(harness: Harness) -> None:
    user = harness.user()
    await user.command("hilfe")
    for command in ("/start", "/regionen", "/herausforderungen", "/region_finden", "/sprache"):
        assert command in user.last.text
    await user.tap("ℹ️ Über diesen Bot und die Daten")
    assert "Statistisches Bundesamt (Destatis)" in user.last.text
    assert "GeoNames" in user.last.text and "dl-de/by-2-0" in user.last.text
    await user.tap("« Hauptmenü")
    assert "Hauptmenü" in user.last.text
