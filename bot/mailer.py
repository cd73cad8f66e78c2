"""E-mail delivery: the SMTP settings (IDEENLABOR_SMTP_URL) and sending one plain-text message.

Mails are outbox rows like Telegram messages; the dispatcher hands them to `Mailer.send`, which
tells a temporary problem (server unreachable, time-out, 4xx) from a permanent refusal (5xx).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import make_msgid
from urllib.parse import parse_qsl, unquote, urlsplit

import aiosmtplib

from storage.contact_format import valid_email

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


@dataclass(frozen=True)
class SmtpConfig:
    """Where and how to hand over mail."""

    host: str
    port: int
    use_tls: bool  # smtps://: TLS from the first byte
    start_tls: bool  # smtp://...?starttls=true: upgrade with STARTTLS (required then)
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    timeout: float = 30.0


def parse_smtp_url(url: str) -> SmtpConfig:
    """smtp://[user:pass@]host[:port][?starttls=true] or smtps://...; ValueError if malformed."""
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
    start_tls = False
    for key, value in parse_qsl(parts.query, keep_blank_values=True):
        if key == "starttls" and value.lower() in _TRUE | _FALSE:
            start_tls = value.lower() in _TRUE
        elif key == "starttls":
            raise ValueError(f"starttls must be true or false, not '{value}'")
        else:
            raise ValueError(f"unknown SMTP URL option '{key}' (only starttls is supported)")
    use_tls = parts.scheme == "smtps"
    if use_tls and start_tls:
        raise ValueError("smtps:// already uses TLS; starttls=true is only for smtp://")
    username = unquote(parts.username) if parts.username else None
    password = unquote(parts.password) if parts.password is not None else None
    if username and password is None:
        raise ValueError(f"'{_redacted(url)}' has a user but no password (user:pass@host)")
    return SmtpConfig(
        host=parts.hostname,
        port=port or (465 if use_tls else 587 if start_tls else 25),
        use_tls=use_tls,
        start_tls=start_tls,
        username=username,
        password=password if username else None,
    )


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

    def __init__(self, config: SmtpConfig, sender: str) -> None:
        self.config = config
        self.sender = sender

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
        config = self.config
        try:
            await aiosmtplib.send(
                self.build(to, payload),
                hostname=config.host,
                port=config.port,
                use_tls=config.use_tls,
                start_tls=config.start_tls,
                username=config.username,
                password=config.password,
                timeout=config.timeout,
            )
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
