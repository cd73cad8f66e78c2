"""Telegram's rules, written once: what the Bot API refuses, and with which words.

Both offline transports enforce them: the in-process fake (`bot.offline.fake_api`, python-
telegram-bot's BaseRequest) and the HTTP emulator (`tests/botapi_server.py`, the real process's
view of Telegram). Descriptions are Telegram's own, as the Bot API server (tdlib's
telegram-bot-api) words them: its messages get the "Bad Request: " prefix and a lower-case first
letter, the Telegram server's own errors (BUTTON_DATA_INVALID, MESSAGE_TOO_LONG, ...) stay as
they are.

Values arrive either decoded (in-process: dicts and lists from python-telegram-bot) or as the
JSON strings that travel over HTTP; every check here takes both.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

JSON = dict[str, Any]

MAX_TEXT = 4096  # UTF-16 code units of a message text, after entity parsing
MAX_CAPTION = 1024
MAX_CALLBACK_ANSWER = 200  # characters of an answerCallbackQuery text
MAX_CALLBACK_DATA_BYTES = 64
MAX_INLINE_BUTTONS = 100
MAX_COMMANDS = 100
MAX_COMMAND_DESCRIPTION = 256
WEBHOOK_PORTS = (80, 88, 443, 8443)
DEFAULT_WEBHOOK_CONNECTIONS = 40
MAX_WEBHOOK_CONNECTIONS = 100
MAX_PHOTO_BYTES = 10 * 1024 * 1024

NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup are"
    " exactly the same as a current content and reply markup of the message"
)
QUERY_TOO_OLD = "Bad Request: query is too old and response timeout expired or query ID is invalid"
BLOCKED = "Forbidden: bot was blocked by the user"
CHAT_NOT_FOUND = "Bad Request: chat not found"
TEXT_EMPTY = "Bad Request: message text is empty"

# An inline button's action, in the order the Bot API server looks for one: the first present
# decides (url and callback_data count only when not empty).
BUTTON_ACTIONS = (
    "url",
    "callback_data",
    "callback_game",
    "pay",
    "switch_inline_query",
    "switch_inline_query_chosen_chat",
    "switch_inline_query_current_chat",
    "login_url",
    "web_app",
    "copy_text",
)
_COMMAND_RE = re.compile(r"[a-z0-9_]{1,32}")
_LANGUAGE_RE = re.compile(r"[a-z]{2}")
_SECRET_RE = re.compile(r"[A-Za-z0-9_-]*")
_IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a", b"RIFF")


class ApiError(Exception):
    """A Bot API error answer: HTTP status, description, optional parameters (retry_after)."""

    def __init__(self, status: int, description: str, parameters: JSON | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.parameters = parameters

    def payload(self) -> JSON:
        """Telegram-shaped error body."""
        body: JSON = {"ok": False, "error_code": self.status, "description": self.description}
        if self.parameters:
            body["parameters"] = self.parameters
        return body


def bad_request(detail: str) -> ApiError:
    """400 with Telegram's 'Bad Request: ' prefix."""
    return ApiError(400, f"Bad Request: {detail}")


def message_json(message_id: int, date: int, chat: JSON, sender: JSON) -> JSON:
    """The fields every Bot API Message object has: its id, date, chat and sender."""
    return {"message_id": message_id, "date": date, "chat": chat, "from": sender}


def json_param(value: Any, what: str) -> Any:
    """A structured parameter, decoded; None when absent or empty (as Telegram reads it)."""
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        return value
    try:
        return json.loads(value)
    except ValueError:
        raise bad_request(f"can't parse {what} JSON object") from None


def valid_url(url: Any) -> bool:
    """An http(s) URL with a host, or a tg:// link (what Telegram takes for a URL button)."""
    if not isinstance(url, str):
        return False
    parts = urlsplit(url)
    return (parts.scheme in ("http", "https") and bool(parts.netloc)) or (
        parts.scheme == "tg" and len(url) > len("tg://")
    )


# --------------------------------------------------------------------------- HTML parsing

_TAG_ENTITY = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "span": "spoiler",
    "tg-spoiler": "spoiler",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "a": "text_link",
    "tg-emoji": "custom_emoji",
}
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_ENTITY_RE = re.compile(r"&(#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*)(;?)")
_TOKEN_RE = re.compile(r"[A-Za-z0-9.\-]+")


