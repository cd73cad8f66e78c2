"""/datenschutz, /meine_daten and /daten_loeschen as a person uses them, in German and English."""

from __future__ import annotations

import json
from pathlib import Path

from workgroup_helpers import load, register, rows

from bot.offline.fake_user import FakeUser
from messages.actions import ConfirmErase
from messages.privacy import export_summary
from messages.render import MAX_TEXT, visible_len
from storage.models import PersonalData
from storage.privacy import USER_COLUMNS

from conftest import FakeClock, Harness, make_settings, running
from stories.comments import comment
from stories.privacy import approve_all, erase, notice
from stories.workgroups import with_contact

DONE = "✅ Ihre Daten wurden gelöscht."


async def stored_rows(h: Harness, user_id: int) -> dict[str, int]:
    """How many rows name the person, per section of the export."""
    found = await h.data.privacy.export(user_id)
    return {name: len(items) for name, items in found.sections.items()}


def main_menu(user: FakeUser) -> list[list[str]]:
    """The main menu's buttons as the user sees them after /start."""
    return next(m.buttons for m in user.messages if m.text.startswith("Willkommen"))


async def test_notice_names_controller_data_retention_and_rights(harness: Harness) -> None:
    erika = harness.user()
    await erika.command("start")
    erika_notice = await notice(erika, "datenschutz")
    text = erika_notice
    assert text.startswith("Datenschutzhinweise zum Ideenlabor-Bot")
    assert "Ministerium für Arbeit, Gesundheit und Soziales des Landes Nordrhein-Westfalen" in text
    assert "(vom Betreiber noch nicht eingetragen)" in text  # [[Anschrift]]: to fill in
    assert "Ihre Telegram-ID, die Sprache" in text
    assert "Nutzen Sie den Bot 730 Tage lang nicht" in text
    assert "Meldungen für Arbeitsgruppen werden 365 Tage nach der letzten Änderung" in text
    assert "90 Tage nach dem Termin gelöscht" in text
    assert "an der Stelle des Namens steht dann „gelöschte Person“" in text
    assert "/meine_daten" in text and "/daten_loeschen" in text and "Art. 17" in text
    assert "{" not in text
    assert erika.last.buttons == main_menu(erika)
    john = harness.user(4712, "John", language_code="en")
    john_notice = await notice(john, "privacy")
    assert john_notice.startswith("Privacy notice for the Ideenlabor bot")
    assert "If you do not use the bot for 730 days" in john_notice
    assert "/delete_my_data" in john_notice


async def test_operator_notice_from_file_is_split_and_filled(
    tmp_path: Path, db_path: Path, clock: FakeClock
) -> None:
    paragraph = "<b>Abschnitt</b> " + "Text über die Verarbeitung. " * 40
    for language in ("de", "en"):
        body = "\n\n".join([f"Hinweis {language}: {{retention_users}}"] + [paragraph] * 12)
        (tmp_path / f"notice-{language}.html").write_text(body, "utf-8")
    settings = make_settings(
        db_path,
        IDEENLABOR_PRIVACY_NOTICE=str(tmp_path / "notice-{lang}.html"),
        IDEENLABOR_RETENTION_DAYS="0",
        IDEENLABOR_DELETED_COMMENTS="remove",
    )
    async with running(settings, clock) as h:
        erika = h.user()
        await erika.command("datenschutz")
        parts = erika.texts()
        assert len(parts) == 4 and all(len(p) <= 4096 for p in parts)
        assert parts[0].startswith("Hinweis de: Ihre Daten bleiben gespeichert, bis Sie sie")
        assert sum(p.count("Abschnitt") for p in parts) == 12
        assert erika.last.buttons and not erika.messages[0].buttons
        h.api.assert_no_errors()


