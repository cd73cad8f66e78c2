"""The search benchmark (bench/search.py) still runs end to end, at a tiny scale."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.importfile import shipped_bundle

from stories.bench import run_bench

pytestmark = pytest.mark.process  # starts the benchmark as a process (see conftest.py)


def test_search_bench_runs_at_tiny_scale(tmp_path: Path) -> None:
    done, figures = run_bench(
        "search.py",
        tmp_path,
        {
            "ideas": 300,
            "comments": 3000,
            "ratings": 500,
            "users": 500,
            "searches": 200,
            "similar": 50,
            "warmup": 20,
        },
        timeout=120,
    )

    setup = figures["setup"]
    assert setup["ideas"] == 300 + len(shipped_bundle().ideas)
    assert (setup["comments"], setup["ideas_reindexed"]) == (3000, 300)
    assert setup["index_mb"] > 0
    for part in ("search_ms", "similar_ms"):
        ms = figures[part]
        assert 0 < ms["p50"] <= ms["p95"] <= ms["p99"] <= ms["max"]
    assert len(figures["search_by_kind_ms"]) == 9
    assert figures["results_median"] > 0 and figures["no_results_share"] < 0.5
    assert figures["similar_mean_hits"] > 2
    for line in ("p99 of a search", "SearchRepository.similar", "index_mb", "peak RSS"):
        assert line in done.stdout, done.stdout
