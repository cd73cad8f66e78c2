"""Story steps of e-mail (a local SMTP server, the mails written), shared by several test modules.

A pytest plugin (conftest.py names it in `pytest_plugins`): its fixture `smtp` serves every
test module.
"""

from __future__ import annotations

import email
import socket
from collections.abc import Iterator
from email.message import EmailMessage
from email.policy import default
from typing import Any, TypeVar

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from workgroup_helpers import load, register

from bot.config import ConfigError, load_settings
from bot.dispatcher import DrainReport

from conftest import Harness

SENDER = "ideenlabor@example.org"


ANNA = "anna.schmidt@example.org"


Handler = TypeVar("Handler")


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (for now)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Collector:
    """An aiosmtpd handler that keeps every mail, or refuses all with `refuse`."""

    def __init__(self, refuse: str | None = None) -> None:
        self.refuse = refuse
        self.envelopes: list[Envelope] = []
        self.attempts = 0

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        self.attempts += 1
        if self.refuse is not None:
            return self.refuse
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"

    def raw(self, index: int) -> bytes:
        """The bytes of a received mail, as they came."""
        content = self.envelopes[index].original_content or self.envelopes[index].content
        assert isinstance(content, bytes)
        return content

    def messages(self) -> list[EmailMessage]:
        """The received mails, parsed."""
        parsed = []
        for index in range(len(self.envelopes)):
            message = email.message_from_bytes(self.raw(index), policy=default)
            assert isinstance(message, EmailMessage)
            parsed.append(message)
        return parsed


class SmtpServer:
    """aiosmtpd on 127.0.0.1 at a free port, once started; the `smtp` fixture stops it."""

    def __init__(self) -> None:
        self.port = free_port()
        self.controller: Controller | None = None

    def start(self, handler: Handler, **options: Any) -> Handler:
        """Serve with this aiosmtpd handler (and Controller options, e.g. TLS); the handler."""
        self.controller = Controller(handler, hostname="127.0.0.1", port=self.port, **options)
        self.controller.start()
        return handler

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


def smtp_url_refused(url: str, expected: str) -> str:
    """The settings refuse IDEENLABOR_SMTP_URL=url saying `expected`: the whole message."""
    with pytest.raises(ConfigError) as info:
        load_settings(_env_file=None, IDEENLABOR_SMTP_URL=url, IDEENLABOR_MAIL_FROM=SENDER)
    text = str(info.value)
    assert text.startswith("IDEENLABOR_SMTP_URL: ") and expected in text, text
    return text


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    """A local SMTP server on a free port, not started yet."""
    server = SmtpServer()
    yield server
    server.stop()


async def email_rows(harness: Harness) -> list[dict[str, object]]:
    found = await harness.data.db.fetchall(
        "SELECT kind, state, attempts, last_error, email_to, chat_id, dedupe_key FROM outbox"
        " WHERE channel = 'email' ORDER BY id"
    )
    return [dict(r) for r in found]


async def register_erika(harness: Harness) -> None:
    """Erika registers through the bot with e-mail, phone and a message, and agrees."""
    erika = harness.user()
    await register(
        erika,
        email="erika@example.org",
        phone="0211 / 123 456",
        message="Ich helfe gern <b>mit</b>",
    )
    await erika.tap("✅ Einverstanden, senden")
    assert "Danke! Ihre Meldung" in erika.last.text


async def register_and_deliver(harness: Harness) -> DrainReport:
    """The working groups loaded, Erika registers (register_erika), the dispatcher runs once:
    its report."""
    await load(harness)
    await register_erika(harness)
    return await harness.deliver()
