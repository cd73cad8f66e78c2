"""Terminal rendering for `ideenlabor chat`: what the bot does, as readable text."""

from __future__ import annotations

import mimetypes
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bot.offline.fake_api import JSON, ApiCall, FakeBotApi, SentFile, SentMessage
from messages.catalog import LANGUAGES, catalog
from storage.files import private_dir, write_private

# The playground's own words (not the bot's), in the language chosen with --lang: the texts
# under "playground." in messages/locales/<language>/playground.yaml, used as plain text.
WORDS = {
    language: {
        key.removeprefix("playground."): text
        for key, text in catalog(language).items()
        if key.startswith("playground.")
    }
    for language in LANGUAGES
}

# ANSI on/off codes per entity type (only used when stdout is a terminal).
_ANSI = {
    "bold": ("\033[1m", "\033[22m"),
    "italic": ("\033[3m", "\033[23m"),
    "underline": ("\033[4m", "\033[24m"),
    "strikethrough": ("\033[9m", "\033[29m"),
}
_SEND = frozenset({"sendmessage", "senddocument", "sendphoto"})
_EDIT = frozenset({"editmessagetext", "editmessagecaption", "editmessagereplymarkup"})


def styled(text: str, entities: tuple[JSON, ...] | list[JSON], *, ansi: bool) -> str:
    """Message text with link targets spelled out and, for a terminal, ANSI styles."""
    index = _utf16_to_index(text)
    inserts: list[tuple[int, int, str]] = []  # (position, order, text): closings before openings
    for entity in entities:
        start = index[min(int(entity["offset"]), len(index) - 1)]
        end = index[min(int(entity["offset"]) + int(entity["length"]), len(index) - 1)]
        kind = entity.get("type")
        if kind == "text_link" and entity.get("url") and entity["url"] != text[start:end]:
            inserts.append((end, 0, f" ({entity['url']})"))
        elif ansi and kind in _ANSI:
            on, off = _ANSI[str(kind)]
            inserts.append((start, 1, on))
            inserts.append((end, 0, off))
    out = text
    for position, _, chunk in sorted(inserts, key=lambda i: (i[0], i[1]), reverse=True):
        out = out[:position] + chunk + out[position:]
    return out


def _utf16_to_index(text: str) -> list[int]:
    """Python string index for every UTF-16 offset (Telegram's unit) up to len(text)."""
    index: list[int] = []
    for position, char in enumerate(text):
        index.extend([position] * (2 if ord(char) > 0xFFFF else 1))
    index.append(len(text))
    return index


def button_lines(message: SentMessage, *, opens: str) -> list[str]:
    """Inline buttons numbered [1] [2] ... row by row, as typed to tap them."""
    lines = []
    number = 0
    for row in message.reply_markup:
        cells = []
        for button in row:
            number += 1
            target = "" if button.callback_data is not None else _target(button.raw, opens)
            cells.append(f"[{number}] {button.text}{target}")
        lines.append("   ".join(cells))
    return lines


def _target(raw: JSON, opens: str) -> str:
    url = raw.get("url") or (raw.get("web_app") or {}).get("url")
    return f" ({opens} {url})" if url else ""


