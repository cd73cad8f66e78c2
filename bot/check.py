"""`ideenlabor check`: is everything ready to run? One line per problem, a summary when fine."""

from __future__ import annotations

import sys
from pathlib import Path

from telegram import Bot
from telegram.error import InvalidToken, NetworkError, TelegramError
from telegram.request import HTTPXRequest

from bot.config import ConfigError, Settings, require_token
from storage.migrate import available_migrations
from storage.probe import ProbeError, probe_intact

EXIT_CONFIG = 2
EXIT_FAILED = 1


class CheckFailedError(Exception):
    """A check that failed, with its reason in one line and the exit status."""

    def __init__(self, reason: str, status: int = EXIT_FAILED) -> None:
        super().__init__(reason)
        self.status = status


def check_privacy_notice(settings: Settings) -> None:
    """The privacy notices have every [[…]] field filled in (a configuration matter)."""
    from bot.services.privacy import describe_unfilled, unfilled_notices

    found = unfilled_notices(settings)
    if found:
        raise CheckFailedError(describe_unfilled(found), EXIT_CONFIG)


def check_database(path: Path) -> int:
    """The schema version of an intact, fully migrated database at path."""
    if not path.is_file():
        raise CheckFailedError(f"database {path} does not exist — run: ideenlabor migrate")
    try:
        found = probe_intact(
            path, name=f"database {path}", unreadable="{name} cannot be read: {detail}"
        )
    except ProbeError as exc:
        raise CheckFailedError(exc.detail) from None
    version = found.schema_version
    latest = available_migrations()[-1].version
    if version > latest:
        raise CheckFailedError(
            f"database {path} has schema version {version}, newer than this bot ({latest}) — "
            "update the bot"
        )
    if version < latest:
        raise CheckFailedError(
            f"database {path} has {latest - version} pending migration(s) (schema version "
            f"{version} of {latest}) — run: ideenlabor migrate"
        )
    return version


async def check_bot_api(settings: Settings) -> str:
    """The bot's @username, asked from the Bot API with getMe."""
    token = require_token(settings)
    where = settings.telegram_api_base_url or "https://api.telegram.org"
    bot = Bot(
        token,
        base_url=f"{where}/bot",
        request=HTTPXRequest(connect_timeout=5, read_timeout=10),
    )
    try:
        async with bot:  # initialize() asks getMe; leaving closes the connection pool
            me = bot.bot
    except InvalidToken:
        raise CheckFailedError(
            f"the Bot API at {where} rejected TELEGRAM_BOT_TOKEN — check it with @BotFather",
            EXIT_CONFIG,
        ) from None
    except NetworkError as exc:
        raise CheckFailedError(f"cannot reach the Bot API at {where}: {exc.message}") from None
    except TelegramError as exc:
        raise CheckFailedError(f"the Bot API at {where} answered getMe with: {exc}") from None
    return f"@{me.username}"


async def run_checks(settings: Settings) -> int:
    """Config, privacy notice, database, migrations, Bot API, in this order; stop at the first
    failure."""
    try:
        require_token(settings)
        if settings.webhook:
            from bot.config import require_webhook

            require_webhook(settings)
        check_privacy_notice(settings)
        version = check_database(settings.db_path)
        username = await check_bot_api(settings)
    except ConfigError as exc:
        print(f"ideenlabor: check failed: configuration: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    except CheckFailedError as exc:
        print(f"ideenlabor: check failed: {exc}", file=sys.stderr)
        return exc.status
    mode = "webhook" if settings.webhook else "polling"
    backups = f"daily to {settings.backup_dir}" if settings.backup_dir else "off"
    print(
        f"ok: configuration valid ({mode}, backups {backups}), privacy notice filled in; "
        f"database {settings.db_path} intact, schema version {version}, no pending migrations; "
        f"Bot API reachable as {username}"
    )
    return 0
