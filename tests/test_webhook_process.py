"""Webhook mode as a new operator would try it: the real `ideenlabor run --webhook` process.

The bot finds "Telegram" (the HTTP Bot API emulator) through TELEGRAM_API_BASE_URL and registers
its webhook there; the test then plays Telegram's side of the webhook and posts updates to the
bot's listen address directly (in production a TLS reverse proxy sits in between, since
Telegram only posts to HTTPS). Finally the bot is started again without --webhook: it deletes the
webhook and polls, and gets the update that waited meanwhile.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable

import httpx
import pytest
from botapi_server import WEBHOOK_ACTIVE, BotApiEmulator
from telegram import Bot
from telegram.error import BadRequest, Conflict

from bot.webhook import SECRET_HEADER
from storage.migrate import available_migrations

from stories.mail import free_port
from stories.processes import (
    MAIN_MENU_DE,
    START_TIMEOUT,
    STEP_TIMEOUT,
    TOKEN,
    USER,
    BotProcess,
    has_menu,
    run_python,
    stop_cleanly,
)

pytestmark = pytest.mark.process  # starts the bot or a server (see conftest.py)

URL = "https://bot.example.org/telegram"
SECRET = "wh_Secret-0123456789abcdefABCDEF"
WRONG = "wh_Guess-9999"
STOP_WITHIN = 5.0  # seconds from SIGTERM to exit


def wait_for_log(bot: BotProcess, pattern: str, timeout: float = START_TIMEOUT) -> re.Match[str]:
    """The first match of pattern in the bot's output, waiting for it (fails at once if the bot
    died)."""
    deadline = time.monotonic() + timeout
    while True:
        found = re.search(pattern, bot.log())
        if found:
            return found
        bot.check_alive()
        if time.monotonic() > deadline:
            raise AssertionError(
                f"timed out after {timeout}s waiting for {pattern!r} in the "
                f"output of bot {bot.name}:\n{bot.log()}"
            )
        time.sleep(0.05)


@pytest.fixture
def bot_env() -> dict[str, str]:
    """The webhook settings of a new operator (IDEENLABOR_WEBHOOK itself is not set: --webhook
    chooses the mode)."""
    return {
        "IDEENLABOR_WEBHOOK_URL": URL,
        "IDEENLABOR_WEBHOOK_LISTEN": "127.0.0.1",
        "IDEENLABOR_WEBHOOK_PORT": str(free_port()),
        "IDEENLABOR_WEBHOOK_SECRET": SECRET,
    }


def test_webhook_process_end_to_end(
    emulator: BotApiEmulator, launch: Callable[..., BotProcess]
) -> None:
    emu = emulator
    emu.user(USER, "Erika", language_code="de")
    began = time.monotonic()

    # 1. start: the webhook is registered with the URL and the secret, then the server listens
    listening: list[int] = []

    def serving(bot: BotProcess) -> None:
        found = wait_for_log(bot, r"Webhook server listening on 127\.0\.0\.1:(\d+) for (\S+)")
        assert found[2].rstrip('"') == URL, found[0]
        listening.append(int(found[1]))

    webhook_bot = launch("--webhook", ready=serving)
    port = listening[0]
    assert [(c.params["url"], c.params.get("secret_token")) for c in emu.calls("setWebhook")] == [
        (URL, SECRET)
    ]
    assert emu.webhook["url"] == URL and emu.webhook["secret_token"] == SECRET
    assert emu.calls("getUpdates") == [] and emu.calls("deleteWebhook") == []
    endpoint = f"http://127.0.0.1:{port}/telegram"

    with httpx.Client(timeout=STEP_TIMEOUT) as http:
        # 2. Telegram posts /start with the secret token: 200, and the welcome goes out
        answer = http.post(
            endpoint, json=emu.message_update(USER, "/start"), headers={SECRET_HEADER: SECRET}
        )
        assert (answer.status_code, answer.json()) == (200, {"ok": True})
        welcome = emu.wait_for(USER, "Willkommen beim Ideenlabor-Bot!", STEP_TIMEOUT)
        assert welcome.text.startswith("Willkommen beim Ideenlabor-Bot!")
        assert has_menu(welcome, MAIN_MENU_DE), welcome.labels()
        emu.wait_for(USER, lambda m: m.text.startswith("📰 Neuigkeiten"), STEP_TIMEOUT)  # once
        sent = len(emu.events(USER))

        # 3. without the header, or with a wrong token: 403, and the update is not handled
        for headers in ({}, {SECRET_HEADER: WRONG}):
            answer = http.post(endpoint, json=emu.message_update(USER, "/start"), headers=headers)
            assert answer.status_code == 403, (headers, answer.text)
            assert answer.json() == {"ok": False, "error": "forbidden"}
        # a signed update after them is answered, and it is the only thing sent since
        answer = http.post(
            endpoint, json=emu.message_update(USER, "Lünen"), headers={SECRET_HEADER: SECRET}
        )
        assert answer.status_code == 200
        found = emu.wait_for(USER, lambda m: True, STEP_TIMEOUT, kinds=["send"])
        assert found.text == "Ihre Region für Lünen (Kreis Unna): Westfälisches Ruhrgebiet"
        assert len(emu.events(USER)) == sent + 1, emu.describe(USER)
        rejected = [
            line for line in webhook_bot.log().splitlines() if "Rejected webhook request" in line
        ]
        assert len(rejected) == 2, webhook_bot.log()
        assert all(" WARNING " in line and "127.0.0.1" in line for line in rejected), rejected
        assert "no secret token" in rejected[0] and "wrong secret token" in rejected[1]

        # 4. the health check
        health = http.get(f"http://127.0.0.1:{port}/healthz")
        assert health.status_code == 200
        assert health.headers["Content-Type"].startswith("application/json")
        assert health.json() == {
            "ok": True,
            "db": "ok",
            "schema_version": available_migrations()[-1].version,
        }

    # 5. SIGTERM: a clean exit with 0, quickly; Telegram keeps the webhook
    emu.watchdog = None
    stopping = time.monotonic()
    assert webhook_bot.terminate() == 0, webhook_bot.log()
    assert time.monotonic() - stopping < STOP_WITHIN
    log = webhook_bot.log()
    assert SECRET not in log and WRONG not in log, "a secret token was logged"
    assert "Traceback" not in log and " ERROR " not in log, log
    assert "Webhook server stopped" in log and "Application.stop() complete" in log
    with pytest.raises(httpx.TransportError):  # nobody listens any more
        httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2)
    assert emu.webhook["url"] == URL

    # meanwhile the user writes again: Telegram holds the update for the webhook
    emu.push_command(USER, "start")
    info = httpx.get(f"{emu.base_url}/bot{TOKEN}/getWebhookInfo", timeout=STEP_TIMEOUT).json()
    assert info["result"]["url"] == URL and info["result"]["pending_update_count"] == 1

    # 6. polling again (no --webhook): deleteWebhook first, then getUpdates works
    calls_before = len(emu.calls())
    polling_bot = launch()  # returns once a getUpdates long poll is waiting
    methods = [c.method for c in emu.calls()[calls_before:]]
    assert "deleteWebhook" in methods and "getUpdates" in methods, methods
    assert methods.index("deleteWebhook") < methods.index("getUpdates"), methods
    assert emu.webhook == {}
    assert emu.conflicts == [], "\n".join(map(str, emu.conflicts))
    again = emu.wait_for(USER, "Willkommen", STEP_TIMEOUT)  # the update that waited
    assert again.text.startswith("Willkommen beim Ideenlabor-Bot!")
    stop_cleanly(emu, polling_bot)
    assert len(emu.calls("setWebhook")) == 1
    took = time.monotonic() - began
    print(f"webhook process test took {took:.1f} s")


def test_webhook_refused_by_telegram_is_a_configuration_error(
    emulator: BotApiEmulator, run_env: dict[str, str]
) -> None:
    """A URL Telegram will not post to (here: port 8080) is explained in one line, exit 2 —
    not as 'cannot reach the Bot API'."""
    env = {**run_env, "IDEENLABOR_WEBHOOK_URL": "https://bot.example.org:8080/telegram"}
    result = run_python("-m", "bot", "run", "--webhook", env=env, timeout=30)
    assert result.returncode == 2, result.stderr
    last = result.stderr.strip().splitlines()[-1]
    assert last == (
        "ideenlabor: configuration error: Telegram refused IDEENLABOR_WEBHOOK_URL "
        "https://bot.example.org:8080/telegram: Bad webhook: webhook can be set up only on "
        "ports 80, 88, 443 or 8443"
    ), result.stderr
    assert "Traceback" not in result.stderr and SECRET not in result.stderr
    assert [c.status for c in emulator.calls("setWebhook")] == [400]
    assert emulator.webhook == {}


async def test_emulator_webhook_methods_behave_like_telegram(emulator: BotApiEmulator) -> None:
    """setWebhook, getWebhookInfo, deleteWebhook and the 409 of getUpdates, as Telegram has them
    (so that 'no conflicts' above means something)."""
    emu = emulator
    root = emu.base_url
    async with Bot(TOKEN, base_url=f"{root}/bot", base_file_url=f"{root}/file/bot") as bot:
        assert (await bot.get_webhook_info()).url == ""
        assert await bot.get_updates(timeout=0) == ()

        assert await bot.set_webhook(
            URL, secret_token=SECRET, max_connections=10, allowed_updates=["message"]
        )
        assert emu.webhook["url"] == URL and emu.webhook["secret_token"] == SECRET
        emu.push_command(USER, "start")
        info = await bot.get_webhook_info()
        assert (info.url, info.pending_update_count, info.max_connections) == (URL, 1, 10)
        assert info.allowed_updates == ("message",)
        with pytest.raises(Conflict, match="can't use getUpdates method while webhook is active"):
            await bot.get_updates(timeout=0)
        assert emu.conflicts[-1].description == WEBHOOK_ACTIVE

        rejected = [
            (
                lambda: bot.set_webhook("http://bot.example.org/telegram", secret_token=SECRET),
                "bad webhook: An HTTPS URL must be provided for webhook",
            ),
            (
                lambda: bot.set_webhook("bot.example.org/telegram"),
                "bad webhook: An HTTPS URL must be provided for webhook",
            ),
            (
                lambda: bot.set_webhook("https://bot.example.org:8080/telegram"),
                "bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443",
            ),
            (
                lambda: bot.set_webhook(URL, secret_token="with space"),
                "secret token contains unallowed characters",
            ),
            (
                lambda: bot.set_webhook(URL, secret_token="x" * 257),
                "secret token is too long",
            ),
        ]
        for call, expected in rejected:
            with pytest.raises(BadRequest, match=f"(?i){re.escape(expected)}"):
                await call()
        assert emu.webhook["url"] == URL  # a refused change leaves the webhook as it was
        assert await bot.set_webhook("https://bot.example.org:8443/t", secret_token="x" * 256)

        assert await bot.delete_webhook()
        assert emu.webhook == {}
        assert (await bot.get_webhook_info()).url == ""
        updates = await bot.get_updates(timeout=0)  # the pending update was kept
        assert [u.message.text for u in updates if u.message] == ["/start"]

        await bot.set_webhook(URL)
        assert emu.webhook["url"] == URL and emu.webhook["secret_token"] is None
        assert await bot.set_webhook("")  # an empty URL removes the webhook, as deleteWebhook
        assert emu.webhook == {}
