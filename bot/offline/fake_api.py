"""In-process fake of the Telegram Bot API for driving a real PTB Application offline."""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
import re
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from telegram import Bot
from telegram.error import TimedOut
from telegram.request import BaseRequest, RequestData

from bot.offline.records import ApiCall, CallbackAnswer, ChatId, SentFile, SentMessage
from bot.offline.telegram_rules import (
    BLOCKED,
    CHAT_NOT_FOUND,
    JSON,
    NOT_MODIFIED,
    QUERY_TOO_OLD,
    ApiError,
    ParsedText,
    bad_request,
    check_callback_answer,
    check_commands,
    check_language_code,
    check_photo,
    check_webhook,
    format_text,
    parse_markup,
    same_keyboard,
    valid_url,
    webhook_connections,
)

logger = logging.getLogger(__name__)


_SEND_ENDPOINTS = frozenset({"sendmessage", "senddocument", "sendphoto"})
_CHAT_GUARDED_PREFIXES = ("send", "edit", "copy", "forward")
_OK_ENDPOINTS = frozenset(
    {
        "logout",
        "close",
        "deletewebhook",
        "sendchataction",
        "setmydescription",
        "setmyshortdescription",
        "setmyname",
    }
)


def _method_names() -> dict[str, str]:
    """Bot API method names by their lower-case form (python-telegram-bot's camelCase aliases)."""
    return {
        name.lower(): name
        for name in dir(Bot)
        if name[:1].islower() and any(c.isupper() for c in name)
    }


_METHOD_NAMES = _method_names()


def _canonical(endpoint: str) -> str:
    """Telegram's spelling of a method name (method names are case-insensitive)."""
    return _METHOD_NAMES.get(endpoint.lower(), endpoint)


# --------------------------------------------------------------------------- plumbing


@dataclass
class _Fault:
    """An injected failure for the next matching call(s)."""

    endpoint: str
    remaining: int
    error: ApiError | None  # None means: raise TimedOut


def _decode(value: Any) -> Any:
    """Structured parameters may arrive as JSON strings or as dicts/lists."""
    if isinstance(value, str) and value[:1] in ("{", "["):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _chat_key(value: Any) -> ChatId:
    """Normalise chat_id (ints may arrive as strings)."""
    if isinstance(value, int):
        return value
    text = str(value)
    return int(text) if re.fullmatch(r"-?\d+", text) else text


def _read_content(content: Any) -> bytes:
    """Multipart content is bytes or a binary file handle."""
    return content if isinstance(content, bytes) else bytes(content.read())


# --------------------------------------------------------------------------- the fake server

# Decoded from JSON strings before the endpoints see them. reply_markup stays as it came: a
# JSON string (as over HTTP; validated once per distinct keyboard) or a dict (PTB's objects).
_STRUCTURED_PARAMS = frozenset(
    {
        "commands",
        "scope",
        "menu_button",
        "entities",
        "caption_entities",
        "link_preview_options",
        "reply_parameters",
        "allowed_updates",
        "message_ids",
    }
)


