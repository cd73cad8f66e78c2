"""At every log level, the log holds neither secrets nor what people typed, nor who they are."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from aiosmtplib import SMTPRecipientRefused
from workgroup_helpers import IDEA, link_contact, load

from bot.cli import setup_logging
from bot.config import Settings

from conftest import TOKEN, FakeClock, make_settings, running
from stories.comments import start_writing
from stories.mail import free_port
from stories.privacy import approve_all, erase

WEBHOOK_SECRET = "whsec_Geheimnis_0123456789"
SMTP_PASSWORD = "Pa55wort-Geheim"
LOG_SECRET = "logsecret-Geheim-42"
PERSON = 7340099999
FIRST_NAME = "Wendelin"
EMAIL = "wendelin.wunder@example.org"
PHONE = "+492115550777"
MESSAGE = "Eine Nachricht an die Arbeitsgruppe"
COMMENT = "Ein Kommentar zur Weiterbildung im Betrieb"
NEVER = [TOKEN, TOKEN.split(":")[1], WEBHOOK_SECRET, SMTP_PASSWORD, LOG_SECRET]
NEVER += [str(PERSON), FIRST_NAME, EMAIL, PHONE, "5550777", MESSAGE, COMMENT]


@pytest.fixture
def log() -> Iterator[io.StringIO]:
    """Everything the root logger writes, as `ideenlabor run` sets it up; restored afterwards."""
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    root = logging.getLogger()
    saved = (root.level, [(h, h.formatter, list(h.filters)) for h in root.handlers])
    levels = {name: logging.getLogger(name).level for name in list(root.manager.loggerDict)}
    root.addHandler(handler)
    try:
        yield out
    finally:
        root.removeHandler(handler)
        root.setLevel(saved[0])
        for h, formatter, filters in saved[1]:
            h.setFormatter(formatter)
            h.filters[:] = filters
        for name, level in levels.items():
            logging.getLogger(name).setLevel(level)


def settings_with_secrets(db_path: Path, **env: str) -> Settings:
    """Every secret the bot knows, and the given log settings."""
    return make_settings(
        db_path,
        IDEENLABOR_WEBHOOK_SECRET=WEBHOOK_SECRET,
        IDEENLABOR_SMTP_URL=f"smtp://ideenlabor:{SMTP_PASSWORD}@127.0.0.1:{free_port()}",
        IDEENLABOR_MAIL_FROM="ideenlabor@example.org",
        IDEENLABOR_LOG_SECRET=LOG_SECRET,
        **env,
    )


async def scenario(settings: Settings, clock: FakeClock) -> None:
    """Webhook set-up, registration with e-mail, a comment, moderation, mail, deletion."""
    async with running(settings, clock) as h:
        await h.app.bot.set_webhook("https://bot.example.org/telegram", secret_token=WEBHOOK_SECRET)
        await load(h)
        await link_contact(h)
        person = h.user(PERSON, FIRST_NAME)
        await person.command("start", f"idea_{IDEA}")
        await person.tap("🙋 Mitmachen")
        await person.tap(f"✅ Übernehmen: {FIRST_NAME}")
        for text in (EMAIL, "0211 5550777", MESSAGE):
            await person.send(text)
        await person.tap("✅ Einverstanden, senden")
        await start_writing(person, f"👤 {FIRST_NAME}")
        await person.send(COMMENT)
        await person.tap("✅ Absenden")
        await approve_all(h)
        await person.send("Köln")
        await h.deliver()  # Telegram notices, and an e-mail the closed SMTP port refuses
        await erase(person)
        await h.deliver()
        # What an SMTP server says when it refuses a recipient names the address.
        refused = SMTPRecipientRefused(550, "no such user", EMAIL)
        logging.getLogger("bot.dispatcher").warning("E-mail %s refused: %s", 7, refused)


def leaks(text: str) -> list[str]:
    """The secrets and personal data found in text."""
    return [value for value in NEVER if value in text]


@pytest.mark.parametrize("level", ["DEBUG", "INFO"])
async def test_a_whole_scenario_leaves_nothing_in_the_log(
    db_path: Path, clock: FakeClock, log: io.StringIO, level: str
) -> None:
    settings = settings_with_secrets(db_path, IDEENLABOR_LOG_LEVEL=level)
    setup_logging(settings)
    await scenario(settings, clock)
    text = log.getvalue()
    assert "update processed" in text and "E-mail 7 refused" in text  # there is a log
    assert leaks(text) == []
    assert "<e-mail>" in text  # the address the server quoted, replaced


async def test_library_debug_lines_only_with_their_own_switch(
    db_path: Path, clock: FakeClock, log: io.StringIO
) -> None:
    settings = settings_with_secrets(
        db_path, IDEENLABOR_LOG_LEVEL="DEBUG", IDEENLABOR_LOG_LIBRARIES="DEBUG"
    )
    setup_logging(settings)
    await scenario(settings, clock)
    text = log.getvalue()
    assert " DEBUG telegram." in text and " DEBUG aiosqlite " in text  # asked for: there
    # Secrets stay hidden even then; ids and what people typed do not (README says so).
    assert [v for v in leaks(text) if v in NEVER[:5]] == []
    assert str(PERSON) in text and COMMENT in text
    assert "<IDEENLABOR_WEBHOOK_SECRET>" in text


def test_a_library_we_do_not_know_stays_at_info_too(log: io.StringIO, db_path: Path) -> None:
    setup_logging(settings_with_secrets(db_path, IDEENLABOR_LOG_LEVEL="DEBUG"))
    logging.getLogger("somelib.client").debug("request body %s", EMAIL)
    logging.getLogger("somelib.client").info("connected")
    logging.getLogger("bot.app").debug("our own debug line")
    text = log.getvalue()
    assert "request body" not in text
    assert "somelib.client msg=connected" in text and "our own debug line" in text
