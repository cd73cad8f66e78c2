"""Benchmark: opening an idea (idea, first comment page, rating summary) among 1,000,000 comments.

    .venv/bin/python bench/comments.py            # full scale (also: make bench)
    .venv/bin/python bench/comments.py --check    # exit status 1 when the target is missed
    .venv/bin/python bench/comments.py --ideas 500 --comments 20000 --opens 500   # quick look

Storage only: a temporary database (migrations + shipped data, then bulk rows), then --opens
random "open an idea" operations through the project's repositories on a fresh connection:
IdeaRepository.get + CommentRepository.published_page(idea, 0) + RatingRepository.summary.
See bench/README.md ("Comments benchmark") for what is measured and the target.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # `python bench/comments.py` puts bench/ first, not the checkout
    sys.path.insert(0, str(ROOT))

import bench_common  # noqa: E402
from bench_common import peak_rss_mb, percentiles_ms, rss_now_mb  # noqa: E402

from storage.comments import CommentRepository  # noqa: E402
from storage.db import Database, Params  # noqa: E402
from storage.ideas import IdeaRepository  # noqa: E402
from storage.ratings import RatingRepository  # noqa: E402

TARGET_P99_MS = 5.0
FIRST_USER_ID = 10_000_000  # as bench/comments_seed.py seeds them


class RecordingDatabase(Database):
    """The project's Database, noting the SQL of reads while `recording` is set."""

    recording: list[tuple[str, Params]] | None = None

    async def fetchall(self, sql: str, params: Params = ()) -> list[Any]:
        """Database.fetchall, recorded."""
        if self.recording is not None:
            self.recording.append((sql, params))
        return await super().fetchall(sql, params)

    async def fetchone(self, sql: str, params: Params = ()) -> Any:
        """Database.fetchone, recorded once (even if it reads through fetchall)."""
        recording, self.recording = self.recording, None
        if recording is not None:
            recording.append((sql, params))
        try:
            return await super().fetchone(sql, params)
        finally:
            self.recording = recording


async def measure(path: Path, args: argparse.Namespace) -> dict[str, Any]:
    """--opens timed "open an idea" operations (after --warmup), on a fresh connection."""
    rng = random.Random(args.seed + 1)
    db = await RecordingDatabase.open(path)
    ideas, comments, ratings = IdeaRepository(db), CommentRepository(db), RatingRepository(db)
    try:
        rows = await db.fetchall("SELECT id, comment_count FROM ideas")
        ids = [int(r["id"]) for r in rows]
        popular = [int(r["comment_count"]) + 1 for r in rows]
        parts: dict[str, list[float]] = {"total": [], "idea": [], "page": [], "rating": []}
        rss_before = rss_now_mb()
        for n in range(args.warmup + args.opens):
            # Half the visits go to an idea at random, half follow the discussion.
            idea_id = rng.choice(ids) if n % 2 else rng.choices(ids, weights=popular)[0]
            user = FIRST_USER_ID + rng.randrange(args.users)
            t0 = time.perf_counter()
            idea = await ideas.get(idea_id)
            t1 = time.perf_counter()
            page = await comments.published_page(idea_id, 0)
            t2 = time.perf_counter()
            summary = await ratings.summary(idea_id, user)
            t3 = time.perf_counter()
            assert idea is not None and page.total == idea.comment_count
            assert summary.count == idea.rating_count
            if n >= args.warmup:
                for key, value in (
                    ("total", t3 - t0),
                    ("idea", t1 - t0),
                    ("page", t2 - t1),
                    ("rating", t3 - t2),
                ):
                    parts[key].append(value)
        db.recording = []
        heaviest = max(rows, key=lambda r: int(r["comment_count"]))
        await comments.published_page(int(heaviest["id"]), 0)
        plans = []
        for sql, params in db.recording:
            if "FROM comments" in sql:
                db.recording = None
                plan = await db.fetchall("EXPLAIN QUERY PLAN " + sql, params)
                plans.append({"sql": sql, "plan": [str(r["detail"]) for r in plan]})
    finally:
        await db.close()
    return {
        "ms": {key: percentiles_ms(values) for key, values in parts.items()},
        "plans": plans,
        "rss_before_mb": rss_before,
        "peak_rss_mb": peak_rss_mb(),
    }


