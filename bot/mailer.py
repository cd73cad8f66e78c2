"""E-mail delivery: the SMTP settings (IDEENLABOR_SMTP_URL) and sending one plain-text message.

Mails are outbox rows like Telegram messages; the dispatcher hands them to `Mailer.send`, which
tells a temporary problem (server unreachable, time-out, 4xx) from a permanent refusal (5xx).

Encryption: smtp:// upgrades with STARTTLS whenever the server offers it (?starttls=true
requires it, ?starttls=false never tries); smtps:// speaks TLS from the first byte. Server
certificates are always verified, against the system's CAs (or SSL_CERT_FILE) plus
IDEENLABOR_SMTP_CA_FILE. A password never goes over an unencrypted connection unless the URL
says ?insecure_auth=true.
"""

from __future__ import annotations

import logging
import re
import ssl
from dataclasses import dataclass, field
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import make_msgid
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, unquote, urlsplit

from storage.contact_format import valid_email

if TYPE_CHECKING:
    import aiosmtplib

logger = logging.getLogger(__name__)

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


@dataclass(frozen=True)
class SmtpConfig:
    """Where and how to hand over mail."""

    host: str
    port: int
    use_tls: bool  # smtps://: TLS from the first byte
    # smtp://: None upgrades with STARTTLS if the server offers it, True requires it, False
    # never tries (?starttls=true / ?starttls=false).
    start_tls: bool | None
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    insecure_auth: bool = False  # ?insecure_auth=true: log in even without TLS
    timeout: float = 30.0


def _flag(key: str, value: str) -> bool:
    if value.lower() not in _TRUE | _FALSE:
        raise ValueError(f"{key} must be true or false, not '{value}'")
    return value.lower() in _TRUE


def parse_smtp_url(url: str) -> SmtpConfig:
    """smtp://[user:pass@]host[:port][?starttls=true|false] or smtps://...; ValueError if bad."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as exc:
        raise ValueError(f"'{_redacted(url)}' is not a valid SMTP URL ({exc})") from None
    if parts.scheme not in ("smtp", "smtps"):
        raise ValueError(f"'{_redacted(url)}' must start with smtp:// or smtps://")
    if not parts.hostname:
        raise ValueError(f"'{_redacted(url)}' names no mail server host")
    if parts.path not in ("", "/") or parts.fragment:
        raise ValueError(f"'{_redacted(url)}' must not have a path")
    start_tls: bool | None = None
    insecure_auth = False
    for key, value in parse_qsl(parts.query, keep_blank_values=True):
        if key == "starttls":
            start_tls = _flag(key, value)
        elif key == "insecure_auth":
            insecure_auth = _flag(key, value)
        else:
            raise ValueError(
                f"unknown SMTP URL option '{key}' (only starttls and insecure_auth are supported)"
            )
    use_tls = parts.scheme == "smtps"
    if use_tls and start_tls:
        raise ValueError("smtps:// already uses TLS; starttls=true is only for smtp://")
    username = unquote(parts.username) if parts.username else None
    password = unquote(parts.password) if parts.password is not None else None
    if username and password is None:
        raise ValueError(f"'{_redacted(url)}' has a user but no password (user:pass@host)")
    if insecure_auth:
        if use_tls:
            raise ValueError("smtps:// always uses TLS; insecure_auth=true is only for smtp://")
        if not username:
            raise ValueError("insecure_auth=true needs user:pass@ (it allows a login without TLS)")
        if start_tls:
            raise ValueError("insecure_auth=true contradicts starttls=true (TLS required)")
    elif username and start_tls is False:
        raise ValueError(
            "starttls=false with user:pass@ would send the password unencrypted; drop"
            " starttls=false, or add insecure_auth=true if the server really offers no TLS"
        )
    return SmtpConfig(
        host=parts.hostname,
        port=port or (465 if use_tls else 587 if start_tls else 25),
        use_tls=use_tls,
        start_tls=start_tls,
        username=username,
        password=password if username else None,
        insecure_auth=insecure_auth,
    )


def tls_context(ca_file: Path | None = None) -> ssl.SSLContext:
    """Verifies servers against the system's CAs (SSL_CERT_FILE is honoured) and ca_file.

    Raises OSError or ssl.SSLError if ca_file cannot be read or holds no certificate.
    """
    context = ssl.create_default_context(ssl.Purpose.SERVER_AUTH)
    if ca_file is not None:
        context.load_verify_locations(cafile=ca_file)
    return context


def _redacted(url: str) -> str:
    """The URL without its password, for error messages."""
    return re.sub(r"(//[^:/@]*:)[^@/]*@", r"\1***@", url.strip())


def check_address(value: str) -> str:
    """A plain e-mail address (name@example.org); ValueError otherwise."""
    value = value.strip()
    if not valid_email(value):
        raise ValueError(f"'{value}' is not an e-mail address such as bot@example.org")
    return value


def new_message_id(sender: str) -> str:
    """A Message-ID in the sender's domain, made once when the mail is queued."""
    return make_msgid(idstring="ideenlabor", domain=sender.rpartition("@")[2])


