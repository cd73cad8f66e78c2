"""A second kind of content, known only to this test, goes through the shared moderation.

"note" is a tiny kind over a table made here: its own decisions (approve, ask for changes
with a required reason, reject with an optional one, hide), texts and author notices. It is
registered like comments are, and nothing of the shared code (queue, notices, decisions,
four-eyes, conflicts, the reason dialogue, the log) knows it: the proof that the mechanism is
general.
"""

from __future__ import annotations

import datetime as dt
import html
import json
from dataclasses import dataclass
from typing import ClassVar
from zoneinfo import ZoneInfo

import pytest

import messages.catalog as catalog_module
from bot.offline.fake_api import SentMessage
from bot.offline.fake_user import FakeUser
from bot.services.moderation import Notice
from messages.actions import Decide, DecideInQueue, DecideWithoutReason, MainMenu
from messages.catalog import LANGUAGES, shorten, t
from messages.keyboards import keyboard
from messages.moderation import Phrases, ReasonNeed
from storage.db import Database, Transaction
from storage.moderation import Item
from storage.timeutil import from_db, to_db

from conftest import ADMIN_ID, Harness
from stories.moderation import CONTACT_ID, NOT_ALLOWED, add_ideas, contact, person, write

OWN = "Über Ihre eigenen Notizen entscheidet jemand anderes."
GONE = "Diese Notiz gibt es nicht mehr."
TOLD = "Die Person, die sie schrieb, erfährt es."
NOTE_TEXTS = {
    "test_notes.button.approve": "✅ Übernehmen",
    "test_notes.button.changes": "✏️ Änderungen erbitten",
    "test_notes.button.reject": "❌ Verwerfen",
    "test_notes.button.hide": "🙈 Verbergen",
    "test_notes.status.pending": "offen",
    "test_notes.status.approved": "übernommen",
    "test_notes.status.changes": "in Überarbeitung",
    "test_notes.status.rejected": "verworfen",
    "test_notes.status.hidden": "verborgen",
    "test_notes.outcome.approve": "✅ Übernommen von {name}",
    "test_notes.outcome.changes": "✏️ Änderungen erbeten von {name}",
    "test_notes.outcome.reject": "❌ Verworfen von {name}",
    "test_notes.outcome.hide": "🙈 Verborgen von {name}",
    "test_notes.done.approve": "Übernommen.",
    "test_notes.done.changes": "Änderungen erbeten.",
    "test_notes.done.reject": "Verworfen.",
    "test_notes.done.hide": "Verborgen.",
    "test_notes.already.approve": "übernommen",
    "test_notes.already.changes": "zur Überarbeitung zurückgegeben",
    "test_notes.already.reject": "verworfen",
    "test_notes.already.hide": "verborgen",
    "test_notes.changed": "ℹ️ Diese Notiz ist inzwischen {status}.",
    "test_notes.system": "automatisch",
    "test_notes.own": OWN,
    "test_notes.gone": GONE,
    "test_notes.count.one": "{count} Notiz wartet.",
    "test_notes.count.other": "{count} Notizen warten.",
    "test_notes.empty": "Keine Notiz wartet.",
    "test_notes.told": TOLD,
}


@dataclass(frozen=True)
class Note:
    """A note someone wrote for a region."""

    text: str


def _item(row: object) -> Item[Note]:
    data = dict(row)  # type: ignore[call-overload]
    return Item(
        "note",
        data["id"],
        data["region_id"],
        data["author_id"],
        data["status"],
        from_db(data["created_at"]),
        Note(data["text"]),
    )


def _where(regions: list[int] | None) -> tuple[str, list[object]]:
    if regions is None:
        return "status = 'pending'", []
    return f"status = 'pending' AND region_id IN ({','.join('?' * len(regions)) or 'NULL'})", [
        *regions
    ]


