"""The audit log: a row for every privileged action, append-only, read paged with /protokoll."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest
from workgroup_helpers import link_contact, load, register

from bot.cli import main
from messages import actions as cb
from messages.actions import AuditPage, BroadcastSend, EditSave, Publish
from messages.catalog import LANGUAGES
from messages.roles import audit_line
from storage.audit import ACTIONS, CLI, AuditNote, AuditRepository
from storage.db import Database

from conftest import ADMIN_ID, Harness
from stories.admin import PICK, add_workshop, open_field, up_to
from stories.audit import assert_in_words, plain
from stories.imports import command_line
from stories.moderation import add_ideas, notice, write
from stories.newsreaders import news_reader

ROOT = Path(__file__).resolve().parent.parent
REFUSED = "Dafür fehlt Ihnen die Berechtigung. Ihr Versuch wurde protokolliert."


async def entries(harness: Harness, action: str) -> list[tuple[str, str, dict[str, object]]]:
    """(actor, target, details) of the rows of one action, oldest first."""
    found = await harness.data.audit.newest(limit=100, action=action)
    return [(e.actor, e.target, e.details) for e in reversed(found)]


async def test_every_privileged_action_in_the_bot_is_audited(harness: Harness) -> None:
    # someone to receive the broadcast to „Alle“ below
    admin = await news_reader(harness, harness.admin())
    me = str(ADMIN_ID)

    # Workshops: create (through the dialogue), edit, cancel, participant export.
    await up_to(harness, "description")
    await admin.send("Wir sammeln Ideen.")
    await admin.tap_data(Publish().encode(), message=admin.last)
    (created,) = await entries(harness, "workshop_create")
    assert created[0] == me and created[1].startswith("workshop:")
    assert created[2] == {"region": "koeln", "title": "Gute Arbeit in Köln"}
    workshop_id = int(created[1].split(":")[1])
    await open_field(harness, "Titel", PICK)
    await admin.send("Faire Arbeit in Köln")
    await admin.tap_data(EditSave().encode(), message=admin.last)
    assert await entries(harness, "workshop_edit") == [
        (me, f"workshop:{workshop_id}", {"changed": ["title"], "title": "Faire Arbeit in Köln"})
    ]
    await admin.tap_data(cb.ParticipantsCsv(workshop_id).encode())
    assert await entries(harness, "export_participants") == [
        (me, f"workshop:{workshop_id}", {"count": 0})
    ]
    await admin.command("termin_absagen")
    await admin.tap("Mi., 12.05.2027, 14:00 · Faire Arbeit in Köln")
    await admin.tap("❌ Ja, absagen")
    assert await entries(harness, "workshop_cancel") == [
        (me, f"workshop:{workshop_id}", {"title": "Faire Arbeit in Köln"})
    ]

    # A broadcast to everyone.
    await admin.command("rundschreiben")
    await admin.send("Liebe Mitwirkende, bis bald!")
    await admin.tap(admin.last.button_labels()[0])
    await admin.tap_data(BroadcastSend().encode(), message=admin.last)
    ((actor, target, details),) = await entries(harness, "broadcast")
    assert (actor, target.startswith("broadcast:")) == (me, True)
    assert details["audience"] == "all" and details["text"] == "Liebe Mitwirkende, bis bald!"

    # A moderation decision.
    ideas = await add_ideas(harness)
    erika = harness.user()
    await erika.command("start")
    comment = await write(harness, erika, ideas["koeln"], "Ein Kommentar zur Lernwerkstatt.")
    await harness.deliver()
    await admin.tap("✅ Freigeben", message=notice(admin, "Lernwerkstatt"))
    assert await entries(harness, "moderation") == [
        (me, f"comment:{comment.id}", {"decision": "approve", "reason": None})
    ]

    # Contacts: invitation, a citizen's registration exported by the contact, removal.
    await load(harness)
    anna = await link_contact(harness)
    ((actor, target, _),) = await entries(harness, "contact_invite")
    assert (actor, target) == (me, "region:niederrhein")
    ((actor, target, details),) = await entries(harness, "role_grant")
    assert (actor, target, details["via"]) == ("5001", "user:5001", "invitation")
    max_ = harness.user(4712, "Erika")
    await register(max_, email="erika@example.org")
    await max_.tap("✅ Einverstanden, senden")
    await anna.command("interessenten")
    await anna.tap("📄 Export (CSV)")
    ((actor, target, details),) = await entries(harness, "export_interested")
    assert (actor, target.startswith("regions:"), details) == ("5001", True, {"count": 1})
    await anna.command("interessenten")
    await anna.tap("✅ Nr. 1 kontaktiert")
    ((actor, target, _),) = await entries(harness, "interest_contacted")
    assert (actor, target.startswith("registration:")) == ("5001", True)
    await anna.command("profil")  # the contact publishes a profile and withdraws it
    await anna.tap_data(cb.StaffAnswer("confirm", 0).encode(), message=anna.last)
    await anna.tap_data(cb.StaffAnswer("confirm", 0).encode(), message=anna.last)
    await anna.command("profil")
    await anna.tap_data(cb.StaffAnswer("withdraw", 0).encode(), message=anna.last)
    ((actor, target, details),) = await entries(harness, "profile_publish")
    assert (actor, target.startswith("contact:"), details["shown"]) == (
        "5001",
        True,
        ["name", "organisation"],
    )
    assert [actor for actor, *_ in await entries(harness, "profile_unpublish")] == ["5001"]
    await admin.command("kontakte")
    await admin.tap("🗑 Anna Schmidt (NiederRhein) entfernen")
    ((actor, target, _),) = await entries(harness, "contact_remove")
    assert (actor, target) == (me, "user:5001")

    # Roles.
    await admin.command("rolle_vergeben", "4712", "kontakt", "koeln")
    await admin.command("rolle_entziehen", "4712", "kontakt", "koeln")
    assert (await entries(harness, "role_grant"))[1:] == [
        (me, "user:4712", {"region": "koeln", "role": "contact"})
    ]
    assert await entries(harness, "role_revoke") == [
        (me, "user:4712", {"region": "koeln", "role": "contact"})
    ]

    # Ideas: create, edit, status, news, archive, restore.
    async def answer(kind: cb.AnswerKind, value: int = 0) -> None:
        await admin.tap_data(cb.StaffAnswer(kind, value).encode(), message=admin.last)

    await admin.command("neue_idee", "koeln")
    await admin.send("Gute Arbeit im Veedel")
    await admin.send("Nachbarschaften teilen Werkstätten.")
    await answer("skip")
    await answer("challenge", 0)
    await answer("confirm")
    ((actor, target, details),) = await entries(harness, "idea_create")
    assert (actor, details["title"]) == (me, "Gute Arbeit im Veedel")
    idea_id = int(target.split(":")[1])
    await admin.tap_data(cb.ManageIdea(idea_id, "e").encode(), message=admin.last)
    await answer("field", 0)
    await admin.send("Gute Arbeit in jedem Veedel")
    await answer("confirm")
    await admin.tap_data(cb.ManageIdea(idea_id, "s").encode(), message=admin.last)
    await answer("status", 1)
    await answer("skip")
    await answer("confirm")
    await admin.tap_data(cb.ManageIdea(idea_id, "n").encode(), message=admin.last)
    await admin.send("Die erste Werkstatt ist eröffnet.")
    await answer("confirm")
    await admin.tap_data(cb.ManageIdea(idea_id, "a").encode(), message=admin.last)
    await admin.send("Zusammengelegt mit einer anderen Idee.")
    await answer("confirm")
    await admin.tap_data(cb.ConfirmRestore(idea_id).encode(), message=admin.last)
    assert await entries(harness, "idea_edit") == [
        (me, f"idea:{idea_id}", {"changed": ["title"], "title": "Gute Arbeit in jedem Veedel"})
    ]
    assert await entries(harness, "idea_status") == [
        (me, f"idea:{idea_id}", {"new": "elaboration", "note": "", "old": "idea"})
    ]
    (news,) = await entries(harness, "idea_news")
    assert news[2]["text"] == "Die erste Werkstatt ist eröffnet."
    (archived,) = await entries(harness, "idea_archive")
    assert archived[2]["reason"] == "Zusammengelegt mit einer anderen Idee."
    assert len(await entries(harness, "idea_restore")) == 1

    # Working groups: create, open, close, rename, link and unlink an idea.
    await admin.tap_data(cb.NewGroup().encode(), message=admin.last)
    koeln = await harness.data.regions.get_by_slug("koeln")
    assert koeln is not None
    await answer("region", koeln.id)
    await admin.send("Werkstätten im Veedel")
    await answer("skip")
    await answer("open", 0)
    await answer("confirm")
    ((actor, target, _),) = await entries(harness, "group_create")
    group_id = int(target.split(":")[1])
    for task in ("o", "c"):
        await admin.tap_data(cb.ManageGroup(group_id, task).encode(), message=admin.last)
    await admin.tap_data(cb.ManageGroup(group_id, "n").encode(), message=admin.last)
    await admin.send("Offene Werkstätten im Veedel")
    await answer("confirm")
    for link in (1, 0):
        await admin.tap_data(cb.LinkIdea(group_id, idea_id, link, 0).encode(), message=admin.last)
    for action in ("group_open", "group_close", "group_edit", "group_link", "group_unlink"):
        assert [(a, t) for a, t, _ in await entries(harness, action)] == [
            (me, f"group:{group_id}")
        ], action

    audited = {e.action for e in await harness.data.audit.newest(limit=100)}
    # The import is the command line's (below; tests/test_import_lifecycle.py).
    assert audited == set(ACTIONS) - {"import"}

    # Every row the bot wrote reads in words, in both languages (tests/test_audit_words.py).
    rows = await harness.data.audit.newest(limit=100)
    known = await harness.data.audit.subjects(rows)
    for language in LANGUAGES:
        for row in rows:
            assert_in_words(plain(audit_line(language, row, known, harness.data.settings.tz)))


async def test_a_refused_or_failed_action_writes_no_audit_row(harness: Harness) -> None:
    workshop_id = await add_workshop(harness)
    citizen = harness.user()
    await citizen.command("start")
    await citizen.tap_data(cb.ParticipantsCsv(workshop_id).encode())
    await citizen.command("rolle_vergeben", "4711", "admin")
    admin = harness.admin()
    await admin.command("rolle_vergeben", "4711", "kontakt", "atlantis")
    assert await harness.data.audit.count() == 0


async def test_the_audit_log_is_append_only(harness: Harness) -> None:
    await harness.data.audit.add(AuditNote.by_user(1, "broadcast"), harness.clock())
    await harness.data.audit.add(AuditNote.by_user(2, "role_grant", "user:3"), harness.clock())
    for sql in (
        "UPDATE audit_log SET actor = 'x'",
        "UPDATE audit_log SET action = 'role_revoke'",
        "UPDATE audit_log SET actor = '0', details = '{\"x\": 1}'",
        "UPDATE audit_log SET target = 'user:0' WHERE target = ''",  # not about a person
        "UPDATE audit_log SET target = 'user:9' WHERE target = 'user:3'",
        "DELETE FROM audit_log",
    ):
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            await harness.data.db.execute(sql)
    # The one change allowed: an erased person's id becomes 0 (see storage/privacy.py).
    await harness.data.db.execute("UPDATE audit_log SET actor = '0' WHERE actor = '2'")
    await harness.data.db.execute("UPDATE audit_log SET target = 'user:0' WHERE target = 'user:3'")
    rows = await harness.data.db.fetchall("SELECT actor, action, target FROM audit_log")
    assert [tuple(r) for r in rows] == [("1", "broadcast", ""), ("0", "role_grant", "user:0")]
    with pytest.raises(ValueError, match="unknown audit action"):
        AuditNote("1", "launch_rocket")


async def test_protokoll_pages_in_place_and_filters(harness: Harness) -> None:
    for n in range(1, 21):
        action = "role_grant" if n % 2 else "broadcast"
        note = AuditNote.by_user(4800 + n % 3, action, f"user:{n}", n=n)
        await harness.data.audit.add(note, harness.clock() + dt.timedelta(minutes=n))
    admin = harness.admin()
    await admin.command("protokoll")
    view = admin.last
    assert view.text.startswith(
        "Protokoll – 20 Einträge, die neuesten zuerst\nSeite 1 von 3 · Stand"
    )
    assert (
        "#20 · 25.11.2026, 11:20 · ID 4802 (Name nicht bekannt): Rundschreiben"
        " – ID 20 (Name nicht bekannt) (n: 20)" in view.text
    )
    assert "#13" in view.text and "#12" not in view.text
    assert view.button_labels() == ["Ältere ›", "🔄 Aktualisieren"]
    await admin.tap("Ältere ›", message=view)
    assert admin.last is view and view.edited == 1
    assert "Seite 2 von 3" in view.text and "#12 " in view.text and "#13 " not in view.text
    assert view.button_labels() == ["‹ Neuere", "Ältere ›", "🔄 Aktualisieren"]
    await admin.tap("Ältere ›", message=view)
    assert "Seite 3 von 3" in view.text and "#1 " in view.text
    await admin.tap("‹ Neuere", message=view)
    assert "Seite 2 von 3" in view.text

    await admin.command("protokoll", "role_grant")
    assert admin.last.text.startswith("Protokoll für „role_grant“ – 10 Einträge")
    await admin.command("protokoll", "4801")
    assert admin.last.text.startswith("Protokoll für „4801“ – 7 Einträge")
    harness.clock.advance(seconds=5)
    await admin.tap("🔄 Aktualisieren", message=admin.last)
    assert admin.last.text.startswith("Protokoll für „4801“ – 7 Einträge")
    await admin.command("protokoll", "cli")
    assert "Keine Einträge." in admin.last.text
    for bad in ("raketenstart", "²", "9" * 30, "0"):
        await admin.command("protokoll", bad)
        assert admin.last.text.startswith("So filtern Sie das Protokoll:")

    # An admin whose role was revoked cannot turn the pages of an old view.
    gert = harness.user(4800, "Gert")
    await gert.command("start")
    await admin.command("rolle_vergeben", "4800", "admin")
    await gert.command("audit")
    old = gert.last
    await admin.command("rolle_entziehen", "4800", "admin")
    await gert.tap_data(AuditPage(1, "-", 0, "-").encode(), message=old)
    assert gert.answers[-1].text == REFUSED
    assert "Seite 1 von" in old.text


@pytest.fixture
def cli_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A clean environment for the command line, with a database in tmp."""
    return command_line(monkeypatch, tmp_path, tmp_path / "cli.sqlite3")


async def test_a_command_line_import_is_audited_as_cli(cli_db: Path) -> None:
    import asyncio

    example = ROOT / "examples" / "import.yaml"
    assert await asyncio.to_thread(main, ["import", str(example)]) == 0
    db = await Database.open(cli_db)
    try:
        (entry,) = await AuditRepository(db).newest(actor=CLI)
    finally:
        await db.close()
    assert (entry.action, entry.target) == ("import", "file:import.yaml")
    assert entry.details["ideas"] == 1 and entry.details["workshops"] == 2


@pytest.mark.parametrize("language", ["de", "en"])
def test_every_audit_action_has_a_label(language: str) -> None:
    from messages.catalog import t

    for action in ACTIONS:
        assert t(language, f"roles.audit.action.{action}") != f"roles.audit.action.{action}"
