"""The search index (migration 0013) and storage.search: German spellings, prefixes, stems,
ranking, hostile input, and the index kept in step with every write path."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest

from storage.db import Database
from storage.idea_lifecycle import IdeaFields, IdeaLifecycle
from storage.import_models import ImportBundle
from storage.importer import ImportRepository
from storage.migrate import migrate
from storage.privacy import USER_COLUMNS
from storage.search import QUERY_KEPT, QueryTooLong, SearchRepository
from storage.search_terms import MAX_QUERY_CHARS, spellings

NOW = dt.datetime(2026, 11, 25, 10, 0, tzinfo=dt.UTC)
REGIONS = [
    {"slug": "muensterland", "name": "Münsterland", "name_en": "Muensterland region"},
    {"slug": "koeln", "name": "Köln"},
    {"slug": "owl", "name": "OstWestfalenLippe"},
]
IDEAS = [
    {
        "slug": "pflege-muenster",
        "title": "Pflegenetzwerk Münster",
        "region": "muensterland",
        "summary": "Pflegekräfte tauschen sich aus.",
        "title_en": "Care network Münster",
    },
    {
        "slug": "scouts",
        "title": "Netzwerk aus Digital-Scouts",
        "region": "koeln",
        "body": "Auszubildende erklären Betrieben die Digitalisierung.",
    },
    {
        "slug": "atlas",
        "title": "Digitalisierungs-Atlas",
        "region": "owl",
        "summary": "Eine Karte der Angebote.",
    },
    {
        "slug": "strasse",
        "title": "Werkstatt an der Straße",
        "region": "koeln",
        "body": "Handwerk zeigt sich.",
    },
    {
        "slug": "schweiz",
        "title": "Strasse der Arbeit",
        "region": "owl",
        "body": "Ein Weg durch die Betriebe der Region.",
    },
    {
        "slug": "pflegekraft",
        "title": "Eine Pflegekraft für jeden Betrieb",
        "region": "owl",
        "body": "Münster hilft mit.",
    },
]


async def load(db: Database, ideas: Sequence[Mapping[str, object]] = IDEAS) -> None:
    """Import the regions and ideas (the import path writes the index through the triggers)."""
    bundle = ImportBundle.model_validate({"regions": REGIONS, "ideas": ideas})
    await ImportRepository(db).apply(bundle, NOW)


async def slugs(search: SearchRepository, query: str) -> list[str]:
    """The slugs of the first page of results, in order."""
    page = await search.search(query)
    return [hit.slug for hit in page.items]


async def assert_index_matches(db: Database) -> None:
    """FTS5 compares the index with its content (the view): raises if they differ."""
    await db.execute("INSERT INTO idea_search (idea_search, rank) VALUES ('integrity-check', 1)")


@pytest.fixture
async def search(db: Database) -> SearchRepository:
    """The repository over the ideas above."""
    await load(db)
    return SearchRepository(db)


async def test_every_spelling_and_case_of_an_umlaut_finds_it(search: SearchRepository) -> None:
    for query in ("Münster", "münster", "MÜNSTER", "Muenster", "MUENSTER", "Munster", "münst"):
        found = await slugs(search, query)
        assert set(found) == {"pflege-muenster", "pflegekraft"}, query
    assert await slugs(search, "Münsterland") == ["pflege-muenster"]  # the region's name


async def test_sharp_s_and_ss_find_each_other(search: SearchRepository) -> None:
    for query in ("Straße", "Strasse", "STRASSE", "strasse"):
        assert set(await slugs(search, query)) == {"strasse", "schweiz"}, query


async def test_prefixes_stems_and_hyphens(search: SearchRepository) -> None:
    assert set(await slugs(search, "Digitali")) == {"scouts", "atlas"}
    assert set(await slugs(search, "digital*")) == {"scouts", "atlas"}  # `*` is not needed
    assert await slugs(search, "Digital-Scouts") == ["scouts"]
    assert await slugs(search, "digital scouts") == ["scouts"]
    # Snowball's stem: the plural finds the singular and back
    assert set(await slugs(search, "Pflegekräfte")) == {"pflege-muenster", "pflegekraft"}
    assert set(await slugs(search, "Betriebe")) >= {"pflegekraft", "scouts", "schweiz"}


async def test_every_word_must_match_and_the_title_counts_most(search: SearchRepository) -> None:
    assert await slugs(search, "Pflegenetz Münster") == ["pflege-muenster"]
    assert await slugs(search, "Digitalisierung Karte") == ["atlas"]
    assert await slugs(search, "Digitalisierung Pflege") == []
    # „Münster“ in the title ranks above „Münster“ in the body
    assert await slugs(search, "Münster") == ["pflege-muenster", "pflegekraft"]
    # stop words do not have to occur: „für die“ is not in the atlas
    assert await slugs(search, "Atlas für die Karte") == ["atlas"]


async def test_english_texts_are_searched(search: SearchRepository) -> None:
    assert await slugs(search, "care network") == ["pflege-muenster"]
    assert await slugs(search, "region Muensterland") == ["pflege-muenster"]  # name_en


@pytest.mark.parametrize(
    "query",
    [
        '"',
        '""',
        "*",
        "-",
        "NEAR",
        "NEAR(digital scouts, 2)",
        "AND",
        "OR",
        "NOT",
        "digital AND",
        "OR digital",
        "(",
        ")",
        "((digital",
        "title:digital",
        "{title summary}: digital",
        "^digital",
        '"digital',
        "digital*scouts",
        "-digital +scouts",
        "'; DROP TABLE ideas; --",
        "\x00",
        "😀",
        "\u202e\u200f",
        "_",
        "digital_scouts",
    ],
)
async def test_typed_operators_never_raise(search: SearchRepository, query: str) -> None:
    page = await search.search(query)
    assert page.total == len(page.items)
    assert await search.similar(query) is not None


async def test_operators_around_words_are_plain_separators(search: SearchRepository) -> None:
    for query in ('"Digital-Scouts"', "digital AND scouts", "(digital) scouts*", "-digital scouts"):
        assert await slugs(search, query) == ["scouts"], query
    # NEAR, NOT and AND are words here: the ideas do not contain them
    assert await slugs(search, "NEAR digital") == []


async def test_empty_and_too_long_queries(search: SearchRepository) -> None:
    for query in ("", "   ", "!!! ??? ...", "- * ( )"):
        page = await search.search(query)
        assert (page.total, page.items, page.page_count) == (0, (), 1), query
    assert (await search.search("x" * MAX_QUERY_CHARS)).total == 0
    with pytest.raises(QueryTooLong):
        await search.search("x" * (MAX_QUERY_CHARS + 1))


async def test_pages_and_a_page_past_the_end(db: Database) -> None:
    await load(db, [{"slug": f"idee-{n}", "title": f"Weiterbildung Nummer {n}"} for n in range(20)])
    search = SearchRepository(db)
    first = await search.search("Weiterbildung")
    assert (first.total, first.page, first.page_count, len(first.items)) == (20, 0, 3, 8)
    third = await search.search("Weiterbildung", page=2)
    assert (third.page, len(third.items)) == (2, 4)
    seen = [h.slug for p in (0, 1, 2) for h in (await search.search("weiterbil", page=p)).items]
    assert sorted(seen) == sorted(f"idee-{n}" for n in range(20))  # each exactly once
    stale = await search.search("Weiterbildung", page=9)
    assert (stale.page, stale.items) == (2, third.items)
    assert (await search.search("Weiterbildung", page=-1)).page == 0


async def test_archived_ideas_are_left_out_and_come_back(
    search: SearchRepository, db: Database
) -> None:
    idea_id = await _id(db, "scouts")
    async with db.transaction() as tx:
        await IdeaLifecycle.archive(tx, idea_id, "erledigt", NOW, by=4711)
    assert await slugs(search, "Scouts") == []
    assert "scouts" not in [h.slug for h in await search.similar("Digital Scouts Betriebe")]
    await assert_index_matches(db)
    async with db.transaction() as tx:
        await IdeaLifecycle.restore(tx, idea_id, NOW, by=4711)
    assert await slugs(search, "Scouts") == ["scouts"]
    await assert_index_matches(db)


async def test_an_edited_idea_is_found_by_its_new_words_only(
    search: SearchRepository, db: Database
) -> None:
    idea_id = await _id(db, "atlas")
    fields = IdeaFields(
        title="Kompass für kleine Firmen",
        region_id=None,
        summary="Wegweiser",
        title_en="Compass for small firms",
    )
    async with db.transaction() as tx:
        assert await IdeaLifecycle.edit(tx, idea_id, fields, NOW)
    assert await slugs(search, "Atlas") == []
    assert await slugs(search, "Kompass") == ["atlas"]
    assert await slugs(search, "compass firms") == ["atlas"]
    assert await slugs(search, "Wegweiser") == ["atlas"]
    assert await slugs(search, "OstWestfalenLippe Kompass") == []  # no region any more
    await assert_index_matches(db)


async def test_staff_create_and_status_change(search: SearchRepository, db: Database) -> None:
    async with db.transaction() as tx:
        idea_id, slug = await IdeaLifecycle.create(
            tx, IdeaFields(title="Quartiersladen mit Beratung", region_id=None), NOW
        )
        await IdeaLifecycle.set_status(tx, idea_id, "implementation", NOW, by=4711)
    assert await slugs(search, "Quartiersladen") == [slug]
    await assert_index_matches(db)


async def test_an_import_update_reindexes(search: SearchRepository, db: Database) -> None:
    changed = [dict(IDEAS[2], title="Angebotskarte", body="Neu: Lernorte")] + IDEAS[3:]
    await load(db, changed)
    assert await slugs(search, "Atlas") == []
    assert await slugs(search, "Angebotskarte Lernorte") == ["atlas"]
    await assert_index_matches(db)


async def test_a_renamed_region_is_found_by_its_new_name(
    search: SearchRepository, db: Database
) -> None:
    regions = [dict(REGIONS[2], name="Ostwestfalen-Lippe", name_en="East Westphalia")]
    bundle = ImportBundle.model_validate({"regions": regions})
    await ImportRepository(db).apply(bundle, NOW)
    assert await slugs(search, "OstWestfalenLippe") == []
    assert set(await slugs(search, "Ostwestfalen Lippe")) == {"atlas", "schweiz", "pflegekraft"}
    assert len(await slugs(search, "East Westphalia")) == 3
    await assert_index_matches(db)


@pytest.mark.usefixtures("search")
async def test_counters_do_not_touch_the_index(db: Database) -> None:
    """Comments and ratings change ideas' counters: the index triggers do not fire for them."""
    before = await db.fetchall("SELECT * FROM idea_search_data")
    await db.execute("UPDATE ideas SET comment_count = comment_count + 1, rating_sum = 5")
    assert await db.fetchall("SELECT * FROM idea_search_data") == before


