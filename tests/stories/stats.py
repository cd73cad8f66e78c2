"""Shared steps of the statistics tests: a database with a bit of everything."""

from __future__ import annotations

import datetime as dt

from storage.db import Database
from storage.timeutil import to_db


def _stamp(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


async def populate(db: Database, now: dt.datetime) -> None:
    """Users seen 1, 10 and 40 days ago; comments, ratings, interest, subscriptions, workshops."""
    for user, days in ((1, 1), (2, 10), (3, 40)):
        seen = _stamp(now - dt.timedelta(days=days))
        await db.execute(
            "INSERT INTO users (telegram_id, first_seen, last_seen, blocked_at)"
            " VALUES (?, ?, ?, ?)",
            (user, seen, seen, seen if user == 3 else None),
        )
    koeln = await db.fetchone("SELECT id FROM regions WHERE slug = 'niederrhein'")
    assert koeln
    idea = await db.fetchone("SELECT id FROM ideas WHERE region_id = ? LIMIT 1", (koeln["id"],))
    assert idea
    for n, status in enumerate(["approved", "approved", "pending", "rejected", "hidden"]):
        await db.execute(
            "INSERT INTO comments (idea_id, user_id, author_name, text, text_key, status,"
            " created_at) VALUES (?, 1, 'Erika', ?, ?, ?, ?)",
            (idea["id"], f"t{n}", f"t{n}", status, to_db(now)),
        )
    await db.execute(
        "INSERT INTO ratings (idea_id, user_id, stars, updated_at) VALUES (?, 1, 4, ?)",
        (idea["id"], to_db(now)),
    )
    await db.execute(
        "INSERT INTO working_groups (slug, name, region_id, updated_at) VALUES ('ag', 'AG', ?, ?)",
        (koeln["id"], to_db(now)),
    )
    for user, status in ((1, "new"), (2, "contacted"), (3, "withdrawn")):
        await db.execute(
            "INSERT INTO interest_registrations (group_id, user_id, name, consent_text,"
            " consented_at, status, created_at, updated_at)"
            " VALUES ((SELECT id FROM working_groups WHERE slug = 'ag'), ?, 'N', 'ok', ?, ?, ?, ?)",
            (user, to_db(now), status, to_db(now), to_db(now)),
        )
    for user in (1, 2):
        await db.execute(
            "INSERT INTO region_subscriptions (region_id, user_id, created_at) VALUES (?, ?, ?)",
            (koeln["id"], user, to_db(now)),
        )
    for slug, days, status in (
        ("past", -1, "planned"),
        ("soon", 3, "planned"),
        ("off", 4, "cancelled"),
        ("later", 9, "changed"),
    ):
        start = now + dt.timedelta(days=days)
        await db.execute(
            "INSERT INTO workshops (slug, region_id, title, starts_at, ends_at, capacity, status,"
            " created_at, updated_at) VALUES (?, ?, ?, ?, ?, 20, ?, ?, ?)",
            (
                slug,
                koeln["id"],
                f"Labor {slug}",
                to_db(start),
                to_db(start + dt.timedelta(hours=2)),
                status,
                to_db(now),
                to_db(now),
            ),
        )
    await db.execute(
        "INSERT INTO registrations (workshop_id, user_id, display_name, status, created_at)"
        " VALUES ((SELECT id FROM workshops WHERE slug = 'soon'), 1, 'Erika', 'confirmed', ?)",
        (to_db(now),),
    )
