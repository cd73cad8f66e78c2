"""Ratings (rate, change, withdraw, average) and region lists sorted by comments and ratings."""

from __future__ import annotations

from bot.offline.fake_user import FakeUser

from conftest import ADMIN_ID, Harness
from stories.browse import add_ideas
from stories.comments import open_idea


async def rate(user: FakeUser, stars: int, button: str = "⭐ Bewerten") -> None:
    """Open the idea, tap "Bewerten" and a number of stars."""
    await open_idea(user)
    await user.tap(button)
    await user.tap(f"{stars} ★")


async def test_three_users_rate_change_and_withdraw(harness: Harness) -> None:
    anna, ben, cem = (harness.user(5000 + n, name) for n, name in enumerate(("Anna", "Ben", "Cem")))
    await open_idea(anna)
    view = anna.last
    assert "★ bislang nicht bewertet" in view.text and "Ihre Bewertung" not in view.text
    await anna.tap("⭐ Bewerten")
    assert anna.last.message_id == view.message_id  # in place
    assert anna.last.text.startswith(
        "⭐ Wie bewerten Sie die Idee „We make you sexy, NiederRhein“?"
    )
    assert anna.last.buttons == [
        ["1 ★", "2 ★", "3 ★", "4 ★", "5 ★"],
        ["« Zurück zur Idee"],
        ["« Hauptmenü"],
    ]
    await anna.tap("5 ★")
    assert anna.answers[-1].text == "Danke! Ihre Bewertung: 5 von 5 Sternen."
    assert anna.last.message_id == view.message_id
    assert "★ 5,0 von 5 (1 Bewertung)" in anna.last.text
    assert "Ihre Bewertung: ★★★★★ (5 von 5)" in anna.last.text
    await rate(ben, 4)
    await rate(cem, 4)
    assert "★ 4,3 von 5 (3 Bewertungen)" in cem.last.text
    assert "Ihre Bewertung: ★★★★☆ (4 von 5)" in cem.last.text

    await ben.tap("⭐ Bewerten")
    assert "Ihre bisherige Bewertung: 4 von 5 Sternen." in ben.last.text
    assert ben.last.buttons[:2] == [
        ["1 ★", "2 ★", "3 ★", "✓ 4 ★", "5 ★"],
        ["✖️ Bewertung zurückziehen"],
    ]
    await ben.tap("2 ★")  # change: (5 + 2 + 4) / 3
    assert "★ 3,7 von 5 (3 Bewertungen)" in ben.last.text
    assert "Ihre Bewertung: ★★☆☆☆ (2 von 5)" in ben.last.text
    await ben.tap("⭐ Bewerten")
    await ben.tap("✖️ Bewertung zurückziehen")
    assert ben.answers[-1].text == "Ihre Bewertung wurde zurückgezogen."
    assert "★ 4,5 von 5 (2 Bewertungen)" in ben.last.text and "Ihre Bewertung" not in ben.last.text
    withdraw = ben.messages[-1].find_button("⭐ Bewerten")  # a second, stale withdrawal
    assert withdraw.callback_data is not None
    await ben.tap_data(withdraw.callback_data.replace("|rt|", "|rw|"))
    assert ben.answers[-1].text == "Sie hatten diese Idee nicht bewertet."

    await anna.tap("⭐ Bewerten")
    await anna.tap("✖️ Bewertung zurückziehen")
    await cem.tap("⭐ Bewerten")
    await cem.tap("✖️ Bewertung zurückziehen")
    assert "★ bislang nicht bewertet" in cem.last.text
    await cem.tap("« Zurück zur Liste")
    assert cem.last.text.startswith("NiederRhein")
    idea = await harness.data.ideas.get_by_slug("we-make-you-sexy-niederrhein")
    assert idea is not None and (idea.rating_count, idea.rating_sum) == (0, 0)


async def test_english_rating(harness: Harness) -> None:
    anna = harness.user(5000, "Anna", language_code="en")
    await rate(anna, 3, "⭐ Rate")
    assert "★ 3.0 out of 5 (1 rating)" in anna.last.text
    assert "Your rating: ★★★☆☆ (3 out of 5)" in anna.last.text


async def test_region_ideas_sorted_by_discussion_and_rating(harness: Harness) -> None:
    # A region without shipped ideas; "Idee Nummer 9" is the newest.
    await add_ideas(harness, "bonn-rhein-sieg", 10)
    ids = {}
    for n in range(10):
        idea = await harness.data.ideas.get_by_slug(f"bonn-rhein-sieg-{n}")
        assert idea is not None
        ids[n] = idea.id
    talkers = [harness.user(6000 + k, f"Person{k}") for k in range(3)]
    for talker in talkers:
        await talker.command("regionen")  # known users (comments belong to users)
    for idea_number, count in ((2, 3), (5, 1), (7, 2)):
        for talker in talkers[:count]:
            comment = await harness.data.comments.submit(
                ids[idea_number],
                talker.user_id,
                talker.user["first_name"],
                f"Meinung zu {idea_number}",
            )
            await harness.data.moderation.decide("comment", comment.id, ADMIN_ID, "approve")
    raters = [harness.user(7000 + k, f"Wertung{k}") for k in range(2)]
    for rater in raters:
        await rater.command("regionen")
    for idea_number, stars in ((3, (5, 4)), (8, (5, 5)), (1, (2,))):
        for rater, value in zip(raters, stars, strict=False):
            await harness.data.ratings.set(ids[idea_number], rater.user_id, value, harness.clock())

    user = harness.user()
    await user.command("regionen")
    await user.tap("Bonn/Rhein-Sieg (10)")
    assert ["✓ Neueste", "Meistdiskutiert", "Bestbewertet"] in user.last.buttons
    assert user.last.button_labels()[:3] == [
        "Idee Nummer 9",
        "Idee Nummer 8",
        "Idee Nummer 7 (💬 2)",
    ]
    await user.tap("Meistdiskutiert")
    assert ["Neueste", "✓ Meistdiskutiert", "Bestbewertet"] in user.last.buttons
    assert user.last.button_labels()[:4] == [
        "Idee Nummer 2 (💬 3)",
        "Idee Nummer 7 (💬 2)",
        "Idee Nummer 5 (💬 1)",
        "Idee Nummer 9",
    ]
    await user.tap("Bestbewertet")
    assert user.last.button_labels()[:3] == ["Idee Nummer 8", "Idee Nummer 3", "Idee Nummer 1"]
    await user.tap("Weiter ›")  # paging keeps the order
    assert "Seite 2 von 2" in user.last.text
    assert ["Neueste", "Meistdiskutiert", "✓ Bestbewertet"] in user.last.buttons
    second_page = user.last.button_labels()[:2]
    await user.tap(second_page[0])
    await user.tap("⭐ Bewerten")
    await user.tap("1 ★")
    await user.tap("« Zurück zur Liste")  # back to the same page, in the same order
    assert "Seite 2 von 2" in user.last.text
    assert ["Neueste", "Meistdiskutiert", "✓ Bestbewertet"] in user.last.buttons
    await user.tap("‹ Zurück")
    assert user.last.button_labels()[:3] == ["Idee Nummer 8", "Idee Nummer 3", "Idee Nummer 1"]
    await user.tap("Neueste")
    assert user.last.button_labels()[0] == "Idee Nummer 9"
