"""The in-process fake refuses a keyboard Telegram refuses, as the HTTP emulator does."""

from __future__ import annotations

import pytest

from bot.offline.fake_api import ApiError, parse_markup


@pytest.mark.parametrize("markup", ["{}", {}, '{"inline": []}', "[]"])
def test_an_empty_or_unknown_markup_object_is_refused(markup: object) -> None:
    with pytest.raises(ApiError, match="can't parse reply keyboard markup JSON object"):
        parse_markup(markup)


def test_what_telegram_accepts_is_accepted() -> None:
    assert parse_markup(None) == ([], None)
    assert parse_markup('{"inline_keyboard": []}') == ([], None)
    assert parse_markup({"remove_keyboard": True}) == ([], None)
    assert parse_markup({"keyboard": [["Ja"]]}) == ([], [["Ja"]])
