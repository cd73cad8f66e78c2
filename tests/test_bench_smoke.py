"""The browse benchmark (bench/browse.py) still runs end to end, at a tiny scale."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.process  # starts the bot or a server (see conftest.py)

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench" / "browse.py"


def test_bench_runs_at_tiny_scale_without_errors(tmp_path: Path) -> None:
    figures_file = tmp_path / "figures.json"
    command = [
        sys.executable,
        str(BENCH),
        "--ideas",
        "200",
        "--db-users",
        "500",
        "--users",
        "5",
        "--updates",
        "100",
        "--rounds",
        "2",
        "--json",
        str(figures_file),
        "--check",
    ]
    env = {**os.environ, "PYTHONWARNINGS": "error"}  # like pytest's filterwarnings = error
    done = subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=False
    )
    figures = json.loads(figures_file.read_text(encoding="utf-8")) if figures_file.exists() else {}
    assert figures, f"no figures written\nstdout:\n{done.stdout}\nstderr:\n{done.stderr}"
    # --check: status 1 exactly when a target is missed (a tiny run may well miss the ratio).
    assert done.returncode == (0 if figures["passed"] else 1), done.stderr

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