async def test_any_connection_can_write_ideas(tmp_path: Path) -> None:
    """Plain SQL triggers: a connection without anything registered (an operator's sqlite3,
    a restore) writes ideas, and the index follows."""
    path = tmp_path / "db.sqlite3"
    db = await Database.open(path)
    await migrate(db)
    await load(db)
    await db.close()
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("UPDATE ideas SET title = 'Handwerkerhof' WHERE slug = 'strasse'")
        conn.execute("DELETE FROM ideas WHERE slug = 'schweiz'")
        conn.execute(
            "INSERT INTO ideas (slug, title, created_at, updated_at) VALUES ('neu', 'Zukunftsdorf', '', '')"
        )
        conn.execute("INSERT INTO idea_search (idea_search, rank) VALUES ('integrity-check', 1)")
    conn.close()
    db = await Database.open(path)
    search = SearchRepository(db)
    assert await slugs(search, "Handwerkerhof") == ["strasse"]
    assert await slugs(search, "Strasse") == []
    assert await slugs(search, "Zukunftsdorf") == ["neu"]
    await db.close()


async def test_the_index_holds_no_personal_data(db: Database) -> None:
    """The only column of ideas that names a person is archived_by; the index never reads it."""
    assert {c.column for c in USER_COLUMNS if c.table == "ideas"} == {"archived_by"}
    row = await db.fetchone("SELECT sql FROM sqlite_master WHERE name = 'idea_search_source'")
    assert row is not None and "archived_by" not in row["sql"]
    columns = await db.fetchall("PRAGMA table_info(idea_search)")
    assert [c["name"] for c in columns] == ["title", "summary", "body", "region"]
    queries = await db.fetchall("PRAGMA table_info(search_queries)")
    assert [c["name"] for c in queries] == ["id", "words", "used_at"]  # no one's id


