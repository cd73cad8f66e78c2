"""Backups while the bot writes, restore with schema checks, daily rotation."""

from __future__ import annotations

import datetime as dt
import sqlite3
import threading
from pathlib import Path
from types import SimpleNamespace

import pytest

from bot.app import daily_backup
from bot.cli import main
from bot.config import Settings
from storage.backup import (
    BackupError,
    DatabaseInUseError,
    backup,
    backup_rotating,
    inspect_backup,
    restore,
    rotated_backups,
)
from storage.migrate import SchemaTooNewError, available_migrations

from conftest import FakeClock, running
from stories.imports import command_line

LATEST = available_migrations()[-1].version


class Writer(threading.Thread):
    """Another connection that keeps committing a user with an approved comment each time."""

    def __init__(self, path: Path) -> None:
        super().__init__(daemon=True)
        self.path = path
        self.stop = threading.Event()
        self.written = 0
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            conn = sqlite3.connect(self.path, isolation_level=None, timeout=30)
            conn.execute("PRAGMA journal_mode=WAL")
            idea = conn.execute("SELECT MIN(id) FROM ideas").fetchone()[0]
            user = 10_000_000
            while not self.stop.is_set():
                user += 1
                conn.execute("BEGIN IMMEDIATE")
                conn.execute(
                    "INSERT INTO users (telegram_id, first_seen, last_seen) VALUES (?, ?, ?)",
                    (user, "2026-11-25T10:00:00Z", "2026-11-25T10:00:00Z"),
                )
                conn.execute(
                    "INSERT INTO comments (idea_id, user_id, author_name, text, text_key, status,"
                    " created_at) VALUES (?, ?, 'Erika', ?, ?, 'approved', ?)",
                    (idea, user, f"Kommentar {user}", f"k{user}", "2026-11-25T10:00:00Z"),
                )
                conn.execute("COMMIT")
                self.written += 1
            conn.close()
        except BaseException as exc:  # reported by the test
            self.error = exc


def _consistent(path: Path) -> tuple[int, int]:
    """integrity_check ok; the trigger-maintained counter matches the rows; (users, comments)."""
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        comments = conn.execute("SELECT COUNT(*) FROM comments WHERE status = 'approved'")
        counted = conn.execute("SELECT COALESCE(SUM(comment_count), 0) FROM ideas")
        n_comments, n_counted = comments.fetchone()[0], counted.fetchone()[0]
        assert n_comments == n_counted
        users = conn.execute("SELECT COUNT(*) FROM users WHERE telegram_id > 10000000")
        n_users = users.fetchone()[0]
        assert n_users == n_comments  # written together, so never one without the other
        return n_users, n_comments
    finally:
        conn.close()


def test_backup_during_writes_restores_to_a_consistent_database(
    db_path: Path, tmp_path: Path
) -> None:
    bot_connection = sqlite3.connect(db_path)  # the running bot's connection: WAL mode
    assert bot_connection.execute("PRAGMA journal_mode=WAL").fetchone()[0] == "wal"
    bot_connection.close()
    writer = Writer(db_path)
    writer.start()
    try:
        while writer.written < 20 and writer.error is None:
            threading.Event().wait(0.01)
        copies = [backup(db_path, tmp_path / f"copy{i}.sqlite3") for i in range(3)]
        during = writer.written
    finally:
        writer.stop.set()
        writer.join(10)
    assert writer.error is None, writer.error
    assert during > 20  # the writer kept going while the copies were taken
    for info in copies:
        assert info.schema_version == LATEST
        assert not Path(f"{info.path}-wal").exists()  # a self-contained file
        _consistent(info.path)
    target = tmp_path / "restored" / "ideenlabor.sqlite3"
    info, version = restore(copies[-1].path, target)
    assert (info.schema_version, version) == (LATEST, LATEST)
    users, _comments = _consistent(target)
    assert 0 < users <= writer.written


def test_restore_replaces_the_database_and_removes_wal_files(db_path: Path, tmp_path: Path) -> None:
    copy = backup(db_path, tmp_path / "copy.sqlite3").path
    conn = sqlite3.connect(db_path)
    conn.execute("DELETE FROM ideas")
    conn.commit()
    conn.close()
    Path(f"{db_path}-wal").write_bytes(b"stale")
    restore(copy, db_path)
    assert not Path(f"{db_path}-wal").exists()
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT COUNT(*) FROM ideas").fetchone()[0] > 0
    conn.close()


def test_restore_refuses_while_the_database_is_open(db_path: Path, tmp_path: Path) -> None:
    copy = backup(db_path, tmp_path / "copy.sqlite3").path
    bot_connection = sqlite3.connect(db_path)
    bot_connection.execute("PRAGMA journal_mode=WAL")
    bot_connection.execute("SELECT COUNT(*) FROM ideas").fetchone()
    try:
        with pytest.raises(DatabaseInUseError, match="stop the bot"):
            restore(copy, db_path)
    finally:
        bot_connection.close()


