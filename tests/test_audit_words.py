"""The audit log and the role list in words: people by name, things by title, never JSON."""

from __future__ import annotations

import ast
import datetime as dt
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from workgroup_helpers import link_contact, load

from messages import roles as views
from messages.catalog import LANGUAGES
from storage.audit import ACTIONS, CLI, AuditNote, AuditSubjects
from storage.collation import sort_key
from storage.models import AuditEntry

from conftest import ADMIN_ID, Harness
from stories.audit import assert_in_words, plain

ROOT = Path(__file__).resolve().parent.parent
BERLIN = ZoneInfo("Europe/Berlin")
# 10:20 UTC is 11:20 in Berlin (winter time): the log shows the bot's time zone.
WHEN = dt.datetime(2026, 11, 25, 10, 20, tzinfo=dt.UTC)
ANNA, GERT = 5001, 4800


def _strings(node: ast.AST) -> set[str]:
    return {
        n.value for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str)
    }


def written_actions() -> set[str]:
    """Every audit action the code writes, found in the source: the action argument of each
    AuditNote(actor, action, …) and AuditNote.by_user(user, action, …) call, a literal or a
    name assigned in the same function (`action = "…" if … else "…"`)."""
    found: set[str] = set()
    for folder in ("bot", "handlers", "storage"):
        for path in (ROOT / folder).rglob("*.py"):
            tree = ast.parse(path.read_text("utf-8"))
            for function in ast.walk(tree):
                if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                    continue
                assigned: dict[str, set[str]] = {}
                for node in ast.walk(function):
                    if isinstance(node, ast.Assign):
                        for target in node.targets:
                            if isinstance(target, ast.Name):
                                assigned.setdefault(target.id, set()).update(_strings(node.value))
                for node in ast.walk(function):
                    if not isinstance(node, ast.Call) or len(node.args) < 2:
                        continue
                    name = ast.unparse(node.func)
                    if name not in ("AuditNote", "AuditNote.by_user"):
                        continue
                    action = node.args[1]
                    if isinstance(action, ast.Name):
                        found |= assigned.get(action.id, set())
                    else:
                        found |= _strings(action)
    return found


# A row as the code writes each action (target and details as in the calls found above).
SAMPLES: dict[str, tuple[str, dict[str, object]]] = {
    "role_grant": ("user:4800", {"role": "contact", "region": "koeln"}),
    "role_revoke": ("user:4800", {"role": "admin"}),
    "workshop_create": ("workshop:2", {"region": "koeln", "title": "Gute Arbeit in Köln"}),
    "workshop_edit": ("workshop:2", {"changed": ["title", "starts_at"], "title": "Faire Arbeit"}),
    "workshop_cancel": ("workshop:2", {"title": "Faire Arbeit"}),
    "broadcast": (
        "broadcast:1",
        {"audience": "region:1", "recipients": 1, "text": "<b>Liebe</b> Mitwirkende"},
    ),
    "moderation": ("comment:7", {"decision": "reject", "reason": "Beleidigend"}),
    "contact_invite": ("region:niederrhein", {"contact_id": 9}),
    "contact_remove": ("user:5001", {"region_id": 2}),
    "interest_contacted": ("registration:6", {}),
    "export_interested": ("regions:1,2", {"count": 3}),
    "export_participants": ("workshop:2", {"count": 1}),
    "import": ("file:import.yaml", {"regions": 16, "ideas": 1, "workshops": 2, "news": 0}),
    "idea_archive": ("idea:5", {"slug": "veedel", "reason": "Doppelt"}),
    "idea_restore": ("idea:5", {"slug": "veedel"}),
    "idea_create": ("idea:5", {"slug": "veedel", "title": "Gute Arbeit im Veedel"}),
    "idea_edit": ("idea:5", {"changed": ["title", "summary_en"], "title": "Im Veedel"}),
    "idea_status": ("idea:5", {"old": "idea", "new": "elaboration", "note": "Los geht’s"}),
    "idea_news": ("idea:5", {"news_id": 3, "text": "Die Werkstatt ist eröffnet."}),
    "group_create": ("group:4", {"slug": "werkstatt", "name": "Werkstätten", "open": False}),
    "group_edit": ("group:4", {"changed": ["name"], "name": "Offene Werkstätten"}),
    "group_open": ("group:4", {}),
    "group_close": ("group:4", {}),
    "group_link": ("group:4", {"idea": "veedel"}),
    "group_unlink": ("group:4", {"idea": "veedel"}),
    "profile_publish": ("contact:9", {"region_id": 2, "shown": ["name", "organisation"]}),
    "profile_unpublish": ("region:2", {"region_id": 2}),
}
KNOWN = AuditSubjects(
    people={ANNA: "Anna Schmidt"},
    things={
        "region:1": ("Region Köln", "Cologne Region"),
        "region:koeln": ("Region Köln", "Cologne Region"),
        "region:2": ("NiederRhein", None),
        "region:niederrhein": ("NiederRhein", None),
        "workshop:2": ("Faire Arbeit in Köln", None),
        "comment:7": ("Lernwerkstatt", "Learning workshop"),
        "contact:9": ("Anna Schmidt", None),
        "registration:6": ("AG NiederRhein", None),
        "idea:5": ("Gute Arbeit im Veedel", None),
        "idea:veedel": ("Gute Arbeit im Veedel", None),
        "group:4": ("Werkstätten", None),
    },
)


