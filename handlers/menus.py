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
        ("idee_vorschlagen", "commands.propose"),
        ("termine", "commands.workshops"),
        ("rueckblick", "commands.review"),
        ("meine_termine", "commands.my_dates"),
        ("neuigkeiten", "commands.news"),
        ("meine_ideen", "commands.my_ideas"),
        ("meine_kommentare", "commands.my_comments"),
        ("meine_vorschlaege", "commands.my_proposals"),
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
        ("propose", "commands.propose"),
        ("dates", "commands.workshops"),
        ("review", "commands.review"),
        ("my_dates", "commands.my_dates"),
        ("news", "commands.news"),
        ("my_ideas", "commands.my_ideas"),
        ("my_comments", "commands.my_comments"),
        ("my_proposals", "commands.my_proposals"),
        ("my_groups", "commands.my_groups"),
        ("language", "commands.language"),
        ("privacy", "commands.privacy"),
        ("my_data", "commands.my_data"),
        ("delete_my_data", "commands.delete_my_data"),
        ("help", "commands.help"),
        ("cancel", "commands.cancel"),
    ],
}
# Staff commands as (German, English, catalog key of the description): every German command
# has its English twin, registered by its feature and shown in the menu of the staff member's
# language. Shown additionally to admins, in their private chat with the bot.
StaffCommand = tuple[str, str, str]
ADMIN_COMMANDS: list[StaffCommand] = [
    ("neuer_termin", "new_date", "commands.new_workshop"),
    ("termin_aendern", "change_date", "commands.change_workshop"),
    ("termin_absagen", "cancel_date", "commands.cancel_workshop"),
    ("rundschreiben", "broadcast", "commands.broadcast"),
    ("moderation", "moderation", "commands.moderation"),
    ("kontakt_einladen", "invite_contact", "commands.invite_contact"),
    ("kontakte", "contacts", "commands.contacts"),
    ("interessenten", "interested", "commands.interested"),
    ("statistik", "statistics", "commands.statistics"),
    ("rollen", "roles", "commands.roles"),
    ("rolle_vergeben", "grant_role", "commands.grant_role"),
    ("rolle_entziehen", "revoke_role", "commands.revoke_role"),
    ("protokoll", "audit", "commands.audit"),
    ("neue_idee", "new_idea", "commands.new_idea"),
    ("archiv", "archived", "commands.archived"),
    ("arbeitsgruppen", "working_groups", "commands.working_groups"),
    ("profil", "profile", "commands.profile"),
]
# Shown additionally to regional contacts who are not admins, in their private chat: some of
# the admins' commands (each named and described once, above), in this order.
_STAFF_COMMAND = {names[0]: names for names in ADMIN_COMMANDS}
CONTACT_COMMANDS: list[StaffCommand] = [
    _STAFF_COMMAND[name]
    for name in ("neue_idee", "archiv", "arbeitsgruppen", "profil", "moderation", "interessenten")
]


def staff_menu(language: str, staff: list[StaffCommand]) -> list[BotCommand]:
    """Everyone's commands and the staff's, all in one language."""
    everyone = [BotCommand(name, t(language, key)) for name, key in COMMANDS[language]]
    index = 0 if language == "de" else 1
    return everyone + [BotCommand(names[index], t(language, names[2])) for names in staff]


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
        await set_admin_menu(app.bot, data, admin_id)
    contacts = {user_id for user_id, *_ in await data.roles.linked_contacts()}
    for contact_id in sorted(contacts - admins):
        await set_contact_menu(app.bot, data, contact_id)


async def _set_chat_menu(
    bot: ExtBot[None], data: BotData, user_id: int, staff: list[StaffCommand], what: str
) -> None:
    """The staff menu in the person's language (chosen, else their app's) in their chat.

    Telegram prefers a chat's menu without a language code over the language menus of all
    private chats, so the one menu in the person's language is what they see.
    """
    language = await data.roles.language_of(user_id)
    menu = staff_menu(language if language in COMMANDS else "de", staff)
    try:
        await bot.set_my_commands(menu, scope=BotCommandScopeChat(user_id))
    except TelegramError as exc:  # the person has not started the bot yet
        logger.info("No %s command menu for %s: %s", what, person(user_id), exc)


async def set_admin_menu(bot: ExtBot[None], data: BotData, admin_id: int) -> None:
    """Show the admin commands in the admin's private chat (best effort)."""
    await _set_chat_menu(bot, data, admin_id, ADMIN_COMMANDS, "admin")


async def set_contact_menu(bot: ExtBot[None], data: BotData, user_id: int) -> None:
    """Show the regional contact's commands in their private chat (best effort)."""
    await _set_chat_menu(bot, data, user_id, CONTACT_COMMANDS, "contact")


async def refresh_menu(bot: ExtBot[None], data: BotData, user_id: int) -> None:
    """The menu that fits the person's roles now: admin, contact, or everyone's."""
    if user_id in data.settings.admins or await data.roles.is_admin(user_id):
        await set_admin_menu(bot, data, user_id)
    elif await data.roles.contact_regions(user_id):
        await set_contact_menu(bot, data, user_id)
    else:
        await remove_admin_menu(bot, user_id)


async def refresh_staff_menu(bot: ExtBot[None], data: BotData, user_id: int) -> None:
    """After a change of language: a staff member's menu in the new language (others: none)."""
    if user_id in data.settings.admins or await data.roles.is_admin(user_id):
        await set_admin_menu(bot, data, user_id)
    elif await data.roles.contact_regions(user_id):
        await set_contact_menu(bot, data, user_id)


async def remove_admin_menu(bot: ExtBot[None], user_id: int) -> None:
    """Back to the everyone's menu in the user's chat (best effort)."""
    try:
        await bot.delete_my_commands(scope=BotCommandScopeChat(user_id))
    except TelegramError as exc:
        logger.info("Could not remove the admin command menu for %s: %s", person(user_id), exc)