class NoteKind:
    """The test's kind: everything a kind implements, and nothing more."""

    name = "note"
    phrases = Phrases.under("test_notes")
    decisions: ClassVar[dict[str, tuple[str, ...]]] = {
        "pending": ("approve", "changes", "reject"),
        "approved": ("hide",),
    }
    reasons: ClassVar[dict[str, ReasonNeed]] = {"changes": "required", "reject": "optional"}
    _next: ClassVar[dict[str, str]] = {
        "approve": "approved",
        "changes": "changes",
        "reject": "rejected",
        "hide": "hidden",
    }

    def __init__(self, db: Database) -> None:
        self._db = db

    async def load(self, item_id: int, tx: Transaction | None = None) -> Item[Note] | None:
        row = await (tx or self._db).fetchone("SELECT * FROM notes WHERE id = ?", (item_id,))
        return None if row is None else _item(row)

    async def queue(self, regions: list[int] | None, limit: int) -> list[Item[Note]]:
        where, params = _where(regions)
        rows = await self._db.fetchall(
            f"SELECT * FROM notes WHERE {where} ORDER BY created_at, id LIMIT ?", (*params, limit)
        )
        return [_item(row) for row in rows]

    async def queue_size(self, regions: list[int] | None) -> int:
        where, params = _where(regions)
        row = await self._db.fetchone(f"SELECT COUNT(*) AS n FROM notes WHERE {where}", params)
        return int(row["n"]) if row else 0

    async def apply(
        self, tx: Transaction, item: Item[Note], decision: str, reason: str | None, now: dt.datetime
    ) -> Item[Note] | None:
        changed = await tx.execute(
            "UPDATE notes SET status = ? WHERE id = ? AND status = ?",
            (self._next[decision], item.id, item.status),
        )
        return await self.load(item.id, tx) if changed else None

    def author_notice(
        self, language: str, item: Item[Note], decision: str, reason: str | None
    ) -> Notice | None:
        if decision == "hide":
            return None
        text = f"Ihre Notiz „{html.escape(item.content.text)}“: {decision}"
        if reason:
            text += f"\nBegründung: {html.escape(reason)}"
        # Asked for changes, the author gets a button (in issue 13: to resubmit).
        buttons = keyboard([[("✍️ Überarbeiten", MainMenu())]]) if decision == "changes" else None
        return Notice(text, buttons)

    def card(self, language: str, item: Item[Note], tz: ZoneInfo, room: int) -> str:
        status = t(language, f"test_notes.status.{item.status}")
        return f"Notiz: {html.escape(item.content.text)}\nStatus: {status}"

    def entry(self, language: str, number: int, item: Item[Note], tz: ZoneInfo, room: int) -> str:
        return f"<b>{number}.</b> Notiz: {html.escape(shorten(item.content.text, room))}"

    def queue_note(self, language: str, outcome: str, item: Item[Note]) -> str:
        return f"{outcome} – Notiz „{html.escape(item.content.text)}“"

    def ask_reason(self, language: str, item: Item[Note], decision: str) -> str:
        return f"Begründung für „{decision}“ zur Notiz „{html.escape(item.content.text)}“?"


@pytest.fixture
async def notes(harness: Harness, monkeypatch: pytest.MonkeyPatch) -> Harness:
    """The running bot with the note kind: its table, its texts, registered like comments."""
    templates = {
        language: {
            **catalog_module._templates(language),
            **{key: (text, frozenset[str]()) for key, text in NOTE_TEXTS.items()},
        }
        for language in LANGUAGES
    }
    texts = {language: {**catalog_module.catalog(language), **NOTE_TEXTS} for language in LANGUAGES}
    monkeypatch.setattr(catalog_module, "_templates", templates.__getitem__)
    monkeypatch.setattr(catalog_module, "catalog", texts.__getitem__)
    await harness.data.db.execute(
        "CREATE TABLE notes (id INTEGER PRIMARY KEY, region_id INTEGER, author_id INTEGER,"
        " text TEXT NOT NULL, status TEXT NOT NULL, created_at TEXT NOT NULL)"
    )
    harness.data.moderation.register(NoteKind(harness.data.db))
    return harness


async def add_note(h: Harness, author_id: int, region: str, text: str) -> int:
    """A new note, pending; its moderators are notified (through the shared notices)."""
    found = await h.data.regions.get_by_slug(region)
    assert found is not None
    now = h.clock()
    async with h.data.db.transaction() as tx:
        note_id = await tx.insert(
            "INSERT INTO notes (region_id, author_id, text, status, created_at)"
            " VALUES (?, ?, ?, 'pending', ?)",
            (found.id, author_id, text, to_db(now)),
        )
        item = await h.data.moderation.kinds["note"].load(note_id, tx)
        assert item is not None
        await h.data.moderation.notify(
            tx, item, "new", lambda language: f"🗒 Neue Notiz\n{html.escape(text)}", now
        )
    return note_id


def note_notice(user: FakeUser, needle: str) -> SentMessage:
    """The newest notice about a note that mentions needle."""
    for message in reversed(user.messages):
        if message.text.startswith("🗒") and needle in message.text:
            return message
    raise AssertionError(f"no note notice with {needle!r}: {user.texts()!r}")


