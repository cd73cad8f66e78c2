"""Benchmark: many users browsing the full bot, against a bare python-telegram-bot echo bot.

    .venv/bin/python bench/browse.py            # full scale (also: make bench)
    .venv/bin/python bench/browse.py --check    # exit status 1 when a target is missed

The parent process builds a database (shipped data + --ideas ideas + --db-users users) and then
runs each phase in its own subprocess (`--phase echo`, then `--phase bot`), so that every peak
RSS belongs to exactly one phase. Both phases drive their Application through the project's
in-process fake Bot API (bot/offline/fake_api.py) with --users concurrent simulated users and
measure --updates updates after a warm-up. See bench/README.md for what is measured and the targets.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import cProfile
import datetime as dt
import json
import logging
import os
import random
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Coroutine, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # `python bench/browse.py` puts bench/ first, not the checkout
    sys.path.insert(0, str(ROOT))

from bench_common import (  # noqa: E402
    TOKEN,
    TimedFakeBotApi,
    Verdict,
    add_phase_options,
    all_passed,
    arguments,
    configure_logging,
    finish,
    peak_rss_mb,
    percentiles_ms,
    phase_command,
    production_app,
    rss_now_mb,
    running,
)
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update  # noqa: E402
from telegram.ext import (  # noqa: E402
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ContextTypes,
    ExtBot,
    MessageHandler,
    filters,
)

from bot.offline import telegram_rules  # noqa: E402
from bot.offline.fake_user import UpdateFactory  # noqa: E402
from bot.offline.records import SentMessage  # noqa: E402
from bot.offline.telegram_rules import JSON, InlineButton  # noqa: E402

logger = logging.getLogger("bench.browse")


# Targets (see bench/README.md).
TARGET_RATIO = 0.70  # bot throughput / echo throughput, at least
TARGET_P99_MS = 20.0  # bot handling time p99, below
TARGET_RSS_MB = 100.0  # peak RSS of the bot process, below

DEFAULT_UPDATES = 15_000
DEFAULT_USERS = 100
DEFAULT_IDEAS = 10_000
DEFAULT_DB_USERS = 100_000
DEFAULT_NEWS = 5  # news entries per idea (the first one a change of status)
DEFAULT_FOLLOWERS = 1_000  # followers per idea (10 million rows with the default ideas)
UPCOMING_PER_REGION = 2  # coming Ideenlabore on each region's page
FIRST_USER_ID = 10_000_000  # seeded users are FIRST_USER_ID .. FIRST_USER_ID + db_users - 1
TRIM_EVERY = 500  # updates between trims of the fake's logs (they are harness memory)
KEEP_MESSAGES = 4  # bot messages kept per chat when trimming (users only tap the newest)
PHASE_TIMEOUT_S = 900.0

# What people type into "find my region": towns, districts, villages, postcodes, typos.
NEAR_MISSES = ("Dortmnd", "Bielefled", "Gelsenkirchn")  # the finder suggests places
PLACE_QUERIES = (
    "Dortmund",
    "Lünen",
    "Kreis Soest",
    "57319",
    "bad berleburg",
    "Köln",
    "50667",
    "Bielefeld",
    "33602",
    "Münster",
    "48143",
    "Aachen",
    "Essen",
    "45127",
    "Duisburg",
    "Siegen",
    "Hamm",
    "Minden",
    "Wuppertal",
    "42103",
    "Bonn",
    "Gütersloh",
    "Paderborn",
    "44135",
    *NEAR_MISSES,
)


# --------------------------------------------------------------------------- measuring


class BudgetSpent(Exception):
    """Raised inside a user's session once every update of the run has been handed out."""


@dataclass
class Meter:
    """Hands out the update budget and records timings of the measured (post-warm-up) part."""

    warmup: int
    measured: int
    issued: int = 0
    completed: int = 0
    window_start: float | None = None
    window_end: float = 0.0
    handling: list[float] = field(default_factory=list)
    latency: list[float] = field(default_factory=list)
    kinds: Counter[str] = field(default_factory=Counter)
    steps: dict[str, list[float]] = field(default_factory=dict)
    fake_busy_at_start: float = 0.0

    def take(self) -> None:
        """Reserve one update of the budget, or raise BudgetSpent."""
        if self.issued >= self.warmup + self.measured:
            raise BudgetSpent
        self.issued += 1

    def begin(self, start: float, fake_busy: float) -> None:
        """An update starts being handled; the first measured one opens the window."""
        if self.completed == self.warmup and self.window_start is None:
            self.window_start = start
            self.fake_busy_at_start = fake_busy

    def done(self, kind: str, step: str, handling: float, end: float) -> bool:
        """Record one handled update; True if it belongs to the measured part."""
        self.completed += 1
        if self.completed <= self.warmup:
            return False
        self.handling.append(handling)
        self.kinds[kind] += 1
        self.steps.setdefault(step, []).append(handling)
        self.window_end = end
        return True