async def test_export_is_a_json_document_with_everything(harness: Harness) -> None:
    _, erika = await with_contact(harness)
    await comment(erika, "Mein Gedanke zur Idee")
    await erika.command("meine_daten")
    message = erika.last
    assert message.document is not None
    assert message.document.filename == "ideenlabor-meine-daten.json"
    assert message.document.mime_type == "application/json"
    assert message.text.startswith("📦 Alle Daten, die der Ideenlabor-Bot über Sie gespeichert")
    exported = json.loads(message.document.content)
    assert exported["telegram_id"] == 4711
    assert exported["exported_at"] == "2026-11-25T10:00:00+00:00"
    data = exported["data"]
    assert data["users.telegram_id"][0]["first_seen"].startswith("2026-11-25T10:00")
    assert data["comments.user_id"][0]["text"] == "Mein Gedanke zur Idee"
    assert data["comments.user_id"][0]["status"] == "pending"
    [registration] = data["interest_registrations.user_id"]
    assert (registration["name"], registration["email"]) == ("Erika", "erika@example.org")
    assert "gehen an Anna Schmidt" in registration["consent_text"]
    john = harness.user(4712, "John", language_code="en")
    await john.command("my_data")
    assert john.last.document is not None
    assert john.last.document.filename == "ideenlabor-my-data.json"
    assert "All data the Ideenlabor bot has stored about you" in john.last.text


async def test_export_says_in_words_what_is_stored_and_what_to_do(harness: Harness) -> None:
    _, erika = await with_contact(harness)
    await comment(erika, "Mein Gedanke zur Idee")
    await comment(erika, "Noch ein Gedanke zur Idee")
    await erika.command("sprache")
    await erika.tap("Deutsch")
    await erika.command("meine_daten")
    summary, document = erika.messages[-2:]
    assert document.document is not None  # the file comes last, after the summary
    text = summary.text
    assert text.startswith("📋 Was der Ideenlabor-Bot über Sie gespeichert hat")
    assert "Ihre Sprache: Deutsch (selbst gewählt) – ändern mit /sprache." in text
    assert "zuletzt genutzt: 25.11.2026, 11:00" in text  # local time (Europe/Berlin)
    assert "2 Kommentare (2 davon warten auf Freigabe) – ansehen und löschen mit " in text
    assert "/meine_kommentare" in text
    assert (
        "1 Meldung für eine Arbeitsgruppe; an die Ansprechperson weitergegeben: Name, "
        "E-Mail-Adresse – ansehen, ändern und zurückziehen mit /meine_gruppen." in text
    )
    assert "Bewertung" not in text and "Sonst ist nichts" not in text
    assert "/daten_loeschen" in text
    john = harness.user(4712, "John", language_code="en")
    await john.command("start")
    await john.command("my_data")
    summary = john.messages[-2]
    assert summary.text.startswith("📋 What the Ideenlabor bot has stored about you")
    assert "Your language: as set in your Telegram app – choose one with /language." in summary.text
    assert "last use: 25 Nov 2026, 11:00" in summary.text
    # The bot's one message to John so far: the news offer (kept 30 days after delivery).
    assert "1 message from the bot to you (delivery)" in summary.text
    assert "/delete_my_data" in summary.text


def test_export_summary_of_nothing_and_of_much_fits_one_message() -> None:
    assert export_summary("de", PersonalData(user_id=1, sections={})) == [
        "📋 Der Ideenlabor-Bot hat nichts über Sie gespeichert. Mit /start beginnen Sie neu;"
        " gespeichert wird dann nur, was der Bot für Ihre Nutzung braucht (/datenschutz)."
    ]
    row: dict[str, object] = {"status": "withdrawn", "name": "E", "phone": "1", "message": "x"}
    many = PersonalData(
        user_id=1, sections={f"{c.table}.{c.column}": [row] * 1000 for c in USER_COLUMNS}
    )
    for language in ("de", "en"):
        [text] = export_summary(language, many)
        assert visible_len(text) <= MAX_TEXT
    [text] = export_summary("en", many)
    assert (
        "1000 registrations of interest in working groups; passed on to the contacts: name,"
        " phone number, message" in text
    )
    assert "1000 of them are withdrawn" in text
    assert "You follow 1000 ideas" in text and "Reminders for 1000 Ideenlabore" in text
    assert "1000 idea proposals" in text and "The times of 1000 proposals" in text
    assert "12000 further entries from your work as a contact" in text