async def test_a_second_kind_shares_notices_queue_decisions_conflicts_and_log(
    notes: Harness,
) -> None:
    h = notes
    ideas = await add_ideas(h)
    ada = await person(h, ADMIN_ID, "Ada")
    kim = await contact(h, "koeln")
    udo = await contact(h, "aachen", user_id=700002, name="Udo")
    erika = await person(h, 4711, "Erika")
    await write(h, erika, ideas["koeln"], "Ein Kommentar, älter als die Notiz.")
    h.clock.advance(minutes=1)
    note_id = await add_note(h, erika.user_id, "koeln", "Mehr Bänke <im> Park")
    await h.deliver()
    adas_notice = note_notice(ada, "Mehr Bänke")
    assert adas_notice.text == "🗒 Neue Notiz\nMehr Bänke <im> Park"
    assert adas_notice.button_labels() == ["✅ Übernehmen", "✏️ Änderungen erbitten", "❌ Verwerfen"]
    assert adas_notice.reply_markup[0][0].callback_data == f"1|mv|note|{note_id}|approve"
    assert not [m for m in udo.messages if m.text.startswith("🗒")]  # not Udo's region

    # One queue for every kind, oldest first, a count for each kind.
    await ada.command("moderation")
    queue = ada.last
    assert queue.text.split("\n")[:3] == [
        "🗂 Moderation – älteste zuerst",
        "1 Kommentar wartet auf eine Entscheidung.",
        "1 Notiz wartet.",
    ]
    assert queue.text.index("älter als die Notiz") < queue.text.index("Notiz: Mehr Bänke")
    assert "&lt;im&gt;" in queue.html
    assert queue.buttons[:2] == [
        ["1 ✅ Freigeben", "1 ❌ Ablehnen"],
        ["2 ✅ Übernehmen", "2 ✏️ Änderungen erbitten", "2 ❌ Verwerfen"],
    ]
    await udo.command("moderation")  # Aachen's contact: nothing of Köln
    assert "Nichts zu tun – zurzeit wartet nichts auf eine Entscheidung." in udo.last.text

    await ada.tap("2 ✅ Übernehmen", message=queue)
    assert ada.answers[-1].text == "Übernommen."
    assert queue.text.startswith("✅ Übernommen von Ada – Notiz „Mehr Bänke <im> Park“\n\n")
    assert "1 Kommentar wartet" in queue.text and "Notiz wartet" not in queue.text

    # Kim comes second, on her notice: told who decided, and what can be done now.
    kims_notice = note_notice(kim, "Mehr Bänke")
    await kim.tap("❌ Verwerfen", message=kims_notice)
    assert kim.answers[-1].text == "Darüber wurde schon entschieden."
    assert kims_notice.text == (
        "ℹ️ Schon entschieden: übernommen von einer anderen Person aus der Moderation.\n\n"
        "Notiz: Mehr Bänke <im> Park\nStatus: übernommen"
    )
    assert kims_notice.button_labels() == ["🙈 Verbergen"]
    # Udo moderates Aachen only: a forged button about Köln's note is refused.
    await udo.tap_data(Decide("note", note_id, "hide").encode(), message=udo.keyboard_message())
    assert (udo.answers[-1].text or "").startswith(NOT_ALLOWED)
    await kim.tap("🙈 Verbergen", message=kims_notice)
    assert kim.answers[-1].text == "Verborgen."
    assert kims_notice.text.startswith("🙈 Verborgen von Kim\n\nNotiz: Mehr Bänke")

    # The shared log and audit log, by kind; the author is told what the kind tells.
    assert await h.data.moderation.log.decisions("note", note_id) == [
        (ADMIN_ID, "approve", None),
        (CONTACT_ID, "hide", None),
    ]
    audit = await h.data.db.fetchall(
        "SELECT actor, details FROM audit_log WHERE action = 'moderation' AND target = ?",
        (f"note:{note_id}",),
    )
    assert [(r["actor"], json.loads(r["details"])["decision"]) for r in audit] == [
        (str(ADMIN_ID), "approve"),
        (str(CONTACT_ID), "hide"),
    ]
    await h.deliver()
    assert [m.text for m in erika.messages if m.text.startswith("Ihre Notiz")] == [
        "Ihre Notiz „Mehr Bänke <im> Park“: approve"
    ]


