"""E-mail over TLS: STARTTLS when offered, never a password over a plain connection.

Against a real local aiosmtpd: one that requires STARTTLS and AUTH over TLS (a self-signed
certificate made here with the openssl command), and one without TLS.
"""

from __future__ import annotations

import logging
import shutil
import ssl
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import pytest
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session

from bot.config import ConfigError, Settings, load_settings
from bot.mailer import parse_smtp_url

from conftest import FakeClock, Harness, checked, make_settings
from stories.mail import (
    ANNA,
    SENDER,
    SmtpServer,
    email_rows,
    register_and_deliver,
    smtp_url_refused,
)

USER, PASSWORD = "bot@example.org", "geheim:1"
CREDENTIALS = "bot%40example.org:geheim%3A1"


@dataclass(frozen=True)
class Certificate:
    """A self-signed certificate for 127.0.0.1 and its key (PEM files)."""

    cert: Path
    key: Path


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> Certificate:
    """Made with the openssl command (no Python crypto package is a dependency)."""
    openssl = shutil.which("openssl")
    assert openssl is not None, "the openssl command is needed to make a test certificate"
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            openssl,
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-keyout",
            str(key),
            "-out",
            str(cert),
            "-days",
            "2",
            "-subj",
            "/CN=Ideenlabor test mail server",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
        ],
        check=True,
        capture_output=True,
    )
    return Certificate(cert, key)


@dataclass
class Mailbox:
    """What the server saw: mails (with TLS and login) and every login attempt."""

    mails: list[tuple[Envelope, bool, str | None]] = field(default_factory=list)
    logins: list[tuple[str, str, bool]] = field(default_factory=list)

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        login = (
            cast(LoginPassword, session.auth_data).login.decode() if session.authenticated else None
        )
        self.mails.append((envelope, session.ssl is not None, login))
        return "250 Message accepted for delivery"

    def authenticate(
        self, server: SMTP, session: Session, envelope: Envelope, mechanism: str, data: object
    ) -> AuthResult:
        assert isinstance(data, LoginPassword)
        login, password = data.login.decode(), data.password.decode()
        self.logins.append((login, password, session.ssl is not None))
        return AuthResult(success=(login, password) == (USER, PASSWORD), auth_data=data)


def serve(smtp: SmtpServer, tls: Certificate | None) -> Mailbox:
    """A mailbox served: with tls, STARTTLS and AUTH over TLS required; without, AUTH offered in
    plain."""
    mailbox = Mailbox()
    options: dict[str, Any] = {"authenticator": mailbox.authenticate}
    if tls is not None:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(tls.cert, tls.key)
        options |= {"tls_context": context, "require_starttls": True}
    else:
        options |= {"auth_require_tls": False}
    return smtp.start(mailbox, **options)


def settings_for(db_path: Path, url: str, **extra: Any) -> Settings:
    return make_settings(db_path, IDEENLABOR_SMTP_URL=url, IDEENLABOR_MAIL_FROM=SENDER, **extra)


async def one_registration_delivered(harness: Harness) -> dict[str, object]:
    """Erika registers; the dispatcher runs once; the e-mail row afterwards."""
    await register_and_deliver(harness)
    [row] = await email_rows(harness)
    return row


@pytest.mark.process
@pytest.mark.parametrize("trust", ["IDEENLABOR_SMTP_CA_FILE", "SSL_CERT_FILE"])
async def test_submission_url_upgrades_with_starttls_and_logs_in_over_tls(
    db_path: Path,
    clock: FakeClock,
    smtp: SmtpServer,
    certificate: Certificate,
    monkeypatch: pytest.MonkeyPatch,
    trust: str,
) -> None:
    mailbox = serve(smtp, certificate)
    url = f"smtp://{CREDENTIALS}@127.0.0.1:{smtp.port}"  # no ?starttls=true: the usual form
    extra: dict[str, object] = {}
    if trust == "SSL_CERT_FILE":
        monkeypatch.setenv("SSL_CERT_FILE", str(certificate.cert))
    else:
        extra[trust] = str(certificate.cert)
    async with checked(settings_for(db_path, url, **extra), clock) as harness:
        row = await one_registration_delivered(harness)
    assert row["state"] == "sent", row
    assert mailbox.logins == [(USER, PASSWORD, True)]
    [(envelope, over_tls, login)] = mailbox.mails
    assert (over_tls, login, envelope.rcpt_tos) == (True, USER, [ANNA])


@pytest.mark.process
async def test_an_untrusted_certificate_is_not_bypassed(
    db_path: Path, clock: FakeClock, smtp: SmtpServer, certificate: Certificate
) -> None:
    mailbox = serve(smtp, certificate)
    url = f"smtp://{CREDENTIALS}@127.0.0.1:{smtp.port}"
    async with checked(settings_for(db_path, url), clock) as harness:
        row = await one_registration_delivered(harness)
    assert row["state"] == "pending"  # kept: trusting the certificate lets it go out later
    error = str(row["last_error"])
    assert "certificate verify failed" in error and "IDEENLABOR_SMTP_CA_FILE" in error, row
    assert mailbox.logins == [] and mailbox.mails == []


