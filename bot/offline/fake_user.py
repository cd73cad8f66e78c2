"""Raw Bot-API update factories and a FakeUser that drives a PTB Application like a person."""

from __future__ import annotations

import logging
from typing import Any

from telegram import Update
from telegram.ext import Application

from bot.offline.fake_api import JSON, CallbackAnswer, FakeBotApi, SentMessage
from bot.offline.telegram_rules import utf16_len

logger = logging.getLogger(__name__)

AnyApplication = Application[Any, Any, Any, Any, Any, Any]


class UpdateFactory:
    """Builds raw update dicts in Bot-API shape; ids come from (and are known to) the fake API."""

    def __init__(self, api: FakeBotApi) -> None:
        self.api = api

    @staticmethod
    def user(
        user_id: int,
        first_name: str = "Erika",
        language_code: str | None = "de",
        username: str | None = None,
    ) -> JSON:
        """A human Telegram user."""
        data: JSON = {"id": user_id, "is_bot": False, "first_name": first_name}
        if language_code:
            data["language_code"] = language_code
        if username:
            data["username"] = username
        return data

    def private_chat(self, user: JSON) -> JSON:
        """The private chat with a user (registered with the fake API)."""
        chat = {"id": user["id"], "type": "private", "first_name": user["first_name"]}
        if "username" in user:
            chat["username"] = user["username"]
        self.api.register_chat(chat)
        return chat

    def group_chat(self, chat_id: int = -4242, title: str = "Ideenlabor Gruppe") -> JSON:
        """A (basic) group chat with a negative id."""
        chat = {"id": chat_id, "type": "group", "title": title}
        self.api.register_chat(chat)
        return chat

    def channel_chat(self, chat_id: int = -1001234567890, title: str = "Ideenlabor Kanal") -> JSON:
        """A channel."""
        chat = {"id": chat_id, "type": "channel", "title": title}
        self.api.register_chat(chat)
        return chat

    def message(self, user: JSON | None, chat: JSON, **content: Any) -> JSON:
        """A Message dict with a fresh per-chat message_id."""
        data: JSON = {
            "message_id": self.api.next_message_id(chat["id"]),
            "date": self.api.now(),
            "chat": chat,
            **content,
        }
        if user is not None:
            data["from"] = user
        return data

    def update(self, kind: str, payload: JSON) -> JSON:
        """Wrap a payload into an update with a fresh update_id."""
        return {"update_id": self.api.next_update_id(), kind: payload}

    def text_message(self, user: JSON, text: str, chat: JSON | None = None) -> JSON:
        """A text message update; a leading /command gets its bot_command entity."""
        content: JSON = {"text": text}
        entities = command_entities(text)
        if entities:
            content["entities"] = entities
        return self.update(
            "message", self.message(user, chat or self.private_chat(user), **content)
        )

    def command(self, user: JSON, name: str, *args: str, chat: JSON | None = None) -> JSON:
        """A `/name arg1 arg2` message update."""
        return self.text_message(user, " ".join([f"/{name}", *args]), chat)

    def sticker_message(self, user: JSON, emoji: str = "👍") -> JSON:
        """A sticker message update."""
        sent = self.api.register_file(b"RIFF-webp", "sticker.webp", "image/webp")
        sticker = {
            "file_id": sent.file_id,
            "file_unique_id": f"u{sent.file_id}",
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": emoji,
        }
        return self.update("message", self.message(user, self.private_chat(user), sticker=sticker))

    def photo_message(
        self, user: JSON, content: bytes = b"\xff\xd8\xff-jpeg", caption: str | None = None
    ) -> JSON:
        """A photo message update (two sizes, like Telegram)."""
        sent = self.api.register_file(content, "photo.jpg", "image/jpeg")
        photo = [
            {
                "file_id": sent.file_id,
                "file_unique_id": f"u{sent.file_id}",
                "width": 1280,
                "height": 960,
                "file_size": len(content),
            }
        ]
        extra: JSON = {"caption": caption} if caption else {}
        return self.update(
            "message", self.message(user, self.private_chat(user), photo=photo, **extra)
        )

    def voice_message(self, user: JSON, duration: int = 3, content: bytes = b"OggS-opus") -> JSON:
        """A voice message update."""
        sent = self.api.register_file(content, "voice.ogg", "audio/ogg")
        voice = {
            "file_id": sent.file_id,
            "file_unique_id": f"u{sent.file_id}",
            "duration": duration,
            "mime_type": "audio/ogg",
            "file_size": len(content),
        }
        return self.update("message", self.message(user, self.private_chat(user), voice=voice))

    def group_message(self, user: JSON, text: str, chat: JSON | None = None) -> JSON:
        """A text message in a group chat."""
        return self.text_message(user, text, chat or self.group_chat())

    def channel_post(self, text: str, chat: JSON | None = None) -> JSON:
        """A channel post (no `from`, sender_chat is the channel)."""
        channel = chat or self.channel_chat()
        post = self.message(None, channel, text=text, sender_chat=channel)
        return self.update("channel_post", post)

    def edited_message(self, original: JSON, new_text: str) -> JSON:
        """An edited_message update for a message this factory produced earlier."""
        message = original.get("message", original)
        edited = {**message, "text": new_text, "edit_date": self.api.now()}
        edited.pop("entities", None)
        entities = command_entities(new_text)
        if entities:
            edited["entities"] = entities
        return self.update("edited_message", edited)

    def callback_query(self, user: JSON, message: SentMessage, data: str | None) -> JSON:
        """A callback query on a stored bot message; its id is answerable once."""
        query: JSON = {
            "id": self.api.issue_callback_query(user["id"]),
            "from": user,
            "chat_instance": f"ci{message.chat_id}",
            "message": self.api.message_json(message),
        }
        if data is not None:
            query["data"] = data
        return self.update("callback_query", query)


