"""Helpers for the news opt-in (issue 14): the offer as a person sees it, saying yes to it."""

from __future__ import annotations

from bot.offline.fake_api import SentMessage
from bot.offline.fake_user import FakeUser

OFFER = {"de": "📰 Neuigkeiten aus dem Dialogprozess?", "en": "📰 News from the dialogue process?"}
YES = {"de": "📰 Ja, Neuigkeiten erhalten", "en": "📰 Yes, send me the news"}
NO = {"de": "Nein, danke", "en": "No, thanks"}


def offers(user: FakeUser) -> list[SentMessage]:
    """The news offers the person received (in either language)."""
    return [m for m in user.messages if m.text.startswith(tuple(OFFER.values()))]


async def opt_in(user: FakeUser, language: str = "de") -> None:
    """Say yes to the offer the bot made at the first contact (delivered already)."""
    [offer] = offers(user)
    await user.tap(YES[language], message=offer)
