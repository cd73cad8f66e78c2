"""The two test tiers stay honest: an unmarked test may not start a process or a server."""

from __future__ import annotations

import socket
import sys

import pytest

from conftest import TIER_GUARD, TierGuard


def test_the_guard_names_what_an_unmarked_test_started() -> None:
    guard = TierGuard()
    guard.hook("subprocess.Popen", ("python", ["python", "-m", "bot"], None, None))
    assert guard.verdict("t") is None  # not watching: between tests, or a marked test
    guard.watch(unmarked=True)
    guard.hook("open", ("/tmp/x", "r", 0))
    guard.hook("socket.bind", (None, ("127.0.0.1", 0)))  # probing a free port is no server
    assert guard.verdict("t") is None
    guard.hook("subprocess.Popen", ("python", ["python", "-m", "bot"], None, None))
    verdict = guard.verdict("tests/test_x.py::t")
    assert verdict is not None
    assert verdict.startswith("tests/test_x.py::t started a process or a server")
    assert "@pytest.mark.process" in verdict and "subprocess.Popen" in verdict
    guard.watch(unmarked=False)
    assert guard.verdict("t") is None


def test_this_unmarked_test_is_watched_for_processes_and_listening_sockets() -> None:
    assert TIER_GUARD.watching
    sys.audit("subprocess.Popen", "python", ["python", "-V"], None, None)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))  # bound, not listening: not a server
        assert len(TIER_GUARD.seen) == 1
        probe.listen()
    seen, TIER_GUARD.seen = TIER_GUARD.seen, []  # (or this very test would fail)
    assert [entry.split(" ", 1)[0] for entry in seen] == ["subprocess.Popen", "socket.listen"]


@pytest.mark.process
def test_a_marked_test_is_not_watched() -> None:
    assert not TIER_GUARD.watching