class HtmlParseError(ValueError):
    """Raised when Telegram would refuse the HTML ("can't parse entities")."""


@dataclass(frozen=True)
class ParsedText:
    """Visible text plus Bot-API message entities (UTF-16 offsets)."""

    text: str
    entities: tuple[JSON, ...] = ()


@dataclass
class _OpenTag:
    """A start tag waiting for its end tag."""

    name: str
    argument: str
    offset: int
    expandable: bool = False


def utf16_len(text: str) -> int:
    """Length of `text` in UTF-16 code units, the unit Telegram counts in."""
    return len(text.encode("utf-16-le")) // 2


class _HtmlScanner:
    """Tokenizer modelled on tdlib's parse_html (strict about '&' unless strict=False)."""

    def __init__(self, source: str, *, strict: bool) -> None:
        self.src = source
        self.strict = strict
        self.pos = 0
        self.out: list[str] = []
        self.utf16 = 0
        self.stack: list[_OpenTag] = []
        self.entities: list[JSON] = []

    def fail(self, detail: str, at: int | None = None) -> HtmlParseError:
        """Build an error, optionally mentioning the UTF-8 byte offset of position `at`."""
        if at is not None:
            detail += f" at byte offset {len(self.src[:at].encode())}"
        return HtmlParseError(detail)

    def emit(self, chunk: str) -> None:
        """Append visible text."""
        self.out.append(chunk)
        self.utf16 += utf16_len(chunk)

    def run(self) -> ParsedText:
        """Scan the whole source."""
        while self.pos < len(self.src):
            char = self.src[self.pos]
            if char == "&":
                self.emit(self.entity())
            elif char == "<":
                if self.src.startswith("</", self.pos):
                    self.end_tag()
                else:
                    self.start_tag()
            else:  # a run of plain text up to the next markup character
                end = len(self.src)
                for mark in "&<":
                    found = self.src.find(mark, self.pos)
                    if found != -1 and found < end:
                        end = found
                self.emit(self.src[self.pos : end])
                self.pos = end
        if self.stack:
            name = self.stack[-1].name
            raise self.fail(f'Can\'t find end tag corresponding to start tag "{name}"')
        return ParsedText("".join(self.out), tuple(self.entities))

    def entity(self) -> str:
        """Decode the character reference at pos (advances pos)."""
        start = self.pos
        match = _ENTITY_RE.match(self.src, start)
        decoded = _decode_entity(match.group(1)) if match else None
        if decoded is not None and match and (match.group(2) or not self.strict):
            self.pos = match.end()
            return decoded
        if self.strict:
            shown = match.group(0) if match else "&"
            raise self.fail(f'Unsupported HTML entity or unescaped "&" ("{shown}")', start)
        self.pos += 1
        return "&"

    def skip_spaces(self) -> None:
        """Advance past whitespace."""
        while self.pos < len(self.src) and self.src[self.pos].isspace():
            self.pos += 1

    def read_name(self) -> str:
        """Read up to whitespace, '=' or '>' (lower-cased)."""
        start = self.pos
        while (
            self.pos < len(self.src)
            and not self.src[self.pos].isspace()
            and self.src[self.pos] not in "=>"
        ):
            self.pos += 1
        return self.src[start : self.pos].lower()

    def start_tag(self) -> None:
        """Parse `<name attr=value ...>` and push it."""
        begin = self.pos
        self.pos += 1
        name = self.read_name()
        if name not in _TAG_ENTITY:
            raise self.fail(f'Unsupported start tag "{name}"', begin)
        tag = _OpenTag(name, "", self.utf16)
        attrs = self.attributes(tag, begin)
        self.pos += 1  # '>'
        _apply_attributes(tag, attrs)
        self.check_required(tag, attrs, begin)
        self.stack.append(tag)

    def attributes(self, tag: _OpenTag, begin: int) -> dict[str, str]:
        """Parse attributes until '>' (pos ends on '>')."""
        attrs: dict[str, str] = {}
        while True:
            self.skip_spaces()
            if self.pos >= len(self.src):
                raise self.fail("Unclosed start tag", begin)
            if self.src[self.pos] == ">":
                return attrs
            attr = self.read_name()
            if not attr:
                raise self.fail(f'Empty attribute name in the tag "{tag.name}"', begin)
            self.skip_spaces()
            if self.pos >= len(self.src) or self.src[self.pos] != "=":
                if tag.name == "blockquote" and attr == "expandable":
                    tag.expandable = True
                    continue
                raise self.fail(
                    f'Expected equal sign in declaration of an attribute of the tag "{tag.name}"',
                    begin,
                )
            self.pos += 1
            self.skip_spaces()
            attrs[attr] = self.attribute_value(begin)

    def attribute_value(self, begin: int) -> str:
        """Parse a quoted string or a name token."""
        if self.pos >= len(self.src):
            raise self.fail("Unclosed start tag", begin)
        quote = self.src[self.pos]
        if quote not in "'\"":
            match = _TOKEN_RE.match(self.src, self.pos)
            end = match.end() if match else self.pos
            if end >= len(self.src) or not (self.src[end].isspace() or self.src[end] == ">"):
                raise self.fail("Unexpected end of name token", end)
            self.pos = end
            return self.src[match.start() : end].lower() if match else ""
        self.pos += 1
        chunks: list[str] = []
        while self.pos < len(self.src) and self.src[self.pos] != quote:
            if self.src[self.pos] == "&":
                chunks.append(self.entity())
            else:
                chunks.append(self.src[self.pos])
                self.pos += 1
        if self.pos >= len(self.src):
            raise self.fail("Unclosed start tag", begin)
        self.pos += 1
        return "".join(chunks)

    def check_required(self, tag: _OpenTag, attrs: dict[str, str], begin: int) -> None:
        """Enforce the attributes a tag cannot live without."""
        if tag.name == "span" and attrs.get("class") != "tg-spoiler":
            raise self.fail('Tag "span" must have class "tg-spoiler"', begin)
        if tag.name == "a" and not attrs.get("href"):
            raise self.fail('Tag "a" must have attribute "href"', begin)
        if tag.name == "tg-emoji" and not attrs.get("emoji-id"):
            raise self.fail('Tag "tg-emoji" must have attribute "emoji-id"', begin)

    def end_tag(self) -> None:
        """Parse `</name>` and close the innermost open tag."""
        begin = self.pos
        if not self.stack:
            raise self.fail("Unexpected end tag", begin)
        self.pos += 2
        name = self.read_name()
        self.skip_spaces()
        if self.pos >= len(self.src) or self.src[self.pos] != ">":
            raise self.fail("Unclosed end tag", begin)
        self.pos += 1
        expected = self.stack[-1].name
        if name != expected:
            raise self.fail(
                f"Unmatched end tag at byte offset {len(self.src[:begin].encode())}, "
                f'expected "</{expected}>", found "</{name}>"'
            )
        self.close(self.stack.pop())

    def close(self, tag: _OpenTag) -> None:
        """Turn a closed tag into a message entity."""
        length = self.utf16 - tag.offset
        if length <= 0:
            return
        entity: JSON = {"type": _TAG_ENTITY[tag.name], "offset": tag.offset, "length": length}
        if tag.name == "a":
            entity["url"] = tag.argument
        elif tag.name == "tg-emoji":
            entity["custom_emoji_id"] = tag.argument
        elif tag.name == "code" and tag.argument:
            entity["language"] = tag.argument  # only kept if merged into an enclosing <pre>
        elif tag.name == "blockquote" and tag.expandable:
            entity["type"] = "expandable_blockquote"
        elif tag.name == "pre":
            self.merge_pre_code(entity)
        self.entities.append(entity)

    def merge_pre_code(self, pre: JSON) -> None:
        """`<pre><code class="language-x">` becomes one pre entity with a language."""
        last = self.entities[-1] if self.entities else None
        if (
            last
            and last["type"] == "code"
            and last["offset"] == pre["offset"]
            and last["length"] == pre["length"]
            and last.get("language")
        ):
            pre["language"] = self.entities.pop()["language"]


