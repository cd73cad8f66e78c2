"""Story steps of e-mail (an SMTP port, the mails written), shared by several test modules."""

from __future__ import annotations

import socket

from workgroup_helpers import register

from conftest import Harness

SENDER = "ideenlabor@example.org"


ANNA = "anna.schmidt@example.org"


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (for now)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


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
