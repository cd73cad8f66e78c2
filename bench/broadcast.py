"""Benchmark: a broadcast to 10,000 subscribers through a fake Bot API with Telegram's limits.

    .venv/bin/python bench/broadcast.py                  # full scale: 10,000 at 30/s, 6-10 min
    .venv/bin/python bench/broadcast.py --check          # exit status 1 when a target is missed
    .venv/bin/python bench/broadcast.py --messages 1000  # smaller (the limited phase is ~35 s)

The parent process builds a database (the shipped data, --messages users and ONE broadcast to all
of them, enqueued exactly as /rundschreiben does: BroadcastRepository.create and
OutboxRepository.enqueue in one transaction, dedupe keys `broadcast:<id>:<user>`), copies it for
each phase and runs each phase in its own subprocess, so that every peak RSS belongs to one phase:

- limited: the real application (build_application + post_init) on the project's fake Bot API
  with flood control (--limit messages/s overall, 429 with retry_after beyond it), drained by
  the production dispatcher with the production Pacer (rate = IDEENLABOR_SEND_RATE, --send-rate,
  by default equal to --limit, i.e. Telegram's 30/s).
- unlimited: the same on a fake without limits and Pacer(rate=None, per_chat=0): what the
  dispatcher itself can do.

Deliveries are counted from the fake: per-call timestamps (rate over the whole run and the
minimum over sliding --window second windows) and per-chat message counts (duplicates, lost).
See bench/README.md for what is measured and the targets.
"""

from __future__ import annotations

import argparse
import asyncio
import bisect
import datetime as dt
import json
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # `python bench/broadcast.py` puts bench/ first, not the checkout
    sys.path.insert(0, str(ROOT))
# RetryAfter.retry_after as a timedelta (the dispatcher handles both): without this, PTB warns
# about the coming change on every 429, and a run with PYTHONWARNINGS=error would break.
os.environ.setdefault("PTB_TIMEDELTA", "1")

from bench_common import (  # noqa: E402
    TimedFakeBotApi,
    Verdict,
    add_phase_options,
    all_passed,
    arguments,
    configure_logging,
    finish,
    peak_rss_mb,
    phase_command,
    production_app,
    rss_now_mb,
    running,
)

from bot.offline.fake_api import ApiCall  # noqa: E402

logger = logging.getLogger("bench.broadcast")

ADMIN_ID = 900_001  # the admin who "sent" the broadcast (gets the progress message)
FIRST_USER_ID = 10_000_000  # subscribers are FIRST_USER_ID .. FIRST_USER_ID + messages - 1

# Targets (see bench/README.md).
TARGET_SHARE = 0.95  # of the limit, over the whole run and in every --window seconds
TARGET_UNLIMITED_PER_S = 1000.0  # messages/s of the dispatcher with the limits lifted

DEFAULT_MESSAGES = 10_000
DEFAULT_LIMIT = 30  # Telegram: about 30 messages per second overall
DEFAULT_WINDOW_S = 10.0
PHASE_TIMEOUT_S = 1800.0

BROADCAST_TEXT = (
    "<b>Neue Termine für die Ideenlabore 2027</b>\n\n"
    "Liebe Teilnehmerinnen und Teilnehmer des Dialogprozesses „Arbeit 4.0“,\n"
    "die nächsten Ideenlabore in Ihrer Region stehen fest. Unter /termine finden Sie alle Daten,"
    " Orte und die Anmeldung; mit „Erinnern“ bekommen Sie eine Nachricht, bevor es losgeht.\n\n"
    "Wir freuen uns auf Ihre Ideen für <i>gute und faire Arbeit</i> in NRW!\n"
    '<a href="https://www.arbeit.nrw.de/arbeit-40">Mehr zum Dialogprozess</a>'
)


# --------------------------------------------------------------------------- the database