def _decode_entity(body: str) -> str | None:
    """Decode the inside of `&...;`, None if Telegram does not know it."""
    if not body.startswith("#"):
        return _NAMED_ENTITIES.get(body)
    code = int(body[2:], 16) if body[1:2] in ("x", "X") else int(body[1:])
    if code == 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        return None
    return chr(code)


def _apply_attributes(tag: _OpenTag, attrs: dict[str, str]) -> None:
    """Store the one attribute each tag cares about as its argument."""
    if tag.name == "a":
        tag.argument = attrs.get("href", "")
    elif tag.name == "tg-emoji":
        tag.argument = attrs.get("emoji-id", "")
    elif tag.name == "code" and attrs.get("class", "").startswith("language-"):
        tag.argument = attrs["class"][len("language-") :]


def strip_text(parsed: ParsedText) -> ParsedText:
    """Trim surrounding whitespace like Telegram does and shift entities accordingly."""
    text = parsed.text
    stripped = text.strip()
    lead = utf16_len(text[: len(text) - len(text.lstrip())])
    total = utf16_len(stripped)
    entities: list[JSON] = []
    for entity in parsed.entities:
        start = max(entity["offset"] - lead, 0)
        end = min(entity["offset"] + entity["length"] - lead, total)
        if end > start:
            entities.append({**entity, "offset": start, "length": end - start})
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return ParsedText(stripped, tuple(entities))


