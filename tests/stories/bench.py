"""A benchmark script run at a tiny scale, as the benchmarks' smoke tests run them."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

from stories.processes import REPO, run_python


def run_bench(
    script: str, tmp_path: Path, options: dict[str, object], timeout: float = 60
) -> tuple[subprocess.CompletedProcess[str], dict[str, Any]]:
    """bench/<script> with the options, --json and --check: the finished process and figures."""
    figures_file = tmp_path / "figures.json"
    arguments = [str(REPO / "bench" / script)]
    for name, value in options.items():
        arguments += [f"--{name}", str(value)]
    arguments += ["--json", str(figures_file), "--check"]
    env = {**os.environ, "PYTHONWARNINGS": "error"}  # like pytest's filterwarnings = error
    done = run_python(*arguments, env=env, timeout=timeout)
    figures = json.loads(figures_file.read_text(encoding="utf-8")) if figures_file.exists() else {}
    assert figures, f"no figures written\nstdout:\n{done.stdout}\nstderr:\n{done.stderr}"
    # --check: status 1 exactly when a target is missed (a tiny run may well miss one).
    assert done.returncode == (0 if figures["passed"] else 1), done.stderr
    return done, figures