def test_restore_refuses_other_files(tmp_path: Path) -> None:
    text = tmp_path / "notes.sqlite3"
    text.write_text("not a database at all, just some words " * 100, encoding="utf-8")
    with pytest.raises(BackupError, match="not an Ideenlabor database"):
        restore(text, tmp_path / "target.sqlite3")
    other = tmp_path / "other.sqlite3"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE things (x)")
    conn.close()
    with pytest.raises(BackupError, match="not an Ideenlabor database"):
        restore(other, tmp_path / "target.sqlite3")
    assert not (tmp_path / "target.sqlite3").exists()


def test_restore_refuses_a_newer_schema(db_path: Path, tmp_path: Path) -> None:
    copy = backup(db_path, tmp_path / "copy.sqlite3").path
    conn = sqlite3.connect(copy)
    conn.execute(
        "INSERT INTO schema_migrations VALUES (?, 'from_the_future', '2030-01-01T00:00:00Z')",
        (LATEST + 1,),
    )
    conn.commit()
    conn.close()
    target = tmp_path / "target.sqlite3"
    with pytest.raises(SchemaTooNewError, match="newer version"):
        restore(copy, target)
    assert not target.exists()


def test_restore_migrates_an_older_backup(db_path: Path, tmp_path: Path) -> None:
    copy = backup(db_path, tmp_path / "copy.sqlite3").path
    conn = sqlite3.connect(copy)
    conn.execute("DELETE FROM schema_migrations WHERE version = ?", (LATEST,))
    conn.commit()
    conn.close()
    assert inspect_backup(copy).schema_version == LATEST - 1
    # Re-applying the newest migration needs the schema as it was: rebuild it from scratch.
    older = tmp_path / "older.sqlite3"
    _database_at_version(older, LATEST - 1)
    info, version = restore(older, tmp_path / "target.sqlite3")
    assert (info.schema_version, version) == (LATEST - 1, LATEST)


def _database_at_version(path: Path, version: int) -> None:
    from storage.migrate import split_statements

    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute(
        "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
        " applied_at TEXT NOT NULL)"
    )
    for migration in available_migrations()[:version]:
        for statement in split_statements(migration.sql):
            conn.execute(statement)
        conn.execute(
            "INSERT INTO schema_migrations VALUES (?, ?, '2026-01-01T00:00:00Z')",
            (migration.version, migration.name),
        )
    conn.close()


def test_rotation_keeps_the_newest(db_path: Path, tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    folder.mkdir()
    (folder / "keep-me.txt").write_text("not a backup", encoding="utf-8")
    start = dt.datetime(2026, 11, 1, 3, 30, tzinfo=dt.UTC)
    for day in range(5):
        backup_rotating(db_path, folder, 3, start + dt.timedelta(days=day))
    names = [p.name for p in rotated_backups(folder)]
    assert names == [
        "ideenlabor-20261103-033000.sqlite3",
        "ideenlabor-20261104-033000.sqlite3",
        "ideenlabor-20261105-033000.sqlite3",
    ]
    assert (folder / "keep-me.txt").exists()
    assert not [p for p in folder.iterdir() if p.name.startswith(".")]


def test_cli_backup_and_restore(
    db_path: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    command_line(monkeypatch, tmp_path, db_path)
    assert main(["backup", str(tmp_path / "b.sqlite3")]) == 0
    assert f"schema version {LATEST}" in capsys.readouterr().out
    assert main(["restore", str(tmp_path / "b.sqlite3")]) == 0
    assert "restored from" in capsys.readouterr().out
    assert main(["restore", str(tmp_path / "missing.sqlite3")]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "missing.sqlite3" in err[0]


async def test_daily_backup_job_writes_a_rotated_backup(
    settings: Settings, clock: FakeClock, tmp_path: Path
) -> None:
    folder = tmp_path / "daily"
    settings = settings.model_copy(update={"backup_dir": folder, "backup_keep": 2})
    async with running(settings, clock) as h:
        context = SimpleNamespace(bot_data=h.data)
        for _ in range(3):
            await daily_backup(context)  # type: ignore[arg-type]
            clock.advance(days=1)
    names = [p.name for p in rotated_backups(folder)]
    assert names == ["ideenlabor-20261126-100000.sqlite3", "ideenlabor-20261127-100000.sqlite3"]
    _consistent(folder / names[-1])


def test_backup_onto_the_database_itself_is_refused(db_path: Path) -> None:
    with pytest.raises(BackupError, match="the database itself"):
        backup(db_path, db_path)


def test_restore_over_a_damaged_database(db_path: Path, tmp_path: Path) -> None:
    copy = backup(db_path, tmp_path / "copy.sqlite3").path
    db_path.write_bytes(b"\0garbage" * 2000)
    restore(copy, db_path)
    _consistent(db_path)


async def test_daily_backup_is_scheduled_only_when_configured(
    settings: Settings, clock: FakeClock, tmp_path: Path
) -> None:
    async with running(settings, clock) as h:
        assert h.app.job_queue is not None
        assert h.app.job_queue.get_jobs_by_name("daily-backup") == ()
    configured = settings.model_copy(update={"backup_dir": tmp_path / "b"})
    async with running(configured, clock) as h:
        assert h.app.job_queue is not None
        assert len(h.app.job_queue.get_jobs_by_name("daily-backup")) == 1
