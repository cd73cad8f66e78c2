"""The one place that wires the bot: storage, features, error handler, commands."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import gc
import logging

from telegram import LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.ext import ApplicationBuilder, Defaults
from telegram.request import BaseRequest

from bot.config import Settings, require_token
from bot.context import CONTEXT_TYPES, App, BotData, Clock, Context, utc_now
from bot.dispatcher import Dispatcher, Pacer
from bot.flood import ReplyRetry
from bot.importfile import SHIPPED_VERSION, shipped_bundle
from bot.logs import LoggingApplication, Pseudonymizer
from bot.logs import install as install_pseudonyms
from bot.places import PlaceIndex
from bot.services.privacy import load_notices
from bot.updates import FairUpdateProcessor
from handlers import (
    admin_leave,
    admin_workshop_cancel,
    admin_workshop_edit,
    admin_workshops,
    archived_ideas,
    audit,
    broadcast,
    broadcast_progress,
    browse,
    comment_flow,
    comments,
    contact_profile,
    contacts,
    dialog,
    errors,
    fallback,
    find_region,
    follows,
    group_staff,
    group_staff_form,
    idea_edit,
    idea_manage,
    idea_new,
    language,
    map,
    membership,
    menus,
    moderation,
    moderation_reason,
    my_comments,
    my_dates,
    news,
    privacy,
    proposal_flow,
    proposals,
    ratings,
    review,
    roles,
    search,
    staff_answers,
    start,
    statistics,
    workgroup_flow,
    workgroups,
    workshops,
)
from storage.backup import BackupError, backup_rotating
from storage.db import Database
from storage.importer import ImportRepository
from storage.migrate import migrate
from storage.shipped import ShippedContent

logger = logging.getLogger(__name__)

# When the daily retention job runs (in the configured time zone, see Defaults.tzinfo).
RETENTION_TIME = dt.time(3, 30)
# How often expired drafts are looked for: a draft goes between IDEENLABOR_DRAFT_TTL and one
# hour after that (a daily run would let a 24-hour draft live for up to 48 hours).
DRAFT_CHECK = dt.timedelta(hours=1)


def build_application(
    settings: Settings, *, request: BaseRequest | None = None, clock: Clock = utc_now
) -> App:
    """Build the Application exactly as `ideenlabor run` uses it (tests pass a fake request)."""
    token = require_token(settings)
    secret = settings.log_secret.get_secret_value() if settings.log_secret else None
    pseudonym = Pseudonymizer.from_settings(secret, token)
    install_pseudonyms(pseudonym)  # for every log line that names a person
    retry = ReplyRetry()  # every Bot API call outside the outbox: bounded retries, shared pauses
    builder = (
        ApplicationBuilder()
        .application_class(LoggingApplication, {"pseudonym": pseudonym})
        .token(token)
        .context_types(CONTEXT_TYPES)
        .defaults(
            Defaults(
                parse_mode=ParseMode.HTML,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
                tzinfo=settings.tz,
            )
        )
        .post_init(open_services)
        .post_stop(stop_dispatcher)
        .post_shutdown(close_services)
        .concurrent_updates(FairUpdateProcessor(settings.flood_rate, settings.flood_burst))
        .rate_limiter(retry)
    )
    if settings.telegram_api_base_url:
        root = settings.telegram_api_base_url
        builder = builder.base_url(f"{root}/bot").base_file_url(f"{root}/file/bot")
    if request is not None:
        builder = builder.request(request).get_updates_request(request)
    app: App = builder.build()  # type: ignore[assignment]
    app.bot_data.configure(settings, clock, retry.flood)
    register_features(app)
    return app


async def stop_and_shut_down(app: App) -> None:
    """What `run_polling` does on the way out, for the other ways of running the app (webhook
    server, playground): stop if running, post_stop, shutdown, post_shutdown."""
    if app.running:
        await app.stop()
        if app.post_stop is not None:
            await app.post_stop(app)
    await app.shutdown()
    if app.post_shutdown is not None:
        await app.post_shutdown(app)


def register_features(app: App) -> None:
    """Register every feature, here and nowhere else; the order matters: in each group the
    first handler that matches an update takes it, so specific handlers come first and the
    catch-alls last. A new feature module gets its line here (README: "Adding a feature")."""
    dialog.register(app)  # multi-step dialogues (groups -2, -1) and /abbrechen, before all
    membership.register(app)  # users blocking / unblocking the bot
    news.register(app)  # news as an opt-in: the offer (once, after the answer), /neuigkeiten
    start.register(app)  # /start and its deep links, main menu, /hilfe
    browse.register(app)  # regions (each with its page), challenges, their ideas, one idea
    map.register(app)  # /karte: the map picture, a button per region
    review.register(app)  # /rueckblick: past Ideenlabore and the ideas from them
    follows.register(app)  # following ideas, an idea's history, /meine_ideen
    search.register(app)  # /suche: full-text search over the ideas (a dialogue), result pages
    language.register(app)  # /sprache
    comments.register(app)  # an idea's comments: the list, one comment, reporting
    comment_flow.register(app)  # writing a comment (a dialogue; its answer to non-text first)
    ratings.register(app)  # 1–5 stars on an idea
    my_comments.register(app)  # /meine_kommentare and deleting one's own comments
    proposal_flow.register(app)  # „💡 Idee vorschlagen“: citizens propose ideas (a dialogue)
    proposals.register(app)  # /meine_vorschlaege; merging a duplicate (before the decisions)
    moderation_reason.register(app)  # rejecting a comment with a reason (a dialogue)
    moderation.register(app)  # /moderation, the queue and moderators' decisions
    workshops.register(app)  # /termine, a date's detail, .ics, participant lists
    my_dates.register(app)  # registration, reminders, subscriptions, /meine_termine
    admin_workshops.register(app)  # /neuer_termin (a dialogue)
    admin_workshop_edit.register(app)  # /termin_aendern (a dialogue)
    admin_workshop_cancel.register(app)  # /termin_absagen (a dialogue)
    admin_leave.register(app)  # their cancel button: asks before a filled form is thrown away
    broadcast.register(app)  # /rundschreiben (a dialogue)
    broadcast_progress.register(app)  # a broadcast's live progress, after each outbox drain
    workgroup_flow.register(app)  # Mitmachen: interest in a working group (a dialogue)
    contacts.register(app)  # invitations (deep link), /kontakte, /interessenten, CSV export
    workgroups.register(app)  # working groups in idea lists and views, /meine_gruppen
    idea_new.register(app)  # /neue_idee: staff create an idea (a dialogue)
    idea_manage.register(app)  # „🛠 Idee verwalten“: news, status, archive (dialogues), restore
    idea_edit.register(app)  # ✏️ Bearbeiten: one field of an idea (a dialogue)
    archived_ideas.register(app)  # /archiv: archived ideas of the staff member's regions
    group_staff.register(app)  # /arbeitsgruppen: staff list, open/close, link ideas
    group_staff_form.register(app)  # new working group, changed name or description (dialogues)
    contact_profile.register(app)  # /profil: a contact's public profile (a dialogue)
    staff_answers.register(app)  # the buttons inside those dialogues, routed by the draft
    statistics.register(app)  # /statistik for admins: numbers and a chart
    privacy.register(app)  # /datenschutz, /meine_daten, /daten_loeschen
    roles.register(app)  # /rollen, /rolle_vergeben, /rolle_entziehen
    audit.register(app)  # /protokoll: the audit log, paged
    find_region.register(app)  # /region_finden and free text (place names, postcodes)
    fallback.register(app)  # groups, non-text, unknown commands, stale buttons
    errors.register(app)  # the global error handler


async def prepare_database(db: Database) -> int:
    """Migrate, and bring the shipped data up to date; return the schema version.

    An empty database gets the data in bot/data; one holding an older version of it
    (SHIPPED_VERSION) gets what is new, without touching what people created or changed
    (see storage.importer, shipped mode).
    """
    version = await migrate(db)
    loaded = await ShippedContent(db).version()
    if loaded < SHIPPED_VERSION:
        summary = await ImportRepository(db).apply(
            shipped_bundle(), utc_now(), shipped_version=SHIPPED_VERSION
        )
        logger.info(
            "Loaded the shipped data (version %s, the database had %s): %s",
            SHIPPED_VERSION,
            loaded,
            summary,
        )
    return version


async def open_services(app: App) -> None:
    """post_init: open and migrate the database, load data, register the command menus."""
    data = app.bot_data
    db = await Database.open(data.settings.db_path)
    try:
        await prepare_database(db)
    except BaseException:
        await db.close()
        raise
    data.attach(db)
    data.privacy_notices = load_notices(data.settings)
    await refresh_places(data)
    data.users_with_drafts = await data.drafts.users_with_drafts()
    # IDEENLABOR_REMINDERS may have changed since the workshops were planned.
    await data.workshops.sync_reminders()
    recovered = await data.outbox.recover_in_flight()
    if recovered:
        logger.warning("Re-queued %s messages that were in flight when the bot stopped", recovered)
    data.dispatcher = Dispatcher(
        app.bot,
        data.outbox,
        data.clock,
        pacer=Pacer(rate=data.settings.send_rate, flood=data.flood),
        before_drain=data.workshops.fan_out_reminders,
        after_drain=lambda: _after_drain(app),
        on_blocked=lambda chat_id: data.last_touch.pop(chat_id, None),
        mailer=data.settings.mailer(),
    )
    await menus.register_commands(app)  # everyone's and the admins' command menus
    # Start-up objects (place index, catalogs, handlers) live as long as the process: keep
    # them out of the garbage collector's full passes, which otherwise stall replies.
    gc.freeze()
    gc.set_threshold(50_000, 20, 20)
    if app.job_queue is not None:  # runs once the application is started (not in tests)
        app.job_queue.run_once(_start_dispatcher, 0, name="dispatcher-start")
        app.job_queue.run_repeating(_wake_dispatcher, interval=60, first=60, name="dispatcher-tick")
        if data.settings.backup_dir is not None:
            app.job_queue.run_daily(daily_backup, data.settings.backup_at, name="daily-backup")
        app.job_queue.run_daily(purge_expired, RETENTION_TIME, name="retention")
        app.job_queue.run_repeating(
            expire_drafts, interval=DRAFT_CHECK, first=DRAFT_CHECK, name="drafts"
        )


async def daily_backup(context: Context) -> None:
    """The daily backup with rotation, in a thread so that replies are not held up."""
    settings = context.bot_data.settings
    if settings.backup_dir is None:
        return
    try:
        info = await asyncio.to_thread(
            backup_rotating,
            settings.db_path,
            settings.backup_dir,
            settings.backup_keep,
            context.bot_data.clock(),
        )
    except (BackupError, OSError) as exc:
        logger.error("Daily backup failed: %s", exc)
        return
    logger.info("Daily backup written: %s (%s bytes)", info.path, info.size)


async def _start_dispatcher(context: Context) -> None:
    """Start the dispatcher loop; stop_dispatcher cancels it when the application stops."""
    data = context.bot_data
    data.dispatcher_task = asyncio.get_running_loop().create_task(
        data.dispatcher.run(idle_timeout=300), name="dispatcher"
    )


async def purge_expired(context: Context) -> None:
    """The daily retention job: erase inactive people, drop old registrations and old counts."""
    data = context.bot_data
    await data.comments.writes.forget_old()  # also those of people erased meanwhile
    await data.proposals.writes.forget_old()
    purge = await data.privacy.purge()
    for user_id in purge.users:
        data.forget(user_id)


async def expire_drafts(context: Context) -> None:
    """The hourly job: drafts past IDEENLABOR_DRAFT_TTL are emptied, then a checkpoint.

    The checkpoint also finishes one that a reader blocked after an erasure, so that erased
    data leaves the -wal file within the hour in any case.
    """
    data = context.bot_data
    now = data.clock()
    expiry = await data.drafts.expire(now - data.settings.draft_lifetime, now)
    data.users_with_drafts.difference_update(expiry.forgotten)
    if expiry.expired or expiry.forgotten:
        logger.info(
            "Drafts: %s expired, %s expiry notes removed",
            len(expiry.expired),
            len(expiry.forgotten),
        )
    await data.privacy.checkpoint()


async def stop_dispatcher(app: App) -> None:
    """post_stop: end the dispatcher loop (a send in progress is settled or re-queued)."""
    task = app.bot_data.dispatcher_task
    if task is None:
        return
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
    app.bot_data.dispatcher_task = None


async def _wake_dispatcher(context: Context) -> None:
    """APScheduler's part: wake the dispatcher (it reads what is due from SQLite)."""
    context.bot_data.wake()


async def _after_drain(app: App) -> None:
    """After sending: feature hooks, then schedule a wake-up for the next due item."""
    data = app.bot_data
    await data.run_after_drain()
    if app.job_queue is None:
        return
    dues = [d for d in (await data.outbox.next_due(), await data.workshops.next_due()) if d]
    if dues:
        app.job_queue.run_once(
            _wake_dispatcher,
            min(dues),
            name="dispatcher-wake",
            job_kwargs={
                "id": "dispatcher-wake",
                "replace_existing": True,
                "misfire_grace_time": None,
            },
        )


async def refresh_places(data: BotData) -> None:
    """Rebuild the in-memory place index from the database."""
    data.places = PlaceIndex.build(await data.regions.places(), await data.regions.postal_codes())


async def close_services(app: App) -> None:
    """post_shutdown: close the database."""
    db = app.bot_data.detach()
    if db is not None:
        await db.close()
