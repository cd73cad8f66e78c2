"""Story steps of broadcasts, shared by several test modules."""

from __future__ import annotations

from news_helpers import opt_in

from bot.offline.fake_user import FakeUser

from conftest import Harness

TEXT = "Liebe Mitwirkende, das nächste Ideenlabor ist wichtig! Mehr dazu hier."


async def person(h: Harness, user_id: int, region: str | None = "koeln") -> FakeUser:
    """A citizen who has used the bot and said yes to the news, optionally subscribed to a
    region."""
    user = h.user(user_id=user_id, first_name=f"Person {user_id}")
    await user.command("start")
    await h.deliver()
    await opt_in(user)
    if region is not None:
        found = await h.data.regions.get_by_slug(region)
        assert found is not None
        await h.data.workshops.repo.subscribe_region(found.id, user_id, True, h.clock())
    return user


async def send_formatted(admin: FakeUser) -> None:
    """The admin sends TEXT with a bold word and a link (as Telegram encodes formatting)."""
    entities = [
        {"type": "bold", "offset": TEXT.index("wichtig!"), "length": len("wichtig!")},
        {
            "type": "text_link",
            "offset": TEXT.index("hier"),
            "length": 4,
            "url": "https://www.arbeit.nrw.de",
        },
    ]
    message = admin.factory.message(admin.user, admin.chat, text=TEXT, entities=entities)
    await admin.process(admin.factory.update("message", message))


async def compose(h: Harness, audience: str) -> FakeUser:
    """/rundschreiben → formatted text → audience; returns the admin at the preview."""
    admin = h.admin()
    await admin.command("start")
    await h.deliver()  # the admin's own news offer, out of the way of the counts
    await admin.command("rundschreiben")
    assert "Schreiben Sie den Text des Rundschreibens (höchstens 3500 Zeichen)" in admin.last.text
    await send_formatted(admin)
    await admin.tap(audience)
    return admin
