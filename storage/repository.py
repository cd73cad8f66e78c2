"""What the repositories share: the database they read, rows turned into records, pages."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, TypeVar

from pydantic import BaseModel

from storage.collation import sort_by
from storage.db import Database
from storage.timeutil import from_db

M = TypeVar("M", bound=BaseModel)
T = TypeVar("T")
Row = sqlite3.Row | Mapping[str, Any]


class Repository:
    """A repository that reads and writes through one database."""

    def __init__(self, db: Database) -> None:
        self._db = db


def record(
    model: type[M],
    row: Row,
    *,
    moments: Iterable[str] = (),
    flags: Iterable[str] = (),
    lists: Iterable[str] = (),
    **values: object,
) -> M:
    """The row as a model: stored moments to datetimes (NULL stays None), 0/1 flags to bools,
    JSON arrays to tuples; values replace columns that need a conversion of their own."""
    data: dict[str, Any] = dict(row)
    for name in moments:
        data[name] = from_db(data[name]) if data[name] else None
    for name in flags:
        data[name] = bool(data[name])
    for name in lists:
        data[name] = tuple(json.loads(data[name]))
    return model(**{**data, **values})


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
