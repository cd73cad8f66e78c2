"""A small, independent Telegram Bot API emulator served over real HTTP (stdlib only).

The bot under test reaches it exactly as it would reach a self-hosted Bot API server: through
``TELEGRAM_API_BASE_URL`` and python-telegram-bot's HTTPXRequest (form-urlencoded or multipart
bodies, nested values as JSON strings).  It answers like Telegram: ``/bot<token>/<method>``,
``{"ok": true, "result": ...}`` or ``{"ok": false, "error_code": ..., "description": ...}``.

Test-facing API (all methods are thread-safe)::

    emu = BotApiEmulator(token).start()          # ephemeral port on 127.0.0.1
    emu.base_url                                 # "http://127.0.0.1:PORT"
    emu.push_command(4711, "start", "idea_x")    # a user types "/start idea_x"
    emu.push_message(4711, "Lünen")
    emu.tap(4711, "🗺 Ideen nach Region")         # newest message with a keyboard in that chat
    msg = emu.wait_for(4711, lambda m: "Region" in m.text)   # a new send/edit since the push
    emu.messages(4711), emu.errors, emu.calls("setMyCommands"), emu.commands
    emu.webhook                                  # url, secret_token, ... of setWebhook, or {}
    emu.message_update(4711, "/start")           # an update to POST to the bot's webhook
    emu.stop()

Standalone: ``python tests/botapi_server.py --port 8081`` prints every request; type
``<user_id> <text>`` or ``tap <user_id> <label>`` on stdin to play the user.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import itertools
import json
import re
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from email import policy
from email.parser import BytesParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self
from urllib.parse import parse_qsl, urlsplit

if __package__ in (None, "") and __name__ == "__main__":  # a script outside the checkout
    sys.path.insert(0, str(__import__("pathlib").Path(__file__).resolve().parents[1]))

from bot.offline.telegram_rules import (
    CHAT_NOT_FOUND,
    JSON,
    NOT_MODIFIED,
    QUERY_TOO_OLD,
    ApiError,
    InlineButton,
    bad_request,
    check_callback_answer,
    check_commands,
    check_language_code,
    check_webhook,
    find_button,
    format_text,
    json_param,
    message_json,
    parse_markup,
    utf16_len,
    valid_url,
    webhook_connections,
)

Button = InlineButton  # one inline button as the user sees it: text, callback_data, url

MAX_POLL_TIMEOUT = 50.0  # Telegram caps long polling too

CONFLICT = (
    "Conflict: terminated by other getUpdates request; make sure that only one bot instance "
    "is running"
)
WEBHOOK_ACTIVE = (
    "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to "
    "delete the webhook first"
)
_ROUTE_RE = re.compile(r"^/bot(?P<token>[^/]+)/(?P<method>[A-Za-z]*)/?$")
_UPDATE_KINDS = (
    "message",
    "edited_message",
    "channel_post",
    "edited_channel_post",
    "callback_query",
    "inline_query",
    "my_chat_member",
    "chat_member",
)


# --------------------------------------------------------------------------- records


@dataclass(frozen=True)
class BotMessage:
    """A snapshot of a bot message as the user sees it (text after HTML parsing)."""

    chat_id: int
    message_id: int
    date: int
    text: str
    html: str
    parse_mode: str | None
    keyboard: tuple[tuple[Button, ...], ...] = ()
    document: str | None = None  # file name of a sent document
    edits: int = 0
    deleted: bool = False
    entities: tuple[JSON, ...] = field(default=(), repr=False)

    def labels(self) -> list[str]:
        """Button labels, flattened."""
        return [b.text for row in self.keyboard for b in row]

    def button(self, label: str) -> Button:
        """Button whose text equals label, else the unique one containing it."""
        return find_button(self.keyboard, label, f"message {self.message_id} ({self.text[:60]!r})")

    def to_json(self, chat: JSON, bot_user: JSON) -> JSON:
        """Bot API Message object."""
        data = message_json(self.message_id, self.date, chat, bot_user)
        if self.document is not None:
            data["document"] = {
                "file_id": f"doc{self.message_id}",
                "file_unique_id": f"udoc{self.message_id}",
                "file_name": self.document,
            }
            if self.text:
                data["caption"] = self.text
        else:
            data["text"] = self.text
        if self.keyboard:
            data["reply_markup"] = {
                "inline_keyboard": [[dict(b.raw) for b in row] for row in self.keyboard]
            }
        if self.edits:
            data["edit_date"] = int(time.time())
        return data


@dataclass(frozen=True)
class Event:
    """Something the bot did to a chat: 'send', 'edit' or 'delete'."""

    seq: int
    kind: str
    message: BotMessage


@dataclass(frozen=True)
class Call:
    """One request the emulator answered."""

    method: str
    params: JSON
    status: int = 200
    description: str = ""

    def __str__(self) -> str:
        shown = {
            k: (v if len(str(v)) < 120 else str(v)[:117] + "...") for k, v in self.params.items()
        }
        return f"{self.method} -> {self.status} {self.description} {shown}"


@dataclass
class _User:
    id: int
    first_name: str = "Erika"
    language_code: str | None = "de"

    def json(self) -> JSON:
        data: JSON = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        if self.language_code:
            data["language_code"] = self.language_code
        return data

    def chat(self) -> JSON:
        return {"id": self.id, "type": "private", "first_name": self.first_name}


# --------------------------------------------------------------------------- request parsing


def parse_body(
    content_type: str, body: bytes
) -> tuple[dict[str, str], dict[str, tuple[str, bytes]]]:
    """Form fields and uploaded files, as python-telegram-bot's HTTPXRequest sends them."""
    ctype = content_type.split(";", 1)[0].strip().lower()
    if not body:
        return {}, {}
    if ctype == "application/json":
        decoded = json.loads(body)
        if not isinstance(decoded, dict):
            raise bad_request("JSON object expected")
        return {k: v if isinstance(v, str) else json.dumps(v) for k, v in decoded.items()}, {}
    if ctype == "multipart/form-data":
        head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode()
        message = BytesParser(policy=policy.HTTP).parsebytes(head + body)
        if not message.is_multipart():
            raise bad_request("can't parse multipart/form-data")
        fields: dict[str, str] = {}
        files: dict[str, tuple[str, bytes]] = {}
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            payload = part.get_payload(decode=True) or b""
            if not isinstance(name, str) or not isinstance(payload, bytes):
                continue
            filename = part.get_filename()
            if filename is not None:
                files[name] = (filename, payload)
            else:
                fields[name] = payload.decode(part.get_content_charset() or "utf-8")
        return fields, files
    # application/x-www-form-urlencoded (PTB's default for requests without files)
    return dict(parse_qsl(body.decode("utf-8"), keep_blank_values=True, strict_parsing=False)), {}


