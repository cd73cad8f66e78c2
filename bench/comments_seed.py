"""Seeds the database of the comments benchmark (bench/comments.py runs this in a subprocess).

    .venv/bin/python bench/comments_seed.py --db FILE --result FIGURES.json [--ideas N ...]

Migrations and shipped data through `bot.app.prepare_database`, then users, ideas, comments,
ratings and reports as bulk INSERTs (`executemany`, CHUNK rows per transaction). For speed
the comment and rating indexes and counter triggers are dropped during the load and created
again from their own `CREATE` statements (read from sqlite_master), and the counters on the
ideas are computed once; the result is the schema and data the triggers would have produced.
"""

from __future__ import annotations

import argparse
import asyncio
import bisect
import datetime as dt
import itertools
import json
import random
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # `python bench/comments_seed.py` puts bench/ first
    sys.path.insert(0, str(ROOT))

from bench_common import SEED_OPTIONS, add_numbers  # noqa: E402

from bot.app import prepare_database  # noqa: E402
from storage.db import Database  # noqa: E402

CHUNK = 100_000  # rows per transaction
FIRST_USER_ID = 10_000_000  # seeded users are FIRST_USER_ID .. FIRST_USER_ID + users - 1
START = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
SPAN_DAYS = 730  # comments are spread over two years, in time order
STATUSES = ("approved",) * 90 + ("pending",) * 5 + ("rejected",) * 3 + ("hidden",) * 2
WORDS = (
    "Idee",
    "gut",
    "wichtig",
    "Betriebe",
    "Beschäftigte",
    "Weiterbildung",
    "digital",
    "Arbeit",
    "fair",
    "Region",
    "Köln",
    "Essen",
    "Pflege",
    "Handwerk",
    "Ausbildung",
    "Zeit",
    "Mitbestimmung",
    "Zukunft",
    "Netzwerk",
    "Beratung",
    "Förderung",
    "👍",
    "sehr",
    "finde",
    "unterstütze",
    "leider",
    "aber",
    "auch",
    "noch",
    "mehr",
    "weniger",
    "schnell",
    "endlich",
    "überfällig",
    "prima",
)
COUNTERS = (
    "UPDATE ideas SET comment_count = (SELECT COUNT(*) FROM comments c"
    " WHERE c.idea_id = ideas.id AND c.status = 'approved'),"
    " rating_count = (SELECT COUNT(*) FROM ratings r WHERE r.idea_id = ideas.id),"
    " rating_sum = (SELECT COALESCE(SUM(stars), 0) FROM ratings r WHERE r.idea_id = ideas.id)"
)


def popularity(count: int, rng: random.Random) -> list[float]:
    """Zipf-like weights: a few ideas with tens of thousands of comments, most with tens."""
    ranked = [0.0 if rng.random() < 0.05 else 1 / (rank + 5) ** 1.1 for rank in range(count)]
    rng.shuffle(ranked)
    return ranked


