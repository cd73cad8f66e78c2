"""Reading, reporting and deleting comments: pages, long comments, reports, /meine_kommentare."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.offline.fake_user import FakeUser
from messages import actions as cb
from messages.actions import ShowComment

from conftest import ADMIN_ID, FakeClock, Harness, make_settings, running
from stories.comments import comment, open_idea, quoted


@pytest.fixture
async def roomy(db_path: Path, clock: FakeClock) -> AsyncIterator[Harness]:
    """The running bot with room for many comments (the anti-spam limits are tested elsewhere)."""
    async with running(make_settings(db_path, IDEENLABOR_COMMENT_LIMITS="100/1d"), clock) as h:
        yield h
        assert h.errors == [], h.errors
        h.api.assert_no_errors()


async def approved(h: Harness, author: FakeUser, *texts: str) -> list[int]:
    """Comments by author, approved by the admin one minute apart; their ids."""
    ids = []
    for text in texts:
        await comment(author, text)
        [newest, *_] = await h.data.comments.repo.by_user(author.user_id)
        await h.data.moderation.decide("comment", newest.id, ADMIN_ID, "approve")
        ids.append(newest.id)
        h.clock.advance(minutes=1)
    return ids


async def test_pages_of_five_newest_first_and_long_comments(roomy: Harness) -> None:
    harness = roomy
    erika, max_ = harness.user(), harness.user(4712, "Max")
    long = "Ein sehr langer Kommentar. " * 74  # 1998 characters
    await approved(harness, erika, long.strip(), *(f"Kommentar Nummer {n}" for n in range(6)))
    await open_idea(max_)
    await max_.tap("💬 Kommentare (7)")
    page = max_.last
    assert "7 Kommentare · Seite 1 von 2" in page.text
    assert quoted(max_) == [f"Kommentar Nummer {n}" for n in (5, 4, 3, 2, 1)]
    assert [row[0] for row in page.buttons[:5]] == [f"🚩 Melden: Nr. {n}" for n in range(1, 6)]
    await max_.tap("Weiter ›")
    assert "Seite 2 von 2" in max_.last.text
    assert "6. Erika" in max_.last.text and "7. Erika" in max_.last.text
    assert quoted(max_) == ["Kommentar Nummer 0", long.strip()]  # two fit in full
    assert max_.last.buttons[:2] == [["🚩 Melden: Nr. 6"], ["🚩 Melden: Nr. 7"]]
    await max_.tap("‹ Zurück")
    await max_.tap("« Zurück zur Idee")
    assert max_.last.text.startswith("We make you sexy, NiederRhein")
    await max_.tap("« Zurück zur Liste")
    assert max_.last.text.startswith("NiederRhein")


async def test_a_shortened_comment_can_be_read_in_full(roomy: Harness) -> None:
    harness = roomy
    erika, max_ = harness.user(), harness.user(4712, "Max")
    texts = [f"Kommentar {n}: " + "Gedanke " * 239 + "Ende." for n in range(3)]  # 1,930 chars
    await approved(harness, erika, *texts)
    await open_idea(max_)
    await max_.tap("💬 Kommentare (3)")
    assert all(q.endswith("… (gekürzt)") for q in quoted(max_))
    await max_.tap("📖 Nr. 2 ganz lesen")
    assert quoted(max_) == [texts[1]]
    assert max_.last.buttons[0] == ["🚩 Melden"]
    await max_.tap("« Zurück zu den Kommentaren")
    assert "3 Kommentare" in max_.last.text


async def test_three_reports_hide_a_comment(harness: Harness) -> None:
    erika = harness.user()
    [comment_id] = await approved(harness, erika, "Ein Kommentar, der manchen missfällt")
    await open_idea(erika)
    await erika.tap("💬 Kommentare (1)")
    assert "🚩" not in str(erika.last.buttons)  # no report button on one's own comment
    await erika.tap_data(cb.ReportComment(comment_id).encode())
    assert erika.answers[-1].text is not None and "eigenen Kommentar" in erika.answers[-1].text
    readers = [harness.user(5000 + n, f"Leser{n}") for n in range(3)]
    for number, reader in enumerate(readers):
        await open_idea(reader)
        await reader.tap("💬 Kommentare (1)")
        await reader.tap("🚩 Melden: Nr. 1")
        assert reader.last.text.startswith("🚩 Kommentar melden")
        assert quoted(reader) == ["Ein Kommentar, der manchen missfällt"]
        reasons = ["Spam", "Beleidigung", "Thema verfehlt", "persönliche Daten", "Sonstiges"]
        assert [row[0] for row in reader.last.buttons[:5]] == reasons
        await reader.tap(reasons[number])
        assert reader.last.text == "✅ Danke, wir prüfen das."
        if number == 0:
            await reader.tap("« Zurück zu den Kommentaren")
            await reader.tap("🚩 Melden: Nr. 1")
            assert reader.answers[-1].text is not None
            assert "bereits gemeldet" in reader.answers[-1].text
    stored = await harness.data.comments.repo.get(comment_id)
    assert stored is not None and stored.status == "hidden"
    late = harness.user(6000, "Spät")
    await open_idea(late)
    assert "💬 noch keine Kommentare" in late.last.text
    await late.tap("💬 Kommentare (0)")
    assert "Zu dieser Idee gibt es noch keine Kommentare." in late.last.text
    await late.tap_data(cb.ReportReason(comment_id, "spam").encode())
    assert late.answers[-1].text == "Dieser Kommentar ist nicht mehr sichtbar."


async def test_my_comments_with_status_and_deletion(harness: Harness) -> None:
    erika = harness.user()
    await erika.command("meine_kommentare")
    assert "Sie haben noch keine Kommentare geschrieben." in erika.last.text
    assert erika.last.buttons == [["🗺 Ideen nach Region"], ["« Hauptmenü"]]
    [published] = await approved(harness, erika, "Dieser ist veröffentlicht")
    await comment(erika, "Dieser wurde abgelehnt")
    [rejected, *_] = await harness.data.comments.repo.by_user(erika.user_id)
    await harness.data.moderation.decide(
        "comment", rejected.id, ADMIN_ID, "reject", "Thema verfehlt"
    )
    harness.clock.advance(minutes=1)
    await comment(erika, "Dieser wartet noch")
    await erika.command("meine_kommentare")
    text = erika.last.text
    assert "3 Kommentare" in text and "Sie kommentieren als „Erika“" in text
    assert (
        "1. Zur Idee „We make you sexy, NiederRhein“ · 25.11.2026, 11:02 · wartet auf Freigabe"
        in text
    )
    assert "2. Zur Idee „We make you sexy, NiederRhein“ · 25.11.2026, 11:01 · abgelehnt" in text
    assert (
        "3. Zur Idee „We make you sexy, NiederRhein“ · 25.11.2026, 11:00 · veröffentlicht" in text
    )
    assert quoted(erika) == [
        "Dieser wartet noch",
        "Dieser wurde abgelehnt",
        "Dieser ist veröffentlicht",
    ]
    assert erika.last.buttons[:2] == [
        ["🗑 Löschen: Nr. 1", "✏️ Nr. 2 überarbeiten"],  # the rejected one can be reworked
        ["🗑 Löschen: Nr. 2", "🗑 Löschen: Nr. 3"],
    ]
    await erika.tap("🗑 Löschen: Nr. 3")
    assert erika.last.text.startswith("Möchten Sie diesen Kommentar wirklich löschen?")
    assert quoted(erika) == ["Dieser ist veröffentlicht"]
    await erika.tap("« Nein, behalten")
    assert "3 Kommentare" in erika.last.text
    await erika.tap("🗑 Löschen: Nr. 3")
    await erika.tap("🗑 Ja, endgültig löschen")
    assert erika.last.text.startswith("🗑 Ihr Kommentar wurde gelöscht.")
    assert "2 Kommentare" in erika.last.text and "veröffentlicht" not in erika.last.text
    assert await harness.data.comments.repo.get(published) is None
    idea = await harness.data.ideas.get_by_slug("we-make-you-sexy-niederrhein")
    assert idea is not None and idea.comment_count == 0
    max_ = harness.user(4712, "Max")
    await max_.tap_data(cb.ConfirmDeleteComment(rejected.id).encode(), message=erika.last)
    await max_.tap_data(cb.DeleteComment(rejected.id).encode(), message=erika.last)
    assert [a.text for a in max_.answers] == ["Das gibt es leider nicht mehr."] * 2
    assert await harness.data.comments.repo.get(rejected.id) is not None


async def test_stale_and_forged_buttons_get_a_short_answer(harness: Harness) -> None:
    erika = harness.user()
    await open_idea(erika)
    view = erika.last
    gone = 987654321
    forged = [
        cb.IdeaComments(gone, 0),
        cb.WriteComment(gone),
        cb.RateIdea(gone),
        cb.SetStars(gone, 3),
        cb.SetStars(1, 9),
        cb.WithdrawRating(gone),
        cb.ReportComment(gone),
        cb.ReportReason(gone, "spam"),
        cb.DeleteComment(gone),
        cb.ConfirmDeleteComment(gone),
        ShowComment(gone, 0),
        cb.SubmitComment(1),
        cb.CommentName("a"),
    ]
    for action in forged:
        await erika.tap_data(action.encode(), message=view)
        assert erika.answers[-1].text, action
    assert erika.last.message_id == view.message_id and erika.last.text == view.text
    assert await harness.data.users.comment_name(erika.user_id) is None
    assert len(erika.messages) == 1