def _json_param(params: dict[str, str], name: str, what: str) -> Any:
    """A nested parameter (sent as a JSON string); None if absent."""
    return json_param(params.get(name), what)


def _int_param(params: dict[str, str], name: str, *, required: bool = False) -> int | None:
    raw = params.get(name)
    if raw is None or raw == "":
        if required:
            raise bad_request(f"{name} is empty" if name != "chat_id" else "chat_id is empty")
        return None
    try:
        return int(raw)
    except ValueError:
        if name == "chat_id":
            raise ApiError(400, CHAT_NOT_FOUND) from None
        raise bad_request(f"invalid {name} specified") from None


def _bool_param(params: dict[str, str], name: str) -> bool:
    return params.get(name, "").lower() in ("true", "1")


def _keyboard(params: dict[str, str]) -> tuple[tuple[Button, ...], ...]:
    """Validate reply_markup like Telegram; return the inline keyboard (empty for others)."""
    inline, _ = parse_markup(params.get("reply_markup"))
    return tuple(tuple(row) for row in inline)


def _visible_text(
    params: dict[str, str], key: str, *, caption: bool
) -> tuple[str, tuple[JSON, ...]]:
    """What the user sees (text, entities); Telegram's errors for bad HTML, empty or over-long
    text."""
    entities = params.get("caption_entities" if caption else "entities")
    parsed = format_text(params.get(key), params.get("parse_mode"), entities, caption=caption)
    return parsed.text, parsed.entities


def _content(params: dict[str, str], key: str, *, caption: bool) -> dict[str, Any]:
    """A sent or edited message's content (BotMessage fields): the visible text, its HTML,
    entities, parse mode and keyboard; Telegram's errors for bad text or markup."""
    text, entities = _visible_text(params, key, caption=caption)
    return {
        "text": text,
        "html": params.get(key, ""),
        "entities": entities,
        "parse_mode": params.get("parse_mode"),
        "keyboard": _keyboard(params),  # omitted = no keyboard (an edit removes it)
    }


