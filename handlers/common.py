"""Helpers every feature uses: the user's language, refusing, showing and sending messages."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import AsyncIterator, Callable, Coroutine, Sequence
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any, TypeVar

from telegram import Bot, InputFile, Message, Update
from telegram.error import BadRequest, TelegramError
from telegram.ext import CommandHandler, filters

from bot.context import Context
from bot.logs import person
from messages.actions import parse
from messages.catalog import pick_language, t
from messages.keyboards import Keyboard, main_menu_keyboard

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

logger = logging.getLogger(__name__)

D = TypeVar("D", bound="DataclassInstance")


async def language_of(update: Update, context: Context) -> str:
    """The user's language: the one chosen with /sprache, else their Telegram app's.

    Only reads (the choice once, then from the cache); that someone used the bot is recorded
    by handlers.membership.record_visit, before any feature sees the update.
    """
    data = context.bot_data
    user = update.effective_user
    if user is None:
        return pick_language(None, None)
    if user.id not in data.languages:
        stored = await data.users.get(user.id)
        data.languages[user.id] = stored.language if stored else None
    return pick_language(data.languages[user.id], user.language_code)


def private_command(
    names: str | Sequence[str], callback: Callable[[Update, Context], Coroutine[Any, Any, None]]
) -> CommandHandler[Context, None]:
    """A command answered in the private chat with the bot (never in a group)."""
    return CommandHandler(names, callback, filters=filters.ChatType.PRIVATE)


def fields_from(cls: type[D], source: object) -> D:
    """The dataclass `cls` filled from the like-named attributes of `source` (the fields a
    service takes, out of the model a view shows)."""
    values: dict[str, Any] = {f.name: getattr(source, f.name) for f in dataclasses.fields(cls)}
    return cls(**values)


@asynccontextmanager
async def best_effort(what: str) -> AsyncIterator[None]:
    """Telegram calls after a committed action: a failure is logged, never raised.

    The action stands and must not be repeated, so the error handler's "please try again" would
    be wrong; the calls themselves were already tried again (bot.flood.ReplyRetry).
    """
    try:
        yield
    except TelegramError as exc:
        logger.warning("Could not tell the user about %s: %s", what, exc)


async def is_admin(context: Context, user_id: int) -> bool:
    """Whether the user is an admin right now: configured, or granted in the database.

    Read from the database at every use (never cached), so a revoked admin's old buttons and
    commands stop working at once.
    """
    data = context.bot_data
    return user_id in data.settings.admins or await data.roles.is_admin(user_id)


async def admin_of(update: Update, context: Context) -> tuple[str, int] | None:
    """The language and id of an admin (checked now, in the database); None after politely
    refusing anyone else (logged)."""
    language = await language_of(update, context)
    user = update.effective_user
    if user is None or not await is_admin(context, user.id):
        await refuse(update, context, language)
        return None
    return language, user.id


async def refuse(update: Update, context: Context, language: str) -> None:
    """A polite refusal for someone who is not allowed; the attempt is logged (no content)."""
    user = update.effective_user
    if update.callback_query is not None:  # the button's action code, never its arguments
        action = parse(update.callback_query.data)
        what = f"button {action.CODE}" if action is not None else "button"
    else:  # the command, never what follows it
        text = update.effective_message.text if update.effective_message else None
        what = text.split()[0][:33] if text and text.startswith("/") else "message"
    logger.warning(
        "Refused privileged action %s by user %s", what, person(user.id if user else None)
    )
    if update.callback_query is not None:
        await answer(update, t(language, "errors.not_allowed"))
    await reply(update, t(language, "errors.not_allowed"), main_menu_keyboard(language))


_FORMAT = {"parse_mode": "HTML", "link_preview_options": {"is_disabled": True}}


async def _call(bot: Bot, method: str, arguments: dict[str, object]) -> object:
    """Call the Bot API without turning its answer into objects (handlers only need success).

    Bot API method names are case-insensitive; the lower-case name keeps python-telegram-bot
    from building a Message out of every answer, a large share of a reply's CPU time.
    """
    markup = arguments.get("reply_markup")
    if isinstance(markup, Keyboard):  # sent as the Bot API's JSON string
        arguments["reply_markup"] = markup.json()
    return await bot.do_api_request(method, api_kwargs=arguments)


async def show(update: Update, text: str, markup: Keyboard | None = None) -> None:
    """Edit the message a button belongs to, or send a new message for typed input (and for
    a button under a picture)."""
    query = update.callback_query
    # A picture (the map) cannot become a text: its buttons open their view below it.
    if query is not None and isinstance(query.message, Message) and query.message.text:
        arguments: dict[str, object] = {
            "chat_id": query.message.chat.id,
            "message_id": query.message.message_id,
            "text": text,
            **_FORMAT,
        }
        if markup is not None:
            arguments["reply_markup"] = markup
        try:
            await _call(update.get_bot(), "editmessagetext", arguments)
            return
        except BadRequest as exc:
            if "not modified" in exc.message.lower():
                return
            logger.info("Could not edit message, sending a new one: %s", exc.message)
    await reply(update, text, markup)


async def reply(update: Update, text: str, markup: Keyboard | None = None) -> None:
    """Send a new message to the chat of the update."""
    chat = update.effective_chat
    if chat is None:
        return
    arguments: dict[str, object] = {"chat_id": chat.id, "text": text, **_FORMAT}
    if markup is not None:
        arguments["reply_markup"] = markup
    await _call(update.get_bot(), "sendmessage", arguments)


async def send_picture(
    update: Update,
    photo: bytes | str,
    caption: str,
    markup: Keyboard | None = None,
    filename: str = "picture.png",
) -> str | None:
    """Send a PNG (bytes: an upload) or a picture Telegram has (its file_id) to the update's
    chat, with a caption; the file_id of the picture as sent (None without a chat)."""
    chat = update.effective_chat
    if chat is None:
        return None
    picture = InputFile(photo, filename=filename) if isinstance(photo, bytes) else photo
    arguments: dict[str, object] = {"chat_id": chat.id, "photo": picture, "caption": caption}
    arguments["parse_mode"] = "HTML"
    if markup is not None:
        arguments["reply_markup"] = markup
    sent = await _call(update.get_bot(), "sendphoto", arguments)
    sizes = sent.get("photo") if isinstance(sent, dict) else None
    # Telegram answers with the sizes it made, the largest (the one sent) last.
    return str(sizes[-1]["file_id"]) if sizes else None


async def show_main_menu(update: Update, language: str, note_key: str | None = None) -> None:
    """Show the main menu, optionally under a short note."""
    text = t(language, "menu")
    if note_key:
        text = t(language, note_key) + "\n\n" + text
    await show(update, text, main_menu_keyboard(language))


async def answer(update: Update, text: str | None = None) -> None:
    """Answer a button press (exactly once); best effort, like the spinner it stops.

    A failure (too old, or Telegram unreachable after the retries) is logged: what the handler
    does next (an edit, a message) must not depend on it.
    """
    query = update.callback_query
    if query is None:
        return
    arguments: dict[str, object] = {"callback_query_id": query.id}
    if text:
        arguments["text"] = text
    try:
        await _call(update.get_bot(), "answercallbackquery", arguments)
    except BadRequest as exc:
        logger.info("Callback answer failed: %s", exc.message)
    except TelegramError as exc:
        logger.warning("Callback answer failed: %s", exc)


async def send_message(bot: Bot, chat_id: int, text: str, markup: Keyboard | None = None) -> int:
    """Send a message to a chat (not necessarily the update's); its message id."""
    arguments: dict[str, object] = {"chat_id": chat_id, "text": text, **_FORMAT}
    if markup is not None:
        arguments["reply_markup"] = markup
    sent = await _call(bot, "sendmessage", arguments)
    return int(sent["message_id"]) if isinstance(sent, dict) else 0


async def edit_message(
    bot: Bot, chat_id: int, message_id: int, text: str, markup: Keyboard | None = None
) -> None:
    """Replace the text of a message (no markup: its buttons are removed)."""
    arguments: dict[str, object] = {
        "chat_id": chat_id,
        "message_id": message_id,
        "text": text,
        **_FORMAT,
    }
    if markup is not None:
        arguments["reply_markup"] = markup
    await _call(bot, "editmessagetext", arguments)


async def edit_buttons(bot: Bot, chat_id: int, message_id: int, markup: Keyboard | None) -> None:
    """Replace the buttons of a message (None: remove them all)."""
    arguments: dict[str, object] = {"chat_id": chat_id, "message_id": message_id}
    if markup is not None:
        arguments["reply_markup"] = markup
    await _call(bot, "editmessagereplymarkup", arguments)
