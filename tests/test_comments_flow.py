"""Citizens write comments: name, text checks, preview, moderation, limits, restarts, cancelling."""

from __future__ import annotations

from pathlib import Path

from bot.config import Settings
from bot.offline.fake_user import FakeUser
from bot.services.moderation import Decided

from conftest import ADMIN_ID, FakeClock, Harness, make_settings, running
from stories.comments import comment, open_idea, quoted, start_writing
from stories.dialogues import refused

ASK = "Bitte schreiben Sie ihn mir jetzt als Nachricht"


async def commented(h: Harness, count: int) -> FakeUser:
    """Erika, who has just written count comments (the limit: 5 in 10 minutes)."""
    erika = h.user()
    for n in range(count):
        await comment(erika, f"Kommentar Nummer {n} zur Idee")
    return erika


async def test_name_asked_once_preview_submit_and_approval(harness: Harness) -> None:
    erika = harness.user()
    await open_idea(erika)
    assert "💬 noch keine Kommentare" in erika.last.text
    assert "★ bislang nicht bewertet" in erika.last.text
    assert erika.last.buttons[:2] == [["💬 Kommentare (0)", "✍️ Kommentieren"], ["⭐ Bewerten"]]
    await erika.tap("✍️ Kommentieren")
    assert erika.last.text.startswith("Unter welchem Namen möchten Sie kommentieren?")
    assert erika.last.buttons == [["👤 Erika", "🕶 anonym"], ["✖️ Abbrechen"]]
    await erika.tap("👤 Erika")
    assert ASK in erika.last.text and "unter dem Namen Erika" in erika.last.text
    assert "vor der Veröffentlichung von der Moderation geprüft" in erika.last.text
    text = "Grüße aus Köln – <b>tolle</b> Idee! 😀 مرحبا بالعالم"
    await erika.send(text)
    assert "so erscheint Ihr Kommentar" in erika.last.text
    assert "unter dem Namen Erika:" in erika.last.text
    assert quoted(erika) == [text]
    assert erika.last.buttons == [["✅ Absenden"], ["👤 Namen ändern → anonym"], ["✖️ Abbrechen"]]
    await erika.tap("👤 Namen ändern → anonym")
    assert "unter dem Namen anonym:" in erika.last.text and quoted(erika) == [text]
    await erika.tap("✅ Absenden")
    assert erika.last.text.startswith("✅ Danke! Ihr Kommentar wartet auf Freigabe.")
    [stored] = await harness.data.comments.repo.by_user(erika.user_id)
    assert (stored.status, stored.author_name, stored.text) == ("pending", "anonym", text)

    max_ = harness.user(4712, "Max")
    await open_idea(max_)
    await max_.tap("💬 Kommentare (0)")
    assert "Zu dieser Idee gibt es noch keine Kommentare." in max_.last.text  # not yet approved

    await start_writing(erika, name=None)  # the name is not asked again
    assert ASK in erika.last.text and "unter dem Namen anonym" in erika.last.text
    await erika.send("Noch ein zweiter Gedanke dazu.")
    await erika.tap("✅ Absenden")
    second = (await harness.data.comments.repo.by_user(erika.user_id))[0]
    for item in (stored, second):
        harness.clock.advance(minutes=1)
        decided = await harness.data.moderation.decide("comment", item.id, ADMIN_ID, "approve")
        assert isinstance(decided, Decided)
    await open_idea(max_)
    assert "💬 2 Kommentare" in max_.last.text
    await max_.tap("💬 Kommentare (2)")
    assert quoted(max_) == ["Noch ein zweiter Gedanke dazu.", text]  # newest first
    assert "1. anonym · 25.11.2026, 11:00" in max_.last.text