class BrowseFakeBotApi(TimedFakeBotApi):
    """The timed fake, counting calls per endpoint and forgetting what the run no longer needs."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.calls_by_endpoint: Counter[str] = Counter()
        self.calls_reported: Counter[str] = Counter()  # counted in an earlier round's figures
        self.errors_reported = 0

    def trim(self) -> None:
        """Forget successful calls, answers and old messages, so RSS reflects the app.

        Rejected calls stay in `errors` (the run fails on any); the users only ever tap
        the newest keyboard message of their chat, so older messages are not needed.
        """
        self.calls_by_endpoint.update(call.endpoint for call in self.calls)
        self.calls.clear()
        self.callback_answers.clear()
        for messages in self.sent.values():
            del messages[:-KEEP_MESSAGES]
        # The fake parses each distinct text and keyboard once and keeps up to 4,096 of each
        # (~10 KB a text): 40–60 MB once 10,000 ideas have been opened, harness memory that
        # would otherwise be most of the bot process's peak RSS.
        telegram_rules.clear_caches()


AnyApp = Application[Any, Any, Any, Any, Any, Any]
DEFAULT_ROUNDS = 5
FLOOD_RATE = 1000  # per user and second: out of the way of the simulated users (see run_bot)
FLOOD_BURST = 1000
Picker = Callable[[list[InlineButton]], InlineButton | None]
Session = Callable[["SimulatedUser"], Awaitable[None]]


async def feed(app: AnyApp, api: BrowseFakeBotApi, meter: Meter, raw: JSON, step: str) -> None:
    """Hand one update to the app the way its update fetcher does, and time it.

    `Application.process_update` itself takes no lock: called from 100 coroutines it would
    interleave updates. Production (`run_polling`) feeds updates through the application's
    update processor, which runs at most `concurrent_updates` at once (1 unless set), so the
    bench does the same. Handling time is measured around `process_update` once the update
    processor let it in; latency also includes the wait for the processor.
    """
    kind = "callback" if "callback_query" in raw else "message"
    update = Update.de_json(raw, app.bot)
    queued = time.perf_counter()
    measured: list[bool] = []

    async def handle() -> None:
        start = time.perf_counter()
        meter.begin(start, api.busy_s)
        await app.process_update(update)
        end = time.perf_counter()
        measured.append(meter.done(kind, step, end - start, end))

    await app.update_processor.process_update(update, handle())
    if measured[0]:
        meter.latency.append(time.perf_counter() - queued)
    if meter.completed % TRIM_EVERY == 0:
        api.trim()


class SimulatedUser:
    """One person in a private chat; taps real buttons of the newest bot message."""

    def __init__(
        self,
        app: AnyApp,
        api: BrowseFakeBotApi,
        meter: Meter,
        user_id: int,
        language_code: str,
        rng: random.Random,
    ) -> None:
        self.app = app
        self.api = api
        self.meter = meter
        self.rng = rng
        self.factory = UpdateFactory(api)
        self.user = UpdateFactory.user(user_id, f"Nutzer {user_id}", language_code)
        self.chat = self.factory.private_chat(self.user)
        self.user_id = user_id

    async def send(self, text: str, step: str) -> None:
        """Type a message (a leading /command gets its entity); `step` names it in the report."""
        self.meter.take()
        raw = self.factory.text_message(self.user, text, self.chat)
        await feed(self.app, self.api, self.meter, raw, step)

    def keyboard_message(self) -> SentMessage | None:
        """The newest bot message in this chat that has an inline keyboard."""
        for message in reversed(self.api.messages(self.user_id)):
            if message.reply_markup:
                return message
        return None

    async def tap_button(self, pick: Picker, step: str) -> bool:
        """Tap the button `pick` chooses on the newest keyboard; False if there is none."""
        message = self.keyboard_message()
        if message is None:
            return False
        buttons = [b for row in message.reply_markup for b in row if b.callback_data]
        button = pick(buttons)
        if button is None:
            return False
        self.meter.take()
        raw = self.factory.callback_query(self.user, message, button.callback_data)
        await feed(self.app, self.api, self.meter, raw, step)
        return True

    async def run(self, session: Session) -> None:
        """Repeat sessions until the budget is spent."""
        try:
            while True:
                await session(self)
        except BudgetSpent:
            return


# --------------------------------------------------------------------------- the bot's users


def _actions(buttons: list[InlineButton]) -> list[tuple[InlineButton, object]]:
    """Buttons with the action their callback_data carries (parsed by the bot's own parser)."""
    from messages import actions as cb

    return [(b, cb.parse(b.callback_data)) for b in buttons]


def _choose(rng: random.Random, kinds: type | tuple[type, ...]) -> Picker:
    """Pick one of the buttons whose action is of `kinds`, at random."""

    def pick(buttons: list[InlineButton]) -> InlineButton | None:
        hits = [b for b, action in _actions(buttons) if isinstance(action, kinds)]
        return rng.choice(hits) if hits else None

    return pick


def _further_page(buttons: list[InlineButton]) -> InlineButton | None:
    """The page button with the highest page number ("next", or "previous" on the last page)."""
    from messages import actions as cb

    pages = [
        (action.page, b)
        for b, action in _actions(buttons)
        if isinstance(action, (cb.RegionIdeas, cb.ChallengeIdeas)) and action.page > 0
    ]
    return max(pages, key=lambda pair: pair[0])[1] if pages else None


async def browse_session(user: SimulatedUser) -> None:
    """/start → regions → a region's page → pages → ideas (now and then their history) and
    back → a place → maybe challenges."""
    from messages import actions as cb

    rng = user.rng
    tap = user.tap_button
    if rng.random() < 0.8:
        await user.send("/start", "/start")
        await tap(_choose(rng, cb.RegionList), "menu → regions")  # "🗺 Ideen nach Region"
    else:
        await user.send("/regionen", "/regionen")
    if not await tap(_choose(rng, cb.RegionIdeas), "regions → a region"):
        return
    for _ in range(rng.randint(0, 3)):
        if not await tap(_further_page, "next page"):
            break
    for _ in range(rng.choice((1, 1, 2))):
        if not await tap(_choose(rng, cb.ShowIdea), "open an idea"):
            break
        if rng.random() < 0.1 and await tap(_choose(rng, cb.IdeaHistory), "idea → its history"):
            await tap(_choose(rng, cb.ShowIdea), "history → back to the idea")
        await tap(_choose(rng, cb.RegionIdeas), "idea → back to list")
    query = rng.choice(PLACE_QUERIES)
    await user.send(query, "type a place" if query not in NEAR_MISSES else "type a near miss")
    if rng.random() < 0.5 and await tap(_choose(rng, cb.RegionIdeas), "place → its region"):
        await tap(_choose(rng, cb.ShowIdea), "open an idea")
    if rng.random() < 0.3 and await tap(_choose(rng, cb.MainMenu), "→ main menu"):
        await tap(_choose(rng, cb.ChallengeList), "menu → challenges")
        if await tap(_choose(rng, cb.ChallengeIdeas), "challenges → a challenge"):
            await tap(_choose(rng, cb.ShowIdea), "open an idea")


# --------------------------------------------------------------------------- the echo bot


def _echo_keyboard(step: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton("Weiter", callback_data=f"next:{step}"),
                InlineKeyboardButton("Zurück", callback_data=f"back:{step}"),
            ]
        ]
    )


