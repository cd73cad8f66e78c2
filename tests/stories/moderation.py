"""Story steps of moderation (ideas, people, comments, notices), shared by several test modules."""

from __future__ import annotations

import sqlite3

import pytest

from bot.offline.fake_api import SentMessage
from bot.offline.fake_user import FakeUser
from storage.db import Database
from storage.import_models import IdeaIn, ImportBundle
from storage.models import Comment

from conftest import ADMIN_ID, Harness

NOT_ALLOWED = "Dafür fehlt Ihnen die Berechtigung."


CONTACT_ID = 700001


async def imported(h: Harness, *ideas: IdeaIn) -> list[int]:
    """Import the ideas; their ids, in the same order."""
    await h.data.importer.apply(ImportBundle(ideas=list(ideas)), h.clock())
    ids = []
    for idea in ideas:
        found = await h.data.ideas.get_by_slug(idea.slug)
        assert found is not None
        ids.append(found.id)
    return ids


async def add_ideas(h: Harness) -> dict[str, int]:
    """One idea in Region Köln and one in Region Aachen; returns region slug → idea id."""
    koeln, aachen = await imported(
        h,
        IdeaIn(slug="koeln-werkstatt", title="Lernwerkstatt <Köln> & Umland", region="koeln"),
        IdeaIn(slug="aachen-labor", title="Innovationslabor Aachen", region="aachen"),
    )
    return {"koeln": koeln, "aachen": aachen}


async def person(h: Harness, user_id: int, name: str, language: str = "de") -> FakeUser:
    """Someone who has started the bot (so that the bot knows them)."""
    user = h.user(user_id=user_id, first_name=name, language_code=language)
    await user.command("start")
    return user


async def ada_and_erika(h: Harness) -> tuple[dict[str, int], FakeUser, FakeUser]:
    """The two ideas (add_ideas), the admin Ada and the citizen Erika, both started."""
    ideas = await add_ideas(h)
    return ideas, await person(h, ADMIN_ID, "Ada"), await person(h, 4711, "Erika")


async def ada_kim_and_erika(h: Harness) -> tuple[dict[str, int], FakeUser, FakeUser, FakeUser]:
    """The two ideas, the admin Ada, Kim (Köln's contact) and the citizen Erika, all started."""
    ideas = await add_ideas(h)
    ada = await person(h, ADMIN_ID, "Ada")
    kim = await contact(h, "koeln")
    return ideas, ada, kim, await person(h, 4711, "Erika")


async def contact(
    h: Harness, region: str, user_id: int = CONTACT_ID, name: str = "Kim", language: str = "de"
) -> FakeUser:
    """A regional contact (a moderator for that region only)."""
    user = await person(h, user_id, name, language)
    found = await h.data.regions.get_by_slug(region)
    assert found is not None
    await h.data.roles.grant(user_id, "contact", found.id, ADMIN_ID, h.clock())
    return user


async def write(h: Harness, author: FakeUser, idea_id: int, text: str) -> Comment:
    """A citizen's comment (through the comment service, as the comment dialogue stores it)."""
    return await h.data.comments.submit(
        idea_id, author.user_id, str(author.user["first_name"]), text
    )


async def noticed(
    h: Harness, text: str, region: str = "koeln"
) -> tuple[FakeUser, FakeUser, Comment, SentMessage]:
    """Ada and Erika (ada_and_erika); Erika comments on the region's idea; Ada's notice of it."""
    ideas, admin, erika = await ada_and_erika(h)
    comment = await write(h, erika, ideas[region], text)
    await h.deliver()
    return admin, erika, comment, notice(admin, text)


def notice(user: FakeUser, needle: str) -> SentMessage:
    """The newest moderator notification (new comment or report) that mentions needle."""
    for message in reversed(user.messages):
        if message.text.startswith(("📝", "🚩")) and needle in message.text:
            return message
    raise AssertionError(f"no notification with {needle!r}: {user.texts()!r}")


async def status(h: Harness, comment_id: int) -> str | None:
    """The comment's status now (None: deleted)."""
    comment = await h.data.comments.repo.get(comment_id)
    return comment.status if comment else None


async def assert_append_only(db: Database, *statements: str) -> None:
    """The moderation log refuses each statement: it is append-only."""
    for sql in statements:
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            await db.execute(sql)
