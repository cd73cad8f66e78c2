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


class person:
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
            (
                kind
                for kind in ("photo", "document", "sticker", "voice", "location", "contact")
                if getattr(message, kind)
            ),
            "other",
        )
    if update.callback_query is not None:
        return "callback"
    for kind in ("edited_message", "my_chat_member", "channel_post", "inline_query"):
        if getattr(update, kind) is not None:
            return kind
    return "other"


# Any: the typed alias (bot.context.App) lives a layer above this module.
class LoggingApplication(Application[Any, Any, Any, Any, Any, Any]):
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


# Our packages: their debug lines name people only as pseudonyms and never quote texts.
OUR_PACKAGES = frozenset({"bot", "handlers", "storage", "messages", "__main__"})
# Libraries and the least they log at unless IDEENLABOR_LOG_LIBRARIES=DEBUG. Their debug lines
# carry what we keep out of the log: python-telegram-bot's every Bot API call and update with
# ids, names and texts (and setWebhook's secret token), aiosqlite's every statement with its
# parameters, httpx/httpcore/hpack/h2 request lines and headers. httpx's INFO line per request,
# APScheduler's per job and tornado's access log are noise at INFO: WARNING for them.
LIBRARY_FLOORS = {
    "telegram": logging.INFO,
    "httpx": logging.WARNING,
    "httpcore": logging.INFO,
    "hpack": logging.INFO,
    "h2": logging.INFO,
    "aiosqlite": logging.INFO,
    "aiosmtplib": logging.INFO,
    "aiolimiter": logging.INFO,
    "apscheduler": logging.WARNING,
    "tornado": logging.INFO,
    "tornado.access": logging.WARNING,
    "asyncio": logging.INFO,
    "PIL": logging.INFO,
}
_EMAIL = re.compile(
    r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,63}"
)


class Redactor:
    """Replaces secrets (by their setting's name) and e-mail addresses in a log line."""

    def __init__(self, secrets: dict[str, str]) -> None:
        # Longest first: a secret that contains another is replaced as a whole.
        pairs = [(value, f"<{name}>") for name, value in secrets.items() if value]
        self._secrets = sorted(pairs, key=lambda pair: len(pair[0]), reverse=True)

    def __call__(self, text: str) -> str:
        for value, label in self._secrets:
            text = text.replace(value, label)
        return _EMAIL.sub("<e-mail>", text)


class RedactingFormatter(logging.Formatter):
    """Formats with another formatter, then redacts (messages and tracebacks alike)."""

    def __init__(self, base: logging.Formatter | None, redact: Redactor) -> None:
        super().__init__()
        self._base = base or logging.Formatter()
        self._redact = redact

    def format(self, record: logging.LogRecord) -> str:
        return self._redact(self._base.format(record))


class LibraryFilter(logging.Filter):
    """Drops records below a level from loggers that are not ours (and not listed above)."""

    def __init__(self, level: int) -> None:
        super().__init__()
        self._level = level

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno >= self._level or record.name.split(".")[0] in OUR_PACKAGES


def configure(
    level: str, *, libraries: str = "INFO", secrets: dict[str, str] | None = None
) -> None:
    """Key=value lines at the configured level; libraries at INFO or above unless `libraries`
    says otherwise; secrets (name → value) and e-mail addresses redacted in every line."""
    root = logging.getLogger()
    root.setLevel(level)
    ours = logging.getLevelName(level)
    floor = logging.getLevelName(libraries)
    redact = Redactor(secrets or {})
    for handler in root.handlers:
        handler.setFormatter(RedactingFormatter(KeyValueFormatter(), redact))
        for old in [f for f in handler.filters if isinstance(f, LibraryFilter)]:
            handler.removeFilter(old)
        handler.addFilter(LibraryFilter(floor))
    for name, least in LIBRARY_FLOORS.items():
        # A library's own level decides alone (the root's does not filter what propagates):
        # never below ours, nor below its floor unless library debugging was asked for.
        logging.getLogger(name).setLevel(max(ours, floor, least if floor > logging.DEBUG else 0))
