"""Multi-step dialogues whose state lives in SQLite (drafts), so they survive restarts.

A feature describes its dialogue as a `Flow` and registers it with `add_flow`. While a user
has a draft, their text messages go to the flow (not to the region finder), `/abbrechen`
leaves it, any other command leaves it with a short note, and non-text gets a prompt.
A text typed at a step that wants a button (`Flow.button_steps`) is kept in the draft and
answers the next step that reads text (`proceed`): what a user typed is never thrown away.
"""

from __future__ import annotations

import logging

from telegram import Message, Update
from telegram.ext import (
    ApplicationHandlerStop,
    MessageHandler,
    filters,
)

from bot.context import App, BotData, Context, Flow
from handlers.buttons import on_tap
from handlers.common import answer, is_admin, language_of, private_command, refuse, reply, show
from messages.actions import DialogCancel
from messages.catalog import t
from messages.keyboards import Keyboard, main_menu_keyboard
from storage.models import Draft

logger = logging.getLogger(__name__)

GROUP = -1  # before every feature, so a draft's text never reaches the region finder
TYPED = "typed"  # draft data: a text typed while the step wanted a button


def flows(data: BotData) -> dict[str, Flow]:
    """The registered flows (kept on the bot data, not in a global)."""
    return data.flows


def add_flow(app: App, flow: Flow) -> None:
    """Make a flow known to the router."""
    if flow.name in app.bot_data.flows:
        raise ValueError(f"a dialogue named {flow.name!r} exists already")
    app.bot_data.flows[flow.name] = flow


async def begin(
    context: Context, user_id: int, flow: str, step: str, data: dict[str, object] | None = None
) -> None:
    """Start (or restart) a dialogue for the user."""
    await advance(context, user_id, flow, step, data or {})


async def advance(
    context: Context, user_id: int, flow: str, step: str, data: dict[str, object]
) -> None:
    """Store the next step; durable before the user sees the next question."""
    bot_data = context.bot_data
    await bot_data.drafts.save(user_id, flow, step, data, bot_data.clock())
    bot_data.users_with_drafts.add(user_id)


async def moved(context: Context, draft: Draft, step: str, **values: object) -> Draft:
    """Store the draft's next step with these values added; the draft as it is now."""
    data = {**draft.data, **values}
    await advance(context, draft.user_id, draft.flow, step, data)
    return Draft(user_id=draft.user_id, flow=draft.flow, step=step, data=data)


async def finish(context: Context, user_id: int) -> None:
    """End the user's dialogue."""
    bot_data = context.bot_data
    await bot_data.drafts.clear(user_id)
    bot_data.users_with_drafts.discard(user_id)


async def end(
    update: Update, context: Context, user_id: int, text: str, markup: Keyboard | None = None
) -> None:
    """End the user's dialogue, then say so (why) in a new message."""
    await finish(context, user_id)
    await reply(update, text, markup)


def without_typed(draft: Draft) -> Draft:
    """The draft without a kept text (the flows copy their data on, the kept text must not)."""
    if TYPED not in draft.data:
        return draft
    data = {k: v for k, v in draft.data.items() if k != TYPED}
    return Draft(user_id=draft.user_id, flow=draft.flow, step=draft.step, data=data)


async def proceed(update: Update, context: Context, draft: Draft, language: str) -> None:
    """After a button moved the dialogue on: a kept text answers the step if it reads text,
    else the step asks its question."""
    flow = flows(context.bot_data)[draft.flow]
    typed = draft.data.get(TYPED)
    if not isinstance(typed, str) or draft.step in flow.button_steps:
        await flow.prompt(update, context, draft, language)
        return
    draft = without_typed(draft)
    await advance(context, draft.user_id, draft.flow, draft.step, draft.data)
    await flow.on_text(update, context, draft, language, typed)


async def _keep(
    update: Update, context: Context, flow: Flow, draft: Draft, language: str, text: str
) -> None:
    """A text at a button step: kept (a newer one replaces it), then the question again."""
    data = {**draft.data, TYPED: text}
    await advance(context, draft.user_id, draft.flow, draft.step, data)
    await reply(update, t(language, "dialog.kept"))
    kept = Draft(user_id=draft.user_id, flow=draft.flow, step=draft.step, data=data)
    await flow.prompt(update, context, kept, language)


