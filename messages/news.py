"""News views: the one-time offer, /neuigkeiten, and a broadcast as its recipients see it."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from babel.dates import format_date

from messages.actions import NewsChoice, NewsStop
from messages.catalog import Html, t
from messages.keyboards import Keyboard, keyboard
from messages.render import label

_LOCALES = {"de": "de_DE", "en": "en_GB"}


def offer(language: str, sender: str) -> tuple[str, Keyboard]:
    """The question asked once of everyone: receive the news?"""
    buttons = keyboard(
        [
            [(label(language, "news.button.accept"), NewsChoice("y", "o"))],
            [(label(language, "news.button.decline"), NewsChoice("n", "o"))],
        ]
    )
    return t(language, "news.offer", sender=sender), buttons


def settings(
    language: str, sender: str, since: dt.datetime | None, tz: ZoneInfo
) -> tuple[str, Keyboard]:
    """/neuigkeiten: the person's choice, and the button that changes it."""
    if since is None:
        state = t(language, "news.state_off")
        button = (label(language, "news.button.subscribe"), NewsChoice("y", "s"))
    else:
        date = format_date(since.astimezone(tz).date(), "long", locale=_LOCALES[language])
        state = t(language, "news.state_on", sender=sender, date=date)
        button = (label(language, "news.button.unsubscribe"), NewsChoice("n", "s"))
    text = "\n".join([t(language, "news.settings"), state, "", t(language, "news.regions")])
    return text, keyboard([[button]])


def sender_line(language: str, sender: str, region: str | None) -> str:
    """Who sends a broadcast, and to whom („Alle“, or a region's subscribers)."""
    if region is None:
        return t(language, "news.sender_all", sender=sender)
    return t(language, "news.sender_region", sender=sender, region=region)


def broadcast(
    language: str, text_html: str, sender: str, region: str | None, region_id: int
) -> tuple[str, Keyboard]:
    """A broadcast as one recipient gets it: the sender line, the text, „Abbestellen“.

    region_id 0 is „Alle“: the button then ends the news opt-in, else the region's subscription.
    """
    text = sender_line(language, sender, region) + "\n\n" + Html(text_html)
    return text, keyboard([[(label(language, "news.button.stop"), NewsStop(region_id))]])


def preview_note(language: str) -> str:
    """Under the preview: the button every recipient finds under the broadcast."""
    return t(language, "news.preview_button", button=label(language, "news.button.stop"))
