"""`ideenlabor chat`: the real bot in a terminal, on the in-process Bot API (no token needed)."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import html
import logging
import re
import sys
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import SecretStr

from bot.config import Settings
from bot.context import App, utc_now
from bot.offline.fake_api import FakeBotApi, SentMessage
from bot.offline.fake_user import FakeUser
from bot.offline.playground_render import WORDS, Renderer
from messages.catalog import tn

logger = logging.getLogger(__name__)

# Never sent anywhere: the fake Bot API answers every call in-process.
OFFLINE_TOKEN = "123456:OFFLINE-PLAYGROUND"

_TAP_RE = re.compile(r"b?(\d{1,3})(?:@(\d+))?", re.IGNORECASE)
_WARP_RE = re.compile(r"/warp\s+(\d{1,4})([mhd])", re.IGNORECASE)
_UNITS = {"m": "minutes", "h": "hours", "d": "days"}


@dataclass
class ChatOptions:
    """Who the user is, and where files the bot sends are saved."""

    user_id: int = 4711
    first_name: str = "Erika"
    language: str = "de"
    files: Path | None = None
    echo: bool = False  # repeat input lines (stdin is a pipe)
    prompt: bool = False  # show a prompt (stdin is a terminal)
    ansi: bool = False
    hints: dict[str, str] = field(init=False)

    def __post_init__(self) -> None:
        self.hints = WORDS.get(self.language, WORDS["de"])

    def files_dir(self) -> Path:
        """The directory for documents and photos (a fresh temporary one unless given)."""
        if self.files is None:
            self.files = Path(tempfile.mkdtemp(prefix="ideenlabor-chat-"))
        return self.files


class PlaygroundClock:
    """The real time, moved ahead by /warp (the bot's clock; Telegram's stays real)."""

    def __init__(self) -> None:
        self.ahead = dt.timedelta(0)

    def __call__(self) -> dt.datetime:
        return utc_now() + self.ahead


def offline_settings(settings: Settings) -> Settings:
    """The configuration with a dummy token, Telegram's servers and e-mail switched off."""
    return settings.model_copy(
        update={
            "telegram_bot_token": SecretStr(OFFLINE_TOKEN),
            "telegram_api_base_url": None,
            "smtp_url": None,
        }
    )


class Playground:
    """One person chatting with the running application; input lines in, rendered output out."""

    def __init__(
        self, app: App, api: FakeBotApi, options: ChatOptions, clock: PlaygroundClock | None = None
    ) -> None:
        self.app = app
        self.options = options
        self.clock = clock or PlaygroundClock()
        self.user = FakeUser(
            app, api, options.user_id, options.first_name, options.language or None
        )

    async def handle(self, line: str, write: Callable[[str], object]) -> bool:
        """Act on one input line; False when the user wants to leave."""
        text = line.rstrip("\r\n")
        if text.strip() in ("/quit", "/exit"):
            return False
        if not text.strip():
            return True
        if self.options.echo:
            write(f"\n{self.options.hints['you']} {text}")
        if text.strip() == "?":
            write(self.options.hints["help"])
            return True
        tap = _TAP_RE.fullmatch(text.strip())
        if text.strip().lower().startswith("/warp"):
            write(self.warp(text.strip()))
        elif tap is not None:
            message_id = int(tap.group(2)) if tap.group(2) else None
            hint = await self.tap(int(tap.group(1)), message_id)
            if hint:
                write(hint)
        else:
            await self.user.send(text[1:] if text.startswith("'") else text)
        await self.settle()
        return True

    async def tap(self, number: int, message_id: int | None) -> str | None:
        """Press button `number` of a message; a hint instead when there is no such button."""
        hints = self.options.hints
        message = self._keyboard_message(message_id)
        if message is None:
            key = "no_keyboard" if message_id is None else "no_message"
            return hints[key].format(n=number, msg=message_id)
        buttons = [button for row in message.reply_markup for button in row]
        if number == 0:
            return hints["zero"].format(n=number)
        if number > len(buttons):
            return hints["range"].format(msg=message.message_id, count=len(buttons), n=number)
        button = buttons[number - 1]
        if button.callback_data is None:
            url = button.url or (button.raw.get("web_app") or {}).get("url")
            return hints["link" if url else "unsupported"].format(n=number, url=url)
        await self.user.tap_data(button.callback_data, message=message)
        return None

    def warp(self, command: str) -> str:
        """Move the bot's clock ahead; what became due is sent by the following settle()."""
        hints = self.options.hints
        match = _WARP_RE.fullmatch(command)
        if match is None or int(match.group(1)) == 0:
            return hints["warp_usage"]
        self.clock.ahead += dt.timedelta(**{_UNITS[match.group(2).lower()]: int(match.group(1))})
        now = self.clock().astimezone(self.app.bot_data.settings.tz)
        return hints["warp"].format(
            now=now.strftime("%d.%m.%Y %H:%M"), total=_span(self.clock.ahead)
        )

    def _keyboard_message(self, message_id: int | None) -> SentMessage | None:
        for message in reversed(self.user.messages):
            if message.reply_markup and message_id in (None, message.message_id):
                return message
        return None

    async def settle(self) -> None:
        """Let the dispatcher send what the input made due (notifications, confirmations)."""
        try:
            await self.app.bot_data.dispatcher.drain()
        except Exception:
            logger.exception("Sending the queued messages failed")


