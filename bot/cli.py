"""The `ideenlabor` command: run, migrate, import, backup, restore, stats, check."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sqlite3
import sys
from pathlib import Path

from telegram import Update
from telegram.error import InvalidToken, NetworkError

from bot.config import ConfigError, Settings, load_settings, require_token, require_webhook
from bot.context import utc_now
from bot.importfile import ImportFileError, read_bundle
from bot.logs import configure as configure_logging
from bot.reminders import reminder_times
from storage.audit import CLI, AuditNote
from storage.backup import BackupError, backup, restore
from storage.db import Database
from storage.import_models import ImportRejectedError
from storage.importer import ImportRepository
from storage.migrate import SchemaTooNewError

EXIT_CONFIG = 2

logger = logging.getLogger(__name__)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ideenlabor",
        description="Ideenlabor-Bot: Telegram assistant for the NRW 4.0 dialogue process. "
        "Configuration comes from the environment or a .env file (see README).",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    run_cmd = sub.add_parser(
        "run",
        help="run the bot (long polling, or a webhook with --webhook)",
        description="Run the bot with long polling. Creates and migrates the database on first "
        "start and loads the shipped data when it is empty. Needs TELEGRAM_BOT_TOKEN. With "
        "--webhook (or IDEENLABOR_WEBHOOK=true) Telegram posts updates to IDEENLABOR_WEBHOOK_URL "
        "instead; see README, 'Webhook mode'.",
    )
    run_cmd.add_argument(
        "--webhook", action="store_true", help="receive updates by webhook instead of polling"
    )
    sub.add_parser(
        "migrate",
        help="apply pending database migrations",
        description="Apply pending migrations to IDEENLABOR_DB and print the schema version.",
    )
    imp = sub.add_parser(
        "import",
        help="import regions, challenges, ideas, workshops, working groups, contacts and "
        "organisations from a YAML or JSON file",
        description="Load a YAML or JSON file (format: README, 'Import format'). Upserts by slug; "
        "all or nothing: a file with any error changes nothing.",
    )
    imp.add_argument("file", type=Path, help="the .yaml, .yml or .json file")
    arc = sub.add_parser(
        "archive-idea",
        help="archive an idea (hidden from citizens, restorable), or restore it",
        description="Archive the idea with this slug: citizens no longer see it in any list or "
        "count, and its page says that it was archived; comments, ratings and followers stay. "
        "Use it for an idea that was removed from an import file. With --restore the idea is "
        "shown again. Recorded in the audit log as 'cli'; all or nothing.",
    )
    arc.add_argument("slug", help="the idea's slug, as in the import file or its deep link")
    arc.add_argument(
        "--reason", type=_reason, help="why it is archived (required unless --restore)"
    )
    arc.add_argument("--restore", action="store_true", help="show the archived idea again")
    bak = sub.add_parser(
        "backup",
        help="copy the database to a file (safe while the bot runs)",
        description="Write a consistent copy of IDEENLABOR_DB to PATH with SQLite's backup API; "
        "the bot may keep running. An existing PATH is replaced.",
    )
    bak.add_argument("path", type=Path, help="the backup file to write")
    res = sub.add_parser(
        "restore",
        help="replace the database with a backup (stop the bot first)",
        description="Check that PATH is an Ideenlabor database not newer than this version, "
        "migrate it if older, and atomically replace IDEENLABOR_DB with it. Refuses while the "
        "bot has the database open.",
    )
    res.add_argument("path", type=Path, help="the backup file to restore")
    sub.add_parser(
        "stats",
        help="print usage statistics",
        description="Print users, activity, ideas, comments, ratings, registrations and "
        "subscribers per region, and upcoming workshops.",
    )
    sub.add_parser(
        "check",
        help="check configuration, database, migrations and the Bot API connection",
        description="Exit 0 with a summary when everything is ready to run, otherwise non-zero "
        "with the reason in one line (2: configuration, 1: anything else).",
    )
    _add_chat_parser(sub)
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
        setup_logging(settings)
        if args.command == "run":
            return run(settings, webhook=args.webhook or settings.webhook)
        if args.command == "chat":
            return _chat(settings, args)
        if args.command == "migrate":
            return asyncio.run(_migrate(settings))
        if args.command == "backup":
            return _backup(settings, args.path)
        if args.command == "restore":
            return _restore(settings, args.path)
        if args.command == "stats":
            return asyncio.run(_stats(settings))
        if args.command == "check":
            from bot.check import run_checks

            return asyncio.run(run_checks(settings))
        if args.command == "archive-idea":
            if not args.restore and args.reason is None:
                print("ideenlabor archive-idea: give --reason TEXT (or --restore)", file=sys.stderr)
                return EXIT_CONFIG
            return asyncio.run(_archive_idea(settings, args.slug, args.reason, args.restore))
        return asyncio.run(_import(settings, args.file))
    except ConfigError as exc:
        print(f"ideenlabor: configuration error: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    except SchemaTooNewError as exc:
        print(f"ideenlabor: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    except (DatabaseUnavailableError, BackupError) as exc:
        print(f"ideenlabor: {exc}", file=sys.stderr)
        return 1


class _NoTracebackForRejectedToken(logging.Filter):
    """A rejected token is an operator error, explained in one line: drop PTB's traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.exc_info and isinstance(record.exc_info[1], InvalidToken))


