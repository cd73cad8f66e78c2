"""Broadcasts: compose, audience, preview, confirm once; live progress and the final report."""

from __future__ import annotations

import pytest

from bot.config import Settings
from bot.dispatcher import Dispatcher, Pacer
from bot.offline.fake_api import FakeBotApi
from handlers.broadcast_progress import progress_reporter
from storage.models import OutboxMessage

from conftest import ADMIN_ID, FakeClock, Harness, Ticks, running
from stories.broadcast import TEXT, compose, person, send_formatted
from stories.dialogues import refused
from stories.taps import tap_twice

HTML = (
    "Liebe Mitwirkende, das nächste Ideenlabor ist <b>wichtig!</b> "
    'Mehr dazu <a href="https://www.arbeit.nrw.de">hier</a>.'
)


async def test_broadcast_to_a_region_with_progress_and_report(harness: Harness) -> None:
    fans = [await person(harness, 5000 + n) for n in range(3)]
    other = await person(harness, 6000, "muensterland")
    admin = harness.admin()
    await admin.command("start")
    await harness.deliver()  # the admin's own news offer, out of the way of the counts
    await admin.command("rundschreiben")
    await send_formatted(admin)
    assert "An wen soll das Rundschreiben gehen?" in admin.last.text
    labels = admin.last.button_labels()
    assert labels[0] == "Alle (4)"  # the four citizens who said yes to the news
    assert "Region Köln (3)" in labels and "Münsterland (1)" in labels
    assert "Region Aachen (0)" in labels and labels[-1] == "✖️ Abbrechen"
    await admin.tap("Region Köln (3)")
    preview = admin.last
    assert preview.text.startswith(
        "Vorschau – genau so erhalten es 3 Personen (Abonnierende von Region Köln):"
    )
    assert HTML in preview.html and preview.text.endswith("Jetzt senden?")
    edits_before = len(harness.api.calls_to("editMessageText"))
    await admin.tap("📣 Jetzt senden")
    assert preview.text.startswith("Rundschreiben bestätigt – es wird an 3 Personen versendet.")
    assert preview.button_labels() == []
    progress = admin.last
    assert progress.text.startswith("📣 Rundschreiben an Abonnierende von Region Köln")
    assert "zugestellt: 0 von 3 …" in progress.text
    report = await harness.deliver()
    assert report.sent == 3
    for fan in fans:
        assert [m.html for m in fan.messages if HTML in m.html] == [fan.last.html]
        assert fan.last.html.endswith("\n\n" + HTML)  # below the sender line
        assert [e["type"] for e in fan.last.entities] == ["bold", "bold", "text_link"]
    assert [t for t in other.texts() if TEXT in t] == []
    assert admin.last is progress  # edited in place, no new message
    assert progress.text.startswith("✅ Rundschreiben an Abonnierende von Region Köln")
    assert "Empfängerinnen und Empfänger: 3\nZugestellt: 3\nHaben den Bot blockiert: 0\n" in (
        progress.text
    )
    assert progress.text.endswith("Fehlgeschlagen: 0")
    assert await harness.data.broadcasts.unfinished() == []
    await harness.deliver()  # nothing more to say
    edits = harness.api.calls_to("editMessageText")[edits_before:]
    assert len(edits) == 2  # the confirmation and the final report


async def test_broadcast_to_everyone_with_a_blocked_user_and_retry_after(
    harness: Harness,
) -> None:
    users = [await person(harness, 5000 + n, region=None) for n in range(3)]
    admin = await compose(harness, "Alle (3)")
    assert "genau so erhalten es 3 Personen (alle mit Neuigkeiten-Abo)" in (admin.last.text)
    await admin.tap("📣 Jetzt senden")
    progress = admin.last
    monotonic = Ticks()
    harness.data.dispatcher.pacer = Pacer(
        rate=None, per_chat=0.0, monotonic=monotonic, sleep=monotonic.sleep
    )
    harness.api.block(users[0].user_id)
    harness.api.fail_next("sendMessage", status=429, retry_after=1)
    report = await harness.deliver()
    assert (report.sent, report.blocked, report.too_many_requests) == (2, 1, 1)
    for user in users[1:]:
        assert [t for t in user.texts() if TEXT in t] == [user.last.text]  # exactly once
    assert [t for t in admin.texts() if t.startswith("📣 Rundschreiben von")] == []  # no yes
    assert "Zugestellt: 2\nHaben den Bot blockiert: 1\nFehlgeschlagen: 0" in progress.text
    assert [c.status for c in harness.api.errors] == [429, 403]
    harness.api.errors.clear()