def comment_rows(
    total: int, idea_ids: Sequence[int], weights: Sequence[float], users: int, rng: random.Random
) -> Iterator[tuple[object, ...]]:
    """Comments in time order; 90 % approved; texts of 3–40 words (about 20–300 characters)."""
    pool = [" ".join(rng.choices(WORDS, k=rng.randint(3, 40))) for _ in range(4000)]
    keys = [" ".join(text.casefold().split()) for text in pool]
    cumulative = list(itertools.accumulate(weights))
    top = cumulative[-1]
    days = [(START + dt.timedelta(days=d)).strftime("%Y-%m-%dT") for d in range(SPAN_DAYS + 1)]
    step = SPAN_DAYS * 86_400 / max(total, 1)
    for n in range(total):
        idea_id = idea_ids[bisect.bisect(cumulative, rng.random() * top)]
        day, second = divmod(int(n * step), 86_400)
        hour, minute = divmod(second // 60, 60)
        created = f"{days[day]}{hour:02d}:{minute:02d}:{second % 60:02d}.000000Z"
        status = STATUSES[n % 100]
        user = FIRST_USER_ID + rng.randrange(users)
        yield (
            idea_id,
            user,
            f"Nutzer {user % 1000}",
            pool[n % 4000],
            keys[n % 4000],
            status,
            created,
            None if status == "pending" else created,
        )


def rating_rows(
    total: int, idea_ids: Sequence[int], weights: Sequence[float], users: int, rng: random.Random
) -> Iterator[tuple[object, ...]]:
    """About `total` ratings spread like the comments; one per user and idea."""
    scale = total / (sum(weights) or 1.0)
    when = START.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    for idea_id, weight in zip(idea_ids, weights, strict=True):
        for user in rng.sample(range(users), min(users, round(weight * scale))):
            yield (idea_id, FIRST_USER_ID + user, rng.choice((1, 2, 3, 3, 4, 4, 4, 5, 5)), when)


async def insert(db: Database, sql: str, rows: Iterator[tuple[object, ...]]) -> int:
    """executemany in transactions of CHUNK rows; the next chunk is built while one is written."""

    async def write(chunk: list[tuple[object, ...]]) -> None:
        async with db.transaction() as tx:
            await tx.executemany(sql, chunk)

    def take() -> list[tuple[object, ...]]:
        return list(itertools.islice(rows, CHUNK))

    done = 0
    chunk = await asyncio.to_thread(take)
    while chunk:
        writing = asyncio.ensure_future(write(chunk))
        done += len(chunk)
        chunk = await asyncio.to_thread(take)
        await writing
    return done


async def drop_for_load(db: Database) -> list[str]:
    """Drop the indexes and triggers of comments and ratings; return their CREATE statements."""
    rows = await db.fetchall(
        "SELECT type, name, sql FROM sqlite_master WHERE tbl_name IN ('comments', 'ratings')"
        " AND type IN ('index', 'trigger') AND sql IS NOT NULL ORDER BY type, name"
    )
    for row in rows:
        await db.execute(f"DROP {str(row['type']).upper()} {row['name']}")
    return [str(row["sql"]) for row in rows]


async def seed(path: Path, args: argparse.Namespace) -> dict[str, object]:
    """Build the database; return what is in it."""
    rng = random.Random(args.seed)
    db = await Database.open(path, reader=False)  # journal_mode=OFF needs it alone
    try:
        await prepare_database(db)
        for pragma in ("journal_mode=OFF", "synchronous=OFF", "cache_size=-262144"):
            await db.execute(f"PRAGMA {pragma}")  # a throw-away file, loaded once
        when = START.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        regions = [int(r["id"]) for r in await db.fetchall("SELECT id FROM regions")]
        await insert(
            db,
            "INSERT INTO users (telegram_id, first_seen, last_seen) VALUES (?, ?, ?)",
            ((FIRST_USER_ID + n, when, when) for n in range(args.users)),
        )
        await insert(
            db,
            "INSERT INTO ideas (slug, title, region_id, summary, body, published_on,"
            " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                (
                    f"bench-{n}",
                    f"Idee {n}: " + " ".join(rng.choices(WORDS, k=6)),
                    rng.choice(regions),
                    "Kurzfassung der Idee.",
                    " ".join(rng.choices(WORDS, k=60)),
                    "2024-05-01",
                    when,
                    when,
                )
                for n in range(args.ideas)
            ),
        )
        idea_ids = [int(r["id"]) for r in await db.fetchall("SELECT id FROM ideas ORDER BY id")]
        weights = popularity(len(idea_ids), rng)
        schema = await db.fetchall("SELECT type, name, sql FROM sqlite_master ORDER BY name")
        restore = await drop_for_load(db)
        started = time.perf_counter()
        comments = await insert(
            db,
            "INSERT INTO comments (idea_id, user_id, author_name, text, text_key, status,"
            " created_at, decided_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            comment_rows(args.comments, idea_ids, weights, args.users, rng),
        )
        comment_s = time.perf_counter() - started
        ratings = await insert(
            db,
            "INSERT INTO ratings (idea_id, user_id, stars, updated_at) VALUES (?, ?, ?, ?)",
            rating_rows(args.ratings, idea_ids, weights, args.users, rng),
        )
        reported = rng.sample(range(1, args.comments + 1), args.comments // 100)
        await insert(
            db,
            "INSERT OR IGNORE INTO comment_reports (comment_id, user_id, reason, created_at)"
            " VALUES (?, ?, 'spam', ?)",
            ((c, FIRST_USER_ID + rng.randrange(args.users), when) for c in reported),
        )
        started = time.perf_counter()
        async with db.transaction() as tx:
            for statement in restore:
                await tx.execute(statement)
            await tx.execute(COUNTERS)
        index_s = time.perf_counter() - started
        after = await db.fetchall("SELECT type, name, sql FROM sqlite_master ORDER BY name")
        if [tuple(r) for r in after] != [tuple(r) for r in schema]:
            raise RuntimeError("the schema after the bulk load differs from the migrated one")
        await db.execute("ANALYZE")
        await db.execute("PRAGMA journal_mode=WAL")
        counts = [
            int(r["comment_count"])
            for r in await db.fetchall(
                "SELECT comment_count FROM ideas ORDER BY comment_count DESC"
            )
        ]
    finally:
        await db.close()
    return {
        "ideas": len(idea_ids),
        "comments": comments,
        "ratings": ratings,
        "reports": len(reported),
        "users": args.users,
        "comments_insert_s": round(comment_s, 1),
        "indexes_and_counters_s": round(index_s, 1),
        "published_per_idea_max": counts[0],
        "published_per_idea_median": counts[len(counts) // 2],
        "ideas_with_1000_or_more": sum(c >= 1000 for c in counts),
    }


def main(argv: Sequence[str] | None = None) -> int:
    """Seed --db and write the figures to --result."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--result", type=Path, required=True)
    add_numbers(parser, SEED_OPTIONS)
    args = parser.parse_args(argv)
    figures = asyncio.run(seed(args.db, args))
    args.result.write_text(json.dumps(figures), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
