"""Moderation end to end: citizens write and report, moderators decide, the queue, post mode."""

from __future__ import annotations

from pathlib import Path

from bot.config import Settings
from bot.offline.fake_api import FakeBotApi
from bot.offline.fake_user import FakeUser

from conftest import ADMIN_ID, FakeClock, Harness, make_settings, running
from stories.moderation import (
    ada_and_erika,
    add_ideas,
    contact,
    notice,
    noticed,
    person,
    status,
    write,
)

TEXT = "Eine Lernwerkstatt in Köln wäre großartig für unseren Betrieb."


async def comment_through_the_bot(citizen: FakeUser, text: str) -> None:
    """Open the idea by deep link, "Kommentieren", name, text, "Absenden"."""
    await citizen.command("start", "idea_koeln-werkstatt")
    await citizen.tap("✍️ Kommentieren")
    await citizen.tap(f"👤 {citizen.user['first_name']}")
    await citizen.send(text)
    await citizen.tap("✅ Absenden")


async def comments_seen_by(citizen: FakeUser) -> str:
    """What a citizen sees in the idea's comment list."""
    await citizen.command("start", "idea_koeln-werkstatt")
    await citizen.tap("💬 Kommentare")
    return citizen.last.text


async def report_through_the_bot(citizen: FakeUser, reason: str) -> None:
    """Report the first comment of the idea's list for a reason."""
    await comments_seen_by(citizen)
    await citizen.tap("🚩 Melden: Nr. 1")
    await citizen.tap(reason)


async def test_comment_approved_published_reported_hidden_and_restored(harness: Harness) -> None:
    _, admin, erika = await ada_and_erika(harness)
    max_, lena, otto = [
        await person(harness, 4712 + n, name) for n, name in enumerate(("Max", "Lena", "Otto"))
    ]
    await comment_through_the_bot(erika, TEXT)
    assert TEXT not in await comments_seen_by(max_)  # pre-moderation: not yet visible
    assert not [m for m in admin.messages if TEXT in m.text]  # only after delivery

    await harness.deliver()
    note = notice(admin, TEXT)
    assert note.text == (
        "📝 Neuer Kommentar zur Freigabe\nIdee: Lernwerkstatt <Köln> & Umland\nVon: Erika\n\n"
        f"{TEXT}\n\nAlle offenen Kommentare: /moderation"
    )
    await admin.tap("✅ Freigeben", message=note)
    assert admin.answers[-1].text == "Freigegeben."
    assert note.text.startswith(
        "✅ Freigegeben von Ada\n\nIdee: Lernwerkstatt <Köln> & Umland\nVon: Erika · 25.11.2026, 11:00"
        "\nStatus: veröffentlicht\n\n" + TEXT
    )
    assert note.button_labels() == []
    await harness.deliver()
    assert erika.last.text == (
        "✅ Ihr Kommentar „Eine Lernwerkstatt in Köln wäre…“ zur Idee „Lernwerkstatt"
        " <Köln> & Umland“ wurde freigegeben und ist jetzt für alle sichtbar."
    )
    assert TEXT in await comments_seen_by(max_)

    for citizen, reason in ((max_, "Spam"), (lena, "Beleidigung"), (otto, "Sonstiges")):
        harness.clock.advance(seconds=1)  # CommentService dedupes notifications per instant
        await report_through_the_bot(citizen, reason)
        assert citizen.last.text.startswith("✅ Danke, wir prüfen das.")
    comment = (await harness.data.comments.repo.by_user(erika.user_id))[0]
    assert await status(harness, comment.id) == "hidden"
    assert TEXT not in await comments_seen_by(max_)

    await harness.deliver()
    reports = [m for m in admin.messages if m.text.startswith("🚩 Kommentar gemeldet")]
    assert [m.text.split("\n")[0] for m in reports] == [
        "🚩 Kommentar gemeldet (Spam; offene Meldungen: 1)",
        "🚩 Kommentar gemeldet (Beleidigung; offene Meldungen: 2)",
        "🚩 Kommentar gemeldet (Sonstiges; offene Meldungen: 3)",
    ]
    assert [m.button_labels() for m in reports] == [
        ["🙈 Ausblenden"],
        ["🙈 Ausblenden"],
        ["↩️ Wieder anzeigen", "❌ Ablehnen"],
    ]
    assert "Status: ausgeblendet" in reports[2].text
    assert reports[2].text.endswith("Alle offenen Kommentare: /moderation")

    await admin.tap("🙈 Ausblenden", message=reports[0])  # hidden already: told so
    assert admin.answers[-1].text == "Darüber wurde schon entschieden."
    assert reports[0].text.startswith(
        "ℹ️ Schon entschieden: ausgeblendet automatisch nach Meldungen."
    )
    assert reports[0].button_labels() == ["↩️ Wieder anzeigen", "❌ Ablehnen"]

    await admin.tap("↩️ Wieder anzeigen", message=reports[2])
    assert reports[2].text.startswith("↩️ Wieder angezeigt von Ada\n\n")
    assert "Status: veröffentlicht" in reports[2].text  # the reports are resolved
    assert "Meldung" not in reports[2].text
    assert TEXT in await comments_seen_by(max_)
    assert [
        (m, a) for m, a, _ in await harness.data.moderation.log.decisions("comment", comment.id)
    ] == [
        (ADMIN_ID, "approve"),
        (None, "hide"),
        (ADMIN_ID, "restore"),
    ]