def parse_html(source: str, *, strict: bool = True) -> ParsedText:
    """Parse Telegram HTML into visible text + entities; raises HtmlParseError."""
    return _parse_html(source, strict)


def clear_caches() -> None:
    """Forget the parsed texts and keyboards (a long benchmark keeps its memory flat)."""
    _parse_html.cache_clear()
    _parse_markup_json.cache_clear()


# Bots send the same screens again and again (a page of a list, a menu); parsing each text
# once keeps the fake's own CPU time out of what benchmarks measure. Errors are not cached.
# The entities are shared between the messages that have the same text: nobody changes them.
@functools.lru_cache(maxsize=4096)
def _parse_html(source: str, strict: bool) -> ParsedText:
    scanner = _HtmlScanner(source, strict=strict)
    parsed = scanner.run()
    for entity in parsed.entities:
        if entity["type"] == "code" and "language" in entity:
            del entity["language"]
    return strip_text(parsed)


def html_to_text(html: str) -> str:
    """What the user sees for a message sent with parse_mode=HTML."""
    return parse_html(html).text


# --------------------------------------------------------------------------- texts


def format_text(
    raw: Any, parse_mode: Any, entities: Any = None, *, caption: bool, strict_html: bool = True
) -> ParsedText:
    """What the user sees of a text or caption, or Telegram's refusal (bad HTML, empty, too
    long). Markdown is not interpreted: the text is kept as sent, with the given entities."""
    if not isinstance(raw, str) or not raw:
        if caption:
            return ParsedText("")
        raise ApiError(400, TEXT_EMPTY)
    mode = str(parse_mode or "").lower()
    if mode == "html":
        try:
            parsed = parse_html(raw, strict=strict_html)
        except HtmlParseError as exc:
            raise bad_request(f"can't parse entities: {exc}") from None
    elif mode in ("", "none", "markdown", "markdownv2"):
        given = json_param(entities, "entities") or ()
        parsed = strip_text(ParsedText(raw, tuple(given)))
    else:
        raise bad_request("unsupported parse_mode")
    if not caption and not parsed.text:
        raise ApiError(400, TEXT_EMPTY)
    if utf16_len(parsed.text) > (MAX_CAPTION if caption else MAX_TEXT):
        raise bad_request("message caption is too long" if caption else "message is too long")
    return parsed


def check_callback_answer(text: Any) -> None:
    """answerCallbackQuery's text: at most 200 characters."""
    if isinstance(text, str) and len(text) > MAX_CALLBACK_ANSWER:
        raise bad_request("MESSAGE_TOO_LONG")


# --------------------------------------------------------------------------- keyboards


@dataclass(frozen=True)
class InlineButton:
    """One inline keyboard button as the bot sent it."""

    text: str
    raw: JSON = field(hash=False)

    @property
    def action(self) -> str | None:
        """What pressing it does: "callback_data", "url", ... (see BUTTON_ACTIONS)."""
        return button_action(self.raw)

    @property
    def callback_data(self) -> str | None:
        """The button's callback_data, if it is a callback button."""
        return str(self.raw["callback_data"]) if self.action == "callback_data" else None

    @property
    def url(self) -> str | None:
        """The button's url, if it is a URL button."""
        return str(self.raw["url"]) if self.action == "url" else None


def find_button(rows: Sequence[Sequence[InlineButton]], label: str, where: str) -> InlineButton:
    """The button whose text is label, else the one whose text contains it, as a test taps it
    (an AssertionError naming `where`, the message, if none or several match)."""
    flat = [button for row in rows for button in row]
    hits = [b for b in flat if b.text == label] or [b for b in flat if label in b.text]
    if len(hits) != 1:
        problem = "No" if not hits else f"Ambiguous ({len(hits)})"
        raise AssertionError(
            f"{problem} button matching {label!r} in {where}; "
            f"available buttons: {[b.text for b in flat]!r}"
        )
    return hits[0]


