"""Story steps of the changed-state tests: older copies of a screen, still with their buttons."""

from __future__ import annotations

from bot.offline.fake_api import SentMessage
from bot.offline.fake_user import FakeUser


async def copies(user: FakeUser, command: str, count: int = 2) -> list[SentMessage]:
    """The screen of a command, opened count times (each copy stays in the chat), oldest first."""
    shown = []
    for _ in range(count):
        await user.command(command)
        shown.append(user.last)
    return shown
