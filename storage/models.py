"""Typed, immutable records returned by the repositories."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict


class Record(BaseModel):
    """Base for all records: frozen, no extra fields."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class Region(Record):
    """A labour-market region with the number of ideas in it."""

    id: int
    slug: str
    name: str
    idea_count: int = 0


class Challenge(Record):
    """One of the challenges (Herausforderungen) of the dialogue process."""

    id: int
    slug: str
    title: str
    position: int
    idea_count: int = 0


class IdeaSummary(Record):
    """An idea as shown in a list."""

    id: int
    slug: str
    title: str


class Idea(Record):
    """An idea with everything its detail view shows."""

    id: int
    slug: str
    title: str
    summary: str
    body: str
    published_on: dt.date | None
    url: str | None
    region_id: int | None
    region_name: str | None
    region_slug: str | None
    challenge_id: int | None
    challenge_title: str | None


class Page(Record):
    """One page of idea summaries."""

    items: tuple[IdeaSummary, ...]
    page: int
    page_count: int
    total: int


class User(Record):
    """A person using the bot: only their Telegram id, language choice and activity."""

    telegram_id: int
    language: str | None
    first_seen: dt.datetime
    last_seen: dt.datetime


class Place(Record):
    """A searchable place name and the region it belongs to."""

    name: str
    kind: str  # "municipality", "district", "locality", "region"
    region_id: int
    region_slug: str
    region_name: str
    detail: str = ""  # e.g. the district of a municipality


class PostalCode(Record):
    """A postcode and a place it belongs to."""

    code: str
    place: Place