def entry(
    action: str, target: str, details: dict[str, object], actor: str = "900001"
) -> AuditEntry:
    return AuditEntry(
        id=1, actor=actor, action=action, target=target, details=details, created_at=WHEN
    )


def test_the_source_writes_exactly_the_actions_the_log_knows() -> None:
    assert written_actions() == set(ACTIONS)
    assert set(SAMPLES) == set(ACTIONS)  # a new action needs its sample (and its sentence)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_every_written_action_reads_as_a_sentence(
    language: str, action: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def generic(_line: object) -> str:
        raise AssertionError(f"{action} fell back to the generic line")

    monkeypatch.setattr(views, "_generic", generic)
    target, details = SAMPLES[action]
    line = plain(views.audit_line(language, entry(action, target, details), KNOWN, BERLIN))
    assert_in_words(line)
    assert line.startswith("#1 · 25.11.2026, 11:20 · " if language == "de" else "#1 · 25 Nov")
    assert "ID 900001" in line


def test_the_sentences_name_people_things_and_reasons() -> None:
    def say(language: str, action: str, actor: str = str(ANNA)) -> str:
        target, details = SAMPLES[action]
        return plain(
            views.audit_line(language, entry(action, target, details, actor), KNOWN, BERLIN)
        )

    assert say("de", "role_grant", str(ADMIN_ID)).endswith(
        "ID 900001 (Name nicht bekannt) hat ID 4800 (Name nicht bekannt) die Rolle"
        " „regionale Ansprechperson für Region Köln“ vergeben."
    )
    assert say("en", "role_grant").endswith(
        "Anna Schmidt (ID 5001) granted ID 4800 (name not known) the role"
        " “regional contact for Cologne Region”."
    )
    assert say("de", "moderation").endswith(
        "Anna Schmidt (ID 5001) hat über den Kommentar Nr. 7 zur Idee „Lernwerkstatt“"
        " entschieden: abgelehnt. Begründung: „Beleidigend“"
    )
    assert "comment no. 7 on the idea “Learning workshop”: rejected." in say("en", "moderation")
    assert say("de", "broadcast").endswith(
        "an Abonnierende von Region Köln geschickt (1 Person): „Liebe Mitwirkende“"
    )
    assert say("de", "import", CLI).endswith(
        "Die Kommandozeile hat die Datei „import.yaml“ eingespielt: 16 Regionen, 1 Idee, 2 Termine."
    )
    assert "from “idea” to “being worked out”" in say("en", "idea_status")
    assert "geändert: Titel, Beginn." in say("de", "workshop_edit")
    assert "Anna Schmidt (ID 5001) hat ID 5001" not in say("de", "contact_remove")


