"""Every privileged command and button refuses citizens, forged buttons and revoked admins.

The lists are derived from the running application (its CommandHandlers) and the callback
registry: a new command or button must be classified here, and a privileged one without a
role check fails these tests.
"""

from __future__ import annotations

import datetime as dt
import logging
from zoneinfo import ZoneInfo

import pytest
from telegram.ext import CommandHandler

from bot.app import build_application
from bot.config import Settings
from handlers.menus import ADMIN_COMMANDS, COMMANDS
from messages import actions as cb
from messages.actions import CancelWorkshop, ConfirmCancel
from storage.workshops import WorkshopFields

from conftest import ADMIN_ID, TOKEN, Harness

BERLIN = ZoneInfo("Europe/Berlin")
REFUSED = "Dafür fehlt Ihnen die Berechtigung. Ihr Versuch wurde protokolliert."
START = dt.datetime(2027, 5, 12, 14, 0, tzinfo=BERLIN)
END = dt.datetime(2027, 5, 12, 18, 0, tzinfo=BERLIN)
CITIZEN = 4711
GRANTED = 4800

# Commands everyone may use; every other registered command is privileged.
PUBLIC_COMMANDS = {
    "start", "hilfe", "help", "regionen", "regions", "herausforderungen", "challenges",
    "region_finden", "find_region", "termine", "dates", "meine_termine", "my_dates",
    "meine_kommentare", "my_comments", "meine_gruppen", "my_groups", "sprache", "language",
    "abbrechen", "cancel", "datenschutz", "privacy", "meine_daten", "my_data",
    "daten_loeschen", "delete_my_data", "suche", "search", "karte", "map", "rueckblick",
    "review", "meine_ideen", "my_ideas", "idee_vorschlagen", "propose", "meine_vorschlaege",
    "my_proposals", "neuigkeiten", "news",
}  # fmt: skip
# Buttons everyone may tap (codes of the registry in messages/actions).
PUBLIC_CODES = {
    "a", "c", "cd", "ce", "ci", "cn", "cq", "cr", "cs", "cv", "cw", "f", "ga", "gg", "gj", "gm",
    "gr", "gs", "gw", "h", "i", "ic", "l", "lm", "m", "mc", "md", "pc", "px", "r", "ri", "rj", "rs", "rt",
    "rw", "sq", "sr", "w", "wc", "wf", "wj", "wk", "wl", "wr", "ws", "wu", "wx", "x",
    "if", "ih", "k", "mi", "v", "vl", "vr",
    # proposing ideas, one's own proposals (merging a duplicate, pg and pb, is moderators')
    "pa", "pr", "pt", "ph", "pn", "pw", "pi", "pe", "pu", "ps", "pv", "pm", "pk", "pl",
    "aq", "ad", "aj",  # leaving a workshop dialogue (resuming one checks the role)
    "gf", "gz",  # Mitmachen: change a field on the consent screen; confirm a withdrawal
    "wn",  # not registering for a date after all
    "cy",  # rework a rejected comment
    "nw", "nu",  # the news opt-in and its one-tap Abbestellen
}  # fmt: skip


def _registered_commands() -> set[str]:
    settings = Settings(
        _env_file=None,
        TELEGRAM_BOT_TOKEN=TOKEN,
        IDEENLABOR_ADMINS=str(ADMIN_ID),
    )
    app = build_application(settings)
    return {
        command
        for handlers in app.handlers.values()
        for handler in handlers
        if isinstance(handler, CommandHandler)
        for command in handler.commands
    }


REGISTERED = _registered_commands()
PRIVILEGED_COMMANDS = sorted(REGISTERED - PUBLIC_COMMANDS)


def _registered_actions() -> dict[str, type[cb.Action]]:
    return dict(cb.registry())  # the registry: every action of messages.actions


def _example(cls: type[cb.Action]) -> cb.Action:
    """An instance with valid field values (ids 1, the first allowed choice, a word's example)."""
    values: dict[str, object] = {}
    for f in cls.SPEC:
        if f.numbers is not None:
            values[f.name] = 1
        elif f.word is not None:
            values[f.name] = f.word.example
        else:
            values[f.name] = sorted(f.texts or ())[0]
    return cls(**values)


PRIVILEGED_ACTIONS = [
    _example(cls) for code, cls in sorted(_registered_actions().items()) if code not in PUBLIC_CODES
]