class MailError(Exception):
    """Sending failed; `permanent` tells whether trying again can help."""

    def __init__(self, reason: str, *, permanent: bool) -> None:
        super().__init__(reason)
        self.permanent = permanent


class Mailer:
    """Builds and sends plain-text UTF-8 mails through one SMTP server."""

    def __init__(self, config: SmtpConfig, sender: str, ca_file: Path | None = None) -> None:
        self.config = config
        self.sender = sender
        self._tls = tls_context(ca_file)

    def build(self, to: str, payload: dict[str, object]) -> EmailMessage:
        """The message of an outbox payload (subject, body, message_id, date)."""
        message = EmailMessage(policy=SMTP)
        message["From"] = Address(addr_spec=self.sender)
        message["To"] = Address(addr_spec=to)
        message["Subject"] = str(payload["subject"])
        message["Date"] = str(payload["date"])
        message["Message-ID"] = str(payload["message_id"])
        message["Auto-Submitted"] = "auto-generated"
        message.set_content(str(payload["body"]), charset="utf-8")
        return message

    async def send(self, to: str, payload: dict[str, object]) -> None:
        """Hand the mail to the server; MailError(permanent=...) if that did not work."""
        # Imported on first use: only an installation with SMTP configured sends mail.
        import aiosmtplib

        config = self.config
        client = aiosmtplib.SMTP(
            hostname=config.host,
            port=config.port,
            use_tls=config.use_tls,
            start_tls=config.start_tls,  # None: STARTTLS if offered (aiosmtplib's default)
            tls_context=self._tls,
            timeout=config.timeout,
        )
        try:
            async with client:
                if config.username is not None:
                    await self._login(client)
                await client.send_message(self.build(to, payload))
        except ssl.SSLCertVerificationError as exc:
            # Kept, as a configuration problem: it goes out once the CA is trusted.
            reason = (
                f"{config.host}:{config.port}: certificate verify failed ({exc.verify_message});"
                " for an internal CA or a self-signed certificate set IDEENLABOR_SMTP_CA_FILE"
            )
            logger.error("E-mail not sent: %s", reason)
            raise MailError(reason, permanent=False) from exc
        except aiosmtplib.SMTPRecipientsRefused as exc:
            codes = [r.code for r in exc.recipients]
            reason = "; ".join(f"{r.code} {r.message}" for r in exc.recipients)
            raise MailError(reason, permanent=all(c >= 500 for c in codes)) from exc
        except aiosmtplib.SMTPAuthenticationError as exc:
            # Wrong credentials are our configuration, not the recipient: keep the mail.
            reason = f"authentication failed: {exc.code} {exc.message}"
            raise MailError(reason, permanent=False) from exc
        except aiosmtplib.SMTPResponseException as exc:
            raise MailError(f"{exc.code} {exc.message}", permanent=exc.code >= 500) from exc
        except (aiosmtplib.SMTPException, OSError, TimeoutError) as exc:
            raise MailError(str(exc) or type(exc).__name__, permanent=False) from exc

    async def _login(self, client: aiosmtplib.SMTP) -> None:
        """AUTH, but only over TLS unless insecure_auth=true; MailError otherwise."""
        config = self.config
        encrypted = client.get_transport_info("sslcontext") is not None
        if not encrypted and not config.insecure_auth:
            # Our configuration, not the recipient: the mail is kept and tried again, so that
            # it goes out once the server offers TLS or the operator opts in.
            reason = (
                f"{config.host}:{config.port} does not offer STARTTLS, and the password is not"
                " sent unencrypted: use a server with TLS (or smtps://), or add"
                " ?insecure_auth=true to IDEENLABOR_SMTP_URL to allow it"
            )
            logger.error("E-mail not sent: %s", reason)
            raise MailError(reason, permanent=False)
        assert config.password is not None  # parse_smtp_url refuses a user without one
        await client.login(config.username or "", config.password)