def button_action(raw: JSON) -> str | None:
    """The action the Bot API server reads from a button (the first of BUTTON_ACTIONS present;
    an empty url or callback_data counts as absent), None for a text-only button."""
    for action in BUTTON_ACTIONS:
        value = raw.get(action)
        if action in ("url", "callback_data"):
            if value not in (None, ""):
                return action
        elif action in raw:
            return action
    return None


Keyboards = tuple[list[list[InlineButton]], list[list[str]] | None]


def parse_markup(markup: Any) -> Keyboards:
    """Validate reply_markup as Telegram does; return (inline rows, reply-keyboard labels or
    None). No markup, `{}` or one without a keyboard is no keyboard, as in Telegram."""
    if isinstance(markup, str):  # as sent over HTTP: the same keyboards come again and again
        inline, reply = _parse_markup_json(markup)
        return [list(row) for row in inline], (
            None if reply is None else [list(row) for row in reply]
        )
    return _parse_markup(markup)


@functools.lru_cache(maxsize=4096)
def _parse_markup_json(
    markup: str,
) -> tuple[tuple[tuple[InlineButton, ...], ...], tuple[tuple[str, ...], ...] | None]:
    """parse_markup of a JSON string, remembered (errors are not: they raise each time)."""
    inline, reply = _parse_markup(markup)
    return tuple(tuple(row) for row in inline), (
        None if reply is None else tuple(tuple(row) for row in reply)
    )


def _parse_markup(markup: Any) -> Keyboards:
    """The Bot API server reads the whole markup (JSON-level errors), then Telegram checks the
    buttons (limits, texts, data, URLs)."""
    if markup is None or markup == "":
        return [], None
    if isinstance(markup, str):
        try:
            markup = json.loads(markup)
        except ValueError:
            raise bad_request("can't parse reply keyboard markup JSON object") from None
    if not isinstance(markup, dict):
        raise bad_request("object expected as reply markup")
    reply = [
        [_keyboard_button(button) for button in row]
        for row in _rows(markup, "keyboard", 'field "keyboard" must be an Array of Arrays')
    ]
    inline = [
        [_inline_button(button) for button in row]
        for row in _rows(
            markup,
            "inline_keyboard",
            'field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays',
        )
    ]
    if reply:
        return [], reply
    if sum(len(row) for row in inline) > MAX_INLINE_BUTTONS:
        raise bad_request("reply markup is too long")
    for row in inline:
        for button in row:
            _check_button(button)
    return [row for row in inline if row], None


def _rows(markup: JSON, name: str, not_rows: str) -> list[list[Any]]:
    """The rows of a keyboard field ([] when absent)."""
    rows = markup.get(name)
    if rows is None:
        return []
    if not isinstance(rows, list):
        raise bad_request(f'field "{name}" must be of type Array')
    if not all(isinstance(row, list) for row in rows):
        raise bad_request(not_rows)
    return rows


def _string_field(raw: JSON, name: str, *, required: bool) -> str:
    """A string field as the Bot API server reads it (a number is taken as its digits)."""
    value = raw.get(name)
    if value is None:
        if required:
            raise ValueError(f'Can\'t find field "{name}"')
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    raise ValueError(f'Field "{name}" must be of type String')


def _inline_button(raw: Any) -> InlineButton:
    """One inline button as the Bot API server reads it."""
    try:
        if not isinstance(raw, dict):
            raise ValueError("InlineKeyboardButton must be an Object")
        text = _string_field(raw, "text", required=True)
        for name in ("url", "callback_data"):
            _string_field(raw, name, required=False)
        if button_action(raw) is None:
            raise ValueError("Text buttons are unallowed in the inline keyboard")
    except ValueError as exc:
        raise bad_request(f"can't parse inline keyboard button: {exc}") from None
    return InlineButton(text, dict(raw))


def _keyboard_button(raw: Any) -> str:
    """One reply-keyboard button's label."""
    try:
        if isinstance(raw, str):
            return raw
        if not isinstance(raw, dict):
            raise ValueError("KeyboardButton must be a String or an Object")
        return _string_field(raw, "text", required=True)
    except ValueError as exc:
        raise bad_request(f"can't parse keyboard button: {exc}") from None


