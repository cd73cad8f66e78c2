"""`ideenlabor import` with the new sections and fields (past workshops, status and news,
organisations, English texts), and `ideenlabor archive-idea`."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from bot.cli import main

from stories.imports import env, refused

__all__ = ["env"]  # the fixture, used by name


PAST = {
    "slug": "ideenlabor-koeln-2017",
    "region": "koeln",
    "title": "Ideenlabor Köln",
    "title_en": "Ideas Lab Cologne",
    "date": "2017-03-02",
    "city": "Köln",
    "organisers": ["Regionalagentur Köln"],
    "participants": 25,
    "participants_qualifier": "about",
    "report": "Rund 25 Personen entwickelten zwei Ideen.",
    "sources": ["https://example.org/ideenlabor-koeln"],
}
IDEA = {
    "slug": "pflege-koeln",
    "title": "Pflege 4.0 in Köln",
    "title_en": "Care 4.0 in Cologne",
    "region": "koeln",
    "workshop": "ideenlabor-koeln-2017",
    "summary": "Digitale Dienstpläne.",
    "summary_en": "Digital rosters.",
    "status": "implementation",
    "news": [
        {"date": "2017-09-01", "text": "Ein Pilotbetrieb ist gefunden."},
        {"date": "2017-06-01", "status": "elaboration", "text": "Eine AG arbeitet daran."},
        {"date": "2018-01-15", "status": "implementation", "text_en": "Started."},
    ],
    "sources": ["https://example.org/pflege"],
}
AGENCY = {
    "slug": "ra-koeln",
    "region": "koeln",
    "name": "Regionalagentur Region Köln",
    "host": "Stadt Köln",
    "url": "https://example.org/ra-koeln",
}


def write(tmp: Path, **sections: object) -> Path:
    path = tmp / "import.json"
    path.write_text(json.dumps(sections), encoding="utf-8")
    return path


MINE = "idea_id = (SELECT id FROM ideas WHERE slug = 'pflege-koeln')"


def rows(db: Path, sql: str, *params: object) -> list[tuple[object, ...]]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql, params).fetchall()


def test_a_past_workshop_with_its_idea_status_news_and_agency(
    env: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, workshops=[PAST], ideas=[IDEA], organisations=[AGENCY])
    assert main(["import", str(path)]) == 0
    assert "1 ideas, 1 workshops" in capsys.readouterr().out
    [workshop] = rows(
        env,
        "SELECT starts_at, ends_at, time_known, city, participants_qualifier, title_en, shipped"
        " FROM workshops WHERE slug = ?",
        PAST["slug"],
    )
    # The day in Berlin (CET in March), time unknown; never reminded of.
    assert workshop == (
        "2017-03-01T23:00:00.000000Z",
        "2017-03-02T23:00:00.000000Z",
        0,
        "Köln",
        "about",
        "Ideas Lab Cologne",
        0,
    )
    assert rows(env, "SELECT COUNT(*) FROM reminders") == [(0,)]
    [idea] = rows(
        env,
        "SELECT i.status, i.status_changed_at, w.slug, i.title_en, i.sources FROM ideas i"
        " JOIN workshops w ON w.id = i.workshop_id WHERE i.slug = 'pflege-koeln'",
    )
    assert idea == (
        "implementation",
        "2018-01-15T11:00:00.000000Z",
        PAST["slug"],
        "Care 4.0 in Cologne",
        '["https://example.org/pflege"]',
    )
    news = rows(
        env,
        "SELECT posted_at, kind, old_status, new_status, text, text_en, posted_by, imported"
        " FROM idea_news WHERE idea_id = (SELECT id FROM ideas WHERE slug = 'pflege-koeln')"
        " ORDER BY posted_at DESC",
    )
    assert news == [
        ("2018-01-15T11:00:00.000000Z", "status", "elaboration", "implementation", "", "Started.", None, 1),
        ("2017-09-01T10:00:00.000000Z", "news", None, None, "Ein Pilotbetrieb ist gefunden.", None, None, 1),
        ("2017-06-01T10:00:00.000000Z", "status", "idea", "elaboration", "Eine AG arbeitet daran.", None, None, 1),
    ]  # fmt: skip
    assert rows(env, "SELECT name, host, url FROM organisations WHERE slug = 'ra-koeln'") == [
        ("Regionalagentur Region Köln", "Stadt Köln", "https://example.org/ra-koeln")
    ]


def test_a_re_import_replaces_imported_news_and_keeps_those_from_the_chat(
    env: Path, tmp_path: Path
) -> None:
    path = write(tmp_path, workshops=[PAST], ideas=[IDEA])
    assert main(["import", str(path)]) == 0
    with sqlite3.connect(env) as conn:
        conn.execute(
            "INSERT INTO idea_news (idea_id, posted_at, posted_by, kind, text)"
            " SELECT id, '2027-04-01T10:00:00.000000Z', 4711, 'news', 'Aus dem Chat.'"
            " FROM ideas WHERE slug = 'pflege-koeln'"
        )
    assert main(["import", str(path)]) == 0  # the same file again: nothing doubles
    assert rows(env, f"SELECT COUNT(*) FROM idea_news WHERE {MINE}") == [(4,)]
    changed = {**IDEA, "news": [{"date": "2017-06-01", "text": "Nur noch dies."}], "status": "idea"}
    assert main(["import", str(write(tmp_path, ideas=[changed]))]) == 0
    assert rows(env, f"SELECT text, imported FROM idea_news WHERE {MINE} ORDER BY posted_at") == [
        ("Nur noch dies.", 1),
        ("Aus dem Chat.", 0),
    ]
    assert rows(env, "SELECT status FROM ideas WHERE slug = 'pflege-koeln'") == [("idea",)]


@pytest.mark.parametrize(
    ("sections", "error"),
    [
        (
            {"ideas": [{**IDEA, "workshop": "ideenlabor-koln-2017"}], "workshops": [PAST]},
            "ideas[0].workshop: unknown workshop 'ideenlabor-koln-2017'"
            " (did you mean 'ideenlabor-koeln-2017'?)",
        ),
        (
            {"ideas": [{**IDEA, "workshop": None, "status": "implemented"}]},
            "ideas[0]: status is 'implemented', but the latest status entry in news says"
            " 'implementation'",
        ),
        (
            {"workshops": [{**PAST, "date": "2027-06-01"}]},
            "workshops[0].date: 2027-06-01 is not in the past; a coming workshop needs"
            " starts_at and ends_at",
        ),
        (
            {"workshops": [{k: v for k, v in PAST.items() if k != "date"}]},
            "workshops[0]: a workshop needs starts_at and ends_at, or (if past) a date",
        ),
        (
            {
                "workshops": [
                    {**PAST, "starts_at": "2017-03-03T10:00", "ends_at": "2017-03-03T12:00"}
                ]
            },
            "workshops[0]: date 2017-03-02 is not the day of starts_at (2017-03-03)",
        ),
        (
            {"organisations": [{**AGENCY, "region": "koln"}]},
            "organisations[0].region: unknown region 'koln' (did you mean 'koeln'?)",
        ),
        (
            {"ideas": [{**IDEA, "workshop": None, "news": [{"date": "2017-01-01"}]}]},
            "ideas[0].news[0]: a news entry needs a text or a status",
        ),
    ],
)
def test_bad_entries_are_located_and_nothing_is_written(
    env: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    sections: dict[str, object],
    error: str,
) -> None:
    assert f"  {error}" in refused(write(tmp_path, **sections), capsys).splitlines()
    if env.exists():
        assert rows(env, "SELECT COUNT(*) FROM ideas WHERE slug = 'pflege-koeln'") == [(0,)]


def test_a_municipality_can_name_another_region_than_its_district(
    env: Path, tmp_path: Path
) -> None:
    region = {
        "slug": "probe",
        "name": "Probe",
        "districts": [
            {
                "key": "05999",
                "name": "Kreis Probe",
                "kind": "Kreis",
                "municipalities": [
                    {"ags": "05999001", "name": "Probstadt", "region": "koeln"},
                    {"ags": "05999002", "name": "Probdorf"},
                ],
            }
        ],
    }
    assert main(["import", str(write(tmp_path, regions=[region]))]) == 0
    found = rows(
        env,
        "SELECT m.name, r.slug FROM municipalities m JOIN districts d ON d.key = m.district_key"
        " JOIN regions r ON r.id = COALESCE(m.region_id, d.region_id)"
        " WHERE m.district_key = '05999' ORDER BY m.ags",
    )
    assert found == [("Probstadt", "koeln"), ("Probdorf", "probe")]


# ------------------------------------------------------------------ archive-idea


def test_archive_idea_has_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["archive-idea", "--help"])
    assert info.value.code == 0
    out = capsys.readouterr().out
    assert "usage: ideenlabor archive-idea" in out and "--restore" in out


def test_an_idea_removed_from_the_import_file_is_archived_and_restored(
    env: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    slug = "gipfeltreffen-owl"
    assert main(["archive-idea", slug, "--reason", "  Nicht mehr im   Export. "]) == 0
    assert "archived: citizens no longer see it" in capsys.readouterr().out
    assert rows(env, "SELECT archived_reason, archived_by FROM ideas WHERE slug = ?", slug) == [
        ("Nicht mehr im Export.", None)
    ]
    owl = rows(env, "SELECT idea_count FROM regions WHERE slug = 'ostwestfalen-lippe'")
    assert owl == [(2,)]
    assert main(["archive-idea", slug, "--reason", "Noch einmal"]) == 0
    assert "was already archived (reason: Nicht mehr im Export.)" in capsys.readouterr().out
    # An import of the idea does not bring it back (archiving was a decision of its own).
    again = {"slug": slug, "title": "Gipfeltreffen", "region": "ostwestfalen-lippe"}
    assert main(["import", str(write(tmp_path, ideas=[again]))]) == 0
    assert rows(env, "SELECT title, archived_at IS NOT NULL FROM ideas WHERE slug = ?", slug) == [
        ("Gipfeltreffen", 1)
    ]
    assert main(["archive-idea", slug, "--restore"]) == 0
    assert "restored: citizens see it again" in capsys.readouterr().out
    assert rows(env, "SELECT idea_count FROM regions WHERE slug = 'ostwestfalen-lippe'") == [(3,)]
    audit = rows(
        env,
        "SELECT actor, action, target, details FROM audit_log WHERE action LIKE 'idea_%'"
        " ORDER BY id",
    )
    assert [(a, b) for a, b, *_ in audit] == [("cli", "idea_archive"), ("cli", "idea_restore")]
    assert json.loads(str(audit[0][3])) == {"reason": "Nicht mehr im Export.", "slug": slug}


def test_archive_idea_refuses_an_unknown_slug_or_a_missing_reason(
    env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["archive-idea", "gipfeltreffen-owI", "--reason", "x"]) == 1
    assert "there is no idea with the slug 'gipfeltreffen-owI'" in capsys.readouterr().err
    assert main(["archive-idea", "gipfeltreffen-owl"]) == 2
    assert "give --reason" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["archive-idea", "gipfeltreffen-owl", "--reason", "   "])
    assert rows(env, "SELECT COUNT(*) FROM ideas WHERE archived_at IS NOT NULL") == [(0,)]
    assert rows(env, "SELECT COUNT(*) FROM audit_log") == [(0,)]


@pytest.mark.usefixtures("capsys")
def test_the_cli_archive_changes_nothing_if_the_audit_row_cannot_be_written(
    env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert main(["migrate"]) == 0

    async def broken(*args: object, **kwargs: object) -> int:
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr("storage.audit.AuditRepository.record", broken)
    with pytest.raises(sqlite3.OperationalError):
        main(["archive-idea", "gipfeltreffen-owl", "--reason", "x"])
    assert rows(env, "SELECT COUNT(*) FROM ideas WHERE archived_at IS NOT NULL") == [(0,)]