@pytest.mark.process
async def test_the_password_never_goes_over_a_plain_connection(
    db_path: Path,
    clock: FakeClock,
    smtp: SmtpServer,
    caplog: pytest.LogCaptureFixture,
) -> None:
    mailbox = serve(smtp, None)  # offers AUTH without TLS
    url = f"smtp://{CREDENTIALS}@127.0.0.1:{smtp.port}"
    with caplog.at_level(logging.ERROR, logger="bot.mailer"):
        async with checked(settings_for(db_path, url), clock) as harness:
            row = await one_registration_delivered(harness)
    assert mailbox.logins == [] and mailbox.mails == []  # no AUTH attempted, nothing sent
    error = str(row["last_error"])
    assert row["state"] == "pending", row  # kept for when the server offers TLS
    assert "does not offer STARTTLS" in error and "insecure_auth=true" in error, error
    assert PASSWORD not in error
    [record] = [r for r in caplog.records if r.name == "bot.mailer"]
    assert record.levelno == logging.ERROR and "insecure_auth=true" in record.getMessage()


@pytest.mark.process
async def test_the_documented_opt_in_logs_in_over_a_plain_connection(
    db_path: Path, clock: FakeClock, smtp: SmtpServer
) -> None:
    mailbox = serve(smtp, None)
    url = f"smtp://{CREDENTIALS}@127.0.0.1:{smtp.port}?insecure_auth=true"
    async with checked(settings_for(db_path, url), clock) as harness:
        row = await one_registration_delivered(harness)
    assert row["state"] == "sent", row
    assert mailbox.logins == [(USER, PASSWORD, False)]
    [(_, over_tls, login)] = mailbox.mails
    assert (over_tls, login) == (False, USER)


@pytest.mark.process
async def test_without_credentials_a_server_without_tls_gets_the_mail_in_plain(
    db_path: Path, clock: FakeClock, smtp: SmtpServer
) -> None:
    mailbox = serve(smtp, None)
    async with checked(settings_for(db_path, f"smtp://127.0.0.1:{smtp.port}"), clock) as harness:
        row = await one_registration_delivered(harness)
    assert row["state"] == "sent", row
    [(_, over_tls, login)] = mailbox.mails
    assert (over_tls, login, mailbox.logins) == (False, None, [])


@pytest.mark.process
async def test_starttls_true_requires_it(db_path: Path, clock: FakeClock, smtp: SmtpServer) -> None:
    mailbox = serve(smtp, None)
    url = f"smtp://127.0.0.1:{smtp.port}?starttls=true"
    async with checked(settings_for(db_path, url), clock) as harness:
        row = await one_registration_delivered(harness)
    assert row["state"] == "pending" and "STARTTLS" in str(row["last_error"]), row
    assert mailbox.mails == []


def test_smtp_url_modes() -> None:
    usual = parse_smtp_url("smtp://u:p@mail.example.org:587")
    assert (usual.start_tls, usual.use_tls, usual.insecure_auth) == (None, False, False)
    required = parse_smtp_url("smtp://u:p@mail.example.org?starttls=true")
    assert (required.port, required.start_tls) == (587, True)
    opted_in = parse_smtp_url("smtp://u:p@relay.example.org:25?insecure_auth=true")
    assert (opted_in.start_tls, opted_in.insecure_auth) == (None, True)
    never = parse_smtp_url("smtp://u:p@relay.example.org?starttls=false&insecure_auth=true")
    assert (never.start_tls, never.insecure_auth) == (False, True)
    assert parse_smtp_url("smtp://relay.example.org?starttls=false").start_tls is False


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "smtp://u:p@mail.example.org?starttls=false",
            "would send the password unencrypted",
        ),
        ("smtp://mail.example.org?insecure_auth=true", "insecure_auth=true needs user:pass@"),
        ("smtps://u:p@mail.example.org?insecure_auth=true", "smtps:// always uses TLS"),
        (
            "smtp://u:p@mail.example.org?starttls=true&insecure_auth=true",
            "contradicts starttls=true",
        ),
        ("smtp://u:p@mail.example.org?insecure_auth=maybe", "insecure_auth must be true or"),
    ],
)
def test_insecure_smtp_urls_are_refused_at_start(url: str, expected: str) -> None:
    assert ":p@" not in smtp_url_refused(url, expected)


@pytest.mark.process  # its certificate is made by the openssl command
def test_ca_file_must_be_a_readable_pem_bundle(tmp_path: Path, certificate: Certificate) -> None:
    url = "smtp://u:p@mail.example.org"
    with pytest.raises(ConfigError, match=r"^IDEENLABOR_SMTP_CA_FILE: .*cannot be read"):
        load_settings(
            _env_file=None,
            IDEENLABOR_SMTP_URL=url,
            IDEENLABOR_MAIL_FROM=SENDER,
            IDEENLABOR_SMTP_CA_FILE=str(tmp_path / "missing.pem"),
        )
    garbage = tmp_path / "garbage.pem"
    garbage.write_text("not a certificate\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"^IDEENLABOR_SMTP_CA_FILE: .*no PEM certificate"):
        load_settings(
            _env_file=None,
            IDEENLABOR_SMTP_URL=url,
            IDEENLABOR_MAIL_FROM=SENDER,
            IDEENLABOR_SMTP_CA_FILE=str(garbage),
        )
    settings = load_settings(
        _env_file=None,
        IDEENLABOR_SMTP_URL=url,
        IDEENLABOR_MAIL_FROM=SENDER,
        IDEENLABOR_SMTP_CA_FILE=str(certificate.cert),
    )
    assert settings.smtp_ca_file == certificate.cert
    assert load_settings(_env_file=None, IDEENLABOR_SMTP_CA_FILE="").smtp_ca_file is None
