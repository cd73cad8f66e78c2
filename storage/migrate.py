"""Append-only SQL migrations, each applied in one transaction with its record."""

from __future__ import annotations

import logging
import re
import sqlite3
from dataclasses import dataclass
from importlib import resources

from storage.db import Database, Transaction

logger = logging.getLogger(__name__)

_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")


class SchemaTooNewError(Exception):
    """The database was written by a newer version of the bot."""


@dataclass(frozen=True)
class Migration:
    """One numbered migration file."""

    version: int
    name: str
    sql: str


def available_migrations() -> list[Migration]:
    """All migration files shipped in storage/migrations, in order."""
    found = []
    for entry in resources.files("storage.migrations").iterdir():
        match = _NAME.match(entry.name)
        if match:
            found.append(Migration(int(match.group(1)), match.group(2), entry.read_text("utf-8")))
    found.sort(key=lambda m: m.version)
    versions = [m.version for m in found]
    if versions != list(range(1, len(found) + 1)):
        raise RuntimeError(f"migration numbers must be 1..n without gaps, found {versions}")
    return found


def split_statements(sql: str) -> list[str]:
    """Split a migration script into statements (triggers kept whole)."""
    statements: list[str] = []
    buffer = ""
    for line in sql.splitlines(keepends=True):
        if not buffer and line.strip().startswith("--"):
            continue
        buffer += line
        if sqlite3.complete_statement(buffer):
            if buffer.strip():
                statements.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        statements.append(buffer.strip())
    return statements


async def schema_version(db: Database) -> int:
    """The highest applied migration, 0 for an empty database."""
    row = await db.fetchone(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'"
    )
    if row is None:
        return 0
    row = await db.fetchone("SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations")
    return int(row["v"]) if row else 0


async def migrate(db: Database) -> int:
    """Apply every pending migration; return the resulting schema version."""
    migrations = available_migrations()
    latest = migrations[-1].version if migrations else 0
    current = await schema_version(db)
    if current > latest:
        raise SchemaTooNewError(
            f"the database has schema version {current}, but this bot only knows up to "
            f"{latest}: it was written by a newer version — update the bot or use another "
            "IDEENLABOR_DB"
        )
    for migration in migrations:
        if migration.version <= current:
            continue
        async with db.transaction() as tx:
            await apply(tx, migration)
        logger.info("Applied migration %04d_%s", migration.version, migration.name)
    return latest


async def apply(tx: Transaction, migration: Migration, applied_at: str | None = None) -> None:
    """One migration in the caller's transaction, recorded as applied now (or at `applied_at`,
    for tests that build a database as an old version left it)."""
    await tx.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
    )
    for statement in split_statements(migration.sql):
        await tx.execute(statement)
    await tx.execute(
        "INSERT INTO schema_migrations (version, name, applied_at)"
        " VALUES (?, ?, COALESCE(?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now')))",
        (migration.version, migration.name, applied_at),
    )
