"""Content in the reader's language: English where present, German marked otherwise."""

from __future__ import annotations

from messages.content import localized, pick


def test_english_readers_get_the_english_version_where_there_is_one() -> None:
    assert localized("en", "Lernwerkstatt", "Learning workshop") == "Learning workshop"
    assert pick("en", "Lernwerkstatt", "Learning workshop") == ("Learning workshop", False)


def test_english_readers_get_german_marked_where_there_is_no_english() -> None:
    assert localized("en", "Lernwerkstatt", None) == "Lernwerkstatt (in German)"
    assert localized("en", "Lernwerkstatt", "") == "Lernwerkstatt (in German)"
    assert localized("en", "Lernwerkstatt", None, mark=False) == "Lernwerkstatt"
    assert pick("en", "Lernwerkstatt", None) == ("Lernwerkstatt", True)


def test_german_readers_always_get_german_unmarked() -> None:
    assert localized("de", "Lernwerkstatt", "Learning workshop") == "Lernwerkstatt"
    assert localized("de", "Lernwerkstatt", None) == "Lernwerkstatt"


def test_nothing_is_marked_when_there_is_nothing() -> None:
    assert localized("en", "", None) == ""
