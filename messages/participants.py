"""The admins' participant list of a workshop: as a message and as a CSV file for German Excel."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from babel.dates import format_datetime

from messages.catalog import t
from messages.render import MAX_TEXT, visible_len
from messages.spreadsheet import csv_document
from messages.workshops import when
from storage.models import Registration, Workshop

_RESERVE = 200  # room for the "… and n more" line


def participants_text(
    language: str, workshop: Workshop, tz: ZoneInfo, registrations: list[Registration]
) -> str:
    """Confirmed participants, then the waiting list, numbered; cut to fit one message."""
    title = t(
        language,
        "dates.participants.title",
        title=workshop.title,
        when=when(language, workshop.starts_at, workshop.ends_at, tz),
    )
    confirmed = [r for r in registrations if r.status == "confirmed"]
    waiting = [r for r in registrations if r.status != "confirmed"]
    if workshop.capacity is None:
        counts = t(
            language, "dates.participants.counts", confirmed=len(confirmed), waiting=len(waiting)
        )
    else:
        counts = t(
            language,
            "dates.participants.counts_capacity",
            confirmed=len(confirmed),
            capacity=workshop.capacity,
            waiting=len(waiting),
        )
    lines = [title, counts]
    if not registrations:
        return "\n".join([*lines, "", t(language, "dates.participants.none")])
    shown = 0
    for key, group in (("confirmed", confirmed), ("waiting", waiting)):
        if not group:
            continue
        lines += ["", t(language, f"dates.participants.{key}")]
        for number, registration in enumerate(group, start=1):
            item = t(
                language, "dates.participants.item", number=number, name=registration.display_name
            )
            if visible_len("\n".join([*lines, item])) > MAX_TEXT - _RESERVE:
                more = t(language, "dates.participants.more", count=len(registrations) - shown)
                return "\n".join([*lines, more])
            lines.append(item)
            shown += 1
    return "\n".join(lines)


def participants_csv(registrations: list[Registration], tz: ZoneInfo) -> bytes:
    """German column names and local times, for German Excel (see messages.spreadsheet)."""
    header = [t("de", f"dates.csv.{key}") for key in ("number", "name", "status", "registered_at")]
    rows = [
        [
            number,
            registration.display_name,
            t("de", f"dates.csv.{registration.status}"),
            format_datetime(
                registration.created_at.astimezone(tz), "dd.MM.y HH:mm", locale="de_DE"
            ),
        ]
        for number, registration in enumerate(registrations, start=1)
    ]
    return csv_document(header, rows)


def csv_filename(workshop: Workshop) -> str:
    """teilnehmende-<slug>.csv"""
    return f"teilnehmende-{workshop.slug}.csv"
