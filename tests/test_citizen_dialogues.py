"""Citizens' dialogues as a user sees them: what was typed is kept, texts say what applies."""

from __future__ import annotations

from bot.offline.fake_user import FakeUser

from conftest import Harness

IDEA = "we-make-you-sexy-niederrhein"


async def open_idea(user: FakeUser, slug: str = IDEA) -> None:
    """Open an idea through its deep link."""
    await user.command("start", f"idea_{slug}")


async def test_a_comment_typed_before_the_name_is_chosen_is_kept(harness: Harness) -> None:
    erika = harness.user()
    await open_idea(erika)
    await erika.tap("✍️ Kommentieren")
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
    await open_idea(erika)
    await erika.tap("✍️ Kommentieren")
    await erika.send("kurz")
    await erika.tap("🕶 anonym")
    assert "mit 4 Zeichen zu kurz" in erika.last.text
    assert "Bitte schreiben Sie ihn mir jetzt als Nachricht" in erika.last.text


async def test_emoji_only_is_named_before_too_short(harness: Harness) -> None:
    erika = harness.user()
    await open_idea(erika)
    await erika.tap("✍️ Kommentieren")
    await erika.tap("👤 Erika")
    await erika.send("👍👍")
    assert "besteht nur aus Emojis oder Links" in erika.last.text
    assert "zu kurz" not in erika.last.text