def _check_button(button: InlineButton) -> None:
    """What Telegram itself refuses in a button the Bot API server could read."""
    if not button.text.strip():
        raise bad_request("BUTTON_TEXT_INVALID")
    action = button.action
    if action == "callback_data":
        data = str(button.raw["callback_data"])
        if len(data.encode()) > MAX_CALLBACK_DATA_BYTES:
            raise bad_request("BUTTON_DATA_INVALID")
    elif action == "url" and not valid_url(button.raw["url"]):
        raise bad_request("BUTTON_URL_INVALID")


def same_keyboard(new: list[list[InlineButton]], old: list[list[InlineButton]]) -> bool:
    """True if two inline keyboards are identical (an edit to it would change nothing)."""
    return [[b.raw for b in row] for row in new] == [[b.raw for b in row] for row in old]


# --------------------------------------------------------------------------- bot settings


def check_commands(commands: Any) -> list[JSON]:
    """setMyCommands' list as Telegram checks it: at most 100 commands of 1-32 characters
    a-z, 0-9, _, each with a description of 1-256 characters."""
    value = json_param(commands, "commands")
    if value is None:
        return []
    if not isinstance(value, list):
        raise bad_request("expected an Array of BotCommand")
    if not all(isinstance(command, dict) for command in value):
        raise bad_request("can't parse BotCommand: expected an Object")
    if len(value) > MAX_COMMANDS:
        raise bad_request("BOT_COMMANDS_TOO_MUCH")
    for command in value:
        if not _COMMAND_RE.fullmatch(str(command.get("command", ""))):
            raise bad_request("BOT_COMMAND_INVALID")
        description = str(command.get("description", "")).strip()
        if not 1 <= len(description) <= MAX_COMMAND_DESCRIPTION:
            raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
    return [dict(command) for command in value]


def check_language_code(code: Any) -> str:
    """The language_code of the command lists: empty (all languages) or two letters."""
    text = str(code or "")
    if text and not _LANGUAGE_RE.fullmatch(text):
        raise bad_request("invalid language code specified")
    return text


def check_webhook(url: str, secret_token: Any) -> None:
    """setWebhook: a secret token of at most 256 characters A-Z, a-z, 0-9, _ and - (checked
    first, by the Bot API server), then an HTTPS URL on one of Telegram's ports."""
    secret = "" if secret_token is None else str(secret_token)
    if len(secret) > 256:
        raise bad_request("secret token is too long")
    if not _SECRET_RE.fullmatch(secret):
        raise bad_request("secret token contains unallowed characters")
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:  # not a number, or out of range
        port = -1
    if parts.scheme != "https" or not parts.hostname or port == -1:
        raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
    if port not in (None, *WEBHOOK_PORTS):
        raise bad_request("bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443")


def webhook_connections(value: Any) -> int:
    """max_connections as Telegram keeps it: 40 when not given, else clamped to 1-100."""
    if value in (None, ""):
        return DEFAULT_WEBHOOK_CONNECTIONS
    try:
        number = int(value)
    except (TypeError, ValueError):
        return DEFAULT_WEBHOOK_CONNECTIONS
    return max(1, min(number, MAX_WEBHOOK_CONNECTIONS))


# --------------------------------------------------------------------------- files


def check_photo(content: bytes) -> None:
    """Telegram's limits for sendPhoto: an image, at most 10 MB, width + height at most 10000,
    aspect ratio at most 20 (dimensions checked for PNG, whose header is easy to read)."""
    if len(content) > MAX_PHOTO_BYTES:
        raise bad_request("file is too big")
    if not content.startswith(_IMAGE_MAGIC):
        raise bad_request("IMAGE_PROCESS_FAILED")
    if content.startswith(_IMAGE_MAGIC[0]):
        if len(content) < 24 or content[12:16] != b"IHDR":
            raise bad_request("IMAGE_PROCESS_FAILED")
        width, height = int.from_bytes(content[16:20]), int.from_bytes(content[20:24])
        if width == 0 or height == 0 or width + height > 10000:
            raise bad_request("PHOTO_INVALID_DIMENSIONS")
        if max(width, height) / min(width, height) > 20:
            raise bad_request("PHOTO_INVALID_DIMENSIONS")