async def build_database(path: Path, messages: int) -> int:
    """Shipped data, `messages` users, and one broadcast to all of them; the broadcast's id."""
    from bot.app import prepare_database
    from bot.context import utc_now
    from storage.broadcasts import BroadcastRepository
    from storage.db import Database
    from storage.outbox import OutboxRepository, Outgoing
    from storage.workshops import WorkshopRepository

    db = await Database.open(path)
    try:
        await prepare_database(db)
        seen = (utc_now() - dt.timedelta(days=30)).strftime("%Y-%m-%dT%H:%M:%SZ")
        async with db.transaction() as tx:
            await tx.executemany(
                "INSERT INTO users (telegram_id, first_seen, last_seen) VALUES (?, ?, ?)",
                ((FIRST_USER_ID + n, seen, seen) for n in range(messages)),
            )
        now = utc_now()
        # As handlers/broadcast.py enqueues an admin's broadcast to everyone: one transaction.
        async with db.transaction() as tx:
            recipients = await WorkshopRepository.all_active_users(tx)
            broadcast_id = await BroadcastRepository.create(
                tx, ADMIN_ID, "all", BROADCAST_TEXT, len(recipients), now
            )
            enqueued = await OutboxRepository.enqueue(
                tx,
                "broadcast",
                (
                    Outgoing(
                        r.user_id, {"text": BROADCAST_TEXT}, f"broadcast:{broadcast_id}:{r.user_id}"
                    )
                    for r in recipients
                ),
                now,
                broadcast_id=broadcast_id,
            )
        if len(recipients) != messages or enqueued != messages:
            raise RuntimeError(f"seeded {len(recipients)} recipients, {enqueued} outbox rows")
        return broadcast_id
    finally:
        await db.close()


# --------------------------------------------------------------------------- one phase


