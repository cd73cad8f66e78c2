"""Typed bot-wide data: repositories, services, settings, the clock, small caches, and what
features register (dialogues, deep links, the broadcast progress)."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Protocol

from telegram import Update
from telegram.ext import Application, CallbackContext, ContextTypes, ExtBot, JobQueue

from bot.config import Settings
from bot.dispatcher import Dispatcher
from bot.flood import Flood
from bot.places import PlaceIndex
from bot.screens import ScreenCache
from bot.services.basis import Basis, Clock
from bot.services.comments import CommentKind, CommentService
from bot.services.follows import FollowService
from bot.services.groups import GroupEditService
from bot.services.ideas import IdeaService
from bot.services.moderation import ModerationService
from bot.services.privacy import PrivacyService, retention_of
from bot.services.profiles import ProfileService
from bot.services.proposals import ProposalKind, ProposalService
from bot.services.workgroups import WorkgroupService
from bot.services.workshops import WorkshopService
from storage.audit import AuditRepository
from storage.broadcasts import BroadcastRepository
from storage.comments import CommentRepository
from storage.contact_profiles import ContactProfileRepository
from storage.db import Database
from storage.drafts import DraftRepository
from storage.idea_lifecycle import IdeaLifecycle
from storage.ideas import IdeaRepository
from storage.importer import ImportRepository
from storage.models import Draft
from storage.news import NewsRepository
from storage.organisations import OrganisationRepository
from storage.outbox import OutboxRepository
from storage.proposals import ProposalRepository
from storage.ratings import RatingRepository
from storage.regions import RegionRepository
from storage.retrospective import PastWorkshopRepository
from storage.roles import RoleRepository
from storage.search import SearchRepository
from storage.users import UserRepository


def utc_now() -> dt.datetime:
    """The current time in UTC (the production clock)."""
    return dt.datetime.now(dt.UTC)


class BotData:
    """Everything handlers need: configured at build time, attached to storage in post_init."""

    def __init__(self) -> None:
        self._settings: Settings | None = None
        self._db: Database | None = None
        self.clock: Clock = utc_now
        self.flood = Flood()  # Telegram's pauses, shared by the replies and the dispatcher
        self.places = PlaceIndex()
        self.languages: dict[int, str | None] = {}
        self.last_touch: dict[int, dt.date] = {}
        self.users_with_drafts: set[int] = set()
        self.news_offered: set[int] = set()  # people known to have had the news offer
        self.privacy_notices: dict[str, list[str]] = {}  # per language, ready to send
        # The map picture as Telegram stores it, per language: the idea counts it shows and
        # its file_id, so that it is drawn and uploaded once and re-sent until the counts
        # change (handlers.map).
        self.map_photos: dict[str, tuple[tuple[int, ...], str]] = {}
        self.after_drain: list[Callable[[], Awaitable[object]]] = []
        # Registered by the features (bot.app.register_features), read by handlers.dialog,
        # handlers.start and handlers.broadcast:
        self.flows: dict[str, Flow] = {}  # dialogues by name
        self.deep_links: dict[str, DeepLink] = {}  # /start payload prefix → its opener
        self.broadcast_progress: BroadcastProgress | None = None
        self._dispatcher: Dispatcher | None = None
        self.dispatcher_task: asyncio.Task[None] | None = None

    def configure(self, settings: Settings, clock: Clock, flood: Flood | None = None) -> None:
        """Set the configuration, the clock and the bot's flood state (when it is built)."""
        self._settings = settings
        self.clock = clock
        if flood is not None:
            self.flood = flood

    def attach(self, db: Database) -> None:
        """Connect the repositories and services to an open database."""
        self._db = db
        self.regions = RegionRepository(db)
        self.ideas = IdeaRepository(db)
        self.search = SearchRepository(db)
        self.screens: ScreenCache[Any] = ScreenCache(db)
        self.users = UserRepository(db)
        self.importer = ImportRepository(db)
        self.outbox = OutboxRepository(db)
        self.drafts = DraftRepository(db)
        self.broadcasts = BroadcastRepository(db)
        self.news = NewsRepository(db)  # the news opt-in: the audience „Alle“ of broadcasts
        settings = self.settings
        basis = Basis(db, self.clock, settings.admins, self.wake)
        self.workshops = WorkshopService(basis, settings.tz, settings.reminder_schedule)
        # Moderation is shared by the kinds of content registered here (one line each).
        self.moderation = ModerationService(basis)
        self.moderation.register(CommentKind(CommentRepository(db)))
        self.comments = CommentService(
            basis,
            moderation=settings.moderation,
            limits=settings.comment_limit_rules,
            moderators=self.moderation,
        )
        # Citizens' proposals: always pre-moderated, the second kind of moderated content.
        self.moderation.register(ProposalKind(ProposalRepository(db), settings.tz))
        self.proposals = ProposalService(
            basis, limits=settings.proposal_limit_rules, moderators=self.moderation
        )
        self.ratings = RatingRepository(db)
        # The living Ideenlandkarte: an idea's timeline, following ideas, the Rückblick, and
        # what a region's page shows of its agency and contacts.
        self.lifecycle = IdeaLifecycle(db)
        self.follows = FollowService(basis)
        self.past_workshops = PastWorkshopRepository(db)
        self.organisations = OrganisationRepository(db)
        self.contact_profiles = ContactProfileRepository(db)
        self.roles = RoleRepository(db)
        self.audit = AuditRepository(db)
        self.workgroups = WorkgroupService(
            basis, mail_from=settings.mail_from if settings.smtp_url is not None else None
        )
        # Staff maintain the idea map: ideas, working groups, contacts' public profiles.
        self.idea_staff = IdeaService(basis, settings.tz)
        self.group_edits = GroupEditService(basis)
        self.profiles = ProfileService(basis)
        self.privacy = PrivacyService(
            basis, retention_of(settings), workgroups=self.workgroups, workshops=self.workshops
        )

    def forget(self, user_id: int) -> None:
        """Drop what is cached about a person whose data was erased."""
        self.languages.pop(user_id, None)
        self.last_touch.pop(user_id, None)
        self.users_with_drafts.discard(user_id)
        self.news_offered.discard(user_id)

    def wake(self) -> None:
        """Tell the dispatcher that there is something to send."""
        if self._dispatcher is not None:
            self._dispatcher.wake()

    @property
    def dispatcher(self) -> Dispatcher:
        """The delivery dispatcher."""
        if self._dispatcher is None:
            raise RuntimeError("services are not open yet")
        return self._dispatcher

    @dispatcher.setter
    def dispatcher(self, value: Dispatcher) -> None:
        self._dispatcher = value

    async def run_after_drain(self) -> None:
        """Hooks of features that follow deliveries (e.g. broadcast progress)."""
        for hook in self.after_drain:
            await hook()

    @property
    def settings(self) -> Settings:
        """The validated configuration."""
        if self._settings is None:
            raise RuntimeError("the application is not configured")
        return self._settings

    @property
    def db(self) -> Database:
        """The open database."""
        if self._db is None:
            raise RuntimeError("services are not open yet")
        return self._db

    def detach(self) -> Database | None:
        """Forget the database (returned so the caller can close it)."""
        db, self._db = self._db, None
        return db


Context = CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], BotData]
CONTEXT_TYPES = ContextTypes(bot_data=BotData)
App = Application[
    ExtBot[None], Context, dict[Any, Any], dict[Any, Any], BotData, JobQueue[Context] | None
]


TextStep = Callable[[Update, Context, Draft, str, str], Awaitable[None]]
Prompt = Callable[[Update, Context, Draft, str], Awaitable[None]]
DeepLink = Callable[[Update, Context, str, str], Awaitable[None]]  # (…, language, payload rest)


@dataclass(frozen=True)
class Flow:
    """A dialogue (handlers.dialog): its name, the catalog key of its title, how it reads text."""

    name: str
    title_key: str
    on_text: TextStep  # (update, context, draft, language, text)
    prompt: Prompt  # show the current step's question again
    admin_only: bool = False
    # Steps answered with buttons: a text typed there is kept for the next step that reads
    # text (handlers.dialog.proceed), never thrown away.
    button_steps: frozenset[str] = frozenset()


class BroadcastProgress(Protocol):
    """What a broadcast needs of the progress reporter (handlers.broadcast_progress)."""

    lock: asyncio.Lock

    async def start(self, broadcast_id: int, language: str) -> None:
        """Send the first progress message of a new broadcast (while holding `lock`)."""