async def test_deletion_withdraws_registrations_anonymises_comments_starts_fresh(
    harness: Harness,
) -> None:
    anna, erika = await with_contact(harness, email=None, phone="+49 2841 99887")
    await comment(erika, "Ein Kommentar, der bleiben darf")
    await approve_all(harness)
    await erika.command("sprache")
    await erika.tap("English")
    await harness.deliver()
    await erika.command("delete_my_data")
    prompt = erika.last
    assert prompt.text.startswith("⚠️ Delete all your data?")
    assert "Published comments stay after a deletion" in prompt.text
    assert prompt.buttons == [["🗑 Yes, delete everything"], ["✖️ Cancel"]]
    await erika.tap("🗑 Yes, delete everything")
    assert erika.last.text.startswith("✅ Your data has been deleted.")
    assert erika.last.message_id == prompt.message_id and erika.last.buttons == []
    assert await rows(harness) == []
    await harness.deliver()
    assert "Erika hat die Meldung für die Arbeitsgruppe" in anna.last.text  # Anna speaks German
    # The comment stays, without its author, in every reader's language.
    max_ = harness.user(4712, "Max")
    await max_.command("start", "idea_we-make-you-sexy-niederrhein")
    await max_.tap("💬 Kommentare (1)")
    assert "1. gelöschte Person · 25.11.2026" in max_.last.text
    john = harness.user(4713, "John", language_code="en")
    await john.command("start", "idea_we-make-you-sexy-niederrhein")
    await john.tap("💬 Comments (1)")
    assert "1. deleted person · 25 Nov 2026" in john.last.text
    # Erika comes back: a new person, German again (her choice of English is gone).
    await erika.command("start")
    assert erika.last.text.startswith("Willkommen")
    user = await harness.data.users.get(4711)
    assert user is not None and user.language is None
    # Only when she wrote her comment stays, for the anti-spam limits (tests/test_comment_writes.py);
    # and, as she is a new person, the news offer is queued for her again.
    assert await stored_rows(harness, 4711) == {
        "users.telegram_id": 1,
        "comment_writes.user_id": 1,
        "outbox.chat_id": 1,
    }


async def test_cancel_keeps_everything(harness: Harness) -> None:
    erika = harness.user()
    await comment(erika, "Bleibt gespeichert")
    before = await stored_rows(harness, 4711)
    await erika.command("daten_loeschen")
    await erika.tap("✖️ Abbrechen")
    assert erika.last.text.startswith("Abgebrochen – Ihre Daten bleiben gespeichert.")
    assert await stored_rows(harness, 4711) == before
    assert before["comments.user_id"] == 1


async def test_stale_and_forged_confirmations_delete_nothing(harness: Harness) -> None:
    erika = harness.user()
    await comment(erika, "Bleibt gespeichert")
    before = await stored_rows(harness, 4711)
    await erika.command("daten_loeschen")
    old = erika.last
    harness.clock.advance(minutes=10, seconds=1)
    await erika.tap("🗑 Ja, alles löschen", message=old)
    expired = "Diese Bestätigung ist abgelaufen. Bitte rufen Sie /daten_loeschen erneut auf."
    assert erika.answers[-1].text == expired and erika.last.text == expired
    future = int(harness.clock().timestamp()) + 60
    await erika.tap_data(ConfirmErase(future).encode())
    assert erika.answers[-1].text == expired
    await erika.tap_data("1|px|abc")  # not a valid button at all
    assert erika.answers[-1].text == "Diese Schaltfläche ist nicht mehr gültig."
    assert await stored_rows(harness, 4711) == before


