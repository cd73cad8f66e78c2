"""The browse benchmark (bench/browse.py) still runs end to end, at a tiny scale."""

from __future__ import annotations

from pathlib import Path

import pytest

from stories.bench import run_bench

pytestmark = pytest.mark.process  # starts the bot or a server (see conftest.py)


def test_bench_runs_at_tiny_scale_without_errors(tmp_path: Path) -> None:
    done, figures = run_bench(
        "browse.py",
        tmp_path,
        {"ideas": 200, "db-users": 500, "users": 5, "updates": 100, "rounds": 2},
    )

    for phase in ("bot", "echo"):
        result = figures[phase]
        assert result["updates"] == 100  # over both rounds
        assert result["users"] == 5
        assert result["api_errors"] == [], result["api_errors"]
        assert result["handler_errors"] == [], result["handler_errors"]
        assert result["updates_per_s"] > 0
        assert 0 < result["handling_ms"]["p50"] <= result["handling_ms"]["p99"]
        assert result["peak_rss_mb"] >= result["rss_before_mb"] > 0
        assert result["kinds"]["message"] > 0 and result["kinds"]["callback"] > 0
    assert "rounds, echo / bot updates/s (ratio): " in done.stdout  # each round is shown

    # The simulated users really got through the bot's screens (its buttons still parse).
    steps = set(figures["bot"]["steps"])
    assert {"/start", "menu → regions", "regions → a region", "open an idea"} <= steps, steps
    assert figures["bot"]["api_calls"].get("editMessageText", 0) > 0

    for label in ("throughput ratio bot/echo", "handling time p99, ms", "peak RSS"):
        assert label in done.stdout, done.stdout
