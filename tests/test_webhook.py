"""Webhook mode with real HTTP requests on 127.0.0.1; the in-process fake plays Telegram."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from bot.app import build_application
from bot.cli import main
from bot.config import Settings
from bot.offline.fake_api import FakeBotApi
from bot.offline.fake_user import UpdateFactory
from bot.webhook import SECRET_HEADER, run_webhook, serving, webhook_path
from storage.migrate import available_migrations

from conftest import FakeClock
from stories.imports import command_line

SECRET = "s3cr3t_Token-for-the-webhook"
URL = "https://bot.example.org/telegram/hook"


@pytest.fixture
async def served(
    settings: Settings, clock: FakeClock
) -> AsyncIterator[tuple[FakeBotApi, httpx.AsyncClient]]:
    """The bot in webhook mode on an ephemeral port, and an HTTP client pointed at it."""
    configured = Settings(
        _env_file=None,
        TELEGRAM_BOT_TOKEN=settings.telegram_bot_token,
        IDEENLABOR_DB=settings.db_path,
        IDEENLABOR_WEBHOOK="true",
        IDEENLABOR_WEBHOOK_URL=URL,
        IDEENLABOR_WEBHOOK_SECRET=SECRET,
        IDEENLABOR_WEBHOOK_PORT="0",
    )
    api = FakeBotApi()
    app = build_application(configured, request=api, clock=clock)
    async with serving(app, configured) as where:
        base = f"http://{where.address}:{where.port}"
        async with httpx.AsyncClient(base_url=base, timeout=10) as client:
            yield api, client
    api.assert_no_errors()


async def _wait_for_reply(api: FakeBotApi, chat_id: int) -> None:
    for _ in range(200):
        if api.messages(chat_id):
            return
        await asyncio.sleep(0.02)
    raise AssertionError("the bot did not reply")


@pytest.mark.process
async def test_webhook_is_registered_with_the_secret(
    served: tuple[FakeBotApi, httpx.AsyncClient],
) -> None:
    api, _ = served
    assert api.webhook["url"] == URL
    assert api.webhook["secret_token"] == SECRET


@pytest.mark.process
async def test_a_signed_update_is_processed(
    served: tuple[FakeBotApi, httpx.AsyncClient],
) -> None:
    api, client = served
    factory = UpdateFactory(api)
    update = factory.command(factory.user(4711), "start")
    answer = await client.post(webhook_path(URL), json=update, headers={SECRET_HEADER: SECRET})
    assert answer.status_code == 200
    await _wait_for_reply(api, 4711)
    assert "Ideenlabor" in api.messages(4711)[0].text


@pytest.mark.process
@pytest.mark.parametrize("headers", [{}, {SECRET_HEADER: "wrong"}, {SECRET_HEADER: ""}])
async def test_unsigned_or_wrongly_signed_requests_get_403(
    served: tuple[FakeBotApi, httpx.AsyncClient],
    headers: dict[str, str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    api, client = served
    factory = UpdateFactory(api)
    update = factory.command(factory.user(4712), "start")
    with caplog.at_level(logging.WARNING, logger="bot.webhook"):
        answer = await client.post(webhook_path(URL), json=update, headers=headers)
    assert answer.status_code == 403
    assert "Rejected webhook request" in caplog.text
    assert SECRET not in caplog.text
    await asyncio.sleep(0.1)
    assert api.messages(4712) == []


@pytest.mark.process
async def test_garbage_is_refused(served: tuple[FakeBotApi, httpx.AsyncClient]) -> None:
    _, client = served
    headers = {SECRET_HEADER: SECRET}
    answer = await client.post(
        webhook_path(URL), content=b"[1, 2", headers={**headers, "Content-Type": "application/json"}
    )
    assert answer.status_code == 400
    answer = await client.post(webhook_path(URL), content=b"x=1", headers=headers)
    assert answer.status_code == 415


@pytest.mark.process
async def test_healthz(served: tuple[FakeBotApi, httpx.AsyncClient]) -> None:
    _, client = served
    answer = await client.get("/healthz")
    assert answer.status_code == 200
    assert answer.json() == {
        "ok": True,
        "db": "ok",
        "schema_version": available_migrations()[-1].version,
    }
    assert (await client.get("/healthz", params={"x": 1})).status_code == 200
    assert (await client.get(webhook_path(URL))).status_code == 405


def test_webhook_path() -> None:
    assert webhook_path("https://bot.example.org/telegram/") == "/telegram"
    assert webhook_path("https://bot.example.org") == "/"


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ({}, "IDEENLABOR_WEBHOOK_URL is not set"),
        ({"IDEENLABOR_WEBHOOK_URL": URL}, "IDEENLABOR_WEBHOOK_SECRET is not set"),
        (
            {"IDEENLABOR_WEBHOOK_URL": URL, "IDEENLABOR_WEBHOOK_SECRET": "no spaces allowed"},
            "IDEENLABOR_WEBHOOK_SECRET: must be 1 to 256 characters",
        ),
        (
            {"IDEENLABOR_WEBHOOK_URL": URL, "IDEENLABOR_WEBHOOK_SECRET": "x" * 257},
            "IDEENLABOR_WEBHOOK_SECRET: must be 1 to 256 characters",
        ),
        (
            {"IDEENLABOR_WEBHOOK_URL": "http://bot.example.org", "IDEENLABOR_WEBHOOK_SECRET": "ok"},
            "IDEENLABOR_WEBHOOK_URL: 'http://bot.example.org' must start with https://",
        ),
    ],
)
def test_webhook_configuration_errors_exit_2(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    extra: dict[str, str],
    expected: str,
) -> None:
    command_line(monkeypatch, tmp_path, tmp_path / "x.sqlite3")
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123456:TEST-TOKEN-abcdefghij")
    for name, value in extra.items():
        monkeypatch.setenv(name, value)
    assert main(["run", "--webhook"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and expected in err[0], err


@pytest.mark.process
async def test_sigterm_stops_the_server_cleanly(settings: Settings, clock: FakeClock) -> None:
    import os
    import signal
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    configured = Settings(
        _env_file=None,
        TELEGRAM_BOT_TOKEN=settings.telegram_bot_token,
        IDEENLABOR_DB=settings.db_path,
        IDEENLABOR_WEBHOOK_URL=URL,
        IDEENLABOR_WEBHOOK_SECRET=SECRET,
        IDEENLABOR_WEBHOOK_PORT=str(port),
    )
    app = build_application(configured, request=FakeBotApi(), clock=clock)
    task = asyncio.create_task(run_webhook(app, configured))
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=5) as client:
        for _ in range(200):
            try:
                if (await client.get("/healthz")).status_code == 200:
                    break
            except httpx.TransportError:
                await asyncio.sleep(0.02)
        else:
            raise AssertionError("the webhook server did not come up")
        os.kill(os.getpid(), signal.SIGTERM)
        await asyncio.wait_for(task, 10)
        with pytest.raises(httpx.TransportError):
            await client.get("/healthz")
    assert not app.running and app.bot_data.detach() is None  # database closed


@pytest.mark.process
def test_a_taken_port_is_one_line(
    tmp_path: Path,
    db_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    import socket

    from bot import app as app_module

    command_line(monkeypatch, tmp_path, db_path)
    api = FakeBotApi()
    real_build = app_module.build_application
    monkeypatch.setattr(app_module, "build_application", lambda s, **kw: real_build(s, request=api))
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        for name, value in {
            "TELEGRAM_BOT_TOKEN": "123456:TEST-TOKEN-abcdefghij",
            "IDEENLABOR_WEBHOOK_URL": URL,
            "IDEENLABOR_WEBHOOK_SECRET": SECRET,
            "IDEENLABOR_WEBHOOK_PORT": str(port),
        }.items():
            monkeypatch.setenv(name, value)
        assert main(["run", "--webhook"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].startswith(f"ideenlabor: cannot serve the webhook on 127.0.0.1:{port}")