async def echo_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Reply the text, with two buttons to tap."""
    message = update.effective_message
    if message is not None and message.text is not None:
        await message.reply_text(message.text, reply_markup=_echo_keyboard(0))


async def echo_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer the query and edit the message (the text changes on every tap)."""
    query = update.callback_query
    if query is None or query.data is None:
        return
    await query.answer()
    step = int(query.data.split(":", 1)[1]) + 1
    await query.edit_message_text(f"Gewählt: {query.data}", reply_markup=_echo_keyboard(step))


async def echo_session(user: SimulatedUser) -> None:
    """The same mix of typed messages and taps as a browsing session."""
    rng = user.rng
    for text in ("/start", rng.choice(PLACE_QUERIES)):
        await user.send(text, "echo a text")
        for _ in range(rng.randint(2, 6)):
            await user.tap_button(lambda b: rng.choice(b) if b else None, "answer + edit")


def build_echo_application(api: BrowseFakeBotApi) -> AnyApp:
    """A bare PTB application: one MessageHandler, one CallbackQueryHandler."""
    bot = ExtBot(TOKEN, request=api, get_updates_request=api)
    app: AnyApp = ApplicationBuilder().bot(bot).updater(None).build()
    app.add_handler(MessageHandler(filters.TEXT, echo_text))
    app.add_handler(CallbackQueryHandler(echo_button))
    return app


# --------------------------------------------------------------------------- a phase


@dataclass
class PhaseResult:
    """The figures of one phase (written as JSON by the phase subprocess)."""

    phase: str
    users: int
    concurrent_updates: int
    warmup: int
    updates: int
    elapsed_s: float
    updates_per_s: float
    handling_ms: dict[str, float]
    latency_ms: dict[str, float]
    fake_ms_per_update: float
    rss_before_mb: float
    peak_rss_mb: float
    kinds: dict[str, int]
    steps: dict[str, dict[str, float]]
    api_calls: dict[str, int]
    api_errors: list[str]
    handler_errors: list[str]


@dataclass(frozen=True)
class Traffic:
    """A phase's simulated users and how many updates they send in a round (seed: of round 1)."""

    user_ids: Sequence[int]
    warmup: int
    updates: int
    seed: int


async def drive(
    app: AnyApp, api: BrowseFakeBotApi, session: Session, traffic: Traffic, seed: int
) -> Meter:
    """Run one user coroutine per id until warm-up + updates updates are handled."""
    meter = Meter(warmup=traffic.warmup, measured=traffic.updates)
    rng = random.Random(seed)
    users = [
        SimulatedUser(
            app,
            api,
            meter,
            user_id,
            "en" if rng.random() < 0.1 else "de",
            random.Random(rng.getrandbits(64)),
        )
        for user_id in traffic.user_ids
    ]
    await asyncio.gather(*(user.run(session) for user in users))
    return meter


def summarise(
    phase: str,
    app: AnyApp,
    meter: Meter,
    api: BrowseFakeBotApi,
    users: int,
    rss_before: float,
    handler_errors: list[str],
) -> PhaseResult:
    """Turn a finished run into figures."""
    api.trim()
    start = meter.window_start if meter.window_start is not None else meter.window_end
    elapsed = max(meter.window_end - start, 1e-9)
    measured = len(meter.handling)
    fake_s = api.busy_s - meter.fake_busy_at_start
    return PhaseResult(
        phase=phase,
        users=users,
        concurrent_updates=getattr(  # the bot's processor admits many, handles one at a time
            app.update_processor, "handled_at_once", app.update_processor.max_concurrent_updates
        ),
        warmup=meter.warmup,
        updates=measured,
        elapsed_s=elapsed,
        updates_per_s=measured / elapsed,
        handling_ms=percentiles_ms(meter.handling),
        latency_ms=percentiles_ms(meter.latency),
        fake_ms_per_update=fake_s * 1000 / max(measured, 1),
        rss_before_mb=rss_before,
        peak_rss_mb=peak_rss_mb(),
        kinds=dict(meter.kinds),
        steps={
            step: {"count": len(times), **percentiles_ms(times)}
            for step, times in sorted(meter.steps.items(), key=lambda item: -sum(item[1]))
        },
        api_calls=dict(api.calls_by_endpoint - api.calls_reported),
        api_errors=[
            f"{c.endpoint}: {c.status} {c.description}" for c in api.errors[api.errors_reported :]
        ],
        handler_errors=list(handler_errors),
    )


def _merge_percentiles(parts: Sequence[tuple[int, dict[str, float]]]) -> dict[str, float]:
    """Percentiles of several rounds: the worst round's p50/p95/p99/max, the weighted mean."""
    count = sum(n for n, _ in parts) or 1
    keys = ("p50", "p95", "p99", "max")
    merged = {key: max(figures[key] for _, figures in parts) for key in keys}
    merged["mean"] = sum(n * figures["mean"] for n, figures in parts) / count
    return merged


