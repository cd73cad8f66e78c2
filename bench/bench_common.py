"""What the benchmark scripts share: memory readings, percentiles, a timed fake Bot API."""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import math
import os
import resource
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.offline.fake_api import FakeBotApi

if TYPE_CHECKING:
    from telegram.ext import Application

    from bot.context import App

SEED_TIMEOUT_S = 900.0
TOKEN = "123456:BENCH-TOKEN-abcdefgh"

logger = logging.getLogger("bench")


def rss_now_mb() -> float:
    """Current resident set size (Linux /proc; elsewhere the peak so far)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return peak_rss_mb()


def peak_rss_mb() -> float:
    """Peak resident set size of this process (ru_maxrss: KiB on Linux, bytes on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def percentiles_ms(samples: Sequence[float]) -> dict[str, float]:
    """p50/p95/p99/max/mean of durations in seconds, in milliseconds (nearest rank)."""
    if not samples:
        return {"p50": 0.0, "p95": 0.0, "p99": 0.0, "max": 0.0, "mean": 0.0}
    ordered = sorted(samples)

    def rank(q: float) -> float:
        index = min(len(ordered) - 1, max(0, math.ceil(q * len(ordered)) - 1))
        return ordered[index] * 1000

    return {
        "p50": rank(0.50),
        "p95": rank(0.95),
        "p99": rank(0.99),
        "max": ordered[-1] * 1000,
        "mean": sum(ordered) / len(ordered) * 1000,
    }


def db_size_mb(path: Path) -> float:
    """The database file and its WAL."""
    files = [path, path.with_name(path.name + "-wal")]
    return sum(f.stat().st_size for f in files if f.exists()) / 1e6


def seed_comments_database(path: Path, args: argparse.Namespace) -> dict[str, object]:
    """The comments benchmark's database (bench/comments_seed.py), built in a subprocess so that
    this process's RSS is the measurement's; returns the seed's figures."""
    result = path.with_name("seed.json")
    command = [
        sys.executable,
        str(Path(__file__).with_name("comments_seed.py")),
        "--db",
        str(path),
        "--result",
        str(result),
    ]
    for name, _, _ in SEED_OPTIONS:
        command += [name, str(getattr(args, name.removeprefix("--")))]
    subprocess.run(command, check=True, timeout=SEED_TIMEOUT_S)
    figures: dict[str, object] = json.loads(result.read_text(encoding="utf-8"))
    return figures


# The size of the comments benchmark's database, which the search benchmark reuses.
SEED_OPTIONS = (
    ("--ideas", 10_000, "ideas to add to the shipped data"),
    ("--comments", 1_000_000, "comments to seed"),
    ("--ratings", 300_000, "ratings to seed (about)"),
    ("--users", 100_000, "users to seed"),
    ("--seed", 4711, "seed of every random choice"),
)


def arguments(
    doc: str | None,
    options: Iterable[tuple[str, float, str]],
    check: str = "exit 1 when the target is missed",
) -> argparse.ArgumentParser:
    """A parser of the number options (name, default, help), --check and --json."""
    parser = argparse.ArgumentParser(description=doc.split("\n\n")[0] if doc else None)
    add_numbers(parser, options)
    parser.add_argument("--check", action="store_true", help=check)
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    return parser


def parse(
    doc: str | None,
    options: Iterable[tuple[str, float, str]],
    argv: Sequence[str] | None,
    *,
    positive: Sequence[str],
    check: str = "exit 1 when the target is missed",
) -> argparse.Namespace:
    """The `arguments` parsed; a usage error unless each option named in `positive` is 1 or more."""
    parser = arguments(doc, options, check)
    args = parser.parse_args(argv)
    if min(getattr(args, name.removeprefix("--").replace("-", "_")) for name in positive) < 1:
        parser.error(f"{', '.join(positive[:-1])} and {positive[-1]} must be at least 1")
    return args


def add_numbers(parser: argparse.ArgumentParser, options: Iterable[tuple[str, float, str]]) -> None:
    """Number options (name, default, help), of their default's type (int or float)."""
    for name, default, text in options:
        parser.add_argument(
            name, type=type(default), default=default, help=f"{text} (default %(default)s)"
        )


class TimedFakeBotApi(FakeBotApi):
    """The project's fake Bot API, plus the time spent inside it (harness cost, attributed)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.busy_s = 0.0

    async def do_request(self, *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        """FakeBotApi.do_request, timed."""
        start = time.perf_counter()
        try:
            return await super().do_request(*args, **kwargs)
        finally:
            self.busy_s += time.perf_counter() - start


def production_app(db: Path, api: FakeBotApi, **env: Any) -> App:
    """The application built exactly as production builds it, with the settings `env` (besides
    token and database), on the fake Bot API `api`."""
    from bot.app import build_application  # here: an echo phase never loads the bot
    from bot.config import Settings

    settings = Settings(_env_file=None, TELEGRAM_BOT_TOKEN=TOKEN, IDEENLABOR_DB=db, **env)
    app = build_application(settings, request=api)
    if app.post_init is None or app.post_shutdown is None:
        raise RuntimeError("build_application no longer sets post_init/post_shutdown")
    return app


@contextlib.asynccontextmanager
async def running(app: Application[Any, Any, Any, Any, Any, Any]) -> AsyncIterator[None]:
    """The app initialised and its post_init run, as `ideenlabor run` starts it; shut down
    (post_shutdown first) when the block ends."""
    await app.initialize()
    if app.post_init is not None:
        await app.post_init(app)
    try:
        yield
    finally:
        if app.post_shutdown is not None:
            await app.post_shutdown(app)
        await app.shutdown()


class Verdict:
    """A report row's PASS / FAIL / blank, for a dataclass with a `passed` field."""

    passed: bool | None  # None: no target, shown for information

    @property
    def verdict(self) -> str:
        """PASS / FAIL / blank."""
        return "" if self.passed is None else ("PASS" if self.passed else "FAIL")


def all_passed(lines: Iterable[Verdict]) -> bool:
    """True when every report row with a target passes."""
    return all(line.passed is not False for line in lines)


def add_phase_options(parser: argparse.ArgumentParser, phases: Sequence[str]) -> None:
    """--verbose of a benchmark that runs its phases in subprocesses, and the internal options
    of a phase's child process (the parent spawns these)."""
    parser.add_argument("--verbose", action="store_true", help="log the app's INFO messages")
    parser.add_argument("--phase", choices=tuple(phases), help=argparse.SUPPRESS)
    parser.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--result", type=Path, help=argparse.SUPPRESS)


def phase_command(
    script: str, phase: str, db: Path, result: Path, options: dict[str, object], verbose: bool
) -> list[str]:
    """The command line of a phase's child process: `script --phase phase …` plus `options`."""
    command = [sys.executable, script, "--phase", phase, "--db", str(db), "--result", str(result)]
    for name, value in options.items():
        command += [name, str(value)]
    if verbose:
        command.append("--verbose")
    return command


def configure_logging(verbose: bool, logger: logging.Logger) -> None:
    """The app's INFO messages only when verbose; the benchmark's own progress always."""
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    logger.setLevel(logging.INFO)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)


def write_figures(path: Path | None, figures: dict[str, object]) -> None:
    """Write the figures as indented JSON when --json named a file."""
    if path is not None:
        path.write_text(json.dumps(figures, indent=2), encoding="utf-8")


def load_averages(before: float) -> list[float]:
    """The 1-minute load average before the measurement and now, as the report shows them."""
    return [round(before, 2), round(os.getloadavg()[0], 2)]


def load_line(result: dict[str, Any], during: str = "") -> str:
    """The report's line of the load averages around the measurement (`during` names it)."""
    before, after = result["load_average"]
    return (
        f"load average (1 min) before / after{during}: {before} / {after} on {os.cpu_count()} CPUs"
    )


def finish(
    args: argparse.Namespace,
    report: tuple[str, bool],
    figures: dict[str, Any],
    invalid: str | None = None,
) -> int:
    """Print the report, write the figures with the verdict (--json); the exit status: 2 if the
    run is invalid (`invalid` says why), 1 if --check and a target is missed."""
    text, passed = report
    print(text)
    write_figures(args.json, {**figures, "passed": passed})
    if invalid is not None:
        logger.error("The run is invalid: %s", invalid)
        return 2
    return 1 if args.check and not passed else 0
