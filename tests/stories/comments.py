"""Story steps of citizens' comments, shared by several test modules."""

from __future__ import annotations

from bot.offline.fake_user import FakeUser

IDEA = "we-make-you-sexy-niederrhein"


async def open_idea(user: FakeUser, slug: str = IDEA) -> None:
    """Open an idea through its deep link."""
    await user.command("start", f"idea_{slug}")


async def start_writing(user: FakeUser, name: str | None = "👤 Erika") -> None:
    """Open the idea, tap "Kommentieren" and answer the name question if it comes."""
    await open_idea(user)
    await user.tap("✍️ Kommentieren")
    if name is not None and "Unter welchem Namen" in user.last.text:
        await user.tap(name)


async def comment(user: FakeUser, text: str) -> None:
    """Write and submit a comment."""
    await start_writing(user)
    await user.send(text)
    await user.tap("✅ Absenden")


def quoted(user: FakeUser) -> list[str]:
    """The texts of the newest message's quotes (comments), exactly as the user sees them."""
    message = user.last
    units = message.text.encode("utf-16-le")
    return [
        units[2 * e["offset"] : 2 * (e["offset"] + e["length"])].decode("utf-16-le")
        for e in message.entities
        if e["type"] == "blockquote"
    ]