class FakeBotApi(BaseRequest):
    """In-memory Telegram Bot API that PTB talks to through its BaseRequest interface."""

    def __init__(
        self,
        *,
        bot_id: int = 1000,
        bot_username: str = "IdeenlaborBot",
        bot_first_name: str = "Ideenlabor",
        rate_limit_per_second: int | None = None,
        per_chat_limit_per_second: int | None = None,
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], float] = time.time,
        strict_html: bool = True,
        strict_chats: bool = False,
    ) -> None:
        self.bot_user: JSON = {
            "id": bot_id,
            "is_bot": True,
            "first_name": bot_first_name,
            "username": bot_username,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }
        self.rate_limit_per_second = rate_limit_per_second
        self.per_chat_limit_per_second = per_chat_limit_per_second
        self.strict_html = strict_html
        self.strict_chats = strict_chats
        self.calls: list[ApiCall] = []
        self.errors: list[ApiCall] = []
        self.chats: dict[ChatId, JSON] = {}
        self.sent: dict[ChatId, list[SentMessage]] = {}
        self.files: dict[str, SentFile] = {}
        self.callback_answers: list[CallbackAnswer] = []
        self.commands: dict[tuple[str, str], list[JSON]] = {}
        self.menu_buttons: dict[ChatId | None, JSON] = {}
        self.updates: deque[JSON] = deque()
        self.webhook: JSON = {}  # url, secret_token, ... as last set by setWebhook
        # Called after every successful call with (call, result): lets a viewer follow the chat.
        self.observers: list[Callable[[ApiCall, Any], object]] = []
        self.blocked: set[ChatId] = set()
        self.too_many_requests = 0
        self.initialized = False
        self._clock = clock
        self._wall_clock = wall_clock
        self._open_queries: dict[str, int | None] = {}
        self._last_message_id: dict[ChatId, int] = {}
        self._deleted_foreign: set[tuple[ChatId, int]] = set()
        self._update_ids = itertools.count(1)
        self._file_ids = itertools.count(1)
        self._query_ids = itertools.count(1)
        self._faults: list[_Fault] = []
        self._window: deque[float] = deque()
        self._chat_windows: dict[ChatId, deque[float]] = {}

    # ----------------------------------------------------------------- BaseRequest interface

    @property
    def read_timeout(self) -> float | None:
        """Default read timeout (irrelevant in-process, but required by PTB)."""
        return 5.0

    async def initialize(self) -> None:
        """Nothing to open."""
        self.initialized = True

    async def shutdown(self) -> None:
        """Nothing to close."""
        self.initialized = False

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: object = BaseRequest.DEFAULT_NONE,
        write_timeout: object = BaseRequest.DEFAULT_NONE,
        connect_timeout: object = BaseRequest.DEFAULT_NONE,
        pool_timeout: object = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """Answer one Bot API request with (HTTP status, JSON body)."""
        if method.upper() == "GET":
            return self._download(url)
        endpoint = _canonical(url.rstrip("/").rsplit("/", 1)[-1])
        params = _params_of(request_data)
        files = _files_of(request_data)
        fault = self._take_fault(endpoint.lower())
        if fault is not None and fault.error is None:
            self._record(ApiCall(endpoint, params, files, 0, "injected timeout"))
            raise TimedOut("Injected timeout")
        try:
            if fault is not None and fault.error is not None:
                raise fault.error
            result = await self._dispatch(endpoint.lower(), params, files)
        except ApiError as err:
            self._record(ApiCall(endpoint, params, files, err.status, err.description))
            return err.status, json.dumps(err.payload()).encode()
        call = ApiCall(endpoint, params, files)
        self._record(call)
        for observer in self.observers:
            observer(call, result)
        return 200, json.dumps({"ok": True, "result": result}).encode()

    # ----------------------------------------------------------------- test-facing helpers

    def block(self, chat_id: ChatId) -> None:
        """The user blocks the bot: every send to this chat now fails with 403."""
        self.blocked.add(_chat_key(chat_id))

    def unblock(self, chat_id: ChatId) -> None:
        """The user unblocks the bot."""
        self.blocked.discard(_chat_key(chat_id))

    def fail_next(
        self,
        endpoint: str,
        *,
        status: int = 400,
        description: str | None = None,
        retry_after: int | None = None,
        times: int = 1,
    ) -> None:
        """Make the next `times` calls to `endpoint` ("*" = any) fail with this error."""
        if status == 429 and retry_after is None:
            retry_after = 1
        text = description or _default_description(status, retry_after)
        params = {"retry_after": retry_after} if retry_after is not None else None
        self._faults.append(_Fault(endpoint.lower(), times, ApiError(status, text, params)))

    def timeout_next(self, endpoint: str, *, times: int = 1) -> None:
        """Make the next `times` calls to `endpoint` raise telegram.error.TimedOut."""
        self._faults.append(_Fault(endpoint.lower(), times, None))

    def push_update(self, raw: JSON) -> int:
        """Queue a raw update for getUpdates (assigns update_id if missing)."""
        raw.setdefault("update_id", self.next_update_id())
        self.updates.append(raw)
        return int(raw["update_id"])

    def register_chat(self, chat: JSON) -> None:
        """Remember chat JSON so messages to it carry the right chat object."""
        self.chats[chat["id"]] = dict(chat)

    def register_file(self, content: bytes, filename: str, mime_type: str) -> SentFile:
        """Store a file under a fresh file_id (for uploads, getFile and downloads)."""
        sent = SentFile(f"file{next(self._file_ids)}", filename, content, mime_type)
        self.files[sent.file_id] = sent
        return sent

    def issue_callback_query(self, user_id: int | None) -> str:
        """A fresh callback_query id that answerCallbackQuery will accept once."""
        query_id = str(880000 + next(self._query_ids))
        self._open_queries[query_id] = user_id
        return query_id

    def next_update_id(self) -> int:
        """Monotonic update_id."""
        return next(self._update_ids)

    def next_message_id(self, chat_id: ChatId) -> int:
        """Per-chat message_id, shared by user and bot messages like in Telegram."""
        key = _chat_key(chat_id)
        self._last_message_id[key] = self._last_message_id.get(key, 0) + 1
        return self._last_message_id[key]

    def now(self) -> int:
        """Unix timestamp for message dates."""
        return int(self._wall_clock())

    def chat_json(self, chat_id: ChatId) -> JSON:
        """Known chat JSON, or a plausible default derived from the id."""
        key = _chat_key(chat_id)
        if key in self.chats:
            return dict(self.chats[key])
        if isinstance(key, int) and key > 0:
            return {"id": key, "type": "private", "first_name": f"User {key}"}
        kind = "supergroup" if isinstance(key, int) and key <= -(10**12) else "group"
        return {"id": key, "type": kind, "title": f"Chat {key}"}

    def messages(self, chat_id: ChatId, *, include_deleted: bool = False) -> list[SentMessage]:
        """Bot messages in a chat, oldest first."""
        stored = self.sent.get(_chat_key(chat_id), [])
        return [m for m in stored if include_deleted or not m.deleted]

    def message_json(self, message: SentMessage) -> JSON:
        """Message JSON as Telegram would embed it (e.g. in a callback query)."""
        return message.to_json(self.chat_json(message.chat_id), self.bot_user)

    def calls_to(self, endpoint: str) -> list[ApiCall]:
        """Recorded calls to one endpoint (case-insensitive)."""
        return [c for c in self.calls if c.endpoint.lower() == endpoint.lower()]

    def assert_no_errors(self) -> None:
        """Fail with a readable listing if any call was rejected."""
        if self.errors:
            lines = [f"{c.endpoint}: {c.status} {c.description} {c.params}" for c in self.errors]
            raise AssertionError("Bot API rejected calls:\n" + "\n".join(lines))

    # ----------------------------------------------------------------- plumbing

    def _record(self, call: ApiCall) -> None:
        """Log a call (and remember it as an error if it was rejected)."""
        self.calls.append(call)
        if call.status != 200:
            self.errors.append(call)
            logger.debug("fake api rejected %s: %s", call.endpoint, call.description)

    def _take_fault(self, key: str) -> _Fault | None:
        """Consume one pending injected fault for this endpoint."""
        for fault in self._faults:
            if fault.endpoint in (key, "*"):
                fault.remaining -= 1
                if fault.remaining <= 0:
                    self._faults.remove(fault)
                return fault
        return None

    async def _dispatch(self, key: str, params: JSON, files: dict[str, Any]) -> Any:
        """Route to the endpoint implementation."""
        if key == "getupdates":
            return await self._get_updates(params)
        handler = getattr(self, f"_ep_{key}", None)
        if handler is None and key not in _OK_ENDPOINTS:
            raise ApiError(404, "Not Found")
        self._guard_chat(key, params)
        self._check_rate(key, params)
        return True if handler is None else handler(params, files)

    def _guard_chat(self, key: str, params: JSON) -> None:
        """403 for blocked chats, 400 for unknown ones (strict mode / @usernames)."""
        if "chat_id" not in params or not key.startswith(_CHAT_GUARDED_PREFIXES):
            return
        chat = self._resolve_chat(params["chat_id"])
        if chat in self.blocked:
            raise ApiError(403, BLOCKED)
        if self.strict_chats and chat not in self.chats:
            raise ApiError(400, CHAT_NOT_FOUND)

    def _resolve_chat(self, value: Any) -> ChatId:
        """chat_id as int; '@username' resolved via registered chats."""
        key = _chat_key(value)
        if isinstance(key, int):
            return key
        for chat_id, chat in self.chats.items():
            if chat.get("username") == key.lstrip("@"):
                return chat_id
        raise ApiError(400, CHAT_NOT_FOUND)

    def _check_rate(self, key: str, params: JSON) -> None:
        """Sliding-window flood control for send* endpoints."""
        if key not in _SEND_ENDPOINTS:
            return
        now = self._clock()
        windows: list[tuple[deque[float], int]] = []
        if self.rate_limit_per_second is not None:
            windows.append((self._window, self.rate_limit_per_second))
        chat = _chat_key(params.get("chat_id", 0))
        if self.per_chat_limit_per_second is not None and isinstance(chat, int) and chat > 0:
            windows.append(
                (self._chat_windows.setdefault(chat, deque()), self.per_chat_limit_per_second)
            )
        for window, limit in windows:
            while window and window[0] <= now - 1.0:
                window.popleft()
            if len(window) >= limit:
                self.too_many_requests += 1
                raise ApiError(429, "Too Many Requests: retry after 1", {"retry_after": 1})
        for window, _ in windows:
            window.append(now)

    async def _get_updates(self, params: JSON) -> list[JSON]:
        """Long-poll the `updates` queue."""
        offset = int(params.get("offset") or 0)
        while self.updates and int(self.updates[0]["update_id"]) < offset:
            self.updates.popleft()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + float(params.get("timeout") or 0)
        # Polling (not an asyncio.Event) keeps the fake usable across event loops.
        while not self.updates and loop.time() < deadline:  # noqa: ASYNC110
            await asyncio.sleep(0.01)
        return list(itertools.islice(self.updates, int(params.get("limit") or 100)))

    def _download(self, url: str) -> tuple[int, bytes]:
        """Serve file contents for File.download_* (GET on .../files/<file_id>)."""
        file_id = url.rstrip("/").rsplit("/", 1)[-1]
        sent = self.files.get(file_id)
        self._record(
            ApiCall(
                "download",
                {"url": url},
                status=200 if sent else 404,
                description="" if sent else "Not Found",
            )
        )
        if sent is None:
            return 404, json.dumps(ApiError(404, "Not Found").payload()).encode()
        return 200, sent.content

    def _format(self, raw: Any, parse_mode: Any, entities: Any, *, caption: bool) -> ParsedText:
        """Apply parse_mode and Telegram's empty/too-long checks."""
        return format_text(raw, parse_mode, entities, caption=caption, strict_html=self.strict_html)

    def _store(
        self,
        chat: ChatId,
        raw: str,
        parsed: ParsedText,
        params: JSON,
        *,
        document: SentFile | None = None,
        photo: SentFile | None = None,
    ) -> SentMessage:
        """Validate markup, then append a new bot message to the chat."""
        inline, reply = parse_markup(params.get("reply_markup"))
        reply_to = (params.get("reply_parameters") or {}).get("message_id")
        message = SentMessage(
            chat_id=chat,
            message_id=self.next_message_id(chat),
            date=self.now(),
            html=raw,
            text=parsed.text,
            parse_mode=params.get("parse_mode"),
            entities=parsed.entities,
            reply_markup=inline,
            reply_keyboard=reply,
            reply_to_message_id=reply_to,
            document=document,
            photo=photo,
        )
        self.sent.setdefault(chat, []).append(message)
        return message

    def _find(self, params: JSON, missing: str) -> SentMessage:
        """The live bot message addressed by chat_id + message_id."""
        if "inline_message_id" in params:
            raise bad_request("inline messages are not supported by the fake")
        chat = self._resolve_chat(params.get("chat_id"))
        message_id = int(params.get("message_id") or 0)
        for message in self.messages(chat):
            if message.message_id == message_id:
                return message
        raise bad_request(missing)

    def _edited(self, message: SentMessage) -> JSON:
        """Bump edit bookkeeping and return the message JSON."""
        message.edited += 1
        message.edit_date = self.now()
        return self.message_json(message)

    def _file_param(self, params: JSON, files: dict[str, Any], kind: str) -> SentFile:
        """Resolve an uploaded file, attach:// reference or re-used file_id."""
        value = params.get(kind)
        name = (
            value[len("attach://") :]
            if isinstance(value, str) and value.startswith("attach://")
            else kind
        )
        if name in files:
            filename, content, mime = files[name]
            if not content:
                raise bad_request("file must be non-empty")
            return self.register_file(content, filename, mime)
        if isinstance(value, str) and value in self.files:
            return self.files[value]
        if isinstance(value, str) and valid_url(value):
            return self.register_file(b"", value.rsplit("/", 1)[-1], "application/octet-stream")
        if isinstance(value, str):
            raise bad_request("wrong file identifier/HTTP URL specified")
        raise bad_request(f"there is no {kind} in the request")

    # ----------------------------------------------------------------- endpoints

    def _ep_getme(self, params: JSON, files: dict[str, Any]) -> JSON:
        """getMe."""
        return dict(self.bot_user)

    def _ep_getwebhookinfo(self, params: JSON, files: dict[str, Any]) -> JSON:
        """getWebhookInfo (the secret token is never shown, as in Telegram)."""
        return {
            "url": self.webhook.get("url", ""),
            "has_custom_certificate": False,
            "pending_update_count": 0,
        }

    def _ep_setwebhook(self, params: JSON, files: dict[str, Any]) -> bool:
        """setWebhook with Telegram's rules; an empty URL deletes the webhook."""
        url = _decode(params.get("url", ""))
        if url == "":
            self.webhook = {}
            return True
        secret = params.get("secret_token")
        check_webhook(str(url), secret)
        self.webhook = {"url": url, "secret_token": secret}
        for key in ("allowed_updates", "drop_pending_updates"):
            if key in params:
                self.webhook[key] = _decode(params[key])
        self.webhook["max_connections"] = webhook_connections(params.get("max_connections"))
        return True

    def _ep_setmycommands(self, params: JSON, files: dict[str, Any]) -> bool:
        """setMyCommands with Telegram's command/description rules."""
        commands = check_commands(params.get("commands"))
        check_language_code(params.get("language_code"))
        self.commands[_commands_key(params)] = commands
        return True

    def _ep_deletemycommands(self, params: JSON, files: dict[str, Any]) -> bool:
        """deleteMyCommands."""
        self.commands.pop(_commands_key(params), None)
        return True

    def _ep_getmycommands(self, params: JSON, files: dict[str, Any]) -> list[JSON]:
        """getMyCommands."""
        return self.commands.get(_commands_key(params), [])

    def _ep_setchatmenubutton(self, params: JSON, files: dict[str, Any]) -> bool:
        """setChatMenuButton (chat_id absent = default for all chats)."""
        chat = _chat_key(params["chat_id"]) if "chat_id" in params else None
        self.menu_buttons[chat] = params.get("menu_button") or {"type": "default"}
        return True

    def _ep_getchatmenubutton(self, params: JSON, files: dict[str, Any]) -> JSON:
        """getChatMenuButton."""
        chat = _chat_key(params["chat_id"]) if "chat_id" in params else None
        return self.menu_buttons.get(chat, self.menu_buttons.get(None, {"type": "default"}))

    def _ep_sendmessage(self, params: JSON, files: dict[str, Any]) -> JSON:
        """sendMessage."""
        chat = self._resolve_chat(params.get("chat_id"))
        parsed = self._format(
            params.get("text"), params.get("parse_mode"), params.get("entities"), caption=False
        )
        return self.message_json(self._store(chat, params["text"], parsed, params))

    def _ep_senddocument(self, params: JSON, files: dict[str, Any]) -> JSON:
        """sendDocument (upload, attach:// or file_id)."""
        return self._send_media(params, files, "document")

    def _ep_sendphoto(self, params: JSON, files: dict[str, Any]) -> JSON:
        """sendPhoto (upload, attach:// or file_id); an upload must be an image Telegram takes."""
        value = params.get("photo")
        name = value[len("attach://") :] if isinstance(value, str) and "://" in value else "photo"
        if name in files:
            check_photo(files[name][1])
        return self._send_media(params, files, "photo")

    def _send_media(self, params: JSON, files: dict[str, Any], kind: str) -> JSON:
        """Shared body of sendDocument/sendPhoto."""
        chat = self._resolve_chat(params.get("chat_id"))
        sent_file = self._file_param(params, files, kind)
        parsed = self._format(
            params.get("caption"),
            params.get("parse_mode"),
            params.get("caption_entities"),
            caption=True,
        )
        message = self._store(
            chat,
            params.get("caption") or "",
            parsed,
            params,
            document=sent_file if kind == "document" else None,
            photo=sent_file if kind == "photo" else None,
        )
        return self.message_json(message)

    def _ep_editmessagetext(self, params: JSON, files: dict[str, Any]) -> JSON:
        """editMessageText (omitting reply_markup removes the keyboard, as in Telegram)."""
        message = self._find(params, "message to edit not found")
        if not message.is_text:
            raise bad_request("there is no text in the message to edit")
        parsed = self._format(
            params.get("text"), params.get("parse_mode"), params.get("entities"), caption=False
        )
        return self._apply_edit(message, params, parsed)

    def _ep_editmessagecaption(self, params: JSON, files: dict[str, Any]) -> JSON:
        """editMessageCaption."""
        message = self._find(params, "message to edit not found")
        if message.is_text:
            raise bad_request("there is no caption in the message to edit")
        parsed = self._format(
            params.get("caption"),
            params.get("parse_mode"),
            params.get("caption_entities"),
            caption=True,
        )
        return self._apply_edit(message, params, parsed)

    def _apply_edit(self, message: SentMessage, params: JSON, parsed: ParsedText) -> JSON:
        """Reject no-op edits, otherwise update text/caption and keyboard in place."""
        inline, _ = parse_markup(params.get("reply_markup"))
        if (parsed.text, parsed.entities) == (message.text, message.entities) and same_keyboard(
            inline, message.reply_markup
        ):
            raise ApiError(400, NOT_MODIFIED)
        message.html = str(params.get("text", params.get("caption")) or "")
        message.text, message.entities = parsed.text, parsed.entities
        message.parse_mode = params.get("parse_mode")
        message.reply_markup = inline
        return self._edited(message)

    def _ep_editmessagereplymarkup(self, params: JSON, files: dict[str, Any]) -> JSON:
        """editMessageReplyMarkup (no reply_markup = remove keyboard)."""
        message = self._find(params, "message to edit not found")
        inline, _ = parse_markup(params.get("reply_markup"))
        if same_keyboard(inline, message.reply_markup):
            raise ApiError(400, NOT_MODIFIED)
        message.reply_markup = inline
        return self._edited(message)

    def _ep_deletemessage(self, params: JSON, files: dict[str, Any]) -> bool:
        """deleteMessage for bot messages and (by id) for user messages."""
        chat = self._resolve_chat(params.get("chat_id"))
        if not self._delete(chat, int(params.get("message_id") or 0)):
            raise bad_request("message to delete not found")
        return True

    def _ep_deletemessages(self, params: JSON, files: dict[str, Any]) -> bool:
        """deleteMessages (silently skips unknown ids, like Telegram)."""
        chat = self._resolve_chat(params.get("chat_id"))
        for message_id in params.get("message_ids") or []:
            self._delete(chat, int(message_id))
        return True

    def _delete(self, chat: ChatId, message_id: int) -> bool:
        """Mark a message deleted; False if it never existed or is already gone."""
        for message in self.messages(chat):
            if message.message_id == message_id:
                message.deleted = True
                return True
        foreign = (chat, message_id)
        if (
            any(m.message_id == message_id for m in self.sent.get(chat, []))
            or foreign in self._deleted_foreign
            or not 0 < message_id <= self._last_message_id.get(chat, 0)
        ):
            return False
        self._deleted_foreign.add(foreign)
        return True

    def _ep_answercallbackquery(self, params: JSON, files: dict[str, Any]) -> bool:
        """answerCallbackQuery: each issued query can be answered exactly once."""
        text = params.get("text")
        check_callback_answer(text)
        query_id = str(params.get("callback_query_id"))
        if query_id not in self._open_queries:
            raise ApiError(400, QUERY_TOO_OLD)
        user_id = self._open_queries.pop(query_id)
        self.callback_answers.append(
            CallbackAnswer(
                query_id, user_id, text, bool(params.get("show_alert")), params.get("url")
            )
        )
        return True

    def _ep_getfile(self, params: JSON, files: dict[str, Any]) -> JSON:
        """getFile for files registered with the fake."""
        sent = self.files.get(str(params.get("file_id")))
        if sent is None:
            raise bad_request("invalid file_id")
        return {
            "file_id": sent.file_id,
            "file_unique_id": f"u{sent.file_id}",
            "file_size": len(sent.content),
            "file_path": f"files/{sent.file_id}",
        }


def _params_of(request_data: RequestData | None) -> JSON:
    """Request parameters with structured values decoded to dicts/lists."""
    if request_data is None:
        return {}
    return {
        key: _decode(value) if key in _STRUCTURED_PARAMS else value
        for key, value in request_data.parameters.items()
    }


def _files_of(request_data: RequestData | None) -> dict[str, Any]:
    """Uploaded multipart files as name -> (filename, bytes, mime)."""
    if request_data is None or not request_data.contains_files:
        return {}
    return {
        name: (filename, _read_content(content), mime)
        for name, (filename, content, mime) in request_data.multipart_data.items()
    }


def _commands_key(params: JSON) -> tuple[str, str]:
    """Commands are stored per (scope, language_code)."""
    scope = params.get("scope") or {"type": "default"}
    return json.dumps(scope, sort_keys=True), str(params.get("language_code") or "")


def _default_description(status: int, retry_after: int | None) -> str:
    """Telegram-like description for an injected failure."""
    if status == 429:
        return f"Too Many Requests: retry after {retry_after}"
    return {
        400: "Bad Request: injected failure",
        403: BLOCKED,
        500: "Internal Server Error",
        502: "Bad Gateway",
    }.get(status, f"Injected error {status}")
