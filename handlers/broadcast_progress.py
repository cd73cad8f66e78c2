"""Broadcast progress: the admin's message edited at most every few seconds, then a report."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable

from telegram.error import BadRequest, Forbidden, TelegramError

from bot.context import App, BotData
from bot.logs import person
from messages import admin as views
from messages.catalog import DEFAULT_LANGUAGE, LANGUAGES
from storage.models import Broadcast
from storage.workshops import WorkshopRepository

logger = logging.getLogger(__name__)

INTERVAL = 3.0  # seconds between two progress edits of one broadcast


class ProgressReporter:
    """After each drain of the outbox: progress edits for every unfinished broadcast."""

    def __init__(
        self,
        app: App,
        *,
        interval: float = INTERVAL,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._app = app
        self.interval = interval
        self.monotonic = monotonic
        self.lock = asyncio.Lock()  # held while a broadcast is created and its message sent
        self._shown: dict[int, tuple[float, str]] = {}  # broadcast id → (when, text)
        self._languages: dict[int, str] = {}

    @property
    def _data(self) -> BotData:
        return self._app.bot_data

    async def start(self, broadcast_id: int, language: str) -> None:
        """Send the first progress message of a new broadcast (call while holding `lock`)."""
        self._languages[broadcast_id] = language
        broadcast = await self._data.broadcasts.get(broadcast_id)
        if broadcast is not None:
            await self._put(broadcast, await self._text(broadcast, final=False))

    async def __call__(self) -> None:
        """The after-drain hook: also picks up broadcasts left unfinished by a restart."""
        async with self.lock:
            for broadcast_id in await self._data.broadcasts.unfinished():
                broadcast = await self._data.broadcasts.get(broadcast_id)
                if broadcast is not None:
                    await self._report(broadcast)

    async def _report(self, broadcast: Broadcast) -> None:
        if broadcast.pending == 0:
            if await self._put(broadcast, await self._text(broadcast, final=True)):
                await self._data.broadcasts.finish(broadcast.id, self._data.clock())
                self._shown.pop(broadcast.id, None)
                self._languages.pop(broadcast.id, None)
                logger.info(
                    "Broadcast %s finished: %s delivered, %s blocked, %s failed",
                    broadcast.id,
                    broadcast.sent,
                    broadcast.blocked,
                    broadcast.failed,
                )
            return
        text = await self._text(broadcast, final=False)
        shown = self._shown.get(broadcast.id)
        if (
            shown is not None
            and broadcast.progress_message_id is not None
            and (shown[1] == text or self.monotonic() - shown[0] < self.interval)
        ):
            return
        await self._put(broadcast, text)

    async def _text(self, broadcast: Broadcast, *, final: bool) -> str:
        language = self._languages.get(broadcast.id) or await self._language(broadcast.admin_id)
        region_name = None
        if broadcast.audience.startswith("region:"):
            region = await self._data.regions.get(int(broadcast.audience.split(":", 1)[1]))
            region_name = region.name if region else "?"
        audience = views.audience_name(language, region_name)
        render = views.broadcast_report if final else views.broadcast_progress
        return render(language, broadcast, audience)

    async def _language(self, admin_id: int) -> str:
        async with self._data.db.transaction() as tx:
            language = await WorkshopRepository.language_of(tx, admin_id)
        return language if language in LANGUAGES else DEFAULT_LANGUAGE

    async def _put(self, broadcast: Broadcast, text: str) -> bool:
        """Show text in the progress message (a new one if it is gone); False to try again later."""
        bot = self._app.bot
        await self._data.dispatcher.pacer.acquire(broadcast.admin_id)  # within Telegram's limits
        if broadcast.progress_message_id is not None:
            try:
                await bot.edit_message_text(
                    text, chat_id=broadcast.admin_id, message_id=broadcast.progress_message_id
                )
                return self._seen(broadcast.id, text)
            except BadRequest as exc:
                if "not modified" in exc.message.lower():
                    return self._seen(broadcast.id, text)
                logger.info(
                    "Progress message of broadcast %s is gone: %s", broadcast.id, exc.message
                )
            except Forbidden as exc:
                logger.warning(
                    "Admin %s blocked the bot: %s", person(broadcast.admin_id), exc.message
                )
                return True
            except TelegramError as exc:
                logger.warning("Progress of broadcast %s not shown: %s", broadcast.id, exc)
                return False
        try:
            message = await bot.send_message(broadcast.admin_id, text)
        except (Forbidden, BadRequest) as exc:
            logger.warning(
                "Cannot tell admin %s about broadcast %s: %s",
                person(broadcast.admin_id),
                broadcast.id,
                exc.message,
            )
            return True
        except TelegramError as exc:
            logger.warning("Progress of broadcast %s not shown: %s", broadcast.id, exc)
            return False
        await self._data.broadcasts.set_progress_message(broadcast.id, message.message_id)
        return self._seen(broadcast.id, text)

    def _seen(self, broadcast_id: int, text: str) -> bool:
        self._shown[broadcast_id] = (self.monotonic(), text)
        return True


def progress_reporter(data: BotData) -> ProgressReporter:
    """The application's reporter (tests replace its monotonic clock)."""
    reporter = data.broadcast_progress
    if not isinstance(reporter, ProgressReporter):
        raise RuntimeError("handlers.broadcast_progress is not registered")
    return reporter


def register(app: App) -> None:
    """Create the reporter and hook it into the dispatcher's after-drain hooks."""
    reporter = ProgressReporter(app)
    app.bot_data.broadcast_progress = reporter
    app.bot_data.after_drain.append(reporter)
