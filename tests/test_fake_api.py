"""Tests for the in-process Bot API fake (bot.offline.fake_api) and the FakeUser driver (bot.offline.fake_user)."""

from __future__ import annotations

import asyncio
import datetime as dtm
import html
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest, EndPointNotFound, Forbidden, RetryAfter, TimedOut
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    ExtBot,
    MessageHandler,
    filters,
)

from bot.offline.fake_api import FakeBotApi, SentMessage
from bot.offline.fake_user import FakeUser, UpdateFactory
from bot.offline.telegram_rules import (
    NOT_MODIFIED,
    QUERY_TOO_OLD,
    HtmlParseError,
    html_to_text,
    parse_html,
)

Ctx = ContextTypes.DEFAULT_TYPE
AnyApp = Application[Any, Any, Any, Any, Any, Any]
KEYBOARD = InlineKeyboardMarkup(
    [
        [
            InlineKeyboardButton("Ja", callback_data="yes"),
            InlineKeyboardButton("Nein", callback_data="no"),
        ],
        [InlineKeyboardButton("Mehr erfahren", url="https://example.org/info")],
    ]
)


@dataclass
class FakeEnv:
    """A running Application wired to a FakeBotApi, plus one FakeUser."""

    api: FakeBotApi
    app: AnyApp
    user: FakeUser
    errors: list[BaseException] = field(default_factory=list)

    def reply_with(self, text: str, **kwargs: Any) -> None:
        """Register a text handler that replies with `text`."""

        async def handler(update: Update, context: Ctx) -> None:
            assert update.effective_message is not None
            await update.effective_message.reply_text(text, **kwargs)

        self.app.add_handler(MessageHandler(filters.TEXT, handler))


def build_app(api: FakeBotApi, *, with_updater: bool = False) -> AnyApp:
    """A real PTB Application whose bot talks to the fake."""
    builder = ApplicationBuilder().bot(ExtBot(token="1:TEST", request=api, get_updates_request=api))
    if not with_updater:
        builder = builder.updater(None)
    return builder.build()


@asynccontextmanager
async def running(api: FakeBotApi) -> AsyncIterator[FakeEnv]:
    """Initialise the app, collect handler errors, hand out a FakeUser."""
    app = build_app(api)
    env = FakeEnv(api, app, FakeUser(app, api))

    async def on_error(update: object, context: Ctx) -> None:
        assert context.error is not None
        env.errors.append(context.error)

    app.add_error_handler(on_error)
    async with app:
        yield env


@pytest.fixture
async def fake_env() -> AsyncIterator[FakeEnv]:
    """Default environment with a fixed wall clock."""
    async with running(FakeBotApi(wall_clock=lambda: 1_700_000_000.0)) as env:
        yield env


# --------------------------------------------------------------------------- basics


async def test_echo_is_recorded_and_visible(fake_env: FakeEnv) -> None:
    async def echo(update: Update, context: Ctx) -> None:
        assert update.message is not None and update.message.text is not None
        await update.message.reply_text(f"Echo: {update.message.text}")

    fake_env.app.add_handler(MessageHandler(filters.TEXT, echo))
    await fake_env.user.send("Hallo")
    await fake_env.user.send("Zweites")

    assert fake_env.user.texts() == ["Echo: Hallo", "Echo: Zweites"]
    assert fake_env.user.last.text == "Echo: Zweites"
    # user and bot messages share the per-chat message_id sequence
    assert [m.message_id for m in fake_env.user.messages] == [2, 4]
    assert [c.endpoint for c in fake_env.api.calls] == ["getMe", "sendMessage", "sendMessage"]
    assert fake_env.api.calls_to("sendmessage")[0].params["chat_id"] == 4711
    assert fake_env.api.bot_user["username"] == "IdeenlaborBot"
    assert fake_env.app.bot.username == "IdeenlaborBot"
    fake_env.api.assert_no_errors()


