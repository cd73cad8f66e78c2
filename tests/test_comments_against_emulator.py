"""Issue 4, "Done when": comments, moderation and ratings tried as new users would.

`python -m bot run` is started as a subprocess against the HTTP Bot API emulator with one
moderator (IDEENLABOR_ADMINS) and the default pre-moderation. Citizen A opens an idea from a
deep link, writes a comment and gets a clear answer to every kind of abusive input (whitespace,
too short, too long, only emoji, only a link, sticker/photo/voice, HTML, the same text twice);
the moderator approves it and A is told. Citizen B reads it exactly as typed and reports it; A
sees its status under /meine_kommentare. Both rate the idea; B changes and withdraws the rating.
The bot is killed (SIGKILL) while A is writing a second comment and started again: the dialogue
goes on. At last the bot stops on SIGTERM with status 0, and neither the emulator nor the logs
recorded an error.
"""

from __future__ import annotations

import signal
import time
from collections.abc import Callable
from typing import Any

import pytest
from botapi_server import BotMessage

from stories.processes import STEP_TIMEOUT, BotProcess, RecordingEmulator, stop_cleanly

pytestmark = pytest.mark.process  # starts the bot or a server (see conftest.py)

A = 5001  # citizen who comments
B = 5002  # citizen who reads, reports and rates
MOD = 5003  # the moderator (a configured admin)

IDEA = "We make you sexy, NiederRhein"
SLUG = "idea_we-make-you-sexy-niederrhein"
HTML_TRY = "Das meine ich <b>x</b> & nicht anders"
COMMENT = (
    "Großartige Idee! Übermorgen erzähle ich’s meiner Familie in Kleve 😍👍 – 5 < 6 & „Grüße“ مرحبا"
)
SECOND = "Noch ein Gedanke: Fahrradwege an den Niers wären schön 🚲"


@pytest.fixture
def bot_env() -> dict[str, str]:
    """The moderator as admin (pre-moderation by default)."""
    return {"IDEENLABOR_ADMINS": str(MOD)}


def push_media(emu: RecordingEmulator, user_id: int, kind: str) -> int:
    """The user sends a sticker, photo or voice message (no text) in the private chat."""
    media: dict[str, Any] = {
        "sticker": {
            "file_id": "stk1",
            "file_unique_id": "ustk1",
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": "😀",
        },
        "photo": [{"file_id": "pho1", "file_unique_id": "upho1", "width": 90, "height": 90}],
        "voice": {"file_id": "voi1", "file_unique_id": "uvoi1", "duration": 3},
    }
    with emu._cond:
        user = emu._user(user_id)
        message = {
            "message_id": emu._next_message_id(user_id),
            "from": user.json(),
            "chat": user.chat(),
            "date": int(time.time()),
            kind: media[kind],
        }
        return emu._push(user_id, "message", message)


