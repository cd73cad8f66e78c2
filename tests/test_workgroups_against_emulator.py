"""Issue 5, "Done when": working groups tried as new users would, against the real process.

A working group and its regional contact (with an e-mail address) are imported with
`python -m bot import`; then `python -m bot run` is started against the HTTP Bot API emulator
and a local SMTP server (aiosmtpd on 127.0.0.1). The admin invites the contact, who opens the
deep link and is linked. A citizen finds the group from the region's idea list, taps
"🙋 Mitmachen" and agrees; the contact gets the Telegram message and the e-mail, marks the
registration as contacted (the citizen is told) and exports the CSV. The citizen withdraws and
the contact is told (on Telegram and by e-mail). The bot stops on SIGTERM with status 0, and
neither the emulator nor the logs recorded an error.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from email.utils import parsedate_to_datetime
from pathlib import Path

import pytest

from stories.mail import ANNA, SENDER, Collector, SmtpServer
from stories.processes import STEP_TIMEOUT, BotProcess, RecordingEmulator, run_python, stop_cleanly

pytestmark = pytest.mark.process  # starts the bot or a server (see conftest.py)

CITIZEN = 6001
CONTACT = 6002
ADMIN = 6003
GROUP = "Fachkräfte für den Niederrhein"
SUBJECT = f"Neue Meldung für die Arbeitsgruppe „{GROUP}“ (NiederRhein)"
MESSAGE = "Ich helfe gern – Grüße aus Kleve 😊 <b>nicht fett</b>"

IMPORT = f"""\
working_groups:
  - slug: ag-fachkraefte
    name: "{GROUP}"
    region: niederrhein
    ideas: [we-make-you-sexy-niederrhein]
    description: "Wir bringen junge Fachkräfte an den Niederrhein."
contacts:
  - slug: anna
    region: niederrhein
    name: Anna Schmidt
    organisation: Regionalagentur NiederRhein
    email: {ANNA}
    phone: "02841 123456"
