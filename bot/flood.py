"""Telegram's flood control as the whole bot knows it, and short retries for every other call.

`Flood` holds the pauses Telegram asked for (RetryAfter): one for everything (the outbox
dispatcher's, whose bulk sends hit the overall limit) and one per chat (a reply's). The
dispatcher's `Pacer` and `ReplyRetry` both consult it, so a 429 anywhere holds back everything
that talks to that chat.

`ReplyRetry` is the application's rate limiter (python-telegram-bot's hook around every Bot API
call): what handlers send (replies, edits, answers, documents) is tried again on a 429 (after
its retry_after), a 5xx or a network error — at most ATTEMPTS times within BUDGET seconds, as
handlers run one at a time and everybody waits meanwhile. Only the Telegram call is repeated,
never the handler (an action commits before its message is sent). The outbox dispatcher opts
out (NO_RETRY): it retries through the outbox, with backoff, and pauses on its own.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import math
import time
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

import httpx
from telegram.error import BadRequest, NetworkError, RetryAfter, TimedOut
from telegram.ext import BaseRateLimiter

logger = logging.getLogger(__name__)

Result = bool | dict[str, Any] | list[dict[str, Any]]

ATTEMPTS = 3  # calls at most, the first included
BUDGET = 4.0  # seconds from the first call after which nothing more is tried (or waited for)
BACKOFF = 0.5  # seconds before the second call after a 5xx or network error; doubled after
NO_RETRY = "no-retry"  # rate_limit_args of calls that must fail at once (the outbox's)
# Calls that Telegram might have carried out although the answer was lost: repeated only when
# the request certainly did not reach Telegram, or a user could get the message twice.
_SENDS = ("send", "copy", "forward")
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


def seconds_of(retry_after: int | dt.timedelta) -> float:
    """RetryAfter.retry_after in seconds (an int, or a timedelta with PTB_TIMEDELTA)."""
    return retry_after.total_seconds() if isinstance(retry_after, dt.timedelta) else retry_after


class Flood:
    """The pauses Telegram asked for: overall and per chat (monotonic time, injectable)."""

    def __init__(
        self,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
    ) -> None:
        self.monotonic = monotonic
        self.sleep = sleep
        self.pauses = 0  # counts pause() calls: waiting senders plan anew after one
        self._until = 0.0
        self._chats: dict[int, float] = {}

    def pause(self, seconds: float, chat_id: int | None = None) -> None:
        """Hold back everything (chat_id None) or everything for one chat for `seconds`."""
        now = self.monotonic()
        end = now + seconds
        if chat_id is None:
            self._until = max(self._until, end)
        else:
            if len(self._chats) > 10_000:
                self._chats = {c: t for c, t in self._chats.items() if t > now}
            self._chats[chat_id] = max(self._chats.get(chat_id, 0.0), end)
        self.pauses += 1

    def remaining(self, chat_id: int | None = None) -> float:
        """Seconds until a message to this chat may go out (0.0 if it may now)."""
        end = self._until
        if self._chats and chat_id is not None:
            end = max(end, self._chats.get(chat_id, 0.0))
        if not end:
            return 0.0
        return max(0.0, end - self.monotonic())


def _repeatable(endpoint: str, error: NetworkError) -> bool:
    """Whether a call that failed this way may be made again without doing anything twice."""
    if not endpoint.lower().startswith(_SENDS):
        return True  # an edit or answer made twice changes nothing ("not modified", "too old")
    if isinstance(error, TimedOut):  # the request may have arrived, only the answer was late
        return isinstance(error.__cause__, _NOT_SENT)
    # No cause: Telegram answered with an error status (5xx), so nothing was sent.
    return error.__cause__ is None or isinstance(error.__cause__, _NOT_SENT)


class ReplyRetry(BaseRateLimiter[str]):
    """Bounded retries for every Bot API call outside the outbox, obeying the shared Flood."""

    def __init__(self, flood: Flood | None = None) -> None:
        self.flood = flood or Flood()

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, Result]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: str | None,
    ) -> Result:
        """Make the call; on a transient failure wait and make it again, within the budget."""
        if rate_limit_args == NO_RETRY:
            return await callback(*args, **kwargs)
        flood = self.flood
        started = flood.monotonic()
        chat = data.get("chat_id")
        chat_id = chat if isinstance(chat, int) else None  # None: answers, commands, @channels
        if flood.pauses and chat_id is not None:
            await self._wait(chat_id, started)
        try:
            return await callback(*args, **kwargs)
        except (RetryAfter, NetworkError) as exc:
            return await self._again(exc, callback, args, kwargs, endpoint, chat_id, started)

    async def _wait(self, chat_id: int, started: float) -> None:
        """Wait for a pause of this chat (or of everything) that ends within the budget."""
        flood = self.flood
        wait = flood.remaining(chat_id)
        if not wait:
            return
        if flood.monotonic() - started + wait > BUDGET:
            raise RetryAfter(math.ceil(wait))  # Telegram would refuse it: do not even ask
        await flood.sleep(wait)

    async def _again(
        self,
        error: RetryAfter | NetworkError,
        callback: Callable[..., Coroutine[Any, Any, Result]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        chat_id: int | None,
        started: float,
    ) -> Result:
        """After a failed call: try again while it is safe and the budget allows, else raise."""
        flood = self.flood
        attempt = 1
        while True:
            if isinstance(error, RetryAfter):
                delay = seconds_of(error.retry_after)
                if chat_id is not None:
                    flood.pause(delay, chat_id)  # the dispatcher holds back this chat, too
            elif isinstance(error, BadRequest) or not _repeatable(endpoint, error):
                raise error  # refused for good, or it may have been carried out
            else:  # 5xx, time-outs, connections lost
                delay = BACKOFF * 2 ** (attempt - 1)
            if attempt >= ATTEMPTS or flood.monotonic() - started + delay > BUDGET:
                raise error
            logger.info("%s failed (%s); trying again in %.1f s", endpoint, error, delay)
            await flood.sleep(delay)
            attempt += 1
            if chat_id is not None:
                await self._wait(chat_id, started)
            try:
                return await callback(*args, **kwargs)
            except (RetryAfter, NetworkError) as exc:
                error = exc
