"""Online backups with SQLite's backup API, restore with a schema check, daily rotation.

Everything here is blocking sqlite3 work on its own connections: the bot runs it in a thread
(`asyncio.to_thread`), the command line directly. In WAL mode the bot keeps writing while a
backup is taken; one backup step copies a consistent snapshot (a single read transaction).
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import os
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from storage.db import Database
from storage.files import create_private
from storage.migrate import SchemaTooNewError, available_migrations, migrate
from storage.probe import ProbeError, probe_intact

logger = logging.getLogger(__name__)

BACKUP_PREFIX = "ideenlabor-"
BACKUP_SUFFIX = ".sqlite3"
_ROTATED = re.compile(r"^ideenlabor-\d{8}-\d{6}\.sqlite3$")
# Tables every Ideenlabor database has since the first migration.
_CORE_TABLES = frozenset({"schema_migrations", "regions", "ideas", "users"})


class BackupError(Exception):
    """A backup or restore that cannot be done, explained in one line."""


class DatabaseInUseError(BackupError):
    """Another process (the running bot) has the database open."""


@dataclass(frozen=True)
class BackupInfo:
    """What a backup file holds."""

    path: Path
    schema_version: int
    size: int


def _connect_existing(path: Path, *, timeout: float = 30.0) -> sqlite3.Connection:
    """Open a database file that must exist (sqlite3 would create an empty one)."""
    if not path.is_file():
        raise BackupError(f"{path} does not exist")
    try:
        return sqlite3.connect(f"{path.resolve().as_uri()}?mode=rw", uri=True, timeout=timeout)
    except sqlite3.Error as exc:
        raise BackupError(f"cannot open {path}: {exc}") from None


def _fsync_dir(folder: Path) -> None:
    """Make a rename in folder durable (not possible everywhere; best effort)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _fsync_file(path: Path) -> None:
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())


def backup(source: Path, target: Path) -> BackupInfo:
    """Copy the live database source to target (a single self-contained file), atomically."""
    if target.resolve() == source.resolve():
        raise BackupError(f"{target} is the database itself — choose another backup path")
    partial = target.with_name(f".{target.name}.partial")
    partial.unlink(missing_ok=True)
    create_private(partial)  # a copy of personal data: the owner's alone, like the database
    src = _connect_existing(source)
    try:
        dst = sqlite3.connect(partial)
        try:
            # pages=-1: the whole database in one step, i.e. inside one read transaction, so
            # the copy is a snapshot even while the bot keeps writing (WAL readers see one).
            src.backup(dst, pages=-1)
            dst.execute("PRAGMA journal_mode=DELETE")  # no -wal file beside the copy
            result = dst.execute("PRAGMA quick_check").fetchone()[0]
            if result != "ok":
                raise BackupError(f"the copy of {source} failed its check: {result}")
        finally:
            dst.close()
    except sqlite3.Error as exc:
        partial.unlink(missing_ok=True)
        raise BackupError(f"backup of {source} failed: {exc}") from None
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    finally:
        src.close()
    _fsync_file(partial)
    partial.replace(target)
    _fsync_dir(target.parent)
    return inspect_backup(target)


def inspect_backup(path: Path) -> BackupInfo:
    """Check that path is an intact Ideenlabor database; return its schema version."""
    try:
        found = probe_intact(
            path, name=str(path), unreadable="{name} is not an Ideenlabor database ({detail})"
        )
    except ProbeError as exc:
        raise BackupError(exc.detail) from None
    if not found.tables >= _CORE_TABLES:
        raise BackupError(f"{path} is not an Ideenlabor database")
    return BackupInfo(path, found.schema_version, path.stat().st_size)


def ensure_not_in_use(path: Path) -> None:
    """Raise DatabaseInUseError if another connection has path open (e.g. the running bot).

    In WAL mode every open connection holds a shared lock; an exclusive lock is granted only
    when no one else has the file open.
    """
    if not path.exists():
        return
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=rw", uri=True, timeout=0)
    try:
        conn.execute("PRAGMA locking_mode=EXCLUSIVE")
        conn.execute("BEGIN EXCLUSIVE")
        conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
        conn.execute("ROLLBACK")
    except sqlite3.OperationalError:
        raise DatabaseInUseError(
            f"{path} is in use — stop the bot before restoring (restore replaces the file)"
        ) from None
    except sqlite3.DatabaseError:  # not a database (any more): nothing can be using it as one
        pass
    finally:
        conn.close()


def restore(source: Path, target: Path) -> tuple[BackupInfo, int]:
    """Replace the database target with the backup source; return its info and new version.

    The backup is checked (an Ideenlabor database, not newer than this code), copied next to
    target, migrated there if older, then atomically renamed over target; target's -wal and
    -shm files are removed. Refuses while the bot has target open.
    """
    info = inspect_backup(source)
    latest = available_migrations()[-1].version
    if info.schema_version > latest:
        raise SchemaTooNewError(
            f"{source} has schema version {info.schema_version}, but this bot only knows up to "
            f"{latest}: it was written by a newer version — update the bot first"
        )
    ensure_not_in_use(target)
    staged = target.with_name(f".{target.name}.restoring")
    staged.unlink(missing_ok=True)
    create_private(staged)  # the restored database is the owner's alone, whatever it was
    try:
        src = _connect_existing(source)
        try:
            dst = sqlite3.connect(staged)
            try:
                src.backup(dst, pages=-1)
            finally:
                dst.close()
        finally:
            src.close()
        version = asyncio.run(_migrate(staged))
        _fsync_file(staged)
        for suffix in ("-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        staged.replace(target)
        _fsync_dir(target.parent)
    except BaseException:
        staged.unlink(missing_ok=True)
        for suffix in ("-wal", "-shm"):
            Path(f"{staged}{suffix}").unlink(missing_ok=True)
        raise
    return info, version


async def _migrate(path: Path) -> int:
    """Bring a restored copy up to this code's schema (leaves it in rollback-journal mode)."""
    db = await Database.open(path, reader=False)  # alone: it changes the journal mode
    try:
        version = await migrate(db)
        await db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        await db.execute("PRAGMA journal_mode=DELETE")
    finally:
        await db.close()
    return version


def rotated_name(now: dt.datetime) -> str:
    """The file name of a scheduled backup taken at now (sorts by time)."""
    return f"{BACKUP_PREFIX}{now.astimezone(dt.UTC):%Y%m%d-%H%M%S}{BACKUP_SUFFIX}"


def backup_rotating(source: Path, folder: Path, keep: int, now: dt.datetime) -> BackupInfo:
    """A backup into folder named by time; only the newest keep scheduled backups stay."""
    info = backup(source, folder / rotated_name(now))
    for old in rotated_backups(folder)[:-keep]:
        old.unlink(missing_ok=True)
        logger.info("Removed old backup %s", old.name)
    return info


def rotated_backups(folder: Path) -> list[Path]:
    """Scheduled backups in folder, oldest first (other files are left alone)."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if _ROTATED.match(p.name))