"""


@pytest.fixture
def bot_env(smtp: SmtpServer) -> dict[str, str]:
    """An admin, and e-mail through the local SMTP server."""
    return {
        "IDEENLABOR_ADMINS": str(ADMIN),
        "IDEENLABOR_SMTP_URL": f"smtp://127.0.0.1:{smtp.port}",
        "IDEENLABOR_MAIL_FROM": SENDER,
    }


def test_working_group_registration_against_the_real_process(
    emulator: RecordingEmulator,
    smtp: SmtpServer,
    run_env: dict[str, str],
    launch: Callable[[], BotProcess],
    tmp_path: Path,
) -> None:
    emu = emulator
    box = smtp.start(Collector())
    began = time.monotonic()

    # ------------------------------------------------ the import, before the bot runs
    data = tmp_path / "arbeitsgruppen.yaml"
    data.write_text(IMPORT, encoding="utf-8")
    imported = run_python("-m", "bot", "import", str(data), env=run_env)
    assert imported.returncode == 0, imported.stderr
    assert "1 working groups, 1 contacts" in imported.stdout, imported.stdout
    assert "Traceback" not in imported.stderr

    emu.user(CITIZEN, "Erika", language_code="de")
    emu.user(CONTACT, "Anna", language_code="de")
    emu.user(ADMIN, "Adam", language_code="de")
    bot = launch()
    _run(emu, box)
    stop_cleanly(emu, bot)
    took = time.monotonic() - began
    print(f"working-group flow took {took:.1f} s")
    assert took < 60


def _run(emu: RecordingEmulator, box: Collector) -> None:
    # ------------------------------------------------ the admin invites the contact
    emu.push_command(ADMIN, "kontakt_einladen", "niederrhein", "anna")
    invite = emu.step(ADMIN, "Einladungslink für eine Ansprechperson für NiederRhein")
    found = re.search(r"\?start=(contact_[A-Za-z0-9_-]+)", invite.text)
    assert found, invite.text
    emu.push_command(CONTACT, "start", found.group(1))
    linked = emu.step(CONTACT, "Sie sind jetzt als Ansprechperson für NiederRhein verknüpft")
    assert "/interessenten" in linked.text

    # ------------------------------------------------ the citizen finds the group and joins
    emu.push_command(CITIZEN, "regionen")
    regions = emu.step(CITIZEN, lambda m: "NiederRhein" in " ".join(m.labels()))
    emu.tap(CITIZEN, "NiederRhein", message=regions)
    region = emu.step(
        CITIZEN, lambda m: m.message_id == regions.message_id and "👥 Arbeitsgruppen:" in m.text
    )
    assert f"👥 Arbeitsgruppen: {GROUP}" in region.text, region.text
    assert "📇 Ansprechperson: Anna Schmidt (Regionalagentur NiederRhein)" in region.text
    assert ANNA not in region.text
    emu.tap(CITIZEN, "👥 Arbeitsgruppen", message=region)
    group = emu.step(
        CITIZEN, lambda m: m.message_id == regions.message_id and f"Arbeitsgruppe {GROUP}" in m.text
    )
    assert "Wir bringen junge Fachkräfte an den Niederrhein." in group.text, group.text
    assert "Nimmt neue Mitwirkende auf" in group.text
    assert "Ansprechperson: Anna Schmidt, Regionalagentur NiederRhein" in group.text
    assert group.labels()[0] == "🙋 Mitmachen", group.labels()
    emu.tap(CITIZEN, "🙋 Mitmachen", message=group)
    name = emu.step(CITIZEN, "Unter welchem Namen sollen Sie kontaktiert werden?")
    emu.tap(CITIZEN, "✅ Übernehmen: Erika", message=name)
    emu.step(CITIZEN, "Möchten Sie eine E-Mail-Adresse angeben?")
    emu.push_message(CITIZEN, "erika@beispiel")
    emu.step(CITIZEN, "„erika@beispiel“ ist keine gültige E-Mail-Adresse.")
    emu.push_message(CITIZEN, "erika@example.org")
    phone = emu.step(CITIZEN, "Möchten Sie eine Telefonnummer angeben")
    emu.tap(CITIZEN, "⏭ Überspringen", message=phone)
    emu.step(CITIZEN, "Möchten Sie der Ansprechperson etwas mitteilen")
    emu.push_message(CITIZEN, MESSAGE)
    consent = emu.step(CITIZEN, "Bitte prüfen Sie, was weitergegeben wird")
    assert (
        "Ihr Name, Ihre E-Mail und Ihre Nachricht gehen an Anna Schmidt, Regionalagentur "
        "NiederRhein."
    ) in consent.text, consent.text
    assert f"Nachricht: {MESSAGE}" in consent.text
    registered = emu.mark()
    emu.tap(CITIZEN, "✅ Einverstanden, senden", message=consent)
    emu.step(CITIZEN, f"Danke! Ihre Meldung für die Arbeitsgruppe „{GROUP}“ ist angekommen.")

    # ------------------------------------------------ the contact: Telegram and e-mail
    notice = emu.told(CONTACT, lambda m: m.text.startswith("🙋 Neue Meldung"), since=registered)
    assert f"für die Arbeitsgruppe „{GROUP}“ (NiederRhein)" in notice.text
    assert "Name: Erika" in notice.text and "E-Mail: erika@example.org" in notice.text
    assert f"Nachricht: {MESSAGE}" in notice.text, notice.text
    assert notice.labels() == ["✅ Als kontaktiert markieren"]
    emu.wait_until(lambda: len(box.envelopes) >= 1, STEP_TIMEOUT, "the e-mail to the contact")
    assert box.envelopes[0].mail_from == SENDER and box.envelopes[0].rcpt_tos == [ANNA]
    raw_headers = box.raw(0).split(b"\r\n\r\n", 1)[0]
    assert b"=?utf-8?" in raw_headers.lower(), raw_headers  # the subject, RFC 2047-encoded
    mail = box.messages()[0]
    assert mail["From"] == SENDER and mail["To"] == ANNA
    assert mail["Subject"] == SUBJECT, mail["Subject"]
    assert mail["Message-ID"].startswith("<") and mail["Message-ID"].endswith("@example.org>")
    assert abs(parsedate_to_datetime(mail["Date"]).timestamp() - time.time()) < 120
    assert mail.get_content_type() == "text/plain" and mail.get_content_charset() == "utf-8"
    body = mail.get_content()
    for line in (
        "Guten Tag Anna Schmidt,",
        "Name: Erika",
        "E-Mail: erika@example.org",
        f"Nachricht: {MESSAGE}",
    ):
        assert line in body, (line, body)

    # ------------------------------------------------ marked as contacted: the citizen is told
    marked = emu.mark()
    emu.tap(CONTACT, "✅ Als kontaktiert markieren", message=notice)
    emu.toast("✅ Als kontaktiert markiert.", CONTACT)
    told = emu.told(CITIZEN, "hat Ihre Meldung zur Arbeitsgruppe", since=marked)
    assert (
        told.text
        == f"✅ Anna Schmidt hat Ihre Meldung zur Arbeitsgruppe „{GROUP}“ angenommen und hat Sie kontaktiert oder wird sich bei Ihnen melden."
    )

    # ------------------------------------------------ the contact's list and the CSV export
    emu.push_command(CONTACT, "interessenten")
    listing = emu.step(CONTACT, "Interessierte: NiederRhein")
    assert "Erika" in listing.text and "kontaktiert" in listing.text, listing.text
    emu.tap(CONTACT, "📄 Export (CSV)", message=listing)
    document = emu.step(CONTACT, lambda m: m.document is not None, kinds=["send"])
    assert document.document is not None and document.document.endswith(".csv")
    assert "Export der Interessierten (1 Meldung)" in document.text, document.text
    content = emu.documents[(CONTACT, document.message_id)]
    assert content.startswith("\ufeff".encode())
    lines = content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Nr.;Region;Arbeitsgruppe;Name;E-Mail;Telefon;Nachricht"), lines
    assert lines[1].startswith(f"1;NiederRhein;{GROUP};Erika;erika@example.org;;"), lines
    assert ";kontaktiert;" in lines[1]

    # ------------------------------------------------ the citizen withdraws; the contact is told
    emu.push_command(CITIZEN, "meine_gruppen")
    mine = emu.step(CITIZEN, "Meine Arbeitsgruppen")
    assert f"1. {GROUP} (NiederRhein)" in mine.text and "kontaktiert" in mine.text
    withdrawn_mark = emu.mark()
    emu.tap(CITIZEN, "↩️ Nr. 1 zurückziehen", message=mine)
    confirm = emu.step(CITIZEN, "wirklich zurückziehen")
    emu.tap(CITIZEN, "↩️ Ja, zurückziehen", message=confirm)
    emu.step(CITIZEN, "wurde zurückgezogen")
    gone = emu.told(CONTACT, "hat die Meldung", since=withdrawn_mark)
    assert gone.text.startswith(f"↩️ Erika hat die Meldung für die Arbeitsgruppe „{GROUP}“"), (
        gone.text
    )
    emu.wait_until(lambda: len(box.envelopes) >= 2, STEP_TIMEOUT, "the withdrawal e-mail")
    withdrawal = box.messages()[1]
    assert withdrawal["Subject"].startswith("Meldung zurückgezogen")
    assert "erika@example.org" not in withdrawal.get_content()
