"""Webhook mode: Telegram posts updates to us; a secret token guards them; GET /healthz.

PTB's own run_webhook checks the secret token but has no health route, so this follows PTB's
"custom webhook" pattern on tornado (PTB's webhook server): the Application is started by hand
and updates go into its update_queue.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import signal
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any
from urllib.parse import urlsplit

import tornado.httpserver
import tornado.netutil
import tornado.web
from telegram import Update
from telegram.error import BadRequest

from bot.app import stop_and_shut_down
from bot.config import ConfigError, Settings, require_webhook
from bot.context import App
from storage.migrate import schema_version

logger = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
HEALTH_PATH = "/healthz"


def webhook_path(url: str) -> str:
    """The path Telegram posts to, taken from the public webhook URL ('/' if it has none)."""
    path = urlsplit(url).path.rstrip("/")
    return path or "/"


class _Base(tornado.web.RequestHandler):
    """Shared set-up: the application, JSON answers, no tornado access log."""

    def initialize(self, app: App, secret: str) -> None:
        self.app = app
        self.secret = secret

    def answer(self, status: HTTPStatus, body: dict[str, Any]) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.finish(json.dumps(body))


class UpdateHandler(_Base):
    """POST of one update by Telegram; 403 without the right secret token."""

    SUPPORTED_METHODS = ("POST",)

    async def post(self) -> None:
        given = self.request.headers.get(SECRET_HEADER)
        if given is None or not hmac.compare_digest(given.encode(), self.secret.encode()):
            logger.warning(
                "Rejected webhook request from %s: %s secret token",
                self.request.remote_ip,
                "no" if given is None else "wrong",
            )
            self.answer(HTTPStatus.FORBIDDEN, {"ok": False, "error": "forbidden"})
            return
        content_type = self.request.headers.get("Content-Type", "")
        if content_type.split(";")[0].strip().lower() != "application/json":
            self.answer(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, {"ok": False, "error": "not JSON"})
            return
        try:
            data = json.loads(self.request.body)
            update = Update.de_json(data, self.app.bot)
        except Exception:  # anything Telegram would never send
            logger.warning("Rejected webhook request: the body is not an update")
            self.answer(HTTPStatus.BAD_REQUEST, {"ok": False, "error": "not an update"})
            return
        await self.app.update_queue.put(update)
        self.answer(HTTPStatus.OK, {"ok": True})


class HealthHandler(_Base):
    """GET /healthz: 200 with the schema version when the database answers, else 503."""

    SUPPORTED_METHODS = ("GET",)

    async def get(self) -> None:
        try:
            version = await schema_version(self.app.bot_data.db)
        except Exception as exc:  # the reason goes to the log, not to the caller
            logger.error("Health check failed: %s", exc)
            self.answer(HTTPStatus.SERVICE_UNAVAILABLE, {"ok": False, "db": "error"})
            return
        self.answer(HTTPStatus.OK, {"ok": True, "db": "ok", "schema_version": version})


class _Tornado(tornado.web.Application):
    def log_request(self, handler: tornado.web.RequestHandler) -> None:
        """Our own log lines only (rejections are logged by the handler)."""


def make_web_app(app: App, path: str, secret: str) -> tornado.web.Application:
    """The two routes: the webhook path and /healthz."""
    shared = {"app": app, "secret": secret}
    return _Tornado([(HEALTH_PATH, HealthHandler, shared), (path, UpdateHandler, shared)])


@dataclass(frozen=True)
class Listening:
    """Where the webhook server listens (the port is the real one when 0 was asked)."""

    address: str
    port: int


@asynccontextmanager
async def serving(app: App, settings: Settings) -> AsyncIterator[Listening]:
    """Start the application, set the webhook, listen; undo all of it on exit.

    Mirrors the order of run_polling: initialize, post_init, start ... stop, post_stop,
    shutdown, post_shutdown.
    """
    url, secret = require_webhook(settings)
    await app.initialize()
    server: tornado.httpserver.HTTPServer | None = None
    try:
        if app.post_init is not None:
            await app.post_init(app)
        try:
            await app.bot.set_webhook(
                url, secret_token=secret, allowed_updates=Update.ALL_TYPES, max_connections=40
            )
        except BadRequest as exc:  # Telegram's refusal is about our setting, not the network
            raise ConfigError(
                f"Telegram refused IDEENLABOR_WEBHOOK_URL {url}: {exc.message}"
            ) from None
        await app.start()
        sockets = tornado.netutil.bind_sockets(
            settings.webhook_port, settings.webhook_listen, reuse_port=False
        )
        server = tornado.httpserver.HTTPServer(make_web_app(app, webhook_path(url), secret))
        server.add_sockets(sockets)
        port = int(sockets[0].getsockname()[1])
        logger.info("Webhook server listening on %s:%s for %s", settings.webhook_listen, port, url)
        yield Listening(settings.webhook_listen, port)
    finally:
        if server is not None:
            server.stop()
            await server.close_all_connections()
        await stop_and_shut_down(app)


async def run_webhook(app: App, settings: Settings) -> None:
    """Serve until SIGINT or SIGTERM."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with suppress(NotImplementedError):  # not on Windows
            loop.add_signal_handler(sig, stop.set)
    try:
        async with serving(app, settings):
            await stop.wait()
    finally:
        for sig in (signal.SIGINT, signal.SIGTERM):
            with suppress(NotImplementedError):
                loop.remove_signal_handler(sig)
    logger.info("Webhook server stopped")
