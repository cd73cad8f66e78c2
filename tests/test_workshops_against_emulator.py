"""Issue 3, "Done when": the Ideenlabore tried as a new user would, against the real process.

`python -m bot run` is started as a subprocess against the HTTP Bot API emulator. A German
citizen subscribes to a region; an admin publishes a workshop there through /neuer_termin,
starting at a full minute 100–160 s ahead (Europe/Berlin local time, typed as the admin
types it). The citizen gets the new-date notice, asks to be reminded and takes the .ics file.
Then the bot is killed (SIGKILL) and started again on the same database. The admin changes the
title and broadcasts to the region with a progress report. The citizen gets both reminders on
time, each exactly once. At last the admin cancels the workshop, the citizen is told, and the
bot stops on SIGTERM.

Nothing here is mocked or sped up: the reminders really are waited for. Admins type a start to
the minute, so instead of waiting for the minute the test chooses it before the bot starts and
gives the bot a reminder schedule in seconds before that start (IDEENLABOR_REMINDERS, e.g.
`93s,85s`) that makes the reminders due FIRST_DUE seconds after the launch and REMINDER_GAP
seconds later: after the restart, and long before the start. The test takes about 25 s.
"""

from __future__ import annotations

import datetime as dt
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast
from zoneinfo import ZoneInfo

import pytest
from botapi_server import BotMessage
from icalendar import Calendar

from stories.processes import STEP_TIMEOUT, BotProcess, RecordingEmulator, stop_cleanly

pytestmark = pytest.mark.process  # starts the bot or a server (see conftest.py)

CITIZEN = 4711  # a new user whose Telegram app is set to German
ADMIN = 4242
BERLIN = ZoneInfo("Europe/Berlin")
START_AHEAD = 100.0  # the start: the first full minute at least this far after the launch
FIRST_DUE = 25.0  # the first reminder is due this long after the launch: after the restart
REMINDER_GAP = 5.0  # and the second this long after the first
ON_TIME = 5.0  # a reminder may arrive this many seconds after its due time, never before
REMINDER_GRACE = 30.0  # how long after its due time a missing reminder is waited for

REGION = "Münsterland"
TITLE = "Gute Arbeit im Münsterland"
NEW_TITLE = "Gute und faire Arbeit im Münsterland"
VENUE = "Speicher II, Raum 3"
ADDRESS = "Hafenweg 28, 48155 Münster"
BROADCAST = "Liebe Münsterländerinnen und Münsterländer, bringen Sie gern Ihre Ideen mit!"

WEEKDAYS = ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag")
MONTHS = (
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
)


def german_when(start: dt.datetime, end: dt.datetime) -> str:
    """The spec's German long date ("Freitag, 28. April 2017, 14:00–18:00 Uhr"), written out
    independently of the bot's Babel formatting."""

    def day(moment: dt.datetime) -> str:
        return (
            f"{WEEKDAYS[moment.weekday()]}, {moment.day}. {MONTHS[moment.month - 1]} {moment.year}"
        )

    if start.date() == end.date():
        return f"{day(start)}, {start:%H:%M}–{end:%H:%M} Uhr"
    return f"{day(start)}, {start:%H:%M} – {day(end)}, {end:%H:%M}"


def first_full_minute_after(margin: float) -> dt.datetime:
    """The first full minute at least `margin` seconds from now, as Berlin local time.

    (In the repeated hour of the autumn clock change the typed wall-clock time is ambiguous
    and the bot reads it as summer time; a run in that one hour a year would fail.)
    """
    earliest = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=margin)
    start = earliest.replace(second=0, microsecond=0)
    if start < earliest:
        start += dt.timedelta(minutes=1)
    return start.astimezone(BERLIN)


@dataclass(frozen=True)
class Plan:
    """The workshop's start and its reminders, chosen before the bot starts."""

    start: dt.datetime  # Berlin local time, a full minute
    due: tuple[dt.datetime, ...]  # when the reminders are due, in the schedule's order

    @property
    def schedule(self) -> str:
        """IDEENLABOR_REMINDERS for these due times: whole seconds before the start."""
        return ",".join(f"{int((self.start - due).total_seconds())}s" for due in self.due)


