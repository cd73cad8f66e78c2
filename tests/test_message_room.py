"""Views that carry long stored texts (comments, workshop descriptions) fit one message.

A comment may have 2000 characters and a description too; as emoji these are 4000 UTF-16
units, more than Telegram's 4096 once a heading is added. Such texts are cut with "…" only
where they must be (messages.render.fit).
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from messages import comments as notices
from messages.admin import cancel_question, edit_menu, new_preview
from messages.render import MAX_TEXT, fit, visible_len
from messages.workshops import DETAIL_ROOM, detail
from storage.models import Comment, Workshop

BERLIN = ZoneInfo("Europe/Berlin")
NOW = dt.datetime(2026, 11, 25, 10, 0, tzinfo=dt.UTC)
WIDE = "😀" * 2000


def _comment(text: str) -> Comment:
    return Comment(
        id=1, idea_id=1, idea_title="Eine Idee " * 10, region_id=1, user_id=4711,
        author_name="Erika", text=text, status="pending", created_at=NOW, report_count=3,
    )  # fmt: skip


def _workshop(description: str) -> Workshop:
    return Workshop(
        id=1, slug="w", region_id=1, region_name="Köln", region_slug="koeln",
        title="T" * 200, description=description, starts_at=NOW + dt.timedelta(days=30),
        ends_at=NOW + dt.timedelta(days=30, hours=4), venue="V" * 200, address="A" * 300,
        registration_url="https://example.org/" + "a" * 480, capacity=20, status="planned",
        sequence=0,
    )  # fmt: skip


@pytest.mark.parametrize("language", ["de", "en"])
def test_moderator_notices_of_a_wide_comment_fit(language: str) -> None:
    for text in (
        notices.moderator_new(language, _comment(WIDE), "pre"),
        notices.moderator_new(language, _comment(WIDE), "post"),
        notices.moderator_report(language, _comment(WIDE), "spam"),
    ):
        assert visible_len(text) <= MAX_TEXT
        assert "😀" * 1500 in text and "…" in text
    short = notices.moderator_new(language, _comment("Kurz & gut"), "pre")
    assert "Kurz &amp; gut" in short and "…" not in short


@pytest.mark.parametrize("language", ["de", "en"])
def test_a_workshop_with_a_wide_description_fits_every_view(language: str) -> None:
    workshop = _workshop(WIDE)
    assert visible_len(detail(language, workshop, BERLIN)) <= DETAIL_ROOM
    for text in (
        new_preview(language, workshop, BERLIN, 12345),
        edit_menu(language, workshop, BERLIN),
        cancel_question(language, workshop, BERLIN, 12345),
    ):
        assert visible_len(text) <= MAX_TEXT
        assert "😀" * 500 in text and "😀…" in text
    plain = detail(language, _workshop("Beschreibung"), BERLIN)
    assert plain.endswith("Beschreibung")


def test_fit_keeps_what_fits_and_cuts_the_rest() -> None:
    def compose(text: str) -> str:
        return f"<b>Kopf</b>\n{text}"

    assert fit(compose, "kurz") == "<b>Kopf</b>\nkurz"
    cut = fit(compose, "x" * 5000)
    assert visible_len(cut) == MAX_TEXT and cut.endswith("x…")
    assert visible_len(fit(compose, "😀" * 3000, room=100)) <= 100