async def current(context: Context, user_id: int, flow: str) -> Draft | None:
    """The user's draft if it belongs to flow."""
    draft = await context.bot_data.drafts.get(user_id)
    return draft if draft is not None and draft.flow == flow else None


async def tapped(update: Update, context: Context, flow: str, stale: str) -> Draft | None:
    """The tapping user's draft if it belongs to flow; None after answering the tap with
    `stale` (that dialogue is over)."""
    user = update.effective_user
    draft = await current(context, user.id, flow) if user else None
    if draft is None:
        await answer(update, stale)
    return draft


class _HasDraft(filters.MessageFilter):
    """Messages from users who are in a dialogue."""

    def __init__(self, data: BotData) -> None:
        super().__init__(name="HasDraft")
        self._data = data

    def filter(self, message: Message) -> bool:
        user = message.from_user
        return user is not None and user.id in self._data.users_with_drafts


async def _route(update: Update, context: Context) -> None:
    message = update.effective_message
    user = update.effective_user
    if message is None or user is None:
        return
    draft = await context.bot_data.drafts.get(user.id)
    if draft is None:
        await _expired(update, context, user.id, message)
        context.bot_data.users_with_drafts.discard(user.id)
        return  # stale index: let the features handle the message
    language = await language_of(update, context)
    flow = flows(context.bot_data).get(draft.flow)
    if flow is None:
        logger.warning("Dropping draft of unknown flow %r", draft.flow)
        await finish(context, user.id)
        return
    if flow.admin_only and not await is_admin(context, user.id):
        await finish(context, user.id)
        await refuse(update, context, language)
        raise ApplicationHandlerStop
    if message.text is not None and message.text.startswith("/"):
        command = message.text.split()[0].split("@")[0].lower()
        if command in ("/abbrechen", "/cancel"):
            return  # handled by the cancel command
        left = t(language, "dialog.left", flow=t(language, flow.title_key))
        await end(update, context, user.id, left)
        return  # the command itself runs as usual
    if message.text is None:
        await reply(update, t(language, "dialog.text_please"))
        await flow.prompt(update, context, draft, language)
        raise ApplicationHandlerStop
    if draft.step in flow.button_steps:
        await _keep(update, context, flow, draft, language, message.text)
        raise ApplicationHandlerStop
    await flow.on_text(update, context, without_typed(draft), language, message.text)
    raise ApplicationHandlerStop


async def _expired(update: Update, context: Context, user_id: int, message: Message) -> None:
    """The user's dialogue expired (IDEENLABOR_DRAFT_TTL): say so once if they answer it."""
    data = context.bot_data
    flow_name = await data.drafts.expired_flow(user_id)
    if flow_name is None:
        return
    await data.drafts.clear(user_id)
    flow = flows(data).get(flow_name)
    if flow is None or message.text is None or message.text.startswith("/"):
        return  # a command or a photo means something else: it runs as usual
    language = await language_of(update, context)
    title = t(language, flow.title_key)
    await reply(update, t(language, "dialog.expired", flow=title), main_menu_keyboard(language))
    data.users_with_drafts.discard(user_id)
    raise ApplicationHandlerStop  # the text was an answer to the old question: not a place


async def cancel_command(update: Update, context: Context) -> None:
    """/abbrechen: leave any dialogue."""
    language = await language_of(update, context)
    user = update.effective_user
    if user is None:
        return
    had = await context.bot_data.drafts.get(user.id)
    key = "dialog.cancelled" if had else "dialog.nothing_to_cancel"
    await end(update, context, user.id, t(language, key), main_menu_keyboard(language))
    raise ApplicationHandlerStop


async def cancel_button(update: Update, context: Context, _action: DialogCancel) -> None:
    """The cancel button of a dialogue."""
    language = await language_of(update, context)
    await answer(update)
    user = update.effective_user
    if user is not None:
        await finish(context, user.id)
    await show(update, t(language, "dialog.cancelled"), main_menu_keyboard(language))


def register(app: App) -> None:
    """The router (group -1), /abbrechen and the cancel button."""
    private = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE
    app.add_handler(
        private_command(["abbrechen", "cancel"], cancel_command),
        group=GROUP - 1,
    )
    app.add_handler(MessageHandler(private & _HasDraft(app.bot_data), _route), group=GROUP)
    app.add_handler(on_tap(cancel_button))
