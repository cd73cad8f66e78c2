"""The `ideenlabor` command line: help, config errors, migrate, import."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import get_args

import pytest
import yaml
from pydantic import BaseModel

from bot.cli import main
from bot.importfile import shipped_bundle
from storage.import_models import ImportBundle
from storage.migrate import available_migrations

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A clean environment: no token, a database in tmp, no .env from the developer."""
    for name in (
        "TELEGRAM_BOT_TOKEN",
        "TELEGRAM_API_BASE_URL",
        "IDEENLABOR_ADMINS",
        "IDEENLABOR_TIMEZONE",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    db = tmp_path / "cli.sqlite3"
    monkeypatch.setenv("IDEENLABOR_DB", str(db))
    return db


@pytest.mark.parametrize("command", [[], ["run"], ["migrate"], ["import"]])
def test_every_subcommand_has_help(command: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main([*command, "--help"])
    assert info.value.code == 0
    assert "usage: ideenlabor" in capsys.readouterr().out


@pytest.mark.usefixtures("env")
def test_run_without_token_prints_one_line_and_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert "TELEGRAM_BOT_TOKEN is not set" in err[0] and "@BotFather" in err[0]


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("TELEGRAM_BOT_TOKEN", "nonsense", "TELEGRAM_BOT_TOKEN: does not look like a bot token"),
        (
            "IDEENLABOR_ADMINS",
            "12,abc",
            "IDEENLABOR_ADMINS: 'abc' is not a numeric Telegram user id",
        ),
        ("IDEENLABOR_TIMEZONE", "Europe/Nowhere", "IDEENLABOR_TIMEZONE: 'Europe/Nowhere' is not"),
        ("TELEGRAM_API_BASE_URL", "ftp://x", "TELEGRAM_API_BASE_URL: 'ftp://x' must start with"),
    ],
)
@pytest.mark.usefixtures("env")
def test_malformed_settings_are_one_clear_line(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    name: str,
    value: str,
    expected: str,
) -> None:
    monkeypatch.setenv(name, value)
    assert main(["run"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and expected in err[0]


@pytest.mark.usefixtures("env")
def test_settings_come_from_a_dotenv_file(capsys: pytest.CaptureFixture[str]) -> None:
    Path(".env").write_text("IDEENLABOR_TIMEZONE=Mars/Olympus\n", encoding="utf-8")
    assert main(["migrate"]) == 2
    assert "IDEENLABOR_TIMEZONE: 'Mars/Olympus'" in capsys.readouterr().err


def test_migrate_creates_database_and_is_repeatable(
    env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["migrate"]) == 0
    latest = len(available_migrations())
    assert f"schema version {latest}" in capsys.readouterr().out
    assert main(["migrate"]) == 0
    with sqlite3.connect(env) as conn:
        assert conn.execute("SELECT COUNT(*) FROM regions").fetchone() == (16,)


def test_migrate_refuses_a_newer_database(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["migrate"]) == 0
    with sqlite3.connect(env) as conn:
        conn.execute("INSERT INTO schema_migrations VALUES (99, 'future', 'x')")
    assert main(["migrate"]) == 2
    assert "newer version" in capsys.readouterr().err


def _snapshot(db: Path) -> list[tuple[object, ...]]:
    with sqlite3.connect(db) as conn:
        return conn.execute(
            "SELECT slug, title, region_id, updated_at FROM ideas ORDER BY slug"
        ).fetchall()


def test_import_example_file_then_again_is_idempotent(
    env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    example = ROOT / "examples" / "import.yaml"
    assert main(["import", str(example)]) == 0
    out = capsys.readouterr().out
    assert "imported 1 regions, 1 districts, 1 municipalities, 1 challenges, 1 ideas," in out
    assert "2 workshops, 1 working groups, 1 contacts" in out
    first = _snapshot(env)
    assert main(["import", str(example)]) == 0
    assert [row[:3] for row in _snapshot(env)] == [row[:3] for row in first]
    assert len(first) == len(shipped_bundle().ideas) + 1


def _models_in(annotation: object) -> list[type[BaseModel]]:
    """The import models a field's annotation holds (list[X], X | None, …)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [model for arg in get_args(annotation) for model in _models_in(arg)]


def _missing_fields(model: type[BaseModel], entries: list[dict[str, object]], at: str) -> list[str]:
    """Fields of the model that no entry of the example shows, at every depth."""
    missing: list[str] = []
    for name, info in model.model_fields.items():
        given = [entry[name] for entry in entries if name in entry]
        if not given:
            missing.append(f"{at}{name}")
            continue
        for nested in _models_in(info.annotation):
            items = [item for value in given if isinstance(value, list) for item in value]
            missing += _missing_fields(nested, items, f"{at}{name}.")
    return missing


def test_example_import_file_shows_every_section_and_field() -> None:
    """README calls examples/import.yaml complete: every field the importer accepts is there."""
    example = yaml.safe_load((ROOT / "examples" / "import.yaml").read_text("utf-8"))
    assert _missing_fields(ImportBundle, [example], "") == []


def test_broken_import_prints_every_error_and_changes_nothing(
    env: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["migrate"]) == 0
    before = _snapshot(env)
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "ideas:\n"
        "  - {slug: gut, title: Gut, region: koeln}\n"
        "  - {slug: zwei, title: Zwei, region: koeln}\n"
        "  - {slug: drei, title: Drei}\n"
        "  - {slug: vier, title: Vier, region: niederrhien}\n",
        encoding="utf-8",
    )
    assert main(["import", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "1 error(s), nothing was changed" in err
    assert "ideas[3].region: unknown region 'niederrhien' (did you mean 'niederrhein'?)" in err
    assert _snapshot(env) == before
    bad.write_text("ideas:\n  - {slug: Falsch!, titel: X}\n", encoding="utf-8")
    assert main(["import", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "ideas[0].slug:" in err and "ideas[0].titel: unknown field" in err
    assert "ideas[0].title: Field required" in err
    assert _snapshot(env) == before


@pytest.mark.process
def test_console_script_entry_point_runs() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 0 and "run" in result.stdout and "import" in result.stdout