async def test_every_invalid_text_gets_its_own_answer(harness: Harness) -> None:
    erika = harness.user()
    await start_writing(erika)
    cases = [
        ("   ", "Ihr Kommentar ist leer."),
        (
            "zu kurz",
            "Ihr Kommentar ist mit 7 Zeichen zu kurz – bitte schreiben Sie mindestens 10 Zeichen.",
        ),
        (
            "x" * 2001,
            "Ihr Kommentar ist mit 2001 Zeichen zu lang – höchstens 2000 Zeichen sind möglich.",
        ),
        (
            "😀😀😀 🎉🎉 https://example.org/x www.nrw.de",
            "Ihr Kommentar besteht nur aus Emojis oder Links.",
        ),
    ]
    for text, expected in cases:
        await refused(harness, erika, text, expected)
        assert erika.last.text.startswith(expected), (text, erika.last.text)
        assert ASK in erika.last.text  # and the question again
    for send in (erika.send_sticker, erika.send_photo, erika.send_voice):
        await send()
        assert erika.last.text.startswith(
            "Bitte schreiben Sie Ihren Kommentar als Text – Sticker, Fotos und Sprachnachrichten"
        )
        assert ASK in erika.last.text
    await erika.send("x" * 2000)  # the longest comment fits the preview
    assert quoted(erika) == ["x" * 2000]
    await erika.tap("✖️ Abbrechen")
    await comment(erika, "Ein Gedanke zur Idee")
    await start_writing(erika)
    await refused(harness, erika, "  ein GEDANKE   zur idee ", "schon einmal geschrieben")
    assert erika.last.text.startswith(
        "Diesen Text haben Sie zu dieser Idee schon einmal geschrieben."
    )
    assert len(await harness.data.comments.repo.by_user(erika.user_id)) == 1


async def test_name_question_wants_a_button(harness: Harness) -> None:
    erika = harness.user()
    await open_idea(erika)
    await erika.tap("✍️ Kommentieren")
    await erika.send("Mein Kommentar zur Idee")
    assert "Ihr Text ist gespeichert" in erika.messages[-2].text
    assert erika.last.text.startswith("Unter welchem Namen")
    await erika.send_sticker()
    assert erika.last.text.startswith("Unter welchem Namen")
    await erika.tap("🕶 anonym")  # the kept text is previewed
    assert "unter dem Namen anonym:" in erika.last.text
    assert "Mein Kommentar zur Idee" in erika.last.text


async def test_post_moderation_publishes_at_once(db_path: Path, clock: FakeClock) -> None:
    async with running(make_settings(db_path, IDEENLABOR_MODERATION="post"), clock) as h:
        erika = h.user()
        await comment(erika, "Sofort sichtbar, dank Nachmoderation.")
        assert erika.last.text == "✅ Danke! Ihr Kommentar ist veröffentlicht."
        await erika.tap("💬 Kommentare (1)")
        assert quoted(erika) == ["Sofort sichtbar, dank Nachmoderation."]
        assert "Ihr Kommentar" in erika.last.text and "🚩" not in str(erika.last.buttons)
        max_ = h.user(4712, "Max")
        await max_.command("regionen")
        await max_.tap("NiederRhein (6)")
        await max_.tap("We make you sexy, NiederRhein (💬 1)")
        assert "💬 1 Kommentar" in max_.last.text
        await max_.tap("💬 Kommentare (1)")
        assert "1. Erika · 25.11.2026, 11:00" in max_.last.text
        assert max_.last.buttons[0] == ["🚩 Melden: Nr. 1"]
        await max_.tap("« Zurück zur Idee")
        await max_.tap("« Zurück zur Liste")
        assert max_.last.text.startswith("NiederRhein")
        assert h.errors == []
        h.api.assert_no_errors()


async def test_rate_limit_is_explained_and_frees_up(harness: Harness) -> None:
    erika = await commented(harness, 4)
    await start_writing(erika)
    await erika.send("Der sechste, schon in Arbeit")
    preview = erika.last
    other = await harness.data.ideas.get_by_slug("digital-scouts")
    assert other is not None
    await harness.data.comments.submit(other.id, erika.user_id, "Erika", "Anderswo geschrieben")
    await erika.tap("✅ Absenden", message=preview)  # the limits are checked again on submit
    limit = "Sie haben das Limit von 5 Kommentaren in 10 Minuten erreicht."
    assert erika.last.text.startswith(limit)
    assert "Ab 25.11.2026, 11:10 können Sie wieder kommentieren." in erika.last.text
    await open_idea(erika)
    await erika.tap("✍️ Kommentieren")  # explained before anything is typed
    assert erika.last.text.startswith(limit)
    assert erika.last.buttons == [["« Zurück zur Idee"]]
    assert len(await harness.data.comments.repo.by_user(erika.user_id)) == 5
    harness.clock.advance(minutes=10, seconds=1)  # see the exact-minute test below
    await comment(erika, "Nach der Pause wieder erlaubt")
    assert erika.last.text.startswith("✅ Danke!")
    assert len(await harness.data.comments.repo.by_user(erika.user_id)) == 6


