"""The search benchmark (bench/search.py) still runs end to end, at a tiny scale."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.importfile import shipped_bundle

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench" / "search.py"

pytestmark = pytest.mark.process  # starts the benchmark as a process (see conftest.py)


def test_search_bench_runs_at_tiny_scale(tmp_path: Path) -> None:
    figures_file = tmp_path / "figures.json"
    command = [sys.executable, str(BENCH), "--json", str(figures_file), "--check"]
    for name, value in (
        ("ideas", 300),
        ("comments", 3000),
        ("ratings", 500),
        ("users", 500),
        ("searches", 200),
        ("similar", 50),
        ("warmup", 20),
    ):
        command += [f"--{name}", str(value)]
    env = {**os.environ, "PYTHONWARNINGS": "error"}  # like pytest's filterwarnings = error
    done = subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
    )
    figures = json.loads(figures_file.read_text(encoding="utf-8")) if figures_file.exists() else {}
    assert figures, f"no figures written\nstdout:\n{done.stdout}\nstderr:\n{done.stderr}"
    assert done.returncode == (0 if figures["passed"] else 1), done.stderr

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