# --------------------------------------------------------------------------- HTTP plumbing


class _Server(ThreadingHTTPServer):
    """Tracks live connections so stop() can end keep-alive handler threads promptly."""

    daemon_threads = True
    block_on_close = True  # server_close() joins the handler threads
    emulator: BotApiEmulator

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.connections: set[socket.socket] = set()
        self.connections_lock = threading.Lock()
        super().__init__(*args, **kwargs)

    def process_request(self, request: Any, client_address: Any) -> None:
        with self.connections_lock:
            self.connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self.connections_lock:
            self.connections.discard(request)
        super().shutdown_request(request)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that went away (e.g. a killed bot) is not an error of the emulator."""
        exc = sys.exc_info()[1]
        if isinstance(exc, (ConnectionError, TimeoutError, OSError)):
            return
        super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, like the real server
    # Headers and body go out in two writes; with Nagle's algorithm the body then waits for the
    # client's delayed ACK (~40 ms) on every request, which held the emulator to ~130 requests/s.
    disable_nagle_algorithm = True
    timeout = 120  # idle keep-alive connections are closed eventually
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        """Silence the default per-request stderr logging."""

    def do_GET(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def _read_body(self) -> bytes | None:
        """The request body, or None if the client went away before sending all of it."""
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks: list[bytes] = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    self.rfile.readline()
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        return body if len(body) == length else None

    def _serve(self) -> None:
        split = urlsplit(self.path)
        emulator = self.server.emulator
        method = emulator._request_began(split.path)
        try:
            self._answer(emulator, split)
        finally:
            emulator._request_ended(method)

    def _answer(self, emulator: BotApiEmulator, split: Any) -> None:
        body = self._read_body()
        if body is None:  # like Telegram: a request cut off (a killed client) is not processed
            self.close_connection = True
            return
        if split.path.startswith("/file/bot"):
            status, payload = 404, {"ok": False, "error_code": 404, "description": "Not Found"}
        else:
            status, payload = emulator.handle(
                split.path, split.query, self.headers.get("Content-Type", ""), body
            )
        data = json.dumps(payload, ensure_ascii=False).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            self.wfile.flush()
        except OSError:  # the client is gone (cancelled long poll, killed process)
            self.close_connection = True


# --------------------------------------------------------------------------- the emulator


class BotApiEmulator:
    """Telegram Bot API over HTTP for one bot; records what each chat sees."""

    def __init__(
        self,
        token: str | None = "123456:EMU-TOKEN-abcdefgh",
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        username: str = "IdeenlaborBot",
        first_name: str = "Ideenlabor",
        verbose: bool = False,
    ) -> None:
        self.token = token  # None: accept any token (standalone use)
        self.host, self.port = host, port
        bot_id = int(token.split(":", 1)[0]) if token and token.split(":", 1)[0].isdigit() else 1
        self.bot_user: JSON = {
            "id": bot_id,
            "is_bot": True,
            "first_name": first_name,
            "username": username,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }
        self.verbose = verbose
        self.watchdog: Callable[[], None] | None = None  # called while waiting; may raise
        self._cond = threading.Condition(threading.RLock())
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._stopping = False
        self._calls: list[Call] = []
        self.errors: list[Call] = []  # 4xx/5xx answers the bot provoked (not conflicts)
        self.conflicts: list[Call] = []  # superseded long polls (409)
        self.commands: dict[tuple[str, str], list[JSON]] = {}
        self.callback_answers: list[JSON] = []
        self._users: dict[int, _User] = {}
        self._messages: dict[int, list[BotMessage]] = {}
        self._events: list[Event] = []
        self._push_cursor: dict[int, int] = {}
        self._updates: list[JSON] = []
        self._update_ids = itertools.count(1)
        self._last_pushed_update = 0
        self.confirmed_offset = 0  # getUpdates offset the bot has sent (all below are read)
        self._last_message_id: dict[int, int] = {}
        self._open_queries: dict[str, int] = {}
        self._query_ids = itertools.count(1)
        self._poll_generation = 0  # number of getUpdates requests so far
        self._waiting_generation = 0  # the newest getUpdates that is blocked in a long poll
        self.polls_waiting = 0
        self._allowed_updates: list[str] | None = None
        self._webhook: JSON = {}  # url, secret_token, ... as last set by setWebhook
        self._open_requests: dict[str, int] = {}  # by method (lower case): read, not answered

    # ----------------------------------------------------------------- lifecycle

    def start(self) -> Self:
        """Listen on host:port (0 = ephemeral) and serve in a background thread."""
        server = _Server((self.host, self.port), _Handler)
        server.emulator = self
        self._server = server
        self.port = server.server_address[1]
        self._thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="botapi-emulator",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving, end waiting long polls and close every socket."""
        server, self._server = self._server, None
        if server is None:
            return
        with self._cond:
            self._stopping = True
            self._cond.notify_all()
        server.shutdown()
        with server.connections_lock:
            live = list(server.connections)
        for conn in live:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        server.server_close()  # joins handler threads
        if self._thread is not None:
            self._thread.join(5)

    def __enter__(self) -> BotApiEmulator:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        """Root URL for TELEGRAM_API_BASE_URL."""
        return f"http://{self.host}:{self.port}"

    # ----------------------------------------------------------------- what tests read

    def calls(self, method: str | None = None) -> list[Call]:
        """Recorded calls (optionally of one method, case-insensitive)."""
        with self._cond:
            return [c for c in self._calls if method is None or c.method.lower() == method.lower()]

    def messages(self, chat_id: int, *, include_deleted: bool = False) -> list[BotMessage]:
        """The bot's messages in a chat, oldest first, in their current state."""
        with self._cond:
            return [m for m in self._messages.get(chat_id, []) if include_deleted or not m.deleted]

    def events(self, chat_id: int | None = None) -> list[Event]:
        """Everything the bot did, in order."""
        with self._cond:
            return [e for e in self._events if chat_id is None or e.message.chat_id == chat_id]

    @property
    def webhook(self) -> JSON:
        """What the last setWebhook set (url, secret_token, ...); {} when none is set."""
        with self._cond:
            return dict(self._webhook)

    def open_requests(self, method: str | None = None) -> int:
        """Requests that have arrived and are not answered yet (optionally of one method,
        case-insensitive), e.g. sends a bot had in flight when it was killed."""
        with self._cond:
            if method is None:
                return sum(self._open_requests.values())
            return self._open_requests.get(method.lower(), 0)

    def _request_began(self, path: str) -> str:
        route = _ROUTE_RE.match(path)
        method = route["method"].lower() if route else ""
        with self._cond:
            self._open_requests[method] = self._open_requests.get(method, 0) + 1
        return method

    def _request_ended(self, method: str) -> None:
        with self._cond:
            self._open_requests[method] -= 1
            self._cond.notify_all()

    def describe(self, chat_id: int | None = None) -> str:
        """Readable dump for assertion messages."""
        lines = []
        for event in self.events(chat_id)[-12:]:
            m = event.message
            lines.append(
                f"  #{event.seq} {event.kind} chat={m.chat_id} msg={m.message_id}: "
                f"{m.text[:100]!r} buttons={m.labels()[:20]!r}"
            )
        lines += [f"  ERROR {c}" for c in self.errors]
        return "\n".join(lines) or "  (nothing)"

    # ----------------------------------------------------------------- what tests do

    def user(
        self, user_id: int, first_name: str = "Erika", language_code: str | None = "de"
    ) -> None:
        """Declare a user (first name, Telegram app language) before they write."""
        with self._cond:
            self._users[user_id] = _User(user_id, first_name, language_code)

    def _user(self, user_id: int) -> _User:
        return self._users.setdefault(user_id, _User(user_id))

    def _next_message_id(self, chat_id: int) -> int:
        self._last_message_id[chat_id] = self._last_message_id.get(chat_id, 0) + 1
        return self._last_message_id[chat_id]

    def _push(self, chat_id: int, kind: str, payload: JSON) -> int:
        with self._cond:
            update_id = next(self._update_ids)
            self._updates.append({"update_id": update_id, kind: payload})
            self._last_pushed_update = update_id
            self._push_cursor[chat_id] = len(self._events)
            self._cond.notify_all()
            return update_id

    def _user_message(self, user_id: int, text: str) -> JSON:
        user = self._user(user_id)
        message = message_json(
            self._next_message_id(user_id), int(time.time()), user.chat(), user.json()
        )
        message["text"] = text
        if text.startswith("/"):
            command = text.split(maxsplit=1)[0]
            message["entities"] = [
                {"type": "bot_command", "offset": 0, "length": utf16_len(command)}
            ]
        return message

    def push_message(self, user_id: int, text: str) -> int:
        """The user writes `text` in the private chat; returns the update_id."""
        with self._cond:
            return self._push(user_id, "message", self._user_message(user_id, text))

    def message_update(self, user_id: int, text: str) -> JSON:
        """The user writes `text`: the Update as Telegram would POST it to a webhook.

        It is not queued for getUpdates (the test delivers it); later waits for replies
        (wait_for) start from here, as after push_message.
        """
        with self._cond:
            message = self._user_message(user_id, text)
            self._push_cursor[user_id] = len(self._events)
            return {"update_id": next(self._update_ids), "message": message}

    def push_command(self, user_id: int, command: str, *args: str) -> int:
        """The user sends `/command args...`."""
        return self.push_message(user_id, " ".join([f"/{command}", *args]))

    def push_callback(self, user_id: int, message: BotMessage | int, data: str) -> int:
        """The user presses a button with callback `data` on a bot message."""
        with self._cond:
            user = self._user(user_id)
            message_id = message if isinstance(message, int) else message.message_id
            current = next(
                (m for m in self._messages.get(user_id, []) if m.message_id == message_id), None
            )
            if current is None or current.deleted:
                raise AssertionError(f"no visible bot message {message_id} in chat {user_id}")
            query_id = str(7_000_000 + next(self._query_ids))
            self._open_queries[query_id] = user_id
            query = {
                "id": query_id,
                "from": user.json(),
                "chat_instance": f"ci{user_id}",
                "message": current.to_json(user.chat(), self.bot_user),
                "data": data,
            }
            return self._push(user_id, "callback_query", query)

    def keyboard_message(self, chat_id: int) -> BotMessage:
        """Newest visible bot message in the chat that has an inline keyboard."""
        for message in reversed(self.messages(chat_id)):
            if message.keyboard:
                return message
        raise AssertionError(
            f"no bot message with buttons in chat {chat_id}:\n{self.describe(chat_id)}"
        )

    def tap(self, user_id: int, label: str, *, message: BotMessage | None = None) -> BotMessage:
        """Press the button labelled `label` (exact, else unique substring); returns the message."""
        with self._cond:
            target = message or self.keyboard_message(user_id)
            button = target.button(label)
            if button.callback_data is None:
                raise AssertionError(f"button {button.text!r} is not a callback button")
            self.push_callback(user_id, target, button.callback_data)
            return target

    def wait_for(
        self,
        chat_id: int,
        predicate: Callable[[BotMessage], bool] | str,
        timeout: float = 10.0,
        *,
        since: int | None = None,
        kinds: Iterable[str] = ("send", "edit"),
    ) -> BotMessage:
        """A bot message sent or edited in the chat after the last push (or event `since`)
        that satisfies `predicate` (a string means: the visible text contains it)."""
        check = (lambda m: predicate in m.text) if isinstance(predicate, str) else predicate
        kinds = tuple(kinds)
        index: int | None = None
        found: list[BotMessage] = []

        def arrived() -> bool:
            nonlocal index
            if index is None:  # the first look, under the lock
                index = self._push_cursor.get(chat_id, 0) if since is None else since
            while index < len(self._events):
                event = self._events[index]
                index += 1
                if (
                    event.message.chat_id == chat_id
                    and event.kind in kinds
                    and check(event.message)
                ):
                    found.append(event.message)
                    return True
            return False

        what = f"a bot message in chat {chat_id} matching {predicate!r}"
        self._wait(arrived, timeout, what, functools.partial(self.describe, chat_id))
        return found[0]

    def wait_until(
        self, condition: Callable[[], bool], timeout: float = 10.0, what: str = "condition"
    ) -> None:
        """Wait until condition() (evaluated under the emulator's lock) is true."""
        self._wait(condition, timeout, what, self.describe)

    def _wait(
        self, condition: Callable[[], bool], timeout: float, what: str, recent: Callable[[], str]
    ) -> None:
        """Wait (under the lock) until condition() is true; after `timeout`, an AssertionError
        naming `what` and the recent activity."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while not condition():
                self._check_watchdog()
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(
                        f"timed out after {timeout}s waiting for {what}; "
                        f"recent activity:\n{recent()}"
                    )
                self._cond.wait(min(remaining, 0.2))

    @property
    def poll_generation(self) -> int:
        """How many getUpdates requests have arrived so far."""
        with self._cond:
            return self._poll_generation

    def wait_polling(self, timeout: float = 15.0, *, after: int | None = None) -> None:
        """Wait until a getUpdates request newer than generation `after` (default: now) is
        blocked in a long poll, i.e. a (re)started bot is up and idle. A poll of a killed
        process that is still pending does not count."""
        start = self.poll_generation if after is None else after
        self.wait_until(
            lambda: self._waiting_generation == self._poll_generation > start,
            timeout,
            "the bot to call getUpdates",
        )

    def wait_confirmed(self, timeout: float = 10.0) -> None:
        """Wait until the bot has confirmed (via offset) every update pushed so far."""
        self.wait_until(
            lambda: self.confirmed_offset > self._last_pushed_update,
            timeout,
            "the bot to confirm all updates",
        )

    def _check_watchdog(self) -> None:
        if self.watchdog is not None:
            self.watchdog()

    # ----------------------------------------------------------------- request handling

    def handle(self, path: str, query: str, content_type: str, body: bytes) -> tuple[int, JSON]:
        """Answer one HTTP request: (status, JSON body)."""
        route = _ROUTE_RE.match(path)
        if route is None:
            return 404, {"ok": False, "error_code": 404, "description": "Not Found"}
        method = route["method"]
        params: dict[str, str] = dict(parse_qsl(query, keep_blank_values=True))
        files: dict[str, tuple[str, bytes]] = {}
        try:
            if self.token is not None and route["token"] != self.token:
                raise ApiError(401, "Unauthorized")
            fields, files = parse_body(content_type, body)
            params.update(fields)
            handler = getattr(self, f"_m_{method.lower()}", None)
            if handler is None:
                raise ApiError(404, "Not Found")
            result = handler(params, files)
        except ApiError as err:
            call = Call(method, dict(params), err.status, err.description)
            with self._cond:
                self._calls.append(call)
                (self.conflicts if err.status == 409 else self.errors).append(call)
                self._cond.notify_all()
            self._log(call)
            return err.status, err.payload()
        except Exception as exc:  # a bug in the emulator: answer 500 and record it
            call = Call(method, dict(params), 500, f"emulator error: {exc!r}")
            with self._cond:
                self._calls.append(call)
                self.errors.append(call)
            self._log(call)
            return 500, {"ok": False, "error_code": 500, "description": "Internal Server Error"}
        call = Call(method, dict(params))
        with self._cond:
            self._calls.append(call)
            self._cond.notify_all()
        self._log(call, result)
        return 200, {"ok": True, "result": result}

    def _log(self, call: Call, result: Any = None) -> None:
        if not self.verbose:
            return
        if call.method.lower() == "getupdates" and call.status == 200 and not result:
            return
        print(f"[emulator] {call}", flush=True)
        if isinstance(result, dict) and "text" in result:
            print(f"           {result['text']!r}", flush=True)

    # ----------------------------------------------------------------- store helpers

    def _chat(self, params: dict[str, str]) -> int:
        chat_id = _int_param(params, "chat_id", required=True)
        assert chat_id is not None
        if chat_id not in self._users:
            raise ApiError(400, CHAT_NOT_FOUND)  # the user never talked to the bot
        return chat_id

    def _record(self, kind: str, message: BotMessage) -> None:
        self._events.append(Event(len(self._events), kind, message))
        self._cond.notify_all()

    def _store_new(self, chat_id: int, **fields: Any) -> JSON:
        with self._cond:
            message = BotMessage(
                chat_id=chat_id,
                message_id=self._next_message_id(chat_id),
                date=int(time.time()),
                **fields,
            )
            self._messages.setdefault(chat_id, []).append(message)
            self._record("send", message)
            return message.to_json(self._users[chat_id].chat(), self.bot_user)

    def _find(self, params: dict[str, str], missing: str) -> tuple[int, int, BotMessage]:
        if "inline_message_id" in params:
            raise bad_request("inline messages are not supported by the emulator")
        chat_id = self._chat(params)
        message_id = _int_param(params, "message_id", required=True)
        for index, message in enumerate(self._messages.get(chat_id, [])):
            if message.message_id == message_id and not message.deleted:
                return chat_id, index, message
        raise bad_request(missing)

    def _replace(self, chat_id: int, index: int, new: BotMessage, kind: str) -> None:
        self._messages[chat_id][index] = new
        self._record(kind, new)

    # ----------------------------------------------------------------- methods

    def _m_getme(self, params: dict[str, str], files: Any) -> JSON:
        return dict(self.bot_user)

    def _m_setwebhook(self, params: dict[str, str], files: Any) -> bool:
        """HTTPS only, on Telegram's ports; a secret token from its charset; "" deletes."""
        url = params.get("url", "")
        with self._cond:
            if url == "":
                self._drop_webhook(params)
                return True
            secret = params.get("secret_token")
            check_webhook(url, secret)
            allowed = _json_param(params, "allowed_updates", "allowed_updates")
            if _bool_param(params, "drop_pending_updates"):
                self._updates = []
            self._webhook = {
                "url": url,
                "secret_token": secret,
                "max_connections": webhook_connections(params.get("max_connections")),
                "allowed_updates": allowed if isinstance(allowed, list) else None,
            }
            self._cond.notify_all()  # a waiting long poll now fails with 409
            return True

    def _m_deletewebhook(self, params: dict[str, str], files: Any) -> bool:
        with self._cond:
            self._drop_webhook(params)
            return True

    def _drop_webhook(self, params: dict[str, str]) -> None:
        self._webhook = {}
        if _bool_param(params, "drop_pending_updates"):
            self._updates = []
        self._cond.notify_all()

    def _m_getwebhookinfo(self, params: dict[str, str], files: Any) -> JSON:
        with self._cond:
            info: JSON = {
                "url": self._webhook.get("url", ""),
                "has_custom_certificate": False,
                "pending_update_count": len(self._updates),
            }
            if self._webhook:
                info["max_connections"] = self._webhook["max_connections"]
                if self._webhook["allowed_updates"] is not None:
                    info["allowed_updates"] = self._webhook["allowed_updates"]
            return info

    def _m_close(self, params: dict[str, str], files: Any) -> bool:
        return True

    def _m_logout(self, params: dict[str, str], files: Any) -> bool:
        return True

    def _m_setmycommands(self, params: dict[str, str], files: Any) -> bool:
        commands = check_commands(params.get("commands"))
        scope = _json_param(params, "scope", "BotCommandScope") or {"type": "default"}
        language = check_language_code(params.get("language_code"))
        with self._cond:
            self.commands[(str(scope.get("type")), language)] = commands
        return True

    def _m_getupdates(self, params: dict[str, str], files: Any) -> list[JSON]:
        offset = _int_param(params, "offset") or 0
        timeout = min(float(params.get("timeout") or 0), MAX_POLL_TIMEOUT)
        limit = max(1, min(_int_param(params, "limit") or 100, 100))
        allowed = _json_param(params, "allowed_updates", "allowed_updates")
        deadline = time.monotonic() + timeout
        with self._cond:
            if self._webhook:
                raise ApiError(409, WEBHOOK_ACTIVE)
            self._poll_generation += 1
            generation = self._poll_generation
            self._cond.notify_all()  # an older, still waiting poll is terminated (409)
            if isinstance(allowed, list):
                self._allowed_updates = allowed or None
            if offset > 0:
                self.confirmed_offset = max(self.confirmed_offset, offset)
                self._updates = [u for u in self._updates if u["update_id"] >= offset]
            self.polls_waiting += 1
            try:
                while True:
                    if generation != self._poll_generation:
                        raise ApiError(409, CONFLICT)
                    if self._webhook:
                        raise ApiError(409, WEBHOOK_ACTIVE)
                    pending = [u for u in self._updates if self._allowed(u)]
                    remaining = deadline - time.monotonic()
                    if pending or remaining <= 0 or self._stopping:
                        return pending[:limit]
                    if self._waiting_generation != generation:
                        self._waiting_generation = generation
                        self._cond.notify_all()
                    self._cond.wait(remaining)
            finally:
                self.polls_waiting -= 1
                self._cond.notify_all()

    def _allowed(self, update: JSON) -> bool:
        if not self._allowed_updates:
            return True
        return any(kind in update for kind in self._allowed_updates)

    def _m_sendmessage(self, params: dict[str, str], files: Any) -> JSON:
        with self._cond:
            chat_id = self._chat(params)
            content = _content(params, "text", caption=False)
            _json_param(params, "link_preview_options", "link preview options")
            return self._store_new(chat_id, **content)

    def _m_senddocument(self, params: dict[str, str], files: dict[str, tuple[str, bytes]]) -> JSON:
        with self._cond:
            chat_id = self._chat(params)
            value = params.get("document", "")
            name = value[len("attach://") :] if value.startswith("attach://") else "document"
            if name in files:
                filename, content = files[name]
                if not content:
                    raise bad_request("file must be non-empty")
            elif value and (valid_url(value) or value.startswith("doc")):
                filename = value.rsplit("/", 1)[-1]
            elif value:
                raise bad_request("wrong file identifier/HTTP URL specified")
            else:
                raise bad_request("there is no document in the request")
            caption = _content(params, "caption", caption=True)
            return self._store_new(chat_id, **caption, document=filename or "file")

    def _m_editmessagetext(self, params: dict[str, str], files: Any) -> JSON:
        with self._cond:
            chat_id, index, message = self._find(params, "message to edit not found")
            if message.document is not None:
                raise bad_request("there is no text in the message to edit")
            edited = replace(
                message, **_content(params, "text", caption=False), edits=message.edits + 1
            )
            seen = (edited.text, edited.entities, edited.keyboard)
            if seen == (message.text, message.entities, message.keyboard):
                raise ApiError(400, NOT_MODIFIED)
            self._replace(chat_id, index, edited, "edit")
            return edited.to_json(self._users[chat_id].chat(), self.bot_user)

    def _m_editmessagereplymarkup(self, params: dict[str, str], files: Any) -> JSON:
        with self._cond:
            chat_id, index, message = self._find(params, "message to edit not found")
            keyboard = _keyboard(params)
            if keyboard == message.keyboard:
                raise ApiError(400, NOT_MODIFIED)
            edited = replace(message, keyboard=keyboard, edits=message.edits + 1)
            self._replace(chat_id, index, edited, "edit")
            return edited.to_json(self._users[chat_id].chat(), self.bot_user)

    def _m_deletemessage(self, params: dict[str, str], files: Any) -> bool:
        with self._cond:
            chat_id, index, message = self._find(params, "message to delete not found")
            self._replace(chat_id, index, replace(message, deleted=True), "delete")
            return True

    def _m_answercallbackquery(self, params: dict[str, str], files: Any) -> bool:
        with self._cond:
            text = params.get("text")
            check_callback_answer(text)
            query_id = params.get("callback_query_id", "")
            if query_id not in self._open_queries:
                raise ApiError(400, QUERY_TOO_OLD)
            user_id = self._open_queries.pop(query_id)
            self.callback_answers.append(
                {"user_id": user_id, "text": text, "show_alert": _bool_param(params, "show_alert")}
            )
            self._cond.notify_all()
            return True


# --------------------------------------------------------------------------- standalone


def main(argv: list[str] | None = None) -> int:
    """Serve until Ctrl-C, printing what the bot sends; stdin lines play the user."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--token", default=None, help="accept only this token (default: any)")
    args = parser.parse_args(argv)
    emulator = BotApiEmulator(args.token, host=args.host, port=args.port, verbose=True).start()
    print(f"Bot API emulator on {emulator.base_url}  (TELEGRAM_API_BASE_URL={emulator.base_url})")
    print("stdin: '<user_id> <text>' sends a message, 'tap <user_id> <label>' presses a button")
    try:
        for line in sys.stdin:
            line = line.strip()
            try:
                if line.startswith("tap "):
                    _, user, label = line.split(" ", 2)
                    emulator.tap(int(user), label)
                elif line:
                    user, text = line.split(" ", 1)
                    emulator.push_message(int(user), text)
            except (ValueError, AssertionError) as exc:
                print(f"?? {exc}")
        threading.Event().wait()  # stdin closed: keep serving
    except KeyboardInterrupt:
        pass
    finally:
        emulator.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