async def test_similar_ranks_by_shared_words(search: SearchRepository, db: Database) -> None:
    hits = await search.similar(
        "Ein Netzwerk für Pflegekräfte in Münster, damit die Pflege besser wird"
    )
    assert hits[0].slug == "pflege-muenster"
    assert len(hits) <= 3 and hits[0].score > hits[-1].score > 0
    assert [h.slug for h in await search.similar("Digital-Scouts erklären", limit=1)] == ["scouts"]
    pflege = await _id(db, "pflege-muenster")
    without = await search.similar("Pflegekräfte Münster", exclude_ids=[pflege])
    assert [h.slug for h in without] == ["pflegekraft"]
    assert await search.similar("der die") != []  # only stop words: those are searched
    assert await search.similar("Quantenphysik Raumfahrt") == []
    assert await search.similar("", limit=3) == []
    assert await search.similar("Münster", limit=0) == []


async def test_similar_prefers_the_same_region_among_equals(
    db: Database,
) -> None:
    ideas = [
        {"slug": "a", "title": "Lernwerkstatt im Quartier", "region": "koeln"},
        {"slug": "b", "title": "Lernwerkstatt im Quartier", "region": "owl"},
    ]
    await load(db, ideas)
    search = SearchRepository(db)
    koeln, owl = await _region(db, "koeln"), await _region(db, "owl")
    assert [h.slug for h in await search.similar("Lernwerkstatt", region_id=owl)] == ["b", "a"]
    assert [h.slug for h in await search.similar("Lernwerkstatt", region_id=koeln)] == ["a", "b"]


