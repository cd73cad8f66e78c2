"""What the repositories share: the database they read, named lists, pages."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

from pydantic import BaseModel

from storage.collation import sort_by
from storage.db import Database
from storage.models import Row

M = TypeVar("M", bound=BaseModel)
T = TypeVar("T")


class Repository:
    """A repository that reads and writes through one database."""

    def __init__(self, db: Database) -> None:
        self._db = db


def named(rows: Iterable[Row], name: str) -> list[tuple[int, str]]:
    """(id, name) of each row, in German alphabetical order of the names."""
    return sort_by(((int(r["id"]), str(r[name])) for r in rows), lambda pair: pair[1])


def page_count(total: int, page_size: int) -> int:
    """How many pages total items fill (one, empty, for none)."""
    return max(1, -(-total // page_size))


def page_bounds(total: int, page: int, page_size: int) -> tuple[int, int]:
    """(page, page count) for a list of total items; a page past either end is the nearest."""
    count = page_count(total, page_size)
    return min(max(page, 0), count - 1), count


async def fetch_page(
    db: Database,
    page_type: type[M],
    sql: str,
    params: Sequence[object],
    item: Callable[[sqlite3.Row], T],
    *,
    total: int,
    page: int,
    page_size: int,
) -> M:
    """One page (items, page, page_count, total) of the rows of an ordered query of total rows."""
    page, count = page_bounds(total, page, page_size)
    rows = await db.fetchall(f"{sql} LIMIT ? OFFSET ?", (*params, page_size, page * page_size))
    return page_type(items=tuple(item(r) for r in rows), page=page, page_count=count, total=total)
