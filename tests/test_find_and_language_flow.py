"""Find my region from typed text; switch language and keep the choice."""

from __future__ import annotations

import pytest

from bot.config import Settings

from conftest import FakeClock, Harness, running
from stories.dialogues import refused

WR, SWO = "Westfälisches Ruhrgebiet", "Siegen-Wittgenstein/Olpe"
MR = "Mittleres Ruhrgebiet"
# Ideas per region in the shipped data (bot/data).
SHIPPED = {WR: 3, SWO: 3, "Hellweg-Hochsauerland": 3, MR: 0}


@pytest.mark.parametrize(
    ("typed", "expected", "region"),
    [
        ("Dortmund", f"Ihre Region für Dortmund: {WR}", WR),
        ("Lünen", f"Ihre Region für Lünen (Kreis Unna): {WR}", WR),
        (
            "Kreis Soest",
            "Ihre Region für Kreis Soest: Hellweg-Hochsauerland",
            "Hellweg-Hochsauerland",
        ),
        (
            "bad berleburg",
            f"Ihre Region für Bad Berleburg (Kreis Siegen-Wittgenstein): {SWO}",
            SWO,
        ),
        ("57319", f"Ihre Region für die Postleitzahl 57319 (Bad Berleburg): {SWO}", SWO),
        ("Raumland", f"Ihre Region für Raumland (Ortsteil von Bad Berleburg): {SWO}", SWO),
        # A municipality in another region than its district (Ennepe-Ruhr-Kreis: Märkische).
        ("Witten", f"Ihre Region für Witten (Ennepe-Ruhr-Kreis): {MR}", MR),
        ("58452", f"Ihre Region für die Postleitzahl 58452 (Witten): {MR}", MR),
    ],
)
async def test_typed_place_finds_region(
    harness: Harness, typed: str, expected: str, region: str
) -> None:
    user = harness.user()
    await user.send(typed)
    assert user.last.text == expected
    count = SHIPPED[region]
    assert user.last.button_labels() == [f"Ideen: {region} ({count})", "« Hauptmenü"]
    await user.tap(f"Ideen: {region} ({count})")
    assert user.last.text.startswith(f"{region}\n{count} Ideen")


async def test_near_miss_gets_suggestions_that_lead_to_the_region(harness: Harness) -> None:
    user = harness.user()
    await user.send("Dortmnd")
    assert "Einen Ort „Dortmnd“ habe ich nicht gefunden. Meinten Sie vielleicht:" in user.last.text
    await user.tap("Dortmund → Westfälisches Ruhrgebiet")
    assert user.last.text.startswith("Westfälisches Ruhrgebiet")


async def test_unknown_place_and_postcode_are_answered(harness: Harness) -> None:
    user = harness.user()
    await refused(
        harness, user, "Atlantis", "Einen Ort „Atlantis“ habe ich in NRW leider nicht gefunden."
    )
    assert "🗺 Ideen nach Region" in user.last.button_labels()
    await refused(harness, user, "10115", "Die Postleitzahl 10115 kenne ich nicht")
    await refused(harness, user, "Wort " * 100, "zu lang")
    await user.send("<b>Köln</b>")  # markup in user text is neither interpreted nor an error
    assert user.last.text.startswith("Einen Ort „<b>Köln</b>“ habe ich in NRW leider nicht")
    await refused(harness, user, "<i>Atlantis & Co", "Einen Ort „<i>Atlantis & Co“ habe ich")


async def test_find_region_button_and_command_explain_what_to_type(harness: Harness) -> None:
    user = harness.user()
    await user.command("start")
    await user.tap("📍 Meine Region finden")
    assert "„Dortmund“, „Kreis Soest“ oder „57319“" in user.last.text
    await user.command("region_finden")
    assert "Schreiben Sie mir den Namen Ihrer Stadt" in user.last.text


async def test_switch_language_and_it_is_remembered(harness: Harness) -> None:
    user = harness.user()
    await user.command("sprache")
    assert user.last.button_labels() == ["✓ Deutsch", "English"]
    await user.tap("English")
    assert user.last.text.startswith("From now on I will write to you in English.")
    assert user.answers[-1].text == "From now on I will write to you in English."
    await user.tap("🗺 Ideas by region")
    assert user.last.text.startswith("Ideas by region")
    await user.send("Lünen")
    assert "Your region for Lünen (Kreis Unna): Westfälisches Ruhrgebiet" in user.last.text
    stored = await harness.data.users.get(user.user_id)
    assert stored is not None and stored.language == "en"


async def test_language_choice_survives_a_restart(settings: Settings, clock: FakeClock) -> None:
    async with running(settings, clock) as first:
        user = first.user()
        await user.command("language")
        await user.tap("English")
    async with running(settings, clock) as second:
        user = second.user()  # Telegram still says "de"
        await user.command("start")
        assert user.last.text.startswith("Welcome to the Ideenlabor bot!")
        assert second.errors == []


async def test_telegram_language_is_used_until_the_user_chooses(harness: Harness) -> None:
    english = harness.user(user_id=5001, language_code="en")
    await english.command("help")
    assert english.last.text.startswith("How to use the Ideenlabor bot")
    german = harness.user(user_id=5002, language_code="de")
    await german.command("help")
    assert german.last.text.startswith("So nutzen Sie den Ideenlabor-Bot")
