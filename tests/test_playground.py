"""`ideenlabor chat`: the offline playground, through its stdin/stdout and in-process."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.cli import main
from bot.config import Settings
from bot.context import utc_now
from bot.offline.fake_api import SentFile, SentMessage
from bot.offline.playground import ChatOptions, Playground, PlaygroundClock
from bot.offline.playground_render import Renderer, styled
from bot.offline.telegram_rules import InlineButton
from storage.workshops import WorkshopFields

from conftest import ADMIN_ID, Harness, running
from stories.stats import populate


def chat(db: Path, lines: list[str], *args: str, admins: str = "", timeout: float = 30) -> str:
    """The transcript of `python -m bot chat ARGS` with `lines` on stdin, no token and no
    developer settings; the session must end cleanly (status 0, nothing on stderr)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "IDEENLABOR_"))}
    env.update(IDEENLABOR_DB=str(db), PYTHONIOENCODING="utf-8")
    if admins:
        env["IDEENLABOR_ADMINS"] = admins
    done = subprocess.run(
        [sys.executable, "-m", "bot", "chat", *args],
        input="".join(f"{line}\n" for line in lines),
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        cwd=db.parent,  # no .env of the developer
        timeout=timeout,
        check=False,
    )
    assert (done.returncode, done.stderr) == (0, ""), done.stderr
    return done.stdout


@pytest.mark.process
def test_a_citizen_browses_finds_a_postcode_and_switches_language(tmp_path: Path) -> None:
    db = tmp_path / "fresh.sqlite3"  # created, migrated and filled like `run` does
    out = chat(db, ["/start", "2", "1", "0", "42", "16", "57319", "/sprache", "2"])
    for shown in (
        "Sie sind Erika (Nutzer 4711), Telegram-Sprache de.",
        "Bot #2:\n  Willkommen beim Ideenlabor-Bot!",
        "  [1] 🗺 Ideen nach Region\n",
        "  [2] 🗺 Karte   [3] 📜 Rückblick\n",
        "  [7] 🔎 Ideen suchen\n  [8] 💡 Idee vorschlagen\n",
        "  [9] 🌐 Sprache / Language   [10] ❓ Hilfe\n",
        "Bot #3:\n  📰 Neuigkeiten aus dem Dialogprozess?",  # asked once, below
        "Bot #3 (bearbeitet):\n  In Ordnung – Sie erhalten keine Neuigkeiten.",
        "Bot #2 (bearbeitet):\n  Ideen nach Region",
        "  [16] Westfälisches Ruhrgebiet (3)\n",  # the shipped ideas
        "Die Tasten sind ab [1] nummeriert. „0“ als Text senden: '0",
        "Nachricht #2 hat die Tasten [1] bis [18], keine [42]. „42“ als Text senden: '42",
        "Bot #2 (bearbeitet):\n  Westfälisches Ruhrgebiet\n  3 Ideen",
        "Ihre Region für die Postleitzahl 57319 (Bad Berleburg): Siegen-Wittgenstein/Olpe",
        "  [1] ✓ Deutsch   [2] English",
        "  ⓘ Hinweis: From now on I will write to you in English.",
    ):
        assert shown in out
    assert out.rstrip().endswith("  [9] 🌐 Sprache / Language   [10] ❓ Help\nEnde.")
    assert db.exists()


@pytest.mark.process
def test_an_admin_broadcasts_and_sees_what_others_receive(db_path: Path) -> None:
    first = chat(db_path, ["/start", "1"], "--user", "5001", "--name", "Max", "--lang", "en")
    assert "You are Max (user 5001), Telegram language en." in first
    assert "Welcome to the Ideenlabor bot!" in first
    assert "📰 Great – from now on you receive the news." in first
    lines = ["/rundschreiben", "Hallo zusammen!", "1", "1", "/quit", "/start"]
    out = chat(db_path, lines, "--user", str(ADMIN_ID), "--name", "Ada", admins=str(ADMIN_ID))
    assert "Sie sind Ada (Nutzer 900001, Admin)" in out
    assert "An wen soll das Rundschreiben gehen?" in out and "  [1] Alle (1)" in out
    assert "  [1] 📣 Jetzt senden" in out
    sender = "📣 Newsletter from Ministerium für Arbeit, Gesundheit und Soziales NRW"
    assert f"→ an 5001 #1:\n  {sender}\n\n  Hallo zusammen!\n  [1] 🔕 Unsubscribe" in out
    assert "✅ Rundschreiben an alle mit Neuigkeiten-Abo abgeschlossen" in out
    assert "Sie> /start" not in out  # /quit ended the session before it
    assert out.rstrip().endswith("Ende.")


