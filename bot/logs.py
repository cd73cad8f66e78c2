"""Structured logs: one line per event, `key=value` after time, level and logger.

People appear only as pseudonyms: HMAC-SHA256 of the id with a per-installation secret
(IDEENLABOR_LOG_SECRET, else derived from the bot token), cut to 12 hex digits — stable within
one installation so that one person's updates can be followed, but not reversible.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import logging
import re
import time
from typing import Any

from telegram import Update
from telegram.ext import Application

UPDATE_LOGGER = "bot.updates"
_BARE = re.compile(r"^[A-Za-z0-9_./:@+-]+$")


def quote(value: object) -> str:
    """A value as it appears after `key=`: bare if safe, else in double quotes, one line."""
    text = str(value)
    if _BARE.match(text):
        return text
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + escaped.replace("\n", "\\n").replace("\r", "\\r") + '"'


class KeyValueFormatter(logging.Formatter):
    """`2026-11-25T10:00:00.123Z INFO bot.app msg="…" key=value …` — one line per record.

    Fields come from `extra={"fields": {...}}`; a traceback becomes `exc="…"` on the same line.
    """

    def format(self, record: logging.LogRecord) -> str:
        moment = dt.datetime.fromtimestamp(record.created, dt.UTC)
        parts = [
            moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z",
            record.levelname,
            record.name,
            f"msg={quote(record.getMessage())}",
        ]
        fields: dict[str, Any] = getattr(record, "fields", None) or {}
        parts += [f"{key}={quote(value)}" for key, value in fields.items()]
        if record.exc_info:
            parts.append(f"exc={quote(self.formatException(record.exc_info))}")
        elif record.exc_text:
            parts.append(f"exc={quote(record.exc_text)}")
        return " ".join(parts)


class Pseudonymizer:
    """Keyed, truncated hashes of ids for the logs."""

    def __init__(self, secret: bytes) -> None:
        self._secret = secret

    @classmethod
    def from_settings(cls, log_secret: str | None, token: str | None) -> Pseudonymizer:
        """The configured secret, else one derived from the bot token (never logged)."""
        if log_secret:
            return cls(log_secret.encode())
        material = (token or "ideenlabor").encode()
        return cls(hmac.new(material, b"ideenlabor log pseudonyms", hashlib.sha256).digest())

    def __call__(self, value: int | None) -> str:
        if value is None:
            return "-"
        digest = hmac.new(self._secret, str(value).encode(), hashlib.sha256).hexdigest()
        return digest[:12]


_installed: Pseudonymizer = Pseudonymizer.from_settings(None, None)


def install(pseudonym: Pseudonymizer) -> None:
    """Use this installation's pseudonyms for `person()` (build_application calls it)."""
    global _installed
    _installed = pseudonym


class person:  # noqa: N801 (reads as a function in log calls)
    """A user or chat id in a log line, shown as its pseudonym (computed only if logged)."""

    __slots__ = ("_id",)

    def __init__(self, user_id: int | None) -> None:
        self._id = user_id

    def __str__(self) -> str:
        return _installed(self._id)


def update_kind(update: object) -> str:
    """What an update is, without its content: `command:/start`, `text`, `callback`, …"""
    if not isinstance(update, Update):
        return type(update).__name__
    message = update.message
    if message is not None:
        text = message.text or ""
        if text.startswith("/"):
            return "command:" + text.split()[0].split("@")[0][:33]
        if message.text is not None:
            return "text"
        return "message:" + next(
            (kind for kind in ("photo", "document", "sticker", "voice", "location", "contact")
             if getattr(message, kind)),
            "other",
        )
    if update.callback_query is not None:
        return "callback"
    for kind in ("edited_message", "my_chat_member", "channel_post", "inline_query"):
        if getattr(update, kind) is not None:
            return kind
    return "other"


class LoggingApplication(Application):  # type: ignore[type-arg]
    """An Application that logs one line per processed update (ids pseudonymised)."""

    def __init__(self, *, pseudonym: Pseudonymizer, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.pseudonym = pseudonym

    async def process_error(
        self,
        update: object | None,
        error: Exception,
        job: Any = None,
        coroutine: Any = None,
    ) -> bool:
        """Run the error handlers; an update whose handler failed goes to no later group.

        python-telegram-bot would otherwise let the next group's handler answer the same update
        (the region finder reading a failed dialogue step as a place name). True stops them.
        """
        stopped = await super().process_error(update, error, job, coroutine)
        return stopped or update is not None

    async def process_update(self, update: object) -> None:
        """Process as usual, then log kind and duration."""
        started = time.perf_counter()
        try:
            await super().process_update(update)
        finally:
            logger = logging.getLogger(UPDATE_LOGGER)
            if logger.isEnabledFor(logging.INFO):
                user = update.effective_user if isinstance(update, Update) else None
                logger.info(
                    "update processed",
                    extra={
                        "fields": {
                            "update": self.pseudonym(
                                update.update_id if isinstance(update, Update) else None
                            ),
                            "user": self.pseudonym(user.id if user else None),
                            "kind": update_kind(update),
                            "ms": f"{(time.perf_counter() - started) * 1000:.1f}",
                        }
                    },
                )


def configure(level: str) -> None:
    """Key=value lines on stderr at the configured level (third-party chatter kept down)."""
    root = logging.getLogger()
    root.setLevel(level)
    for handler in root.handlers:
        handler.setFormatter(KeyValueFormatter())
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    logging.getLogger("tornado.access").setLevel(logging.WARNING)
