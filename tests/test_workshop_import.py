"""`ideenlabor import` with workshops: validation, time zones, idempotence, reminder rows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.cli import main

from stories.imports import NOW, env, refused_entry, stored, workshop, write

__all__ = ["env", "refused_entry"]  # the fixtures, used by name


def test_workshops_are_imported_in_local_time_with_future_reminders(
    env: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    soon = workshop(slug="bald", starts_at="2027-05-03T10:00", ends_at="2027-05-03T13:00")
    explicit = workshop(
        slug="mit-offset", starts_at="2027-06-01T14:00+00:00", ends_at="2027-06-01T18:00Z"
    )
    assert main(["import", str(write(tmp_path, workshop(), soon, explicit))]) == 0
    assert "3 workshops" in capsys.readouterr().out
    (may, may_reminders), (_early, early_reminders), (june, _) = stored(env)
    assert may.starts_at == dt.datetime(2027, 5, 12, 12, 0, tzinfo=dt.UTC)  # 14:00 in Berlin
    assert may.ends_at == dt.datetime(2027, 5, 12, 16, 0, tzinfo=dt.UTC)
    assert (may.capacity, may.registration_url, may.status) == (
        30,
        "https://example.org/anmeldung",
        "planned",
    )
    assert [(r.label, r.due_at, r.state) for r in may_reminders] == [
        ("7d@09:00", dt.datetime(2027, 5, 5, 7, 0, tzinfo=dt.UTC), "pending"),
        ("1d@09:00", dt.datetime(2027, 5, 11, 7, 0, tzinfo=dt.UTC), "pending"),
    ]
    # Two days ahead: the 7-day reminder would be in the past, so only the 1-day one exists.
    assert [(r.label, r.due_at) for r in early_reminders] == [
        ("1d@09:00", dt.datetime(2027, 5, 2, 7, 0, tzinfo=dt.UTC))
    ]
    assert all(r.due_at > NOW for r in may_reminders + early_reminders)
    assert june.starts_at == dt.datetime(2027, 6, 1, 14, 0, tzinfo=dt.UTC)  # the offset wins


def test_naive_times_follow_ideenlabor_timezone(
    env: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("IDEENLABOR_TIMEZONE", "America/New_York")
    assert main(["import", str(write(tmp_path, workshop()))]) == 0
    [(may, _)] = stored(env)
    assert may.starts_at == dt.datetime(2027, 5, 12, 18, 0, tzinfo=dt.UTC)  # 14:00 EDT


def test_reimport_is_idempotent_and_a_new_time_replans_reminders(env: Path, tmp_path: Path) -> None:
    path = write(tmp_path, workshop())
    assert main(["import", str(path)]) == 0
    [(first, first_reminders)] = stored(env)
    assert main(["import", str(path)]) == 0
    [(again, again_reminders)] = stored(env)
    assert again.id == first.id and again.starts_at == first.starts_at
    assert (again.title, again.status) == (first.title, "planned")
    assert again.sequence == first.sequence  # unchanged: calendars need no update
    assert again_reminders == first_reminders  # the same rows, not duplicated
    moved = workshop(starts_at="2027-05-20T14:00", ends_at="2027-05-20T18:00")
    assert main(["import", str(write(tmp_path, moved))]) == 0
    [(changed, reminders)] = stored(env)
    assert changed.id == first.id and changed.sequence > again.sequence  # calendars update
    assert [r.due_at.date() for r in reminders] == [dt.date(2027, 5, 13), dt.date(2027, 5, 19)]
    assert main(["import", str(write(tmp_path, workshop(status="cancelled")))]) == 0
    [(cancelled, reminders)] = stored(env)
    assert cancelled.status == "cancelled"
    assert {r.state for r in reminders} <= {"dropped"}


@pytest.mark.parametrize(
    ("entry", "error"),
    [
        (
            workshop(ends_at="2027-05-12T13:00"),
            "workshops[0]: ends_at must be after starts_at",
        ),
        (
            workshop(ends_at="2027-05-12T14:00"),
            "workshops[0]: ends_at must be after starts_at",
        ),
        (
            workshop(region="koln"),
            "workshops[0].region: unknown region 'koln' (did you mean 'koeln'?)",
        ),
        (
            workshop(region="atlantis"),
            "workshops[0].region: unknown region 'atlantis'",
        ),
        (
            workshop(registration_url="javascript:alert(1)"),
            "workshops[0].registration_url: must be an http:// or https:// URL",
        ),
        (
            workshop(registration_url="ftp://example.org/liste"),
            "workshops[0].registration_url: must be an http:// or https:// URL",
        ),
        (workshop(capacity=0), "workshops[0].capacity: Input should be greater than 0"),
        (workshop(status="verschoben"), "workshops[0].status: Input should be 'planned'"),
    ],
)
def test_invalid_workshops_are_rejected_with_their_location(
    refused_entry: Callable[[dict[str, object]], str], entry: dict[str, object], error: str
) -> None:
    err = refused_entry(entry)  # the valid entry before it is not written either
    assert error.replace("[0]", "[1]") in err, err
