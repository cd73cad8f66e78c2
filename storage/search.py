"""Full-text search over the ideas citizens can see (the FTS5 index of migration 0013).

`search` is „🔎 Ideen suchen“: every significant word must occur, ranked by bm25 (title
first), paged. `similar` is „Gibt es schon?“ for a proposal: any of its telling words may
occur; ideas with more of them, and with them in the title, rank higher; the proposal's own
region a little higher.

Ranking is what costs: bm25 reads every matching idea's statistics for every phrase of the
query (ranking 8,000 matches of one word took about 20 ms here), while counting them is
several times cheaper (bench/README.md, "Search benchmark"). So no search ranks more than
RANK_AT_MOST ideas: a broad search („Region“ among 10,000 ideas) ranks the ideas with every
word in their title, and lists the other matches after them, newest first; a similarity
looks only at the proposal's telling words, the ones that fewer ideas share (the rarer, the
more it says: inverse document frequency).

The words of a search with pages are kept, without anyone's id, in `search_queries`, so that
the buttons of its result list can name it (see the migration); `remember` and `recall`.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
import sqlite3
import time
from collections import OrderedDict
from collections.abc import Collection

from storage.db import Database, Transaction
from storage.models import IdeaHit, Page
from storage.repository import page_bounds
from storage.search_terms import (
    MAX_QUERY_CHARS,
    MAX_SEARCH_WORDS,
    MAX_SIMILAR_WORDS,
    PREFIX_FROM,
    in_titles,
    match_all,
    match_any,
    root_match,
    significant,
    words,
)
from storage.timeutil import to_db

PAGE_SIZE = 8
# How long the words of a search stay after they were last searched (the privacy notice says so).
QUERY_KEPT = dt.timedelta(days=7)
# At most this many ideas are ranked by bm25 per search (see the module's docstring).
RANK_AT_MOST = 1000
# Query ids are random below this (a button carries numbers below 10**12).
_QUERY_IDS = 2**39
# „Gibt es schon?“: a word in more than this share of the ideas tells nothing about a proposal;
# the best few by bm25 are then ordered with the proposal's region favoured.
_COMMON_SHARE = 0.5
_SIMILAR_POOL = 30
_SAME_REGION = 1.25
# How many ideas contain a word changes slowly; counting it again for every proposal would
# cost more than the similarity itself. Kept per word for a while (a few bytes each).
_COUNTS_KEPT_S = 600.0
_COUNTS_AT_MOST = 50_000

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


def _hit(row: sqlite3.Row, score: float) -> IdeaHit:
    values = {key: row[key] for key in IdeaHit.model_fields if key != "score"}
    return IdeaHit(**values, score=score)


class SearchRepository:
    """Searches over the index, and the kept words of searches."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self._counts: OrderedDict[str, tuple[float, int]] = OrderedDict()

    async def search(
        self, query: str, *, page: int = 0, page_size: int = PAGE_SIZE
    ) -> Page[IdeaHit]:
        """The ideas with every significant word of the query, best first; a page past the
        end is the last page. QueryTooLong for more than MAX_QUERY_CHARS characters."""
        found = search_words(query)
        total = await self._count(match_all(found)) if found else 0
        page, page_count = page_bounds(total, page, page_size)
        if not total:
            return Page(items=(), page=0, page_count=1, total=0)
        match, offset = match_all(found), page * page_size
        if total <= RANK_AT_MOST:
            ranked = await self._ranked(match, page_size, offset)
        else:  # broad: the ideas with every word in the title ranked, then the others
            titled = in_titles(match)
            in_title = await self._count(titled)
            ranked = await self._ranked(titled, page_size, offset) if offset < in_title else []
            if len(ranked) < page_size:
                ranked += await self._newest(
                    f"({match}) NOT {titled}", page_size - len(ranked), max(0, offset - in_title)
                )
        return Page(
            items=tuple(await self._hits(ranked)),
            page=page,
            page_count=page_count,
            total=total,
        )

    async def _count(self, match: str) -> int:
        return await self._db.count(
            "SELECT COUNT(*) FROM idea_search WHERE idea_search MATCH ?", (match,)
        )

    async def _ranked(self, match: str, limit: int, offset: int) -> list[tuple[int, float]]:
        rows = await self._db.fetchall(
            "SELECT rowid AS id, rank FROM idea_search WHERE idea_search MATCH ?"
            " ORDER BY rank, rowid LIMIT ? OFFSET ?",
            (match, limit, offset),
        )
        return [(int(r["id"]), -float(r["rank"])) for r in rows]

    async def _newest(self, match: str, limit: int, offset: int) -> list[tuple[int, float]]:
        rows = await self._db.fetchall(
            "SELECT rowid AS id FROM idea_search WHERE idea_search MATCH ?"
            " ORDER BY rowid DESC LIMIT ? OFFSET ?",
            (match, limit, offset),
        )
        return [(int(r["id"]), 0.0) for r in rows]

    async def _hits(self, ranked: list[tuple[int, float]]) -> list[IdeaHit]:
        """The ideas of (id, score) pairs, in that order."""
        if not ranked:
            return []
        rows = await self._db.fetchall(
            f"SELECT {_HIT_COLUMNS} FROM ideas i LEFT JOIN regions r ON r.id = i.region_id"
            " WHERE i.id IN (SELECT value FROM json_each(?))",
            (json.dumps([idea_id for idea_id, _ in ranked]),),
        )
        by_id = {int(r["id"]): r for r in rows}
        return [_hit(by_id[i], score) for i, score in ranked if i in by_id]

    async def similar(
        self,
        text: str,
        *,
        region_id: int | None = None,
        limit: int = 3,
        exclude_ids: Collection[int] = (),
    ) -> list[IdeaHit]:
        """Ideas that look like the text (a proposal's title and description), best first.

        Its telling words are those that at most half of the ideas contain, rarest first, as
        many as fit into RANK_AT_MOST matching ideas (at most MAX_SIMILAR_WORDS); an idea
        with more of them, and with them in the title, ranks higher; an idea of region_id
        ranks a little higher. exclude_ids: ideas not to suggest (e.g. shown already). Only
        words that more than half of the ideas contain: ideas with the rarest three of them in
        the title.
        """
        if limit <= 0:
            return []
        candidates = [
            w for w in significant(words(text[: MAX_QUERY_CHARS * 20])) if len(w) >= PREFIX_FROM
        ]
        counts = {w: await self._ideas_with(w) for w in candidates[: MAX_SIMILAR_WORDS * 2]}
        by_rarity = sorted((w for w, n in counts.items() if n), key=lambda w: counts[w])
        if not by_rarity:
            return []
        everyone = (await self._indexed()) * _COMMON_SHARE
        telling: list[str] = []
        matching = 0
        for word in by_rarity:
            fits = matching + counts[word] <= RANK_AT_MOST or not telling
            if counts[word] > everyone or not fits or len(telling) == MAX_SIMILAR_WORDS:
                break
            telling.append(word)
            matching += counts[word]
        # only words everyone uses: ideas with the rarest of them in the title
        match = match_any(telling) if telling else in_titles(match_any(by_rarity[:3]))
        if matching > RANK_AT_MOST:  # one telling word alone matches that many
            match = in_titles(match)
        rows = await self._db.fetchall(
            "WITH pool AS (SELECT rowid AS id, rank AS score FROM idea_search"
            " WHERE idea_search MATCH ? AND rowid NOT IN (SELECT value FROM json_each(?))"
            " ORDER BY rank LIMIT ?)"
            f" SELECT {_HIT_COLUMNS}, pool.score FROM pool JOIN ideas i ON i.id = pool.id"
            " LEFT JOIN regions r ON r.id = i.region_id"
            " ORDER BY pool.score * (CASE WHEN i.region_id = ? THEN ? ELSE 1.0 END), i.id"
            " LIMIT ?",
            (
                match,
                json.dumps(sorted(set(exclude_ids))),
                max(_SIMILAR_POOL, limit),
                region_id,
                _SAME_REGION,
                limit,
            ),
        )
        return [_hit(r, -float(r["score"])) for r in rows]

    async def _ideas_with(self, word: str) -> int:
        """How many ideas contain the word (in a form root_match finds), counted now and then."""
        now = time.monotonic()
        kept = self._counts.get(word)
        if kept is not None and now - kept[0] < _COUNTS_KEPT_S:
            self._counts.move_to_end(word)
            return kept[1]
        count = await self._count(root_match(word))
        self._counts[word] = (now, count)
        self._counts.move_to_end(word)
        if len(self._counts) > _COUNTS_AT_MOST:
            self._counts.popitem(last=False)
        return count

    async def _indexed(self) -> int:
        """How many ideas are in the index (a count of FTS5's own table of document sizes)."""
        return await self._db.count("SELECT COUNT(*) FROM idea_search_docsize")

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
