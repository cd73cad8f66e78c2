"""The bot as a process against the HTTP Bot API emulator, shared by the process tests.

A pytest plugin (conftest.py names it in `pytest_plugins`): its fixtures `emulator`, `bot_env`,
`run_env` and `launch` serve every test module.
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any

import pytest
from botapi_server import BotApiEmulator, BotMessage

from conftest import EMU_TOKEN
from stories.privacy import filled

REPO = Path(__file__).resolve().parents[2]


TOKEN = EMU_TOKEN


USER = 4711  # a new user whose Telegram app is set to German


START_TIMEOUT = 30.0  # process start on a loaded machine: imports, migrations, shipped data


STEP_TIMEOUT = 15.0  # one answer of the bot


STOP_TIMEOUT = 10.0


MAIN_MENU_DE = [
    "🗺 Ideen nach Region",
    "🎯 Ideen nach Herausforderung",
    "📍 Meine Region finden",
    "🌐 Sprache / Language",
    "❓ Hilfe",
]


def clean_env(**extra: str) -> dict[str, str]:
    """os.environ without any TELEGRAM_* / IDEENLABOR_* setting of the developer, plus extra;
    the privacy notice filled in, as for going live (else `run` logs an error at start)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "IDEENLABOR_"))}
    env["IDEENLABOR_PRIVACY_NOTICE"] = _filled_notice()
    env.update(extra)
    return env


@functools.cache
def _filled_notice() -> str:
    folder = tempfile.TemporaryDirectory(prefix="ideenlabor-notice-")
    atexit.register(folder.cleanup)
    return filled(Path(folder.name))


class BotProcess:
    """`python -m bot run [args]` as a subprocess, its stdout+stderr in a log file."""

    def __init__(
        self, name: str, env: dict[str, str], log_path: Path, args: Sequence[str] = ()
    ) -> None:
        self.name = name
        self.log_path = log_path
        self._log: IO[bytes] = open(log_path, "wb")  # noqa: SIM115 - closed in close()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "bot", "run", *args],
            cwd=REPO,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )

    def log(self) -> str:
        """Everything the process printed so far."""
        if not self._log.closed:
            self._log.flush()
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def check_alive(self) -> None:
        """Fail at once (instead of timing out) if the bot died."""
        code = self.proc.poll()
        if code is not None:
            raise AssertionError(f"bot {self.name} exited with {code}; its output:\n{self.log()}")

    def kill(self) -> int:
        """SIGKILL, as in a crash or a pulled plug."""
        self.proc.send_signal(signal.SIGKILL)
        return self.proc.wait(STOP_TIMEOUT)

    def terminate(self) -> int:
        """SIGTERM, as systemd or docker stop sends; the exit status."""
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            raise AssertionError(
                f"bot {self.name} did not exit within {STOP_TIMEOUT}s of SIGTERM:\n{self.log()}"
            ) from None

    def close(self) -> None:
        """Make sure the process is gone and every handle is closed."""
        try:
            if self.proc.poll() is None:
                self.proc.kill()
            self.proc.wait(STOP_TIMEOUT)
        finally:
            self._log.close()


@contextlib.contextmanager
def bot_launcher(
    emulator: BotApiEmulator, env: dict[str, str], tmp_path: Path
) -> Iterator[Callable[..., BotProcess]]:
    """A `start()` that runs `python -m bot run` with env and waits until it polls.

    `start(*args, ready=...)` passes args (e.g. "--webhook") and waits with ready(bot) instead.
    Every process is closed at the end, and its output shown if the test failed.
    """
    started: list[BotProcess] = []

    def start(*args: str, ready: Callable[[BotProcess], None] | None = None) -> BotProcess:
        polls_before = emulator.poll_generation
        number = len(started) + 1
        bot = BotProcess(f"#{number}", env, tmp_path / f"bot-{number}.log", args)
        started.append(bot)
        emulator.watchdog = bot.check_alive
        if ready is None:
            emulator.wait_polling(START_TIMEOUT, after=polls_before)
        else:
            ready(bot)
        return bot

    try:
        yield start
    finally:
        close_bots(started, emulator)


def close_bots(started: Sequence[BotProcess], emulator: BotApiEmulator) -> None:
    """Close every bot (even if one close fails), then print their output and the emulator's
    (shown by pytest only if the test failed)."""
    emulator.watchdog = None
    with contextlib.ExitStack() as closing:
        for bot in started:
            closing.callback(bot.close)
    for bot in started:
        print(f"----- output of bot {bot.name} (exit {bot.proc.returncode}) -----")
        print(bot.log())
    print("----- emulator -----")
    print(emulator.describe())


def has_menu(message: BotMessage, menu: list[str]) -> bool:
    """The message offers the main menu's buttons in this order (new features may add more)."""
    labels = iter(message.labels())
    return all(any(label == wanted for label in labels) for wanted in menu)


