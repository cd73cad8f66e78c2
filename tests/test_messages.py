"""Catalogs: same keys and placeholders in every language; escaping; plurals; views."""

from __future__ import annotations

import datetime as dt

import pytest

from messages.catalog import LANGUAGES, Html, catalog, pick_language, placeholders, t, tn
from messages.render import MAX_TEXT, date_long, idea_detail, label, shorten, visible_len
from storage.models import Idea


def test_every_language_has_the_same_keys_and_placeholders() -> None:
    reference = catalog("de")
    for language in LANGUAGES:
        texts = catalog(language)
        assert set(texts) == set(reference), language
        for key, text in texts.items():
            assert placeholders(text) == placeholders(reference[key]), (language, key)


def test_parameters_are_escaped_unless_marked_html() -> None:
    assert t("de", "find.found", place="<b>", region="A & B") == (
        "Ihre Region für <b>&lt;b&gt;</b>: <b>A &amp; B</b>"
    )
    assert "<i>x</i>" in t("de", "find.found", place=Html("<i>x</i>"), region="R")


def test_plural_forms_follow_babel() -> None:
    assert tn("de", "ideas.count", 1) == "1 Idee"
    assert tn("de", "ideas.count", 0) == "0 Ideen"
    assert tn("en", "ideas.count", 2) == "2 ideas"


@pytest.mark.parametrize(
    ("chosen", "telegram", "expected"),
    [
        ("en", "de", "en"),
        (None, "de-AT", "de"),
        (None, "en-US", "en"),
        (None, "fr", "en"),
        (None, None, "de"),
        ("xx", None, "de"),
    ],
)
def test_language_choice(chosen: str | None, telegram: str | None, expected: str) -> None:
    assert pick_language(chosen, telegram) == expected


def test_dates_are_written_out_per_language() -> None:
    assert date_long("de", dt.date(2017, 4, 28)) == "28. April 2017"
    assert date_long("en", dt.date(2017, 4, 28)) == "28 April 2017"


def test_labels_are_plain_text_and_short() -> None:
    assert label("de", "button.with_count", name="A & B", count=3) == "A & B (3)"
    assert len(shorten("wort " * 50, 60)) <= 60


def _idea(body: str, title: str = "Titel") -> Idea:
    return Idea(
        id=1,
        slug="s",
        title=title,
        summary="Kurz <b>",
        body=body,
        published_on=None,
        url="https://example.org/?a=1&b=2",
        region_id=None,
        region_name=None,
        region_slug=None,
        challenge_id=None,
        challenge_title=None,
    )


def test_idea_detail_escapes_and_marks_missing_facts() -> None:
    text = idea_detail("de", _idea("<script>alert(1)</script>", "A & B"))
    assert "<b>A &amp; B</b>" in text
    assert "&lt;script&gt;" in text and "<script>" not in text
    assert "<b>Region:</b> nicht angegeben" in text
    assert 'href="https://example.org/?a=1&amp;b=2"' in text


@pytest.mark.parametrize("char", ["a", "<", "😀", "ä"])
def test_idea_detail_always_fits_telegram(char: str) -> None:
    text = idea_detail("en", _idea(char * 20000))
    assert MAX_TEXT - 100 <= visible_len(text) <= MAX_TEXT
    assert "… (shortened)\n\nMore: <a href=" in text
