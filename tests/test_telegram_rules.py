"""Both offline transports refuse what Telegram refuses, with Telegram's words.

Every case goes, as python-telegram-bot would send it, to the in-process fake
(`bot.offline.fake_api`) and to the HTTP emulator's request handler (`tests/botapi_server.py`,
the form-encoded body it would read from the socket); both must answer alike. The rules live
once, in `bot.offline.telegram_rules`; this table keeps the two transports from drifting apart.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

import pytest
from botapi_server import BotApiEmulator
from telegram.request import RequestData
from telegram.request._requestparameter import RequestParameter

from bot.offline.fake_api import FakeBotApi
from bot.offline.telegram_rules import NOT_MODIFIED, QUERY_TOO_OLD

TOKEN = "123456:EMU-TOKEN-abcdefgh"
CHAT = 4711
KEYBOARD = {"inline_keyboard": [[{"text": "Ja", "callback_data": "y"}]]}
FIRST = {"chat_id": CHAT, "text": "Hallo", "reply_markup": KEYBOARD}  # message 1 of every case


def button(**fields: Any) -> dict[str, Any]:
    """A reply_markup with this one inline button."""
    return {"inline_keyboard": [[fields]]}


def command(name: str = "start", description: str = "Los geht's") -> dict[str, str]:
    return {"command": name, "description": description}


BAD = "Bad Request: "
UNALLOWED = BAD + (
    "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
)

# (method, parameters, the description of Telegram's refusal or None for accepted)
CASES: list[tuple[str, dict[str, Any], str | None]] = [
    # texts
    ("sendMessage", {"text": ""}, BAD + "message text is empty"),
    ("sendMessage", {"text": " \n "}, BAD + "message text is empty"),
    ("sendMessage", {"text": "<b> </b>", "parse_mode": "HTML"}, BAD + "message text is empty"),
    (
        "sendMessage",
        {"text": "<b>kaputt", "parse_mode": "HTML"},
        BAD + "can't parse entities: Can't find end tag corresponding to start tag \"b\"",
    ),
    (
        "sendMessage",
        {"text": "Tom & Jerry", "parse_mode": "HTML"},
        BAD + 'can\'t parse entities: Unsupported HTML entity or unescaped "&" ("&") at byte '
        "offset 4",
    ),
    ("sendMessage", {"text": "x" * 4097}, BAD + "message is too long"),
    ("sendMessage", {"text": "x" * 4096}, None),
    ("sendMessage", {"text": "<b>x</b>" + "x" * 4095, "parse_mode": "HTML"}, None),
    ("sendMessage", {"text": "x", "parse_mode": "HTMLX"}, BAD + "unsupported parse_mode"),
    # keyboards
    (
        "sendMessage",
        {"reply_markup": button(text="   ", callback_data="y")},
        BAD + "BUTTON_TEXT_INVALID",
    ),
    (
        "sendMessage",
        {"reply_markup": button(text="", callback_data="y")},
        BAD + "BUTTON_TEXT_INVALID",
    ),
    (
        "sendMessage",
        {"reply_markup": button(callback_data="y")},
        BAD + "can't parse inline keyboard button: Can't find field \"text\"",
    ),
    (
        "sendMessage",
        {"reply_markup": button(text=["Ja"], callback_data="y")},
        BAD + 'can\'t parse inline keyboard button: Field "text" must be of type String',
    ),
    ("sendMessage", {"reply_markup": button(text="Ja")}, UNALLOWED),
    ("sendMessage", {"reply_markup": button(text="Ja", callback_data="")}, UNALLOWED),
    (
        "sendMessage",
        {"reply_markup": button(text="Ja", callback_data="ä" * 32 + "x")},
        BAD + "BUTTON_DATA_INVALID",
    ),
    ("sendMessage", {"reply_markup": button(text="Ja", callback_data="ä" * 32)}, None),
    (
        "sendMessage",
        {"reply_markup": button(text="Web", url="ftp://example.org")},
        BAD + "BUTTON_URL_INVALID",
    ),
    (
        "sendMessage",
        {"reply_markup": button(text="Web", url="https://example.org", callback_data="y")},
        None,
    ),
    (
        "sendMessage",
        {
            "reply_markup": {
                "inline_keyboard": [[{"text": str(i), "callback_data": str(i)}] for i in range(101)]
            }
        },
        BAD + "reply markup is too long",
    ),
    ("sendMessage", {"reply_markup": "{}"}, None),
    ("sendMessage", {"reply_markup": {"inline_keyboard": [[]]}}, None),
    ("sendMessage", {"reply_markup": "[]"}, BAD + "object expected as reply markup"),
    ("sendMessage", {"reply_markup": "{"}, BAD + "can't parse reply keyboard markup JSON object"),
    (
        "sendMessage",
        {"reply_markup": {"inline_keyboard": [{"text": "Ja", "callback_data": "y"}]}},
        BAD + 'field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays',
    ),
    # edits of message 1
    ("editMessageText", {"message_id": 1, "text": "Hallo", "reply_markup": KEYBOARD}, NOT_MODIFIED),
    ("editMessageText", {"message_id": 1, "text": "Hallo"}, None),  # the keyboard goes
    ("editMessageText", {"message_id": 9, "text": "Neu"}, BAD + "message to edit not found"),
    ("editMessageReplyMarkup", {"message_id": 1, "reply_markup": KEYBOARD}, NOT_MODIFIED),
    ("editMessageReplyMarkup", {"message_id": 1, "reply_markup": "{}"}, None),
    ("deleteMessage", {"message_id": 9}, BAD + "message to delete not found"),
    # button answers
    ("answerCallbackQuery", {"callback_query_id": "1"}, QUERY_TOO_OLD),
    (
        "answerCallbackQuery",
        {"callback_query_id": "1", "text": "x" * 201},
        BAD + "MESSAGE_TOO_LONG",
    ),
    # command menus
    ("setMyCommands", {"commands": [command()]}, None),
    (
        "setMyCommands",
        {"commands": [command(str(i)) for i in range(101)]},
        BAD + "BOT_COMMANDS_TOO_MUCH",
    ),
    ("setMyCommands", {"commands": [command("Start")]}, BAD + "BOT_COMMAND_INVALID"),
    (
        "setMyCommands",
        {"commands": [command(description=" ")]},
        BAD + "BOT_COMMAND_DESCRIPTION_INVALID",
    ),
    ("setMyCommands", {"commands": "nope"}, BAD + "can't parse commands JSON object"),
    (
        "setMyCommands",
        {"commands": [command()], "language_code": "deu"},
        BAD + "invalid language code specified",
    ),
    # webhooks
    ("setWebhook", {"url": "https://bot.example.org/t", "secret_token": "s3cr3t_-"}, None),
    (
        "setWebhook",
        {"url": "http://bot.example.org/t"},
        BAD + "bad webhook: An HTTPS URL must be provided for webhook",
    ),
    (
        "setWebhook",
        {"url": "https://bot.example.org:8080/t"},
        BAD + "bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443",
    ),
    (
        "setWebhook",
        {"url": "https://bot.example.org/t", "secret_token": "with space"},
        BAD + "secret token contains unallowed characters",
    ),
    (
        "setWebhook",
        {"url": "https://bot.example.org/t", "secret_token": "x" * 257},
        BAD + "secret token is too long",
    ),
]


def request_data(method: str, params: dict[str, Any]) -> RequestData:
    """The request python-telegram-bot builds (chat_id and a text filled in where needed)."""
    if method.startswith(("send", "edit", "delete")):
        params = {"chat_id": CHAT, **params}
    if method == "sendMessage":
        params = {"text": "Frage?", **params}
    return RequestData([RequestParameter.from_input(k, v) for k, v in params.items()])


async def via_fake(method: str, params: dict[str, Any]) -> tuple[int, str]:
    """(status, description) of the in-process fake, after message 1 was sent."""
    api = FakeBotApi()
    url = f"https://api.telegram.org/bot{TOKEN}"
    status, _ = await api.do_request(
        f"{url}/sendMessage", "POST", request_data("sendMessage", FIRST)
    )
    assert status == 200
    status, body = await api.do_request(f"{url}/{method}", "POST", request_data(method, params))
    return status, json.loads(body).get("description", "")


def via_emulator(method: str, params: dict[str, Any]) -> tuple[int, str]:
    """(status, description) of the HTTP emulator's handler, on the form-encoded body."""
    emulator = BotApiEmulator(TOKEN)  # not listening: the handler is called directly
    emulator.user(CHAT)
    form = "application/x-www-form-urlencoded"

    def post(name: str, data: RequestData) -> tuple[int, dict[str, Any]]:
        body = urlencode(data.json_parameters).encode()
        return emulator.handle(f"/bot{TOKEN}/{name}", "", form, body)

    assert post("sendMessage", request_data("sendMessage", FIRST))[0] == 200
    status, payload = post(method, request_data(method, params))
    return status, payload.get("description", "")


@pytest.mark.parametrize(
    ("method", "params", "refusal"),
    CASES,
    ids=[f"{i:02d}-{case[0]}-{case[2] or 'accepted'}"[:80] for i, case in enumerate(CASES)],
)
async def test_both_transports_answer_like_telegram(
    method: str, params: dict[str, Any], refusal: str | None
) -> None:
    fake, emulator = await via_fake(method, params), via_emulator(method, params)
    expected = (200, "") if refusal is None else (400, refusal)
    assert fake == expected
    assert emulator == expected
