"""Outbox messages carry their buttons as the Bot API's JSON; older rows are migrated (0010)."""

from __future__ import annotations

import json
from pathlib import Path

from bot.offline.fake_api import FakeBotApi
from messages import actions as cb
from storage.migrate import available_migrations, split_statements

from conftest import FakeClock, Harness, make_settings, running
from stories.workshops import add_workshop

CHAT = 4711


async def payloads(h: Harness, kind: str) -> list[dict[str, object]]:
    """The payloads of the outbox rows of a kind, oldest first."""
    rows = await h.data.db.fetchall(
        "SELECT payload FROM outbox WHERE kind = ? ORDER BY id", (kind,)
    )
    return [json.loads(r["payload"]) for r in rows]


async def test_a_notice_is_stored_with_the_keyboard_it_is_sent_with(harness: Harness) -> None:
    erika = harness.user(CHAT)
    await erika.command("start")
    region = await harness.data.regions.get_by_slug("koeln")
    assert region is not None
    await harness.data.workshops.repo.subscribe_region(region.id, CHAT, True, harness.clock())
    workshop_id = await add_workshop(harness)
    [stored] = await payloads(harness, "workshop_new")
    assert stored["reply_markup"] == {
        "inline_keyboard": [
            [{"text": "Details", "callback_data": cb.ShowWorkshop(workshop_id).encode()}]
        ]
    }
    assert "buttons" not in stored
    await harness.deliver()
    assert erika.last.buttons == [["Details"]]


def _old(text: str, buttons: list[list[dict[str, str]]] | None) -> str:
    """A payload as the outbox held it before migration 10."""
    payload: dict[str, object] = {"text": text}
    if buttons is not None:
        payload["buttons"] = buttons
    return json.dumps(payload, ensure_ascii=False)


async def test_rows_written_before_migration_10_are_sent_with_their_buttons(
    db_path: Path, clock: FakeClock
) -> None:
    settings = make_settings(db_path)
    api = FakeBotApi()
    async with running(settings, clock, api) as h:
        await h.user(CHAT).command("start")
        workshop_id = await add_workshop(h)
        details = cb.ShowWorkshop(workshop_id).encode()
        cannot = cb.CannotCome(workshop_id).encode()
        old = [
            (
                "pending",
                _old(
                    "Erinnerung – mit „Umlauten“",
                    [
                        [{"text": "Ich kann doch nicht", "data": cannot}],
                        [{"text": "Details", "data": details}, {"text": "Mehr", "data": details}],
                        [{"text": "Website", "url": "https://example.org/ideenlabor"}],
                    ],
                ),
            ),
            ("pending", _old("Ohne Knöpfe", [])),
            ("pending", _old("Nur Text", None)),
            ("sent", _old("Schon gesendet", [[{"text": "Details", "data": details}]])),
        ]
        db = h.data.db
        for number, (state, payload) in enumerate(old):
            await db.execute(
                "INSERT INTO outbox (chat_id, kind, dedupe_key, payload, state, not_before,"
                " created_at) VALUES (?, 'reminder', ?, ?, ?, '2026-11-25T10:00:00.000000Z',"
                " '2026-11-25T10:00:00.000000Z')",
                (CHAT, f"old:{number}", payload, state),
            )
        # The upgrade of a version-9 database: migration 10 as storage.migrate applies it
        # (later migrations are there too, so deleting its record would not re-run it).
        (ten,) = [m for m in available_migrations() if m.version == 10]
        async with db.transaction() as tx:
            for statement in split_statements(ten.sql):
                await tx.execute(statement)
    async with running(settings, clock, api) as h:
        version = await h.data.db.fetchone("SELECT MAX(version) AS v FROM schema_migrations")
        assert version is not None and version["v"] >= 10
        converted = await payloads(h, "reminder")
        assert converted[0] == {
            "text": "Erinnerung – mit „Umlauten“",
            "reply_markup": {
                "inline_keyboard": [
                    [{"text": "Ich kann doch nicht", "callback_data": cannot}],
                    [
                        {"text": "Details", "callback_data": details},
                        {"text": "Mehr", "callback_data": details},
                    ],
                    [{"text": "Website", "url": "https://example.org/ideenlabor"}],
                ]
            },
        }
        assert converted[1:] == [
            {"text": "Ohne Knöpfe"},
            {"text": "Nur Text"},
            {
                "text": "Schon gesendet",
                "reply_markup": {
                    "inline_keyboard": [[{"text": "Details", "callback_data": details}]]
                },
            },
        ]
        report = await h.deliver()
        assert report.sent == 4 and report.failed == 0  # and the news offer to Erika
        erika = h.user(CHAT)
        reminder = next(m for m in erika.messages if m.text.startswith("Erinnerung"))
        assert reminder.buttons == [["Ich kann doch nicht"], ["Details", "Mehr"], ["Website"]]
        assert [m.buttons for m in erika.messages[-2:]] == [[], []]
        shown = await erika.tap("Details", message=reminder)  # the reminder becomes the detail
        assert shown.text.startswith("Gute Arbeit in Köln") and shown.edited
        h.api.assert_no_errors()
        assert h.errors == []