class RecordingFakeBotApi(TimedFakeBotApi):
    """The project's fake Bot API, plus a timestamp for every call it answered.

    Successful calls are kept as (time, endpoint, chat) only, so that the fake's own log does
    not dominate the phase's memory; rejected calls stay in `errors` as the fake keeps them.
    The per-chat messages (`sent`) are the fake's own and give duplicates and lost messages.
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.log: list[tuple[float, str, int, object]] = []  # (monotonic, endpoint, status, chat)

    def _record(self, call: ApiCall) -> None:
        self.log.append(
            (time.monotonic(), call.endpoint.lower(), call.status, call.params.get("chat_id"))
        )
        if call.status != 200:
            self.errors.append(call)


@dataclass
class PhaseResult:
    """Figures of one phase (written as JSON by the child, read by the parent)."""

    phase: str
    messages: int
    limit: int | None  # the fake's messages/s overall; None: no limit
    send_rate: float | None  # the Pacer's rate; None: unpaced
    elapsed_s: float  # the whole drain
    fake_s: float  # of which inside the fake Bot API (harness cost)
    cpu_s: float  # CPU time of the process (all threads) during the drain
    delivered: int  # broadcast messages the fake accepted
    duplicates: int  # messages beyond the first in a subscriber's chat
    lost: int  # subscribers who got nothing
    rate_per_s: float  # delivered / elapsed_s
    window_s: float  # length of the sliding windows (shorter if the run was)
    min_window_per_s: float  # the slowest window
    max_window_per_s: float  # the fastest window
    too_many_requests: int  # 429s the fake answered
    retry_after_seen: int  # RetryAfter the dispatcher reported
    outbox: dict[str, int]  # outbox rows by state after the drain
    other_calls: dict[str, int]  # e.g. the admin's progress message and its edits
    rejected: list[str] = field(default_factory=list)  # rejected calls other than 429
    rss_before_mb: float = 0.0
    peak_rss_mb: float = 0.0


def window_rates(stamps: Sequence[float], window: float) -> tuple[float, float, float]:
    """(window length used, min rate, max rate) over windows [t, t + window) starting at each
    delivery that end within the run; a run shorter than `window` is one window."""
    if len(stamps) < 2:
        return window, 0.0, 0.0
    span = stamps[-1] - stamps[0]
    if span <= window:
        rate = (len(stamps) - 1) / span if span > 0 else 0.0
        return span, rate, rate
    counts = [
        bisect.bisect_left(stamps, start + window, lo=i) - i
        for i, start in enumerate(stamps)
        if start + window <= stamps[-1]
    ]
    return window, min(counts) / window, max(counts) / window


async def run_phase(
    phase: str,
    db_path: Path,
    messages: int,
    limit: int | None,
    send_rate: float | None,
    window: float,
) -> PhaseResult:
    """The application built as production builds it; one drain of the broadcast."""
    from bot.dispatcher import Pacer

    api = RecordingFakeBotApi(rate_limit_per_second=limit)
    app = production_app(
        db_path,
        api,
        IDEENLABOR_ADMINS=str(ADMIN_ID),
        IDEENLABOR_SEND_RATE=send_rate or DEFAULT_LIMIT,
    )
    async with running(app):
        dispatcher = app.bot_data.dispatcher
        if send_rate is None:
            dispatcher.pacer = Pacer(rate=None, per_chat=0.0)  # the limits lifted
        elif dispatcher.pacer.rate != send_rate:
            raise RuntimeError(f"the production Pacer runs at {dispatcher.pacer.rate}/s")
        rss_before = rss_now_mb()
        logger.info("%s: ready, RSS %.1f MB; draining %s messages", phase, rss_before, messages)
        api.log.clear()
        api.busy_s = 0.0
        started, cpu_started = time.monotonic(), time.process_time()
        report = await dispatcher.drain()
        elapsed, cpu = time.monotonic() - started, time.process_time() - cpu_started
        outbox = await app.bot_data.outbox.count_by_state()

    recipients = range(FIRST_USER_ID, FIRST_USER_ID + messages)
    wanted = set(recipients)
    stamps = [
        t
        for t, endpoint, status, chat in api.log
        if endpoint == "sendmessage" and status == 200 and chat in wanted
    ]
    counts = [len(api.messages(chat)) for chat in recipients]
    other = Counter(
        endpoint
        for _, endpoint, status, chat in api.log
        if status == 200 and not (endpoint == "sendmessage" and chat in wanted)
    )
    used_window, slowest, fastest = window_rates(stamps, window)
    return PhaseResult(
        phase=phase,
        messages=messages,
        limit=limit,
        send_rate=send_rate,
        elapsed_s=elapsed,
        fake_s=api.busy_s,
        cpu_s=cpu,
        delivered=len(stamps),
        duplicates=sum(max(0, n - 1) for n in counts),
        lost=sum(1 for n in counts if n == 0),
        rate_per_s=len(stamps) / elapsed if elapsed > 0 else 0.0,
        window_s=used_window,
        min_window_per_s=slowest,
        max_window_per_s=fastest,
        too_many_requests=api.too_many_requests,
        retry_after_seen=report.too_many_requests,
        outbox=outbox,
        other_calls=dict(other),
        rejected=[
            f"{c.endpoint}: {c.status} {c.description} (chat {c.params.get('chat_id')})"
            for c in api.errors
            if c.status != 429
        ],
        rss_before_mb=rss_before,
        peak_rss_mb=peak_rss_mb(),
    )


# --------------------------------------------------------------------------- parent: report


@dataclass
class Line(Verdict):
    """One row of the report table."""

    label: str
    value: str
    target: str = ""
    passed: bool | None = None  # None: no target, shown for information


def report_lines(limited: PhaseResult, unlimited: PhaseResult) -> list[Line]:
    """The table: targets marked PASS/FAIL, the rest for information."""
    limit = float(limited.limit or 0)
    need = TARGET_SHARE * limit
    share = limited.rate_per_s / limit if limit else 0.0
    window_share = limited.min_window_per_s / limit if limit else 0.0
    window = f"{limited.window_s:g} s" if limited.window_s else "-"
    return [
        Line(
            "limited: fake Bot API limit / Pacer rate, msg/s",
            f"{limited.limit} / {limited.send_rate:g}",
        ),
        Line(
            "limited: messages delivered / elapsed",
            f"{limited.delivered} / {limited.elapsed_s:.1f} s",
        ),
        Line(
            "limited: messages/s over the whole run",
            f"{limited.rate_per_s:.2f} ({share:.1%})",
            f">= {need:g}",
            limited.rate_per_s >= need,
        ),
        Line(
            f"limited: messages/s, slowest {window} window",
            f"{limited.min_window_per_s:.2f} ({window_share:.1%})",
            f">= {need:g}",
            limited.min_window_per_s >= need,
        ),
        Line(f"limited: messages/s, fastest {window} window", f"{limited.max_window_per_s:.2f}"),
        Line(
            "limited: 429 Too Many Requests received",
            f"{limited.too_many_requests} (dispatcher saw {limited.retry_after_seen})",
        ),
        Line("limited: duplicates", str(limited.duplicates), "0", limited.duplicates == 0),
        Line("limited: lost messages", str(limited.lost), "0", limited.lost == 0),
        Line(
            "limited: outbox rows after the drain",
            _states(limited.outbox),
            f"{limited.messages} sent",
            limited.outbox == {"sent": limited.messages},
        ),
        Line(
            "limited: peak RSS of the phase process, MB",
            f"{limited.peak_rss_mb:.1f} (before {limited.rss_before_mb:.1f})",
        ),
        Line(
            "unlimited: messages delivered / elapsed",
            f"{unlimited.delivered} / {unlimited.elapsed_s:.2f} s",
        ),
        Line(
            "unlimited: messages/s (dispatcher alone)",
            f"{unlimited.rate_per_s:,.0f}",
            f">= {TARGET_UNLIMITED_PER_S:g}",
            unlimited.rate_per_s >= TARGET_UNLIMITED_PER_S,
        ),
        Line(
            "unlimited: of which in the fake Bot API, ms/message",
            f"{_per_message_ms(unlimited.fake_s, unlimited.delivered)}",
        ),
        Line("unlimited: messages/s without the fake's time", f"{_without_fake(unlimited):,.0f}"),
        Line(
            "unlimited: messages per CPU second (CPU busy)",
            f"{unlimited.delivered / unlimited.cpu_s if unlimited.cpu_s else 0:,.0f}"
            f" ({unlimited.cpu_s / unlimited.elapsed_s if unlimited.elapsed_s else 0:.0%})",
        ),
        Line(
            "unlimited: duplicates / lost",
            f"{unlimited.duplicates} / {unlimited.lost}",
            "0 / 0",
            unlimited.duplicates == 0 and unlimited.lost == 0,
        ),
        Line(
            "unlimited: outbox rows after the drain",
            _states(unlimited.outbox),
            f"{unlimited.messages} sent",
            unlimited.outbox == {"sent": unlimited.messages},
        ),
        Line(
            "unlimited: peak RSS of the phase process, MB",
            f"{unlimited.peak_rss_mb:.1f} (before {unlimited.rss_before_mb:.1f})",
        ),
    ]


def _per_message_ms(seconds: float, messages: int) -> str:
    return f"{seconds / messages * 1000:.2f}" if messages else "-"


def _without_fake(result: PhaseResult) -> float:
    own = result.elapsed_s - result.fake_s
    return result.delivered / own if own > 0 else 0.0


def _states(outbox: dict[str, int]) -> str:
    return ", ".join(f"{state} {n}" for state, n in sorted(outbox.items())) or "empty"


def format_report(limited: PhaseResult, unlimited: PhaseResult, setup: dict[str, object]) -> str:
    """The plain-text report."""
    lines = report_lines(limited, unlimited)
    width = max(len(line.label) for line in lines)
    value_width = max(len(line.value) for line in lines)
    head = f"{'':{width}}  {'value':>{value_width}}  {'target':>10}  "
    rows = [
        f"{line.label:{width}}  {line.value:>{value_width}}  {line.target:>10}  {line.verdict}"
        for line in lines
    ]
    intro = [
        "Ideenlabor-Bot broadcast benchmark ("
        + ", ".join(f"{k} {v}" for k, v in setup.items())
        + ")",
        "other calls (not counted as deliveries): limited "
        + (", ".join(f"{k} {v}" for k, v in sorted(limited.other_calls.items())) or "none")
        + "; unlimited "
        + (", ".join(f"{k} {v}" for k, v in sorted(unlimited.other_calls.items())) or "none"),
        "",
        head,
        "-" * (len(head) + 4),
    ]
    problems = [f"limited: {e}" for e in limited.rejected[:5]]
    problems += [f"unlimited: {e}" for e in unlimited.rejected[:5]]
    tail = ["", "rejected calls (first ones):", *problems] if problems else []
    return "\n".join(intro + rows + tail)


# --------------------------------------------------------------------------- command line


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Command-line options."""
    parser = arguments(
        __doc__,
        (
            ("--messages", DEFAULT_MESSAGES, "subscribers, i.e. messages of the broadcast"),
            ("--limit", DEFAULT_LIMIT, "the fake Bot API's limit, messages/s overall"),
            ("--window", DEFAULT_WINDOW_S, "sliding window for 'sustained', seconds"),
        ),
        "exit with status 1 when a target is missed",
    )
    parser.add_argument(
        "--send-rate",
        type=float,
        default=None,
        help="IDEENLABOR_SEND_RATE for the limited phase (default: --limit)",
    )
    add_phase_options(parser, ("limited", "unlimited"))
    args = parser.parse_args(argv)
    if args.messages < 1 or args.limit < 1 or args.window <= 0:
        parser.error("--messages, --limit and --window must be positive")
    if args.send_rate is None:
        args.send_rate = float(args.limit)
    return args


