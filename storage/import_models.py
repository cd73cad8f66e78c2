"""The import file format: regions, challenges, ideas (with their news), workshops (coming and
past), working groups, contacts and organisations."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PositiveInt,
    StringConstraints,
    model_validator,
)

from storage.contact_format import normal_phone, valid_email

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{0,39}$")]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
LongText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=20000)]


def _http_url(value: str) -> str:
    if not re.match(r"^https?://[^\s/$.?#][^\s]*$", value):
        raise ValueError("must be an http:// or https:// URL")
    return value


Url = Annotated[str, AfterValidator(_http_url)]
# An English version of a text; absent or empty: none (English readers get the German one).
TextEn = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] | None
LongTextEn = LongText | None
# The lifecycle of an idea (storage.models.IDEA_STATUSES).
Status = Literal["idea", "elaboration", "implementation", "implemented", "dormant"]


class ImportModel(BaseModel):
    """Base: unknown keys are errors (they are usually typos)."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class MunicipalityIn(ImportModel):
    """A municipality (Gemeinde) with its postcodes."""

    ags: Annotated[str, StringConstraints(pattern=r"^05\d{6}$")]
    name: Text
    postal_codes: list[Annotated[str, StringConstraints(pattern=r"^\d{5}$")]] = []
    localities: list[Text] = []
    lat: float | None = Field(default=None, ge=-90, le=90)
    lon: float | None = Field(default=None, ge=-180, le=180)
    # The region, where it differs from the district's (e.g. Witten: mittlere-ruhr).
    region: Slug | None = None


class DistrictIn(ImportModel):
    """A district: a Kreis or a kreisfreie Stadt."""

    key: Annotated[str, StringConstraints(pattern=r"^05\d{3}$")]
    name: Text
    kind: Literal["Kreis", "kreisfreie Stadt"]
    municipalities: list[MunicipalityIn] = []


class RegionIn(ImportModel):
    """A labour-market region."""

    slug: Slug
    name: Text
    name_en: TextEn = None
    districts: list[DistrictIn] = []


class ChallengeIn(ImportModel):
    """A challenge of the dialogue process."""

    slug: Slug
    title: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
    title_en: Annotated[str, StringConstraints(strip_whitespace=True, max_length=300)] | None = None


class NewsIn(ImportModel):
    """A dated progress entry of an idea; with status, it records the change to that status."""

    date: dt.date
    text: LongText = ""
    text_en: LongTextEn = None
    status: Status | None = None

    @model_validator(mode="after")
    def _says_something(self) -> NewsIn:
        if not self.text and self.status is None:
            raise ValueError("a news entry needs a text or a status")
        return self


class IdeaIn(ImportModel):
    """An idea on the idea map; region and challenge may be unknown (null)."""

    slug: Slug
    title: Text
    region: Slug | None = None
    challenge: Slug | None = None
    summary: LongText = ""
    body: LongText = ""
    published_on: dt.date | None = None
    url: Url | None = None
    title_en: TextEn = None
    summary_en: LongTextEn = None
    body_en: LongTextEn = None
    status: Status = "idea"
    origin: Literal["workshop", "staff", "citizen"] = "workshop"
    workshop: Slug | None = None  # the Ideenlabor it came from
    sources: list[Url] = []
    news: list[NewsIn] = []  # replaces the news of earlier imports (not those from the chat)

    @model_validator(mode="after")
    def _status_matches_news(self) -> IdeaIn:
        changes = [n for n in sorted(self.news, key=lambda n: n.date) if n.status is not None]
        if changes and changes[-1].status != self.status:
            raise ValueError(
                f"status is '{self.status}', but the latest status entry in news says"
                f" '{changes[-1].status}'"
            )
        return self


Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


