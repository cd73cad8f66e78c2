"""A region's page, the Rückblick of past Ideenlabore and the map's caption and buttons."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from messages.catalog import Html, shorten, t, tn
from messages.content import localized, localized_long, region_name
from messages.ideas import local_date
from messages.render import button_label, fit, label
from messages.workshops import region_of, short_date, short_when, title_of, workshop_when
from storage.models import (
    ContactProfile,
    Organisation,
    Page,
    PastWorkshopPage,
    WorkingGroup,
    Workshop,
    WorkshopPage,
)

MAX_LISTED = 3  # organisations and contacts shown on a region's page
MAX_GROUPS_LINE = 200  # characters of the working groups' names, before HTML escaping
MAX_SOURCES = 5
REPORT_ROOM = 3600  # UTF-16 units of a past Ideenlabor's view, its report cut to fit
# A map button's label: "10 Düsseldorf/Kreis Mettmann (0)", the longest name, fits whole.
MAP_LABEL = 32


@dataclass(frozen=True)
class RegionFacts:
    """What a region's page shows besides its ideas."""

    upcoming: WorkshopPage
    past_total: int
    latest_past: Workshop | None
    organisations: Sequence[Organisation]
    contacts: Sequence[ContactProfile]
    groups: Sequence[WorkingGroup]


def _link(url: str, text: str) -> str:
    return f'<a href="{html.escape(url, quote=True)}">{html.escape(text, quote=False)}</a>'


def _organisation(language: str, organisation: Organisation) -> str:
    name = html.escape(shorten(organisation.name, 120), quote=False)
    if organisation.url:
        name = _link(organisation.url, shorten(organisation.name, 120))
    key = "agency" if organisation.kind == "regionalagentur" else "organisation"
    line = t(language, f"region_page.{key}", name=Html(name))
    host = region_name(language, organisation.host, organisation.host_en)  # a proper name
    if host and host != organisation.name:
        line += " " + t(language, "region_page.host", host=shorten(host, 120))
    return line


def _contact(language: str, contact: ContactProfile) -> str:
    key = "contact_org" if contact.organisation else "contact"
    parts = [
        t(
            language,
            f"region_page.{key}",
            name=shorten(contact.name, 80),
            organisation=shorten(contact.organisation, 120),
        )
    ]
    if contact.public_email:
        parts.append(t(language, "region_page.email", email=shorten(contact.public_email, 120)))
    if contact.public_phone:
        parts.append(t(language, "region_page.phone", phone=shorten(contact.public_phone, 40)))
    return " · ".join(parts)


def region_facts(language: str, facts: RegionFacts, tz: ZoneInfo) -> list[str]:
    """The lines of a region's page on its dates, Rückblick, agency, contacts and groups."""
    lines = []
    upcoming = facts.upcoming
    if upcoming.items:
        first = upcoming.items[0]
        line = t(
            language,
            "region_page.next_date",
            when=short_when(language, first.starts_at, tz, first.time_known),
            title=shorten(title_of(language, first), 90),
        )
        if upcoming.total > 1:
            line += " " + tn(language, "region_page.dates_count", upcoming.total)
        lines.append(line)
    else:
        lines.append(t(language, "region_page.no_dates"))
    if facts.past_total and facts.latest_past is not None:
        date = local_date(language, facts.latest_past.starts_at, tz)
        lines.append(tn(language, "region_page.past", facts.past_total, date=date))
    lines += [_organisation(language, o) for o in facts.organisations[:MAX_LISTED]]
    lines += [_contact(language, c) for c in facts.contacts[:MAX_LISTED]]
    if facts.groups:
        names = ", ".join(localized(language, g.name, g.name_en) for g in facts.groups)
        lines.append(t(language, "region_page.groups", names=shorten(names, MAX_GROUPS_LINE)))
    return lines


def region_page(language: str, title: str, page: Page, facts: RegionFacts, tz: ZoneInfo) -> str:
    """The first page of a region: its ideas' count, what else is there, what one can do."""
    count = tn(language, "ideas.count", page.total)
    if page.page_count > 1:
        count += " · " + t(language, "ideas.page", page=page.page + 1, pages=page.page_count)
    lines = [f"<b>{html.escape(title, quote=False)}</b>", count]
    if page.total == 0:
        lines += ["", t(language, "ideas.empty_region"), t(language, "region_page.empty_next")]
    things = ["ideas"] if page.total else []
    things.append("dates")
    if any(g.open for g in facts.groups):
        things.append("groups")
    can = " · ".join(t(language, f"region_page.can.{thing}") for thing in things)
    lines += [
        "",
        *region_facts(language, facts, tz),
        "",
        t(language, "region_page.can_do", things=Html(can)),
    ]
    if page.total:
        lines += ["", t(language, "ideas.pick")]
    return "\n".join(lines)


# ----------------------------------------------------------------- the Rückblick


