"""The SQLite connections of the application: WAL; writes serialised on one aiosqlite connection.

Reads go to a second, query-only connection that runs on the event loop's own thread. The
reads the bot makes are short indexed lookups (a page of ideas, one region: 0.02 to 0.2 ms),
and handing each to aiosqlite's thread and back cost more than the query itself (see
bench/README.md). In WAL mode a reader never waits for the writer and sees every committed
write: after `await db.execute(...)` or a finished `transaction()`, the next read sees it.
An in-memory database has no second connection; there every read uses the writer.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, Self

import aiosqlite

from storage.files import create_private, readable_by_others

logger = logging.getLogger(__name__)

Params = Sequence[Any] | dict[str, Any]


class Reads:
    """The reads a database and an open transaction both offer, built on fetchall."""

    async def fetchall(self, sql: str, params: Params = ()) -> list[sqlite3.Row]:
        """Run a read query and return all rows."""
        raise NotImplementedError

    async def fetchone(self, sql: str, params: Params = ()) -> sqlite3.Row | None:
        """Run a read query and return the first row or None."""
        rows = await self.fetchall(sql, params)
        return rows[0] if rows else None

    async def count(self, sql: str, params: Params = ()) -> int:
        """The number a query selects first (COUNT(*), a kept count); 0 without a row."""
        row = await self.fetchone(sql, params)
        return int(row[0] or 0) if row else 0

    async def ids(self, sql: str, params: Params = ()) -> list[int]:
        """The first column of every row a query selects, as ints (ids)."""
        return [int(row[0]) for row in await self.fetchall(sql, params)]


class Database(Reads):
    """The writer (aiosqlite; every unit of work holds the lock) and the query-only reader."""

    def __init__(
        self, conn: aiosqlite.Connection, reader: sqlite3.Connection | None = None
    ) -> None:
        self._conn = conn
        self._lock = asyncio.Lock()
        self._reader = reader

    @classmethod
    async def open(cls, path: Path | str, *, reader: bool = True) -> Self:
        """Open (and create) the database file with the pragmas we rely on.

        reader=False: no second connection (for tools that change the journal mode).
        """
        if str(path) != ":memory:":
            _create_private(Path(path))
        conn = await aiosqlite.connect(str(path), isolation_level=None)
        conn.row_factory = sqlite3.Row
        for pragma in (
            "PRAGMA journal_mode=WAL",
            "PRAGMA foreign_keys=ON",
            "PRAGMA busy_timeout=5000",
            "PRAGMA synchronous=NORMAL",
            # Deleted rows are overwritten with zeros, not just marked free: an erased person's
            # data must not stay readable in the file (see checkpoint()).
            "PRAGMA secure_delete=ON",
        ):
            await conn.execute(pragma)
        read_conn = None
        if reader and str(path) != ":memory:":
            # check_same_thread=False: closed from close(), which may run on another loop thread
            read_conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
            read_conn.row_factory = sqlite3.Row
            for pragma in ("PRAGMA busy_timeout=5000", "PRAGMA foreign_keys=ON"):
                read_conn.execute(pragma)
            read_conn.execute("PRAGMA query_only=ON")
        return cls(conn, read_conn)

    async def close(self) -> None:
        """Close the connection (waits for running work)."""
        async with self._lock:
            await self._conn.close()
            if self._reader is not None:
                self._reader.close()

    def data_version(self) -> int | None:
        """A number that changes whenever anything was committed since it was last read.

        SQLite's `PRAGMA data_version` on the read connection: it sees the commits of every
        other connection, this bot's writer and other processes (`ideenlabor import`) alike.
        None without a read connection (in-memory database): nothing can be cached then.
        """
        if self._reader is None:
            return None
        return int(self._reader.execute("PRAGMA data_version").fetchone()[0])

    async def fetchall(self, sql: str, params: Params = ()) -> list[sqlite3.Row]:
        """Run a read query and return all rows (committed data; see the module's docstring)."""
        if self._reader is not None:
            return self._reader.execute(sql, params).fetchall()
        async with self._lock:
            return list(await self._conn.execute_fetchall(sql, params))

    async def execute(self, sql: str, params: Params = ()) -> int:
        """Run one write statement (atomic on its own: autocommit); return the row count."""
        async with self._lock, self._conn.execute(sql, params) as cur:
            return cur.rowcount

    async def checkpoint(self) -> bool:
        """Copy the WAL into the database file and truncate it; False if a reader was in the way.

        With secure_delete, a deletion zeroes the rows in the new page versions, but the old
        versions stay in the -wal file until a checkpoint: after erasing personal data, call
        this so that nothing of it is left on disk. Readers here never hold a read transaction
        between queries, so it completes unless another process is reading at that moment
        (then the bytes go at the next checkpoint).
        """
        async with self._lock, self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)") as cur:
            row = await cur.fetchone()
        return row is None or row[0] == 0

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Transaction]:
        """BEGIN IMMEDIATE … COMMIT, rolled back on any exception."""
        async with self._lock:
            await self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield Transaction(self._conn)
            except BaseException:
                await self._conn.execute("ROLLBACK")
                raise
            else:
                await self._conn.execute("COMMIT")


def _create_private(path: Path) -> None:
    """A new database file (and its -wal, -shm) only for the owner; warn about an old one."""
    if not create_private(path) and readable_by_others(path):
        logger.warning(
            "The database %s can be read by other users of this machine (mode %o): it holds "
            "personal data — restrict it with: chmod 600 %s*",
            path,
            path.stat().st_mode & 0o777,
            path,
        )


class Transaction(Reads):
    """Statements run inside one open transaction."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._conn = conn

    async def execute(self, sql: str, params: Params = ()) -> int:
        """Run a statement; return the number of changed rows."""
        async with self._conn.execute(sql, params) as cur:
            return cur.rowcount

    async def insert(self, sql: str, params: Params = ()) -> int:
        """Run an INSERT; return the new rowid."""
        async with self._conn.execute(sql, params) as cur:
            return int(cur.lastrowid or 0)

    async def executemany(self, sql: str, rows: Iterable[Params]) -> None:
        """Run one statement for many parameter sets."""
        await self._conn.executemany(sql, rows)

    async def fetchall(self, sql: str, params: Params = ()) -> list[sqlite3.Row]:
        """Read inside the transaction."""
        return list(await self._conn.execute_fetchall(sql, params))
