"""How updates are let in: one at a time, in order per user, and a flooding user waits alone.

python-telegram-bot hands every update to the application's update processor. Ours keeps the
handlers' one-at-a-time model (`handling` is a FIFO lock, as with `concurrent_updates=1`) but
meters each user with a token bucket first: up to `burst` updates at once, then `rate` per
second. An update over the limit sleeps *before* it queues for the handlers, so a user who
sends 50 messages in a second is slowed down while everybody else's updates go past.
Updates without a user (channel posts, polls) are not metered.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

logger = logging.getLogger(__name__)

# Updates admitted to the processor at once, waiting ones included: only a guard against
# unbounded memory; the handlers still run one at a time.
ADMITTED = 10_000


class UserMeter:
    """A token bucket per user: `burst` updates at once, then `rate` per second."""

    def __init__(self, rate: float, burst: int, now: Callable[[], float] = time.monotonic) -> None:
        self.rate = rate
        self.burst = burst
        self._now = now
        self._free_at: dict[int, float] = {}  # when the user's bucket is full again, virtually

    def delay(self, user_id: int) -> float:
        """Take one token for the user; return how long their update has to wait (seconds)."""
        now = self._now()
        interval = 1.0 / self.rate
        # The bucket as a "theoretical arrival time": free_at - now is the debt in seconds.
        free_at = max(self._free_at.get(user_id, now), now) + interval
        self._free_at[user_id] = free_at
        if len(self._free_at) > 4 * ADMITTED:
            self._forget(now)
        return max(0.0, free_at - now - self.burst * interval)

    def _forget(self, now: float) -> None:
        """Drop users whose buckets are full again (they would start afresh anyway)."""
        self._free_at = {user: t for user, t in self._free_at.items() if t > now}


class FairUpdateProcessor(BaseUpdateProcessor):
    """Handlers one at a time in arrival order; each user metered before they queue."""

    handled_at_once = 1  # the handlers' model; max_concurrent_updates only bounds the waiting

    def __init__(
        self,
        rate: float,
        burst: int,
        *,
        now: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
    ) -> None:
        super().__init__(max_concurrent_updates=ADMITTED)
        self.meter = UserMeter(rate, burst, now)
        self._sleep = sleep
        self._handling = asyncio.Lock()
        self.slowed = 0  # updates that had to wait for their user's turn (for logs and tests)

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Wait for the user's token (if over the limit), then for the handlers."""
        user = update.effective_user if isinstance(update, Update) else None
        try:
            if user is not None:
                wait = self.meter.delay(user.id)
                if wait > 0:
                    self.slowed += 1
                    if self.slowed % 100 == 1:
                        logger.info("Slowing down a user who sends many updates (%.1f s)", wait)
                    await self._sleep(wait)
            async with self._handling:
                await coroutine
        finally:
            if inspect.iscoroutine(coroutine) and inspect.getcoroutinestate(coroutine) == (
                inspect.CORO_CREATED
            ):
                coroutine.close()  # cancelled before it ran (shutdown): no "never awaited"

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to free."""
