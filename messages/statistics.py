"""The /statistik view: numbers as text, labels for the chart."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from babel.dates import format_datetime

from messages.catalog import Html, t
from storage.models import Statistics


def _when(language: str, moment: dt.datetime, tz: ZoneInfo) -> str:
    locale = "de_DE" if language == "de" else "en_GB"
    return format_datetime(moment.astimezone(tz), format="short", locale=locale)


def statistics_text(language: str, stats: Statistics, tz: ZoneInfo) -> str:
    """The statistics message (HTML)."""
    c = stats.comments
    lines = [
        t(language, "stats.title", when=_when(language, stats.collected_at, tz)),
        "",
        t(language, "stats.users", users=stats.users, blocked=stats.blocked),
        t(language, "stats.active", week=stats.active_7d, month=stats.active_30d),
        t(language, "stats.ideas", ideas=stats.ideas, ratings=stats.ratings),
        t(
            language,
            "stats.comments",
            total=sum(c.values()),
            pending=c["pending"],
            approved=c["approved"],
            rejected=c["rejected"],
        ),
        t(language, "stats.interest", interest=stats.interest),
        t(language, "stats.subscribers", subscribers=stats.subscribers),
        t(language, "stats.upcoming", count=stats.upcoming_total),
    ]
    for w in stats.upcoming:
        capacity = (
            "" if w.capacity is None else t(language, "stats.of_capacity", capacity=w.capacity)
        )
        waiting = t(language, "stats.waiting", waiting=w.waiting) if w.waiting else ""
        lines.append(
            t(
                language,
                "stats.workshop",
                when=_when(language, w.starts_at, tz),
                title=w.title,
                region=w.region,
                confirmed=w.confirmed,
                capacity=Html(capacity),
                waiting=Html(waiting),
            )
        )
    lines.append("")
    if not any(r.comments or r.interest or r.subscribers for r in stats.regions):
        # Sixteen rows of zeros say less than a sentence: what will appear, and when.
        lines.append(t(language, "stats.regions_none"))
        if stats.proposals_by_region:
            lines += _proposals(language, stats)
        lines += ["", t(language, "stats.activity_note")]
        return "\n".join(lines)
    lines.append(t(language, "stats.regions_head"))
    for r in stats.regions:
        lines.append(
            t(
                language,
                "stats.region",
                name=r.name,
                comments=r.comments,
                interest=r.interest,
                subscribers=r.subscribers,
            )
        )
    lines += _proposals(language, stats)
    if not has_chart(stats):
        lines += ["", t(language, "stats.chart_none")]
    lines += ["", t(language, "stats.activity_note")]
    return "\n".join(lines)


def _proposals(language: str, stats: Statistics) -> list[str]:
    """The citizens' proposals by region and status (or that there are none yet)."""
    lines = ["", t(language, "proposals.stats.title")]
    for name, counts in stats.proposals_by_region.items():
        shown = ", ".join(
            f"{t(language, f'proposals.mine.status.{status}')} {n}"
            for status, n in counts.items()
            if n
        )
        lines.append(t(language, "proposals.stats.line", region=name, counts=shown))
    if not stats.proposals_by_region:
        lines.append(t(language, "proposals.stats.none"))
    return lines


def has_chart(stats: Statistics) -> bool:
    """Whether the chart would show a bar (no chart of sixteen empty rows)."""
    return any(r.comments or r.interest for r in stats.regions)


def chart_caption(language: str, stats: Statistics, tz: ZoneInfo) -> str:
    """The caption under the chart."""
    return t(language, "stats.chart_caption", when=_when(language, stats.collected_at, tz))