def child(args: argparse.Namespace) -> int:
    """Child process: run one phase on its copy of the database, write its figures as JSON."""
    if args.phase == "limited":
        phase = run_phase(
            "limited", args.db, args.messages, args.limit, args.send_rate, args.window
        )
    else:
        phase = run_phase("unlimited", args.db, args.messages, None, None, args.window)
    result = asyncio.run(phase)
    args.result.write_text(json.dumps(asdict(result)), encoding="utf-8")
    return 0


def spawn_phase(phase: str, args: argparse.Namespace, workdir: Path) -> PhaseResult:
    """Run `--phase phase` in a fresh interpreter on a fresh copy of the database."""
    db = workdir / f"{phase}.sqlite3"
    shutil.copy(workdir / "seed.sqlite3", db)
    result = workdir / f"{phase}.json"
    options = {
        "--messages": args.messages,
        "--limit": args.limit,
        "--send-rate": args.send_rate,
        "--window": args.window,
    }
    command = phase_command(str(Path(__file__).resolve()), phase, db, result, options, args.verbose)
    started = time.perf_counter()
    subprocess.run(command, check=True, timeout=PHASE_TIMEOUT_S)
    logger.info("phase %s took %.1f s", phase, time.perf_counter() - started)
    return PhaseResult(**json.loads(result.read_text(encoding="utf-8")))


def main(argv: Sequence[str] | None = None) -> int:
    """Parent: build the database, run both phases in subprocesses, print the table."""
    args = parse_args(argv)
    configure_logging(args.verbose, logger)
    if args.phase:
        return child(args)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="ideenlabor-bench-") as tmp:
        workdir = Path(tmp)
        asyncio.run(build_database(workdir / "seed.sqlite3", args.messages))
        logger.info("database built in %.1f s", time.perf_counter() - started)
        unlimited = spawn_phase("unlimited", args, workdir)
        limited = spawn_phase("limited", args, workdir)
    setup = {
        "subscribers": args.messages,
        "cpus": os.cpu_count(),
        "runtime": f"{time.perf_counter() - started:.0f} s",
    }
    report = format_report(limited, unlimited, setup)
    figures = {"setup": setup, "limited": asdict(limited), "unlimited": asdict(unlimited)}
    rejected = limited.rejected or unlimited.rejected
    invalid = "the fake rejected calls other than 429 (see above)" if rejected else None
    return finish(args, (report, all_passed(report_lines(limited, unlimited))), figures, invalid)


if __name__ == "__main__":
    sys.exit(main())