async def test_a_hidden_comment_can_be_rejected_for_good(harness: Harness) -> None:
    ideas, admin, erika = await ada_and_erika(harness)
    comment = await write(harness, erika, ideas["koeln"], "Hier stehen private Telefonnummern.")
    await harness.deliver()
    await admin.tap("✅ Freigeben", message=notice(admin, "Telefonnummern"))
    for user_id in (4712, 4713, 4714):
        harness.clock.advance(seconds=1)
        await harness.data.comments.report(comment.id, user_id, "personal_data")
    assert await status(harness, comment.id) == "hidden"
    await harness.deliver()
    last = notice(admin, "offene Meldungen: 3")
    await admin.tap("❌ Ablehnen", message=last)
    await admin.send("Persönliche Daten dürfen nicht veröffentlicht werden.")
    assert last.text.startswith(
        "❌ Abgelehnt von Ada\nBegründung: Persönliche Daten dürfen nicht veröffentlicht werden."
    )
    assert await status(harness, comment.id) == "rejected"
    await harness.deliver()
    assert erika.last.text.endswith(
        "wurde nicht veröffentlicht.\nBegründung: Persönliche Daten dürfen nicht veröffentlicht"
        " werden."
    )


async def test_the_queue_is_oldest_first_paged_and_per_region(harness: Harness) -> None:
    ideas = await add_ideas(harness)
    admin = await person(harness, ADMIN_ID, "Ada")
    kim = await contact(harness, "aachen", language="en")
    writers = [await person(harness, 5000 + n, f"Person{n}") for n in range(7)]
    await admin.command("moderation")
    assert admin.last.text == (
        "🗂 Moderation – älteste zuerst\n\n"
        "✅ Nichts zu tun – zurzeit wartet nichts auf eine Entscheidung."  # comments, proposals
    )
    comments = []
    for n, writer in enumerate(writers):
        region = "aachen" if n in (1, 4) else "koeln"
        comments.append(await write(harness, writer, ideas[region], f"Kommentar Nummer {n} <ok>"))
        harness.clock.advance(minutes=10)
    await harness.deliver()
    await admin.tap("✅ Freigeben", message=notice(admin, "Nummer 0"))
    for user_id in (6001, 6002, 6003):
        await harness.data.comments.report(comments[0].id, user_id, "spam")  # hidden again

    await admin.command("moderation")
    queue = admin.last
    lines = queue.text.split("\n")
    assert lines[:2] == [
        "🗂 Moderation – älteste zuerst",
        "7 Kommentare warten auf eine Entscheidung. Seite 1 von 2",
    ]
    items = [line for line in lines if line[:2] in {f"{n}." for n in range(1, 8)}]
    assert len(items) == 5
    assert "Kommentar Nummer 0 <ok>" in queue.text and "&lt;ok&gt;" in queue.html
    assert "Person0 · 25.11.2026, 11:00 · ausgeblendet · 🚩 3 offene Meldungen" in queue.text
    assert (
        queue.text.index("Nummer 0") < queue.text.index("Nummer 1") < queue.text.index("Nummer 4")
    )
    assert queue.buttons == [
        ["1 ↩️ Wieder anzeigen", "1 ❌ Ablehnen"],
        ["2 ✅ Freigeben", "2 ❌ Ablehnen"],
        ["3 ✅ Freigeben", "3 ❌ Ablehnen"],
        ["4 ✅ Freigeben", "4 ❌ Ablehnen"],
        ["5 ✅ Freigeben", "5 ❌ Ablehnen"],
        ["Weiter ›"],
        ["🔄 Aktualisieren"],
    ]
    await admin.tap("Weiter ›", message=queue)
    assert "Seite 2 von 2" in queue.text and "Nummer 5" in queue.text and "Nummer 6" in queue.text
    assert queue.buttons[0] == ["6 ✅ Freigeben", "6 ❌ Ablehnen"]
    assert queue.buttons[-2] == ["‹ Zurück"]

    await admin.tap("6 ✅ Freigeben", message=queue)
    assert queue.text.startswith(
        "✅ Freigegeben von Ada – Kommentar von Person5: „Kommentar Nummer 5 <ok>“\n\n"
    )
    _note, rest = queue.text.split("\n\n", 1)
    assert "6 Kommentare warten" in rest and "Nummer 5" not in rest
    assert await status(harness, comments[5].id) == "approved"
    await admin.tap("6 ❌ Ablehnen", message=queue)
    await admin.tap("Ohne Begründung")
    assert queue.text.startswith("❌ Abgelehnt von Ada – Kommentar von Person6")
    assert "Seite 1 von 1" not in queue.text and "5 Kommentare warten" in queue.text
    assert await status(harness, comments[6].id) == "rejected"

    await kim.command("moderate")  # a contact of Aachen sees Aachen only (in English)
    assert kim.last.text.startswith(
        "🗂 Moderation – oldest first\nYour regions: Region Aachen\n"
        "2 comments are waiting for a decision.\n\n1. Idea: Innovationslabor Aachen\n"
        "Person1 · 25 Nov 2026, 11:10 · awaiting approval\n"
    )
    assert kim.last.buttons[1] == ["2 ✅ Approve", "2 ❌ Reject"]
    assert "Nummer 1" in kim.last.text and "Nummer 4" in kim.last.text
    assert "Nummer 0" not in kim.last.text and "Nummer 2" not in kim.last.text