async def test_command_with_args_carries_bot_command_entity(fake_env: FakeEnv) -> None:
    seen: list[tuple[list[str], str]] = []

    async def start(update: Update, context: Ctx) -> None:
        assert update.effective_user is not None
        seen.append((list(context.args or []), update.effective_user.language_code or ""))

    fake_env.app.add_handler(CommandHandler("start", start))
    raw = await fake_env.user.command("start", "idea_foo")
    await fake_env.user.send("/start")

    assert seen == [(["idea_foo"], "de"), ([], "de")]
    assert raw["entities"] == [{"type": "bot_command", "offset": 0, "length": 6}]
    assert raw["from"] == {
        "id": 4711,
        "is_bot": False,
        "first_name": "Erika",
        "language_code": "de",
    }


async def test_non_text_and_non_private_updates_reach_handlers(fake_env: FakeEnv) -> None:
    seen: list[str] = []

    async def note(update: Update, context: Ctx) -> None:
        message = update.effective_message
        assert message is not None and update.effective_chat is not None
        kind = (
            "sticker"
            if message.sticker
            else "photo"
            if message.photo
            else "voice"
            if message.voice
            else "text"
        )
        edited = "edited " if update.edited_message else ""
        seen.append(f"{edited}{kind}@{update.effective_chat.type}")

    fake_env.app.add_handler(MessageHandler(filters.ALL, note))
    factory = UpdateFactory(fake_env.api)
    user = fake_env.user
    await user.send_sticker()
    await user.send_photo()
    await user.send_voice()
    original = await user.send("erst")
    await user.edit(original, "dann")
    await user.process(factory.group_message(user.user, "hallo gruppe"))
    await user.process(factory.channel_post("Kanalpost"))

    assert seen == [
        "sticker@private",
        "photo@private",
        "voice@private",
        "text@private",
        "edited text@private",
        "text@group",
        "text@channel",
    ]


async def test_user_photo_can_be_downloaded(fake_env: FakeEnv) -> None:
    downloaded: list[bytes] = []

    async def on_photo(update: Update, context: Ctx) -> None:
        assert update.message is not None
        file = await update.message.photo[-1].get_file()
        downloaded.append(bytes(await file.download_as_bytearray()))

    fake_env.app.add_handler(MessageHandler(filters.PHOTO, on_photo))
    await fake_env.user.send_photo(content=b"JPEGDATA")
    assert downloaded == [b"JPEGDATA"]


# --------------------------------------------------------------------------- HTML


async def test_valid_html_is_parsed_into_text_and_entities(fake_env: FakeEnv) -> None:
    returned = []

    async def reply(update: Update, context: Ctx) -> None:
        assert update.message is not None
        returned.append(
            await update.message.reply_html(
                '<b>Fett</b> &amp; <i>kursiv</i> &lt;3 <a href="https://x.org/?a=1&amp;b=2">Link</a>'
            )
        )

    fake_env.app.add_handler(MessageHandler(filters.TEXT, reply))
    await fake_env.user.send("x")

    last = fake_env.user.last
    assert last.text == "Fett & kursiv <3 Link"
    assert last.html.startswith("<b>Fett</b> &amp;")
    assert last.parse_mode == "HTML"
    assert [e["type"] for e in last.entities] == ["bold", "italic", "text_link"]
    assert last.entities[2]["url"] == "https://x.org/?a=1&b=2"
    # the bot gets Telegram-shaped entities back, so PTB can reconstruct the HTML
    assert returned[0].text_html.startswith("<b>Fett</b> &amp; <i>kursiv</i> &lt;3")
    fake_env.api.assert_no_errors()