@pytest.mark.process
def test_a_citizen_cannot_use_admin_commands_and_eof_ends_cleanly(db_path: Path) -> None:
    out = chat(db_path, ["3", "/rundschreiben", "b1@99", "'3"], admins=str(ADMIN_ID))
    assert "Admin" not in out.splitlines()[1]
    assert "Noch keine Nachricht mit Tasten. „3“ als Text senden: '3" in out
    assert "Dafür fehlt Ihnen die Berechtigung." in out
    assert "Keine Nachricht #99 mit Tasten in diesem Chat." in out
    assert "Sie> '3" in out


@pytest.mark.parametrize("command", [["chat", "--help"]])
def test_chat_has_help(command: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(command)
    assert info.value.code == 0
    out = capsys.readouterr().out
    assert "usage: ideenlabor chat" in out and "--user ID" in out and "TELEGRAM_BOT_TOKEN" in out


def test_chat_wants_a_positive_user_id(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["chat", "--user", "-5"])
    assert info.value.code == 2
    assert "'-5' is not a Telegram user id (a positive number)" in capsys.readouterr().err


def test_chat_reports_a_configuration_error_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    monkeypatch.setenv("IDEENLABOR_ADMINS", "12,abc")
    assert main(["chat"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [
        "ideenlabor: configuration error: IDEENLABOR_ADMINS: 'abc' is not a numeric "
        "Telegram user id — use a comma-separated list of numeric ids, e.g. 12345,67890"
    ]


# --------------------------------------------------------------------------- in-process


def test_styled_marks_bold_for_a_terminal_and_spells_out_links() -> None:
    text = "🎯 Wichtig: mehr hier."
    bold = {"type": "bold", "offset": 3, "length": 8}  # after the emoji (2 UTF-16 units) + space
    link = {"type": "text_link", "offset": 17, "length": 4, "url": "https://example.org"}
    assert styled(text, [bold, link], ansi=False) == "🎯 Wichtig: mehr hier (https://example.org)."
    assert styled(text, [bold], ansi=True) == "🎯 \033[1mWichtig:\033[22m mehr hier."


def test_renderer_numbers_buttons_and_saves_files(harness: Harness, tmp_path: Path) -> None:
    printed: list[str] = []
    renderer = Renderer(harness.api, 4711, printed.append, files_dir=lambda: tmp_path / "f")
    document = SentFile("file1", "../termin.ics", b"BEGIN:VCALENDAR", "text/calendar")
    buttons = [
        [InlineButton("Ja", {"text": "Ja", "callback_data": "y"})],
        [InlineButton("Web", {"text": "Web", "url": "https://example.org"})],
    ]
    message = SentMessage(4711, 3, 0, "", "Hier\n\nbitte", reply_markup=buttons, document=document)
    renderer.show(message, edited=False)
    renderer.show(message, edited=False)
    saved = tmp_path / "f" / "termin.ics"
    assert printed[0] == (
        f"Bot #3:\n  Hier\n\n  bitte\n  📎 Datei gespeichert: {saved}\n"
        "  [1] Ja\n  [2] Web (öffnet https://example.org)"
    )
    assert saved.read_bytes() == b"BEGIN:VCALENDAR"
    assert (tmp_path / "f" / "termin-2.ics").exists()  # never overwritten


async def add_workshop(harness: Harness, start: dt.datetime) -> None:
    """A workshop in Köln at `start`, with a registration link."""
    region = await harness.data.regions.get_by_slug("koeln")
    assert region is not None
    fields = WorkshopFields(
        region_id=region.id,
        title="Gute Arbeit in Köln",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=4),
        capacity=None,
        venue="Rathaus Köln",
        address="Rathausplatz 2, 50667 Köln",
        registration_url="https://example.org/anmeldung",
    )
    await harness.data.workshops.create(fields, slug="koeln-mai")


async def test_calendar_file_link_button_and_older_message(
    harness: Harness, tmp_path: Path
) -> None:
    await add_workshop(harness, dt.datetime(2027, 5, 12, 14, 0, tzinfo=ZoneInfo("Europe/Berlin")))
    options = ChatOptions(files=tmp_path / "files")
    printed: list[str] = []
    harness.api.observers.append(
        Renderer(harness.api, 4711, printed.append, files_dir=options.files_dir).observe
    )
    playground = Playground(harness.app, harness.api, options)
    for line in ["/start", "/termine"]:
        assert await playground.handle(line, printed.append)
    for label in ("12.05.2027 · Gute Arbeit in Köln", "📅 In den Kalender"):
        number = playground.user.last.button_labels().index(label) + 1
        assert await playground.handle(str(number), printed.append)
    output = "\n".join(printed)
    assert "  ⓘ Hinweis: Die Kalenderdatei ist unterwegs." in output
    assert (tmp_path / "files" / "ideenlabor-koeln-mai.ics").read_bytes().startswith(b"BEGIN")
    assert f"📎 Datei gespeichert: {tmp_path / 'files' / 'ideenlabor-koeln-mai.ics'}" in output
    printed.clear()
    assert await playground.handle("b1@2", printed.append)  # the /start menu, still there
    assert printed[0].startswith("Bot #2 (bearbeitet):\n  Ideen nach Region")
    assert not await playground.handle("/quit", printed.append)


async def test_a_link_button_says_where_it_leads(harness: Harness) -> None:
    buttons = [
        [InlineButton("Ja", {"text": "Ja", "callback_data": "y"})],
        [InlineButton("Web", {"text": "Web", "url": "https://example.org"})],
    ]
    harness.api.sent.setdefault(4711, []).append(
        SentMessage(4711, 1, 0, "", "Hier", reply_markup=buttons)
    )
    printed: list[str] = []
    playground = Playground(harness.app, harness.api, ChatOptions())
    assert await playground.handle("2", printed.append)
    assert await playground.handle("3", printed.append)
    assert printed == [
        "Taste [2] öffnet https://example.org (außerhalb des Bots).",
        "Nachricht #1 hat die Tasten [1] bis [2], keine [3]. „3“ als Text senden: '3",
    ]


async def test_warp_moves_the_bots_clock_and_reminders_arrive(
    settings: Settings, tmp_path: Path
) -> None:
    clock = PlaygroundClock()
    async with running(settings, clock) as harness:  # type: ignore[arg-type]
        berlin = ZoneInfo("Europe/Berlin")
        day = (utc_now() + dt.timedelta(days=10)).astimezone(berlin).date()
        await add_workshop(harness, dt.datetime.combine(day, dt.time(14), tzinfo=berlin))
        printed: list[str] = []
        harness.api.observers.append(
            Renderer(harness.api, 4711, printed.append, files_dir=lambda: tmp_path).observe
        )
        playground = Playground(harness.app, harness.api, ChatOptions(), clock)
        for line in ["/termine", "2", "1", "2", "/warp", "/warp 4d"]:  # 2: no news
            assert await playground.handle(line, printed.append)
        assert "  ⓘ Hinweis: 🔔 Ich erinnere Sie an diesen Termin." in printed
        assert "Vorstellen um eine Dauer: /warp 7d, /warp 3h oder /warp 90m." in printed
        assert any(p.startswith("⏩ Die Uhr des Bots steht jetzt auf ") for p in printed)
        assert printed[-1].startswith("Bot #4:\n  🔔 Erinnerung: Gute Arbeit in Köln")  # #2: news
        assert printed[-1].endswith("  [1] Ich kann doch nicht\n  [2] Details")
        assert clock.ahead == dt.timedelta(days=4)
        assert harness.errors == []


async def test_a_photo_is_saved_as_png_not_as_octet_stream(
    harness: Harness, tmp_path: Path
) -> None:
    await populate(harness.data.db, harness.clock())  # something for the chart to show
    options = ChatOptions(user_id=ADMIN_ID, first_name="Ada", files=tmp_path / "files")
    printed: list[str] = []
    harness.api.observers.append(
        Renderer(harness.api, ADMIN_ID, printed.append, files_dir=options.files_dir).observe
    )
    playground = Playground(harness.app, harness.api, options)
    assert await playground.handle("/statistik", printed.append)
    [saved] = (tmp_path / "files").iterdir()
    assert saved.suffix == ".png" and "octet" not in saved.name
    assert saved.read_bytes().startswith(b"\x89PNG")
    assert f"🖼 Bild gespeichert: {saved}" in "\n".join(printed)


@pytest.mark.parametrize(
    ("filename", "mime", "content", "saved"),
    [
        ("ideenlabor-meine-daten.json", "application/json", b"{}", "ideenlabor-meine-daten.json"),
        ("application.octet-stream", "application/octet-stream", b"\x89PNG\r\n", "file7.png"),
        ("interessierte", "text/csv", b"name;email", "interessierte.csv"),
        ("", "application/octet-stream", b"BEGIN:VCALENDAR\r\n", "file7.ics"),
        ("daten.octet-stream", "application/octet-stream", b' \n{"a": 1}', "daten.json"),
        ("image.jpeg", "image/jpeg", b"\xff\xd8\xff", "image.jpeg"),
        ("raetsel", "application/octet-stream", b"\x00\x01", "raetsel"),
    ],
)
def test_saved_files_are_named_by_their_type(
    tmp_path: Path, harness: Harness, filename: str, mime: str, content: bytes, saved: str
) -> None:
    renderer = Renderer(harness.api, 4711, lambda _: None, files_dir=lambda: tmp_path / "f")
    document = SentFile("file7", filename, content, mime)
    renderer.show(SentMessage(4711, 3, 0, "", "", document=document), edited=False)
    assert [p.name for p in (tmp_path / "f").iterdir()] == [saved]