def combine(rounds: Sequence[PhaseResult]) -> PhaseResult:
    """One phase's rounds as one result: throughput over all of them, the worst percentiles."""
    first = rounds[0]
    updates = sum(r.updates for r in rounds)
    elapsed = sum(r.elapsed_s for r in rounds)
    step_names = dict.fromkeys(step for r in rounds for step in r.steps)
    steps = {}
    for step in step_names:
        parts = [(int(r.steps[step]["count"]), r.steps[step]) for r in rounds if step in r.steps]
        steps[step] = {"count": float(sum(n for n, _ in parts)), **_merge_percentiles(parts)}
    return PhaseResult(
        phase=first.phase,
        users=first.users,
        concurrent_updates=first.concurrent_updates,
        warmup=sum(r.warmup for r in rounds),
        updates=updates,
        elapsed_s=elapsed,
        updates_per_s=updates / max(elapsed, 1e-9),
        handling_ms=_merge_percentiles([(r.updates, r.handling_ms) for r in rounds]),
        latency_ms=_merge_percentiles([(r.updates, r.latency_ms) for r in rounds]),
        fake_ms_per_update=sum(r.fake_ms_per_update * r.updates for r in rounds) / max(updates, 1),
        rss_before_mb=max(r.rss_before_mb for r in rounds),
        peak_rss_mb=max(r.peak_rss_mb for r in rounds),
        kinds=dict(sum((Counter(r.kinds) for r in rounds), Counter())),
        steps=dict(sorted(steps.items(), key=lambda item: -item[1]["count"] * item[1]["mean"])),
        api_calls=dict(sum((Counter(r.api_calls) for r in rounds), Counter())),
        api_errors=[e for r in rounds for e in r.api_errors],
        handler_errors=[e for r in rounds for e in r.handler_errors],
    )


def error_counter(errors: list[str]) -> Callable[[object, Any], Coroutine[Any, Any, None]]:
    """An extra error handler that records every error the app's handlers raised."""

    async def count(update: object, context: Any) -> None:
        errors.append(repr(context.error))

    return count


async def serve_rounds(
    app: AnyApp,
    api: BrowseFakeBotApi,
    session: Session,
    traffic: Traffic,
    phase: str,
    results: Path,
) -> None:
    """Start the app (with its post_init), run a round each time the parent says "go" on stdin
    (its figures go to results-N.json), shut the app down when stdin closes.

    The process (the app, its caches, SQLite's page cache) stays up between rounds, as a bot
    does; the parent lets the two phases take turns, so only one of them runs at a time.
    """
    errors: list[str] = []
    app.add_error_handler(error_counter(errors))
    async with running(app):
        rss_before = rss_now_mb()
        logger.info(
            "%s: ready, RSS %.1f MB; %s users, rounds of %s + %s updates",
            phase,
            rss_before,
            len(traffic.user_ids),
            traffic.warmup,
            traffic.updates,
        )
        print("ready", flush=True)
        number = 0
        while (await asyncio.to_thread(sys.stdin.readline)).strip() == "go":
            number += 1
            meter = await drive(app, api, session, traffic, traffic.seed + number)
            result = summarise(phase, app, meter, api, len(traffic.user_ids), rss_before, errors)
            api.calls_reported = Counter(api.calls_by_endpoint)
            api.errors_reported = len(api.errors)
            errors.clear()
            figures = json.dumps(asdict(result))
            await asyncio.to_thread(Path(f"{results}-{number}.json").write_text, figures, "utf-8")
            print("done", flush=True)


async def run_bot_phase(db_path: Path, traffic: Traffic, rounds: Path) -> None:
    """The full application, built exactly as production builds it, on the fake Bot API."""
    api = BrowseFakeBotApi()
    app = production_app(
        db_path,
        api,
        # The simulated users tap again the instant the bot answers, ~10 taps/s each: the flood
        # protection (2/s after a burst of 10 by default) would rightly hold them back, and
        # the bench would measure it instead of the handlers. Lifted; the report says so.
        IDEENLABOR_FLOOD_RATE=str(FLOOD_RATE),
        IDEENLABOR_FLOOD_BURST=str(FLOOD_BURST),
    )
    await serve_rounds(app, api, browse_session, traffic, "bot", rounds)


async def run_echo_phase(traffic: Traffic, rounds: Path) -> None:
    """The bare PTB echo application on the same fake."""
    api = BrowseFakeBotApi()
    app = build_echo_application(api)
    await serve_rounds(app, api, echo_session, traffic, "echo", rounds)


# --------------------------------------------------------------------------- the database

_WORDS = {
    "topic": (
        "Digitale Lernwerkstatt",
        "Mobiles Arbeiten",
        "Weiterbildungsverbund",
        "Fachkräfte-Netzwerk",
        "Coworking-Space",
        "KI-Sprechstunde",
        "Mentoring-Programm",
        "Zukunftswerkstatt",
        "Qualifizierungsoffensive",
        "Digitallotsen",
        "Innovationslabor",
        "Tandem-Programm",
        "Makerspace",
        "Online-Beratung",
        "Ausbildungsbörse",
        "Gesundheitsplattform",
    ),
    "group": (
        "für Pflegekräfte",
        "für kleine Handwerksbetriebe",
        "für Auszubildende",
        "für ältere Beschäftigte",
        "für Berufsrückkehrerinnen",
        "für Schichtarbeitende",
        "für Führungskräfte im Mittelstand",
        "für Betriebsräte",
        "für Langzeitarbeitslose",
        "für Logistikunternehmen",
        "für Start-ups",
        "für den Einzelhandel",
    ),
    "place": (
        "im Quartier",
        "in der Region",
        "im ländlichen Raum",
        "in der Innenstadt",
        "am Hafen",
        "im Gewerbegebiet",
        "im Kreis",
        "an der Berufsschule",
    ),
    "sentence": (
        "Beschäftigte und Betriebe lernen gemeinsam, neue digitale Werkzeuge sicher zu nutzen.",
        "Die Idee entstand im Ideenlabor und wurde mit Sozialpartnern weiterentwickelt.",
        "Kammern, Gewerkschaften und Hochschulen bringen ihr Wissen ein.",
        "Ein offener Treffpunkt bietet Beratung, Austausch und praktische Übungen.",
        "Kleine Unternehmen erhalten Unterstützung bei der Planung des digitalen Wandels.",
        "Die Teilnahme ist kostenfrei und findet auch am Abend statt.",
        "Erfahrene Kolleginnen und Kollegen begleiten Neueinsteiger über mehrere Monate.",
        "Gute und faire Arbeit steht dabei im Mittelpunkt: Mitbestimmung, Gesundheit, Zeit.",
        "Erste Ergebnisse werden nach einem Jahr ausgewertet und öffentlich vorgestellt.",
        "Das Angebot soll später auf weitere Städte und Kreise übertragen werden.",
        "Regionale Agenturen für Arbeit unterstützen bei der Vermittlung & Förderung.",
        "Ein digitales Portal bündelt Termine, Ansprechpersonen und Lernmaterialien.",
    ),
}