async def test_deleting_twice_is_harmless(harness: Harness) -> None:
    erika = harness.user()
    await comment(erika, "Noch nicht freigegeben")
    await erase(erika)
    assert erika.last.text.startswith(DONE)
    assert await harness.data.comments.repo.by_user(4711) == []
    await erase(erika)
    assert erika.last.text.startswith(DONE)
    assert await stored_rows(harness, 4711) == {"comment_writes.user_id": 1}  # the limits' count


async def test_remove_setting_deletes_published_comments(db_path: Path, clock: FakeClock) -> None:
    settings = make_settings(db_path, IDEENLABOR_DELETED_COMMENTS="remove")
    async with running(settings, clock) as h:
        erika = h.user()
        await comment(erika, "Verschwindet mit mir")
        await approve_all(h)
        await erika.command("daten_loeschen")
        assert "Ihre Kommentare werden bei einer Löschung ebenfalls entfernt." in erika.last.text
        await erika.tap("🗑 Ja, alles löschen")
        assert erika.last.text.startswith(DONE)
        assert await h.data.db.fetchall("SELECT * FROM comments") == []
        idea = await h.data.ideas.get_by_slug("we-make-you-sexy-niederrhein")
        assert idea is not None and idea.comment_count == 0
        h.api.assert_no_errors()
        assert h.errors == []


async def test_commands_in_menus_and_help(harness: Harness) -> None:
    menus = {}
    for call in harness.api.calls_to("setMyCommands"):
        commands = call.params["commands"]
        if isinstance(commands, str):
            commands = json.loads(commands)
        menus[call.params.get("language_code")] = {c["command"]: c["description"] for c in commands}
    assert menus["de"]["datenschutz"] == "Datenschutzhinweise"
    assert menus["de"]["daten_loeschen"] == "Alle meine Daten löschen"
    assert menus["en"]["my_data"] == "My stored data (JSON)"
    assert menus["en"]["delete_my_data"] == "Delete all my data"
    erika = harness.user()
    await erika.command("hilfe")
    assert "/meine_daten – alle über Sie gespeicherten Daten als Datei" in erika.last.text
    john = harness.user(4712, "John", language_code="en")
    await john.command("help")
    assert "/privacy – privacy notice: what is stored and for how long" in john.last.text


async def test_erasure_with_email_to_contacts(db_path: Path, clock: FakeClock) -> None:
    settings = make_settings(
        db_path,
        IDEENLABOR_SMTP_URL="smtp://127.0.0.1:2525",
        IDEENLABOR_MAIL_FROM="ideenlabor@example.org",
    )
    async with running(settings, clock) as h:
        await load(h)
        erika = h.user()
        await register(erika, email="erika@example.org", phone="+49 2841 99887")
        await erika.tap("✅ Einverstanden, senden")
        db = h.data.db
        await db.execute("UPDATE outbox SET state = 'sent' WHERE channel = 'email'")  # delivered
        await erase(erika)
        assert erika.last.text.startswith(DONE)
        mails = await db.fetchall(
            "SELECT kind, state, email_to, payload FROM outbox WHERE channel = 'email' ORDER BY id"
        )
        assert [(m["kind"], m["state"], m["payload"]) for m in mails[:1]] == [
            ("wg_new", "sent", "{}")
        ]
        [withdrawal] = mails[1:]
        assert (withdrawal["kind"], withdrawal["state"]) == ("wg_withdrawn", "pending")
        assert withdrawal["email_to"] == "anna.schmidt@example.org"
        assert "Bitte löschen Sie die Kontaktdaten" in withdrawal["payload"]
        everything = await db.fetchall("SELECT payload, dedupe_key FROM outbox")
        assert not [r for r in everything if "erika@example.org" in str(tuple(r))]
        assert not [r for r in everything if "99887" in str(tuple(r))]
        assert h.errors == []
