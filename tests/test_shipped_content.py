"""The bot's own data (bot/data): what a new database gets, and how an existing one of the
first release is brought up to date without losing what people created."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from pathlib import Path

import pytest
from legacy_helpers import IDEAS as IDEAS_OF_1
from legacy_helpers import LOADED, PREVIOUS, first_release

from bot.app import prepare_database
from bot.importfile import SHIPPED_VERSION, shipped_bundle
from bot.places import PlaceIndex
from storage.db import Database
from storage.idea_lifecycle import IdeaFields, IdeaLifecycle
from storage.ideas import IdeaRepository
from storage.migrate import schema_version
from storage.organisations import OrganisationRepository
from storage.regions import RegionRepository
from storage.retrospective import PastWorkshopRepository
from storage.shipped import ShippedContent

NOW = dt.datetime(2026, 12, 3, 12, 0, tzinfo=dt.UTC)

# Shipped ideas per region (None: the source names none), past workshops, organisations.
IDEAS = {
    "niederrhein": 6,
    "bergisches-staedtedreieck": 4,
    "hellweg-hochsauerland": 3,
    "siegen-wittgenstein-olpe": 3,
    "westfaelisches-ruhrgebiet": 3,
    "muensterland": 3,
    "meo": 3,
    "ostwestfalen-lippe": 3,
    "mittlerer-niederrhein": 2,
    "emscher-lippe": 1,
    None: 1,
}
WORKSHOPS = {
    "hellweg-hochsauerland": 2,
    "niederrhein": 2,
    "muensterland": 2,
    "siegen-wittgenstein-olpe": 1,
    "emscher-lippe": 1,
    "bergisches-staedtedreieck": 1,
    "westfaelisches-ruhrgebiet": 1,
    "meo": 1,
    "mittlerer-niederrhein": 1,
    "duesseldorf-mettmann": 1,
    "ostwestfalen-lippe": 1,
}
ORGANISATIONS = [
    "bergisches-staedtedreieck",
    "duesseldorf-mettmann",
    "emscher-lippe",
    "hellweg-hochsauerland",
    "meo",
    "mittlere-ruhr",
    "mittlerer-niederrhein",
    "muensterland",
    "niederrhein",
    "ostwestfalen-lippe",
    "siegen-wittgenstein-olpe",
    "westfaelisches-ruhrgebiet",
]
# Talk about where the texts came from, not about the ideas: none of it may be shipped.
META_TALK = re.compile(
    r"Korpus|Seitenausschnitt|gespeichert|die Quelle|der Bot\b|dem Bot\b|liegt .* nicht vor",
    re.IGNORECASE,
)


async def _shipped_counts(db: Database) -> tuple[Counter[str | None], Counter[str], list[str]]:
    ideas = await db.fetchall(
        "SELECT r.slug FROM ideas i LEFT JOIN regions r ON r.id = i.region_id"
        " WHERE i.archived_at IS NULL"
    )
    workshops = await db.fetchall(
        "SELECT r.slug FROM workshops w JOIN regions r ON r.id = w.region_id"
    )
    organisations = await db.fetchall(
        "SELECT r.slug FROM organisations o JOIN regions r ON r.id = o.region_id ORDER BY r.slug"
    )
    return (
        Counter(r["slug"] for r in ideas),
        Counter(r["slug"] for r in workshops),
        [r["slug"] for r in organisations],
    )


async def test_a_new_database_gets_every_shipped_record(db: Database) -> None:
    await prepare_database(db)
    ideas, workshops, organisations = await _shipped_counts(db)
    assert ideas == IDEAS
    assert workshops == WORKSHOPS
    assert organisations == ORGANISATIONS
    assert await ShippedContent(db).version() == SHIPPED_VERSION
    counts = await RegionRepository(db).idea_counts()  # the map's numbers
    assert counts["niederrhein"] == 6 and counts["koeln"] == 0
    assert sum(counts.values()) == sum(IDEAS.values()) - IDEAS[None]


async def test_shipped_texts_state_facts_and_have_english_titles() -> None:
    bundle = shipped_bundle()
    for idea in bundle.ideas:
        for text in (idea.title, idea.summary, idea.body, *(n.text for n in idea.news)):
            assert not META_TALK.search(text), (idea.slug, text)
        assert idea.title_en and idea.summary_en, idea.slug
    for workshop in bundle.workshops:
        assert not META_TALK.search(workshop.report), workshop.slug
        assert workshop.title_en and workshop.report_en and workshop.sources
    assert all(c.title_en for c in bundle.challenges)
    assert all(i.sources for i in bundle.ideas if i.workshop is not None)


async def test_digital_scouts_keeps_its_slug_with_the_content_from_the_sources(
    db: Database,
) -> None:
    await prepare_database(db)
    idea = await IdeaRepository(db).get_by_slug("digital-scouts")
    assert idea is not None
    assert idea.title == "Netzwerk aus Digital-Scouts"
    assert idea.region_slug == "siegen-wittgenstein-olpe"
    assert idea.status == "implemented"
    assert idea.workshop is not None and idea.workshop.slug == "ideenlabor-swo-2016-11"
    assert idea.workshop.time_known and idea.workshop.starts_at.date() == dt.date(2016, 11, 29)
    assert idea.title_en == "A network of digital scouts"
    assert await IdeaRepository(db).get_by_slug("digital-scouts-siegen-wittgenstein-olpe") is None
    news = await IdeaLifecycle(db).latest_news(idea.id)
    assert [(n.kind, n.old_status, n.new_status) for n in news] == [
        ("status", "idea", "implemented")
    ]
    assert news[0].posted_at == dt.datetime(2018, 3, 1, 11, 0, tzinfo=dt.UTC)  # noon in Berlin


async def test_the_rueckblick_lists_past_workshops_newest_first_with_their_ideas(
    db: Database,
) -> None:
    await prepare_database(db)
    past = PastWorkshopRepository(db)
    page = await past.page(NOW, None, 0)
    assert page.total == 14
    starts = [item.workshop.starts_at for item in page.items]
    assert starts == sorted(starts, reverse=True)
    assert page.items[0].workshop.slug == "ideenlabor-muensterland-2017-11"
    muensterland = await RegionRepository(db).get_by_slug("muensterland")
    assert muensterland is not None
    region_page = await past.page(NOW, muensterland.id, 0)
    first_lab = region_page.items[1]
    assert first_lab.workshop.slug == "ideenlabor-muensterland-2017-06"
    assert [i.slug for i in first_lab.ideas] == [
        "brancheninnovationsfestival-muensterland",
        "netzwerk-wissensteilung-muensterland",
        "plattform-innovatives-muensterland",
    ]
    assert first_lab.workshop.participants == 30
    assert first_lab.workshop.participants_qualifier == "more_than"
    assert "Regionalagentur Münsterland e.V." in first_lab.workshop.organisers
    # A date without a time: the day in Berlin, the time unknown.
    emscher = await db.fetchone("SELECT id FROM regions WHERE slug = 'emscher-lippe'")
    assert emscher is not None
    (lab,) = (await past.page(NOW, int(emscher["id"]), 0)).items
    assert not lab.workshop.time_known
    assert lab.workshop.starts_at == dt.datetime(2016, 12, 6, 23, 0, tzinfo=dt.UTC)
    assert await past.counts(NOW) == {
        int(r["id"]): WORKSHOPS[r["slug"]]
        for r in await db.fetchall("SELECT id, slug FROM regions")
        if r["slug"] in WORKSHOPS
    }


async def test_past_workshops_have_no_reminders_and_are_not_upcoming(db: Database) -> None:
    await prepare_database(db)
    reminders = await db.fetchone("SELECT COUNT(*) AS n FROM reminders")
    assert reminders is not None and reminders["n"] == 0
    upcoming = await db.fetchone(
        "SELECT COUNT(*) AS n FROM workshops WHERE ends_at > ?", ("2018-01-01T00:00:00Z",)
    )
    assert upcoming is not None and upcoming["n"] == 0


async def test_regional_agencies_are_on_their_region_page(db: Database) -> None:
    await prepare_database(db)
    region = await RegionRepository(db).get_by_slug("mittlere-ruhr")
    assert region is not None and region.name == "Mittleres Ruhrgebiet"
    (agency,) = await OrganisationRepository(db).of_region(region.id)
    assert agency.name == "Regionalagentur Mittleres Ruhrgebiet"
    assert agency.kind == "regionalagentur"
    assert agency.host.startswith("Wirtschaftsförderung Bochum GmbH")
    assert agency.sources == ("http://www.regionalagentur.com/regionalagentur",)


# ------------------------------------------------------------------ an existing installation


async def _user_data(db: Database) -> None:
    """What people did with the first release: a comment, a rating, a workshop with a seat."""
    async with db.transaction() as tx:
        for user in (4711, 4712):
            await tx.execute(
                "INSERT INTO users (telegram_id, first_seen, last_seen) VALUES (?, ?, ?)",
                (user, LOADED, LOADED),
            )
        await tx.execute(
            "INSERT INTO comments (idea_id, user_id, author_name, text, text_key, status,"
            " created_at) SELECT id, 4711, 'Erika', 'Gute Idee!', 'gute idee', 'approved', ?"
            " FROM ideas WHERE slug = 'we-make-you-sexy-niederrhein'",
            (LOADED,),
        )
        await tx.execute(
            "INSERT INTO ratings (idea_id, user_id, stars, updated_at)"
            " SELECT id, 4712, 4, ? FROM ideas WHERE slug = 'digital-scouts'",
            (LOADED,),
        )
        await tx.execute(
            "INSERT INTO workshops (slug, region_id, title, starts_at, ends_at, created_at,"
            " updated_at) SELECT 'koeln-2027', id, 'Gute Arbeit in Köln',"
            " '2027-05-12T12:00:00.000000Z', '2027-05-12T16:00:00.000000Z', ?, ?"
            " FROM regions WHERE slug = 'koeln'",
            (LOADED, LOADED),
        )
        await tx.execute(
            "INSERT INTO registrations (workshop_id, user_id, display_name, status, created_at)"
            " SELECT id, 4711, 'Erika Muster', 'confirmed', ? FROM workshops"
            " WHERE slug = 'koeln-2027'",
            (LOADED,),
        )
        # An operator's import changed one of the shipped ideas: it is theirs now.
        await tx.execute(
            "UPDATE ideas SET title = 'Schachtzeichen 4.0 (Kampagne)', updated_at = ?"
            " WHERE slug = 'schachtzeichen-4-0'",
            ("2026-11-20T10:00:00+00:00",),
        )


async def test_a_first_release_database_gets_the_new_content_and_keeps_user_data(
    tmp_path: Path,
) -> None:
    db = await Database.open(tmp_path / "old.sqlite3")
    try:
        await first_release(db)
        await _user_data(db)
        assert await schema_version(db) == PREVIOUS
        assert await ShippedContent(db).version() == 1  # filled, but no version recorded ...

        await prepare_database(db)  # ... the next start

        assert await ShippedContent(db).version() == SHIPPED_VERSION
        ideas, workshops, organisations = await _shipped_counts(db)
        assert sum(ideas.values()) == len(shipped_bundle().ideas) == 32
        assert ideas == IDEAS
        assert sum(workshops.values()) == 15  # 14 past ones and the coming one in Köln
        assert workshops == Counter({**WORKSHOPS, "koeln": 1})
        assert organisations == ORGANISATIONS
        repo = IdeaRepository(db)
        sexy = await repo.get_by_slug("we-make-you-sexy-niederrhein")
        assert sexy is not None and sexy.comment_count == 1
        assert "Bot" not in sexy.body and sexy.title_en == "We make you sexy, NiederRhein"
        scouts = await repo.get_by_slug("digital-scouts")
        assert scouts is not None
        assert (scouts.rating_count, scouts.rating_sum) == (1, 4)
        assert scouts.title == "Netzwerk aus Digital-Scouts" and "Quelle" not in scouts.body
        kept = await repo.get_by_slug("schachtzeichen-4-0")
        assert kept is not None and kept.title == "Schachtzeichen 4.0 (Kampagne)"
        seat = await db.fetchone("SELECT display_name, status FROM registrations")
        assert seat is not None and tuple(seat) == ("Erika Muster", "confirmed")
        comments = await db.fetchone("SELECT COUNT(*) AS n FROM comments")
        assert comments is not None and comments["n"] == 1
        # The region is renamed and Witten and Hattingen have moved.
        regions = RegionRepository(db)
        region = await regions.get_by_slug("mittlere-ruhr")
        assert region is not None and region.name == "Mittleres Ruhrgebiet"
        index = PlaceIndex.build(await regions.places(), await regions.postal_codes())
        for query in ("Witten", "Hattingen", "58452", "45525"):
            assert [p.region_slug for p in index.find(query).places] == ["mittlere-ruhr"]
        assert [p.region_slug for p in index.find("Schwelm").places] == ["maerkische-region"]
        challenge = await IdeaRepository(db).challenges()
        assert challenge[0].title_en == (
            "Seeing and using what digitalisation can do for your own business"
        )
    finally:
        await db.close()


async def test_the_migration_alone_renames_the_region_and_moves_witten(tmp_path: Path) -> None:
    """(Without the shipped data: e.g. `ideenlabor migrate` of another tool's copy.)"""
    from storage.migrate import migrate

    db = await Database.open(tmp_path / "old.sqlite3")
    try:
        await first_release(db)
        await migrate(db)
        rows = await db.fetchall(
            "SELECT m.name, r.slug, r.name AS region FROM municipalities m"
            " JOIN districts d ON d.key = m.district_key"
            " JOIN regions r ON r.id = COALESCE(m.region_id, d.region_id)"
            " WHERE m.name IN ('Witten', 'Hattingen', 'Schwelm', 'Bochum') ORDER BY m.name"
        )
        assert [tuple(r) for r in rows] == [
            ("Bochum", "mittlere-ruhr", "Mittleres Ruhrgebiet"),
            ("Hattingen", "mittlere-ruhr", "Mittleres Ruhrgebiet"),
            ("Schwelm", "maerkische-region", "Märkische Region"),
            ("Witten", "mittlere-ruhr", "Mittleres Ruhrgebiet"),
        ]
        shipped = await db.fetchall("SELECT slug FROM ideas WHERE shipped = 1 ORDER BY slug")
        assert [r["slug"] for r in shipped] == [slug for slug, *_ in sorted(IDEAS_OF_1)]
    finally:
        await db.close()


async def test_a_newer_shipped_version_leaves_ideas_changed_in_the_chat_alone(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    await prepare_database(db)
    repo = IdeaRepository(db)
    idea = await repo.get_by_slug("lernwerkstatt-owl")
    assert idea is not None
    assert idea.workshop is not None
    fields = IdeaFields(
        title="Lernwerkstatt OWL",
        region_id=idea.region_id,
        challenge_id=idea.challenge_id,
        title_en=idea.title_en,
        summary_en=idea.summary_en,
        workshop_id=idea.workshop.id,
    )
    async with db.transaction() as tx:
        assert await IdeaLifecycle.edit(tx, idea.id, fields, NOW) == ("title", "summary", "body")
        await tx.execute("DELETE FROM idea_news")  # gone: must not come back
        await tx.execute("DELETE FROM ideas WHERE slug = 'gipfeltreffen-owl'")
    await prepare_database(db)  # the same version: nothing happens
    assert await repo.get_by_slug("gipfeltreffen-owl") is None
    monkeypatch.setattr("bot.app.SHIPPED_VERSION", SHIPPED_VERSION + 1)
    await prepare_database(db)  # a newer version: what is missing comes back, edits stay
    assert await ShippedContent(db).version() == SHIPPED_VERSION + 1
    assert await repo.get_by_slug("gipfeltreffen-owl") is not None
    edited = await repo.get_by_slug("lernwerkstatt-owl")
    assert edited is not None and edited.title == "Lernwerkstatt OWL" and edited.summary == ""
    scouts = await repo.get_by_slug("digital-scouts")
    assert scouts is not None
    assert len(await IdeaLifecycle(db).latest_news(scouts.id)) == 1  # as shipped: replaced
