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


class Workshop(Record):
    """An Ideenlabor: a half-day regional workshop."""

    id: int
    slug: str
    region_id: int
    region_name: str
    region_slug: str
    title: str
    description: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    venue: str
    address: str
    registration_url: str | None
    capacity: int | None
    status: str  # planned, changed, cancelled
    sequence: int
    confirmed: int = 0
    waiting: int = 0

    @property
    def is_full(self) -> bool:
        """True when every seat is taken."""
        return self.capacity is not None and self.confirmed >= self.capacity

    @property
    def free_seats(self) -> int | None:
        """Seats left, None without a limit."""
        return None if self.capacity is None else max(0, self.capacity - self.confirmed)


class WorkshopPage(Record):
    """One page of upcoming workshops."""

    items: tuple[Workshop, ...]
    page: int
    page_count: int
    total: int


class Registration(Record):
    """A seat or a waiting-list place of one person at one workshop."""

    id: int
    workshop_id: int
    user_id: int
    display_name: str
    status: str  # confirmed, waiting
    created_at: dt.datetime


class UserWorkshopState(Record):
    """How one user relates to one workshop."""

    registration: str | None  # confirmed, waiting or None
    waiting_position: int | None
    follows: bool
    subscribed_region: bool


class Reminder(Record):
    """One reminder time of a workshop."""

    id: int
    workshop_id: int
    label: str
    due_at: dt.datetime
    state: str


class OutboxMessage(Record):
    """A notification waiting in (or done with) the delivery queue."""

    id: int
    chat_id: int
    kind: str
    payload: str
    state: str
    attempts: int
    not_before: dt.datetime
    broadcast_id: int | None


class Broadcast(Record):
    """A message from an admin to many users, with its delivery counts."""

    id: int
    admin_id: int
    audience: str
    text: str
    total: int
    progress_message_id: int | None
    finished_at: dt.datetime | None
    pending: int = 0
    sent: int = 0
    blocked: int = 0
    failed: int = 0


class Draft(Record):
    """The state of a user's multi-step dialogue."""

    user_id: int
    flow: str
    step: str
    data: dict[str, object]
