"""reply_markup as Telegram reads it (the Bot API server's get_reply_markup, then Telegram)."""

from __future__ import annotations

import pytest

from bot.offline.telegram_rules import ApiError, parse_markup


@pytest.mark.parametrize(
    ("markup", "description"),
    [
        ("[]", "object expected as reply markup"),
        ([], "object expected as reply markup"),
        ("{", "can't parse reply keyboard markup JSON object"),
        ('{"inline_keyboard": {}}', 'field "inline_keyboard" must be of type Array'),
    ],
)
def test_what_is_not_a_markup_object_is_refused(markup: object, description: str) -> None:
    with pytest.raises(ApiError, match=f"^Bad Request: {description}$"):
        parse_markup(markup)


@pytest.mark.parametrize("markup", ["{}", {}, '{"inline": []}', '{"inline_keyboard": [[]]}', ""])
def test_a_markup_object_without_a_keyboard_is_no_keyboard(markup: object) -> None:
    # What python-telegram-bot makes of InlineKeyboardMarkup([]) removes the keyboard, as
    # leaving reply_markup out does (Telegram answers a nullptr markup, not an error).
    assert parse_markup(markup) == ([], None)


def test_what_telegram_accepts_is_accepted() -> None:
    assert parse_markup(None) == ([], None)
    assert parse_markup('{"inline_keyboard": []}') == ([], None)
    assert parse_markup({"remove_keyboard": True}) == ([], None)
    assert parse_markup({"keyboard": [["Ja"]]}) == ([], [["Ja"]])