def test_every_command_and_button_is_classified() -> None:
    menu = {name for items in COMMANDS.values() for name, _ in items}
    admin_menu = {name for names in ADMIN_COMMANDS for name in names[:2]}
    assert menu <= PUBLIC_COMMANDS
    assert admin_menu <= set(PRIVILEGED_COMMANDS)
    assert PUBLIC_COMMANDS <= REGISTERED, PUBLIC_COMMANDS - REGISTERED
    assert {"rolle_vergeben", "rolle_entziehen", "rollen", "protokoll"} <= admin_menu
    assert set(_registered_actions()) >= PUBLIC_CODES
    assert len(PRIVILEGED_ACTIONS) >= 25
    # Marking a registration contacted is for the region's contacts: the buttons sent before
    # they carried the version shown ("gc") and those since ("gk") alike.
    assert {"gc", "gk"} <= {action.CODE for action in PRIVILEGED_ACTIONS}


async def snapshot(harness: Harness) -> dict[str, list[tuple[object, ...]]]:
    """Every table's rows except users (whose last-seen day a visit may update)."""
    db = harness.data.db
    tables = await db.fetchall(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT IN ('users')"
    )
    return {
        str(t["name"]): [tuple(r) for r in await db.fetchall(f'SELECT * FROM "{t["name"]}"')]
        for t in tables
    }


async def _seed(harness: Harness) -> None:
    """Something for privileged actions to change: a workshop, a pending comment."""
    await harness.data.workshops.create(
        WorkshopFields(region_id=1, title="Bleibt", starts_at=START, ends_at=END)
    )
    author = harness.user(4712, "Max")
    await author.command("start")
    idea = await harness.data.db.fetchone("SELECT id FROM ideas ORDER BY id LIMIT 1")
    assert idea is not None
    await harness.data.comments.submit(idea["id"], 4712, "Max", "Ein Kommentar, der wartet.")


@pytest.mark.parametrize("command", PRIVILEGED_COMMANDS)
async def test_a_citizen_is_refused_every_privileged_command(
    harness: Harness, command: str, caplog: pytest.LogCaptureFixture
) -> None:
    await _seed(harness)
    citizen = harness.user(CITIZEN)
    await citizen.command("start")
    before = await snapshot(harness)
    for args in ((), ("4711", "admin"), ("koeln",)):
        with caplog.at_level(logging.WARNING):
            await citizen.command(command, *args)
        assert citizen.last.text == REFUSED, (command, args, citizen.last.text)
        assert "🗺 Ideen nach Region" in citizen.last.button_labels()  # the main menu
    assert f"Refused privileged action /{command} by user " in caplog.text
    assert str(CITIZEN) not in caplog.text  # a pseudonym, not the Telegram id
    assert await snapshot(harness) == before
    assert await harness.data.drafts.get(CITIZEN) is None


@pytest.mark.parametrize("action", PRIVILEGED_ACTIONS, ids=lambda a: a.CODE)
async def test_forged_privileged_buttons_are_refused(harness: Harness, action: cb.Action) -> None:
    await _seed(harness)
    citizen = harness.user(CITIZEN)
    await citizen.command("start")
    before = await snapshot(harness)
    await citizen.tap_data(action.encode())
    assert citizen.answers[-1].text == REFUSED, type(action).__name__
    assert citizen.last.text == REFUSED
    assert await snapshot(harness) == before


async def test_a_revoked_admins_old_button_stops_working(harness: Harness) -> None:
    workshop_id = await harness.data.workshops.create(
        WorkshopFields(region_id=1, title="Bleibt", starts_at=START, ends_at=END)
    )
    admin = harness.admin()
    await admin.command("start")
    granted = harness.user(GRANTED, "Gert")
    await granted.command("start")
    await admin.command("rolle_vergeben", str(GRANTED), "admin")
    await granted.command("termin_absagen")
    await granted.tap_data(CancelWorkshop(workshop_id).encode(), message=granted.last)
    question = granted.last
    assert any("absagen" in label.lower() for label in question.button_labels())
    await admin.command("rolle_entziehen", str(GRANTED), "admin")
    await granted.tap_data(ConfirmCancel(workshop_id).encode(), message=question)
    assert granted.answers[-1].text == REFUSED
    assert granted.last.text == REFUSED
    workshop = await harness.data.workshops.repo.get(workshop_id)
    assert workshop is not None and workshop.status == "planned"
    await granted.command("rundschreiben")
    assert granted.last.text == REFUSED
    await granted.command("protokoll")
    assert granted.last.text == REFUSED


async def test_a_granted_admin_may_use_admin_commands_at_once(harness: Harness) -> None:
    admin = harness.admin()
    await admin.command("start")
    granted = harness.user(GRANTED, "Gert")
    await granted.command("start")
    await granted.command("rollen")
    assert granted.last.text == REFUSED
    await admin.command("rolle_vergeben", str(GRANTED), "admin")
    await granted.command("rollen")
    assert "Rollen" in granted.last.text and str(ADMIN_ID) in granted.last.text
    await granted.command("hilfe")
    assert "/rolle_vergeben" in granted.last.text
