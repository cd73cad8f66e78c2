"""What every service stands on: the database, the clock, the configured admins and the
dispatcher's wake-up; bot/context.py builds it once and hands it to each service."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from storage.db import Database

Clock = Callable[[], dt.datetime]


def no_wake() -> None:
    """Wake nothing: without a running dispatcher (the command line) the queued messages wait
    in the outbox for the bot's own."""


@dataclass(frozen=True)
class Basis:
    """The database, the clock, the admins named in the configuration (IDEENLABOR_ADMINS) and
    how to tell the dispatcher that the outbox has something to send."""

    db: Database
    clock: Clock
    config_admins: frozenset[int]
    wake: Callable[[], None] = no_wake


class Service:
    """A service on its basis; a subclass takes its own options after it."""

    def __init__(self, basis: Basis) -> None:
        self._db = basis.db
        self._clock = basis.clock
        self._config_admins = basis.config_admins
        self.wake = basis.wake
