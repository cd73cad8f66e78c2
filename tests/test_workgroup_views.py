"""Working groups on the region view, the working-group view, and contacts linked by import."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from workgroup_helpers import CONTACT_ID, GROUP, bundle, load, rows

from bot import cli
from bot.config import Settings
from bot.importfile import parse_bundle
from messages import actions as cb
from messages.actions import RegionGroups, ShowGroup

from conftest import Harness
from stories.workgroups import registered


async def region_id(harness: Harness, slug: str) -> int:
    row = await harness.data.db.fetchone("SELECT id FROM regions WHERE slug = ?", (slug,))
    assert row is not None
    return int(row["id"])


async def open_region(harness: Harness, slug: str = "niederrhein") -> None:
    erika = harness.user()
    await erika.command("regionen")
    await erika.tap_data(cb.RegionIdeas(await region_id(harness, slug), 0).encode())


async def test_region_list_shows_groups_contact_and_button(harness: Harness) -> None:
    await load(harness)
    await open_region(harness)
    erika = harness.user()
    text = erika.last.text
    assert f"👥 Arbeitsgruppen: {GROUP}" in text
    assert "📇 Ansprechperson: Anna Schmidt (Regionalagentur NiederRhein)" in text
    assert "anna.schmidt@example.org" not in text and "02841" not in text
    assert ["👥 Arbeitsgruppen"] in erika.last.buttons
    assert erika.last.buttons[-1] == ["« Hauptmenü"]


async def test_region_without_groups_has_no_button(harness: Harness) -> None:
    await open_region(harness, "koeln")  # nothing imported yet
    erika = harness.user()
    assert "Arbeitsgruppe" not in erika.last.text
    assert ["👥 Arbeitsgruppen"] not in erika.last.buttons


async def test_region_line_escaped_and_bounded(harness: Harness) -> None:
    data = bundle()
    groups = data["working_groups"]
    assert isinstance(groups, list)
    groups[0]["name"] = "<b>AG</b> & " + "Lang " * 37
    groups.append({"slug": "ag-2", "name": "Zweite AG", "region": "niederrhein"})
    await harness.data.importer.apply(parse_bundle(data), harness.clock())
    await open_region(harness)
    erika = harness.user()
    line = next(x for x in erika.last.text.splitlines() if x.startswith("👥 Arbeitsgruppen"))
    assert "<b>AG</b> &" in line and len(line) < 230 and line.endswith("…")
    await erika.tap("👥 Arbeitsgruppen")
    assert "Arbeitsgruppen: NiederRhein" in erika.last.text
    await erika.tap("Zweite AG")
    assert "Die Arbeitsgruppe trägt noch keine Idee" in erika.last.text
    assert not harness.errors


async def test_group_view_and_join_from_it(harness: Harness) -> None:
    await load(harness)
    await open_region(harness)
    erika = harness.user()
    await erika.tap("👥 Arbeitsgruppen")  # one group: straight to it
    text = erika.last.text
    assert f"Arbeitsgruppe {GROUP}" in text and "Region: NiederRhein" in text
    assert "Wir bringen die Idee voran." in text and "Nimmt neue Mitwirkende auf" in text
    assert "Ansprechperson: Anna Schmidt, Regionalagentur NiederRhein" in text
    assert erika.last.buttons[0] == ["🙋 Mitmachen"]
    idea_buttons = [b for [b] in erika.last.buttons if "Sexy" in b or "sexy" in b.lower()]
    assert idea_buttons, erika.last.buttons
    await erika.tap("🙋 Mitmachen")
    assert "Mitmachen in der Arbeitsgruppe „Fachkräfte NiederRhein“" in erika.last.text
    await erika.tap("✅ Übernehmen: Erika")
    for _ in range(3):
        await erika.tap("⏭ Überspringen")
    await erika.tap("✅ Einverstanden, senden")
    [row] = await rows(harness)
    assert row["status"] == "new"
    # the idea buttons lead to the idea
    await open_region(harness)
    await erika.tap("👥 Arbeitsgruppen")
    await erika.tap(idea_buttons[0])
    assert "🙋 Mitmachen" in [b for r in erika.last.buttons for b in r]


async def test_closed_group_has_no_join_and_forged_ids_refused(harness: Harness) -> None:
    data = bundle()
    groups = data["working_groups"]
    assert isinstance(groups, list)
    groups[0]["open"] = False
    await harness.data.importer.apply(parse_bundle(data), harness.clock())
    await open_region(harness)
    erika = harness.user()
    await erika.tap("👥 Arbeitsgruppen")
    assert "Nimmt derzeit niemanden auf" in erika.last.text
    assert ["🙋 Mitmachen"] not in erika.last.buttons
    await erika.tap_data(ShowGroup(9999).encode())
    assert "Das gibt es leider nicht mehr" in erika.last.text
    await open_region(harness)
    await erika.tap_data(RegionGroups(9999).encode())
    assert "Das gibt es leider nicht mehr" in erika.last.text
    assert not harness.errors


async def test_import_links_contact_and_delivers_waiting(
    harness: Harness,
    settings: Settings,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(cli, "utc_now", harness.clock)  # the CLI's clock, as the bot's
    await load(harness)
    erika = await registered(harness, email="erika@example.org")
    await harness.deliver()
    data = bundle()
    contacts = data["contacts"]
    assert isinstance(contacts, list)
    contacts[0]["telegram_id"] = CONTACT_ID
    path = tmp_path / "contacts.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    assert await cli._import(settings, path) == 0
    out = capsys.readouterr().out
    assert "2 working groups, 1 contacts" in out
    assert "1 waiting registration(s) queued for linked contacts" in out
    await harness.deliver()
    anna = harness.user(CONTACT_ID, "Anna")
    assert "Neue Meldung für die Arbeitsgruppe" in anna.last.text
    assert "E-Mail: erika@example.org" in anna.last.text
    assert anna.last.buttons == [["✅ Als kontaktiert markieren"]]
    # importing again sends nothing twice
    assert await cli._import(settings, path) == 0
    assert "waiting" not in capsys.readouterr().out
    before = len(anna.messages)
    await harness.deliver()
    assert len(anna.messages) == before
    await anna.tap("✅ Als kontaktiert markieren")
    await harness.deliver()
    assert "Anna Schmidt hat Ihre Meldung" in erika.last.text