async def test_post_moderation_publishes_at_once_and_offers_to_hide(
    db_path: Path, clock: FakeClock
) -> None:
    post = make_settings(db_path, IDEENLABOR_MODERATION="post")
    assert post.moderation == "post"
    async with running(post, clock) as harness:
        _, admin, erika = await ada_and_erika(harness)
        max_ = await person(harness, 4712, "Max")
        await comment_through_the_bot(erika, TEXT)
        assert erika.last.text.startswith("✅ Danke! Ihr Kommentar ist veröffentlicht.")
        assert TEXT in await comments_seen_by(max_)
        await harness.deliver()
        note = notice(admin, TEXT)
        assert note.text.startswith("📝 Neuer Kommentar (bereits veröffentlicht)")
        assert note.button_labels() == ["🙈 Ausblenden"]
        await admin.tap("🙈 Ausblenden", message=note)
        assert note.text.startswith("🙈 Ausgeblendet von Ada\n\n")
        assert TEXT not in await comments_seen_by(max_)
        await harness.deliver()
        assert erika.last.text == (
            "Ihr Kommentar „Eine Lernwerkstatt in Köln wäre…“ zur Idee"
            " „Lernwerkstatt <Köln> & Umland“ wurde ausgeblendet."
        )
        await admin.command("moderation")
        assert admin.last.buttons[0] == ["1 ↩️ Wieder anzeigen", "1 ❌ Ablehnen"]
        assert harness.errors == []
        harness.api.assert_no_errors()


async def test_the_reason_dialogue_survives_a_restart(settings: Settings, clock: FakeClock) -> None:
    api = FakeBotApi()
    async with running(settings, clock, api) as harness:
        admin, _, comment, note = await noticed(harness, "Ein Kommentar vor dem Neustart.")
        await admin.tap("❌ Ablehnen", message=note)
    async with running(settings, clock, api) as harness:
        admin = harness.user(user_id=ADMIN_ID, first_name="Ada")
        await admin.send("Bitte beim Thema bleiben.")
        assert admin.last.text.startswith("❌ Abgelehnt von Ada\nBegründung: Bitte beim Thema")
        assert note.text.startswith("❌ Abgelehnt von Ada")
        assert await status(harness, comment.id) == "rejected"
        assert harness.errors == []
        api.assert_no_errors()
