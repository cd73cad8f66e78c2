"""Moderation when the comment changed under the moderator: deleted by its author, decided."""

from __future__ import annotations

import json

from bot.offline.fake_api import SentMessage
from bot.offline.fake_user import FakeUser

from conftest import ADMIN_ID, Harness
from stories.moderation import (
    ada_and_erika,
    ada_kim_and_erika,
    notice,
    noticed,
    person,
    status,
    write,
)

GONE = "Diesen Kommentar gibt es nicht mehr – die verfassende Person hat ihn gelöscht."


async def delete_own(user: FakeUser) -> None:
    """The author deletes their newest comment through /meine_kommentare."""
    await user.command("meine_kommentare")
    await user.tap("🗑 Löschen: Nr. 1")
    await user.tap("🗑 Ja, endgültig löschen")
    assert "Ihr Kommentar wurde gelöscht." in user.last.text


async def copies(h: Harness, comment_id: int) -> list[tuple[str, str]]:
    """The moderators' notices about a comment in the queue: (state, payload)."""
    rows = await h.data.db.fetchall(
        "SELECT state, payload FROM outbox WHERE kind IN ('comment_new', 'comment_report')"
        " AND (dedupe_key LIKE ? OR dedupe_key LIKE ? OR dedupe_key IS NULL)",
        (f"comment_new:{comment_id}:%", f"comment_report:{comment_id}:%"),
    )
    return [(str(r["state"]), str(r["payload"])) for r in rows]


async def test_a_comment_deleted_before_its_notice_went_out_is_not_announced(
    harness: Harness,
) -> None:
    ideas, admin, erika = await ada_and_erika(harness)
    comment = await write(harness, erika, ideas["koeln"], "Vertippt, das lösche ich gleich.")
    await delete_own(erika)  # before the dispatcher ran
    await harness.deliver()
    assert not any("Vertippt" in text for text in admin.texts())
    assert await copies(harness, comment.id) == []


async def test_a_delivered_notice_keeps_no_text_and_its_buttons_say_deleted(
    harness: Harness,
) -> None:
    admin, erika, comment, note = await noticed(harness, "Meine Telefonnummer ist 0221 12345.")
    await delete_own(erika)
    # The queue keeps that a notice went out, not what it said.
    assert await copies(harness, comment.id) == [("sent", "{}")]
    stored = await harness.data.db.fetchall("SELECT payload FROM outbox")
    assert not any("0221 12345" in json.loads(r["payload"]).get("text", "") for r in stored)
    await admin.tap("✅ Freigeben", message=note)
    assert admin.answers[-1].text == GONE
    assert note.text == GONE and note.button_labels() == []  # the chat keeps no copy either
    assert await harness.data.moderation.log.decisions("comment", comment.id) == [
        (4711, "delete", "by the author")
    ]


async def test_a_report_notice_of_a_comment_deleted_meanwhile(harness: Harness) -> None:
    ideas, admin, erika = await ada_and_erika(harness)
    max_ = await person(harness, 4712, "Max")
    comment = await write(harness, erika, ideas["koeln"], "Ein freigegebener Kommentar.")
    await harness.data.moderation.decide("comment", comment.id, ADMIN_ID, "approve")
    await harness.data.comments.report(comment.id, max_.user_id, "insult")
    await harness.deliver()
    reported = notice(admin, "freigegebener")
    assert reported.text.startswith("🚩")
    await delete_own(erika)
    await admin.tap("🙈 Ausblenden", message=reported)
    assert admin.answers[-1].text == GONE and reported.text == GONE


async def rejecting_a_deleted(
    harness: Harness, text: str
) -> tuple[FakeUser, SentMessage, SentMessage]:
    """Ada starts rejecting Erika's comment (asked for a reason), then Erika deletes it:
    Ada, the notice and the question."""
    admin, erika, _, note = await noticed(harness, text)
    await admin.tap("❌ Ablehnen", message=note)
    question = admin.last
    await delete_own(erika)
    return admin, note, question


def assert_over(note: SentMessage, question: SentMessage) -> None:
    """The question is over; the notice says the comment is gone, without buttons."""
    assert question.button_labels() == []
    assert note.text == GONE and note.button_labels() == []


async def test_typing_a_reason_for_a_comment_deleted_meanwhile(harness: Harness) -> None:
    admin, note, question = await rejecting_a_deleted(harness, "Gleich ist dieser Kommentar weg.")
    await admin.send("Werbung")
    assert admin.last.text == GONE
    assert_over(note, question)


async def test_without_reason_for_a_comment_deleted_meanwhile(harness: Harness) -> None:
    text = "Auch dieser Kommentar ist gleich weg."
    admin, note, question = await rejecting_a_deleted(harness, text)
    await admin.tap("Ohne Begründung", message=question)
    assert admin.answers[-1].text == GONE
    assert_over(note, question)


async def test_a_queue_decision_on_a_comment_deleted_meanwhile(harness: Harness) -> None:
    ideas, admin, erika = await ada_and_erika(harness)
    comment = await write(harness, erika, ideas["koeln"], "Steht gleich nicht mehr in der Liste.")
    await admin.command("moderation")
    queue = admin.last
    assert "Steht gleich" in queue.text
    await delete_own(erika)
    await admin.tap("1 ✅ Freigeben", message=queue)
    assert admin.answers[-1].text == GONE
    assert queue.text.startswith(GONE + "\n\n")
    assert "Steht gleich" not in queue.text and "Nichts zu tun" in queue.text
    assert await status(harness, comment.id) is None


async def test_a_reason_for_a_comment_someone_else_decided_meanwhile(harness: Harness) -> None:
    ideas, admin, kim, erika = await ada_kim_and_erika(harness)  # Kim: 700001
    comment = await write(harness, erika, ideas["koeln"], "Darüber entscheidet Kim zuerst.")
    await harness.deliver()
    await admin.tap("❌ Ablehnen", message=notice(admin, "entscheidet Kim"))
    await kim.tap("✅ Freigeben", message=notice(kim, "entscheidet Kim"))
    await admin.send("Zu spät, aber mit Begründung")
    assert admin.last.text.startswith("ℹ️ Schon entschieden: freigegeben von einer anderen Person")
    assert await status(harness, comment.id) == "approved"
    assert await harness.data.moderation.log.decisions("comment", comment.id) == [
        (700001, "approve", None)
    ]


async def test_a_report_notice_of_a_comment_restored_meanwhile(harness: Harness) -> None:
    ideas, admin, kim, erika = await ada_kim_and_erika(harness)
    comment = await write(harness, erika, ideas["koeln"], "Umstritten, aber in Ordnung.")
    await harness.data.moderation.decide("comment", comment.id, ADMIN_ID, "approve")
    for reporter in (4801, 4802, 4803):
        await person(harness, reporter, f"R{reporter}")
        await harness.data.comments.report(comment.id, reporter, "spam")
    assert await status(harness, comment.id) == "hidden"
    await harness.deliver()
    reports = [m for m in admin.messages if m.text.startswith("🚩") and "Umstritten" in m.text]
    last = reports[-1]
    assert last.button_labels() == ["↩️ Wieder anzeigen", "❌ Ablehnen"]
    await kim.tap("↩️ Wieder anzeigen", message=notice(kim, "Umstritten"))
    await admin.tap("❌ Ablehnen", message=last)
    assert admin.answers[-1].text == "Darüber wurde schon entschieden."
    assert last.text.startswith("ℹ️ Schon entschieden: wieder angezeigt von einer anderen Person")
    assert last.button_labels() == ["🙈 Ausblenden"]  # what can be done now
    assert await status(harness, comment.id) == "approved"