def setup_logging(settings: Settings) -> None:
    """The log as every command writes it: key=value lines on stderr at IDEENLABOR_LOG_LEVEL,
    libraries at IDEENLABOR_LOG_LIBRARIES (INFO) or above, secrets and e-mails redacted."""
    configure_logging(
        settings.log_level, libraries=settings.log_libraries, secrets=settings.secrets()
    )
    for handler in logging.getLogger().handlers:
        if not any(isinstance(f, _NoTracebackForRejectedToken) for f in handler.filters):
            handler.addFilter(_NoTracebackForRejectedToken())


def run(settings: Settings, *, webhook: bool = False) -> int:
    """Long polling (or a webhook) until interrupted; start-up problems are one line on stderr."""
    from bot.app import build_application

    require_token(settings)
    if webhook:
        require_webhook(settings)
    _report_unfilled_notice(settings)
    app = build_application(settings)
    try:
        if webhook:
            from bot.webhook import run_webhook

            asyncio.run(run_webhook(app, settings))
        else:
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
    except OSError as exc:  # webhook mode: the address is taken or not ours
        if not webhook:
            raise
        where = f"{settings.webhook_listen}:{settings.webhook_port}"
        print(f"ideenlabor: cannot serve the webhook on {where}: {exc}", file=sys.stderr)
        return 1
    return 0


def _report_unfilled_notice(settings: Settings) -> None:
    """The bot runs with an unfilled privacy notice (citizens see that it is unfinished), but
    the operator is told at every start."""
    from bot.services.privacy import describe_unfilled, unfilled_notices

    found = unfilled_notices(settings)
    if found:
        logger.error(
            "Start with %s; until then citizens read '(vom Betreiber noch nicht eingetragen)'",
            describe_unfilled(found),
        )


def _backup(settings: Settings, path: Path) -> int:
    info = backup(settings.db_path, path)
    print(
        f"{path}: backup of {settings.db_path}, schema version {info.schema_version}, "
        f"{info.size} bytes"
    )
    return 0


def _restore(settings: Settings, path: Path) -> int:
    info, version = restore(path, settings.db_path)
    migrated = f", migrated to {version}" if version != info.schema_version else ""
    print(
        f"{settings.db_path}: restored from {path} (schema version {info.schema_version}{migrated})"
    )
    return 0


async def _stats(settings: Settings) -> int:
    from bot.stats import format_table
    from storage.migrate import available_migrations, schema_version
    from storage.stats import StatsRepository

    if not settings.db_path.is_file():
        raise DatabaseUnavailableError(f"{settings.db_path} does not exist")
    db = await _open(settings)
    try:
        version = await schema_version(db)
        if version == 0:
            raise DatabaseUnavailableError(f"{settings.db_path} is not an Ideenlabor database")
        if version < available_migrations()[-1].version:
            raise DatabaseUnavailableError(
                f"{settings.db_path} has pending migrations — run: ideenlabor migrate"
            )
        stats = await StatsRepository(db).collect(utc_now())
    finally:
        await db.close()
    print(format_table(stats))
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
    from bot.services.basis import Basis
    from bot.services.workgroups import WorkgroupService

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
            Basis(db, utc_now, settings.admins), mail_from=settings.mail_from
        ).deliver_waiting()
    except ImportRejectedError as exc:
        return _report(path, exc.errors)
    finally:
        await db.close()
    print(
        f"{path}: imported {summary.regions} regions, {summary.districts} districts, "
        f"{summary.municipalities} municipalities, {summary.challenges} challenges, "
        f"{summary.ideas} ideas, {summary.workshops} workshops, "
        f"{summary.working_groups} working groups, {summary.contacts} contacts, "
        f"{summary.organisations} organisations, {summary.news} news entries"
        + (f"; {waiting} waiting registration(s) queued for linked contacts" if waiting else "")
    )
    return 0


