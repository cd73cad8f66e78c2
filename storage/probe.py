"""A read-only look into a database file: intact? which tables? which schema version?

Blocking sqlite3 on a connection of its own, for the command line (`ideenlabor check`) and
backups (storage.backup), which must not change what they look at.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path


class ProbeError(Exception):
    """The file could not be opened (opened is False), or not be read as a database."""

    def __init__(self, detail: str, *, opened: bool) -> None:
        super().__init__(detail)
        self.detail = detail
        self.opened = opened


@dataclass(frozen=True)
class Probe:
    """What a database file holds; a damaged one is not read further (no tables, version 0)."""

    integrity: str  # "ok", or the first problem SQLite's quick_check found
    tables: frozenset[str]
    schema_version: int  # 0 without schema_migrations

    @property
    def intact(self) -> bool:
        """Whether SQLite's quick_check found nothing wrong."""
        return self.integrity == "ok"


def probe(path: Path) -> Probe:
    """Open the database at path read-only and look into it; ProbeError if that fails."""
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=5)
    except sqlite3.Error as exc:
        raise ProbeError(str(exc), opened=False) from None
    try:
        integrity = str(conn.execute("PRAGMA quick_check").fetchone()[0])
        if integrity != "ok":
            return Probe(integrity, frozenset(), 0)
        rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        tables = frozenset(str(row[0]) for row in rows)
        version = 0
        if "schema_migrations" in tables:
            row = conn.execute("SELECT COALESCE(MAX(version), 0) FROM schema_migrations")
            version = int(row.fetchone()[0])
    except sqlite3.DatabaseError as exc:  # "file is not a database" and friends
        raise ProbeError(str(exc), opened=True) from None
    finally:
        conn.close()
    return Probe(integrity, tables, version)


def probe_intact(path: Path, *, name: str, unreadable: str) -> Probe:
    """probe() of a database that must be intact; else ProbeError with the reason in one line.

    name: the file as the reason calls it; unreadable: the reason for a file that opens but
    cannot be read, with {name} and {detail}.
    """
    try:
        found = probe(path)
    except ProbeError as exc:
        reason = unreadable if exc.opened else "cannot open {name}: {detail}"
        raise ProbeError(reason.format(name=name, detail=exc.detail), opened=exc.opened) from None
    if not found.intact:
        raise ProbeError(f"{name} is damaged: {found.integrity}", opened=True)
    return found