async def test_a_second_kind_with_its_own_decision_a_required_reason_and_four_eyes(
    notes: Harness,
) -> None:
    h = notes
    ada = await person(h, ADMIN_ID, "Ada")
    kim = await contact(h, "koeln")
    own = await add_note(h, CONTACT_ID, "koeln", "Kims eigene Notiz")
    await h.deliver()
    assert not [m for m in kim.messages if m.text.startswith("🗒")]  # not told of her own
    await kim.command("moderation")
    for label in ("1 ✅ Übernehmen", "1 ✏️ Änderungen erbitten"):
        await kim.tap(label)
        assert kim.answers[-1].text == OWN  # nobody decides on their own while Ada can
    assert kim.last.text.startswith("🗂 Moderation")  # no question was asked

    adas_notice = note_notice(ada, "Kims eigene")
    await ada.tap("✏️ Änderungen erbitten", message=adas_notice)
    question = ada.last
    assert question.text == "Begründung für „changes“ zur Notiz „Kims eigene Notiz“?"
    assert question.button_labels() == ["✖️ Abbrechen"]  # required: no "Ohne Begründung"
    await ada.tap_data(DecideWithoutReason("note", own).encode(), message=question)
    assert ada.answers[-1].text == "Diese Schaltfläche gehört zu einer beendeten Eingabe."
    await ada.send("   ")
    assert ada.last.text.startswith(
        "Bitte schreiben Sie eine Begründung – die verfassende Person bekommt sie zu lesen.\n\n"
        "Begründung für „changes“"
    )
    assert await h.data.moderation.log.decisions("note", own) == []
    await ada.send("Bitte mit Ort.")
    assert ada.last.text == (f"✏️ Änderungen erbeten von Ada\nBegründung: Bitte mit Ort.\n{TOLD}")
    assert adas_notice.text.startswith(
        "✏️ Änderungen erbeten von Ada\nBegründung: Bitte mit Ort.\n\nNotiz: Kims eigene Notiz"
    )
    assert adas_notice.button_labels() == []  # "changes" leaves nothing to decide
    await h.deliver()
    assert kim.last.text == "Ihre Notiz „Kims eigene Notiz“: changes\nBegründung: Bitte mit Ort."
    assert kim.last.button_labels() == ["✍️ Überarbeiten"]
    assert await h.data.moderation.log.decisions("note", own) == [
        (ADMIN_ID, "changes", "Bitte mit Ort.")
    ]


async def test_a_second_kind_gone_meanwhile_and_rejected_without_a_reason(notes: Harness) -> None:
    h = notes
    ada = await person(h, ADMIN_ID, "Ada")
    gone = await add_note(h, 4711, "koeln", "Gleich gelöscht")
    mine = await add_note(h, ADMIN_ID, "aachen", "Von Ada selbst")  # the only moderator
    await h.deliver()
    notice = note_notice(ada, "Gleich gelöscht")
    await h.data.db.execute("DELETE FROM notes WHERE id = ?", (gone,))
    await ada.tap("✅ Übernehmen", message=notice)
    assert ada.answers[-1].text == GONE
    assert notice.text == GONE and notice.button_labels() == []

    await ada.command("moderation")
    queue = ada.last
    assert "1 Notiz wartet." in queue.text and "Von Ada selbst" in queue.text
    await ada.tap("1 ❌ Verwerfen", message=queue)
    question = ada.last
    assert question.button_labels() == ["Ohne Begründung", "✖️ Abbrechen"]  # optional
    await ada.tap("Ohne Begründung", message=question)
    assert question.text == f"❌ Verworfen von Ada\nohne Begründung\n{TOLD}"
    assert queue.text.startswith("❌ Verworfen von Ada – Notiz „Von Ada selbst“\nohne Begründung")
    assert "Nichts zu tun – zurzeit wartet nichts auf eine Entscheidung." in queue.text
    assert await h.data.moderation.log.decisions("note", mine) == [(ADMIN_ID, "reject", None)]
    # A queue button for a decision the note no longer offers: told what happened.
    await ada.tap_data(DecideInQueue("note", mine, "approve", 0).encode(), message=queue)
    assert ada.answers[-1].text == "Darüber wurde schon entschieden."
    assert queue.text.startswith("ℹ️ Schon entschieden: verworfen von Ihnen.")


async def test_a_button_of_an_unknown_kind_is_stale_for_moderators_refused_for_others(
    notes: Harness,
) -> None:
    h = notes
    ada = await person(h, ADMIN_ID, "Ada")
    erika = await person(h, 4711, "Erika")
    for data in ("1|mv|nothing|1|approve", "1|mj|nothing|1|approve|0"):
        await ada.tap_data(data, message=ada.keyboard_message())
        assert ada.answers[-1].text == "Diese Schaltfläche ist nicht mehr gültig."
        await erika.tap_data(data, message=erika.keyboard_message())
        assert erika.answers[-1].text is not None
        assert erika.answers[-1].text.startswith(NOT_ALLOWED)


async def test_kinds_are_registered_once_with_names_that_fit_a_button(notes: Harness) -> None:
    moderation = notes.data.moderation
    assert list(moderation.kinds) == ["comment", "proposal", "note"]
    with pytest.raises(ValueError, match="registered already"):
        moderation.register(NoteKind(notes.data.db))

    class Badly(NoteKind):
        name = "Bad-Name"

    with pytest.raises(ValueError, match="lowercase"):
        moderation.register(Badly(notes.data.db))
