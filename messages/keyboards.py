"""Inline keyboards in one format, the Bot API's JSON: built here, sent and stored as they are.

Replies send a `Keyboard` as `reply_markup`; services put it into an outbox message's payload
(`chat_message`), and the dispatcher sends it from there unchanged.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence

from messages import actions as cb
from messages.render import label

Button = tuple[str, cb.Action]  # a label and the action its button carries


class Keyboard(dict[str, object]):
    """An inline keyboard as the Bot API's JSON ({"inline_keyboard": [[button, …], …]}).

    Menus are built on every tap; plain dicts cost a fraction of InlineKeyboardButton objects.
    """

    _json: str | None = None

    def json(self) -> str:
        """The Bot API's JSON string (made once: a keyboard is not changed once built)."""
        if self._json is None:
            self._json = json.dumps(self, ensure_ascii=False, separators=(",", ":"))
        return self._json

    @property
    def rows(self) -> list[list[dict[str, object]]]:
        """The rows of buttons (each a Bot API InlineKeyboardButton)."""
        rows = self.get("inline_keyboard")
        return rows if isinstance(rows, list) else []


def keyboard(rows: Sequence[Sequence[Button]]) -> Keyboard:
    """An inline keyboard from (label, action) rows; empty rows are skipped."""
    return Keyboard(
        inline_keyboard=[
            [{"text": text, "callback_data": action.encode()} for text, action in row]
            for row in rows
            if row
        ]
    )


def chat_message(text: str, markup: Keyboard | None = None) -> dict[str, object]:
    """An outbox payload for a Telegram chat: the text and, if it has buttons, the keyboard."""
    if markup is None or not markup.rows:
        return {"text": text}
    return {"text": text, "reply_markup": markup}


def main_menu_keyboard(language: str) -> Keyboard:
    """The main menu's buttons."""
    return keyboard(
        [
            [(label(language, "button.regions"), cb.RegionList())],
            [
                (label(language, "button.map"), cb.ShowMap()),
                (label(language, "button.review"), cb.PastWorkshops(0, 0)),
            ],
            [(label(language, "button.challenges"), cb.ChallengeList())],
            [(label(language, "button.workshops"), cb.WorkshopList(0, 0))],
            [(label(language, "button.find_region"), cb.FindRegion())],
            [(label(language, "button.search"), cb.SearchStart())],
            [(label(language, "button.propose"), cb.ProposeIdea(0, 0))],
            [
                (label(language, "button.language"), cb.LanguageMenu()),
                (label(language, "button.help"), cb.Help()),
            ],
        ]
    )


def page_row(language: str, page: int, pages: int, to: Callable[[int], cb.Action]) -> list[Button]:
    """The buttons to the previous and the next page of a list (none beyond either end)."""
    row: list[Button] = []
    if page > 0:
        row.append((label(language, "button.previous"), to(page - 1)))
    if page + 1 < pages:
        row.append((label(language, "button.next"), to(page + 1)))
    return row


def menu_row(language: str) -> list[Button]:
    """A single "main menu" button row."""
    return [(label(language, "button.main_menu"), cb.MainMenu())]
