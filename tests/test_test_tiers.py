"""The test set-up is honest: the two tiers, and what the harnesses share."""

from __future__ import annotations

import socket
import sys

import pytest

from bot.config import Settings
from bot.places import PlaceIndex

from conftest import TIER_GUARD, FakeClock, Harness, TierGuard, running


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


async def test_a_shared_place_index_is_the_one_the_database_gives(harness: Harness) -> None:
    regions = harness.data.regions
    built = PlaceIndex.build(await regions.places(), await regions.postal_codes())
    assert harness.data.places == built
    assert harness.data.places.find("Lünen").kind == "exact"


async def test_a_changed_database_gets_its_own_place_index(
    settings: Settings, clock: FakeClock
) -> None:
    async with running(settings, clock) as first:
        shipped = first.data.places
        await first.data.db.execute(
            "UPDATE municipalities SET name = 'Neu-Lünen' WHERE name = 'Lünen'"
        )
    async with running(settings, clock) as second:
        assert second.data.places is not shipped
        assert second.data.places.find("Neu-Lünen").kind == "exact"
        assert second.data.places.find("Lünen").kind != "exact"
