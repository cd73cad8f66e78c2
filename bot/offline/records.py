"""What the in-process fake Bot API (bot.offline.fake_api) keeps of a conversation: the
calls the bot made, the callback answers, the messages and files it sent."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.offline.telegram_rules import JSON, InlineButton, find_button, message_json

ChatId = int | str


@dataclass(frozen=True)
class ApiCall:
    """One request the bot made, with the outcome the fake answered."""

    endpoint: str
    params: JSON = field(hash=False)
    files: dict[str, tuple[str, bytes, str]] = field(default_factory=dict, hash=False)
    status: int = 200
    description: str = ""


@dataclass(frozen=True)
class CallbackAnswer:
    """An answerCallbackQuery the bot sent."""

    query_id: str
    user_id: int | None
    text: str | None
    show_alert: bool
    url: str | None = None


@dataclass
class SentFile:
    """A file the bot uploaded (or a file a fake user sent)."""

    file_id: str
    filename: str
    content: bytes
    mime_type: str

    def to_json(self) -> JSON:
        """Document-shaped JSON."""
        return {
            "file_id": self.file_id,
            "file_unique_id": f"u{self.file_id}",
            "file_name": self.filename,
            "mime_type": self.mime_type,
            "file_size": len(self.content),
        }


@dataclass
class SentMessage:
    """A message the bot sent, as stored (and edited) by the fake server."""

    chat_id: ChatId
    message_id: int
    date: int
    html: str
    text: str
    parse_mode: str | None = None
    entities: tuple[JSON, ...] = ()
    reply_markup: list[list[InlineButton]] = field(default_factory=list)
    reply_keyboard: list[list[str]] | None = None
    document: SentFile | None = None
    photo: SentFile | None = None
    reply_to_message_id: int | None = None
    edited: int = 0
    deleted: bool = False
    edit_date: int | None = None

    @property
    def is_text(self) -> bool:
        """True for text messages, False for media with caption."""
        return self.document is None and self.photo is None

    @property
    def buttons(self) -> list[list[str]]:
        """Inline keyboard labels, row by row."""
        return [[button.text for button in row] for row in self.reply_markup]

    def button_labels(self) -> list[str]:
        """Inline keyboard labels, flattened."""
        return [button.text for row in self.reply_markup for button in row]

    def find_button(self, label: str) -> InlineButton:
        """Button whose text equals label, else the unique one containing it."""
        where = f"message {self.message_id} ({self.text[:60]!r})"
        return find_button(self.reply_markup, label, where)

    def callback_data(self, label: str) -> str | None:
        """callback_data of the button found by `find_button(label)`."""
        return self.find_button(label).callback_data

    def to_json(self, chat: JSON, bot_user: JSON) -> JSON:
        """Bot-API Message JSON for this message."""
        data = message_json(self.message_id, self.date, chat, bot_user)
        key = "text" if self.is_text else "caption"
        if self.text or self.is_text:
            data[key] = self.text
        if self.entities:
            data["entities" if self.is_text else "caption_entities"] = list(self.entities)
        if self.document:
            data["document"] = self.document.to_json()
        if self.photo:
            data["photo"] = _photo_sizes(self.photo)
        if self.reply_markup:
            data["reply_markup"] = {
                "inline_keyboard": [[b.raw for b in row] for row in self.reply_markup]
            }
        if self.edit_date is not None:
            data["edit_date"] = self.edit_date
        return data


def _photo_sizes(photo: SentFile) -> list[JSON]:
    """Two PhotoSize entries standing in for Telegram's thumbnails."""
    return [
        {
            "file_id": f"{photo.file_id}_s",
            "file_unique_id": f"u{photo.file_id}_s",
            "width": 90,
            "height": 90,
            "file_size": min(len(photo.content), 1000),
        },
        {
            "file_id": photo.file_id,
            "file_unique_id": f"u{photo.file_id}",
            "width": 800,
            "height": 600,
            "file_size": len(photo.content),
        },
    ]