def plan_from_now() -> Plan:
    """A start well after the whole story, reminders due soon after the restart."""
    now = time.time()
    start = first_full_minute_after(START_AHEAD)
    first = dt.datetime.fromtimestamp(int(now + FIRST_DUE) + 1, dt.UTC)
    due = (first, first + dt.timedelta(seconds=REMINDER_GAP))
    return Plan(start, tuple(moment.astimezone(BERLIN) for moment in due))


def typed(moment: dt.datetime) -> str:
    """As an admin types it: "12.05.2027 14:00"."""
    return f"{moment:%d.%m.%Y %H:%M}"


@pytest.fixture
def plan() -> Plan:
    """The start and reminder times, from the moment the bot is first launched."""
    return plan_from_now()


@pytest.fixture
def bot_env(plan: Plan) -> dict[str, str]:
    """An admin, Berlin time and the plan's reminder schedule."""
    return {
        "IDEENLABOR_ADMINS": str(ADMIN),
        "IDEENLABOR_TIMEZONE": "Europe/Berlin",
        "IDEENLABOR_REMINDERS": plan.schedule,
    }


def test_citizen_and_admin_workshop_lifecycle_with_real_reminders_across_a_restart(
    emulator: RecordingEmulator, plan: Plan, launch: Callable[[], BotProcess]
) -> None:
    emu = emulator
    emu.user(CITIZEN, "Erika", language_code="de")
    emu.user(ADMIN, "Anna", language_code="de")
    began = time.monotonic()
    first = launch()

    def confirm(label: str, answer: str, notice: str) -> tuple[BotMessage, BotMessage]:
        """The admin taps label and gets the answer; the citizen is told (a new message)."""
        mark = emu.mark()
        emu.tap(ADMIN, label)
        done = emu.step(ADMIN, lambda m: m.text.startswith(answer))
        return done, emu.told(CITIZEN, lambda m: m.text.startswith(notice), since=mark)

    # ------------------------------------------------ the citizen subscribes to a region
    emu.push_command(CITIZEN, "start")
    emu.step(CITIZEN, "Willkommen beim Ideenlabor-Bot!")
    offer = emu.step(CITIZEN, lambda m: m.text.startswith("📰 Neuigkeiten"))  # once (issue 14)
    emu.tap(CITIZEN, "Nein, danke", message=offer)
    emu.step(CITIZEN, lambda m: m.text.startswith("In Ordnung"))
    emu.tap(CITIZEN, "📅 Ideenlabore – Termine")
    dates = emu.step(CITIZEN, lambda m: m.text.startswith("📅 Ideenlabore – die nächsten Termine"))
    assert "Es sind noch keine Termine veröffentlicht." in dates.text
    emu.tap(CITIZEN, "🔎 Nach Region filtern")
    emu.step(CITIZEN, lambda m: m.text.startswith("Ideenlabore nach Region"))
    emu.tap(CITIZEN, f"{REGION} (")
    region = emu.step(CITIZEN, lambda m: m.text.startswith(f"📅 Ideenlabore: {REGION}"))
    assert "In dieser Region sind zurzeit keine Ideenlabore geplant." in region.text
    emu.tap(CITIZEN, "📬 Alle Termine der Region abonnieren")
    subscribed = emu.step(CITIZEN, "📬 Sie haben die Termine dieser Region abonniert.")
    assert "Regions-Abo beenden" in subscribed.labels()
    emu.toast(f"📬 Abonniert: neue Termine für {REGION}.")

    # ------------------------------------------------ the admin publishes a workshop there
    emu.push_command(ADMIN, "neuer_termin")
    emu.step(ADMIN, lambda m: "Schritt 1 von 9" in m.text and "Für welche Region" in m.text)
    emu.tap(ADMIN, REGION)
    emu.step(ADMIN, "Wie lautet der Titel?")
    emu.push_message(ADMIN, TITLE)
    emu.step(ADMIN, "Wann beginnt es?")
    start, due = plan.start, list(plan.due)
    assert time.time() < start.timestamp() - START_AHEAD / 2, "the start is too close to type"
    end = start + dt.timedelta(hours=2)
    typed_at = time.time()
    emu.push_message(ADMIN, typed(start))
    asked_end = emu.step(ADMIN, lambda m: "Wann endet es?" in m.text or "⚠️" in m.text)
    assert "Wann endet es?" in asked_end.text, asked_end.text
    assert f"Beginn: {WEEKDAYS[start.weekday()][:2]}., {start:%d.%m.%Y, %H:%M}" in asked_end.text
    emu.push_message(ADMIN, typed(end))
    emu.step(ADMIN, "Wo findet es statt?")
    emu.push_message(ADMIN, VENUE)
    emu.step(ADMIN, "Unter welcher Adresse?")
    emu.push_message(ADMIN, ADDRESS)
    emu.step(ADMIN, "Gibt es eine Webseite")
    emu.tap(ADMIN, "Überspringen")
    emu.step(ADMIN, "Wie viele Plätze")
    emu.tap(ADMIN, "Ohne Begrenzung")
    emu.step(ADMIN, "Möchten Sie eine Beschreibung hinzufügen?")
    emu.tap(ADMIN, "Überspringen")
    preview = emu.step(ADMIN, lambda m: m.text.startswith("Vorschau"))
    when = german_when(start, end)
    for part in (
        TITLE,
        f"Region: {REGION}",
        f"Wann: {when}",
        f"Wo: {VENUE}, {ADDRESS}",
        "1 Person, die die Region abonniert hat, wird benachrichtigt.",
    ):
        assert part in preview.text, (part, preview.text)
    published, notice = confirm(
        "✅ Veröffentlichen", f"✅ Veröffentlicht: {TITLE}", "📅 Neues Ideenlabor"
    )
    assert when in published.text

    # ------------------------------------------------ the citizen is told, follows it, .ics
    assert notice.text == f"📅 Neues Ideenlabor – {REGION}\n\n{TITLE}\n{when}\n{VENUE}, {ADDRESS}"
    assert notice.labels() == ["Details"]

    emu.push_command(CITIZEN, "termine")
    listing = emu.step(
        CITIZEN, lambda m: m.text.startswith("📅 Ideenlabore – die nächsten Termine")
    )
    assert "1 Termin" in listing.text and TITLE in listing.text
    emu.tap(CITIZEN, TITLE)
    detail = emu.step(CITIZEN, lambda m: m.message_id == listing.message_id and "Wann:" in m.text)
    assert f"Wann: {when}" in detail.text and f"Region: {REGION}" in detail.text
    for label in ("🙋 Ich nehme teil", "🔔 Erinnern", "Regions-Abo beenden", "📅 In den Kalender"):
        assert label in detail.labels(), detail.labels()
    emu.tap(CITIZEN, "🔔 Erinnern")
    following = emu.step(CITIZEN, "🔔 Sie werden an diesen Termin erinnert.")
    assert "🔕 Nicht mehr erinnern" in following.labels()
    emu.toast("🔔 Ich erinnere Sie an diesen Termin.")

    emu.tap(CITIZEN, "📅 In den Kalender")
    document = emu.step(CITIZEN, lambda m: m.document is not None, kinds=["send"])
    emu.toast("Die Kalenderdatei ist unterwegs.")
    assert document.document is not None and document.document.endswith(".ics")
    assert document.text.startswith(f"📅 {TITLE}")
    calendar = Calendar.from_ical(emu.documents[(CITIZEN, document.message_id)])
    (event,) = cast(list[Any], calendar.walk("VEVENT"))  # icalendar types a value as a union
    assert event["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert event["DTSTART"].dt.replace(tzinfo=None) == start.replace(tzinfo=None)
    assert event["DTSTART"].dt == start and event["DTEND"].dt == end
    assert str(event["SUMMARY"]) == TITLE
    assert str(event["LOCATION"]) == f"{VENUE}, {ADDRESS}"
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Berlin"]

    # ------------------------------------------------ pull the plug, start again
    emu.wait_confirmed(STEP_TIMEOUT)
    assert first.kill() == -signal.SIGKILL
    second = launch()
    emu.push_command(CITIZEN, "meine_termine")
    mine = emu.step(CITIZEN, lambda m: m.text.startswith("🗓 Meine Termine"))
    assert "Erinnerungen" in mine.text and TITLE in mine.text, mine.text
    assert f"• {REGION}" in mine.text, mine.text
    emu.tap(CITIZEN, "Details", message=notice)  # a button the killed process sent
    again = emu.step(CITIZEN, lambda m: m.message_id == notice.message_id and "Wann:" in m.text)
    assert "🔔 Sie werden an diesen Termin erinnert." in again.text, again.text
    assert f"📬 Sie haben alle Termine für {REGION} abonniert." in again.text, again.text
    assert "🔕 Nicht mehr erinnern" in again.labels() and "Regions-Abo beenden" in again.labels()
    restarted = time.time()
    print(
        f"published and restarted {restarted - typed_at:.1f} s after typing the start, "
        f"{due[0].timestamp() - restarted:.1f} s before the first reminder was due"
    )
    assert restarted < due[0].timestamp(), (
        f"the restart finished {restarted - due[0].timestamp():.1f} s after the first reminder "
        f"was due, so it did not happen between the reminder's creation and its time"
    )

    # ------------------------------------------------ the admin changes the title
    emu.push_command(ADMIN, "termin_aendern")
    pick = emu.step(ADMIN, "Welchen Termin möchten Sie ändern?")
    assert any(TITLE in label for label in pick.labels()), pick.labels()
    emu.tap(ADMIN, f"{start:%d.%m.%Y, %H:%M} · ")  # the label: start · (shortened) title
    emu.step(ADMIN, "Was möchten Sie ändern?")
    emu.tap(ADMIN, "Titel")
    asked = emu.step(ADMIN, "Wie lautet der Titel?")
    assert f"Bisher: {TITLE}" in asked.text
    emu.push_message(ADMIN, NEW_TITLE)
    change_preview = emu.step(ADMIN, lambda m: m.text.startswith("Vorschau der Änderung"))
    assert f"Titel: {TITLE} → {NEW_TITLE}" in change_preview.text
    assert "1 Person (angemeldet, mit Erinnerung oder Abo der Region) wird benachrichtigt." in (
        change_preview.text
    )
    _, change = confirm(
        "✅ Speichern und benachrichtigen", f"✅ Gespeichert: {NEW_TITLE}", "⚠️ Änderung"
    )
    ((changed_at, _),) = emu.sends(CITIZEN, lambda m: m.text.startswith("⚠️ Änderung"))
    assert change.text == f"⚠️ Änderung: {NEW_TITLE}\n\nTitel: {TITLE} → {NEW_TITLE}"
    assert f"<s>{TITLE}</s> → <b>{NEW_TITLE}</b>" in change.html

    # ------------------------------------------------ the admin broadcasts to the region
    emu.push_command(ADMIN, "rundschreiben")
    emu.step(ADMIN, "Schreiben Sie den Text des Rundschreibens")
    emu.push_message(ADMIN, BROADCAST)
    emu.step(ADMIN, "An wen soll das Rundschreiben gehen?")
    emu.tap(ADMIN, f"{REGION} (1)")
    broadcast_preview = emu.step(
        ADMIN, lambda m: m.text.startswith("Vorschau – genau so erhält es 1 Person")
    )
    sender = "📣 Rundschreiben von Ministerium für Arbeit, Gesundheit und Soziales NRW"
    sent_text = f"{sender} an alle, die {REGION} abonniert haben\n\n{BROADCAST}"
    assert f"(Abonnierende von {REGION}):\n\n{sent_text}" in broadcast_preview.text
    broadcast_mark = emu.mark()
    emu.tap(ADMIN, "📣 Jetzt senden")
    audience = f"Abonnierende von {REGION}"
    report_text = (
        f"✅ Rundschreiben an {audience} abgeschlossen\n"
        "Empfängerinnen und Empfänger: 1\nZugestellt: 1\n"
        "Haben den Bot blockiert: 0\nFehlgeschlagen: 0"
    )
    report = emu.step(ADMIN, lambda m: m.text == report_text, since=broadcast_mark)
    progress = [
        e.message
        for e in emu.events(ADMIN)
        if e.message.message_id == report.message_id and e.kind == "send"
    ]
    assert len(progress) == 1, "the report must be the progress message, edited"
    assert progress[0].text.startswith(f"📣 Rundschreiben an {audience}\n"), progress[0].text
    assert "zugestellt:" in progress[0].text
    emu.told(CITIZEN, lambda m: m.text == sent_text, since=broadcast_mark)

    # ------------------------------------------------ both reminders, on time
    def is_reminder(message: BotMessage) -> bool:
        return message.text.startswith("🔔 Erinnerung:")

    for number, moment in enumerate(due, start=1):
        emu.wait_until(
            lambda n=number: len(emu.sends(CITIZEN, is_reminder)) >= n,  # type: ignore[misc]
            max(0.0, moment.timestamp() - time.time()) + REMINDER_GRACE,
            f"the reminder due at {moment:%H:%M:%S}",
        )
    reminders = emu.sends(CITIZEN, is_reminder)
    assert len(reminders) == len(due), [m.text for _, m in reminders]
    for (arrived, message), moment in zip(reminders, due, strict=True):
        late = arrived - moment.timestamp()
        print(f"reminder due {moment:%H:%M:%S} arrived {late:+.2f} s")
        assert 0 <= late <= ON_TIME, (
            f"reminder due {moment:%H:%M:%S} arrived {late:+.1f} s off: {message.text!r}"
        )
        title = NEW_TITLE if arrived > changed_at else TITLE  # normally changed long before
        assert message.text == f"🔔 Erinnerung: {title}\n\n{when}\n{VENUE}, {ADDRESS}"
        assert message.labels() == ["Ich kann doch nicht", "Details"]

    # ------------------------------------------------ the admin cancels it
    emu.push_command(ADMIN, "termin_absagen")
    emu.step(ADMIN, "Welchen Termin möchten Sie absagen?")
    emu.tap(ADMIN, f"{start:%d.%m.%Y, %H:%M} · ")
    question = emu.step(ADMIN, "Diesen Termin wirklich absagen?")
    assert "1 Person (angemeldet, mit Erinnerung oder Abo der Region) wird benachrichtigt." in (
        question.text
    )
    _, cancelled = confirm("❌ Ja, absagen", f"❌ Abgesagt: {NEW_TITLE}", "❌ Abgesagt")
    assert cancelled.text == (
        f"❌ Abgesagt: {NEW_TITLE}\n\nDas Ideenlabor am {when} findet nicht statt. "
        "Ihre Erinnerungen für diesen Termin sind gelöscht."
    )
    assert "📅 Kalender aktualisieren" in cancelled.labels()
    assert time.time() < start.timestamp(), "the cancellation came only after the start"

    # ------------------------------------------------ a clean stop; everything exactly once
    stop_cleanly(emu, first, second)

    def count(prefix: str) -> int:
        return len(emu.sends(CITIZEN, lambda m: m.text.startswith(prefix)))

    assert len(emu.sends(CITIZEN, is_reminder)) == len(due)
    assert count("📅 Neues Ideenlabor") == 1
    assert count("⚠️ Änderung") == 1
    assert count(sent_text) == 1
    assert count("❌ Abgesagt") == 1
    assert len(emu.sends(CITIZEN, lambda m: m.document is not None)) == 1
    print(f"lifecycle took {time.monotonic() - began:.0f} s")