def _ideas(
    count: int, region_ids: Sequence[int], challenge_ids: Sequence[int], rng: random.Random
) -> Iterator[tuple[object, ...]]:
    """Rows for `ideas`: titles of 40-85 characters, summary + body of 200-560 characters."""
    stamp = dt.datetime(2026, 11, 1, tzinfo=dt.UTC).isoformat()
    for n in range(1, count + 1):
        title = " ".join(
            (rng.choice(_WORDS["topic"]), rng.choice(_WORDS["group"]), rng.choice(_WORDS["place"]))
        )
        sentences = rng.sample(_WORDS["sentence"], rng.randint(3, 7))
        summary = sentences[0]
        body = " ".join(sentences[1:])
        region = rng.choice(region_ids) if rng.random() > 0.02 else None
        challenge = rng.choice(challenge_ids) if rng.random() > 0.05 else None
        published = dt.date(2016, 6, 1) + dt.timedelta(days=rng.randrange(3650))
        url = f"https://www.arbeit.nrw.de/ideen/bench-{n}" if rng.random() < 0.7 else None
        yield (
            f"bench-idee-{n:05d}",
            f"{title} ({n})",
            region,
            challenge,
            summary,
            body,
            published.isoformat(),
            url,
            stamp,
            stamp,
        )


def _users(count: int, rng: random.Random) -> Iterator[tuple[object, ...]]:
    """Rows for `users`: ids FIRST_USER_ID.., a few with a chosen language."""
    start = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    for n in range(count):
        first = start + dt.timedelta(minutes=rng.randrange(600_000))
        last = first + dt.timedelta(minutes=rng.randrange(100_000))
        language = rng.choice(("de", "en")) if rng.random() < 0.2 else None
        yield (
            FIRST_USER_ID + n,
            language,
            first.strftime("%Y-%m-%dT%H:%M:%SZ"),
            last.strftime("%Y-%m-%dT%H:%M:%SZ"),
        )


def _region_content(
    region_slugs: Sequence[str], agency_regions: set[str], idea_slugs: Sequence[str]
) -> dict[str, list[dict[str, object]]]:
    """An import bundle that puts everything on every region's page: coming Ideenlabore, a
    contact with a public profile, an agency where the shipped data has none, a working group
    (each with two of the bench's ideas)."""
    now = dt.datetime.now(dt.UTC).replace(minute=0, second=0, microsecond=0)
    bundle: dict[str, list[dict[str, object]]] = {
        "workshops": [],
        "contacts": [],
        "organisations": [],
        "working_groups": [],
    }
    for number, slug in enumerate(region_slugs):
        for k in range(UPCOMING_PER_REGION):
            starts = now + dt.timedelta(days=10 + 30 * k + number)
            bundle["workshops"].append(
                {
                    "slug": f"bench-{slug[:20]}-{k}",
                    "region": slug,
                    "title": f"Ideenlabor {slug} – Zukunft der Arbeit {k + 1}",
                    "title_en": f"Ideas Lab {slug} – the future of work {k + 1}",
                    "starts_at": starts.isoformat(),
                    "ends_at": (starts + dt.timedelta(hours=4)).isoformat(),
                    "venue": "Rathaus",
                    "address": "Marktplatz 1",
                    "capacity": 40,
                }
            )
        bundle["contacts"].append(
            {
                "slug": f"bench-kontakt-{slug[:20]}",
                "region": slug,
                "name": "Alex Beispiel",
                "organisation": f"Regionalagentur {slug}",
                "public_email": f"kontakt-{slug[:20]}@example.org",
                "public_phone": "0211 123456",
            }
        )
        if slug not in agency_regions:
            bundle["organisations"].append(
                {"slug": f"bench-ra-{slug[:20]}", "region": slug, "name": f"Agentur {slug}"}
            )
        pair = idea_slugs[2 * number : 2 * number + 2]
        bundle["working_groups"].append(
            {
                "slug": f"bench-ag-{slug[:20]}",
                "region": slug,
                "name": f"Arbeitsgruppe Fachkräfte {slug}",
                "ideas": list(pair),
            }
        )
    return bundle


def _news(
    idea_ids: Sequence[int], per_idea: int, rng: random.Random
) -> Iterator[tuple[object, ...]]:
    """Rows for `idea_news`: per idea a change of status, then texts, a month apart."""
    start = dt.datetime(2024, 1, 1, 12, tzinfo=dt.UTC)
    for idea_id in idea_ids:
        for k in range(per_idea):
            posted = (start + dt.timedelta(days=30 * k + idea_id % 30)).strftime(
                "%Y-%m-%dT%H:%M:%S.%fZ"
            )
            text = " ".join(rng.sample(_WORDS["sentence"], 2))
            if k == 0:
                yield (idea_id, posted, "status", "idea", "elaboration", text)
            else:
                yield (idea_id, posted, "news", None, None, text)