class WorkshopIn(ImportModel):
    """An Ideenlabor, coming or past; times without an offset are read in IDEENLABOR_TIMEZONE.

    A past one may give only its date (the sources often name no time); a coming one needs
    starts_at and ends_at.
    """

    slug: Slug
    region: Slug
    title: Text
    description: LongText = ""
    date: dt.date | None = None
    starts_at: dt.datetime | None = None
    ends_at: dt.datetime | None = None
    venue: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] = ""
    address: Annotated[str, StringConstraints(strip_whitespace=True, max_length=300)] = ""
    registration_url: Url | None = None
    capacity: PositiveInt | None = None
    status: Literal["planned", "changed", "cancelled"] = "planned"
    city: Annotated[str, StringConstraints(strip_whitespace=True, max_length=100)] = ""
    organisers: list[Name] = []
    participants: PositiveInt | None = None
    participants_qualifier: Literal["about", "more_than", "almost"] | None = None
    report: LongText = ""  # what happened (Rückblick)
    title_en: TextEn = None
    description_en: LongTextEn = None
    report_en: LongTextEn = None
    sources: list[Url] = []

    @model_validator(mode="after")
    def _end_after_start(self) -> WorkshopIn:
        start, end = self.starts_at, self.ends_at
        if start is None or end is None:
            if start is not None or end is not None:
                raise ValueError("give both starts_at and ends_at, or neither (only a date)")
            if self.date is None:
                raise ValueError("a workshop needs starts_at and ends_at, or (if past) a date")
            return self
        if (start.tzinfo is None) != (end.tzinfo is None):
            raise ValueError("starts_at and ends_at must both have a UTC offset or both not")
        if end <= start:
            raise ValueError("ends_at must be after starts_at")
        if self.date is not None and self.date != start.date():
            raise ValueError(f"date {self.date} is not the day of starts_at ({start.date()})")
        return self


def _email(value: str) -> str:
    if not valid_email(value):
        raise ValueError("not a valid e-mail address")
    return value


def _phone(value: str) -> str:
    normal = normal_phone(value)
    if normal is None:
        raise ValueError("not a valid phone number (e.g. 0211 123456 or +49 211 123456)")
    return normal


class WorkingGroupIn(ImportModel):
    """A working group carrying one or more ideas in a region."""

    slug: Slug
    name: Text
    region: Slug
    ideas: list[Slug] = []
    description: LongText = ""
    open: bool = True
    name_en: TextEn = None
    description_en: LongTextEn = None


class ContactIn(ImportModel):
    """A region's contact person; name and organisation are shown publicly."""

    slug: Slug
    region: Slug
    name: Text
    organisation: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] = ""
    email: (
        Annotated[str, StringConstraints(strip_whitespace=True), AfterValidator(_email)] | None
    ) = None
    phone: Annotated[str, AfterValidator(_phone)] | None = None
    telegram_id: PositiveInt | None = None
    # Shown to citizens (with name and organisation): only with the person's consent.
    public_email: (
        Annotated[str, StringConstraints(strip_whitespace=True), AfterValidator(_email)] | None
    ) = None
    public_phone: Annotated[str, AfterValidator(_phone)] | None = None


class OrganisationIn(ImportModel):
    """An organisation shown on its region's page (no personal data), e.g. the Regionalagentur."""

    slug: Slug
    region: Slug
    name: Name
    kind: Literal["regionalagentur", "other"] = "regionalagentur"
    host: Annotated[str, StringConstraints(strip_whitespace=True, max_length=300)] | None = None
    host_en: Annotated[str, StringConstraints(strip_whitespace=True, max_length=300)] | None = None
    url: Url | None = None
    sources: list[Url] = []


class ImportBundle(ImportModel):
    """Everything one import file may contain; every section is optional."""

    regions: list[RegionIn] = []
    challenges: list[ChallengeIn] = []
    ideas: list[IdeaIn] = []
    workshops: list[WorkshopIn] = []
    working_groups: list[WorkingGroupIn] = []
    contacts: list[ContactIn] = []
    organisations: list[OrganisationIn] = []


class ImportSummary(ImportModel):
    """What an import changed."""

    regions: int
    districts: int
    municipalities: int
    challenges: int
    ideas: int
    workshops: int = 0
    working_groups: int = 0
    contacts: int = 0
    organisations: int = 0
    news: int = 0


class ImportRejectedError(Exception):
    """The bundle refers to things that do not exist; nothing was written."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors
