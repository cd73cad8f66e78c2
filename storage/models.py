"""Typed, immutable records returned by the repositories."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Callable, Mapping
from functools import cache
from typing import Any, Generic, Self, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from storage.timeutil import from_db

Row = sqlite3.Row | Mapping[str, Any]


def _moment(stored: str | None) -> dt.datetime | None:
    return from_db(stored) if stored else None


# How a column is stored, by the type of its field: moments as text (storage.timeutil, NULL
# or '' for none), flags as 0/1, lists of strings as JSON arrays; the rest as it is.
_READERS: dict[object, Callable[[Any], object]] = {
    dt.datetime: _moment,
    dt.datetime | None: _moment,
    bool: bool,
    tuple[str, ...]: lambda stored: tuple(json.loads(stored)),
}


class Record(BaseModel):
    """Base for all records: frozen, no extra fields."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    @classmethod
    def of(cls, row: Row, **values: object) -> Self:
        """The record of a stored row, each column read back by its field's type; values
        replace columns that need a reading of their own."""
        readers = _readers(cls)
        data = {k: readers[k](v) if k in readers else v for k, v in dict(row).items()}
        return cls(**{**data, **values})


@cache
def _readers(model: type[Record]) -> dict[str, Callable[[Any], object]]:
    """The readers of the record's stored moments, flags and lists, by column."""
    fields = model.model_fields.items()
    return {name: _READERS[f.annotation] for name, f in fields if f.annotation in _READERS}


# The lifecycle of an idea, in order (display texts live in messages/).
IDEA_STATUSES = ("idea", "elaboration", "implementation", "implemented", "dormant")
# Where an idea came from.
IDEA_ORIGINS = ("workshop", "staff", "citizen")


class Region(Record):
    """A labour-market region with the number of (not archived) ideas in it."""

    id: int
    slug: str
    name: str
    idea_count: int = 0
    name_en: str | None = None  # only where the English name differs


class Challenge(Record):
    """One of the challenges (Herausforderungen) of the dialogue process."""

    id: int
    slug: str
    title: str
    position: int
    idea_count: int = 0
    title_en: str | None = None


class IdeaSummary(Record):
    """An idea as shown in a list."""

    id: int
    slug: str
    title: str
    comment_count: int = 0
    title_en: str | None = None
    status: str = "idea"


class WorkshopRef(Record):
    """The Ideenlabor an idea came from, as the idea view names it."""

    id: int
    slug: str
    title: str
    title_en: str | None
    region_name: str
    starts_at: dt.datetime
    time_known: bool
    region_name_en: str | None = None


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
    comment_count: int = 0
    rating_count: int = 0
    rating_sum: int = 0
    status: str = "idea"
    status_changed_at: dt.datetime | None = None
    origin: str = "workshop"
    workshop: WorkshopRef | None = None  # the Ideenlabor it came from, if known
    title_en: str | None = None
    summary_en: str | None = None
    body_en: str | None = None
    region_name_en: str | None = None
    challenge_title_en: str | None = None
    sources: tuple[str, ...] = ()
    follower_count: int = 0
    archived_at: dt.datetime | None = None
    archived_reason: str | None = None

    @property
    def archived(self) -> bool:
        """Hidden from citizens (restorable)."""
        return self.archived_at is not None


class IdeaHit(Record):
    """An idea found by a search, as a result list shows it."""

    id: int
    slug: str
    title: str
    title_en: str | None = None
    region_id: int | None = None
    region_name: str | None = None
    region_name_en: str | None = None
    status: str = "idea"
    comment_count: int = 0
    score: float = 0.0  # relevance (bm25, higher is better): for comparing hits of one search


Item = TypeVar("Item", bound=Record)


class Page(Record, Generic[Item]):
    """One page of a list of ideas (IdeaSummary, or IdeaHit for a search)."""

    items: tuple[Item, ...]
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
    time_known: bool = True  # False: only the day is known (starts_at/ends_at span it)
    city: str = ""
    organisers: tuple[str, ...] = ()
    participants: int | None = None
    participants_qualifier: str | None = None  # about, more_than, almost
    report: str = ""  # what happened (for the Rückblick)
    title_en: str | None = None
    description_en: str | None = None
    report_en: str | None = None
    sources: tuple[str, ...] = ()
    region_name_en: str | None = None

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


class PastWorkshop(Record):
    """A past Ideenlabor with the ideas that came out of it (not archived ones)."""

    workshop: Workshop
    ideas: tuple[IdeaSummary, ...]


class PastWorkshopPage(Record):
    """One page of past workshops, newest first."""

    items: tuple[PastWorkshop, ...]
    page: int
    page_count: int
    total: int


class IdeaNews(Record):
    """A dated progress entry of an idea: a text, or a change of status."""

    id: int
    idea_id: int
    posted_at: dt.datetime
    posted_by: int | None  # staff member; None: import or command line; 0: erased
    kind: str  # news, status
    old_status: str | None
    new_status: str | None
    text: str
    text_en: str | None


class NewsPage(Record):
    """One page of an idea's news, newest first."""

    items: tuple[IdeaNews, ...]
    page: int
    page_count: int
    total: int


class Organisation(Record):
    """An organisation shown on its region's page, e.g. the Regionalagentur."""

    id: int
    slug: str
    region_id: int
    kind: str  # regionalagentur, other
    name: str
    host: str
    host_en: str | None
    url: str | None
    sources: tuple[str, ...] = ()


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
    channel: str = "telegram"
    email_to: str | None = None


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


