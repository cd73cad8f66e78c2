"""How moments are stored: UTC, fixed-width ISO 8601, so text order is time order."""

from __future__ import annotations

import datetime as dt


def to_db(moment: dt.datetime) -> str:
    """An aware datetime as stored text (UTC, microseconds, 'Z')."""
    if moment.tzinfo is None:
        raise ValueError("naive datetimes are not stored")
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def from_db(text: str) -> dt.datetime:
    """Stored text back to an aware UTC datetime."""
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(dt.UTC)
