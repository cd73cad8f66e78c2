"""Any text sent as a comment is shown back exactly (in valid HTML) or refused with a reason."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from bot.offline.fake_user import FakeUser
from bot.offline.telegram_rules import html_to_text
from bot.services.comments import text_problem
from messages import comment_views as views

from conftest import FakeClock, make_settings, running
from stories.comments import open_idea

MIXED = st.sampled_from(
    list("aZß äöü<>&;\"'\n\t ")
    + ["&amp;", "<b>", "</i>", "😀", "👍🏽", "👨‍👩‍👧", "\u202e", "\u200f"]
    + ["مرحبا", "שלום", "日本語", "\u0301", "https://x.org", "www.nrw.de", "\x00", "\r\n"]
)
TEXTS = st.one_of(
    st.text(max_size=60),
    st.text(min_size=8, max_size=400),
    st.lists(MIXED, min_size=1, max_size=80).map("".join),
    st.text(alphabet=st.sampled_from(["𝐀", "😀", "b", " "]), min_size=1995, max_size=2005),
)


def quotes(user: FakeUser, count: int = 2) -> list[str]:
    """The quoted texts (comments) of the newest messages, exactly as the user sees them."""
    found = []
    for message in user.messages[-count:]:
        units = message.text.encode("utf-16-le")
        found += [
            units[2 * e["offset"] : 2 * (e["offset"] + e["length"])].decode("utf-16-le")
            for e in message.entities
            if e["type"] == "blockquote"
        ]
    return found


@settings(max_examples=60, deadline=None)
@example(text="Grüße aus Köln – <b>tolle</b> Idee & mehr 😀")
@example(text="مرحبا بالعالم، هذه فكرة رائعة")
@example(text="\u202eRTL-Override mitten im Text")
@example(text="  \n  ")
@example(text="")
@example(text="/abbrechen bitte")
@example(text="😀😀😀 https://example.org")
@example(text="𝐀" * 2000)
@example(text="x" * 2001)
@given(text=TEXTS)
async def test_any_text_is_shown_back_exactly_or_refused(
    text: str, template_db: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    db_path = tmp_path_factory.mktemp("prop") / "ideenlabor.sqlite3"
    shutil.copy(template_db, db_path)
    clock = FakeClock(dt.datetime(2026, 11, 25, 10, 0, tzinfo=dt.UTC))
    config = make_settings(db_path, IDEENLABOR_MODERATION="post")
    async with running(config, clock) as h:
        user = h.user()
        await h.data.users.set_comment_name(user.user_id, "first_name", clock())
        await open_idea(user)
        await user.tap("✍️ Kommentieren")
        before = len(user.messages)
        await user.send(text)
        assert len(user.messages) > before  # always an answer
        stored = await h.data.comments.repo.by_user(user.user_id)
        comment = text.strip()
        problem = text_problem(comment)
        if text.startswith("/"):
            assert await h.data.drafts.get(user.user_id) is None and stored == []
        elif problem is not None:
            refusal = views.refusal(
                "de", problem, {"count": len(comment), "minimum": 10, "maximum": 2000}, config.tz
            )
            assert user.last.text.startswith(html_to_text(refusal))
            assert stored == []
        else:
            assert quotes(user) == [comment]  # the preview, byte for byte
            await user.tap("✅ Absenden")
            assert user.last.text == "✅ Danke! Ihr Kommentar ist veröffentlicht."
            [saved] = await h.data.comments.repo.by_user(user.user_id)
            assert saved.text == comment
            await user.tap("💬 Kommentare (1)")
            [shown] = quotes(user, 1)
            if shown.endswith("… (gekürzt)"):  # only what cannot fit one message is shortened
                assert comment.startswith(shown.removesuffix("… (gekürzt)"))
                await user.tap("📖 Nr. 1 ganz lesen")
                [shown] = quotes(user, 1)
                assert shown == comment or comment.startswith(shown.removesuffix("… (gekürzt)"))
            else:
                assert shown == comment
        assert h.errors == [], h.errors
        h.api.assert_no_errors()
