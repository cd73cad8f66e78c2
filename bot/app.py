"""The one place that wires the bot: storage, features, error handler, commands."""

from __future__ import annotations

import logging

from telegram import BotCommand, BotCommandScopeAllPrivateChats, LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.ext import Application, ApplicationBuilder, Defaults
from telegram.request import BaseRequest

from bot.config import Settings, require_token
from bot.context import CONTEXT_TYPES, App, BotData, Clock, utc_now
from bot.importfile import DEFAULT_FILES, read_bundle
from bot.places import PlaceIndex
from handlers import browse, errors, fallback, find_region, language, start
from messages.catalog import LANGUAGES, t
from storage.db import Database
from storage.import_models import ImportBundle
from storage.importer import ImportRepository
from storage.migrate import migrate

logger = logging.getLogger(__name__)

# (command, catalog key of its description) per language, as shown in Telegram's menu.
COMMANDS = {
    "de": [
        ("start", "commands.start"),
        ("regionen", "commands.regions"),
        ("herausforderungen", "commands.challenges"),
        ("region_finden", "commands.find_region"),
        ("sprache", "commands.language"),
        ("hilfe", "commands.help"),
    ],
    "en": [
        ("start", "commands.start"),
        ("regions", "commands.regions"),
        ("challenges", "commands.challenges"),
        ("find_region", "commands.find_region"),
        ("language", "commands.language"),
        ("help", "commands.help"),
    ],
}


def build_application(
    settings: Settings, *, request: BaseRequest | None = None, clock: Clock = utc_now
) -> App:
    """Build the Application exactly as `ideenlabor run` uses it (tests pass a fake request)."""
    builder = (
        ApplicationBuilder()
        .token(require_token(settings))
        .context_types(CONTEXT_TYPES)
        .defaults(
            Defaults(
                parse_mode=ParseMode.HTML,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
                tzinfo=settings.tz,
            )
        )
        .post_init(open_services)
        .post_shutdown(close_services)
    )
    if settings.telegram_api_base_url:
        root = settings.telegram_api_base_url
        builder = builder.base_url(f"{root}/bot").base_file_url(f"{root}/file/bot")
    if request is not None:
        builder = builder.request(request).get_updates_request(request)
    app: App = builder.build()  # type: ignore[assignment]
    app.bot_data.configure(settings, clock)
    register_features(app)
    return app


def register_features(app: Application) -> None:  # type: ignore[type-arg]
    """Register every feature; order matters: specific handlers first, catch-alls last."""
    start.register(app)  # /start, deep links, main menu, /hilfe
    browse.register(app)  # regions, challenges, ideas
    language.register(app)  # /sprache
    find_region.register(app)  # /region_finden and free text (place names, postcodes)
    fallback.register(app)  # groups, non-text, unknown commands, stale buttons
    errors.register(app)  # the global error handler


async def prepare_database(db: Database) -> int:
    """Migrate, and load the shipped data into an empty database; return the schema version."""
    version = await migrate(db)
    row = await db.fetchone("SELECT COUNT(*) AS n FROM regions")
    if row is not None and row["n"] == 0:
        bundles = [read_bundle(path) for path in DEFAULT_FILES]
        merged = ImportBundle(
            regions=[r for b in bundles for r in b.regions],
            challenges=[c for b in bundles for c in b.challenges],
            ideas=[i for b in bundles for i in b.ideas],
        )
        summary = await ImportRepository(db).apply(merged, utc_now())
        logger.info("Loaded the shipped data: %s", summary)
    return version


async def open_services(app: Application) -> None:  # type: ignore[type-arg]
    """post_init: open and migrate the database, load data, register the command menus."""
    data: BotData = app.bot_data
    db = await Database.open(data.settings.db_path)
    try:
        await prepare_database(db)
    except BaseException:
        await db.close()
        raise
    data.attach(db)
    await refresh_places(data)
    await register_commands(app)


async def refresh_places(data: BotData) -> None:
    """Rebuild the in-memory place index from the database."""
    data.places = PlaceIndex.build(await data.regions.places(), await data.regions.postal_codes())


async def register_commands(app: Application) -> None:  # type: ignore[type-arg]
    """Tell Telegram our command list in German (also the default) and English."""
    scope = BotCommandScopeAllPrivateChats()
    for code in LANGUAGES:
        commands = [BotCommand(name, t(code, key)) for name, key in COMMANDS[code]]
        await app.bot.set_my_commands(commands, scope=scope, language_code=code)
    default = [BotCommand(name, t("de", key)) for name, key in COMMANDS["de"]]
    await app.bot.set_my_commands(default, scope=scope)


async def close_services(app: Application) -> None:  # type: ignore[type-arg]
    """post_shutdown: close the database."""
    db = app.bot_data.detach()
    if db is not None:
        await db.close()