def command_entities(text: str) -> list[JSON]:
    """The bot_command entity Telegram adds for a leading /command."""
    if not text.startswith("/"):
        return []
    token = text.split(maxsplit=1)[0]
    return [{"type": "bot_command", "offset": 0, "length": utf16_len(token)}]


class FakeUser:
    """A person chatting privately with the bot under test."""

    def __init__(
        self,
        app: AnyApplication,
        api: FakeBotApi,
        user_id: int = 4711,
        first_name: str = "Erika",
        language_code: str | None = "de",
        username: str | None = None,
    ) -> None:
        self.app = app
        self.api = api
        self.factory = UpdateFactory(api)
        self.user = UpdateFactory.user(user_id, first_name, language_code, username)
        self.chat = self.factory.private_chat(self.user)
        self.sent: list[JSON] = []

    @property
    def user_id(self) -> int:
        """Telegram user id (== private chat id)."""
        return int(self.user["id"])

    async def process(self, raw: JSON) -> JSON:
        """Feed one raw update through Application.process_update."""
        update = Update.de_json(raw, self.app.bot)
        await self.app.process_update(update)
        return raw

    async def _send_message(self, raw: JSON) -> JSON:
        """Remember and process a message update; return the message dict."""
        self.sent.append(raw["message"])
        await self.process(raw)
        return dict(raw["message"])

    async def send(self, text: str) -> JSON:
        """Send a private text message (a leading /command gets its entity)."""
        return await self._send_message(self.factory.text_message(self.user, text, self.chat))

    async def command(self, name: str, *args: str) -> JSON:
        """Send `/name args...`."""
        return await self._send_message(
            self.factory.command(self.user, name, *args, chat=self.chat)
        )

    async def send_sticker(self, emoji: str = "👍") -> JSON:
        """Send a sticker."""
        return await self._send_message(self.factory.sticker_message(self.user, emoji))

    async def send_photo(
        self, content: bytes = b"\xff\xd8\xff-jpeg", caption: str | None = None
    ) -> JSON:
        """Send a photo."""
        return await self._send_message(self.factory.photo_message(self.user, content, caption))

    async def send_voice(self, duration: int = 3) -> JSON:
        """Send a voice message."""
        return await self._send_message(self.factory.voice_message(self.user, duration))

    async def edit(self, message: JSON, new_text: str) -> JSON:
        """Edit one of this user's earlier messages (an edited_message update)."""
        raw = self.factory.edited_message(message, new_text)
        await self.process(raw)
        return dict(raw["edited_message"])

    async def tap(self, label: str, *, message: SentMessage | None = None) -> SentMessage:
        """Tap the inline button labelled `label` (exact, else unique substring match)."""
        target = message or self.keyboard_message()
        if target.deleted:
            raise AssertionError(f"message {target.message_id} was deleted; cannot tap {label!r}")
        button = target.find_button(label)
        if button.callback_data is None:
            raise AssertionError(f"button {button.text!r} is not a callback button: {button.raw!r}")
        await self.process(self.factory.callback_query(self.user, target, button.callback_data))
        return target

    async def tap_data(self, data: str, *, message: SentMessage | None = None) -> SentMessage:
        """Send a callback query with arbitrary (possibly forged) data."""
        target = message or self.keyboard_message()
        await self.process(self.factory.callback_query(self.user, target, data))
        return target

    def keyboard_message(self) -> SentMessage:
        """Newest visible bot message in this chat that carries an inline keyboard."""
        for candidate in reversed(self.messages):
            if candidate.reply_markup:
                return candidate
        raise AssertionError(
            f"no bot message with an inline keyboard in chat {self.user_id}; "
            f"bot messages: {self.texts()!r}"
        )

    @property
    def messages(self) -> list[SentMessage]:
        """All visible bot messages in this chat, oldest first."""
        return self.api.messages(self.user_id)

    @property
    def last(self) -> SentMessage:
        """Newest visible bot message in this chat."""
        if not self.messages:
            raise AssertionError(f"the bot has not sent anything (visible) to {self.user_id}")
        return self.messages[-1]

    def texts(self) -> list[str]:
        """Plain texts (or captions) of all visible bot messages, as the user sees them."""
        return [message.text for message in self.messages]

    @property
    def answers(self) -> list[CallbackAnswer]:
        """answerCallbackQuery calls for this user's queries, in order."""
        return [a for a in self.api.callback_answers if a.user_id == self.user_id]