class RecordingEmulator(BotApiEmulator):
    """The emulator, also noting when each event happened and the bytes of each document."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.event_times: list[float] = []  # wall clock of event #seq
        self.documents: dict[tuple[int, int], bytes] = {}  # (chat, message id) → file content

    def _record(self, kind: str, message: BotMessage) -> None:
        self.event_times.append(time.time())  # under the emulator's lock, like the event
        super()._record(kind, message)

    def _m_senddocument(self, params: dict[str, str], files: dict[str, tuple[str, bytes]]) -> Any:
        result = super()._m_senddocument(params, files)
        value = params.get("document", "")  # a file is either attach://<name> or "document"
        name = value[len("attach://") :] if value.startswith("attach://") else "document"
        if name in files:
            self.documents[(result["chat"]["id"], result["message_id"])] = files[name][1]
        return result

    def sends(
        self, chat_id: int, predicate: Callable[[BotMessage], bool]
    ) -> list[tuple[float, BotMessage]]:
        """(arrival time, message) of every new message in the chat that matches."""
        with self._cond:
            return [
                (self.event_times[e.seq], e.message)
                for e in self.events(chat_id)
                if e.kind == "send" and predicate(e.message)
            ]

    def mark(self) -> int:
        """The current end of the event log, for wait_for(since=...)."""
        return len(self.events())

    def step(
        self, user: int, predicate: Callable[[BotMessage], bool] | str, **kw: Any
    ) -> BotMessage:
        """The bot's next answer to the user that matches (wait_for within STEP_TIMEOUT)."""
        return self.wait_for(user, predicate, STEP_TIMEOUT, **kw)

    def told(
        self, user: int, predicate: Callable[[BotMessage], bool] | str, since: int
    ) -> BotMessage:
        """A new message (not an edit) to the user after the mark `since` that matches: what
        someone else's action made the bot tell them."""
        return self.wait_for(user, predicate, STEP_TIMEOUT, since=since, kinds=["send"])

    def toast(self, text: str, user: int | None = None) -> None:
        """Wait until a button press was answered with this toast (to this user, if given)."""
        self.wait_until(
            lambda: any(
                a["text"] == text and user in (None, a["user_id"]) for a in self.callback_answers
            ),
            STEP_TIMEOUT,
            f"the toast {text!r}",
        )


def stop_cleanly(emulator: BotApiEmulator, *bots: BotProcess) -> None:
    """The end of a story: every update confirmed and every button press answered, the last bot
    stopped by SIGTERM with status 0 and a complete stop; the emulator refused no call, and no
    bot's output has an error or a traceback."""
    emulator.wait_confirmed(STEP_TIMEOUT)
    emulator.wait_until(
        lambda: not emulator._open_queries, STEP_TIMEOUT, "every button press answered"
    )
    emulator.watchdog = None
    last = bots[-1]
    assert last.terminate() == 0, last.log()
    assert emulator.errors == [], "\n".join(map(str, emulator.errors))
    for bot in bots:
        log = bot.log()
        assert "Traceback" not in log and " ERROR " not in log, log
    assert "Application.stop() complete" in last.log()


def run_python(
    *args: str, env: dict[str, str], cwd: Path = REPO, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    """`python ARGS` (e.g. "-m", "bot", "import", FILE) to its end, its output captured."""
    return subprocess.run(
        [sys.executable, *args],
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


# --------------------------------------------------------------------------- fixtures


@pytest.fixture
def emulator() -> Iterator[RecordingEmulator]:
    """The HTTP Bot API emulator (tests/botapi_server.py) on an ephemeral port, recording."""
    emu = RecordingEmulator(TOKEN).start()
    try:
        yield emu
    finally:
        emu.stop()


@pytest.fixture
def bot_env() -> dict[str, str]:
    """The settings of a test module's bot beyond the token, the emulator and the database (a
    module that needs some, e.g. admins, overrides this fixture)."""
    return {}


@pytest.fixture
def run_env(emulator: BotApiEmulator, bot_env: dict[str, str], tmp_path: Path) -> dict[str, str]:
    """The environment of `python -m bot ...` against the emulator, with one database in tmp."""
    return clean_env(
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_API_BASE_URL=emulator.base_url,
        IDEENLABOR_DB=str(tmp_path / "bot.sqlite3"),
        **bot_env,
    )


@pytest.fixture
def launch(
    emulator: BotApiEmulator, run_env: dict[str, str], tmp_path: Path
) -> Iterator[Callable[..., BotProcess]]:
    """`start(*args, ready=...)` of bot_launcher, with run_env: `python -m bot run` on the same
    database each time."""
    with bot_launcher(emulator, run_env, tmp_path) as start:
        yield start