def place_of(workshop: Workshop) -> str:
    """Where a workshop took place: venue, address and town (the town once)."""
    parts = [p for p in (workshop.venue, workshop.address) if p]
    if workshop.city and not any(workshop.city in p for p in parts):
        parts.append(workshop.city)
    return ", ".join(parts)


def review_list(language: str, page: PastWorkshopPage, region: str | None, tz: ZoneInfo) -> str:
    """A page of past Ideenlabore, all or of one region, with an empty state."""
    if region is None:
        lines = [t(language, "review.title_all")]
    else:
        lines = [t(language, "review.title_region", region=region)]
    if page.total == 0:
        empty = "review.empty_region" if region else "review.empty_all"
        return "\n".join([*lines, "", t(language, empty)])
    count = tn(language, "review.count", page.total)
    if page.page_count > 1:
        count += " · " + t(language, "review.page", page=page.page + 1, pages=page.page_count)
    lines.append(count)
    for item in page.items:
        workshop = item.workshop
        place = workshop.city or workshop.venue or region_of(language, workshop)
        entry = t(
            language,
            "review.item",
            date=local_date(language, workshop.starts_at, tz),
            place=shorten(place, 80),
            title=shorten(title_of(language, workshop), 120),
        )
        if item.ideas:
            entry += " · " + tn(language, "review.ideas", len(item.ideas))
        lines += ["", entry]
    lines += ["", t(language, "review.pick")]
    return "\n".join(lines)


def review_button(language: str, workshop: Workshop, tz: ZoneInfo) -> str:
    """A Rückblick list button: date and title."""
    date = short_date(language, workshop.starts_at, tz)
    return label(language, "review.button.workshop", date=date, title=title_of(language, workshop))


def _participants(language: str, workshop: Workshop) -> str | None:
    if workshop.participants is None:
        return None
    count: object = workshop.participants
    if workshop.participants_qualifier:
        count = t(language, f"review.detail.{workshop.participants_qualifier}", count=count)
    return t(language, "review.detail.participants", count=Html(str(count)))


def _sources(language: str, sources: Sequence[str]) -> str | None:
    links = []
    for url in sources[:MAX_SOURCES]:
        host = urlsplit(url).netloc.removeprefix("www.") or url
        links.append(_link(url, shorten(host, 40)))
    if not links:
        return None
    return t(language, "review.detail.sources", links=Html(" · ".join(links)))


def past_detail(
    language: str, workshop: Workshop, idea_count: int, tz: ZoneInfo, now: dt.datetime
) -> str:
    """One past Ideenlabor: when, where, who, what happened, what came out of it, sources."""
    head = [t(language, "review.detail.title", title=shorten(title_of(language, workshop), 200))]
    if workshop.status == "cancelled":
        head.append(t(language, "review.detail.cancelled"))
    elif workshop.ends_at > now:
        head.append(t(language, "review.detail.upcoming"))
    head += [
        "",
        t(language, "review.detail.when", when=workshop_when(language, workshop, tz)),
    ]
    place = place_of(workshop)
    if place:
        head.append(t(language, "review.detail.where", where=shorten(place, 200)))
    head.append(t(language, "review.detail.region", region=region_of(language, workshop)))
    if workshop.organisers:
        names = shorten(", ".join(workshop.organisers), 300)
        head.append(t(language, "review.detail.organisers", names=names))
    participants = _participants(language, workshop)
    if participants:
        head.append(participants)
    if idea_count:
        outcome = tn(language, "review.detail.ideas", idea_count)
    else:
        outcome = t(language, "review.detail.no_ideas")
    tail = ["", outcome]
    sources = _sources(language, workshop.sources)
    if sources:
        tail += ["", sources]
    report = localized_long(language, workshop.report, workshop.report_en)

    def compose(text: str) -> str:
        about = [t(language, "review.detail.report"), html.escape(text, quote=False)]
        if not text:
            about = [t(language, "review.detail.no_report")]
        return "\n".join([*head, "", *about, *tail])

    return fit(compose, report, REPORT_ROOM)


# ----------------------------------------------------------------- the map


def map_caption(language: str, total: int, regions: int, without_region: int) -> str:
    """The map picture's caption: how many ideas in how many regions (≤ 1024 characters)."""
    text = t(
        language,
        "map.caption",
        ideas=tn(language, "ideas.count", total),
        regions=tn(language, "map.regions", regions),
    )
    if without_region:
        text += "\n" + tn(language, "map.without_region", without_region)
    return text


def map_button(language: str, number: int, name: str, count: int) -> str:
    """A region's button under the map, „1 Münsterland (3)“, short enough for two a row."""
    # "MEO (Mülheim an der Ruhr / Essen / Oberhausen)": the part before the brackets
    short = name.split(" (", 1)[0] if " (" in name else name
    room = MAP_LABEL - len(f"{number}  ({count})")
    text = label(
        language, "map.button.region", number=number, name=shorten(short, room), count=count
    )
    return button_label(text)