async def test_kept_words_of_a_search(db: Database) -> None:
    search = SearchRepository(db)
    first = await search.remember("  Pflege   Köln ", NOW)
    assert 0 < first < 10**12
    assert await search.remember("Pflege Köln", NOW + dt.timedelta(days=3)) == first
    other = await search.remember("Pflege Kö", NOW)
    assert other != first
    assert await search.recall(first, NOW + dt.timedelta(days=9)) == "Pflege Köln"
    assert await search.recall(other, NOW + QUERY_KEPT + dt.timedelta(seconds=1)) is None
    assert await search.recall(first + 1 if first + 1 != other else first + 2, NOW) is None
    async with db.transaction() as tx:
        assert await SearchRepository.forget_old(tx, NOW + QUERY_KEPT + dt.timedelta(days=1)) == 1
    assert await search.recall(first, NOW + dt.timedelta(days=9)) == "Pflege Köln"


def test_spellings() -> None:
    assert spellings("münster") == ["münster", "muenster"]
    assert spellings("muenster") == ["muenster", "münster"]
    assert spellings("straße") == ["straße", "strasse"]
    assert set(spellings("duesseldorf")) == {"duesseldorf", "düsseldorf", "dueßeldorf", "düßeldorf"}
    assert spellings("neue") == ["neue"]  # eu + e: no umlaut
    assert spellings("steuer") == ["steuer"]
    assert spellings("quelle") == ["quelle"]
    assert spellings("digital") == ["digital"]
    many = spellings("äöüäöü")  # more than four places: as typed and all transliterated
    assert many == ["äöüäöü", "aeoeueaeoeue"]


async def _id(db: Database, slug: str) -> int:
    row = await db.fetchone("SELECT id FROM ideas WHERE slug = ?", (slug,))
    assert row is not None
    return int(row["id"])


async def _region(db: Database, slug: str) -> int:
    row = await db.fetchone("SELECT id FROM regions WHERE slug = ?", (slug,))
    assert row is not None
    return int(row["id"])


async def test_a_broad_search_ranks_the_title_matches_then_lists_the_newest(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("storage.search.RANK_AT_MOST", 5)  # as if these were thousands
    titled = [{"slug": f"titel-{n}", "title": f"Lernort {n}", "body": "Lernort"} for n in range(3)]
    titled[1]["title"] = "Lernort Lernort"  # the best of the three
    others = [{"slug": f"text-{n}", "title": f"Idee {n}", "body": "Ein Lernort."} for n in range(9)]
    unrelated = [{"slug": f"anders-{n}", "title": f"Etwas anderes {n}"} for n in range(20)]
    await load(db, unrelated + titled + others)  # (bm25 needs ideas without the word)
    search = SearchRepository(db)
    first, second = await search.search("Lernort"), await search.search("Lernort", page=1)
    assert (first.total, first.page_count, second.page) == (12, 2, 1)
    order = [h.slug for h in first.items + second.items]
    assert order[0] == "titel-1" and set(order[:3]) == {"titel-0", "titel-1", "titel-2"}
    assert order[3:] == [f"text-{n}" for n in range(8, -1, -1)]  # then the newest first
    scores = [h.score for h in first.items[:4]]
    assert scores[0] > scores[1] >= scores[2] > scores[3] == 0.0
    assert await search.search("Lernort", page=5) == second  # past the end: the last page


async def test_similar_ignores_words_most_ideas_share(db: Database) -> None:
    ideas = [{"slug": f"netz-{n}", "title": f"Netzwerk Nummer {n}"} for n in range(6)]
    ideas.append({"slug": "werkstatt", "title": "Lernwerkstatt", "body": "Kein Netz."})
    await load(db, ideas)
    search = SearchRepository(db)
    hits = await search.similar("Netzwerk Netzwerk Lernwerkstatt")  # netzwerk: 6 of 7 ideas
    assert [h.slug for h in hits] == ["werkstatt"]
    only_common = await search.similar("Ein Netzwerk für alle", limit=10)
    assert {h.slug for h in only_common} == {f"netz-{n}" for n in range(6)}  # in the title
