"""Registration with consent, the waiting list, "Ich kann doch nicht", /meine_termine, admins."""

from __future__ import annotations

import csv
import datetime as dt
import io

from messages import actions as cb

from conftest import Harness
from stories.workshops import (
    BERLIN,
    MAY_12,
    add_workshop,
    open_detail,
    person,
    register,
    register_typed,
)

CONSENT = (
    "Für die Teilnehmerliste geben wir Ihren Namen „Erika“ an das "
    "Ministerium/die Veranstalter weiter. Einverstanden?"
)


async def test_registration_asks_for_consent_then_stores_the_name(harness: Harness) -> None:
    workshop_id = await add_workshop(harness, capacity=10)
    user = person(harness, last="Mustermann")
    await open_detail(user, workshop_id)
    await user.tap("🙋 Ich nehme teil")
    assert CONSENT in user.last.text
    assert (
        "Anmeldung: Gute Arbeit in Köln\nMittwoch, 12. Mai 2027, 14:00–18:00 Uhr" in user.last.text
    )
    assert await harness.data.workshops.repo.participants(workshop_id) == []  # nothing yet
    confirm = user.last.callback_data("✅ Ja, anmelden") or ""
    await user.tap("✅ Ja, anmelden")
    assert user.answers[-1].text == "✅ Sie sind angemeldet."
    assert user.last.text.startswith("🎉 Wir freuen uns auf Sie! Falls Sie doch nicht kommen")
    assert "✅ Sie sind angemeldet.\n🔔 Als angemeldete Person werden Sie" in user.last.text
    assert "Freie Plätze: 9 von 10" in user.last.text
    assert "🔔 Als angemeldete Person werden Sie vor dem Termin erinnert." in user.last.text
    assert "Abmelden" in user.last.button_labels()
    assert "🔔 Erinnern" not in user.last.button_labels()  # participants are reminded anyway
    await user.tap_data(confirm)  # a double tap
    assert user.answers[-1].text == "Sie sind bereits angemeldet."
    rows = await harness.data.workshops.repo.participants(workshop_id)
    assert [(r.display_name, r.status) for r in rows] == [("Erika", "confirmed")]


async def test_refusing_consent_stores_nothing(harness: Harness) -> None:
    workshop_id = await add_workshop(harness)
    user = person(harness, last="Mustermann")
    await open_detail(user, workshop_id)
    await user.tap("🙋 Ich nehme teil")
    await user.tap("Abbrechen")
    assert user.last.text.startswith("Gute Arbeit in Köln")
    assert "🙋 Ich nehme teil" in user.last.button_labels()
    assert await harness.data.workshops.repo.participants(workshop_id) == []


async def test_waiting_list_moves_up_when_a_seat_is_freed(harness: Harness) -> None:
    workshop_id = await add_workshop(harness, capacity=1)
    first, second = person(harness), person(harness, 4712, "Max")
    await register(first, workshop_id)
    await open_detail(second, workshop_id)
    assert "Plätze: ausgebucht – Warteliste: 0" in second.last.text
    await second.tap("🙋 Ich nehme teil (Warteliste)")
    assert "Sie kommen auf die Warteliste" in second.last.text
    await second.tap("✅ Ja, anmelden")
    assert second.answers[-1].text == "⏳ Sie stehen auf der Warteliste (Platz 1)."
    assert "Sie sind auf Platz 1 der Warteliste." in second.last.text
    assert "Warteliste verlassen" in second.last.button_labels()
    await first.tap("Abmelden")
    assert first.answers[-1].text == "Sie sind abgemeldet – Ihr Platz ist wieder frei."
    assert "🙋 Ich nehme teil (Warteliste)" in first.last.button_labels()  # Max moved up
    await harness.deliver()
    assert "Sie sind nachgerückt!" in second.last.text
    assert "„Gute Arbeit in Köln“ am Mittwoch, 12. Mai 2027" in second.last.text
    await second.tap("Details")
    assert "✅ Sie sind angemeldet." in second.last.text
    assert not [m for m in first.messages if "nachgerückt" in m.text]