class Comment(Record):
    """A comment on an idea."""

    id: int
    idea_id: int
    idea_title: str
    region_id: int | None
    user_id: int | None
    author_name: str
    text: str
    status: str  # pending, approved, rejected, hidden
    created_at: dt.datetime
    report_count: int = 0


class CommentPage(Record):
    """One page of an idea's published comments."""

    items: tuple[Comment, ...]
    page: int
    page_count: int
    total: int


class RatingSummary(Record):
    """Average stars and number of ratings of an idea, and the user's own rating."""

    count: int
    average: float | None
    mine: int | None = None


class StatusChange(Record):
    """A change of status, and the news entry that records it."""

    idea_id: int
    old_status: str
    new_status: str
    news_id: int


class ArchiveChange(Record):
    """What archiving or restoring did (changed False: it already was so)."""

    idea_id: int
    slug: str
    title: str
    region_id: int | None
    changed: bool
    archived_at: dt.datetime | None
    reason: str | None
    follower_count: int


class Proposal(Record):
    """A citizen's proposal for an idea, with the names of its region, challenge and idea."""

    id: int
    user_id: int | None
    author_name: str
    title: str
    description: str
    region_id: int
    region_name: str
    region_name_en: str | None = None
    challenge_id: int | None = None
    challenge_title: str | None = None
    challenge_title_en: str | None = None
    wants_to_help: bool = False
    status: str = "pending"
    reason: str | None = None
    idea_id: int | None = None  # approved: the idea it became, merged: the idea it duplicates
    idea_title: str | None = None
    idea_title_en: str | None = None
    created_at: dt.datetime
    submitted_at: dt.datetime
    decided_at: dt.datetime | None = None


class ProposalCount(Record):
    """How many proposals a region has in one status (statistics)."""

    region_name: str
    status: str
    count: int


class WorkingGroup(Record):
    """A working group in a region."""

    id: int
    slug: str
    name: str
    region_id: int
    region_name: str
    description: str
    open: bool
    name_en: str | None = None
    description_en: str | None = None


class Contact(Record):
    """An imported regional contact; name and organisation are public."""

    id: int
    slug: str
    region_id: int
    name: str
    organisation: str
    email: str | None
    phone: str | None
    telegram_id: int | None


class InterestRegistration(Record):
    """A citizen's registration of interest in a working group (stored after consent)."""

    id: int
    group_id: int
    group_name: str
    region_id: int
    region_name: str
    user_id: int
    name: str
    email: str | None
    phone: str | None
    message: str | None
    consent_text: str
    consented_at: dt.datetime
    status: str
    revision: int
    created_at: dt.datetime
    contacted_at: dt.datetime | None


class Invite(Record):
    """A one-time invitation to become a region's contact."""

    token: str
    region_id: int
    contact_id: int | None
    expires_at: dt.datetime
    used_by: int | None
    created_by: int = 0  # the admin who invited
    region_name: str = ""


class ContactProfile(Record):
    """A contact as citizens see them."""

    id: int
    region_id: int
    name: str
    organisation: str
    public_email: str | None
    public_phone: str | None
    published_at: dt.datetime | None
    telegram_id: int | None = None


class Grant(Record):
    """A role as listed by /rollen: who holds it, where, since when, granted by whom."""

    user_id: int
    role: str
    region_id: int | None
    region_slug: str | None
    region_name: str | None
    granted_by: int | None
    granted_at: dt.datetime
    region_name_en: str | None = None


class AuditEntry(Record):
    """One row of the audit log."""

    id: int
    actor: str
    action: str
    target: str
    details: dict[str, Any]
    created_at: dt.datetime


class Expiry(Record):
    """What one expiry run did, by user id."""

    expired: list[int]  # drafts emptied (a note that the dialogue expired stays)
    forgotten: list[int]  # such notes removed: the user has no draft row any more


class PersonalData(Record):
    """Everything stored about one person, by "table.column" section."""

    user_id: int
    sections: dict[str, list[dict[str, object]]]


class Erasure(Record):
    """What an erasure did."""

    user_id: int
    existed: bool
    rows: int


class RegionStats(Record):
    """Participation in one region."""

    name: str
    ideas: int
    comments: int  # approved comments on the region's ideas
    interest: int  # interest registrations for its working groups (not withdrawn)
    subscribers: int  # users subscribed to its workshop announcements


class UpcomingWorkshop(Record):
    """A workshop that has not started yet, with its registrations."""

    title: str
    region: str
    starts_at: dt.datetime
    confirmed: int
    waiting: int
    capacity: int | None


class Statistics(Record):
    """A snapshot of the numbers, taken at collected_at."""

    collected_at: dt.datetime
    users: int
    blocked: int
    active_7d: int
    active_30d: int
    ideas: int
    comments: dict[str, int]
    ratings: int
    interest: int
    subscribers: int
    regions: list[RegionStats]
    upcoming_total: int
    upcoming: list[UpcomingWorkshop]
    # Citizens' proposals by status, in all and per region (name → status → count; withdrawn
    # ones are deleted and not counted).
    proposals: dict[str, int] = Field(default_factory=dict)
    proposals_by_region: dict[str, dict[str, int]] = Field(default_factory=dict)
