"""„🛠 Idee verwalten“: news, status, archive and restore reach the idea's followers through
the outbox, in their language, with a button to the idea; the author is not told; every change
is audited and happens once, also when Telegram fails after it."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from staff_helpers import CONTACT, IDEA, audit_rows, contact_of, count, follower, idea

from bot.cli import main
from bot.config import Settings
from bot.flood import ATTEMPTS

from conftest import ADMIN_ID, FakeClock, Harness, running
from stories.dialogues import refused
from stories.taps import tap_twice

NEWS = "Der erste Stammtisch findet am 3. März in Münster statt."
REFUSED = "Dafür fehlt Ihnen die Berechtigung. Ihr Versuch wurde protokolliert."


async def open_menu(h: Harness, user_id: int, slug: str = IDEA, first_name: str = "Clara") -> None:
    """The staff member opens the idea by deep link and taps „🛠 Idee verwalten“."""
    person = h.user(user_id, first_name)
    await person.command("start", f"idea_{slug}")
    await person.tap("🛠 Idee verwalten")
    assert person.last.text.startswith("🛠 Idee verwalten:")


async def notices(h: Harness, kind: str) -> list[tuple[int, str]]:
    """(recipient, dedupe key) of the queued notices of a kind."""
    rows = await h.data.db.fetchall(
        "SELECT chat_id, dedupe_key FROM outbox WHERE kind = ? ORDER BY chat_id", (kind,)
    )
    return [(int(r["chat_id"]), str(r["dedupe_key"])) for r in rows]


async def test_a_follower_receives_the_news_a_contact_posts(harness: Harness) -> None:
    erika = await follower(harness, 6001)
    emma = await follower(harness, 6002, "en")
    contact = await contact_of(harness, "muensterland")
    await follower(harness, CONTACT)  # the contact follows too: not told of their own news
    the_idea = await idea(harness)
    await open_menu(harness, CONTACT)
    assert "Region: Münsterland" in contact.last.text and "3 Personen folgen" in contact.last.text
    await contact.tap("📰 Neuigkeit schreiben")
    assert "Schreiben Sie die Neuigkeit (höchstens 1000 Zeichen)." in contact.last.text
    assert "2 Personen, die der Idee folgen, werden benachrichtigt." in contact.last.text
    await contact.send("  ")  # nothing: asked again
    await refused(
        harness, contact, "x" * 1001, "Das ist zu lang: 1001 Zeichen, erlaubt sind höchstens 1000."
    )
    await contact.send(NEWS)
    preview = contact.last.text
    assert preview.startswith("Vorschau – genau so erhalten es alle, die der Idee folgen:")
    assert f"📰 Neuigkeit zur Idee „{the_idea.title}“" in preview and NEWS in preview
    await contact.tap("✅ Veröffentlichen")
    assert "✅ Die Neuigkeit ist veröffentlicht." in contact.last.text
    assert "2 Personen, die der Idee folgen, werden benachrichtigt." in contact.last.text
    assert await audit_rows(harness, "idea_news") == [(str(CONTACT), f"idea:{the_idea.id}")]
    assert [r for r, _ in await notices(harness, "idea_news")] == [6001, 6002]

    await harness.deliver()
    german = erika.last
    assert german.text.startswith(f"📰 Neuigkeit zur Idee „{the_idea.title}“")
    assert NEWS in german.text
    assert "Sie erhalten diese Nachricht, weil Sie der Idee folgen." in german.text
    english = emma.last
    assert english.text.startswith("📰 News on the idea “")
    assert f"{NEWS} (auf Deutsch)" not in english.text and f"{NEWS} (in German)" in english.text
    assert "You receive this message because you follow the idea." in english.text
    assert english.button_labels() == ["💡 Open the idea"]
    await emma.tap("💡 Open the idea")
    assert the_idea.title in emma.last.text or (the_idea.title_en or "") in emma.last.text
    assert not any("Neuigkeit zur Idee" in text for text in contact.texts())
    timeline = await harness.data.idea_staff.timeline.latest_news(the_idea.id)
    assert [(n.kind, n.text, n.posted_by) for n in timeline][:1] == [("news", NEWS, CONTACT)]


async def test_a_status_change_notifies_the_followers(harness: Harness) -> None:
    erika = await follower(harness, 6001)
    the_idea = await idea(harness)
    admin = harness.admin()
    await open_menu(harness, ADMIN_ID, first_name="Ada")
    await admin.tap("🚦 Status ändern")
    assert "Welcher Stand gilt jetzt?" in admin.last.text
    current = admin.last.button_labels()
    assert "in Umsetzung" in current and len([s for s in current if s == "Idee"]) <= 1
    await admin.tap("in Umsetzung")
    assert "Neuer Stand: in Umsetzung." in admin.last.text
    await admin.send("Ein Pilotbetrieb in Münster beginnt im April.")
    assert "🚦 Neuer Stand der Idee" in admin.last.text and "in Umsetzung" in admin.last.text
    await admin.tap("✅ Speichern und benachrichtigen")
    assert "✅ Der Stand ist jetzt „in Umsetzung“." in admin.last.text
    assert (await idea(harness)).status == "implementation"
    assert await audit_rows(harness, "idea_status") == [(str(ADMIN_ID), f"idea:{the_idea.id}")]
    await harness.deliver()
    assert erika.last.text.startswith(f"🚦 Neuer Stand der Idee „{the_idea.title}“: in Umsetzung")
    assert "Ein Pilotbetrieb in Münster beginnt im April." in erika.last.text
    assert erika.last.button_labels() == ["💡 Zur Idee"]


async def test_an_admin_archives_an_idea_and_its_followers_are_told(harness: Harness) -> None:
    erika = await follower(harness, 6001)
    emma = await follower(harness, 6002, "en")
    the_idea = await idea(harness)
    region_count = await count(
        harness, "SELECT idea_count FROM regions WHERE id = ?", the_idea.region_id
    )
    admin = harness.admin()
    await open_menu(harness, ADMIN_ID, first_name="Ada")
    await admin.tap("🗄 Archivieren")
    assert "Warum wird die Idee archiviert?" in admin.last.text
    await admin.send("Das Netzwerk hat sich aufgelöst.")
    assert "🗄 Die Idee „" in admin.last.text and "Grund: Das Netzwerk hat sich aufgelöst." in (
        admin.last.text
    )
    await admin.tap("🗄 Ja, archivieren")
    assert "🗄 Die Idee ist archiviert" in admin.last.text
    assert "2 Personen, die der Idee folgen, werden benachrichtigt." in admin.last.text
    assert (await idea(harness)).archived
    assert await count(
        harness, "SELECT idea_count FROM regions WHERE id = ?", the_idea.region_id
    ) == (region_count - 1)
    page = await harness.data.ideas.page_by_region(the_idea.region_id, 0)
    assert the_idea.id not in [i.id for i in page.items]
    await harness.deliver()
    assert erika.last.text.startswith(f"🗄 Die Idee „{the_idea.title}“ wurde archiviert")
    assert "Grund: Das Netzwerk hat sich aufgelöst." in erika.last.text
    assert emma.last.text.startswith("🗄 The idea “")
    assert "Reason: Das Netzwerk hat sich aufgelöst. (in German)" in emma.last.text

    await admin.command("archiv")
    assert "1 archivierte Idee" in admin.last.text
    await admin.tap(the_idea.title[:20])
    assert "🗄 Archiviert seit" in admin.last.text
    assert admin.last.button_labels()[0] == "♻️ Wiederherstellen"
    await admin.tap("♻️ Wiederherstellen")
    assert "2 Personen, die der Idee folgen, werden benachrichtigt." in admin.last.text
    confirm = admin.last.callback_data("♻️ Ja, wiederherstellen")
    await admin.tap("♻️ Ja, wiederherstellen")
    assert "♻️ Die Idee ist wieder für alle sichtbar." in admin.last.text
    await admin.tap_data(confirm or "", message=admin.last)  # a second tap: nothing again
    assert "nicht (mehr) archiviert" in admin.last.text
    assert not (await idea(harness)).archived
    await harness.deliver()
    assert erika.last.text.startswith(f"♻️ Die Idee „{the_idea.title}“ ist wieder im Bot zu sehen")
    assert [(a, t) for a, t in await audit_rows(harness, "idea_archive")] == [
        (str(ADMIN_ID), f"idea:{the_idea.id}")
    ]
    assert len(await audit_rows(harness, "idea_restore")) == 1
    await admin.command("archiv")
    assert admin.last.text == "🗄 Es gibt keine archivierten Ideen in Ihren Regionen."


async def test_a_failed_reply_after_the_news_neither_loses_nor_repeats_it(
    harness: Harness,
) -> None:
    await follower(harness, 6001)
    contact = await contact_of(harness, "muensterland")
    await open_menu(harness, CONTACT)
    await contact.tap("📰 Neuigkeit schreiben")
    await contact.send(NEWS)
    harness.api.fail_next("editMessageText", status=502, times=ATTEMPTS)
    await tap_twice(contact, "✅ Veröffentlichen")  # committed; the edit that would say so fails
    assert await count(harness, "SELECT COUNT(*) FROM idea_news WHERE text = ?", NEWS) == 1
    assert len(await notices(harness, "idea_news")) == 1
    assert len(await audit_rows(harness, "idea_news")) == 1
    assert harness.errors == []
    assert [c.endpoint for c in harness.api.errors] == ["editMessageText"] * ATTEMPTS
    harness.api.errors.clear()


async def test_a_citizen_cannot_manage_and_sees_no_staff_button(harness: Harness) -> None:
    erika = harness.user(6001)
    await erika.command("start", f"idea_{IDEA}")
    assert "🛠 Idee verwalten" not in erika.last.button_labels()
    await erika.command("archiv")
    assert erika.last.text == REFUSED


def test_the_command_line_archive_tells_the_followers(
    settings: Settings,
    clock: FakeClock,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    async def follow() -> None:
        async with running(settings, clock) as h:
            await follower(h, 6001)
            await follower(h, 6002, "en")

    async def delivered() -> None:
        async with running(settings, clock) as h:
            the_idea = await idea(h)
            assert await audit_rows(h, "idea_archive") == [("cli", f"idea:{the_idea.id}")]
            row = await h.data.db.fetchone(
                "SELECT details FROM audit_log WHERE action = 'idea_archive'"
            )
            assert row is not None
            assert json.loads(row["details"]) == {"reason": "Nicht mehr im Export.", "slug": IDEA}
            await h.deliver()
            assert h.user(6001).last.text.startswith("🗄 Die Idee „")
            assert "Reason: Nicht mehr im Export. (in German)" in h.user(6002).last.text

    asyncio.run(follow())
    monkeypatch.chdir(tmp_path)  # no .env
    monkeypatch.setenv("IDEENLABOR_DB", str(settings.db_path))
    monkeypatch.delenv("IDEENLABOR_ADMINS", raising=False)
    monkeypatch.setattr("bot.cli.utc_now", clock)
    assert main(["archive-idea", IDEA, "--reason", "Nicht mehr im Export."]) == 0
    out = capsys.readouterr().out
    assert "archived: citizens no longer see it" in out
    assert "2 follower(s) will be told by the running bot" in out
    asyncio.run(delivered())


async def test_followers_are_told_batch_by_batch_each_once(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("bot.services.ideas.FAN_OUT_BATCH", 2)  # 3 batches for 5 followers
    for user_id in range(6001, 6006):
        await follower(harness, user_id, "en" if user_id % 2 else "de")
    await contact_of(harness, "muensterland")
    await follower(harness, CONTACT)
    the_idea = await idea(harness)
    service = harness.data.idea_staff
    news_id, told = await service.post_news(CONTACT, the_idea.id, NEWS)
    assert told == 5
    queued = await notices(harness, "idea_news")
    assert [r for r, _ in queued] == [6001, 6002, 6003, 6004, 6005]
    assert len({key for _, key in queued}) == 5 and all(str(news_id) in k for _, k in queued)
    change, told = await service.set_status(CONTACT, the_idea.id, "dormant")
    assert change is not None and told == 5
    assert await service.set_status(CONTACT, the_idea.id, "dormant") == (None, 0)
    assert len(await notices(harness, "idea_status")) == 5


async def test_the_staff_screens_in_english(harness: Harness) -> None:
    erika = await follower(harness, 6001)
    clara = await contact_of(harness, "muensterland", language="en")
    the_idea = await idea(harness)
    await clara.command("start", f"idea_{IDEA}")
    await clara.tap("🛠 Manage idea")
    assert clara.last.text.startswith("🛠 Manage idea:")
    assert "Region: Münsterland · Status: idea" in clara.last.text
    assert clara.last.buttons[:2] == [["✏️ Edit", "📰 Post news"], ["🚦 Change status", "🗄 Archive"]]
    await clara.tap("📰 Post news")
    assert "Write the news (at most 1000 characters)." in clara.last.text
    await clara.send("Das erste Treffen ist am 3. März.")
    assert clara.last.text.startswith(
        "Preview – exactly what everyone following the idea will get:"
    )
    assert "Das erste Treffen ist am 3. März. (in German)" in clara.last.text
    await clara.tap("✅ Publish")
    assert "✅ The news is published. 1 person following the idea is notified." in clara.last.text
    await clara.tap("« Manage idea")
    await clara.tap("🗄 Archive")
    assert "Why is the idea archived?" in clara.last.text
    await clara.send("Merged into another idea.")
    await clara.tap("🗄 Yes, archive")
    assert "🗄 The idea is archived and no longer visible to citizens." in clara.last.text
    await clara.command("archived")
    assert clara.last.text.startswith("🗄 1 archived idea")
    await harness.deliver()
    assert erika.texts()[-2].startswith(f"📰 Neuigkeit zur Idee „{the_idea.title}“")
    assert erika.last.text.startswith(f"🗄 Die Idee „{the_idea.title}“ wurde archiviert")