def test_comment_moderation_report_and_ratings_against_the_real_process(
    emulator: RecordingEmulator, launch: Callable[[], BotProcess]
) -> None:
    emu = emulator
    emu.user(A, "Jürgen", language_code="de")
    emu.user(B, "Bea", language_code="de")
    emu.user(MOD, "Moritz", language_code="de")
    began = time.monotonic()
    first = launch()

    def open_idea(user: int) -> BotMessage:
        emu.push_command(user, "start", SLUG)
        idea = emu.step(user, lambda m: m.text.startswith(IDEA), kinds=["send"])
        assert "Region: NiederRhein" in idea.text, idea.text
        return idea

    def refused(text: str, expected: str) -> BotMessage:
        """A writes text; the answer explains the problem and asks again for the comment."""
        emu.push_message(A, text)
        answer = emu.step(A, lambda m: "Ihr Kommentar zur Idee" in m.text or "Vorschau" in m.text)
        assert answer.text.startswith(expected), (expected, answer.text)
        assert "✍️ Ihr Kommentar zur Idee „We make you sexy, NiederRhein“" in answer.text
        return answer

    # the moderator has used the bot (moderators are notified only if the bot may write them)
    emu.push_command(MOD, "start")
    emu.step(MOD, "Willkommen beim Ideenlabor-Bot!")

    # ------------------------------------------------ A opens the idea from a poster's link
    idea_a = open_idea(A)
    assert "💬 noch keine Kommentare" in idea_a.text and "★ bislang nicht bewertet" in idea_a.text
    assert "💬 Kommentare (0)" in idea_a.labels() and "⭐ Bewerten" in idea_a.labels()
    emu.tap(A, "✍️ Kommentieren", message=idea_a)
    question = emu.step(A, "Unter welchem Namen möchten Sie kommentieren?")
    assert question.labels()[:2] == ["👤 Jürgen", "🕶 anonym"], question.labels()
    emu.push_message(A, "Hallo!")  # typed before choosing a name: kept, then checked
    emu.step(A, "📝 Ihr Text ist gespeichert")
    emu.tap(A, "👤 Jürgen", message=question)
    ask = emu.step(A, "✍️ Ihr Kommentar zur Idee")
    assert ask.text.startswith("Ihr Kommentar ist mit 6 Zeichen zu kurz"), ask.text
    assert "zwischen 10 und 2000 Zeichen" in ask.text and "unter dem Namen Jürgen" in ask.text
    assert "von der Moderation geprüft" in ask.text and "/abbrechen" in ask.text

    # ------------------------------------------------ every kind of abusive input
    refused("   \n\t  ", "Ihr Kommentar ist leer.")
    refused(
        "Super!",
        "Ihr Kommentar ist mit 6 Zeichen zu kurz – bitte schreiben Sie mindestens 10 Zeichen.",
    )
    refused("Ä" * 2001, "Ihr Kommentar ist mit 2001 Zeichen zu lang – höchstens 2000 Zeichen")
    refused("😀🎉👍🔥❤️😀🎉👍🔥❤️", "Ihr Kommentar besteht nur aus Emojis oder Links.")
    refused("https://example.org/mehr-dazu", "Ihr Kommentar besteht nur aus Emojis oder Links.")
    for kind in ("sticker", "photo", "voice"):
        push_media(emu, A, kind)
        answer = emu.step(A, "Bitte schreiben Sie Ihren Kommentar als Text")
        assert answer.text.startswith(
            "Bitte schreiben Sie Ihren Kommentar als Text – Sticker, Fotos und Sprachnachrichten"
        ), answer.text
    # HTML is shown literally, never interpreted
    emu.push_message(A, HTML_TRY)
    html_preview = emu.step(A, lambda m: m.text.startswith("Vorschau"))
    assert HTML_TRY in html_preview.text, html_preview.text
    assert "&lt;b&gt;x&lt;/b&gt; &amp; nicht" in html_preview.html, html_preview.html
    assert all(
        e.get("type") != "bold"
        or html_preview.text[e["offset"] :].startswith(("Vorschau", "Jürgen"))
        for e in html_preview.entities
    ), html_preview.entities

    # ------------------------------------------------ a new version, previewed and submitted
    emu.push_message(A, COMMENT)
    preview = emu.step(A, lambda m: m.text.startswith("Vorschau") and COMMENT in m.text)
    assert preview.text.startswith(
        f"Vorschau – so erscheint Ihr Kommentar zur Idee „{IDEA}“ unter dem Namen Jürgen:"
    ), preview.text
    assert preview.labels() == ["✅ Absenden", "👤 Namen ändern → anonym", "✖️ Abbrechen"], (
        preview.labels()
    )
    submitted_mark = emu.mark()
    emu.tap(A, "✅ Absenden", message=preview)
    thanks = emu.step(A, "wartet auf Freigabe")
    assert thanks.text.startswith("✅ Danke! Ihr Kommentar wartet auf Freigabe."), thanks.text

    # ------------------------------------------------ the moderator approves
    notice = emu.told(
        MOD, lambda m: m.text.startswith("📝 Neuer Kommentar zur Freigabe"), since=submitted_mark
    )
    assert notice.text == (
        f"📝 Neuer Kommentar zur Freigabe\nIdee: {IDEA}\nVon: Jürgen\n\n"
        f"{COMMENT}\n\nAlle offenen Kommentare: /moderation"
    ), notice.text
    assert "✅ Freigeben" in notice.labels() and "❌ Ablehnen" in notice.labels()
    approved_mark = emu.mark()
    emu.tap(MOD, "✅ Freigeben", message=notice)
    emu.toast("Freigegeben.", MOD)
    decided = emu.step(
        MOD, lambda m: m.message_id == notice.message_id and "Freigegeben von" in m.text
    )
    assert "✅ Freigegeben von Moritz" in decided.text, decided.text
    assert "✅ Freigeben" not in decided.labels()
    told = emu.told(A, lambda m: "wurde freigegeben" in m.text, since=approved_mark)
    assert told.text == (
        "✅ Ihr Kommentar „Großartige Idee! Übermorgen erzähle…“ zur Idee"
        f" „{IDEA}“ wurde freigegeben und ist jetzt für alle sichtbar."
    ), told.text

    # ------------------------------------------------ B reads it exactly as typed, reports it
    idea_b = open_idea(B)
    assert "💬 1 Kommentar" in idea_b.text, idea_b.text
    emu.tap(B, "💬 Kommentare (1)", message=idea_b)
    listing = emu.step(
        B, lambda m: m.message_id == idea_b.message_id and "Kommentare zur Idee" in m.text
    )
    assert listing.text.startswith(f"💬 Kommentare zur Idee „{IDEA}“\n1 Kommentar"), listing.text
    assert "1. Jürgen · " in listing.text and COMMENT in listing.text, listing.text
    assert "&lt; 6 &amp; „Grüße“" in listing.html
    reported_mark = emu.mark()
    emu.tap(B, "🚩 Melden: Nr. 1", message=listing)
    reasons = emu.step(B, "Kommentar melden")
    assert reasons.labels()[:5] == [
        "Spam",
        "Beleidigung",
        "Thema verfehlt",
        "persönliche Daten",
        "Sonstiges",
    ], reasons.labels()
    assert COMMENT in reasons.text
    emu.tap(B, "Sonstiges", message=reasons)
    report_thanks = emu.step(B, "Danke")
    assert report_thanks.text == "✅ Danke, wir prüfen das.", report_thanks.text
    report_notice = emu.told(
        MOD, lambda m: m.text.startswith("🚩 Kommentar gemeldet"), since=reported_mark
    )
    assert "Sonstiges" in report_notice.text and COMMENT in report_notice.text
    # the same person cannot report twice; the author cannot report their own
    emu.tap(B, "« Zurück zu den Kommentaren", message=report_thanks)
    again = emu.step(
        B, lambda m: m.message_id == report_thanks.message_id and "Kommentare zur Idee" in m.text
    )
    emu.tap(B, "🚩 Melden: Nr. 1", message=again)
    emu.toast("Sie haben diesen Kommentar bereits gemeldet – danke, wir prüfen das.", B)

    # ------------------------------------------------ A sees the status of the comment
    emu.push_command(A, "meine_kommentare")
    mine = emu.step(A, lambda m: m.text.startswith("💬 Ihre Kommentare"))
    assert f"1. Zur Idee „{IDEA}“ · " in mine.text and "· veröffentlicht" in mine.text, mine.text
    assert "„Jürgen“" in mine.text, mine.text

    # ------------------------------------------------ ratings: 4 and 5 → 4,5; change; withdraw
    def rate(user: int, idea_view: BotMessage, button: str, toast_text: str) -> BotMessage:
        emu.tap(user, "⭐ Bewerten", message=idea_view)
        stars = emu.step(
            user,
            lambda m: (
                m.message_id == idea_view.message_id and "Wie bewerten Sie die Idee" in m.text
            ),
        )
        emu.tap(user, button, message=stars)
        emu.toast(toast_text, user)
        return emu.step(
            user, lambda m: m.message_id == idea_view.message_id and m.text.startswith(IDEA)
        )

    idea_b = open_idea(B)
    idea_b = rate(B, idea_b, "4 ★", "Danke! Ihre Bewertung: 4 von 5 Sternen.")
    assert "★ 4,0 von 5 (1 Bewertung)" in idea_b.text, idea_b.text
    assert "Ihre Bewertung: ★★★★☆ (4 von 5)" in idea_b.text, idea_b.text
    idea_a = open_idea(A)
    idea_a = rate(A, idea_a, "5 ★", "Danke! Ihre Bewertung: 5 von 5 Sternen.")
    assert "★ 4,5 von 5 (2 Bewertungen)" in idea_a.text, idea_a.text
    assert "💬 1 Kommentar" in idea_a.text
    idea_b = rate(B, idea_b, "3 ★", "Danke! Ihre Bewertung: 3 von 5 Sternen.")
    assert "★ 4,0 von 5 (2 Bewertungen)" in idea_b.text, idea_b.text
    assert "Ihre Bewertung: ★★★☆☆ (3 von 5)" in idea_b.text, idea_b.text
    idea_b = rate(B, idea_b, "✖️ Bewertung zurückziehen", "Ihre Bewertung wurde zurückgezogen.")
    assert "★ 5,0 von 5 (1 Bewertung)" in idea_b.text, idea_b.text
    assert "Ihre Bewertung:" not in idea_b.text, idea_b.text

    # ------------------------------------------------ a second comment, across a restart
    idea_a = open_idea(A)
    emu.tap(A, "✍️ Kommentieren", message=idea_a)
    emu.step(A, "✍️ Ihr Kommentar zur Idee")  # the name is not asked again
    refused(COMMENT, "Diesen Text haben Sie zu dieser Idee schon einmal geschrieben.")
    emu.wait_confirmed(STEP_TIMEOUT)
    assert first.kill() == -signal.SIGKILL
    second = launch()
    emu.push_message(A, SECOND)
    preview = emu.step(A, lambda m: m.text.startswith("Vorschau") and SECOND in m.text)
    assert "unter dem Namen Jürgen" in preview.text
    submitted_mark = emu.mark()
    emu.tap(A, "✅ Absenden", message=preview)
    emu.step(A, "wartet auf Freigabe")
    emu.told(
        MOD,
        lambda m: m.text.startswith("📝 Neuer Kommentar zur Freigabe") and SECOND in m.text,
        since=submitted_mark,
    )

    # ------------------------------------------------ a clean stop; nothing went wrong
    stop_cleanly(emu, first, second)
    assert len(emu.sends(MOD, lambda m: m.text.startswith("📝 Neuer Kommentar"))) == 2
    assert len(emu.sends(A, lambda m: "wurde freigegeben" in m.text)) == 1
    assert len(emu.sends(MOD, lambda m: m.text.startswith("🚩 Kommentar gemeldet"))) == 1
    print(f"comment flow took {time.monotonic() - began:.1f} s")
