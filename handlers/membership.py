"""Telegram tells us when a user blocks or unblocks the bot (my_chat_member updates)."""

from __future__ import annotations

import logging

from telegram import ChatMember, Update
from telegram.ext import ChatMemberHandler

from bot.context import App, Context
from bot.logs import person

logger = logging.getLogger(__name__)


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
    """Track blocking in private chats."""
    app.add_handler(ChatMemberHandler(on_my_chat_member, ChatMemberHandler.MY_CHAT_MEMBER))
