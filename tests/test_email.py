"""E-mail to regional contacts against a real local SMTP server (aiosmtpd on 127.0.0.1)."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from email.utils import parsedate_to_datetime
from pathlib import Path

import pytest
from workgroup_helpers import GROUP, link_contact, load, rows

from bot.config import ConfigError, Settings, load_settings
from bot.mailer import parse_smtp_url

from conftest import ADMIN_ID, FakeClock, Harness, checked, make_settings
from stories.mail import (
    ANNA,
    SENDER,
    Collector,
    SmtpServer,
    email_rows,
    register_and_deliver,
    register_erika,
    smtp_url_refused,
)


def mail_settings(db_path: Path, port: int) -> Settings:
    """The test settings with e-mail to the local server."""
    return make_settings(
        db_path, IDEENLABOR_SMTP_URL=f"smtp://127.0.0.1:{port}", IDEENLABOR_MAIL_FROM=SENDER
    )


@pytest.fixture
async def mail_bot(db_path: Path, clock: FakeClock, smtp: SmtpServer) -> AsyncIterator[Harness]:
    """The running bot with e-mail to the local SMTP server (which each test starts, or not);
    fails if a handler raised."""
    async with checked(mail_settings(db_path, smtp.port), clock) as h:
        yield h


@pytest.mark.process
async def test_registration_mail_arrives_with_headers_and_utf8_body(
    mail_bot: Harness, smtp: SmtpServer
) -> None:
    collector = smtp.start(Collector())
    report = await register_and_deliver(mail_bot)
    assert report.sent >= 1 and report.failed == 0
    [message] = collector.messages()
    [envelope] = collector.envelopes
    assert envelope.mail_from == SENDER and envelope.rcpt_tos == [ANNA]
    assert message["From"] == SENDER and message["To"] == ANNA
    assert message["Subject"] == (f"Neue Meldung für die Arbeitsgruppe „{GROUP}“ (NiederRhein)")
    assert parsedate_to_datetime(message["Date"]) == dt.datetime(2026, 11, 25, 10, tzinfo=dt.UTC)
    assert message["Message-ID"].startswith("<") and message["Message-ID"].endswith("@example.org>")
    assert not message.is_multipart()
    assert message.get_content_type() == "text/plain"
    assert message.get_content_charset() == "utf-8"
    body = message.get_content()
    for line in (
        "Guten Tag Anna Schmidt,",
        f"für die Arbeitsgruppe „{GROUP}“ (NiederRhein)",
        "Name: Erika",
        "E-Mail: erika@example.org",
        "Telefon: +49211123456",
        "Nachricht: Ich helfe gern <b>mit</b>",  # literally, not escaped, no HTML
        "Gemeldet am: 25.11.2026",
    ):
        assert line in body, (line, body)
    assert "&lt;" not in body and "&quot;" not in body
    [row] = await email_rows(mail_bot)
    assert (row["state"], row["email_to"], row["kind"]) == ("sent", ANNA, "wg_new")
    assert str(row["dedupe_key"]).startswith("email:wg_new:")
    # The contact is reachable by e-mail: the admins are not told of a waiting registration.
    admin_texts = [m.text for m in mail_bot.api.messages(ADMIN_ID)]
    assert not any("keine Ansprechperson" in text for text in admin_texts)


@pytest.mark.process
async def test_linked_contact_gets_telegram_and_mail_and_the_withdrawal(
    mail_bot: Harness, smtp: SmtpServer
) -> None:
    collector = smtp.start(Collector())
    await load(mail_bot)
    anna = await link_contact(mail_bot)
    await register_erika(mail_bot)
    await mail_bot.deliver()
    assert "Neue Meldung für die Arbeitsgruppe" in anna.last.text
    assert len(collector.envelopes) == 1
    [row] = await rows(mail_bot)
    item = await mail_bot.data.workgroups.withdraw(int(str(row["id"])), 4711)
    assert item is not None
    await mail_bot.deliver()
    assert "hat die Meldung für die Arbeitsgruppe" in anna.last.text
    first, second = collector.messages()
    assert second["Subject"] == f"Meldung zurückgezogen: Arbeitsgruppe „{GROUP}“ (NiederRhein)"
    assert "Erika hat die Meldung" in second.get_content()
    assert "erika@example.org" not in second.get_content()
    assert second["Message-ID"] != first["Message-ID"]


@pytest.mark.process
async def test_smtp_outage_is_retried_and_the_mail_arrives_once(
    mail_bot: Harness, clock: FakeClock, smtp: SmtpServer
) -> None:
    report = await register_and_deliver(mail_bot)  # nothing listens yet
    assert report.retried == 1 and report.failed == 0
    [row] = await email_rows(mail_bot)
    assert (row["state"], row["attempts"]) == ("pending", 1)
    assert row["last_error"]
    admin_texts = [m.text for m in mail_bot.api.messages(ADMIN_ID)]
    assert not any("keine Ansprechperson" in text for text in admin_texts)

    collector = smtp.start(Collector())
    await mail_bot.deliver()
    assert collector.envelopes == []  # not due yet: backoff
    clock.advance(seconds=11)
    report = await mail_bot.deliver()
    assert report.sent == 1
    clock.advance(hours=2)
    await mail_bot.deliver()
    assert len(collector.envelopes) == 1
    [row] = await email_rows(mail_bot)
    assert (row["state"], row["attempts"], row["last_error"]) == ("sent", 2, None)


@pytest.mark.process
async def test_permanent_refusal_fails_without_retry(
    mail_bot: Harness, clock: FakeClock, smtp: SmtpServer
) -> None:
    collector = smtp.start(Collector(refuse="550 5.7.1 Mailbox unavailable"))
    report = await register_and_deliver(mail_bot)
    assert report.failed == 1
    clock.advance(hours=3)
    await mail_bot.deliver()
    assert collector.attempts == 1 and collector.envelopes == []
    [row] = await email_rows(mail_bot)
    assert (row["state"], row["attempts"]) == ("failed", 1)
    assert "550" in str(row["last_error"]) and "Mailbox unavailable" in str(row["last_error"])


@pytest.mark.process
async def test_temporary_refusal_stays_pending(
    mail_bot: Harness, clock: FakeClock, smtp: SmtpServer
) -> None:
    collector = smtp.start(Collector(refuse="451 4.3.0 Try again later"))
    await register_and_deliver(mail_bot)
    [row] = await email_rows(mail_bot)
    assert row["state"] == "pending" and "451" in str(row["last_error"])
    collector.refuse = None
    clock.advance(seconds=11)
    await mail_bot.deliver()
    assert len(collector.envelopes) == 1
    assert (await email_rows(mail_bot))[0]["state"] == "sent"


async def test_without_smtp_no_mail_rows_and_admins_told(harness: Harness) -> None:
    await register_and_deliver(harness)
    assert await email_rows(harness) == []
    assert "keine Ansprechperson mit Telegram verknüpft" in harness.admin().last.text


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://mail.example.org", "must start with smtp:// or smtps://"),
        ("smtp://", "names no mail server host"),
        ("smtp://mail.example.org:99999", "is not a valid SMTP URL"),
        ("smtp://mail.example.org:587?starttls=maybe", "starttls must be true or false"),
        ("smtp://mail.example.org?tls=1", "unknown SMTP URL option 'tls'"),
        ("smtps://mail.example.org?starttls=true", "smtps:// already uses TLS"),
        ("smtp://user@mail.example.org", "has a user but no password"),
        ("smtp://mail.example.org/inbox", "must not have a path"),
    ],
)
def test_bad_smtp_urls_are_one_clear_line(url: str, expected: str) -> None:
    text = smtp_url_refused(url, expected)
    assert "\n" not in text and "e.g. smtp://user:pass@" in text


def test_smtp_url_error_hides_the_password() -> None:
    with pytest.raises(ConfigError) as info:
        load_settings(_env_file=None, IDEENLABOR_SMTP_URL="ftp://u:geheim@host")
    assert "geheim" not in str(info.value)


def test_mail_from_is_required_with_smtp_and_must_be_an_address() -> None:
    with pytest.raises(ConfigError, match=r"^IDEENLABOR_MAIL_FROM: is required when"):
        load_settings(_env_file=None, IDEENLABOR_SMTP_URL="smtp://mail.example.org")
    with pytest.raises(ConfigError, match=r"^IDEENLABOR_MAIL_FROM: 'bot@localhost' is not"):
        load_settings(
            _env_file=None,
            IDEENLABOR_SMTP_URL="smtp://h.example.org",
            IDEENLABOR_MAIL_FROM="bot@localhost",
        )
    settings = load_settings(_env_file=None)
    assert settings.smtp is None and settings.mailer() is None


def test_smtp_urls_parse() -> None:
    plain = parse_smtp_url("smtp://mail.example.org")
    assert (plain.port, plain.use_tls, plain.start_tls, plain.username) == (25, False, None, None)
    submission = parse_smtp_url(
        "smtp://bot%40example.org:p%3Ass@mail.example.org:587?starttls=true"
    )
    assert (submission.port, submission.start_tls) == (587, True)
    assert (submission.username, submission.password) == ("bot@example.org", "p:ss")
    assert "p:ss" not in repr(submission)
    implicit = parse_smtp_url("smtps://u:p@mail.example.org")
    assert (implicit.port, implicit.use_tls, implicit.start_tls) == (465, True, None)
    settings = load_settings(
        _env_file=None,
        IDEENLABOR_SMTP_URL="smtp://u:geheim@mail.example.org:587?starttls=true",
        IDEENLABOR_MAIL_FROM=SENDER,
    )
    assert settings.mailer() is not None and "geheim" not in repr(settings)