class Renderer:
    """Prints every visible effect of a Bot API call made in the playground."""

    def __init__(
        self,
        api: FakeBotApi,
        user_id: int,
        write: Callable[[str], object],
        *,
        files_dir: Callable[[], Path],
        language: str = "de",
        ansi: bool = False,
    ) -> None:
        self.api = api
        self.user_id = user_id
        self.write = write
        self.files_dir = files_dir
        self.words = WORDS.get(language, WORDS["de"])
        self.ansi = ansi

    def observe(self, call: ApiCall, result: Any) -> None:
        """FakeBotApi observer: render sends, edits, deletions and callback answers."""
        key = call.endpoint.lower()
        if key in _SEND and isinstance(result, dict):
            self.show(self._message(result["chat"]["id"], result["message_id"]), edited=False)
        elif key in _EDIT:
            self.show(self._message(call.params.get("chat_id"), call.params.get("message_id")))
        elif key == "deletemessage":
            self._deleted(call.params.get("chat_id"), call.params.get("message_id"))
        elif key == "answercallbackquery" and call.params.get("text"):
            label = self.words["alert" if call.params.get("show_alert") else "toast"]
            self.write(f"  {label}: {call.params['text']}")

    def show(self, message: SentMessage | None, *, edited: bool = True) -> None:
        """Print one bot message with its number, buttons and files."""
        if message is None:
            return
        marker = self.words["edited"] if edited else None
        lines = [self._header(message.chat_id, message.message_id, marker)]
        text = styled(message.text, message.entities, ansi=self.ansi)
        lines += [f"  {line}" if line else "" for line in text.splitlines()]
        if message.document is not None and not edited:
            lines.append(f"  {self.words['file']}: {self._save(message.document)}")
        if message.photo is not None and not edited:
            lines.append(f"  {self.words['photo']}: {self._save(message.photo)}")
        lines += [f"  {line}" for line in button_lines(message, opens=self.words["opens"])]
        if message.reply_keyboard:
            keys = " | ".join(label for row in message.reply_keyboard for label in row)
            lines.append(f"  {self.words['keyboard']}: {keys}")
        self.write("\n".join(lines))

    def _header(self, chat_id: int | str, message_id: int, marker: str | None) -> str:
        who = self.words["bot"] if chat_id == self.user_id else f"{self.words['to']} {chat_id}"
        header = f"{who} #{message_id}" + (f" {marker}" if marker else "") + ":"
        return f"\033[1m{header}\033[22m" if self.ansi else header

    def _message(self, chat_id: Any, message_id: Any) -> SentMessage | None:
        for message in self.api.messages(_chat(chat_id)):
            if message.message_id == int(message_id or 0):
                return message
        return None

    def _deleted(self, chat_id: Any, message_id: Any) -> None:
        chat = _chat(chat_id)
        number = int(message_id or 0)
        if any(m.message_id == number for m in self.api.messages(chat, include_deleted=True)):
            self.write(self._header(chat, number, self.words["deleted"]))

    def _save(self, sent: SentFile) -> Path:
        """Write an uploaded file into the files directory (never overwriting) and return it."""
        folder = self.files_dir()
        private_dir(folder)  # exports hold personal data: only for the owner (0700, 0600)
        target = folder / saved_name(sent)
        stem, suffix, counter = target.stem, target.suffix, 2
        while target.exists():
            target = folder / f"{stem}-{counter}{suffix}"
            counter += 1
        write_private(target, sent.content)
        return target


# The first bytes of the types the bot sends without a file name (a chart, say).
_MAGIC = (
    (b"\x89PNG", ".png"),
    (b"\xff\xd8\xff", ".jpg"),
    (b"GIF8", ".gif"),
    (b"%PDF-", ".pdf"),
    (b"BEGIN:VCALENDAR", ".ics"),
    (b"{", ".json"),
    (b"[", ".json"),
)


def saved_name(sent: SentFile) -> str:
    """A file name with the extension of its type: the name Telegram was given if that
    says the type, else from the mime type, else from the first bytes.

    An upload from bytes without a name reaches Telegram as "application.octet-stream"
    (python-telegram-bot names it after the mime type), which no viewer opens.
    """
    name = Path(sent.filename).name
    if name and mimetypes.guess_type(name)[0] is not None:
        return name
    placeholder = not name or name == sent.mime_type.replace("/", ".")
    stem = sent.file_id if placeholder else name
    if not placeholder and Path(name).suffix == "." + sent.mime_type.rsplit("/", 1)[-1]:
        stem = Path(name).stem  # "daten.octet-stream": the suffix is the mime type's
    return stem + _extension(sent)


def _extension(sent: SentFile) -> str:
    if sent.mime_type != "application/octet-stream":
        found = mimetypes.guess_extension(sent.mime_type, strict=False)
        if found:
            return found
    head = sent.content.lstrip()[:16]
    return next((suffix for magic, suffix in _MAGIC if head.startswith(magic)), "")


def _chat(value: Any) -> int | str:
    text = str(value)
    return int(text) if text.lstrip("-").isdigit() else text