async def test_cannot_come_from_the_reminder_frees_the_seat(harness: Harness) -> None:
    start = dt.datetime(2026, 12, 10, 14, 0, tzinfo=BERLIN)
    workshop_id = await add_workshop(harness, start=start, capacity=1)
    first, second, fan = person(harness), person(harness, 4712, "Max"), person(harness, 4714, "Fan")
    for user in (first, second):
        await register(user, workshop_id)
    await open_detail(fan, workshop_id)
    await fan.tap("🔔 Erinnern")
    harness.clock.advance(days=7, hours=21, minutes=59)  # 09:00 Berlin is 08:00 UTC
    await harness.deliver()
    assert "Erinnerung:" not in first.last.text
    harness.clock.advance(minutes=1)
    await harness.deliver()
    reminder = first.last
    assert reminder.text.startswith("🔔 Erinnerung: Gute Arbeit in Köln")
    assert "Sie sind angemeldet." in reminder.text
    assert not [m for m in second.messages if "Erinnerung:" in m.text]  # waiting: no reminder
    await first.tap("Ich kann doch nicht", message=reminder)
    assert "Ihr Platz bei „Gute Arbeit in Köln“ ist freigegeben" in first.last.text
    assert reminder.button_labels() == ["Details"]  # the button did its job
    await first.tap_data(cb.CannotCome(workshop_id).encode(), message=reminder)
    assert "Das ist bereits erledigt" in first.last.text
    await harness.deliver()
    assert "Sie sind nachgerückt!" in second.last.text
    await fan.tap("Ich kann doch nicht", message=fan.last)
    assert "Sie bekommen keine Erinnerungen mehr für „Gute Arbeit in Köln“" in fan.last.text
    harness.clock.advance(days=6)
    await harness.deliver()
    assert [m.text.count("Erinnerung:") for m in (first.last, fan.last)] == [0, 0]
    assert second.last.text.startswith("🔔 Erinnerung: Gute Arbeit in Köln")


async def test_my_dates_lists_everything_with_cancel_buttons(harness: Harness) -> None:
    user = person(harness)
    await user.command("meine_termine")
    assert "Sie haben noch keine Anmeldungen, Erinnerungen oder Abos" in user.last.text
    assert "/termine" in user.last.text
    registered = await add_workshop(harness)
    followed = await add_workshop(harness, "juni", title="Juni", start=MAY_12 + dt.timedelta(30))
    await register(user, registered)
    await user.tap("📬 Alle Termine der Region abonnieren")
    await open_detail(user, followed)
    await user.tap("🔔 Erinnern")
    await user.tap("🗓 Meine Termine")
    text = user.last.text
    assert "1. Gute Arbeit in Köln\nMi., 12.05.2027, 14:00 – ✅ angemeldet" in text
    assert "Erinnerungen\n2. 🔔 Juni\nFr., 11.06.2027, 14:00" in text
    assert "• Region Köln" in text
    assert user.last.buttons[:3] == [
        ["1. Gute Arbeit in Köln", "✖️ Abmelden"],
        ["2. Juni", "🔕 Erinnerung aus"],
        ["✖️ Abo beenden: Region Köln"],
    ]
    await user.tap("✖️ Abmelden")
    assert user.answers[-1].text == "Sie sind abgemeldet – Ihr Platz ist wieder frei."
    assert "Anmeldungen" not in user.last.text and "Juni" in user.last.text
    await user.tap("🔕 Erinnerung aus")
    await user.tap("✖️ Abo beenden: Region Köln")
    assert "Sie haben noch keine Anmeldungen" in user.last.text
    await user.tap("📅 Zu den Terminen")
    assert "2 Termine" in user.last.text


