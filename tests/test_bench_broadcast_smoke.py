"""The broadcast benchmark (bench/broadcast.py) still runs end to end, at a tiny scale."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.process  # starts the bot or a server (see conftest.py)

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench" / "broadcast.py"


def test_broadcast_bench_runs_at_tiny_scale_exactly_once(tmp_path: Path) -> None:
    figures_file = tmp_path / "figures.json"
    command = [
        sys.executable,
        str(BENCH),
        "--messages",
        "200",
        "--limit",
        "200",
        "--window",
        "0.5",
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
    # --check: status 1 exactly when a target is missed (a tiny run may miss the rates).
    assert done.returncode == (0 if figures["passed"] else 1), done.stderr

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
