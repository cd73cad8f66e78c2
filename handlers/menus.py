"""The command menus Telegram shows: everyone's (German, English) and the admins' (per chat)."""

from __future__ import annotations

import logging

from telegram import BotCommand, BotCommandScopeAllPrivateChats, BotCommandScopeChat
from telegram.error import TelegramError
from telegram.ext import ExtBot

from bot.context import App, BotData
from bot.logs import person
from messages.catalog import LANGUAGES, t

logger = logging.getLogger(__name__)

# (command, catalog key of its description) per language, as shown in Telegram's menu.
COMMANDS = {
    "de": [
        ("start", "commands.start"),
        ("regionen", "commands.regions"),
        ("karte", "commands.map"),
        ("herausforderungen", "commands.challenges"),
        ("region_finden", "commands.find_region"),
        ("suche", "commands.search"),
        ("termine", "commands.workshops"),
        ("rueckblick", "commands.review"),
        ("meine_termine", "commands.my_dates"),
        ("neuigkeiten", "commands.news"),
        ("meine_ideen", "commands.my_ideas"),
        ("meine_kommentare", "commands.my_comments"),
        ("meine_gruppen", "commands.my_groups"),
        ("sprache", "commands.language"),
        ("datenschutz", "commands.privacy"),
        ("meine_daten", "commands.my_data"),
        ("daten_loeschen", "commands.delete_my_data"),
        ("hilfe", "commands.help"),
        ("abbrechen", "commands.cancel"),
    ],
    "en": [
        ("start", "commands.start"),
        ("regions", "commands.regions"),
        ("map", "commands.map"),
        ("challenges", "commands.challenges"),
        ("find_region", "commands.find_region"),
        ("search", "commands.search"),
        ("dates", "commands.workshops"),
        ("review", "commands.review"),
        ("my_dates", "commands.my_dates"),
        ("news", "commands.news"),
        ("my_ideas", "commands.my_ideas"),
        ("my_comments", "commands.my_comments"),
        ("my_groups", "commands.my_groups"),
        ("language", "commands.language"),
        ("privacy", "commands.privacy"),
        ("my_data", "commands.my_data"),
        ("delete_my_data", "commands.delete_my_data"),
        ("help", "commands.help"),
        ("cancel", "commands.cancel"),
    ],
}
# Shown additionally to admins, in their private chat with the bot.
ADMIN_COMMANDS = [
    ("neuer_termin", "commands.new_workshop"),
    ("termin_aendern", "commands.change_workshop"),
    ("termin_absagen", "commands.cancel_workshop"),
    ("rundschreiben", "commands.broadcast"),
    ("moderation", "commands.moderation"),
    ("kontakt_einladen", "commands.invite_contact"),
    ("kontakte", "commands.contacts"),
    ("interessenten", "commands.interested"),
    ("statistik", "commands.statistics"),
    ("rollen", "commands.roles"),
    ("rolle_vergeben", "commands.grant_role"),
    ("rolle_entziehen", "commands.revoke_role"),
    ("protokoll", "commands.audit"),
    ("neue_idee", "commands.new_idea"),
    ("archiv", "commands.archived"),
    ("arbeitsgruppen", "commands.working_groups"),
    ("profil", "commands.profile"),
]
# Shown additionally to regional contacts who are not admins, in their private chat.
CONTACT_COMMANDS = [
    ("neue_idee", "commands.new_idea"),
    ("archiv", "commands.archived"),
    ("arbeitsgruppen", "commands.working_groups"),
    ("profil", "commands.profile"),
    ("moderation", "commands.moderation"),
    ("interessenten", "commands.interested"),
]


async def register_commands(app: App) -> None:
    """Tell Telegram our command list in German (also the default) and English."""
    scope = BotCommandScopeAllPrivateChats()
    for code in LANGUAGES:
        commands = [BotCommand(name, t(code, key)) for name, key in COMMANDS[code]]
        await app.bot.set_my_commands(commands, scope=scope, language_code=code)
    default = [BotCommand(name, t("de", key)) for name, key in COMMANDS["de"]]
    await app.bot.set_my_commands(default, scope=scope)
    data = app.bot_data
    granted = await data.roles.holders("admin")
    admins = data.settings.admins | set(granted)
    for admin_id in sorted(admins):
        await set_admin_menu(app.bot, admin_id)
    contacts = {user_id for user_id, *_ in await data.roles.linked_contacts()}
    for contact_id in sorted(contacts - admins):
        await set_contact_menu(app.bot, contact_id)


def _admin_menu() -> list[BotCommand]:
    everyone = [BotCommand(name, t("de", key)) for name, key in COMMANDS["de"]]
    return everyone + [BotCommand(name, t("de", key)) for name, key in ADMIN_COMMANDS]


async def set_admin_menu(bot: ExtBot[None], admin_id: int) -> None:
    """Show the admin commands in the admin's private chat (best effort)."""
    try:
        await bot.set_my_commands(_admin_menu(), scope=BotCommandScopeChat(admin_id))
    except TelegramError as exc:  # the admin has not started the bot yet
        logger.info("No admin command menu for %s: %s", person(admin_id), exc)


def _contact_menu() -> list[BotCommand]:
    everyone = [BotCommand(name, t("de", key)) for name, key in COMMANDS["de"]]
    return everyone + [BotCommand(name, t("de", key)) for name, key in CONTACT_COMMANDS]


async def set_contact_menu(bot: ExtBot[None], user_id: int) -> None:
    """Show the regional contact's commands in their private chat (best effort)."""
    try:
        await bot.set_my_commands(_contact_menu(), scope=BotCommandScopeChat(user_id))
    except TelegramError as exc:
        logger.info("No contact command menu for %s: %s", person(user_id), exc)


async def refresh_menu(bot: ExtBot[None], data: BotData, user_id: int) -> None:
    """The menu that fits the person's roles now: admin, contact, or everyone's."""
    if user_id in data.settings.admins or await data.roles.is_admin(user_id):
        await set_admin_menu(bot, user_id)
    elif await data.roles.contact_regions(user_id):
        await set_contact_menu(bot, user_id)
    else:
        await remove_admin_menu(bot, user_id)


async def remove_admin_menu(bot: ExtBot[None], user_id: int) -> None:
    """Back to the everyone's menu in the user's chat (best effort)."""
    try:
        await bot.delete_my_commands(scope=BotCommandScopeChat(user_id))
    except TelegramError as exc:
        logger.info("Could not remove the admin command menu for %s: %s", person(user_id), exc)