async def test_admin_sees_participants_and_exports_csv(harness: Harness) -> None:
    workshop_id = await add_workshop(harness, capacity=2)
    names = [("Jürgen", "Müller"), ("<b>Zoë</b>", "& Co"), ("=HYPERLINK(1)", "")]
    await register_typed(harness, workshop_id, names)
    admin = harness.admin()
    await open_detail(admin, workshop_id)
    await admin.tap("👥 Teilnehmende (2)")
    text = admin.last.text
    assert "Angemeldet: 2 von 2 · Warteliste: 1" in text
    assert (
        "Angemeldet\n1. Jürgen Müller\n2. <b>Zoë</b> & Co\n\nWarteliste\n1. =HYPERLINK(1)" in text
    )
    await admin.tap("CSV-Export")
    document = admin.last.document
    assert document is not None and document.filename == "teilnehmende-koeln-mai.csv"
    assert admin.last.text == "Teilnehmende: Gute Arbeit in Köln (3 Einträge)"
    assert document.content.startswith(b"\xef\xbb\xbf")
    lines = document.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "Nr;Name;Status;Angemeldet am"
    assert lines[1] == "1;Jürgen Müller;angemeldet;25.11.2026 11:00"
    rows = list(csv.reader(io.StringIO("\n".join(lines)), delimiter=";"))
    assert rows[2][1] == "<b>Zoë</b> & Co" and rows[3][1:3] == ["'=HYPERLINK(1)", "Warteliste"]


async def test_non_admins_forging_admin_buttons_are_refused(harness: Harness) -> None:
    workshop_id = await add_workshop(harness)
    user = person(harness, last="Mustermann")
    await open_detail(user, workshop_id)
    assert not [b for b in user.last.button_labels() if "Teilnehmende" in b or "CSV" in b]
    await user.tap("🙋 Ich nehme teil")
    await user.tap("✅ Ja, anmelden")
    for action in (cb.Participants(workshop_id), cb.ParticipantsCsv(workshop_id)):
        await user.tap_data(action.encode())
        assert (
            user.answers[-1].text is not None
            and "fehlt Ihnen die Berechtigung" in user.answers[-1].text
        )
        assert "Ihr Versuch wurde protokolliert" in user.last.text
        assert user.last.document is None and "Mustermann" not in user.last.text


async def test_stale_and_forged_buttons_get_a_short_answer(harness: Harness) -> None:
    soon = await add_workshop(harness, start=dt.datetime(2026, 11, 26, 12, 0, tzinfo=BERLIN))
    called_off = await add_workshop(harness, "abgesagt", title="Abgesagt")
    await harness.data.workshops.cancel(called_off)
    user = person(harness)
    await open_detail(user, soon)
    detail = user.last
    forged = (cb.ShowWorkshop(999), cb.Register(999), cb.WorkshopCalendar(999), cb.Unregister(0))
    for action in forged:
        await user.tap_data(action.encode(), message=detail)
        assert user.answers[-1].text == "Diesen Termin gibt es nicht (mehr)."
    for other in (cb.WorkshopList(999, 0), cb.SubscribeRegion(999, 1)):
        await user.tap_data(other.encode())
        assert user.answers[-1].text == "Diesen Termin gibt es nicht (mehr)."
    assert len(user.messages) == 1 and user.last.text.startswith("Gute Arbeit in Köln")
    await user.tap_data("1|wj|abc")
    assert user.answers[-1].text == "Diese Schaltfläche ist nicht mehr gültig."
    await open_detail(user, called_off)
    assert user.last.text.startswith("❌ Abgesagt")
    assert "🙋 Ich nehme teil" not in user.last.button_labels()
    await user.tap_data(cb.ConfirmRegister(called_off).encode())
    assert user.answers[-1].text == "Dieser Termin ist abgesagt."
    await user.tap_data(cb.FollowWorkshop(called_off, 1).encode())
    assert user.answers[-1].text == "Dieser Termin ist abgesagt."
    await open_detail(user, soon)
    await user.tap("🙋 Ich nehme teil")
    harness.clock.advance(days=1, hours=1)  # it has begun
    await user.tap("✅ Ja, anmelden")
    assert user.answers[-1].text == "Dieser Termin hat bereits begonnen."
    assert "▶️ Dieses Ideenlabor läuft gerade." in user.last.text
    assert "🙋 Ich nehme teil" not in user.last.button_labels()
    assert await harness.data.workshops.repo.participants(soon) == []
    assert await harness.data.workshops.repo.participants(called_off) == []
