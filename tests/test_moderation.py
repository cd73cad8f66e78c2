"""Moderators' decisions through the fake Bot API: rights, reasons, conflicts, the log."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from messages import actions as cb
from messages import moderation as views
from messages.actions import QueueDecision
from messages.comments import CommentTexts
from messages.render import MAX_TEXT, visible_len
from storage.comments import moderation_item
from storage.models import Comment

from conftest import ADMIN_ID, Harness
from stories.moderation import (
    CONTACT_ID,
    NOT_ALLOWED,
    ada_kim_and_erika,
    add_ideas,
    assert_append_only,
    contact,
    notice,
    noticed,
    person,
    status,
    write,
)


async def test_reject_with_a_reason_that_is_checked_first(harness: Harness) -> None:
    admin, erika, comment, note = await noticed(harness, "Das ist <b>Werbung</b> für meinen Laden!")
    assert note.text.startswith(
        "📝 Neuer Kommentar zur Freigabe\nIdee: Lernwerkstatt <Köln> & Umland"
    )
    assert "&lt;b&gt;Werbung&lt;/b&gt;" in note.html  # typed text, escaped
    assert note.text.endswith("Alle offenen Kommentare: /moderation")
    assert note.button_labels() == ["✅ Freigeben", "❌ Ablehnen"]

    await admin.tap("❌ Ablehnen", message=note)
    question = admin.last
    assert question.text.startswith("❌ Kommentar ablehnen\nKommentar von Erika zu „Lernwerkstatt")
    assert "höchstens 500 Zeichen" in question.text
    assert question.button_labels() == ["Ohne Begründung", "✖️ Abbrechen"]
    assert await status(harness, comment.id) == "pending"  # nothing decided yet

    await admin.send("x" * 501)
    assert admin.last.text.startswith("Die Begründung ist mit 501 Zeichen zu lang – höchstens 500")
    assert question.button_labels() == []  # only the newest question has buttons
    await admin.send_sticker()
    assert admin.messages[-2].text == "Bitte antworten Sie mit einer Textnachricht."
    assert admin.last.text.startswith("❌ Kommentar ablehnen")
    assert await status(harness, comment.id) == "pending"

    await admin.send("  Werbung ist hier nicht erlaubt.  ")
    assert admin.last.text == (
        "❌ Abgelehnt von Ada\nBegründung: Werbung ist hier nicht erlaubt.\n"
        "Die verfassende Person wird benachrichtigt."
    )
    assert admin.messages[-2].button_labels() == []  # the last question lost its buttons
    assert note.text.startswith(
        "❌ Abgelehnt von Ada\nBegründung: Werbung ist hier nicht erlaubt.\n\n"
    )
    assert "Status: abgelehnt" in note.text and note.button_labels() == []
    assert await status(harness, comment.id) == "rejected"

    await harness.deliver()
    assert erika.last.text == (
        "Ihr Kommentar „Das ist <b>Werbung</b> für meinen Laden!“ zur Idee"
        " „Lernwerkstatt <Köln> & Umland“ wurde nicht veröffentlicht.\n"
        "Begründung: Werbung ist hier nicht erlaubt."
    )
    assert await harness.data.moderation.log.decisions("comment", comment.id) == [
        (ADMIN_ID, "reject", "Werbung ist hier nicht erlaubt.")
    ]


async def test_reject_without_reason_and_cancel_keeps_the_comment_undecided(
    harness: Harness,
) -> None:
    text = "Völlig am Thema vorbei geschrieben."
    admin, erika, comment, note = await noticed(harness, text, "aachen")

    await admin.tap("❌ Ablehnen", message=note)
    await admin.command("abbrechen")
    assert admin.last.text.startswith("Abgebrochen.")
    assert await status(harness, comment.id) == "pending"
    assert note.button_labels() == ["✅ Freigeben", "❌ Ablehnen"]  # still decidable
    assert await harness.data.moderation.log.decisions("comment", comment.id) == []

    await admin.tap("❌ Ablehnen", message=note)
    question = admin.last
    await admin.tap("Ohne Begründung", message=question)
    assert question.text == (
        "❌ Abgelehnt von Ada\nohne Begründung\nDie verfassende Person wird benachrichtigt."
    )
    assert question.button_labels() == []
    assert admin.answers[-1].text == "Abgelehnt."
    assert note.text.startswith("❌ Abgelehnt von Ada\nohne Begründung\n\nIdee: Innovationslabor")
    await admin.tap_data(cb.Moderate(comment.id, "reject").encode(), message=note)  # again
    assert admin.answers[-1].text == "Darüber wurde schon entschieden."
    assert note.text.startswith("ℹ️ Schon entschieden: abgelehnt von Ihnen.")
    await admin.tap_data(f"1|mn|{comment.id}", message=question)  # "Ohne Begründung" twice
    assert admin.answers[-1].text == "Diese Schaltfläche gehört zu einer beendeten Eingabe."

    await harness.deliver()
    assert erika.last.text == (
        "Ihr Kommentar „Völlig am Thema vorbei geschrieben.“ zur Idee „Innovationslabor Aachen“"
        " wurde nicht veröffentlicht."
    )
    assert await harness.data.moderation.log.decisions("comment", comment.id) == [
        (ADMIN_ID, "reject", None)
    ]


async def test_a_contact_decides_in_their_region_only(harness: Harness) -> None:
    ideas, _, kim, erika = await ada_kim_and_erika(harness)
    in_koeln = await write(harness, erika, ideas["koeln"], "Gute Idee für die Kölner Betriebe!")
    in_aachen = await write(harness, erika, ideas["aachen"], "Gute Idee für die Aachener Betriebe!")
    await harness.deliver()
    kims_notice = notice(kim, "Kölner")
    assert [m for m in kim.messages if "Betriebe" in m.text] == [kims_notice]  # not Aachen's

    await kim.command("moderation")
    queue = kim.last
    assert "Ihre Regionen: Region Köln" in queue.text
    assert "Kölner Betriebe" in queue.text and "Aachener" not in queue.text
    assert queue.buttons[0] == ["1 ✅ Freigeben", "1 ❌ Ablehnen"]

    forged = cb.Moderate(in_aachen.id, "approve").encode()
    await kim.tap_data(forged, message=kims_notice)
    assert (kim.answers[-1].text or "").startswith(NOT_ALLOWED)
    assert kim.last.text.startswith(NOT_ALLOWED)
    await kim.tap_data(QueueDecision(in_aachen.id, "reject", 0).encode(), message=queue)
    assert kim.last.text.startswith(NOT_ALLOWED)
    assert await status(harness, in_aachen.id) == "pending"
    assert await harness.data.moderation.log.decisions("comment", in_aachen.id) == []

    await kim.tap("✅ Freigeben", message=kims_notice)
    assert kims_notice.text.startswith("✅ Freigegeben von Kim\n\nIdee: Lernwerkstatt <Köln>")
    assert await status(harness, in_koeln.id) == "approved"

    # The role is checked at the moment of use: revoked, Kim can no longer decide.
    koeln = await harness.data.regions.get_by_slug("koeln")
    assert koeln is not None
    await harness.data.roles.revoke(CONTACT_ID, "contact", koeln.id)
    await kim.command("moderation")
    assert kim.last.text.startswith(NOT_ALLOWED)


async def test_nobody_decides_on_their_own_comment_while_someone_else_can(
    harness: Harness,
) -> None:
    ideas = await add_ideas(harness)
    ada = await person(harness, ADMIN_ID, "Ada")  # another moderator, who uses the bot
    kim = await contact(harness, "koeln")
    own = await write(harness, kim, ideas["koeln"], "Als Ansprechperson finde ich das gut.")
    await kim.command("moderation")
    queue = kim.last
    await kim.tap_data(QueueDecision(own.id, "approve", 0).encode(), message=queue)
    own_line = "Über Ihre eigenen Kommentare entscheidet eine andere moderierende Person."
    assert kim.answers[-1].text == own_line
    await kim.tap_data(QueueDecision(own.id, "reject", 0).encode(), message=queue)
    assert kim.answers[-1].text.startswith("Über Ihre eigenen Kommentare")
    assert await status(harness, own.id) == "pending"
    assert await harness.data.moderation.log.decisions("comment", own.id) == []
    await harness.deliver()
    assert notice(ada, "Ansprechperson")  # the admin was told, and decides
    await ada.command("moderation")
    await ada.tap_data(QueueDecision(own.id, "approve", 0).encode(), message=ada.last)
    assert await status(harness, own.id) == "approved"


async def test_the_only_moderator_may_decide_on_their_own_comment(harness: Harness) -> None:
    ideas = await add_ideas(harness)
    ada = await person(harness, ADMIN_ID, "Ada")  # the one admin, and no contacts
    own = await write(harness, ada, ideas["aachen"], "Das Labor braucht mehr Werkbänke.")
    await ada.command("moderation")
    await ada.tap_data(QueueDecision(own.id, "approve", 0).encode(), message=ada.last)
    assert await status(harness, own.id) == "approved"


async def test_non_moderators_are_refused_even_with_forged_buttons(harness: Harness) -> None:
    ideas = await add_ideas(harness)
    erika = await person(harness, 4711, "Erika")
    max_ = await person(harness, 4712, "Max")
    comment = await write(harness, erika, ideas["koeln"], "Ein ganz normaler Kommentar hier.")
    await max_.command("moderation")
    assert max_.last.text.startswith(NOT_ALLOWED)
    for data in (
        cb.Moderate(comment.id, "approve").encode(),
        cb.Moderate(comment.id, "reject").encode(),
        QueueDecision(comment.id, "approve", 0).encode(),
        cb.Moderate(999_999, "approve").encode(),  # no such comment: still "not allowed"
        "1|mp|0",
    ):
        await max_.tap_data(data, message=max_.keyboard_message())
        assert max_.answers[-1].text is not None and max_.answers[-1].text.startswith(NOT_ALLOWED)
    await erika.tap_data(
        cb.Moderate(comment.id, "approve").encode(), message=erika.keyboard_message()
    )
    assert erika.last.text.startswith(NOT_ALLOWED)  # not even the author
    assert await status(harness, comment.id) == "pending"
    assert await harness.data.moderation.log.decisions("comment", comment.id) == []


async def test_the_second_moderator_is_told_who_decided_first(harness: Harness) -> None:
    ideas, admin, kim, erika = await ada_kim_and_erika(harness)
    first = await write(harness, erika, ideas["koeln"], "Erster Kommentar zur Werkstatt.")
    await harness.deliver()

    await admin.tap("✅ Freigeben", message=notice(admin, "Erster"))
    late = notice(kim, "Erster")
    await kim.tap("❌ Ablehnen", message=late)
    assert kim.answers[-1].text == "Darüber wurde schon entschieden."
    assert late.text.startswith(
        "ℹ️ Schon entschieden: freigegeben von einer anderen Person aus der Moderation.\n\n"
    )
    assert f'<a href="tg://user?id={ADMIN_ID}">' in late.html
    assert "Status: veröffentlicht" in late.text
    assert late.button_labels() == ["🙈 Ausblenden"]  # what can be done now
    assert kim.last is late  # no reason was asked for

    # A race inside the reason dialogue: Kim asks to reject, Ada approves meanwhile.
    second = await write(harness, erika, ideas["koeln"], "Zweiter Kommentar zur Werkstatt.")
    await harness.deliver()
    kims_notice = notice(kim, "Zweiter")
    await kim.tap("❌ Ablehnen", message=kims_notice)
    await admin.tap("✅ Freigeben", message=notice(admin, "Zweiter"))
    await kim.send("Zu allgemein.")
    assert kim.last.text == (
        "ℹ️ Schon entschieden: freigegeben von einer anderen Person aus der Moderation."
    )
    assert kims_notice.text.startswith("ℹ️ Schon entschieden: freigegeben")
    assert kims_notice.button_labels() == ["🙈 Ausblenden"]
    assert await status(harness, second.id) == "approved"
    for comment in (first, second):
        assert await harness.data.moderation.log.decisions("comment", comment.id) == [
            (ADMIN_ID, "approve", None)
        ]
    await harness.deliver()
    assert [t for t in erika.texts() if "wurde freigegeben" in t] == [
        f"✅ Ihr Kommentar „{which} Kommentar zur Werkstatt.“ zur Idee „Lernwerkstatt <Köln> &"
        " Umland“ wurde freigegeben und ist jetzt für alle sichtbar."
        for which in ("Erster", "Zweiter")  # each notice says which comment it is about
    ]


async def test_a_deleted_comment_gets_a_short_answer(harness: Harness) -> None:
    admin, erika, comment, note = await noticed(harness, "Das nehme ich gleich wieder zurück.")
    assert await harness.data.comments.delete_own(comment.id, erika.user_id)
    await admin.tap("✅ Freigeben", message=note)
    gone = "Diesen Kommentar gibt es nicht mehr – die verfassende Person hat ihn gelöscht."
    assert admin.answers[-1].text == gone
    assert note.text == gone and note.button_labels() == []


async def test_the_log_records_every_decision_and_cannot_be_changed(harness: Harness) -> None:
    admin, _, comment, note = await noticed(harness, "Ein Kommentar mit langer Geschichte.")
    harness.clock.advance(minutes=5)
    await admin.tap("✅ Freigeben", message=note)
    await harness.data.comments.report(comment.id, 4712, "insult")
    await harness.deliver()
    harness.clock.advance(minutes=5)
    await admin.tap("🙈 Ausblenden", message=notice(admin, "gemeldet"))
    await admin.command("moderation")
    harness.clock.advance(minutes=5)
    await admin.tap("1 ↩️ Wieder anzeigen")
    await harness.data.comments.report(comment.id, 4713, "spam")
    await harness.deliver()
    harness.clock.advance(minutes=5)
    await admin.tap("🙈 Ausblenden", message=notice(admin, "gemeldet"))
    await admin.command("moderation")
    await admin.tap("1 ❌ Ablehnen")
    await admin.send("Beleidigend.")
    assert await status(harness, comment.id) == "rejected"

    rows = await harness.data.db.fetchall(
        "SELECT item_id, moderator_id, action, reason, created_at FROM moderation_log"
        " WHERE kind = 'comment' ORDER BY id"
    )
    assert [tuple(r) for r in rows] == [
        (comment.id, ADMIN_ID, "approve", None, "2026-11-25T10:05:00.000000Z"),
        (comment.id, ADMIN_ID, "hide", None, "2026-11-25T10:10:00.000000Z"),
        (comment.id, ADMIN_ID, "restore", None, "2026-11-25T10:15:00.000000Z"),
        (comment.id, ADMIN_ID, "hide", None, "2026-11-25T10:20:00.000000Z"),
        (comment.id, ADMIN_ID, "reject", "Beleidigend.", "2026-11-25T10:20:00.000000Z"),
    ]
    await assert_append_only(
        harness.data.db,
        "UPDATE moderation_log SET reason = 'geändert'",
        "DELETE FROM moderation_log",
    )
    assert len(await harness.data.db.fetchall("SELECT id FROM moderation_log")) == 5


def test_a_queue_page_of_emoji_heavy_comments_still_fits_one_message() -> None:
    heavy = Comment(
        id=1,
        idea_id=1,
        idea_title="🌍" * 200,
        region_id=1,
        user_id=1,
        author_name="Ada",
        text="ok " + "🙂" * 1990,
        status="pending",
        created_at=dt.datetime(2026, 11, 25, 10, tzinfo=dt.UTC),
        report_count=2,
    )
    item, comments = moderation_item(heavy), CommentTexts()
    text = views.queue(
        "de",
        [(comments, item)] * 5,
        counts=[(comments, 5)],
        first_number=1,
        page=0,
        page_count=1,
        regions=None,
        tz=ZoneInfo("Europe/Berlin"),
        note="x" * 600,
    )
    assert visible_len(text) <= MAX_TEXT
    assert text.count("🚩 2 offene Meldungen") == 5 and "<b>5.</b>" in text
    card = views.outcome(
        comments, "de", item, "reject", "Ada", "r" * 500, ZoneInfo("Europe/Berlin")
    )
    assert visible_len(card) <= MAX_TEXT and card.endswith("…")
