"""The delivery dispatcher: sends the outbox at Telegram's pace, exactly as recorded.

Every notification is an outbox row before it is a message. The dispatcher claims due rows,
sends them at most `rate` per second overall and one per second per chat, obeys RetryAfter,
retries network errors with backoff, marks users who blocked the bot, and records permanent
failures. A row is marked sent right after Telegram confirmed it. Telegram's API has no
idempotency key, so a message can arrive twice in exactly two cases: it was in flight when the
process died (rows still "sending" are re-queued at start-up), or a time-out hid that Telegram
had in fact delivered it before the retry.

A row whose payload names `edit_message_id` edits that message of its chat instead (a change
to something notified before); the id of every sent message is kept for that.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import json
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from telegram import Bot, LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, RetryAfter, TelegramError

from bot.flood import NO_RETRY, Flood, seconds_of
from bot.logs import person
from bot.mailer import Mailer, MailError
from storage.models import OutboxMessage
from storage.outbox import OutboxRepository

logger = logging.getLogger(__name__)

Hook = Callable[[], Awaitable[object]]


@dataclass
class DrainReport:
    """What one drain did."""

    sent: int = 0
    blocked: int = 0
    failed: int = 0
    retried: int = 0
    too_many_requests: int = 0


# An SMTP outage should not cost a mail: with the backoff capped at an hour, 48 attempts keep
# trying for about two days.
MAIL_MAX_ATTEMPTS = 48

# Telegram counts about 30 messages per second; planning exactly at the limit lets one late
# send and the next on-time ones fall into the same second. Stay a little below it.
HEADROOM = 0.96


@dataclass
class Pacer:
    """Spaces sends: `rate` per second overall (less HEADROOM), `per_chat` s between one chat's.

    Pauses Telegram asked for live in `flood`, shared with the replies (bot.flood), so that a
    429 on a reply holds back the outbox's messages to that chat, too.
    """

    rate: float | None = 30.0
    per_chat: float = 1.0
    monotonic: Callable[[], float] = time.monotonic
    sleep: Callable[[float], Awaitable[object]] = asyncio.sleep
    flood: Flood | None = None  # None: a Flood of its own, on this pacer's clock
    _flood: Flood = field(init=False, repr=False)
    _next_slot: float = 0.0
    _chat_next: dict[int, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.flood is None:
            self.flood = Flood(self.monotonic, self.sleep)
        self._flood = self.flood

    async def acquire(self, chat_id: int) -> None:
        """Wait for this chat's and the overall next free slot, then take them.

        A RetryAfter while waiting voids every slot handed out before it: the waiting senders
        take new slots after the pause, one by one, instead of all firing when it ends.
        """
        while True:
            pauses = self._flood.pauses
            now = self.monotonic()
            start = max(now + self._flood.remaining(chat_id), self._chat_next.get(chat_id, 0.0))
            if self.rate:
                start = max(start, self._next_slot)
                self._next_slot = start + 1.0 / (self.rate * HEADROOM)
            self._chat_next[chat_id] = start + self.per_chat
            if len(self._chat_next) > 10_000:
                self._chat_next = {c: t for c, t in self._chat_next.items() if t > now}
            if start > now:
                await self.sleep(start - now)
            if self._flood.pauses == pauses:
                return

    def pause(self, seconds: float) -> None:
        """Telegram asked us to stop for a while: hold every send, then start over evenly."""
        self._flood.pause(seconds)
        self._next_slot = self.monotonic() + self._flood.remaining()


class Dispatcher:
    """Sends due outbox rows; `drain()` does the work, `run()` loops until cancelled."""

    def __init__(
        self,
        bot: Bot,
        outbox: OutboxRepository,
        clock: Callable[[], dt.datetime],
        *,
        pacer: Pacer | None = None,
        concurrency: int = 8,
        batch: int = 200,
        max_attempts: int = 6,
        before_drain: Hook | None = None,
        after_drain: Hook | None = None,
        on_sent: Callable[[OutboxMessage], None] | None = None,
        on_blocked: Callable[[int], object] | None = None,
        mailer: Mailer | None = None,
        mail_max_attempts: int = MAIL_MAX_ATTEMPTS,
    ) -> None:
        self._bot = bot
        self._outbox = outbox
        self._clock = clock
        self.pacer = pacer or Pacer()
        self._concurrency = concurrency
        self._batch = batch
        self._max_attempts = max_attempts
        self._before_drain = before_drain
        self._after_drain = after_drain
        self._on_sent = on_sent
        self._on_blocked = on_blocked
        self._mailer = mailer
        self._mail_max_attempts = mail_max_attempts
        self._wake = asyncio.Event()
        self._drain_lock = asyncio.Lock()
        self._blocked_now: set[int] = set()
        # The outbox retries on its own: the bot's ReplyRetry must not hold a worker meanwhile.
        self._no_retry: dict[str, Any] = (
            {"rate_limit_args": NO_RETRY} if getattr(bot, "rate_limiter", None) else {}
        )

    def wake(self) -> None:
        """Ask the running loop to look for due work now."""
        self._wake.set()

    async def run(self, idle_timeout: float = 60.0) -> None:
        """Drain whenever woken (or at least every idle_timeout seconds) until cancelled."""
        while True:
            try:
                await self.drain()
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.exception("Dispatcher drain failed; retrying soon")
                await asyncio.sleep(5)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=idle_timeout)
            self._wake.clear()

    async def drain(self) -> DrainReport:
        """Fan out due work (hooks), then send every due message until none is left."""
        report = DrainReport()
        async with self._drain_lock:
            self._blocked_now = set()
            if self._before_drain is not None:
                await self._before_drain()
            while True:
                claimed = await self._outbox.claim_due(self._clock(), self._batch)
                if not claimed:
                    break
                queue: asyncio.Queue[OutboxMessage] = asyncio.Queue()
                for message in claimed:
                    queue.put_nowait(message)
                workers = min(self._concurrency, len(claimed))
                await asyncio.gather(*(self._work(queue, report) for _ in range(workers)))
                if self._after_drain is not None:
                    await self._after_drain()
            if self._after_drain is not None:
                await self._after_drain()
        return report

    async def _work(self, queue: asyncio.Queue[OutboxMessage], report: DrainReport) -> None:
        while not queue.empty():
            message = queue.get_nowait()
            if await self._deliver(message, report):
                queue.put_nowait(message)  # RetryAfter: try again once the pause is over

    async def _deliver(self, message: OutboxMessage, report: DrainReport) -> bool:
        """Send one message and settle its row; True if it must be tried again now."""
        payload = json.loads(message.payload)
        if message.channel == "email":  # SMTP, not Telegram: no pacer, no chat
            await self._deliver_mail(message, payload, report)
            return False
        await self.pacer.acquire(message.chat_id)
        if message.chat_id in self._blocked_now:
            return False  # blocked during this drain: its rows are already marked
        try:
            sent_id = await self._send(message.chat_id, payload)
        except RetryAfter as exc:
            delay = seconds_of(exc.retry_after)
            logger.warning("Telegram asks to wait %.1f s (flood control)", delay)
            self.pacer.pause(delay)
            report.too_many_requests += 1
            return True
        except Forbidden as exc:
            logger.info("Chat %s blocked the bot: %s", person(message.chat_id), exc.message)
            self._blocked_now.add(message.chat_id)
            await self._outbox.mark_chat_blocked(message.chat_id, self._clock(), exc.message)
            if self._on_blocked is not None:
                self._on_blocked(message.chat_id)
            report.blocked += 1
        except BadRequest as exc:
            logger.warning("Outbox message %s refused: %s", message.id, exc.message)
            await self._outbox.mark_failed(message.id, exc.message)
            report.failed += 1
        except TelegramError as exc:  # network errors and time-outs: try again later
            await self._retry(message, str(exc) or type(exc).__name__, report)
        else:
            await self._outbox.mark_sent(message.id, self._clock(), sent_id)
            report.sent += 1
            if self._on_sent is not None:
                self._on_sent(message)
        return False

    async def _deliver_mail(
        self, message: OutboxMessage, payload: dict[str, object], report: DrainReport
    ) -> None:
        """Send one e-mail row: sent, failed (5xx), or pending again with backoff."""
        if self._mailer is None:
            # Queued while SMTP was configured: keep it until it is configured again.
            later = self._clock() + dt.timedelta(hours=1)
            error = "SMTP is not configured (IDEENLABOR_SMTP_URL)"
            await self._outbox.retry_later(message.id, later, error, count_attempt=False)
            report.retried += 1
            return
        if not message.email_to:
            await self._outbox.mark_failed(message.id, "no recipient address")
            report.failed += 1
            return
        try:
            await self._mailer.send(message.email_to, payload)
        except MailError as exc:
            if exc.permanent:
                logger.warning("E-mail %s refused: %s", message.id, exc)
                await self._outbox.mark_failed(message.id, str(exc))
                report.failed += 1
            else:
                logger.warning("E-mail %s not sent, trying again later: %s", message.id, exc)
                await self._retry(message, str(exc), report, self._mail_max_attempts)
        else:
            await self._outbox.mark_sent(message.id, self._clock())
            report.sent += 1
            if self._on_sent is not None:
                self._on_sent(message)

    async def _send(self, chat_id: int, payload: dict[str, object]) -> int | None:
        """sendMessage (or editMessageText) without building a Message object from the answer;
        the sent message's id (None for an edit)."""
        arguments: dict[str, object] = {
            "chat_id": chat_id,
            "text": payload["text"],
            "parse_mode": ParseMode.HTML,
            "link_preview_options": LinkPreviewOptions(is_disabled=True),
        }
        markup = payload.get("reply_markup")  # the Bot API's JSON, as the service built it
        if markup:
            arguments["reply_markup"] = markup
        # Bot API method names are case-insensitive; the lower-case name makes PTB skip its
        # "use Bot.send_message" hint, and without a return type it skips building a Message,
        # which more than doubles the dispatcher's throughput.
        edit = payload.get("edit_message_id")
        if isinstance(edit, int):  # "message is not modified" or gone: BadRequest, not retried
            arguments["message_id"] = edit
            await self._bot.do_api_request(
                "editmessagetext", api_kwargs=arguments, **self._no_retry
            )
            return None
        result = await self._bot.do_api_request(
            "sendmessage", api_kwargs=arguments, **self._no_retry
        )
        sent = result.get("message_id") if isinstance(result, dict) else None
        return sent if isinstance(sent, int) else None

    async def _retry(
        self,
        message: OutboxMessage,
        error: str,
        report: DrainReport,
        max_attempts: int | None = None,
    ) -> None:
        attempts = message.attempts + 1
        if attempts >= (max_attempts or self._max_attempts):
            logger.warning("Outbox message %s failed %s times: %s", message.id, attempts, error)
            await self._outbox.mark_failed(message.id, error)
            report.failed += 1
            return
        backoff = dt.timedelta(seconds=min(2**attempts * 5, 3600))
        await self._outbox.retry_later(message.id, self._clock() + backoff, error)
        report.retried += 1
