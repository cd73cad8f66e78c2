"""Storage: migrations, import (all or nothing), repositories."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from bot.app import prepare_database
from bot.importfile import ImportFileError, parse_bundle, read_bundle, shipped_bundle
from storage.db import Database
from storage.ideas import PAGE_SIZE, IdeaRepository
from storage.import_models import ImportBundle, ImportRejectedError
from storage.importer import ImportRepository
from storage.migrate import SchemaTooNewError, available_migrations, migrate, schema_version
from storage.models import Broadcast, Organisation
from storage.regions import RegionRepository
from storage.users import UserRepository

NOW = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC)
SHIPPED_IDEAS = len(shipped_bundle().ideas)  # bot/data (32 in SHIPPED_VERSION 2)


async def test_migrate_from_empty_creates_schema_and_records_version() -> None:
    database = await Database.open(":memory:")
    try:
        assert await schema_version(database) == 0
        version = await migrate(database)
        assert version == len(available_migrations()) >= 1
        assert await schema_version(database) == version
        tables = {r["name"] for r in await database.fetchall("SELECT name FROM sqlite_master")}
        assert {"regions", "districts", "municipalities", "ideas", "users"} <= tables
    finally:
        await database.close()


async def test_migrate_twice_is_a_noop(db: Database) -> None:
    before = await db.fetchall("SELECT version, applied_at FROM schema_migrations")
    await migrate(db)
    after = await db.fetchall("SELECT version, applied_at FROM schema_migrations")
    assert [tuple(r) for r in before] == [tuple(r) for r in after]


async def test_newer_database_is_refused(db: Database) -> None:
    await db.execute(
        "INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'future', 'x')"
    )
    with pytest.raises(SchemaTooNewError, match="newer version"):
        await migrate(db)


async def test_file_database_uses_wal_and_foreign_keys(tmp_path: Path) -> None:
    database = await Database.open(tmp_path / "x.sqlite3")
    try:
        mode = await database.fetchone("PRAGMA journal_mode")
        fks = await database.fetchone("PRAGMA foreign_keys")
        assert mode is not None and mode[0] == "wal"
        assert fks is not None and fks[0] == 1
    finally:
        await database.close()


async def test_reads_see_every_committed_write_and_cannot_write(tmp_path: Path) -> None:
    database = await Database.open(tmp_path / "x.sqlite3")
    try:
        await database.execute("CREATE TABLE t (n INTEGER)")
        await database.execute("INSERT INTO t VALUES (1)")
        assert [r["n"] for r in await database.fetchall("SELECT n FROM t")] == [1]
        async with database.transaction() as tx:
            await tx.execute("INSERT INTO t VALUES (2)")
            assert len(await tx.fetchall("SELECT n FROM t")) == 2  # inside: its own writes
            assert len(await database.fetchall("SELECT n FROM t")) == 1  # outside: committed
        assert len(await database.fetchall("SELECT n FROM t")) == 2
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            await database.fetchall("INSERT INTO t VALUES (3) RETURNING n")
    finally:
        await database.close()


async def test_failed_transaction_leaves_nothing(db: Database) -> None:
    with pytest.raises(RuntimeError):  # noqa: PT012 (the transaction is what is tested)
        async with db.transaction() as tx:
            await tx.execute("INSERT INTO regions (slug, name) VALUES ('x', 'X')")
            raise RuntimeError("boom")
    assert await RegionRepository(db).count() == 0


async def test_shipped_data_loads_all_regions_districts_municipalities(db: Database) -> None:
    await prepare_database(db)
    counts = {
        table: (await db.fetchone(f"SELECT COUNT(*) FROM {table}"))[0]  # type: ignore[index]
        for table in ("regions", "districts", "municipalities", "challenges", "ideas")
    }
    assert counts == {
        "regions": 16,
        "districts": 53,
        "municipalities": 396,
        "challenges": 5,
        "ideas": SHIPPED_IDEAS,
    }
    codes = await db.fetchone("SELECT COUNT(DISTINCT code) FROM postal_codes")
    assert codes is not None and codes[0] == 871
    regions = {r.slug: r for r in await RegionRepository(db).list_with_counts()}
    assert regions["niederrhein"].idea_count == 6
    idea = await IdeaRepository(db).get_by_slug("we-make-you-sexy-niederrhein")
    assert idea is not None and idea.region_name == "NiederRhein" and idea.challenge_id is None


async def test_prepare_database_does_not_reload_into_a_filled_database(db: Database) -> None:
    await prepare_database(db)
    await db.execute("DELETE FROM ideas WHERE slug = 'digital-scouts'")
    await prepare_database(db)
    assert await IdeaRepository(db).count() == SHIPPED_IDEAS - 1


def _bundle(**sections: object) -> ImportBundle:
    return parse_bundle(sections)


async def test_import_is_idempotent_upsert_by_slug(db: Database) -> None:
    await prepare_database(db)
    repo = ImportRepository(db)
    bundle = _bundle(
        ideas=[{"slug": "neu", "title": "Neue Idee", "region": "koeln", "body": "Text"}]
    )
    await repo.apply(bundle, NOW)
    await repo.apply(bundle, NOW)
    ideas = IdeaRepository(db)
    assert await ideas.count() == SHIPPED_IDEAS + 1
    changed = _bundle(ideas=[{"slug": "neu", "title": "Geändert", "region": "aachen"}])
    await repo.apply(changed, NOW)
    idea = await ideas.get_by_slug("neu")
    assert idea is not None and idea.title == "Geändert" and idea.region_slug == "aachen"
    assert await ideas.count() == SHIPPED_IDEAS + 1


async def test_import_with_unknown_reference_changes_nothing(db: Database) -> None:
    await prepare_database(db)
    bundle = _bundle(
        challenges=[{"slug": "neue-herausforderung", "title": "Neu"}],
        ideas=[
            {"slug": "ok", "title": "OK", "region": "koeln"},
            {"slug": "x", "title": "X", "region": "koeln"},
            {"slug": "y", "title": "Y", "region": "koeln"},
            {"slug": "bad", "title": "Bad", "region": "niederrhien"},
        ],
    )
    with pytest.raises(ImportRejectedError) as info:
        await ImportRepository(db).apply(bundle, NOW)
    assert info.value.errors == [
        "ideas[3].region: unknown region 'niederrhien' (did you mean 'niederrhein'?)"
    ]
    assert await IdeaRepository(db).count() == SHIPPED_IDEAS
    assert len(await IdeaRepository(db).challenges()) == 5


def test_schema_errors_carry_their_location() -> None:
    with pytest.raises(ImportFileError) as info:
        parse_bundle(
            {
                "ideas": [
                    {"slug": "ok", "title": "OK"},
                    {"slug": "Bad Slug", "title": "X", "url": "javascript:alert(1)"},
                ],
                "regionz": [],
            }
        )
    errors = info.value.errors
    assert any(e.startswith("ideas[1].slug: ") for e in errors)
    assert "ideas[1].url: must be an http:// or https:// URL" in errors
    assert "regionz: unknown field (check the spelling)" in errors


def test_unreadable_files_are_reported(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("ideas: [\n  - slug: a\n", encoding="utf-8")
    with pytest.raises(ImportFileError, match="invalid YAML"):
        read_bundle(broken)
    bad_json = tmp_path / "broken.json"
    bad_json.write_text('{"ideas": [}', encoding="utf-8")
    with pytest.raises(ImportFileError, match=r"broken.json:1:\d+: invalid JSON"):
        read_bundle(bad_json)
    with pytest.raises(ImportFileError, match="cannot read"):
        read_bundle(tmp_path / "missing.yaml")
    scalar = tmp_path / "scalar.yaml"
    scalar.write_text("42\n", encoding="utf-8")
    with pytest.raises(ImportFileError, match="top level"):
        read_bundle(scalar)


def test_example_file_in_the_repo_is_valid() -> None:
    bundle = read_bundle(Path(__file__).resolve().parent.parent / "examples" / "import.yaml")
    assert bundle.regions and bundle.challenges and bundle.ideas


async def test_idea_pages_are_newest_first_and_clamped(db: Database) -> None:
    await prepare_database(db)
    ideas = [
        {
            "slug": f"i{n}",
            "title": f"Idee {n}",
            "region": "koeln",  # a region without shipped ideas
            "published_on": f"2026-01-{n + 1:02d}",
        }
        for n in range(PAGE_SIZE + 3)
    ]
    await ImportRepository(db).apply(_bundle(ideas=ideas), NOW)
    region = await RegionRepository(db).get_by_slug("koeln")
    assert region is not None and region.idea_count == PAGE_SIZE + 3
    repo = IdeaRepository(db)
    first = await repo.page_by_region(region.id, 0)
    assert first.page_count == 2 and first.total == PAGE_SIZE + 3
    assert [i.slug for i in first.items][:2] == [f"i{PAGE_SIZE + 2}", f"i{PAGE_SIZE + 1}"]
    second = await repo.page_by_region(region.id, 1)
    assert len(second.items) == 3 and second.items[-1].slug == "i0"
    clamped = await repo.page_by_region(region.id, 99)
    assert clamped.page == 1


async def test_browse_queries_use_indexes(db: Database) -> None:
    plan = await db.fetchall(
        "EXPLAIN QUERY PLAN SELECT id, slug, title FROM ideas WHERE region_id = ?"
        " ORDER BY published_on DESC, id DESC LIMIT 8 OFFSET 0",
        (1,),
    )
    detail = " ".join(str(r["detail"]) for r in plan)
    assert "ideas_by_region" in detail and "TEMP B-TREE" not in detail


async def test_users_store_only_id_language_and_times(db: Database) -> None:
    users = UserRepository(db)
    await users.touch(42, NOW)
    await users.set_language(42, "en", NOW + dt.timedelta(days=1))
    user = await users.get(42)
    assert user is not None and user.language == "en"
    assert user.first_seen == NOW and user.last_seen == NOW + dt.timedelta(days=1)
    columns = [r["name"] for r in await db.fetchall("PRAGMA table_info(users)")]
    assert columns == [
        "telegram_id",
        "language",
        "first_seen",
        "last_seen",
        "detected_language",
        "blocked_at",
        "comment_name",
        "news_since",  # the news opt-in (migration 0015)
        "news_offered_at",
    ]


def test_a_record_reads_its_row_by_the_types_of_its_fields() -> None:
    row = {
        "id": 1,
        "admin_id": 2,
        "audience": "all",
        "text": "Hallo",
        "total": 3,
        "progress_message_id": None,
        "finished_at": "2026-12-03T09:00:00.000000Z",
    }
    # A moment from its stored text; values given replace columns.
    broadcast = Broadcast.of(row, sent=3)
    assert (broadcast.finished_at, broadcast.sent) == (
        dt.datetime(2026, 12, 3, 9, tzinfo=dt.UTC),
        3,
    )
    # A moment stored empty is None; a list of strings is stored as a JSON array.
    assert Broadcast.of({**row, "finished_at": ""}).finished_at is None
    organisation = {"id": 1, "slug": "ra", "region_id": 5, "kind": "other", "name": "RA"}
    columns = {"host": "", "host_en": None, "url": None, "sources": '["a", "b"]'}
    assert Organisation.of({**organisation, **columns}).sources == ("a", "b")