@pytest.mark.parametrize("language", LANGUAGES)
def test_unknown_actions_old_rows_and_erased_people_still_read_in_words(language: str) -> None:
    rows = [
        entry("launch_rocket", "rocket:3", {"fuel": {"kind": "kerosene"}, "stages": [1, 2]}),
        entry("role_grant", "user:0", {"n": 3}, actor="0"),  # erased; details of another day
        entry("moderation", "note:4", {"decision": "approve", "reason": None}),
        entry("idea_status", "idea:99", {"old": "idea", "new": "dormant", "note": ""}),
        entry("group_open", "group:98", {}),
    ]
    for row in rows:
        line = plain(views.audit_line(language, row, AuditSubjects(), BERLIN))
        assert_in_words(line)
    first = plain(views.audit_line(language, rows[0], AuditSubjects(), BERLIN))
    assert ("launch rocket – rocket 3" in first) and ("fuel: kind kerosene; stages: 1, 2" in first)
    erased = plain(views.audit_line(language, rows[1], AuditSubjects(), BERLIN))
    assert "ID 0 (" in erased


# ---- end to end ------------------------------------------------------------------------------


async def _staff(harness: Harness) -> None:
    """A linked contact with a name (NiederRhein), a granted admin and a contact in Köln
    without one, some actions of theirs in the log."""
    await load(harness)
    await link_contact(harness)  # Anna Schmidt, imported contact of NiederRhein
    gert = harness.user(GERT, "Gert")
    await gert.command("start")
    admin = harness.admin()
    await admin.command("rolle_vergeben", str(GERT), "kontakt", "koeln")
    await admin.command("rolle_vergeben", str(GERT), "kontakt", "muensterland")
    await admin.command("rolle_vergeben", str(ANNA), "admin")


@pytest.mark.parametrize("language", LANGUAGES)
async def test_rollen_names_people_grouped_by_role_and_region(
    harness: Harness, language: str
) -> None:
    await _staff(harness)
    reader = harness.user(ADMIN_ID, "Ada", language_code=language)
    await reader.command("rollen" if language == "de" else "roles")
    text = reader.last.text
    if language == "de":
        assert "Admins\n👑 ID 900001 (Name nicht bekannt) – über die Konfiguration" in text
        assert (
            "🔑 Anna Schmidt (ID 5001) – vergeben von ID 900001 (Name nicht bekannt)"
            " am 25.11.2026" in text
        )
        assert (
            "Regionale Ansprechpersonen\n📍 Münsterland\n   • ID 4800 (Name nicht bekannt)" in text
        )
        regions = ["Münsterland", "NiederRhein", "Region Köln"]
    else:
        assert (
            "🔑 Anna Schmidt (ID 5001) – granted by ID 900001 (name not known) on 25 Nov 2026"
            in text
        )
        regions = ["Cologne Region", "Münsterland", "NiederRhein"]
    assert "   • Anna Schmidt (ID 5001) – " in text
    shown = re.findall(r"📍 (.+)", text)
    assert shown == regions == sorted(regions, key=sort_key)
    assert "{" not in text and "koeln" not in text


@pytest.mark.parametrize("language", LANGUAGES)
async def test_protokoll_tells_what_happened_in_words(harness: Harness, language: str) -> None:
    await _staff(harness)
    await harness.data.audit.add(
        AuditNote(CLI, "import", "file:import.yaml", {"ideas": 1}), harness.clock()
    )
    reader = harness.user(ADMIN_ID, "Ada", language_code=language)
    await reader.command("protokoll" if language == "de" else "audit")
    text = reader.last.text
    for line in text.splitlines()[3:]:
        assert_in_words(line)
    if language == "de":
        assert (
            "· 25.11.2026, 11:00 · ID 900001 (Name nicht bekannt) hat Anna Schmidt (ID 5001)"
            in text
        )
        assert "die Rolle „Admin“ vergeben." in text
        assert (
            "Anna Schmidt (ID 5001) hat eine Einladung angenommen und hat jetzt die Rolle"
            " „regionale Ansprechperson für NiederRhein“." in text
        )
        assert "hat Anna Schmidt als Ansprechperson für NiederRhein eingeladen." in text
        assert "Die Kommandozeile hat die Datei „import.yaml“ eingespielt: 1 Idee." in text
    else:
        assert (
            "· 25 Nov 2026, 11:00 · ID 900001 (name not known) granted Anna Schmidt (ID 5001)"
            in text
        )
        assert "the role “regional contact for Cologne Region”" in text
        assert "The command line imported the file “import.yaml”: 1 idea." in text