def _span(delta: dt.timedelta) -> str:
    """A duration as 7d 3h 20m."""
    minutes = int(delta.total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    parts = [f"{days}d"] if days else []
    parts += [f"{rest // 60}h"] if rest // 60 else []
    parts += [f"{rest % 60}m"] if rest % 60 else []
    return " ".join(parts) or "0m"


async def chat(settings: Settings, options: ChatOptions, write: Callable[[str], object]) -> int:
    """Run the bot as `run` does, but on the in-process Bot API, talking to stdin/stdout."""
    from bot.app import build_application, stop_and_shut_down

    settings = offline_settings(settings)
    api = FakeBotApi()
    clock = PlaygroundClock()
    app = build_application(settings, request=api, clock=clock)
    renderer = Renderer(
        api,
        options.user_id,
        write,
        files_dir=options.files_dir,
        language=options.language,
        ansi=options.ansi,
    )
    api.observers.append(renderer.observe)
    # The order of Application.run_polling, without the polling.
    await app.initialize()
    try:
        if app.post_init is not None:
            await app.post_init(app)
        queued = (await app.bot_data.outbox.count_by_state()).get("pending", 0)
        await app.start()
        admin = options.hints["admin"] if options.user_id in settings.admins else ""
        write(
            options.hints["banner"].format(
                db=settings.db_path,
                name=options.first_name,
                user=options.user_id,
                admin=admin,
                lang=options.language,
            )
        )
        if queued:
            write(html.unescape(tn(options.language, "playground.queued", queued)))
        playground = Playground(app, api, options, clock)
        lines = _stdin_lines()
        while (line := await _next_line(lines, options)) is not None:
            if not await playground.handle(line, write):
                break
        write(options.hints["bye"])
    finally:
        await stop_and_shut_down(app)
    return 0


async def _next_line(lines: asyncio.Queue[str | None], options: ChatOptions) -> str | None:
    """The next input line, after a prompt in a terminal."""
    if options.prompt:
        sys.stdout.write(f"\n{options.hints['you']} ")
        sys.stdout.flush()
    return await lines.get()


def _stdin_lines() -> asyncio.Queue[str | None]:
    """Lines from stdin (a terminal or a pipe) read by a daemon thread; None at end of input."""
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[str | None] = asyncio.Queue()

    def put(item: str | None) -> None:
        with contextlib.suppress(RuntimeError):  # a closed loop: the session is over
            loop.call_soon_threadsafe(queue.put_nowait, item)

    def pump() -> None:
        for line in iter(sys.stdin.readline, ""):
            put(line)
        put(None)

    threading.Thread(target=pump, name="stdin", daemon=True).start()
    return queue
