"""The comments benchmark (bench/comments.py) still runs end to end, at a tiny scale."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.importfile import shipped_bundle

from stories.bench import run_bench

pytestmark = pytest.mark.process  # starts the bot or a server (see conftest.py)


def test_comments_bench_runs_at_tiny_scale(tmp_path: Path) -> None:
    done, figures = run_bench(
        "comments.py",
        tmp_path,
        {
            "ideas": 200,
            "comments": 5000,
            "ratings": 1000,
            "users": 1000,
            "opens": 300,
            "warmup": 50,
        },
    )

    setup = figures["setup"]
    assert (setup["comments"], setup["opens"], setup["users"]) == (5000, 300, 1000)
    assert setup["ideas"] == 200 + len(shipped_bundle().ideas)  # seeded + the shipped ideas
    assert 900 <= setup["ratings"] <= 1100 and setup["reports"] == 50
    assert setup["published_per_idea_max"] > setup["published_per_idea_median"]  # uneven
    for part in ("total", "idea", "page", "rating"):
        ms = figures["ms"][part]
        assert 0 < ms["p50"] <= ms["p95"] <= ms["p99"] <= ms["max"]
    plan = " ".join(step for p in figures["plans"] for step in p["plan"])
    assert "USING INDEX comments_by_idea" in plan and "TEMP B-TREE" not in plan
    assert figures["peak_rss_mb"] >= figures["rss_before_mb"] > 0
    for line in ("p99 of opening an idea", "EXPLAIN QUERY PLAN", "peak RSS", "db_mb"):
        assert line in done.stdout, done.stdout