@pytest.mark.parametrize(
    ("markup", "detail"),
    [
        ("<foo>x</foo>", 'Unsupported start tag "foo" at byte offset 0'),
        ("Ä <br>", 'Unsupported start tag "br" at byte offset 3'),
        ("1 < 2", 'Unsupported start tag "" at byte offset 2'),
        ("<b>offen", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<b><i>x</b></i>", 'expected "</i>", found "</b>"'),
        ("zu</b>", "Unexpected end tag at byte offset 2"),
        ("Tom & Jerry", "unescaped"),
        ("&nbsp;Text", "&nbsp;"),
        ('<span class="x">s</span>', 'Tag "span" must have class "tg-spoiler"'),
        ("<a>kein href</a>", 'Tag "a" must have attribute "href"'),
    ],
)
async def test_invalid_html_is_rejected(fake_env: FakeEnv, markup: str, detail: str) -> None:
    fake_env.reply_with(markup, parse_mode="HTML")
    await fake_env.user.send("x")

    assert len(fake_env.errors) == 1
    assert isinstance(fake_env.errors[0], BadRequest)
    assert fake_env.user.messages == []
    [rejected] = fake_env.api.errors
    assert rejected.status == 400
    assert rejected.description.startswith("Bad Request: can't parse entities: ")
    assert detail in rejected.description


def test_html_to_text_unescapes_and_strips() -> None:
    assert (
        html_to_text("  <b>a</b> &lt;tag&gt; &amp; &quot;q&quot; &#39;s&#x27; \n")
        == "a <tag> & \"q\" 's'"
    )
    assert html_to_text('<pre><code class="language-py">x = 1</code></pre>') == "x = 1"
    assert parse_html('<pre><code class="language-py">x</code></pre>').entities == (
        {"type": "pre", "offset": 0, "length": 1, "language": "py"},
    )
    assert (
        parse_html("<blockquote expandable>q</blockquote>").entities[0]["type"]
        == "expandable_blockquote"
    )
    assert parse_html("😀<u>x</u>").entities == ({"type": "underline", "offset": 2, "length": 1},)
    with pytest.raises(HtmlParseError):
        html_to_text("<script>")


def test_lenient_mode_matches_tdlib_for_bare_ampersands() -> None:
    assert parse_html("Tom & Jerry &foo; &lt", strict=False).text == "Tom & Jerry &foo; <"


@given(st.text())
def test_escaped_text_round_trips(text: str) -> None:
    assert html_to_text(html.escape(text)) == text.strip()


# --------------------------------------------------------------------------- length limits


@pytest.mark.parametrize(
    ("text", "accepted"),
    [
        ("<b>" + "x" * 4096 + "</b>", True),
        ("<b>" + "x" * 4097 + "</b>", False),
        ("&lt;" * 4096, True),
        ("😀" * 2048, True),  # 4096 UTF-16 code units
        ("😀" * 2049, False),  # only 2049 code points, but 4098 UTF-16 units
    ],
)
async def test_text_limit_is_measured_after_entity_parsing(
    fake_env: FakeEnv, text: str, accepted: bool
) -> None:
    fake_env.reply_with(text, parse_mode="HTML")
    await fake_env.user.send("x")

    assert len(fake_env.user.messages) == (1 if accepted else 0)
    if not accepted:
        assert [e.description for e in fake_env.api.errors] == ["Bad Request: message is too long"]
        assert str(fake_env.errors[0]) == "Message is too long"


@pytest.mark.parametrize("text", ["", "   \n ", "<b></b>"])
async def test_empty_text_is_rejected(fake_env: FakeEnv, text: str) -> None:
    async def reply(update: Update, context: Ctx) -> None:
        await context.bot.send_message(4711, text, parse_mode="HTML")

    fake_env.app.add_handler(MessageHandler(filters.TEXT, reply))
    await fake_env.user.send("x")
    assert [e.description for e in fake_env.api.errors] == ["Bad Request: message text is empty"]


async def test_caption_limit(fake_env: FakeEnv) -> None:
    async def reply(update: Update, context: Ctx) -> None:
        assert update.message is not None
        await update.message.reply_document(b"1", filename="a.txt", caption="c" * 1024)
        await update.message.reply_document(b"2", filename="b.txt", caption="c" * 1025)

    fake_env.app.add_handler(MessageHandler(filters.TEXT, reply))
    await fake_env.user.send("x")
    assert [m.document.filename for m in fake_env.user.messages if m.document] == ["a.txt"]
    assert fake_env.api.errors[0].description == "Bad Request: message caption is too long"


# --------------------------------------------------------------------------- keyboards


async def test_keyboard_tap_answer_and_edit(fake_env: FakeEnv) -> None:
    async def show(update: Update, context: Ctx) -> None:
        assert update.message is not None
        await update.message.reply_text("Frage?", reply_markup=KEYBOARD)

    async def on_tap(update: Update, context: Ctx) -> None:
        query = update.callback_query
        assert query is not None and isinstance(query.message, Message)
        assert query.message.reply_markup == KEYBOARD  # the stored message came back
        await query.answer(f"Gewählt: {query.data}", show_alert=query.data == "no")
        await query.edit_message_text(f"Antwort: {query.data}")

    fake_env.app.add_handler(MessageHandler(filters.TEXT, show))
    fake_env.app.add_handler(CallbackQueryHandler(on_tap))
    user = fake_env.user
    await user.send("los")
    assert user.last.buttons == [["Ja", "Nein"], ["Mehr erfahren"]]
    assert user.last.callback_data("Nein") == "no"
    question = user.last

    await user.tap("Ja")
    assert question.text == "Antwort: yes"
    assert question.edited == 1
    assert question.reply_markup == []  # editMessageText without markup drops the keyboard
    assert [(a.text, a.show_alert) for a in user.answers] == [("Gewählt: yes", False)]

    await user.send("nochmal")
    await user.tap("Nei")  # unique substring match
    assert user.answers[-1].show_alert is True
    assert user.texts() == ["Antwort: yes", "Antwort: no"]
    fake_env.api.assert_no_errors()


async def test_tap_missing_or_ambiguous_label_lists_buttons(fake_env: FakeEnv) -> None:
    fake_env.reply_with("Frage?", reply_markup=KEYBOARD)
    await fake_env.user.send("los")

    with pytest.raises(
        AssertionError,
        match=r"No button matching 'Vielleicht'.*"
        r"\['Ja', 'Nein', 'Mehr erfahren'\]",
    ):
        await fake_env.user.tap("Vielleicht")
    with pytest.raises(AssertionError, match=r"Ambiguous \(2\) button matching 'e'"):
        await fake_env.user.tap("e")
    with pytest.raises(AssertionError, match="not a callback button"):
        await fake_env.user.tap("Mehr erfahren")


async def test_tap_without_any_keyboard_fails_clearly(fake_env: FakeEnv) -> None:
    fake_env.reply_with("Nur Text")
    await fake_env.user.send("los")
    with pytest.raises(AssertionError, match=r"no bot message with an inline keyboard.*Nur Text"):
        await fake_env.user.tap("Ja")


async def test_forged_callback_data_reaches_handler(fake_env: FakeEnv) -> None:
    seen: list[str | None] = []

    async def on_tap(update: Update, context: Ctx) -> None:
        assert update.callback_query is not None
        seen.append(update.callback_query.data)

    fake_env.reply_with("Frage?", reply_markup=KEYBOARD)
    fake_env.app.add_handler(CallbackQueryHandler(on_tap))
    await fake_env.user.send("los")
    await fake_env.user.tap_data("admin:delete_all")
    assert seen == ["admin:delete_all"]


@pytest.mark.parametrize(
    ("button", "description"),
    [
        (InlineKeyboardButton("x", callback_data="ä" * 32 + "x"), "BUTTON_DATA_INVALID"),  # 65 B
        (  # the Bot API server reads an empty callback_data as none: a button without action
            InlineKeyboardButton("x", callback_data=""),
            "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard",
        ),
        (InlineKeyboardButton("x", url="ftp://example.org"), "BUTTON_URL_INVALID"),
        (InlineKeyboardButton("x", url="javascript:alert(1)"), "BUTTON_URL_INVALID"),
    ],
)
async def test_invalid_buttons_are_rejected(
    fake_env: FakeEnv, button: InlineKeyboardButton, description: str
) -> None:
    fake_env.reply_with("Frage?", reply_markup=InlineKeyboardMarkup([[button]]))
    await fake_env.user.send("los")
    assert [e.description for e in fake_env.api.errors] == [f"Bad Request: {description}"]
    assert isinstance(fake_env.errors[0], BadRequest)


@pytest.mark.parametrize(
    ("button", "label"),
    [
        (InlineKeyboardButton("64", callback_data="ä" * 32), "64"),  # exactly 64 bytes
        (InlineKeyboardButton("tg", url="tg://resolve?domain=IdeenlaborBot"), "tg"),
    ],
)
async def test_boundary_buttons_are_accepted(
    fake_env: FakeEnv, button: InlineKeyboardButton, label: str
) -> None:
    fake_env.reply_with("Frage?", reply_markup=InlineKeyboardMarkup([[button]]))
    await fake_env.user.send("los")
    assert fake_env.user.last.button_labels() == [label]
    fake_env.api.assert_no_errors()


async def test_more_than_100_buttons_is_rejected(fake_env: FakeEnv) -> None:
    rows = [[InlineKeyboardButton(str(i), callback_data=str(i))] for i in range(101)]
    fake_env.reply_with("Viele", reply_markup=InlineKeyboardMarkup(rows))
    await fake_env.user.send("los")
    assert fake_env.api.errors[0].description == "Bad Request: reply markup is too long"


# --------------------------------------------------------------------------- edits / deletes


async def test_edit_unknown_and_unmodified_messages_are_rejected(fake_env: FakeEnv) -> None:
    outcomes: list[str] = []

    async def edits(update: Update, context: Ctx) -> None:
        assert update.message is not None
        sent = await update.message.reply_text("Text", reply_markup=KEYBOARD)
        attempts: list[Callable[[], Awaitable[object]]] = [
            lambda: context.bot.edit_message_text("Neu", chat_id=4711, message_id=999),
            lambda: sent.edit_text("Text", reply_markup=KEYBOARD),
            lambda: sent.edit_reply_markup(reply_markup=KEYBOARD),
            lambda: sent.edit_text("<b>Text</b>", parse_mode="HTML", reply_markup=KEYBOARD),
            lambda: sent.edit_reply_markup(reply_markup=None),
        ]
        for attempt in attempts:
            try:
                await attempt()
                outcomes.append("ok")
            except BadRequest as exc:
                outcomes.append(exc.message)

    fake_env.app.add_handler(MessageHandler(filters.TEXT, edits))
    await fake_env.user.send("los")

    assert outcomes == [
        "Message to edit not found",
        NOT_MODIFIED.removeprefix("Bad Request: ").capitalize(),
        NOT_MODIFIED.removeprefix("Bad Request: ").capitalize(),
        "ok",
        "ok",
    ]
    last = fake_env.user.last
    assert (last.text, last.edited, last.reply_markup) == ("Text", 2, [])
    assert last.entities == ({"type": "bold", "offset": 0, "length": 4},)


async def test_delete_message(fake_env: FakeEnv) -> None:
    results: list[str] = []

    async def delete(update: Update, context: Ctx) -> None:
        assert update.message is not None
        sent = await update.message.reply_text("weg damit")
        await sent.delete()
        await update.message.delete()  # bots may delete the user's message in private chats
        try:
            await sent.delete()
        except BadRequest as exc:
            results.append(exc.message)

    fake_env.app.add_handler(MessageHandler(filters.TEXT, delete))
    await fake_env.user.send("los")
    assert results == ["Message to delete not found"]
    assert fake_env.user.messages == []
    assert fake_env.api.messages(4711, include_deleted=True)[0].deleted is True


# --------------------------------------------------------------------------- callback answers


async def test_answering_a_callback_query_twice_is_rejected(fake_env: FakeEnv) -> None:
    async def on_tap(update: Update, context: Ctx) -> None:
        assert update.callback_query is not None
        await update.callback_query.answer("eins")
        await update.callback_query.answer("zwei")

    fake_env.reply_with("Frage?", reply_markup=KEYBOARD)
    fake_env.app.add_handler(CallbackQueryHandler(on_tap))
    await fake_env.user.send("los")
    await fake_env.user.tap("Ja")

    assert [a.text for a in fake_env.user.answers] == ["eins"]
    assert [e.description for e in fake_env.api.errors] == [QUERY_TOO_OLD]
    assert isinstance(fake_env.errors[0], BadRequest)


async def test_callback_answer_over_200_chars_is_rejected(fake_env: FakeEnv) -> None:
    async def on_tap(update: Update, context: Ctx) -> None:
        assert update.callback_query is not None
        await update.callback_query.answer("x" * 201)

    fake_env.reply_with("Frage?", reply_markup=KEYBOARD)
    fake_env.app.add_handler(CallbackQueryHandler(on_tap))
    await fake_env.user.send("los")
    await fake_env.user.tap("Ja")
    assert [e.description for e in fake_env.api.errors] == ["Bad Request: MESSAGE_TOO_LONG"]
    assert fake_env.user.answers == []


# --------------------------------------------------------------------------- files


async def test_document_upload_is_recorded(fake_env: FakeEnv) -> None:
    async def export(update: Update, context: Ctx) -> None:
        assert update.message is not None
        await update.message.reply_document(
            b"id;titel\n1;Idee\n", filename="ideen.csv", caption="<b>Export</b>", parse_mode="HTML"
        )

    fake_env.app.add_handler(MessageHandler(filters.TEXT, export))
    await fake_env.user.send("export")

    last = fake_env.user.last
    assert last.document is not None
    assert (last.document.filename, last.document.content) == ("ideen.csv", b"id;titel\n1;Idee\n")
    assert last.document.mime_type == "text/csv"
    assert last.text == "Export"
    [call] = fake_env.api.calls_to("sendDocument")
    assert call.files["document"][:2] == ("ideen.csv", b"id;titel\n1;Idee\n")


# --------------------------------------------------------------------------- failures


async def test_blocked_chat_raises_forbidden_in_handler(fake_env: FakeEnv) -> None:
    fake_env.reply_with("Hallo")
    fake_env.api.block(fake_env.user.user_id)
    await fake_env.user.send("x")

    assert len(fake_env.errors) == 1
    assert isinstance(fake_env.errors[0], Forbidden)
    assert fake_env.errors[0].message == "Forbidden: bot was blocked by the user"
    assert fake_env.user.messages == []

    fake_env.api.unblock(fake_env.user.user_id)
    await fake_env.user.send("y")
    assert fake_env.user.texts() == ["Hallo"]


async def test_injected_429_raises_retry_after(
    fake_env: FakeEnv, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "1")
    fake_env.reply_with("Hallo")
    fake_env.api.fail_next("sendMessage", status=429, retry_after=7)
    await fake_env.user.send("x")
    await fake_env.user.send("y")

    [error] = fake_env.errors
    assert isinstance(error, RetryAfter)
    assert error.retry_after == dtm.timedelta(seconds=7)
    assert fake_env.user.texts() == ["Hallo"]  # only the next call failed


async def test_injected_failure_for_other_status_codes(fake_env: FakeEnv) -> None:
    fake_env.reply_with("Hallo")
    fake_env.api.fail_next(
        "sendmessage", status=400, description="Bad Request: chat not found", times=2
    )
    for text in ("a", "b", "c"):
        await fake_env.user.send(text)
    assert [str(e) for e in fake_env.errors] == ["Chat not found", "Chat not found"]
    assert len(fake_env.user.messages) == 1


async def test_injected_timeout_raises_timed_out(fake_env: FakeEnv) -> None:
    fake_env.reply_with("Hallo")
    fake_env.api.timeout_next("sendMessage")
    await fake_env.user.send("x")

    assert [type(e) for e in fake_env.errors] == [TimedOut]
    assert fake_env.api.errors[0].description == "injected timeout"
    assert fake_env.user.messages == []


async def test_unknown_endpoint_is_not_found(fake_env: FakeEnv) -> None:
    with pytest.raises(EndPointNotFound):
        await fake_env.app.bot.do_api_request("frobnicateMessage")
    assert fake_env.api.errors[-1].status == 404


async def test_rate_limit_with_injected_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "1")
    now = [100.0]
    api = FakeBotApi(rate_limit_per_second=30, clock=lambda: now[0])
    async with running(api) as env:
        for i in range(30):
            now[0] += 0.01
            await env.app.bot.send_message(4711, f"n{i}")
        with pytest.raises(RetryAfter) as caught:
            await env.app.bot.send_message(4711, "zu viel")
        assert caught.value.retry_after == dtm.timedelta(seconds=1)
        assert api.too_many_requests == 1

        now[0] = 101.025  # the sends at t=100.01 and 100.02 have left the 1-second window
        await env.app.bot.send_message(4711, "wieder ok")
        await env.app.bot.send_message(4711, "auch ok")
        with pytest.raises(RetryAfter):
            await env.app.bot.send_message(4711, "wieder zu viel")
        assert api.too_many_requests == 2
        assert len(api.messages(4711)) == 32


