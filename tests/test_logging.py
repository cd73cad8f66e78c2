"""Structured logs: one line per event, pseudonymous ids, level from config, token redacted."""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot import logs
from bot.cli import main, setup_logging
from bot.config import Settings
from bot.logs import UPDATE_LOGGER, KeyValueFormatter, Pseudonymizer, quote

from conftest import TOKEN, Harness
from stories.imports import command_line
from stories.processes import clean_env, run_python

ROOT = Path(__file__).resolve().parent.parent
LINE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z [A-Z]+ [\w.]+ msg=")


@pytest.fixture
def stream() -> Iterator[tuple[logging.Logger, io.StringIO]]:
    """A logger writing through the key=value formatter into a string."""
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.setFormatter(KeyValueFormatter())
    logger = logging.getLogger("test.kv")
    logger.addHandler(handler)
    logger.propagate = False
    logger.setLevel(logging.DEBUG)
    try:
        yield logger, out
    finally:
        logger.removeHandler(handler)
        logger.propagate = True


def test_one_line_per_event_even_with_a_traceback(
    stream: tuple[logging.Logger, io.StringIO],
) -> None:
    logger, out = stream
    logger.info("Loaded %s", 'the "data"\nnext line', extra={"fields": {"n": 3, "who": "a b"}})
    try:
        raise ValueError("boom")
    except ValueError:
        logger.exception("Failed")
    lines = out.getvalue().splitlines()
    assert len(lines) == 2
    assert LINE.match(lines[0]) and LINE.match(lines[1])
    assert lines[0].endswith('msg="Loaded the \\"data\\"\\nnext line" n=3 who="a b"')
    assert ' ERROR test.kv msg=Failed exc="Traceback' in lines[1] and "ValueError: boom" in lines[1]


def test_quote() -> None:
    assert quote("command:/start") == "command:/start"
    assert quote("") == '""'
    assert quote("a=b c") == '"a=b c"'


def test_the_token_stays_redacted(
    stream: tuple[logging.Logger, io.StringIO], settings: Settings
) -> None:
    logger, out = stream
    root = logging.getLogger()
    root.addHandler(logger.handlers[0])
    try:
        setup_logging(settings)
        root.warning("calling https://api.telegram.org/bot%s/getMe", TOKEN)
    finally:
        root.removeHandler(logger.handlers[0])
    assert TOKEN not in out.getvalue() and "<TELEGRAM_BOT_TOKEN>" in out.getvalue()


async def test_each_update_is_logged_with_pseudonyms(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    erika = harness.user(user_id=4711)
    with caplog.at_level(logging.INFO, logger=UPDATE_LOGGER):
        await erika.command("start")
        await erika.send("Köln")
    records = [r for r in caplog.records if r.name == UPDATE_LOGGER]
    assert [r.fields["kind"] for r in records] == ["command:/start", "text"]  # type: ignore[attr-defined]
    expected = Pseudonymizer.from_settings(None, TOKEN)(4711)
    for record in records:
        fields = record.fields  # type: ignore[attr-defined]
        assert fields["user"] == expected and len(expected) == 12
        assert float(fields["ms"]) >= 0
        line = KeyValueFormatter().format(record)
        assert "4711" not in line and "Köln" not in line
    other = Pseudonymizer.from_settings("another-installation", TOKEN)(4711)
    assert other != expected


def test_log_level_from_config(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    command_line(monkeypatch, tmp_path, tmp_path / "x.sqlite3")
    monkeypatch.setenv("IDEENLABOR_LOG_LEVEL", "loud")
    assert main(["migrate"]) == 2
    assert "IDEENLABOR_LOG_LEVEL: 'loud' is not a log level" in capsys.readouterr().err


@pytest.mark.process
def test_the_command_line_logs_key_value_lines(tmp_path: Path) -> None:
    def migrate(level: str, db: str) -> str:
        """`python -m bot migrate` of a new database at this log level: what it logged."""
        env = clean_env(IDEENLABOR_DB=str(tmp_path / db), IDEENLABOR_LOG_LEVEL=level)
        done = run_python("-m", "bot", "migrate", env=env, cwd=tmp_path)
        assert done.returncode == 0, done.stderr
        return done.stderr

    lines = migrate("info", "x.sqlite3").splitlines()
    assert lines and all(LINE.match(line) for line in lines), lines
    assert any(" INFO storage.migrate msg=" in line for line in lines)
    assert migrate("WARNING", "y.sqlite3") == ""  # the same migrations, not logged


def test_a_person_in_a_log_line_appears_as_their_pseudonym(
    caplog: pytest.LogCaptureFixture,
) -> None:
    pseudonym = Pseudonymizer(b"test-secret")
    logs.install(pseudonym)
    try:
        with caplog.at_level(logging.INFO):
            logging.getLogger("handlers.ratings").info(
                "Idea %s rated %s by %s", 12, 5, logs.person(4711)
            )
        assert f"Idea 12 rated 5 by {pseudonym(4711)}" in caplog.text
        assert "4711" not in caplog.text
        assert str(logs.person(None)) == "-"
    finally:
        logs.install(Pseudonymizer.from_settings(None, None))
