"""A person who has said yes to the news (issue 14), as several test modules need one."""

from __future__ import annotations

from news_helpers import opt_in

from bot.offline.fake_user import FakeUser

from conftest import Harness


async def news_reader(harness: Harness, user: FakeUser, language: str = "de") -> FakeUser:
    """The person starts the bot, gets the news offer (delivered) and says yes: the person."""
    await user.command("start")
    await harness.deliver()
    await opt_in(user, language)
    return user