async def test_per_chat_rate_limit_is_opt_in(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "1")
    now = [0.0]
    relaxed = FakeBotApi(clock=lambda: now[0])
    async with running(relaxed) as env:
        for _ in range(5):
            await env.app.bot.send_message(4711, "schnell")
        assert relaxed.too_many_requests == 0

    strict = FakeBotApi(per_chat_limit_per_second=1, clock=lambda: now[0])
    async with running(strict) as env:
        await env.app.bot.send_message(4711, "eins")
        await env.app.bot.send_message(4712, "anderer Chat")
        with pytest.raises(RetryAfter):
            await env.app.bot.send_message(4711, "zwei")
        now[0] = 1.5
        await env.app.bot.send_message(4711, "später")
        assert strict.too_many_requests == 1


# --------------------------------------------------------------------------- misc endpoints


async def test_commands_round_trip_and_validation(fake_env: FakeEnv) -> None:
    bot = fake_env.app.bot
    await bot.set_my_commands(
        [("start", "Starten"), ("idee", "Idee einreichen")], language_code="de"
    )
    assert [c.command for c in await bot.get_my_commands(language_code="de")] == ["start", "idee"]
    assert await bot.get_my_commands() == ()
    with pytest.raises(BadRequest, match="Bot_command_invalid"):
        await bot.set_my_commands([("Start-Now", "bad")])
    await bot.delete_my_commands(language_code="de")
    assert await bot.get_my_commands(language_code="de") == ()
    assert await bot.set_chat_menu_button() is True