MAX_REASON = 500


def _reason(text: str) -> str:
    reason = " ".join(text.split())
    if not reason:
        raise argparse.ArgumentTypeError("the reason must not be empty")
    if len(reason) > MAX_REASON:
        raise argparse.ArgumentTypeError(f"the reason is longer than {MAX_REASON} characters")
    return reason


async def _archive_idea(settings: Settings, slug: str, reason: str | None, restore: bool) -> int:
    """Archive or restore one idea through the staff's IdeaService: the change, its audit row
    (actor `cli`) and the notices to its followers in one transaction."""
    from bot.app import prepare_database
    from bot.services.basis import Basis
    from bot.services.ideas import IdeaService
    from storage.ideas import IdeaRepository

    db = await _open(settings)
    try:
        await prepare_database(db)
        idea = await IdeaRepository(db).get_by_slug(slug)
        if idea is None:
            print(f"ideenlabor: there is no idea with the slug '{slug}'", file=sys.stderr)
            return 1
        service = IdeaService(Basis(db, utc_now, settings.admins), settings.tz)
        if restore:
            change, told = await service.restore(None, idea.id)
        else:
            assert reason is not None
            change, told = await service.archive(None, idea.id, reason)
    finally:
        await db.close()
    if restore:
        done = "restored: citizens see it again" if change.changed else "was not archived"
    elif change.changed:
        done = "archived: citizens no longer see it (ideenlabor archive-idea --restore undoes it)"
    else:
        done = f"was already archived (reason: {change.reason})"
    print(f"{slug} ({change.title}): {done}")
    if told:
        print(f"{told} follower(s) will be told by the running bot (within a minute).")
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


# --------------------------------------------------------------------------- chat (playground)


def _add_chat_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    chat = sub.add_parser(
        "chat",
        help="talk to the bot in this terminal, without Telegram (offline playground)",
        description="Talk to the real bot in the terminal: the same handlers and database "
        "(IDEENLABOR_DB, created and filled like 'run' does), on an in-process Bot API, so no "
        "TELEGRAM_BOT_TOKEN is needed and nothing reaches Telegram or sends e-mail. Type text "
        "or /commands; a number taps that button of the newest message with buttons "
        "(b2@5: button 2 of message #5; '20 sends 20 as text); /warp 7d moves the bot's clock "
        "ahead (reminders); ? lists the inputs; /quit or "
        "end of input stops. Messages to other people appear as '\u2192 an <id>'. Use a copy "
        "of a live database: queued notifications would be 'sent' here instead.",
    )
    chat.add_argument(
        "--user",
        type=_user_id,
        default=4711,
        metavar="ID",
        help="your Telegram user id (one in IDEENLABOR_ADMINS makes you an admin)",
    )
    chat.add_argument("--name", default="Erika", help="your first name (default: Erika)")
    chat.add_argument(
        "--lang",
        choices=["de", "en"],
        default="de",
        help="the language of your Telegram app (default: de)",
    )
    chat.add_argument(
        "--files",
        type=Path,
        metavar="DIR",
        help="where documents and photos from the bot are saved "
        "(default: a new temporary directory)",
    )
    chat.add_argument("--verbose", action="store_true", help="show the bot's log on stderr")


def _user_id(text: str) -> int:
    if not text.isdigit() or int(text) == 0:
        raise argparse.ArgumentTypeError(f"'{text}' is not a Telegram user id (a positive number)")
    return int(text)


def _chat(settings: Settings, args: argparse.Namespace) -> int:
    from bot.offline.playground import ChatOptions, chat

    if not args.verbose:  # the terminal is the chat; operators' warnings belong to `run`
        # (through configure: library loggers have levels of their own, not the root's)
        configure_logging("ERROR", libraries=settings.log_libraries, secrets=settings.secrets())
    for stream in (sys.stdin, sys.stdout):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")
    options = ChatOptions(
        user_id=args.user,
        first_name=args.name,
        language=args.lang,
        files=args.files,
        echo=not sys.stdin.isatty(),
        prompt=sys.stdin.isatty(),
        ansi=sys.stdout.isatty(),
    )
    try:
        return asyncio.run(chat(settings, options, lambda text: print(text, flush=True)))
    except KeyboardInterrupt:
        return 0
    except sqlite3.Error as exc:
        print(f"ideenlabor: cannot use the database {settings.db_path}: {exc}", file=sys.stderr)
        return 1
