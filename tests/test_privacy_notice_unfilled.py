"""An unfilled privacy notice: citizens see "not yet filled in", `check` fails, `run` says so."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from bot import app as bot_app
from bot.cli import main

from conftest import TOKEN, FakeClock, Harness, make_settings, running
from stories.privacy import SHIPPED, filled, notice

UNFILLED_DE = "(vom Betreiber noch nicht eingetragen)"
UNFILLED_EN = "(not yet filled in by the operator)"


async def test_citizens_never_see_the_operators_markers(harness: Harness) -> None:
    erika = harness.user()
    await erika.command("datenschutz")
    text = "\n".join(erika.texts())
    assert "[[" not in text and "]]" not in text
    assert text.count(UNFILLED_DE) == 4
    assert f"Nordrhein-Westfalen\n{UNFILLED_DE}\n{UNFILLED_DE}" in text
    john = harness.user(4712, "John", language_code="en")
    john_notice = await notice(john, "privacy")
    assert "[[" not in john_notice and john_notice.count(UNFILLED_EN) == 4


async def test_an_operators_own_fields_are_covered_too(
    tmp_path: Path, db_path: Path, clock: FakeClock
) -> None:
    (tmp_path / "n.html").write_text("<b>Hinweis</b>\nTelefon: [[Telefon]] [[ ]]", "utf-8")
    settings = make_settings(db_path, IDEENLABOR_PRIVACY_NOTICE=str(tmp_path / "n.html"))
    async with running(settings, clock) as h:
        erika = h.user()
        erika_notice = await notice(erika, "datenschutz")
        assert erika_notice == f"Hinweis\nTelefon: {UNFILLED_DE} {UNFILLED_DE}"


@pytest.fixture
def env(tmp_path: Path, db_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A token and a database; the shipped (unfilled) notices; no .env of the developer."""
    monkeypatch.chdir(tmp_path)
    for name in ("IDEENLABOR_ADMINS", "IDEENLABOR_WEBHOOK", "IDEENLABOR_PRIVACY_NOTICE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    monkeypatch.setenv("IDEENLABOR_DB", str(db_path))
    return tmp_path


@pytest.mark.usefixtures("env")
def test_check_fails_and_names_the_files_and_fields(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check"]) == 2
    [line] = capsys.readouterr().err.strip().splitlines()
    assert line.startswith("ideenlabor: check failed: the privacy notice is not filled in: ")
    assert f"{SHIPPED['de']}: [[Anschrift]], [[E-Mail-Adresse und Telefonnummer]]" in line
    assert f"{SHIPPED['en']}: [[Address]], [[E-mail address and phone number]]" in line
    assert "set IDEENLABOR_PRIVACY_NOTICE" in line


def test_check_passes_the_notice_once_it_is_filled(
    env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("IDEENLABOR_PRIVACY_NOTICE", filled(env))
    monkeypatch.setenv("TELEGRAM_API_BASE_URL", "http://127.0.0.1:9")  # nothing listens
    assert main(["check"]) == 1  # the next check (the Bot API) is the one that fails
    assert "privacy notice" not in capsys.readouterr().err


class _Stopped:
    """An application that returns from run_polling at once."""

    def run_polling(self, **_: object) -> None:
        return None


def test_run_logs_an_error_at_start(
    env: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(bot_app, "build_application", lambda settings: _Stopped())
    with caplog.at_level(logging.ERROR):
        assert main(["run"]) == 0
    [record] = [r for r in caplog.records if "privacy notice" in r.getMessage()]
    assert record.levelno == logging.ERROR
    assert f"{SHIPPED['de']}: [[Anschrift]]" in record.getMessage()
    assert UNFILLED_DE in record.getMessage()
    caplog.clear()
    monkeypatch.setenv("IDEENLABOR_PRIVACY_NOTICE", filled(env))
    with caplog.at_level(logging.ERROR):
        assert main(["run"]) == 0
    assert "privacy notice" not in caplog.text