async def test_get_updates_queue_feeds_a_polling_application() -> None:
    api = FakeBotApi()
    app = build_app(api, with_updater=True)
    seen = asyncio.Event()
    texts: list[str] = []

    async def remember(update: Update, context: Ctx) -> None:
        assert update.message is not None and update.message.text is not None
        texts.append(update.message.text)
        seen.set()

    app.add_handler(MessageHandler(filters.TEXT, remember))
    user = FakeUser(app, api)
    async with app:
        assert app.updater is not None
        await app.updater.start_polling(timeout=1)
        await app.start()
        api.push_update(user.factory.text_message(user.user, "per Polling"))
        await asyncio.wait_for(seen.wait(), timeout=5)
        await app.updater.stop()
        await app.stop()
    assert texts == ["per Polling"]
    assert api.calls_to("deleteWebhook")


def test_sent_message_json_is_parseable_by_ptb() -> None:
    message = SentMessage(
        chat_id=5,
        message_id=3,
        date=1_700_000_000,
        html="<b>x</b>",
        text="x",
        entities=({"type": "bold", "offset": 0, "length": 1},),
    )
    api = FakeBotApi()
    data = api.message_json(message)
    assert data["chat"] == {"id": 5, "type": "private", "first_name": "User 5"}
    assert data["from"]["id"] == 1000
    assert "reply_markup" not in data
