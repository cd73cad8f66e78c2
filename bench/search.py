"""Benchmark: „🔎 Ideen suchen“ and „Gibt es schon?“ over 10,000 ideas among 1,000,000 comments.

    .venv/bin/python bench/search.py            # full scale (also: make bench)
    .venv/bin/python bench/search.py --check    # exit status 1 when the target is missed
    .venv/bin/python bench/search.py --ideas 500 --comments 20000 --searches 300   # quick look

Storage only: the database of the comments benchmark (bench/comments_seed.py in a
subprocess: migrations, shipped data, --ideas ideas, --comments comments, ratings, reports),
then the ideas get texts from a German-like vocabulary (UPDATEs, so the index triggers of
migration 0013 index them as any edit would), then --searches timed SearchRepository.search
and --similar timed SearchRepository.similar calls on a fresh connection.
See bench/README.md ("Search benchmark") for what is measured and the target.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # `python bench/search.py` puts bench/ first, not the checkout
    sys.path.insert(0, str(ROOT))

import bench_common  # noqa: E402
from bench_common import peak_rss_mb, percentiles_ms  # noqa: E402

from storage.db import Database  # noqa: E402
from storage.search import SearchRepository  # noqa: E402

TARGET_P99_MS = 20.0


def words_of(text: str) -> list[str]:
    """The words of a text (a list is easier to read as text)."""
    return text.split()


# The vocabulary of the ideas: words of the field, NRW places, and compounds of them.
STEMS = words_of(
    "Arbeit Ausbildung Betrieb Beratung Bildung Digitalisierung Fachkräfte Förderung Handwerk "
    "Pflege Qualifizierung Weiterbildung Netzwerk Plattform Region Zukunft Mitbestimmung "
    "Gesundheit Schule Hochschule Unternehmen Beschäftigte Lernort Werkstatt Wissen Innovation "
    "Kompetenz Gründung Frauen Jugend Familie Mobilität Energie Klima Wandel Kooperation "
    "Strategie Projekt Markt Stadt Quartier Straße Zeit Geld Kultur Technik Daten Roboter "
    "Maschine Software Kunde Dienst Industrie Logistik Verkehr Handel Gastronomie Tourismus "
    "Landwirtschaft Verwaltung Gewerkschaft Kammer Verbund Atlas Kompass Lotse Scout Labor "
    "Festival Kampagne Wettbewerb Preis Messe Börse Treffen Forum Dialog Umfrage Studie Karte "
    "Führung Teilhabe Inklusion Vielfalt Übergang Einstieg Rückkehr Sprache Integration Heimat"
)
PLACES = words_of(
    "Münster Köln Düsseldorf Dortmund Essen Bochum Duisburg Lünen Hamm Soest Siegen Olpe "
    "Bielefeld Paderborn Aachen Bonn Wuppertal Solingen Remscheid Krefeld Mönchengladbach "
    "Gelsenkirchen Recklinghausen Oberhausen Mülheim Hagen Iserlohn Lüdenscheid Gütersloh"
)
ADJECTIVES = words_of(
    "digital regional neu jung gut fair flexibel gemeinsam offen sozial nachhaltig klein groß "
    "lokal mobil kreativ sicher gesund modern ländlich städtisch öffentlich betrieblich"
)
FUNCTION_WORDS = words_of("der die das und für mit von im in auf zu ein eine den dem als auch")
ENGLISH = words_of(
    "work training business advice education digital skills care network platform region "
    "future health school company employees learning workshop knowledge innovation women "
    "young family mobility energy climate change cooperation project market city time"
)
VOCABULARY = 20_000
HOSTILE = ('"NEAR(', "digital AND (", "title:*", "-Pflege +Köln", "*** ---", "OR OR OR")


def vocabulary(rng: random.Random) -> list[str]:
    """VOCABULARY distinct words in the order of their frequency (Writer: Zipf's law): the
    words of the field and places, their inflected forms, compounds of two and three."""
    base = list(STEMS) + list(PLACES) + list(ADJECTIVES)
    inflected = [w + ending for w in STEMS + ADJECTIVES for ending in ("e", "en", "er", "s")]
    rng.shuffle(base)
    rng.shuffle(inflected)
    words = base + inflected
    seen = set(words)
    while len(words) < VOCABULARY:
        parts = rng.choices(STEMS, k=rng.choice((2, 2, 3)))
        compound = parts[0] + "".join(p.lower() for p in parts[1:])
        if compound not in seen:
            seen.add(compound)
            words.append(compound)
    return words


class Writer:
    """Texts drawn from the vocabulary with Zipf weights."""

    def __init__(self, words: list[str], rng: random.Random) -> None:
        self.words = words
        self.weights = [1 / (rank + 10) for rank in range(len(words))]
        self.rng = rng

    def text(self, count: int) -> str:
        """count words, about a third of them function words."""
        content = self.rng.choices(self.words, weights=self.weights, k=count)
        return " ".join(
            self.rng.choice(FUNCTION_WORDS) + " " + w if self.rng.random() < 0.35 else w
            for w in content
        )


async def write_texts(path: Path, rng: random.Random) -> dict[str, object]:
    """Give the seeded ideas realistic texts (the index follows by its triggers)."""
    writer = Writer(vocabulary(rng), rng)
    db = await Database.open(path)
    try:
        ids = [
            int(r["id"])
            for r in await db.fetchall("SELECT id FROM ideas WHERE slug LIKE 'bench-%'")
        ]
        rows = []
        for idea_id in ids:
            english = rng.random() < 0.3
            rows.append(
                (
                    writer.text(rng.randint(3, 9)),
                    writer.text(rng.randint(8, 25)),
                    writer.text(rng.randint(15, 120)),
                    " ".join(rng.choices(ENGLISH, k=rng.randint(3, 8))) if english else None,
                    " ".join(rng.choices(ENGLISH, k=rng.randint(10, 30))) if english else None,
                    idea_id,
                )
            )
        started = time.perf_counter()
        async with db.transaction() as tx:
            await tx.executemany(
                "UPDATE ideas SET title = ?, summary = ?, body = ?, title_en = ?, summary_en = ?"
                " WHERE id = ?",
                rows,
            )
        index_s = time.perf_counter() - started
        size = await db.fetchone(
            "SELECT SUM(pgsize) AS bytes FROM dbstat WHERE name LIKE 'idea_search%'"
        )
        await db.execute("ANALYZE")
        await db.checkpoint()
    finally:
        await db.close()
    return {
        "ideas_reindexed": len(rows),
        "reindex_s": round(index_s, 1),
        "index_mb": round(int(size["bytes"] if size else 0) / 1e6, 1),
        "vocabulary": len(writer.words),
        "_words": writer.words,
    }


def queries(words: list[str], rng: random.Random, count: int) -> list[tuple[str, str]]:
    """(kind, query) pairs: 1–4 words, common and rare, umlauts typed otherwise, prefixes."""
    common, rare = words[:40], words[5000:]
    umlauts = [w for w in words[:600] if any(c in w for c in "äöüßÄÖÜ")]

    def typed_otherwise(word: str) -> str:
        plain = word.replace("ä", "ae").replace("ö", "oe").replace("ü", "ue").replace("ß", "ss")
        return rng.choice((plain, word.upper(), word.lower()))

    kinds = {
        "1 common word": lambda: rng.choice(common),
        "1 rare word": lambda: rng.choice(rare),
        "umlaut typed otherwise": lambda: typed_otherwise(rng.choice(umlauts)),
        "prefix": lambda: (w := rng.choice(common + words[40:400]))[: max(3, len(w) * 2 // 3)],
        "2 words": lambda: " ".join(rng.sample(common, 1) + rng.sample(words[:800], 1)),
        "3 words": lambda: " ".join(rng.sample(words[:300], 3)),
        "4 words": lambda: " ".join(rng.sample(words[:200], 4)),
        "english": lambda: " ".join(rng.sample(ENGLISH, rng.randint(1, 2))),
        "operators typed": lambda: rng.choice(HOSTILE) + " " + rng.choice(common),
    }
    names = list(kinds)
    return [(kind, kinds[kind]()) for kind in (names[n % len(names)] for n in range(count))]


async def measure(path: Path, words: list[str], args: argparse.Namespace) -> dict[str, Any]:
    """Timed searches and similarities on a fresh connection (after a warm-up)."""
    rng = random.Random(args.seed + 1)
    writer = Writer(words, rng)
    db = await Database.open(path)
    search = SearchRepository(db)
    try:
        regions = [int(r["id"]) for r in await db.fetchall("SELECT id FROM regions")]
        by_kind: dict[str, list[float]] = {}
        totals: list[int] = []
        for n, (kind, query) in enumerate(queries(words, rng, args.warmup + args.searches)):
            page = 0 if rng.random() < 0.85 else rng.randint(1, 3)
            t0 = time.perf_counter()
            found = await search.search(query, page=page)
            elapsed = time.perf_counter() - t0
            if n >= args.warmup:
                by_kind.setdefault(kind, []).append(elapsed)
                totals.append(found.total)
        similar: list[float] = []
        suggested: list[int] = []
        for n in range(args.warmup + args.similar):
            proposal = writer.text(rng.randint(4, 9)) + ". " + writer.text(rng.randint(20, 60))
            t0 = time.perf_counter()
            hits = await search.similar(proposal, region_id=rng.choice(regions), limit=3)
            elapsed = time.perf_counter() - t0
            if n >= args.warmup:
                similar.append(elapsed)
                suggested.append(len(hits))
    finally:
        await db.close()
    every = [s for values in by_kind.values() for s in values]
    return {
        "search_ms": percentiles_ms(every),
        "search_by_kind_ms": {kind: percentiles_ms(values) for kind, values in by_kind.items()},
        "similar_ms": percentiles_ms(similar),
        "results_median": sorted(totals)[len(totals) // 2] if totals else 0,
        "results_max": max(totals, default=0),
        "no_results_share": round(sum(t == 0 for t in totals) / max(len(totals), 1), 3),
        "similar_mean_hits": round(sum(suggested) / max(len(suggested), 1), 2),
        "peak_rss_mb": peak_rss_mb(),
    }


def report(setup: dict[str, object], result: dict[str, Any]) -> tuple[str, bool]:
    """The plain-text report and whether the target passed."""
    search, similar = result["search_ms"], result["similar_ms"]
    passed = search["p99"] < TARGET_P99_MS and similar["p99"] < TARGET_P99_MS
    facts = (f"{k} {v:,}" if isinstance(v, int) else f"{k} {v}" for k, v in setup.items())
    head = f"{'ms':34} {'p50':>7} {'p95':>7} {'p99':>7} {'max':>7} {'mean':>7}"

    def line(name: str, f: dict[str, float]) -> str:
        return (
            f"{name:34} {f['p50']:>7.3f} {f['p95']:>7.3f} {f['p99']:>7.3f}"
            f" {f['max']:>7.2f} {f['mean']:>7.3f}"
        )

    lines = ["Ideenlabor-Bot search benchmark (storage only)", ", ".join(facts), "", head]
    lines.append(line("SearchRepository.search (all)", search))
    for kind, figures in result["search_by_kind_ms"].items():
        lines.append(line(f"  {kind}", figures))
    lines.append(line("SearchRepository.similar", similar))
    lines += [
        "",
        f"p99 of a search: {search['p99']:.3f} ms, of a similarity: {similar['p99']:.3f} ms"
        f" (target < {TARGET_P99_MS:g} ms)  {'PASS' if passed else 'FAIL'}",
        f"results per search: median {result['results_median']:,}, max {result['results_max']:,},"
        f" none found {result['no_results_share']:.1%};"
        f" suggestions per similarity: {result['similar_mean_hits']}",
        f"peak RSS of the measuring process: {result['peak_rss_mb']:.1f} MB",
        bench_common.load_line(result),
    ]
    return "\n".join(lines), passed


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Command-line options."""
    return bench_common.parse(
        __doc__,
        (
            *bench_common.SEED_OPTIONS,
            ("--searches", 3_000, "measured searches"),
            ("--similar", 1_000, "measured similarities"),
            ("--warmup", 200, "searches (and similarities) before measuring"),
        ),
        argv,
        positive=("--ideas", "--comments", "--users", "--searches", "--similar"),
    )


def seed(path: Path, args: argparse.Namespace) -> dict[str, object]:
    """The comments benchmark's database, built in a subprocess (bench/comments_seed.py)."""
    figures = bench_common.seed_comments_database(path, args)
    return {key: figures[key] for key in ("ideas", "comments", "ratings")}


def run(args: argparse.Namespace) -> int:
    """Seed, write the texts, measure, report."""
    with tempfile.TemporaryDirectory(prefix="bench-search-") as folder:
        path = Path(folder) / "ideenlabor.sqlite3"
        started = time.perf_counter()
        setup = seed(path, args)
        texts = asyncio.run(write_texts(path, random.Random(args.seed)))
        words = texts.pop("_words")
        assert isinstance(words, list)
        setup.update(texts)
        setup["seed_s"] = round(time.perf_counter() - started, 1)
        setup["db_mb"] = round(bench_common.db_size_mb(path), 1)
        load = os.getloadavg()[0]
        result = asyncio.run(measure(path, words, args))
        result["load_average"] = bench_common.load_averages(load)
    return bench_common.finish(args, report(setup, result), {"setup": setup, **result})


if __name__ == "__main__":
    sys.exit(run(parse_args()))
