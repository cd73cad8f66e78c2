"""Texts of working groups and contacts: idea section, consent, notices, lists, CSV."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Sequence
from typing import Protocol
from zoneinfo import ZoneInfo

from messages.catalog import Html, t
from messages.content import localized, localized_long
from messages.render import shorten, visible_len
from messages.spreadsheet import csv_document
from storage.models import Contact, InterestRegistration, WorkingGroup

BERLIN = ZoneInfo("Europe/Berlin")
MAX_LISTED = 15
# Room for the listed registrations in one message (Telegram: 4096 UTF-16 units); an admin's
# list spans every region, and citizens' messages can be long. The CSV export has them all.
_LIST_BUDGET = 3000
MAX_DESCRIPTION = 1500


def day(moment: dt.datetime, tz: ZoneInfo = BERLIN) -> str:
    """A date as 25.11.2026 (in the bot's time zone)."""
    return moment.astimezone(tz).strftime("%d.%m.%Y")


def idea_section(language: str, groups: list[WorkingGroup], contacts: list[Contact]) -> str:
    """The working groups of an idea and its region's public contact (name, organisation)."""
    lines = [
        t(
            language,
            "wg.idea.group" if g.open else "wg.idea.group_closed",
            name=localized(language, g.name, g.name_en),
        )
        for g in groups
    ]
    for c in contacts:
        if c.organisation:
            lines.append(
                t(language, "wg.idea.contact_org", name=c.name, organisation=c.organisation)
            )
        else:
            lines.append(t(language, "wg.idea.contact", name=c.name))
    return "\n".join(lines)


def group_view(
    language: str,
    group: WorkingGroup,
    ideas: list[tuple[int, str]],
    contacts: list[Contact],
    shown: int,
) -> str:
    """One working group: name, region, state, description, its ideas and the contact."""
    state = "wg.group.open" if group.open else "wg.group.closed"
    lines = [
        t(language, "wg.group.title", name=localized(language, group.name, group.name_en)),
        t(language, "wg.group.region", region=group.region_name),
        t(language, state),
    ]
    description = localized_long(language, group.description.strip(), group.description_en)
    if description:
        lines += ["", html.escape(shorten(description, MAX_DESCRIPTION), quote=False)]
    lines.append("")
    if ideas:
        lines.append(t(language, "wg.group.ideas", count=len(ideas)))
        if len(ideas) > shown:
            lines.append(t(language, "wg.group.more_ideas", count=len(ideas) - shown))
    else:
        lines.append(t(language, "wg.group.no_ideas"))
    for c in contacts:
        key = "wg.idea.contact_org" if c.organisation else "wg.idea.contact"
        lines.append(t(language, key, name=c.name, organisation=c.organisation))
    return "\n".join(lines)


def groups_list(language: str, region: str) -> str:
    """The heading of a region's working groups."""
    return "\n".join(
        [t(language, "wg.groups.title", region=region), "", t(language, "wg.groups.pick")]
    )


def details(
    language: str, name: str, email: str | None, phone: str | None, message: str | None
) -> list[str]:
    """The lines a citizen shares (HTML-escaped)."""
    lines = [t(language, "wg.consent.name", value=name)]
    for key, value in (("email", email), ("phone", phone), ("message", message)):
        if value:
            lines.append(t(language, f"wg.consent.{key}", value=value))
    return lines


def _joined(language: str, parts: list[str]) -> str:
    if len(parts) == 1:
        return parts[0]
    return ", ".join(parts[:-1]) + f" {t(language, 'wg.consent.and')} " + parts[-1]


class PublicContact(Protocol):
    """What citizens see of a contact: an imported record, or a published profile."""

    @property
    def name(self) -> str:
        """The name shown."""

    @property
    def organisation(self) -> str:
        """The organisation shown ('' if none)."""


def consent_sentence(
    language: str, group: WorkingGroup, contacts: Sequence[PublicContact], shared: list[str]
) -> str:
    """Exactly what goes to whom: "Ihr Name und Ihre E-Mail gehen an Frau X, Agentur Y"."""
    what = _joined(language, [t(language, f"wg.consent.what_{key}") for key in shared])
    whom = [
        t(language, "wg.consent.whom_org", name=c.name, organisation=c.organisation)
        if c.organisation
        else c.name
        for c in contacts
    ] or [t(language, "wg.consent.to_region", region=group.region_name)]
    key = "wg.consent.to" if len(shared) > 1 else "wg.consent.to_one"
    return t(language, key, what=Html(what), whom=Html(_joined(language, whom)))


def consent_screen(language: str, group: WorkingGroup, lines: list[str], sentence: str) -> str:
    """The consent screen: the details, the sentence, the question."""
    head = [
        t(language, "wg.consent.title"),
        "",
        t(language, "wg.consent.group", group=group.name, region=group.region_name),
    ]
    return "\n".join([*head, *lines, "", sentence, "", t(language, "wg.consent.question")])


def contact_notice(language: str, item: InterestRegistration, event: str) -> str:
    """What a linked contact gets for a new, updated or withdrawn registration."""
    params = {"group": item.group_name, "region": item.region_name, "name": item.name}
    head = t(language, f"wg.notice.{event}", **params)
    if event in ("withdrawn", "withdrawn_earlier", "updated_earlier"):
        return head
    lines = details(language, item.name, item.email, item.phone, item.message)
    date = t(language, "wg.notice.date", date=day(item.consented_at))
    return "\n".join([head, "", *lines, date])


def contact_email(
    language: str, item: InterestRegistration, event: str, contact: str
) -> tuple[str, str]:
    """Subject and plain-text body of the mail a contact gets (no HTML, nothing escaped)."""
    params = {"group": item.group_name, "region": item.region_name, "name": item.name}
    subject = _plain(t(language, f"wg.email.subject_{event}", **params))
    lines = [
        t(language, "wg.email.greeting", contact=contact),
        "",
        t(language, f"wg.email.{event}", **params),
    ]
    if event != "withdrawn":
        lines += ["", *details(language, item.name, item.email, item.phone, item.message)]
        lines.append(t(language, "wg.notice.date", date=day(item.consented_at)))
        lines += ["", t(language, "wg.email.overview")]
    lines += ["", "-- ", t(language, "wg.email.signature")]
    return subject, "\n".join(_plain(line) for line in lines) + "\n"


def admin_waiting(language: str, item: InterestRegistration, slug: str) -> str:
    """Admins: a registration waits for a linked contact (no personal details)."""
    return t(
        language, "wg.notice.waiting", group=item.group_name, region=item.region_name, slug=slug
    )


def citizen_contacted(language: str, item: InterestRegistration, contact: str) -> str:
    """The citizen: the contact has dealt with the request."""
    return t(language, "wg.notice.contacted", contact=contact, group=item.group_name)


def my_groups(language: str, items: list[InterestRegistration]) -> str:
    """The user's registrations."""
    if not items:
        return t(language, "wg.mine.empty")
    lines = [
        t(
            language,
            "wg.mine.item",
            number=n,
            group=i.group_name,
            region=i.region_name,
            date=day(i.created_at),
            status=t(language, f"wg.status.{i.status}"),
        )
        for n, i in enumerate(items, start=1)
    ]
    return "\n".join([t(language, "wg.mine.title"), "", *lines])


def listed(items: list[InterestRegistration], language: str) -> int:
    """How many registrations fit into the list message (at most MAX_LISTED)."""
    total = 0
    for n, item in enumerate(items[:MAX_LISTED]):
        total += sum(visible_len(line) + 4 for line in _item_lines(language, n + 1, item))
        if total > _LIST_BUDGET:
            return n
    return min(len(items), MAX_LISTED)


def _item_lines(language: str, n: int, i: InterestRegistration) -> list[str]:
    lines = [
        t(
            language,
            "wg.interested.item",
            number=n,
            name=i.name,
            group=i.group_name,
            date=day(i.consented_at),
            status=t(language, f"wg.status.{i.status}"),
        )
    ]
    return lines + [
        "   " + line for line in details(language, i.name, i.email, i.phone, i.message)[1:]
    ]


def interested(language: str, regions: str, items: list[InterestRegistration]) -> str:
    """A contact's list of registrations (new first), as many as fit (see `listed`)."""
    title = t(language, "wg.interested.title", regions=regions)
    if not items:
        return f"{title}\n\n{t(language, 'wg.interested.empty')}"
    count = listed(items, language)
    lines = [line for n in range(count) for line in _item_lines(language, n + 1, items[n])]
    if len(items) > count:
        lines.append(t(language, "wg.interested.more", count=len(items) - count))
    return "\n".join([title, "", *lines])


_CSV_COLUMNS = (
    "number",
    "region",
    "group",
    "name",
    "email",
    "phone",
    "message",
    "status",
    "created",
    "contacted",
)


def csv_export(language: str, items: list[InterestRegistration]) -> bytes:
    """German (or English) column names, for Excel; every text cell neutralised, e-mail and
    phone included (see messages.spreadsheet)."""
    header = [_plain(t(language, f"wg.csv.{c}")) for c in _CSV_COLUMNS]
    rows = [
        [
            n,
            i.region_name,
            i.group_name,
            i.name,
            i.email,
            i.phone,
            i.message,
            _plain(t(language, f"wg.status.{i.status}")),
            day(i.consented_at),
            day(i.contacted_at) if i.contacted_at else None,
        ]
        for n, i in enumerate(items, start=1)
    ]
    return csv_document(header, rows)


def _plain(text: str) -> str:
    return html.unescape(text)
