"""The one sort order for names and titles shown in lists: German collation (DIN 5007-1).

Python's own order (and SQLite's, even with NOCASE) compares code points, which puts
„Märkische Region“ after „Mittlerer Niederrhein“ and every lower-case word after all upper-case
ones. The Unicode Collation Algorithm (pyuca, pure Python, no ICU needed) sorts „ä“ with „a“,
ignores case and punctuation at the first level, and is the order German readers expect.
Lists are sorted with sort_key in Python after the query: they are short (16 regions, a
region's groups or contacts), and a collation registered on the connections would make every
other tool that opens the file (sqlite3 shell, backups) fail on those queries.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import cache, lru_cache
from pathlib import Path
from typing import TypeVar

from pyuca import Collator

T = TypeVar("T")
# pyuca's table cut to Latin script, punctuation and currency (scripts/build_collation.py): the
# same order for every Latin-script name, 1 MB instead of 12 MB in each process.
TABLE = Path(__file__).with_name("collation-latin.txt")


@cache
def _collator() -> Collator:
    # Loading the collation table takes a moment: once per process, on first use.
    return Collator(str(TABLE))


@lru_cache(maxsize=8192)  # the same few hundred names are sorted on every screen (~0.1 ms each)
def sort_key(text: str) -> tuple[int, ...]:
    """The key that sorts text as a German reader expects („Märkische“ before „Mittlerer“)."""
    return tuple(_collator().sort_key(text))


def sort_by(items: Iterable[T], name: Callable[[T], str]) -> list[T]:
    """Items sorted by the German collation of their name (stable for equal names)."""
    return sorted(items, key=lambda item: sort_key(name(item)))
