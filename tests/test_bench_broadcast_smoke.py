"""The broadcast benchmark (bench/broadcast.py) still runs end to end, at a tiny scale."""

from __future__ import annotations

from pathlib import Path

import pytest

from stories.bench import run_bench

pytestmark = pytest.mark.process  # starts the bot or a server (see conftest.py)


def test_broadcast_bench_runs_at_tiny_scale_exactly_once(tmp_path: Path) -> None:
    done, figures = run_bench(
        "broadcast.py", tmp_path, {"messages": 200, "limit": 200, "window": 0.5}
    )

    for phase in ("limited", "unlimited"):
        result = figures[phase]
        assert result["messages"] == 200
        assert result["delivered"] == 200, result
        assert result["duplicates"] == 0, result
        assert result["lost"] == 0, result
        assert result["outbox"] == {"sent": 200}, result
        assert result["rejected"] == [], result["rejected"]
        assert result["rate_per_s"] > 0 and result["min_window_per_s"] > 0
        assert result["peak_rss_mb"] >= result["rss_before_mb"] > 0
    assert figures["limited"]["limit"] == 200 and figures["limited"]["send_rate"] == 200
    assert figures["unlimited"]["limit"] is None

    for label in (
        "messages/s over the whole run",
        "messages/s, slowest",
        "429 Too Many Requests received",
        "duplicates",
        "lost messages",
        "messages/s (dispatcher alone)",
        "peak RSS",
    ):
        assert label in done.stdout, done.stdout