def report(setup: dict[str, object], result: dict[str, Any]) -> tuple[str, bool]:
    """The plain-text report and whether every target passed."""
    ms = result["ms"]
    page_plan = " | ".join(step for p in result["plans"] for step in p["plan"])
    uses_index = "comments_by_idea" in page_plan and "TEMP B-TREE" not in page_plan
    passed = ms["total"]["p99"] < TARGET_P99_MS and uses_index
    verdict = "PASS" if ms["total"]["p99"] < TARGET_P99_MS else "FAIL"
    facts = (f"{k} {v:,}" if isinstance(v, int) else f"{k} {v}" for k, v in setup.items())
    lines = [
        "Ideenlabor-Bot comments benchmark (storage only)",
        ", ".join(facts),
        "",
        f"{'open an idea, ms':28} {'p50':>7} {'p95':>7} {'p99':>7} {'max':>7} {'mean':>7}",
    ]
    for key, name in (
        ("total", "idea + page + rating"),
        ("idea", "  IdeaRepository.get"),
        ("page", "  published_page(idea, 0)"),
        ("rating", "  RatingRepository.summary"),
    ):
        f = ms[key]
        lines.append(
            f"{name:28} {f['p50']:>7.3f} {f['p95']:>7.3f} {f['p99']:>7.3f}"
            f" {f['max']:>7.2f} {f['mean']:>7.3f}"
        )
    lines += [
        "",
        f"p99 of opening an idea: {ms['total']['p99']:.3f} ms"
        f" (target < {TARGET_P99_MS:g} ms)  {verdict}",
        f"comment page query uses index comments_by_idea, no sort: "
        f"{'PASS' if uses_index else 'FAIL'}",
        "",
        "EXPLAIN QUERY PLAN of the page queries:",
    ]
    for p in result["plans"]:
        cut = p["sql"].find(" FROM comments c")
        lines.append("  SELECT …" + p["sql"][cut:] if cut > 0 else "  " + p["sql"])
        lines += [f"    {step}" for step in p["plan"]]
    lines += [
        "",
        f"RSS before the opens: {result['rss_before_mb']:.1f} MB;"
        f" peak RSS of the measuring process: {result['peak_rss_mb']:.1f} MB",
        bench_common.load_line(result, " the opens"),
    ]
    return "\n".join(lines), passed


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Command-line options."""
    return bench_common.parse(
        __doc__,
        (
            *bench_common.SEED_OPTIONS,
            ("--opens", 5_000, "measured 'open an idea' operations"),
            ("--warmup", 500, "operations before measuring"),
        ),
        argv,
        positive=("--ideas", "--comments", "--users", "--opens"),
        check="exit 1 when a target is missed",
    )


def run(args: argparse.Namespace) -> int:
    """Seed, measure, report."""
    with tempfile.TemporaryDirectory(prefix="bench-comments-") as folder:
        path = Path(folder) / "ideenlabor.sqlite3"
        started = time.perf_counter()
        setup = bench_common.seed_comments_database(path, args)
        setup["seed_s"] = round(time.perf_counter() - started, 1)
        setup["db_mb"] = round(bench_common.db_size_mb(path), 1)
        setup["opens"] = args.opens
        load = os.getloadavg()[0]
        result = asyncio.run(measure(path, args))
        result["load_average"] = bench_common.load_averages(load)
    return bench_common.finish(args, report(setup, result), {"setup": setup, **result})


if __name__ == "__main__":
    sys.exit(run(parse_args()))