async def _seed_followers(tx: Any, per_idea: int, db_users: int) -> int:
    """`per_idea` followers for every idea, in one INSERT … SELECT (no Python rows).

    The follower counter's trigger and the per-user index are dropped for the load and made
    again afterwards (a sorted build instead of 10 million random inserts: ~30 s instead of
    ~6 min); the counters are then set in one UPDATE. Idea i is followed by the users
    FIRST_USER_ID + (i·7919 mod spread) + n·step, n < per_idea: distinct, among the seeded.
    """
    per_idea = min(per_idea, db_users)
    if per_idea <= 0:
        return 0
    step = max(1, db_users // per_idea)
    spread = max(1, db_users - step * (per_idea - 1))
    saved = await tx.fetchall(
        "SELECT type, name, sql FROM sqlite_master WHERE tbl_name = 'idea_followers'"
        " AND type IN ('index', 'trigger') AND sql IS NOT NULL"
    )
    for row in saved:
        await tx.execute(f"DROP {row['type'].upper()} {row['name']}")
    await tx.execute(
        "WITH RECURSIVE k(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM k WHERE n < ?)"
        " INSERT INTO idea_followers (idea_id, user_id, since)"
        " SELECT i.id, ? + (i.id * 7919) % ? + k.n * ?, '2026-11-01T10:00:00.000000Z'"
        " FROM ideas i CROSS JOIN k ORDER BY i.id, k.n",
        (per_idea - 1, FIRST_USER_ID, spread, step),
    )
    for row in saved:
        await tx.execute(row["sql"])
    await tx.execute(
        "UPDATE ideas SET follower_count ="
        " (SELECT COUNT(*) FROM idea_followers f WHERE f.idea_id = ideas.id)"
    )
    row = await tx.fetchone("SELECT COUNT(*) AS n FROM idea_followers")
    return int(row["n"]) if row else 0


async def build_database(
    path: Path, ideas: int, db_users: int, seed: int, news: int, followers: int
) -> None:
    """The shipped data (prepare_database), then the bulk rows in one transaction: ideas,
    users, everything a region's page shows (through the importer, like `ideenlabor
    import`), news and followers of every idea."""
    from bot.app import prepare_database
    from storage.db import Database
    from storage.import_models import ImportBundle
    from storage.importer import ImportRepository

    db = await Database.open(path)
    try:
        await prepare_database(db)
        rng = random.Random(seed)
        async with db.transaction() as tx:
            regions = [int(r["id"]) for r in await tx.fetchall("SELECT id FROM regions")]
            challenges = [int(r["id"]) for r in await tx.fetchall("SELECT id FROM challenges")]
            await tx.executemany(
                "INSERT INTO ideas (slug, title, region_id, challenge_id, summary, body,"
                " published_on, url, created_at, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                _ideas(ideas, regions, challenges, rng),
            )
            await tx.executemany(
                "INSERT INTO users (telegram_id, language, first_seen, last_seen)"
                " VALUES (?, ?, ?, ?)",
                _users(db_users, rng),
            )
        slugs = [str(r["slug"]) for r in await db.fetchall("SELECT slug FROM regions ORDER BY id")]
        agencies = {
            str(r["slug"])
            for r in await db.fetchall(
                "SELECT r.slug FROM regions r JOIN organisations o ON o.region_id = r.id"
            )
        }
        bench_ideas = [f"bench-idee-{n:05d}" for n in range(1, min(ideas, 2 * len(slugs)) + 1)]
        content = _region_content(slugs, agencies, bench_ideas)
        await ImportRepository(db).apply(
            ImportBundle.model_validate(content), dt.datetime.now(dt.UTC)
        )
        started = time.perf_counter()
        async with db.transaction() as tx:
            ids = [int(r["id"]) for r in await tx.fetchall("SELECT id FROM ideas ORDER BY id")]
            await tx.executemany(
                "INSERT INTO idea_news (idea_id, posted_at, kind, old_status, new_status, text)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                _news(ids, news, rng),
            )
            if news:
                await tx.execute(
                    "UPDATE ideas SET status = 'elaboration', status_changed_at ="
                    " (SELECT MIN(posted_at) FROM idea_news n WHERE n.idea_id = ideas.id"
                    " AND n.kind = 'status')"
                )
            added = await _seed_followers(tx, followers, db_users)
        logger.info("news and %s followers seeded in %.1f s", added, time.perf_counter() - started)
        await db.execute("ANALYZE")
        counts = {
            table: (await db.fetchone(f"SELECT COUNT(*) AS n FROM {table}") or {"n": 0})["n"]
            for table in ("regions", "challenges", "ideas", "users", "idea_news", "idea_followers")
        }
        await db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        logger.info("database %s: %s", path, counts)
    finally:
        await db.close()


# --------------------------------------------------------------------------- parent: report


@dataclass
class Line(Verdict):
    """One row of the report table."""

    label: str
    bot: str
    echo: str
    target: str = ""
    passed: bool | None = None  # None: no target, shown for information


def report_lines(bot: PhaseResult, echo: PhaseResult) -> list[Line]:
    """The table: targets marked PASS/FAIL, the rest for information."""
    ratio = bot.updates_per_s / echo.updates_per_s if echo.updates_per_s else 0.0
    hb, he = bot.handling_ms, echo.handling_ms
    lb, le = bot.latency_ms, echo.latency_ms
    zero = error_free(bot) and error_free(echo)
    return [
        Line("updates measured (after warm-up)", f"{bot.updates}", f"{echo.updates}"),
        Line("throughput, updates/s", f"{bot.updates_per_s:,.0f}", f"{echo.updates_per_s:,.0f}"),
        Line(
            "throughput ratio bot/echo",
            f"{ratio:.0%}",
            "",
            f">= {TARGET_RATIO:.0%}",
            ratio >= TARGET_RATIO,
        ),
        Line("handling time p50, ms", f"{hb['p50']:.2f}", f"{he['p50']:.2f}"),
        Line("handling time p95, ms", f"{hb['p95']:.2f}", f"{he['p95']:.2f}"),
        Line(
            "handling time p99, ms",
            f"{hb['p99']:.2f}",
            f"{he['p99']:.2f}",
            f"< {TARGET_P99_MS:g}",
            hb["p99"] < TARGET_P99_MS,
        ),
        Line(
            "handling time max / mean, ms",
            f"{hb['max']:.1f} / {hb['mean']:.2f}",
            f"{he['max']:.1f} / {he['mean']:.2f}",
        ),
        Line(
            "  of which in the fake Bot API, ms/update",
            f"{bot.fake_ms_per_update:.2f}",
            f"{echo.fake_ms_per_update:.2f}",
        ),
        Line(
            "latency incl. wait for the app p50/p99, ms",
            f"{lb['p50']:.0f} / {lb['p99']:.0f}",
            f"{le['p50']:.0f} / {le['p99']:.0f}",
        ),
        Line("RSS before the traffic, MB", f"{bot.rss_before_mb:.1f}", f"{echo.rss_before_mb:.1f}"),
        Line(
            "peak RSS of the phase process, MB",
            f"{bot.peak_rss_mb:.1f}",
            f"{echo.peak_rss_mb:.1f}",
            f"< {TARGET_RSS_MB:g}",
            bot.peak_rss_mb < TARGET_RSS_MB,
        ),
        Line(
            "rejected API calls / handler errors",
            f"{len(bot.api_errors)} / {len(bot.handler_errors)}",
            f"{len(echo.api_errors)} / {len(echo.handler_errors)}",
            "0 / 0",
            zero,
        ),
    ]


def format_rounds(rounds: Sequence[tuple[PhaseResult, PhaseResult]]) -> list[str]:
    """Each round's throughputs; the table below is over all rounds (percentiles: the worst)."""
    if len(rounds) < 2:
        return []
    parts = [
        f"{e.updates_per_s:,.0f} / {b.updates_per_s:,.0f} ({b.updates_per_s / e.updates_per_s:.0%})"
        for e, b in rounds
    ]
    return [
        "rounds, echo / bot updates/s (ratio): " + ", ".join(parts),
        "the table: throughput over all rounds; percentiles and RSS of the worst round",
    ]


def format_steps(result: PhaseResult) -> list[str]:
    """Handling time per step of the session, the steps costing the most time first."""
    total = sum(figures["count"] * figures["mean"] for figures in result.steps.values()) or 1.0
    width = max([len(step) for step in result.steps] + [4])
    columns = f"{'count':>6}  {'p50':>6}  {'p99':>6}  {'max':>6}  {'share of time':>13}"
    lines = [f"{result.phase} handling time by step (ms)", f"{'step':{width}}  {columns}"]
    for step, figures in result.steps.items():
        share = figures["count"] * figures["mean"] / total
        lines.append(
            f"{step:{width}}  {figures['count']:>6.0f}  {figures['p50']:>6.2f}"
            f"  {figures['p99']:>6.2f}  {figures['max']:>6.1f}  {share:>13.0%}"
        )
    return lines


def format_report(
    bot: PhaseResult,
    echo: PhaseResult,
    setup: dict[str, object],
    rounds: Sequence[tuple[PhaseResult, PhaseResult]] = (),
) -> str:
    """The plain-text report: the targets table, then the bot's steps."""
    lines = report_lines(bot, echo)
    width = max(len(line.label) for line in lines)
    head = f"{'':{width}}  {'bot':>15}  {'echo':>15}  {'target':>7}  "
    rows = [
        f"{line.label:{width}}  {line.bot:>15}  {line.echo:>15}  {line.target:>7}  {line.verdict}"
        for line in lines
    ]
    mix = ", ".join(f"{k} {v}" for k, v in sorted(bot.kinds.items()))
    echo_mix = ", ".join(f"{k} {v}" for k, v in sorted(echo.kinds.items()))
    intro = [
        "Ideenlabor-Bot browse benchmark (" + ", ".join(f"{k} {v}" for k, v in setup.items()) + ")",
        f"update mix: bot {mix}; echo {echo_mix}",
        f"updates handled at once (the app's concurrent_updates): bot"
        f" {bot.concurrent_updates}, echo {echo.concurrent_updates}",
        f"bot's per-user flood protection lifted to {FLOOD_RATE}/s after a burst of"
        f" {FLOOD_BURST} (the simulated users never pause)",
        *format_rounds(rounds),
        "",
        head,
        "-" * (len(head) + 4),
    ]
    problems = [f"bot: {e}" for e in bot.api_errors[:5] + bot.handler_errors[:5]]
    problems += [f"echo: {e}" for e in echo.api_errors[:5] + echo.handler_errors[:5]]
    tail = ["", *format_steps(bot)]
    if problems:
        tail += ["", "errors (first ones):", *problems]
    return "\n".join(intro + rows + tail)


def error_free(result: PhaseResult) -> bool:
    """No rejected Bot API call and no error seen by the error handler."""
    return not result.api_errors and not result.handler_errors


# --------------------------------------------------------------------------- command line


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Command-line options."""
    parser = arguments(
        __doc__,
        (
            ("--updates", DEFAULT_UPDATES, "measured updates per phase, over all rounds"),
            (
                "--rounds",
                DEFAULT_ROUNDS,
                "alternating echo/bot rounds; each phase's process stays up",
            ),
            ("--users", DEFAULT_USERS, "concurrent simulated users"),
            ("--ideas", DEFAULT_IDEAS, "ideas to add to the shipped data"),
            ("--db-users", DEFAULT_DB_USERS, "users to seed into the database"),
            ("--news", DEFAULT_NEWS, "news entries per idea"),
            ("--followers", DEFAULT_FOLLOWERS, "followers per idea, taken from the seeded users"),
            ("--seed", 4711, "seed of every random choice"),
        ),
        "exit with status 1 when a target is missed",
    )
    parser.add_argument(
        "--warmup",
        type=int,
        default=None,
        help="warm-up updates per phase and round (default: a tenth of a round)",
    )
    parser.add_argument(
        "--profile",
        type=Path,
        default=None,
        metavar="DIR",
        help="write cProfile stats of each phase to DIR/<phase>.prof (slower)",
    )
    add_phase_options(parser, ("bot", "echo"))
    args = parser.parse_args(argv)
    if args.users < 1 or args.updates < 1 or args.rounds < 1:
        parser.error("--users, --updates and --rounds must be at least 1")
    if args.phase is None:  # the parent: --updates is over all rounds; a child runs one round
        args.updates = max(1, args.updates // args.rounds)
    if args.db_users < args.users:
        parser.error("--db-users must be at least --users (the users are seeded users)")
    if args.news < 0 or args.followers < 0:
        parser.error("--news and --followers must be at least 0")
    if args.warmup is None:
        args.warmup = args.updates // 10
    return args


def pick_user_ids(args: argparse.Namespace) -> list[int]:
    """--users distinct ids out of the seeded ones."""
    rng = random.Random(args.seed)
    return [FIRST_USER_ID + n for n in rng.sample(range(args.db_users), args.users)]


def run_phase(args: argparse.Namespace) -> int:
    """Child process: one phase's app, running rounds when the parent says so."""
    traffic = Traffic(pick_user_ids(args), args.warmup, args.updates, args.seed)
    if args.phase == "bot":
        phase = run_bot_phase(args.db, traffic, args.result)
    else:
        phase = run_echo_phase(traffic, args.result)
    if args.profile is None:
        asyncio.run(phase)
    else:
        args.profile.mkdir(parents=True, exist_ok=True)
        with cProfile.Profile() as profile:
            asyncio.run(phase)
        profile.dump_stats(args.profile / f"{args.phase}.prof")
    return 0


class PhaseProcess:
    """A phase's child process, kept running; `round()` runs one round and reads its figures."""

    def __init__(self, phase: str, args: argparse.Namespace, workdir: Path) -> None:
        self.phase = phase
        self.results = workdir / phase
        options = {
            "--updates": args.updates,
            "--warmup": args.warmup,
            "--users": args.users,
            "--ideas": args.ideas,
            "--db-users": args.db_users,
            "--seed": args.seed,
        }
        command = phase_command(
            str(Path(__file__).resolve()),
            phase,
            workdir / "bench.sqlite3",
            self.results,
            options,
            args.verbose,
        )
        if args.profile is not None:
            command += ["--profile", str(args.profile.resolve())]
        self.process = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        self.rounds = 0
        self._expect("ready")

    def _expect(self, word: str) -> None:
        assert self.process.stdout is not None
        line = self.process.stdout.readline().strip()
        if line != word:
            self.process.kill()
            raise RuntimeError(f"phase {self.phase}: expected {word!r}, got {line!r}")

    def round(self) -> PhaseResult:
        """One round of this phase (the other phase waits meanwhile)."""
        assert self.process.stdin is not None
        self.rounds += 1
        started = time.perf_counter()
        self.process.stdin.write("go\n")
        self.process.stdin.flush()
        self._expect("done")
        logger.info(
            "round %d, phase %s took %.1f s", self.rounds, self.phase, time.perf_counter() - started
        )
        result = Path(f"{self.results}-{self.rounds}.json")
        return PhaseResult(**json.loads(result.read_text(encoding="utf-8")))

    def close(self) -> None:
        """Let the child shut its app down and exit."""
        assert self.process.stdin is not None
        self.process.stdin.close()
        if self.process.wait(timeout=PHASE_TIMEOUT_S) != 0:
            raise RuntimeError(f"phase {self.phase} exited with {self.process.returncode}")


def main(argv: Sequence[str] | None = None) -> int:
    """Parent: build the database, run echo then bot in subprocesses, print the table."""
    args = parse_args(argv)
    configure_logging(args.verbose, logger)
    if args.phase:
        return run_phase(args)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="ideenlabor-bench-") as tmp:
        workdir = Path(tmp)
        asyncio.run(
            build_database(
                workdir / "bench.sqlite3",
                args.ideas,
                args.db_users,
                args.seed,
                args.news,
                args.followers,
            )
        )
        seeded_s = time.perf_counter() - started
        size_mb = (workdir / "bench.sqlite3").stat().st_size / 1e6
        logger.info("database built in %.1f s, %.0f MB", seeded_s, size_mb)
        # Echo and bot take turns, so that a machine that gets slower or faster during the run
        # (other work, a shared host) weighs on both alike. Each phase's process stays up.
        echo_process = PhaseProcess("echo", args, workdir)
        bot_process = PhaseProcess("bot", args, workdir)
        try:
            rounds = [(echo_process.round(), bot_process.round()) for _ in range(args.rounds)]
        finally:
            for process in (echo_process, bot_process):
                with contextlib.suppress(RuntimeError, subprocess.TimeoutExpired):
                    process.close()
        echo = combine([e for e, _ in rounds])
        bot = combine([b for _, b in rounds])
    setup = {
        "users": args.users,
        "rounds": args.rounds,
        "updates": f"{args.rounds}×({args.warmup}+{args.updates})",
        "ideas": f"shipped+{args.ideas}",
        "db users": args.db_users,
        "news, followers per idea": f"{args.news}, {args.followers}",
        "database built": f"{seeded_s:.0f} s, {size_mb:,.0f} MB",
        "cpus": os.cpu_count(),
        "runtime": f"{time.perf_counter() - started:.0f} s",
    }
    report = format_report(bot, echo, setup, rounds)
    figures = {"setup": setup, "bot": asdict(bot), "echo": asdict(echo)}
    errors = not error_free(bot) or not error_free(echo)
    invalid = "the fake rejected calls or a handler raised (see above)" if errors else None
    return finish(args, (report, all_passed(report_lines(bot, echo))), figures, invalid)


if __name__ == "__main__":
    sys.exit(main())
