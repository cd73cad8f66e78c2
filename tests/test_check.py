"""`ideenlabor check` against the Bot API emulator over HTTP: all good, and each failure."""

from __future__ import annotations

import socket
import sqlite3
from pathlib import Path

import pytest
from botapi_server import BotApiEmulator

from bot.cli import main
from storage.migrate import available_migrations

from conftest import EMU_TOKEN as TOKEN
from stories.privacy import filled

pytestmark = pytest.mark.process  # starts the bot or a server (see conftest.py)

LATEST = available_migrations()[-1].version


@pytest.fixture
def env(
    db_path: Path, tmp_path: Path, emulator: BotApiEmulator, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """A migrated database and a token the emulator accepts; no .env of the developer."""
    monkeypatch.chdir(tmp_path)
    for name in ("IDEENLABOR_ADMINS", "IDEENLABOR_WEBHOOK", "IDEENLABOR_BACKUP_DIR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    monkeypatch.setenv("TELEGRAM_API_BASE_URL", emulator.base_url)
    monkeypatch.setenv("IDEENLABOR_DB", str(db_path))
    monkeypatch.setenv("IDEENLABOR_PRIVACY_NOTICE", filled(tmp_path))  # as before going live
    return db_path


def _one_line(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1, err
    return err[0]


@pytest.mark.usefixtures("env")
def test_all_good(emulator: BotApiEmulator, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check"]) == 0
    out = capsys.readouterr().out
    assert f"schema version {LATEST}" in out and "@IdeenlaborBot" in out
    assert [c.method for c in emulator.calls()] == ["getMe"]


@pytest.mark.usefixtures("env")
def test_wrong_token(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123456:WRONG-TOKEN-xyz")
    assert main(["check"]) == 2
    line = _one_line(capsys)
    assert "rejected TELEGRAM_BOT_TOKEN" in line and "WRONG-TOKEN" not in line


@pytest.mark.usefixtures("env")
def test_unreachable_bot_api(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    monkeypatch.setenv("TELEGRAM_API_BASE_URL", f"http://127.0.0.1:{port}")
    assert main(["check"]) == 1
    assert f"cannot reach the Bot API at http://127.0.0.1:{port}" in _one_line(capsys)


@pytest.mark.usefixtures("env")
def test_missing_token(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN")
    assert main(["check"]) == 2
    assert "TELEGRAM_BOT_TOKEN is not set" in _one_line(capsys)


@pytest.mark.usefixtures("env")
def test_missing_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("IDEENLABOR_DB", str(tmp_path / "nowhere.sqlite3"))
    assert main(["check"]) == 1
    assert "does not exist — run: ideenlabor migrate" in _one_line(capsys)
    assert not (tmp_path / "nowhere.sqlite3").exists()


def test_pending_migrations(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    conn = sqlite3.connect(env)
    conn.execute("DELETE FROM schema_migrations WHERE version = ?", (LATEST,))
    conn.commit()
    conn.close()
    assert main(["check"]) == 1
    line = _one_line(capsys)
    assert "1 pending migration(s)" in line and "ideenlabor migrate" in line


def test_damaged_database(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    env.write_bytes(b"garbage" * 1000)
    assert main(["check"]) == 1
    assert "database" in _one_line(capsys)


@pytest.mark.usefixtures("env")
def test_webhook_mode_needs_a_secret(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("IDEENLABOR_WEBHOOK", "true")
    monkeypatch.setenv("IDEENLABOR_WEBHOOK_URL", "https://bot.example.org/telegram")
    assert main(["check"]) == 2
    assert "IDEENLABOR_WEBHOOK_SECRET is not set" in _one_line(capsys)
