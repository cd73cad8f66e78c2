"""The lifecycle of an idea as citizens see it: the status vocabulary, where an idea came
from, its news and history, the ideas one follows, an archived idea.

The status vocabulary lives here once: `status_label` (and `STATUS_EMOJI`, `status_name`) for
every view that names a status, citizens' and staff's alike.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Sequence
from zoneinfo import ZoneInfo

from messages.catalog import Html, shorten, t, tn
from messages.content import localized, localized_long, region_name
from messages.render import date_long, fit
from storage.models import IDEA_STATUSES, Idea, IdeaNews, NewsPage, Page

# Machine value → emoji; the names are the catalog's lifecycle.status.<value>.
STATUS_EMOJI = {
    "idea": "💡",
    "elaboration": "📝",
    "implementation": "🛠",
    "implemented": "✅",
    "dormant": "💤",
}
assert set(STATUS_EMOJI) == set(IDEA_STATUSES)
NEWS_IN_VIEW = 2  # entries the idea view shows; all of them are a tap away („📜 Verlauf“)
NEWS_ITEM_VIEW = 140  # characters of an entry in the idea view (the history has them whole)
NEWS_ITEM_HISTORY = 700  # … in the history (5 a page: well within a message)


def status_name(language: str, status: str) -> str:
    """The status in words: „in Umsetzung“ / "being implemented" (plain text)."""
    return html.unescape(t(language, f"lifecycle.status.{status}"))


def status_label(language: str, status: str) -> str:
    """The status with its emoji: „🛠 in Umsetzung“ (plain text, for texts and buttons)."""
    return f"{STATUS_EMOJI.get(status, '')} {status_name(language, status)}".strip()


def local_date(language: str, moment: dt.datetime, tz: ZoneInfo) -> str:
    """The day of a moment in the bot's time zone, written out: „13. Juni 2017“."""
    return date_long(language, moment.astimezone(tz).date())


def status_line(language: str, idea: Idea, tz: ZoneInfo) -> str:
    """„Stand: 🛠 in Umsetzung (seit 3. März 2018)“."""
    status = status_label(language, idea.status)
    if idea.status_changed_at is None:
        return t(language, "lifecycle.status_line", status=status)
    since = local_date(language, idea.status_changed_at, tz)
    return t(language, "lifecycle.status_since", status=status, date=since)


def origin_line(language: str, idea: Idea, tz: ZoneInfo) -> str | None:
    """Where the idea came from: „Entstanden im Ideenlabor Münsterland am 13. Juni 2017“;
    None for an idea of an Ideenlabor not recorded (the idea map's ideas all come from one)."""
    ref = idea.workshop
    if ref is not None:
        region = region_name(language, ref.region_name, ref.region_name_en)
        date = local_date(language, ref.starts_at, tz)
        return t(language, "lifecycle.origin.workshop", region=region, date=date)
    if idea.origin == "workshop":
        return None
    return t(language, f"lifecycle.origin.{idea.origin}")


def news_text(language: str, entry: IdeaNews, limit: int) -> str:
    """One entry as HTML: a change of status and/or its text (in the reader's language)."""
    parts = []
    if entry.kind == "status" and entry.new_status:
        old = status_label(language, entry.old_status) if entry.old_status else "–"
        parts.append(
            t(
                language,
                "lifecycle.status_change",
                old=old,
                new=status_label(language, entry.new_status),
            )
        )
    text = localized_long(language, entry.text, entry.text_en)
    if text:
        parts.append(html.escape(shorten(text, limit), quote=False))
    return " · ".join(parts)


def news_section(language: str, entries: Sequence[IdeaNews], tz: ZoneInfo) -> str | None:
    """The idea view's newest entries (None without any)."""
    if not entries:
        return None
    lines = [t(language, "lifecycle.news_title")]
    for entry in entries:
        lines.append(
            t(
                language,
                "lifecycle.news_item",
                date=local_date(language, entry.posted_at, tz),
                text=Html(news_text(language, entry, NEWS_ITEM_VIEW)),
            )
        )
    return "\n".join(lines)


def follower_line(language: str, idea: Idea, following: bool) -> str | None:
    """Who follows the idea: the user, and how many people in all (None: nobody)."""
    lines = []
    if following:
        lines.append(t(language, "lifecycle.you_follow"))
    if idea.follower_count > (1 if following else 0):
        lines.append(tn(language, "lifecycle.followers", idea.follower_count))
    return "\n".join(lines) or None


def history(language: str, idea: Idea, page: NewsPage, tz: ZoneInfo) -> str:
    """A page of the idea's history, newest first."""
    title = localized(language, idea.title, idea.title_en)
    head = [t(language, "lifecycle.history.title", title=shorten(title, 120))]
    if page.total == 0:
        return "\n".join([*head, "", t(language, "lifecycle.history.empty")])
    count = tn(language, "lifecycle.history.count", page.total)
    if page.page_count > 1:
        count += " · " + t(
            language, "lifecycle.history.page", page=page.page + 1, pages=page.page_count
        )
    lines = [*head, count]
    for entry in page.items:
        lines += [
            "",
            t(
                language,
                "lifecycle.history.item",
                date=local_date(language, entry.posted_at, tz),
                text=Html(news_text(language, entry, NEWS_ITEM_HISTORY)),
            ),
        ]
    return "\n".join(lines)


def my_ideas(language: str, page: Page) -> str:
    """/meine_ideen: the heading of the list of ideas one follows, or what to do."""
    lines = [t(language, "my_ideas.title")]
    if page.total == 0:
        return "\n".join([*lines, "", t(language, "my_ideas.empty")])
    count = tn(language, "my_ideas.count", page.total)
    if page.page_count > 1:
        count += " " + t(language, "my_ideas.page", page=page.page + 1, pages=page.page_count)
    return "\n".join([*lines, count, "", t(language, "my_ideas.pick")])


def archived(language: str, idea: Idea, tz: ZoneInfo) -> str:
    """What a citizen sees of an archived idea: that it was archived, when and why."""
    title = localized(language, idea.title, idea.title_en)
    when = local_date(language, idea.archived_at or dt.datetime.now(dt.UTC), tz)
    lines = [t(language, "lifecycle.archived", title=shorten(title, 200), date=when)]
    if idea.archived_reason:
        reason = localized_long(language, idea.archived_reason, None)

        def compose(text: str) -> str:
            return "\n".join([*lines, t(language, "lifecycle.archived_reason", reason=text)])

        lines = [fit(compose, reason, 3000)]
    lines += ["", t(language, "lifecycle.archived_next")]
    return "\n".join(lines)
