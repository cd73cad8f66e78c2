"""The import file format: regions, challenges, ideas, workshops, working groups, contacts."""

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
    districts: list[DistrictIn] = []


class ChallengeIn(ImportModel):
    """A challenge of the dialogue process."""

    slug: Slug
    title: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]


class IdeaIn(ImportModel):
    """An idea on the idea map; region and challenge may be unknown (null)."""

    slug: Slug
    title: Text
    region: Slug | None = None
    challenge: Slug | None = None
    summary: LongText = ""
    body: LongText = ""
    published_on: dt.date | None = None
    url: Annotated[str, AfterValidator(_http_url)] | None = None


class WorkshopIn(ImportModel):
    """An Ideenlabor; times without an offset are read in IDEENLABOR_TIMEZONE."""

    slug: Slug
    region: Slug
    title: Text
    description: LongText = ""
    starts_at: dt.datetime
    ends_at: dt.datetime
    venue: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] = ""
    address: Annotated[str, StringConstraints(strip_whitespace=True, max_length=300)] = ""
    registration_url: Annotated[str, AfterValidator(_http_url)] | None = None
    capacity: PositiveInt | None = None
    status: Literal["planned", "changed", "cancelled"] = "planned"

    @model_validator(mode="after")
    def _end_after_start(self) -> WorkshopIn:
        start, end = self.starts_at, self.ends_at
        if (start.tzinfo is None) != (end.tzinfo is None):
            raise ValueError("starts_at and ends_at must both have a UTC offset or both not")
        if end <= start:
            raise ValueError("ends_at must be after starts_at")
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


class ImportBundle(ImportModel):
    """Everything one import file may contain; every section is optional."""

    regions: list[RegionIn] = []
    challenges: list[ChallengeIn] = []
    ideas: list[IdeaIn] = []
    workshops: list[WorkshopIn] = []
    working_groups: list[WorkingGroupIn] = []
    contacts: list[ContactIn] = []


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


class ImportRejectedError(Exception):
    """The bundle refers to things that do not exist; nothing was written."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors
