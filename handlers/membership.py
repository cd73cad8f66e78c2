"""Who uses the bot: visits (first contact, the last day seen), blocking and unblocking.

A visit is someone using the bot: a tap on a button, a message in the private chat (or a
command edited there), a command or mention of the bot in a group. `record_visit` notes it
before any feature sees the update (group VISITS), at most once a day per person: it creates
the person on first contact (roles can only be given to people the bot knows), and the day
counts for the retention period (IDEENLABOR_RETENTION_DAYS) and the statistics. Group chatter
not addressed to the bot is no visit: it is nobody's use of the bot, and stays unrecorded.
"""

from __future__ import annotations

import logging
import sqlite3

from telegram import ChatMember, Message, Update
from telegram.ext import CallbackQueryHandler, ChatMemberHandler, MessageHandler, filters

from bot.context import App, Context
from bot.logs import person
from messages.catalog import pick_language

logger = logging.getLogger(__name__)

VISITS = -3  # before the dialogues (groups -2 and -1) and every feature (group 0)


def addresses_bot(text: str, username: str | None) -> bool:
    """Whether a group message is meant for the bot: a command, or a mention of it."""
    return text.startswith("/") or f"@{username}".lower() in text.lower()


class _AddressesBot(filters.MessageFilter):
    """Group messages with a command or a mention of the bot."""

    def filter(self, message: Message) -> bool:
        return message.text is not None and addresses_bot(message.text, message.get_bot().username)


_VISITING_MESSAGES = (
    filters.ChatType.PRIVATE
    & ~filters.StatusUpdate.ALL
    & (filters.UpdateType.MESSAGE | (filters.UpdateType.EDITED_MESSAGE & filters.COMMAND))
) | (filters.ChatType.GROUPS & filters.UpdateType.MESSAGE & _AddressesBot(name="AddressesBot"))


async def record_visit(update: Update, context: Context) -> None:
    """Note that the person used the bot today (one write a day; the first one creates them).

    Best effort: a failed write (a full disk) must not keep the bot from answering, which is
    most often read-only; it is tried again with the next update.
    """
    user = update.effective_user
    if user is None:
        return
    data = context.bot_data
    now = data.clock()
    if data.last_touch.get(user.id) == now.date():
        return
    try:
        await data.users.touch(user.id, now, pick_language(None, user.language_code))
    except sqlite3.Error as exc:
        logger.warning("Could not record that %s was active: %s", person(user.id), exc)
    else:
        data.last_touch[user.id] = now.date()


async def on_my_chat_member(update: Update, context: Context) -> None:
    """Mark a private chat's user as blocked or active again."""
    change = update.my_chat_member
    if change is None or change.chat.type != "private":
        return
    data = context.bot_data
    blocked = change.new_chat_member.status in (ChatMember.BANNED, ChatMember.LEFT)
    await data.users.set_blocked(change.chat.id, blocked, data.clock())
    data.last_touch.pop(change.chat.id, None)
    logger.info("User %s %s the bot", person(change.chat.id), "blocked" if blocked else "unblocked")


def register(app: App) -> None:
    """Visits (group VISITS, before everything else) and blocking in private chats."""
    app.add_handler(CallbackQueryHandler(record_visit), group=VISITS)
    app.add_handler(MessageHandler(_VISITING_MESSAGES, record_visit), group=VISITS)
    app.add_handler(ChatMemberHandler(on_my_chat_member, ChatMemberHandler.MY_CHAT_MEMBER))
