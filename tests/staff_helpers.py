"""Shared set-up for the staff tests: contacts of a region, followers of an idea, audit rows."""

from __future__ import annotations

from bot.offline.fake_user import FakeUser
from storage.idea_followers import FollowRepository
from storage.models import Idea

from conftest import Harness

CONTACT = 5100
IDEA = "netzwerk-wissensteilung-muensterland"  # a shipped idea of the Münsterland


async def contact_of(
    h: Harness, *regions: str, user_id: int = CONTACT, language: str = "de"
) -> FakeUser:
    """Someone who has opened the bot and is the contact of these regions."""
    person = h.user(user_id, "Clara", language)
    await person.command("start")
    for slug in regions:
        region = await h.data.regions.get_by_slug(slug)
        assert region is not None
        assert await h.data.roles.grant(user_id, "contact", region.id, None, h.clock())
    return person


async def idea(h: Harness, slug: str = IDEA) -> Idea:
    """An idea by slug, as it is now."""
    found = await h.data.ideas.get_by_slug(slug)
    assert found is not None
    return found


async def follower(h: Harness, user_id: int, language: str = "de", slug: str = IDEA) -> FakeUser:
    """A citizen who has opened the bot and follows the idea."""
    person = h.user(user_id, f"Person {user_id}", language)
    await person.command("start")
    found = await idea(h, slug)
    async with h.data.db.transaction() as tx:
        assert await FollowRepository.follow(tx, found.id, user_id, h.clock())
    return person


async def audit_rows(h: Harness, action: str) -> list[tuple[str, str]]:
    """(actor, target) of the audit rows of an action, oldest first."""
    rows = await h.data.db.fetchall(
        "SELECT actor, target FROM audit_log WHERE action = ? ORDER BY id", (action,)
    )
    return [(str(r["actor"]), str(r["target"])) for r in rows]


async def count(h: Harness, sql: str, *params: object) -> int:
    """The single number a query returns."""
    row = await h.data.db.fetchone(sql, params)
    assert row is not None
    return int(row[0])
