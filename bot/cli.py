"""The `ideenlabor` command: run, migrate, import."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sqlite3
import sys
from pathlib import Path

from telegram import Update
from telegram.error import InvalidToken, NetworkError

from bot.config import ConfigError, Settings, load_settings, require_token
from bot.context import utc_now
from bot.importfile import ImportFileError, read_bundle
from bot.reminders import reminder_times
from storage.audit import CLI, AuditNote
from storage.db import Database
from storage.import_models import ImportRejectedError
from storage.importer import ImportRepository
from storage.migrate import SchemaTooNewError

EXIT_CONFIG = 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ideenlabor",
        description="Ideenlabor-Bot: Telegram assistant for the NRW 4.0 dialogue process. "
        "Configuration comes from the environment or a .env file (see README).",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    sub.add_parser(
        "run",
        help="run the bot (long polling)",
        description="Run the bot with long polling. Creates and migrates the database on first "
        "start and loads the shipped data when it is empty. Needs TELEGRAM_BOT_TOKEN.",
    )
    sub.add_parser(
        "migrate",
        help="apply pending database migrations",
        description="Apply pending migrations to IDEENLABOR_DB and print the schema version.",
    )
    imp = sub.add_parser(
        "import",
        help="import regions, challenges, ideas and workshops from a YAML or JSON file",
        description="Load a YAML or JSON file (format: README, 'Import format'). Upserts by slug; "
        "all or nothing: a file with any error changes nothing.",
    )
    imp.add_argument("file", type=Path, help="the .yaml, .yml or .json file")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script."""
    args = _parser().parse_args(argv)
    logging.basicConfig(
        format="%(asctime)s %(levelname)s %(name)s: %(message)s", level=logging.INFO
    )
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    try:
        settings = load_settings()
        _redact_token_in_logs(settings)
        if args.command == "run":
            return run(settings)
        if args.command == "migrate":
            return asyncio.run(_migrate(settings))
        return asyncio.run(_import(settings, args.file))
    except ConfigError as exc:
        print(f"ideenlabor: configuration error: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    except SchemaTooNewError as exc:
        print(f"ideenlabor: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    except DatabaseUnavailableError as exc:
        print(f"ideenlabor: {exc}", file=sys.stderr)
        return 1


class _RedactingFormatter(logging.Formatter):
    """Replaces a secret wherever it would appear in a log line (messages, tracebacks)."""

    def __init__(self, base: logging.Formatter | None, secret: str) -> None:
        super().__init__()
        self._base = base or logging.Formatter()
        self._secret = secret

    def format(self, record: logging.LogRecord) -> str:
        return self._base.format(record).replace(self._secret, "<TELEGRAM_BOT_TOKEN>")


class _NoTracebackForRejectedToken(logging.Filter):
    """A rejected token is an operator error, explained in one line: drop PTB's traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.exc_info and isinstance(record.exc_info[1], InvalidToken))


def _redact_token_in_logs(settings: Settings) -> None:
    if settings.telegram_bot_token is None:
        return
    secret = settings.telegram_bot_token.get_secret_value()
    for handler in logging.getLogger().handlers:
        handler.setFormatter(_RedactingFormatter(handler.formatter, secret))
        handler.addFilter(_NoTracebackForRejectedToken())


def run(settings: Settings) -> int:
    """Long polling until interrupted; start-up problems are one line on stderr."""
    from bot.app import build_application

    require_token(settings)
    app = build_application(settings)
    try:
        app.run_polling(allowed_updates=Update.ALL_TYPES)
    except InvalidToken:
        print(
            "ideenlabor: Telegram rejected TELEGRAM_BOT_TOKEN — check the token with @BotFather "
            "(https://t.me/BotFather) and set it again",
            file=sys.stderr,
        )
        return EXIT_CONFIG
    except NetworkError as exc:
        where = settings.telegram_api_base_url or "api.telegram.org"
        print(f"ideenlabor: cannot reach the Bot API at {where}: {exc.message}", file=sys.stderr)
        return 1
    except sqlite3.Error as exc:
        print(f"ideenlabor: cannot use the database {settings.db_path}: {exc}", file=sys.stderr)
        return 1
    return 0


async def _migrate(settings: Settings) -> int:
    from bot.app import prepare_database

    db = await _open(settings)
    try:
        version = await prepare_database(db)
    finally:
        await db.close()
    print(f"{settings.db_path}: schema version {version}")
    return 0


async def _import(settings: Settings, path: Path) -> int:
    from bot.app import prepare_database
    from bot.workgroup_service import WorkgroupService

    try:
        bundle = read_bundle(path)
    except ImportFileError as exc:
        return _report(path, exc.errors)
    db = await _open(settings)
    try:
        await prepare_database(db)
        now = utc_now()
        summary = await ImportRepository(db).apply(
            bundle,
            now,
            tz=settings.tz,
            plan_reminders=lambda start: reminder_times(
                settings.reminder_schedule, start, settings.tz, now
            ),
            audit=AuditNote(CLI, "import", f"file:{path.name}"),
        )
        waiting = await WorkgroupService(
            db, utc_now, config_admins=settings.admins, mail_from=settings.mail_from
        ).deliver_waiting()
    except ImportRejectedError as exc:
        return _report(path, exc.errors)
    finally:
        await db.close()
    print(
        f"{path}: imported {summary.regions} regions, {summary.districts} districts, "
        f"{summary.municipalities} municipalities, {summary.challenges} challenges, "
        f"{summary.ideas} ideas, {summary.workshops} workshops, "
        f"{summary.working_groups} working groups, {summary.contacts} contacts"
        + (f"; {waiting} waiting registration(s) queued for linked contacts" if waiting else "")
    )
    return 0


async def _open(settings: Settings) -> Database:
    try:
        return await Database.open(settings.db_path)
    except (sqlite3.Error, OSError) as exc:
        message = f"cannot use the database {settings.db_path}: {exc}"
        raise DatabaseUnavailableError(message) from None


class DatabaseUnavailableError(Exception):
    """The database file cannot be opened."""


def _report(path: Path, errors: list[str]) -> int:
    print(f"{path}: {len(errors)} error(s), nothing was changed:", file=sys.stderr)
    for error in errors:
        print(f"  {error}", file=sys.stderr)
    return 1
