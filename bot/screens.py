"""Screens that look the same for everybody (the region list, a page of a region's ideas…),
rendered once and shown again until the database changes.

Browsing is most of what the bot does, and the same few hundred screens come up again and
again. A cached screen is its final text and keyboard; it is valid as long as nothing was
committed to the database since it was rendered (`Database.data_version`, which also sees
`ideenlabor import` from another process). Any write empties the cache, so a cached screen
is never older than the data: only screens that depend on nothing but the data and the
language may be cached, never one that shows something of the user who looks at it.

A screen that also depends on the time (a region's next date, its past Ideenlabore) is put
with the moment it goes out of date (`until`), and `get` is then asked with the time now.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable
from typing import Generic, TypeVar

from storage.db import Database

Markup = TypeVar("Markup")

MAX_SCREENS = 1024  # a few KB each: a bound on memory, not a tuning knob


class ScreenCache(Generic[Markup]):
    """Rendered screens (text, keyboard) by key, emptied whenever the database changed."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self._version: int | None = None
        self._screens: dict[Hashable, tuple[str, Markup]] = {}
        self._until: dict[Hashable, dt.datetime] = {}
        self.hits = 0

    def get(self, key: Hashable, now: dt.datetime | None = None) -> tuple[str, Markup] | None:
        """The screen as last rendered, if the database has not changed since (and, for a
        screen put with `until`, if `now` is before that)."""
        version = self._db.data_version()
        if version is None:
            return None
        if version != self._version:
            self._screens.clear()
            self._until.clear()
            self._version = version
            return None
        until = self._until.get(key)
        if until is not None and (now is None or now >= until):
            return None
        screen = self._screens.get(key)
        if screen is not None:
            self.hits += 1
        return screen

    def put(
        self, key: Hashable, text: str, markup: Markup, until: dt.datetime | None = None
    ) -> None:
        """Remember a screen rendered from the data as of the last get() (until: the moment
        it goes out of date, for a screen that depends on the time)."""
        if self._version is None or self._db.data_version() != self._version:
            return  # changed while rendering (a write in between): not worth keeping
        if len(self._screens) >= MAX_SCREENS:
            self._screens.clear()
            self._until.clear()
        self._screens[key] = (text, markup)
        if until is None:
            self._until.pop(key, None)
        else:
            self._until[key] = until
