"""Full-text search over the ideas citizens can see (the FTS5 index of migration 0013).

`search` is „🔎 Ideen suchen“: every significant word must occur, ranked by bm25 (title
first), paged. `similar` is „Gibt es schon?“ for a proposal: any significant word may occur,
more of them and in the title rank higher, optionally the proposal's own region a little
higher. Both read only the index and the ideas' primary keys: no scan of the ideas table.

The words of a search with pages are kept, without anyone's id, in `search_queries`, so that
the buttons of its result list can name it (see the migration); `remember` and `recall`.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
import sqlite3
from collections.abc import Collection

from storage.db import Database, Transaction
from storage.models import IdeaHit, Page
from storage.search_terms import (
    MAX_QUERY_CHARS,
    MAX_SEARCH_WORDS,
    MAX_SIMILAR_WORDS,
    match_all,
    match_any,
    significant,
    words,
)
from storage.timeutil import to_db

PAGE_SIZE = 8
# How long the words of a search stay after they were last searched (the privacy notice says so).
QUERY_KEPT = dt.timedelta(days=7)
# Query ids are random below this (a button carries numbers below 10**12).
_QUERY_IDS = 2**39
# „Gibt es schon?“ ranks the best few by bm25 first, then favours the proposal's region.
_SIMILAR_POOL = 30
_SAME_REGION = 1.25

_HIT_COLUMNS = (
    "i.id, i.slug, i.title, i.title_en, i.region_id, r.name AS region_name,"
    " r.name_en AS region_name_en, i.status, i.comment_count"
)


class QueryTooLong(ValueError):
    """More than MAX_QUERY_CHARS characters: not a search."""


def search_words(query: str) -> list[str]:
    """The words a search uses ([] for none: only punctuation, operators, emoji)."""
    if len(query) > MAX_QUERY_CHARS:
        raise QueryTooLong(query[:20])
    return significant(words(query))[:MAX_SEARCH_WORDS]


def _hit(row: sqlite3.Row) -> IdeaHit:
    return IdeaHit(
        **{key: row[key] for key in IdeaHit.model_fields if key != "score"},
        score=-float(row["score"]),
    )


class SearchRepository:
    """Searches over the index, and the kept words of searches."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def search(
        self, query: str, *, page: int = 0, page_size: int = PAGE_SIZE
    ) -> Page[IdeaHit]:
        """The ideas with every significant word of the query, best first; a page past the
        end is the last page. QueryTooLong for more than MAX_QUERY_CHARS characters."""
        found = search_words(query)
        if not found:
            return Page(items=(), page=0, page_count=1, total=0)
        match = match_all(found)
        page = max(page, 0)
        rows = await self._page(match, page, page_size)
        if rows:
            total = int(rows[0]["total"])
        else:
            row = await self._db.fetchone(
                "SELECT COUNT(*) AS n FROM idea_search WHERE idea_search MATCH ?", (match,)
            )
            total = int(row["n"]) if row else 0
            if total and page * page_size >= total:
                page = (total - 1) // page_size
                rows = await self._page(match, page, page_size)
            else:
                page = 0
        return Page(
            items=tuple(_hit(r) for r in rows),
            page=page,
            page_count=max(1, -(-total // page_size)),
            total=total,
        )

    async def _page(self, match: str, page: int, page_size: int) -> list[sqlite3.Row]:
        # The ranked rowids come from the index alone; only the page's ideas are read.
        return await self._db.fetchall(
            "WITH hits AS (SELECT rowid AS id, rank AS score, COUNT(*) OVER () AS total"
            " FROM idea_search WHERE idea_search MATCH ? ORDER BY rank, rowid LIMIT ? OFFSET ?)"
            f" SELECT {_HIT_COLUMNS}, hits.score, hits.total FROM hits"
            " JOIN ideas i ON i.id = hits.id LEFT JOIN regions r ON r.id = i.region_id"
            " ORDER BY hits.score, hits.id",
            (match, page_size, page * page_size),
        )

    async def similar(
        self,
        text: str,
        *,
        region_id: int | None = None,
        limit: int = 3,
        exclude_ids: Collection[int] = (),
    ) -> list[IdeaHit]:
        """Ideas that look like the text (a proposal's title and description), best first.

        Any significant word may match (the first MAX_SIMILAR_WORDS of them); ideas with more
        of them, and with them in the title, rank higher; an idea of region_id ranks a little
        higher. exclude_ids: ideas not to suggest (e.g. those shown already).
        """
        found = significant(words(text[: MAX_QUERY_CHARS * 20]))[:MAX_SIMILAR_WORDS]
        if not found or limit <= 0:
            return []
        rows = await self._db.fetchall(
            "WITH pool AS (SELECT rowid AS id, rank AS score FROM idea_search"
            " WHERE idea_search MATCH ? AND rowid NOT IN (SELECT value FROM json_each(?))"
            " ORDER BY rank LIMIT ?)"
            f" SELECT {_HIT_COLUMNS}, pool.score FROM pool JOIN ideas i ON i.id = pool.id"
            " LEFT JOIN regions r ON r.id = i.region_id"
            " ORDER BY pool.score * (CASE WHEN i.region_id = ? THEN ? ELSE 1.0 END), i.id"
            " LIMIT ?",
            (
                match_any(found),
                json.dumps(sorted(set(exclude_ids))),
                max(_SIMILAR_POOL, limit),
                region_id,
                _SAME_REGION,
                limit,
            ),
        )
        return [_hit(r) for r in rows]

    # ----------------------------------------------------------------- the kept words

    async def remember(self, query: str, now: dt.datetime) -> int:
        """The id of the query's words (the same for the same words), kept from now on."""
        text = " ".join(query.split())
        while True:
            try:
                async with self._db.transaction() as tx:
                    row = await tx.fetchone(
                        "INSERT INTO search_queries (id, words, used_at) VALUES (?, ?, ?)"
                        " ON CONFLICT (words) DO UPDATE SET used_at = excluded.used_at"
                        " RETURNING id",
                        (1 + secrets.randbelow(_QUERY_IDS - 1), text, to_db(now)),
                    )
            except sqlite3.IntegrityError:  # the random id is taken: draw again
                continue
            assert row is not None
            return int(row["id"])

    async def recall(self, query_id: int, now: dt.datetime) -> str | None:
        """The words of a kept query; None when unknown or older than QUERY_KEPT."""
        row = await self._db.fetchone(
            "SELECT words FROM search_queries WHERE id = ? AND used_at >= ?",
            (query_id, to_db(now - QUERY_KEPT)),
        )
        return str(row["words"]) if row else None

    @staticmethod
    async def forget_old(tx: Transaction, now: dt.datetime) -> int:
        """Remove the words not searched for QUERY_KEPT (the daily retention job)."""
        return await tx.execute(
            "DELETE FROM search_queries WHERE used_at < ?", (to_db(now - QUERY_KEPT),)
        )