async def test_rate_limit_frees_up_at_the_announced_minute(harness: Harness) -> None:
    erika = await commented(harness, 5)
    await open_idea(erika)
    await erika.tap("✍️ Kommentieren")
    assert "Ab 25.11.2026, 11:10 können Sie wieder kommentieren." in erika.last.text
    harness.clock.advance(minutes=10)
    await open_idea(erika)
    await erika.tap("✍️ Kommentieren")
    assert ASK in erika.last.text


async def test_comment_survives_a_restart(settings: Settings, clock: FakeClock) -> None:
    async with running(settings, clock) as h:
        api = h.api
        await start_writing(h.user())
        assert ASK in h.user().last.text
    async with running(settings, clock, api) as h:
        erika = h.user()
        await erika.send("Geschrieben nach dem Neustart")
        assert quoted(erika) == ["Geschrieben nach dem Neustart"]
    async with running(settings, clock, api) as h:
        erika = h.user()
        await erika.tap("✅ Absenden")
        assert erika.last.text.startswith("✅ Danke! Ihr Kommentar wartet auf Freigabe.")
        [stored] = await h.data.comments.repo.by_user(erika.user_id)
        assert stored.text == "Geschrieben nach dem Neustart"
        assert h.errors == []
        api.assert_no_errors()


async def test_cancel_leaves_no_trace(harness: Harness) -> None:
    erika = harness.user()
    await start_writing(erika)
    await erika.send("Das schicke ich doch nicht ab")
    preview = erika.last
    await erika.command("abbrechen")
    assert erika.last.text == "Abgebrochen. Es wurde nichts gespeichert."
    await erika.tap("✅ Absenden", message=preview)
    assert erika.answers[-1].text == "Dieser Kommentar-Entwurf ist nicht mehr aktiv."
    await start_writing(erika)
    await erika.tap("✖️ Abbrechen")
    assert erika.last.text.startswith("Abgebrochen. Es wurde nichts gespeichert.")
    await erika.send("Lünen")  # free text goes to the region finder again
    assert "Region" in erika.last.text and "Vorschau" not in erika.last.text
    assert await harness.data.comments.repo.by_user(erika.user_id) == []
    assert await harness.data.drafts.get(erika.user_id) is None


async def test_another_command_leaves_the_dialogue(harness: Harness) -> None:
    erika = harness.user()
    await start_writing(erika)
    await erika.command("regionen")
    assert "„Kommentar schreiben“ wurde abgebrochen." in erika.messages[-2].text
    assert await harness.data.drafts.get(erika.user_id) is None


async def test_english_texts(harness: Harness) -> None:
    anna = harness.user(4713, "Anna", language_code="en")
    await open_idea(anna)
    assert "💬 no comments yet" in anna.last.text and "★ not rated yet" in anna.last.text
    assert anna.last.buttons[:2] == [["💬 Comments (0)", "✍️ Comment"], ["⭐ Rate"]]
    await anna.tap("✍️ Comment")
    assert anna.last.text.startswith("Under which name would you like to comment?")
    await anna.tap("🕶 anonymous")
    assert "Please send it to me now as a message" in anna.last.text
    await refused(harness, anna, "short", "At 5 characters your comment is too short")
    assert anna.last.text.startswith("At 5 characters your comment is too short")
    await anna.send("An English comment on the idea")
    assert "under the name anonymous:" in anna.last.text
    await anna.tap("✅ Submit")
    assert anna.last.text.startswith("✅ Thank you! Your comment is awaiting approval.")
    await anna.command("my_comments")
    assert "awaiting approval" in anna.last.text and "You comment as “anonymous”" in anna.last.text


async def test_only_the_newest_preview_can_be_sent(harness: Harness) -> None:
    erika = harness.user()
    await open_idea(erika)
    await erika.tap("✍️ Kommentieren")
    await erika.tap(erika.last.button_labels()[0])  # the first-name choice
    await erika.send("Ein erster Entwurf, den ich verwerfe")
    first_preview = erika.last
    await erika.send("Das ist der Text, den ich wirklich meine")
    await erika.tap("✅ Absenden", message=first_preview)
    assert await harness.data.comments.repo.by_user(erika.user_id) == []
    await erika.tap("✅ Absenden")
    [comment] = await harness.data.comments.repo.by_user(erika.user_id)
    assert comment.text == "Das ist der Text, den ich wirklich meine"