async def test_progress_is_edited_at_most_every_three_seconds(harness: Harness) -> None:
    for n in range(5):
        await person(harness, 5000 + n)
    monotonic = Ticks()
    reporter = progress_reporter(harness.data)
    reporter.monotonic = monotonic

    def one_second_per_message(_message: OutboxMessage) -> None:
        monotonic.now += 1.0

    harness.data.dispatcher = Dispatcher(
        harness.app.bot,
        harness.data.outbox,
        harness.clock,
        pacer=Pacer(rate=None, per_chat=0.0),
        batch=1,
        after_drain=harness.data.run_after_drain,
        on_sent=one_second_per_message,
    )
    admin = await compose(harness, "Region Köln (5)")
    await admin.tap("📣 Jetzt senden")
    progress = admin.last
    assert "zugestellt: 0 von 5" in progress.text
    edits_before = len(harness.api.calls_to("editMessageText"))
    await reporter()
    monotonic.now += 10
    await reporter()  # nothing changed: no edit (Telegram refuses "message is not modified")
    assert len(harness.api.calls_to("editMessageText")) == edits_before
    await harness.deliver()  # one message per batch, each taking a second
    edits = [c.params["text"] for c in harness.api.calls_to("editMessageText")][edits_before:]
    assert len(edits) == 3
    assert "zugestellt: 1 von 5" in edits[0]  # 11 s after the last edit
    assert "zugestellt: 4 von 5" in edits[1]  # 3 s later; not after 1 or 2 s
    assert "Zugestellt: 5" in edits[2]  # the final report without waiting
    assert progress.edited == 3


async def test_a_second_confirm_tap_does_not_send_twice(harness: Harness) -> None:
    fan = await person(harness, 5001)
    admin = await compose(harness, "Region Köln (1)")
    await tap_twice(admin, "📣 Jetzt senden")
    assert await harness.data.broadcasts.unfinished() == [1]
    await harness.deliver()
    assert [t for t in fan.texts() if TEXT in t] == [fan.last.text]
    broadcast = await harness.data.broadcasts.get(1)
    assert broadcast is not None and (broadcast.total, broadcast.sent) == (1, 1)
    assert await harness.data.broadcasts.get(2) is None


async def test_a_deleted_progress_message_is_replaced(harness: Harness) -> None:
    await person(harness, 5001)
    admin = await compose(harness, "Region Köln (1)")
    await admin.tap("📣 Jetzt senden")
    progress = admin.last
    await harness.app.bot.delete_message(ADMIN_ID, progress.message_id)
    await harness.deliver()
    assert admin.last.message_id != progress.message_id
    assert admin.last.text.startswith("✅ Rundschreiben an Abonnierende von Region Köln")
    broadcast = await harness.data.broadcasts.get(1)
    assert broadcast is not None and broadcast.progress_message_id == admin.last.message_id
    assert [c.description for c in harness.api.errors] == ["Bad Request: message to edit not found"]
    harness.api.errors.clear()


async def test_an_unfinished_broadcast_is_completed_after_a_restart(
    settings: Settings, clock: FakeClock
) -> None:
    api = FakeBotApi()
    async with running(settings, clock, api) as first:
        fan = await person(first, 5001)
        admin = await compose(first, "Region Köln (1)")
        await admin.tap("📣 Jetzt senden")
        progress = admin.last
    async with running(settings, clock, api) as second:
        assert await second.data.broadcasts.unfinished() == [1]
        await second.deliver()
        assert [t for t in api.messages(fan.user_id) if TEXT in t.text] != []
        assert progress.text.startswith("✅ Rundschreiben an Abonnierende von Region Köln")
        assert await second.data.broadcasts.unfinished() == []
        assert second.errors == []
        api.assert_no_errors()


async def test_text_too_long_sticker_and_an_empty_audience(harness: Harness) -> None:
    await person(harness, 5001, region=None)
    admin = harness.admin()
    await admin.command("rundschreiben")
    await refused(
        harness, admin, "x" * 3501, "⚠️ Das ist zu lang: 3501 Zeichen, erlaubt sind höchstens 3500."
    )
    await admin.send_sticker()
    assert admin.texts()[-2] == "Bitte antworten Sie mit einer Textnachricht."
    assert "Schreiben Sie den Text des Rundschreibens" in admin.last.text
    await admin.send("Kurz & <knapp>")
    await admin.tap("Region Aachen (0)")
    assert admin.answers[-1].text == "Diese Zielgruppe erreicht niemanden."
    await admin.tap("Alle (1)")
    assert "Kurz &amp; &lt;knapp&gt;" in admin.last.html
    await admin.tap("« Zurück")
    assert "An wen soll das Rundschreiben gehen?" in admin.last.text
    await admin.tap("✖️ Abbrechen")
    assert admin.last.text == "Abgebrochen. Es wurde nichts gespeichert."
    assert await harness.data.broadcasts.unfinished() == []


@pytest.mark.parametrize("command", ["rundschreiben", "broadcast"])
async def test_the_command_has_a_german_and_an_english_name(harness: Harness, command: str) -> None:
    admin = harness.admin()
    await admin.command(command)
    assert "Rundschreiben" in admin.last.text
