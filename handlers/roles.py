"""/rolle_vergeben, /rolle_entziehen, /rollen: admins manage admins and regional contacts."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from telegram import Update

from bot.context import App, Context
from bot.logs import person
from handlers.common import admin_of, best_effort, private_command, reply
from handlers.menus import refresh_menu
from messages.catalog import t
from messages.keyboards import chat_message
from messages.problems import Problem
from messages.roles import roles_list
from storage.audit import AuditNote
from storage.models import Region
from storage.outbox import Outgoing

logger = logging.getLogger(__name__)

# The role words admins type (German and English) → the role stored in the database.
ROLE_WORDS = {"admin": "admin", "kontakt": "contact", "contact": "contact"}


@dataclass(frozen=True)
class RoleRequest:
    """A parsed /rolle_vergeben or /rolle_entziehen: user, role, and the region of a contact."""

    user_id: int
    role: str
    region: Region | None


class RoleInputError(Problem):
    """Input that names no valid role change; key names the explanation in roles.error."""


def _is_user_id(text: str) -> bool:
    """A Telegram user id as typed: ASCII digits, at most 15 (no overflow in SQLite)."""
    return text.isascii() and text.isdigit() and len(text) <= 15


async def parse_request(context: Context, args: list[str]) -> RoleRequest:
    """`<user_id> admin` or `<user_id> kontakt <region-slug>`; RoleInputError if not."""
    data = context.bot_data
    if len(args) < 2 or not _is_user_id(args[0]) or args[1].lower() not in ROLE_WORDS:
        raise RoleInputError("usage")
    user_id, role = int(args[0]), ROLE_WORDS[args[1].lower()]
    region = None
    if role == "admin" and len(args) != 2:
        raise RoleInputError("usage")
    if role == "contact":
        if len(args) != 3:
            raise RoleInputError("region_missing")
        region = await data.regions.get_by_slug(args[2].lower())
        if region is None:
            slugs = ", ".join(r.slug for r in await data.regions.list_with_counts())
            raise RoleInputError("unknown_region", slug=args[2], slugs=slugs)
    if await data.users.get(user_id) is None:
        raise RoleInputError("unknown_user", user_id=user_id)
    return RoleRequest(user_id, role, region)


def _role_name(language: str, request: RoleRequest) -> str:
    if request.region is None:
        return t(language, "roles.name.admin")
    return t(language, "roles.name.contact", region=request.region.name)


async def grant_command(update: Update, context: Context) -> None:
    """/rolle_vergeben <user_id> admin | kontakt <region>: grant, audit, notify the user."""
    await _change(update, context, grant=True)


async def revoke_command(update: Update, context: Context) -> None:
    """/rolle_entziehen <user_id> admin | kontakt <region>: revoke, audit, notify the user."""
    await _change(update, context, grant=False)


async def _change(update: Update, context: Context, *, grant: bool) -> None:
    """Check the admin now, read the request, refuse what cannot be, else change and report."""
    found = await admin_of(update, context)
    if found is None:
        return
    language, admin_id = found
    data = context.bot_data
    try:
        request = await parse_request(context, context.args or [])
    except RoleInputError as exc:
        await reply(update, t(language, f"roles.error.{exc.key}", **exc.params))
        return
    user_id, name = request.user_id, _role_name(language, request)
    if request.role == "admin" and user_id in data.settings.admins:
        key = "roles.error.configured" if grant else "roles.error.bootstrap"
        await reply(update, t(language, key, user_id=user_id))
        return
    if not grant and await _is_last_admin(context, request):
        await reply(update, t(language, "roles.error.last_admin", user_id=user_id))
        return
    verb = "granted" if grant else "revoked"
    target_language = await data.roles.language_of(user_id)
    text = t(target_language, f"roles.notice.{verb}_{request.role}", **_where(request))
    notice = Outgoing(user_id, chat_message(text))
    action = "role_grant" if grant else "role_revoke"
    note = AuditNote.by_user(admin_id, action, f"user:{user_id}", **_details(request))
    region_id = request.region.id if request.region else None
    if grant:
        changed = await data.roles.grant(
            user_id, request.role, region_id, admin_id, data.clock(), audit=note, notice=notice
        )
    else:
        changed = await data.roles.revoke(
            user_id, request.role, region_id, now=data.clock(), audit=note, notice=notice
        )
    if not changed:
        key = "roles.error.already" if grant else "roles.error.not_held"
        await reply(update, t(language, key, user_id=user_id, role=name))
        return
    logger.info("Admin %s: %s %s for %s", person(admin_id), action, request.role, person(user_id))
    data.wake()
    await refresh_menu(context.bot, data, user_id)  # admin, contact or everyone's menu
    async with best_effort("a role change"):
        await reply(update, t(language, f"roles.{verb}", user_id=user_id, role=name))


async def _is_last_admin(context: Context, request: RoleRequest) -> bool:
    """Whether revoking would leave no admin at all (none configured, this the only one)."""
    data = context.bot_data
    if request.role != "admin" or data.settings.admins:
        return False
    return await data.roles.admin_count() <= 1 and await data.roles.is_admin(request.user_id)


def _where(request: RoleRequest) -> dict[str, object]:
    return {"region": request.region.name} if request.region else {}


def _details(request: RoleRequest) -> dict[str, object]:
    region = {"region": request.region.slug} if request.region else {}
    return {"role": request.role, **region}


async def roles_command(update: Update, context: Context) -> None:
    """/rollen: admins (configured, granted) and regional contacts by region, named."""
    found = await admin_of(update, context)
    if found is None:
        return
    language, _ = found
    data = context.bot_data
    grants = await data.roles.all_grants()
    people = {*data.settings.admins, *(g.user_id for g in grants)}
    people |= {g.granted_by for g in grants if g.granted_by is not None}
    names = await data.contact_profiles.names_of(people)
    text = roles_list(language, data.settings.admins, grants, names, data.settings.tz)
    await reply(update, text)


def register(app: App) -> None:
    """The role commands (private chats only; each checks the admin role at use)."""
    app.add_handler(private_command(["rolle_vergeben", "grant_role"], grant_command))
    app.add_handler(private_command(["rolle_entziehen", "revoke_role"], revoke_command))
    app.add_handler(private_command(["rollen", "roles"], roles_command))
