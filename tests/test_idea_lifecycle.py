"""Storage of an idea's lifecycle through the real Database: status and news, followers,
archive (hidden everywhere citizens look), staff edits, working groups, contacts' profiles."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.app import prepare_database
from storage.contact_profiles import ContactProfileRepository
from storage.db import Database
from storage.idea_followers import FollowRepository
from storage.idea_lifecycle import IdeaFields, IdeaLifecycle
from storage.ideas import IdeaRepository
from storage.regions import RegionRepository
from storage.retrospective import PastWorkshopRepository
from storage.slugs import slugify
from storage.stats import StatsRepository
from storage.users import UserRepository
from storage.workgroup_edits import GroupFields, WorkgroupEdits
from storage.workgroups import WorkgroupRepository

NOW = dt.datetime(2026, 12, 3, 12, 0, tzinfo=dt.UTC)
IDEA = "digitale-dachmarke-niederrhein"  # niederrhein, attraktiv-bleiben, 2nd Ideenlabor 2017


@pytest.fixture
async def shipped(db_path: Path) -> AsyncIterator[Database]:
    """A file database with the shipped data (a reader connection, as the bot has)."""
    database = await Database.open(db_path)
    yield database
    await database.close()


async def _idea_id(db: Database, slug: str = IDEA) -> int:
    idea = await IdeaRepository(db).get_by_slug(slug)
    assert idea is not None
    return idea.id


async def _users(db: Database, *ids: int) -> None:
    for user_id in ids:
        await UserRepository(db).touch(user_id, NOW)


# ------------------------------------------------------------------ status and news


async def test_status_changes_and_news_form_a_timeline_newest_first(shipped: Database) -> None:
    idea_id = await _idea_id(shipped)
    async with shipped.transaction() as tx:
        change = await IdeaLifecycle.set_status(tx, idea_id, "elaboration", NOW, by=4711)
        assert change is not None and (change.old_status, change.new_status) == (
            "idea",
            "elaboration",
        )
        # The same status again: nothing happens, nothing is recorded.
        assert await IdeaLifecycle.set_status(tx, idea_id, "elaboration", NOW, by=4711) is None
        first = await IdeaLifecycle.post_news(tx, idea_id, "Erstes Treffen.", NOW, by=4711)
        second = await IdeaLifecycle.post_news(
            tx, idea_id, "Zweites Treffen.", NOW, by=None, text_en="Second meeting."
        )
        later = NOW + dt.timedelta(days=1)
        await IdeaLifecycle.set_status(
            tx, idea_id, "implementation", later, by=4711, text="Es geht los."
        )
        assert await IdeaLifecycle.post_news(tx, 999_999, "x", NOW, by=None) is None
        with pytest.raises(ValueError, match="unknown idea status"):
            await IdeaLifecycle.set_status(tx, idea_id, "fertig", NOW, by=4711)
    timeline = IdeaLifecycle(shipped)
    news = await timeline.latest_news(idea_id, limit=3)
    assert [(n.kind, n.text) for n in news] == [
        ("status", "Es geht los."),
        ("news", "Zweites Treffen."),  # same moment: the later entry first
        ("news", "Erstes Treffen."),
    ]
    assert [n.id for n in news[1:]] == [second, first]
    assert news[1].text_en == "Second meeting." and news[1].posted_by is None
    page = await timeline.news_page(idea_id, 0, page_size=2)
    assert (page.total, page.page_count, len(page.items)) == (4, 2, 2)
    last = await timeline.news_page(idea_id, 9, page_size=2)  # past the end: the last page
    assert last.page == 1 and [n.new_status for n in last.items] == [None, "elaboration"]
    idea = await IdeaRepository(shipped).get(idea_id)
    assert idea is not None and idea.status == "implementation"
    assert idea.status_changed_at == NOW + dt.timedelta(days=1)


async def test_the_idea_view_reads_news_and_followers_by_index(shipped: Database) -> None:
    plans = {
        "news": (
            "SELECT id FROM idea_news WHERE idea_id = ? ORDER BY posted_at DESC, id DESC LIMIT 3",
            (1,),
        ),
        "follows": ("SELECT 1 FROM idea_followers WHERE idea_id = ? AND user_id = ?", (1, 2)),
        "fan-out": (
            "SELECT user_id FROM idea_followers WHERE idea_id = ? AND user_id > ?"
            " ORDER BY user_id LIMIT 1000",
            (1, 0),
        ),
        "mine": (
            "SELECT idea_id FROM idea_followers WHERE user_id = ?"
            " ORDER BY since DESC, idea_id DESC LIMIT 8",
            (1,),
        ),
        "region page": (
            "SELECT id FROM ideas WHERE region_id = ? AND archived_at IS NULL"
            " ORDER BY published_on DESC, id DESC LIMIT 8 OFFSET 0",
            (1,),
        ),
        "workshop ideas": (
            "SELECT id FROM ideas WHERE workshop_id IN (?, ?) AND archived_at IS NULL"
            " ORDER BY workshop_id, id",
            (1, 2),
        ),
    }
    for name, (sql, params) in plans.items():
        plan = await shipped.fetchall(f"EXPLAIN QUERY PLAN {sql}", params)
        detail = " ".join(str(r["detail"]) for r in plan)
        assert "USING" in detail and "TEMP B-TREE" not in detail, (name, detail)
        assert not any(str(r["detail"]).startswith("SCAN") for r in plan), (name, detail)


# ------------------------------------------------------------------ followers


async def test_follow_is_idempotent_and_counted_on_the_idea(shipped: Database) -> None:
    idea_id = await _idea_id(shipped)
    await _users(shipped, 1, 2, 3)
    async with shipped.transaction() as tx:
        assert await FollowRepository.follow(tx, idea_id, 1, NOW)
        assert not await FollowRepository.follow(tx, idea_id, 1, NOW)  # already
        assert await FollowRepository.follow(tx, idea_id, 2, NOW)
        assert await FollowRepository.follow(tx, idea_id, 3, NOW)
        assert await FollowRepository.unfollow(tx, idea_id, 3)
        assert not await FollowRepository.unfollow(tx, idea_id, 3)  # no longer
    follows = FollowRepository(shipped)
    assert await follows.is_following(idea_id, 1) and not await follows.is_following(idea_id, 3)
    idea = await IdeaRepository(shipped).get(idea_id)
    assert idea is not None and idea.follower_count == 2
    await shipped.execute("DELETE FROM users WHERE telegram_id = 2")  # cascades, counted too
    idea = await IdeaRepository(shipped).get(idea_id)
    assert idea is not None and idea.follower_count == 1


async def test_the_fan_out_pages_through_followers_who_have_not_blocked_the_bot(
    shipped: Database,
) -> None:
    idea_id = await _idea_id(shipped)
    await _users(shipped, *range(100, 110))
    await UserRepository(shipped).set_language(105, "en", NOW)
    await shipped.execute("UPDATE users SET blocked_at = ? WHERE telegram_id = 107", ("x",))
    async with shipped.transaction() as tx:
        for user_id in range(100, 110):
            await FollowRepository.follow(tx, idea_id, user_id, NOW)
        seen: list[tuple[int, str]] = []
        after = 0
        while batch := await FollowRepository.followers(tx, idea_id, after=after, limit=4):
            seen += [(r.user_id, r.language) for r in batch]
            after = batch[-1].user_id
    assert [user for user, _ in seen] == [100, 101, 102, 103, 104, 105, 106, 108, 109]
    assert dict(seen)[105] == "en" and dict(seen)[100] == "de"


async def test_my_ideas_lists_follows_newest_first_without_archived_ones(
    shipped: Database,
) -> None:
    await _users(shipped, 1)
    slugs = ["lernwerkstatt-owl", "gipfeltreffen-owl", IDEA]
    async with shipped.transaction() as tx:
        for n, slug in enumerate(slugs):
            idea = await IdeaLifecycle.id_of(tx, slug)
            assert idea is not None
            await FollowRepository.follow(tx, idea, 1, NOW + dt.timedelta(minutes=n))
    follows = FollowRepository(shipped)
    page = await follows.followed_page(1, 0)
    assert [i.slug for i in page.items] == [IDEA, "gipfeltreffen-owl", "lernwerkstatt-owl"]
    assert page.items[0].title_en == "A digital umbrella brand for attractive work in the region"
    async with shipped.transaction() as tx:
        await IdeaLifecycle.archive(tx, await _idea_id(shipped), "Doppelt.", NOW, by=None)
        # An archived idea cannot be followed any more.
        assert not await FollowRepository.follow(tx, await _idea_id(shipped), 1, NOW)
    page = await follows.followed_page(1, 0)
    assert [i.slug for i in page.items] == ["gipfeltreffen-owl", "lernwerkstatt-owl"]
    assert page.total == 2


# ------------------------------------------------------------------ archive


async def _everything_citizens_see(db: Database) -> dict[str, object]:
    ideas = IdeaRepository(db)
    regions = {r.slug: r.idea_count for r in await RegionRepository(db).list_with_counts()}
    challenges = {c.slug: c.idea_count for c in await ideas.challenges()}
    niederrhein = await RegionRepository(db).get_by_slug("niederrhein")
    assert niederrhein is not None
    challenge = next(c for c in await ideas.challenges() if c.slug == "attraktiv-bleiben")
    past = await PastWorkshopRepository(db).page(NOW, niederrhein.id, 0)
    stats = await StatsRepository(db).collect(NOW)
    return {
        "region page": [i.slug for i in (await ideas.page_by_region(niederrhein.id, 0)).items],
        "region total": (await ideas.page_by_region(niederrhein.id, 0)).total,
        "rated": [i.slug for i in (await ideas.page_by_region(niederrhein.id, 0, "rated")).items],
        "challenge page": [i.slug for i in (await ideas.page_by_challenge(challenge.id, 0)).items],
        "challenge total": (await ideas.page_by_challenge(challenge.id, 0)).total,
        "region count": regions["niederrhein"],
        "map count": (await RegionRepository(db).idea_counts())["niederrhein"],
        "challenge count": challenges["attraktiv-bleiben"],
        "all": await ideas.count(),
        "rückblick": [i.slug for item in past.items for i in item.ideas],
        "statistics": stats.ideas,
    }


async def test_an_archived_idea_is_left_out_of_every_list_and_count_and_can_come_back(
    shipped: Database,
) -> None:
    before = await _everything_citizens_see(shipped)
    assert IDEA in before["region page"] and IDEA in before["rückblick"]  # type: ignore[operator]
    idea_id = await _idea_id(shipped)
    async with shipped.transaction() as tx:
        change = await IdeaLifecycle.archive(
            tx, idea_id, "In einer anderen Idee aufgegangen.", NOW, by=4711
        )
    assert change is not None and change.changed and change.slug == IDEA
    after = await _everything_citizens_see(shipped)
    for key, value in before.items():
        if isinstance(value, list):
            assert after[key] == [slug for slug in value if slug != IDEA], key
        else:
            assert after[key] == value - 1, key  # type: ignore[operator]
    # The idea itself can still be opened (a deep link says what became of it).
    idea = await IdeaRepository(shipped).get_by_slug(IDEA)
    assert idea is not None and idea.archived and idea.archived_at == NOW
    assert idea.archived_reason == "In einer anderen Idee aufgegangen."
    archived = await IdeaRepository(shipped).archived_page(None, 0)
    assert [i.slug for i in archived.items] == [IDEA]
    async with shipped.transaction() as tx:
        again = await IdeaLifecycle.archive(tx, idea_id, "Noch einmal.", NOW, by=4711)
        assert (
            again is not None and not again.changed and (again.reason or "").startswith("In einer")
        )
        restored = await IdeaLifecycle.restore(tx, idea_id, NOW, by=4711)
        assert restored is not None and restored.changed
        assert await IdeaLifecycle.restore(tx, 999_999, NOW, by=None) is None
    assert await _everything_citizens_see(shipped) == before
    row = await shipped.fetchone("SELECT archived_by, shipped FROM ideas WHERE id = ?", (idea_id,))
    assert row is not None and tuple(row) == (None, 0)


async def test_archived_ideas_leave_working_group_lists(shipped: Database) -> None:
    async with shipped.transaction() as tx:
        group = await tx.fetchone(
            "SELECT id FROM working_groups WHERE slug = 'beirat-digital-scouts'"
        )
        assert group is not None
        scouts = await IdeaLifecycle.id_of(tx, "digital-scouts")
        assert scouts is not None
        await IdeaLifecycle.archive(tx, scouts, "Test.", NOW, by=None)
    assert await WorkgroupRepository(shipped).ideas_of_group(int(group["id"])) == []


# ------------------------------------------------------------------ staff create and edit


def test_slugs_are_made_from_titles() -> None:
    assert slugify("Digitale Dachmarke für Köln!") == "digitale-dachmarke-fuer-koeln"
    assert slugify("   ") == "eintrag"
    long = slugify("Eine sehr lange Überschrift für eine Idee, die nicht enden will, oder?")
    assert long == "eine-sehr-lange-ueberschrift-fuer-eine" and len(long) <= 40


async def test_staff_create_ideas_with_unique_slugs_and_edits_are_theirs(
    shipped: Database,
) -> None:
    region = await RegionRepository(shipped).get_by_slug("koeln")
    assert region is not None
    fields = IdeaFields(title="Pflege 4.0 in Köln", region_id=region.id, summary="Kurz.")
    async with shipped.transaction() as tx:
        first = await IdeaLifecycle.create(tx, fields, NOW)
        second = await IdeaLifecycle.create(tx, fields, NOW, published_on=dt.date(2026, 12, 3))
        edited = await IdeaLifecycle.edit(
            tx, first[0], IdeaFields(title="Pflege 4.0", region_id=region.id, summary="Kurz."), NOW
        )
        unchanged = await IdeaLifecycle.edit(
            tx,
            second[0],
            IdeaFields(
                title="Pflege 4.0 in Köln", region_id=region.id, summary="Kurz.", title_en=""
            ),
            NOW,
        )
        assert await IdeaLifecycle.edit(tx, 999_999, fields, NOW) is None
    assert (first[1], second[1]) == ("pflege-4-0-in-koeln", "pflege-4-0-in-koeln-2")
    assert edited == ("title",) and unchanged == ()
    idea = await IdeaRepository(shipped).get(first[0])
    assert idea is not None and (idea.title, idea.origin, idea.status) == (
        "Pflege 4.0",
        "staff",
        "idea",
    )
    koeln = await RegionRepository(shipped).get(region.id)
    assert koeln is not None and koeln.idea_count == 2
    # A shipped idea edited in the chat is no longer "as shipped".
    idea_id = await _idea_id(shipped)
    async with shipped.transaction() as tx:
        await IdeaLifecycle.post_news(tx, idea_id, "Neu.", NOW, by=4711)
    row = await shipped.fetchone("SELECT shipped FROM ideas WHERE id = ?", (idea_id,))
    assert row is not None and row["shipped"] == 0


async def test_working_groups_are_created_closed_and_linked(shipped: Database) -> None:
    region = await RegionRepository(shipped).get_by_slug("niederrhein")
    assert region is not None
    idea_id = await _idea_id(shipped)
    fields = GroupFields(name="AG Dachmarke", region_id=region.id, description="Wir treffen uns.")
    async with shipped.transaction() as tx:
        group_id, slug = await WorkgroupEdits.create(tx, fields, NOW)
        assert await WorkgroupEdits.link_idea(tx, group_id, idea_id, NOW)
        assert not await WorkgroupEdits.link_idea(tx, group_id, idea_id, NOW)
        assert await WorkgroupEdits.edit(
            tx,
            group_id,
            GroupFields("AG Dachmarke", region.id, "Wir treffen uns.", "Brand WG"),
            NOW,
        ) == ("name_en",)
        assert await WorkgroupEdits.set_open(tx, group_id, False, NOW)
        assert not await WorkgroupEdits.set_open(tx, group_id, False, NOW)
    repo = WorkgroupRepository(shipped)
    (group,) = await repo.groups_of_idea(idea_id)
    assert (group.slug, group.open, group.name_en) == ("ag-dachmarke", False, "Brand WG")
    assert slug == "ag-dachmarke"
    async with shipped.transaction() as tx:
        assert await WorkgroupEdits.unlink_idea(tx, group_id, idea_id, NOW)
    assert await repo.groups_of_idea(idea_id) == []
    shipped_group = await shipped.fetchone(
        "SELECT shipped FROM working_groups WHERE slug = 'arbeitsgruppen-digitalisierungsfestival'"
    )
    assert shipped_group is not None and shipped_group["shipped"] == 1


# ------------------------------------------------------------------ contacts' public profile


async def test_a_contacts_public_profile_is_shown_only_once_published(shipped: Database) -> None:
    region = await RegionRepository(shipped).get_by_slug("koeln")
    assert region is not None
    profiles = ContactProfileRepository(shipped)
    await shipped.execute(
        "INSERT INTO contacts (slug, region_id, name, organisation, email, telegram_id,"
        " updated_at) VALUES ('buero', ?, 'Regionalbüro Köln', 'Stadt Köln', 'intern@example.org',"
        " 5001, 'x')",
        (region.id,),
    )
    (imported,) = await profiles.public_of_region(region.id)
    assert (imported.name, imported.public_email, imported.telegram_id) == (
        "Regionalbüro Köln",
        None,  # the delivery address is not public
        None,
    )
    async with shipped.transaction() as tx:
        mine = await ContactProfileRepository.publish(
            tx, 5001, region.id, NOW, name="Anna Schmidt", public_email="anna@example.org"
        )
        other = await ContactProfileRepository.publish(
            tx, 5002, region.id, NOW, name="Bo Berg", organisation="IHK", public_phone="+49221"
        )
    assert mine.published_at == NOW and mine.name == "Anna Schmidt"
    public = await profiles.public_of_region(region.id)
    assert [(p.name, p.organisation, p.public_email, p.public_phone) for p in public] == [
        ("Anna Schmidt", "Stadt Köln", "anna@example.org", None),
        ("Bo Berg", "IHK", None, "+49221"),
    ]
    assert other.telegram_id == 5002
    async with shipped.transaction() as tx:
        assert await ContactProfileRepository.unpublish(tx, 5001, region.id, NOW)
        assert await ContactProfileRepository.unpublish(tx, 5002, region.id, NOW)
        assert not await ContactProfileRepository.unpublish(tx, 5002, region.id, NOW)
    # The imported record as imported again; the record made in the chat is not shown.
    public = await profiles.public_of_region(region.id)
    assert [(p.name, p.public_email) for p in public] == [("Regionalbüro Köln", None)]
    own = await profiles.profile_of(5002, region.id)
    assert own is not None and own.published_at is None


async def test_prepare_database_twice_keeps_everything(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "x.sqlite3")
    try:
        await prepare_database(db)
        first = await db.fetchall("SELECT slug, updated_at FROM ideas ORDER BY slug")
        await prepare_database(db)
        assert [
            tuple(r) for r in await db.fetchall("SELECT slug, updated_at FROM ideas ORDER BY slug")
        ] == [tuple(r) for r in first]
    finally:
        await db.close()
