"""The ideas section of an import: upserts by slug, with lifecycle status and news.

An idea's news from the file replace the news of earlier imports of that idea; entries
written in the chat (imported = 0) stay. In shipped mode (the bot's own data, see
bot.app.prepare_database) an idea that an import or a person in the chat has changed since it
was shipped is left alone, news and all.
"""

from __future__ import annotations

import datetime as dt
import json
from zoneinfo import ZoneInfo

from storage.db import Transaction
from storage.import_models import IdeaIn, NewsIn
from storage.timeutil import to_db

# An imported news entry has a date only: it is stored at noon local time, which stays on the
# same day in every time zone a reader of the bot may be in.
NEWS_TIME = dt.time(12, 0)


def news_moment(day: dt.date, tz: ZoneInfo) -> dt.datetime:
    """When an entry dated `day` is stored (noon local time)."""
    return dt.datetime.combine(day, NEWS_TIME, tzinfo=tz)


def _ordered(news: list[NewsIn]) -> list[NewsIn]:
    """By date; entries of the same day in file order."""
    return sorted(news, key=lambda n: n.date)


async def write_idea(
    tx: Transaction, idea: IdeaIn, now: dt.datetime, tz: ZoneInfo, *, shipped: bool
) -> int:
    """Upsert one idea and its news; the number of news entries written (-1: skipped)."""
    existing = await tx.fetchone(
        "SELECT id, status, status_changed_at, shipped FROM ideas WHERE slug = ?", (idea.slug,)
    )
    if shipped and existing is not None and not existing["shipped"]:
        return -1
    news = _ordered(idea.news)
    changes = [n for n in news if n.status is not None]
    if changes:
        status_changed_at: str | None = to_db(news_moment(changes[-1].date, tz))
    elif existing is not None and existing["status"] == idea.status:
        status_changed_at = existing["status_changed_at"]
    elif existing is not None:
        status_changed_at = to_db(now)
    else:
        status_changed_at = None
    stamp = to_db(now)
    await tx.execute(
        "INSERT INTO ideas (slug, title, region_id, challenge_id, summary, body, published_on,"
        " url, created_at, updated_at, title_en, summary_en, body_en, status,"
        " status_changed_at, origin, workshop_id, sources, shipped)"
        " VALUES (:slug, :title, (SELECT id FROM regions WHERE slug = :region),"
        " (SELECT id FROM challenges WHERE slug = :challenge), :summary, :body, :published_on,"
        " :url, :stamp, :stamp, :title_en, :summary_en, :body_en, :status, :status_changed_at,"
        " :origin, (SELECT id FROM workshops WHERE slug = :workshop), :sources, :shipped)"
        " ON CONFLICT (slug) DO UPDATE SET title = excluded.title,"
        " region_id = excluded.region_id, challenge_id = excluded.challenge_id,"
        " summary = excluded.summary, body = excluded.body,"
        " published_on = excluded.published_on, url = excluded.url,"
        " updated_at = excluded.updated_at, title_en = excluded.title_en,"
        " summary_en = excluded.summary_en, body_en = excluded.body_en,"
        " status = excluded.status, status_changed_at = excluded.status_changed_at,"
        " origin = excluded.origin, workshop_id = excluded.workshop_id,"
        " sources = excluded.sources, shipped = excluded.shipped",
        {
            "slug": idea.slug,
            "title": idea.title,
            "region": idea.region,
            "challenge": idea.challenge,
            "summary": idea.summary,
            "body": idea.body,
            "published_on": idea.published_on.isoformat() if idea.published_on else None,
            "url": idea.url,
            "stamp": stamp,
            "title_en": idea.title_en or None,
            "summary_en": idea.summary_en or None,
            "body_en": idea.body_en or None,
            "status": idea.status,
            "status_changed_at": status_changed_at,
            "origin": idea.origin,
            "workshop": idea.workshop,
            "sources": json.dumps(idea.sources),
            "shipped": int(shipped),
        },
    )
    row = await tx.fetchone("SELECT id FROM ideas WHERE slug = ?", (idea.slug,))
    assert row is not None
    idea_id = int(row["id"])
    await tx.execute("DELETE FROM idea_news WHERE idea_id = ? AND imported = 1", (idea_id,))
    previous = "idea"
    rows = []
    for entry in news:
        old = new = None
        if entry.status is not None:
            old, new, previous = previous, entry.status, entry.status
        rows.append(
            (
                idea_id,
                to_db(news_moment(entry.date, tz)),
                "status" if new is not None else "news",
                old,
                new,
                entry.text,
                entry.text_en or None,
            )
        )
    await tx.executemany(
        "INSERT INTO idea_news (idea_id, posted_at, posted_by, kind, old_status, new_status,"
        " text, text_en, imported) VALUES (?, ?, NULL, ?, ?, ?, ?, ?, 1)",
        rows,
    )
    return len(rows)
