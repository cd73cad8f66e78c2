"""A decision that asks for a reason (rejecting a comment, …): a durable dialogue asks for it,
optional ("Ohne Begründung") or required as the kind says; the same for every kind."""

from __future__ import annotations

import logging
from typing import Any

from telegram import Update
from telegram.error import BadRequest

from bot.context import App, Context
from handlers import dialog
from handlers.admin_form import take
from handlers.buttons import on_tap
from handlers.common import (
    answer,
    best_effort,
    edit_buttons,
    language_of,
    refuse,
    send_message,
    show,
)
from handlers.moderation_core import Origin, decide, is_moderator, tell
from messages import actions as cb
from messages import moderation as views
from messages.actions import DecideWithoutReason, RejectWithoutReason
from messages.catalog import t
from messages.keyboards import Button, Keyboard, keyboard
from messages.render import label
from storage.models import Draft
from storage.moderation import Item

logger = logging.getLogger(__name__)

FLOW = "moderation_reason"
STEP = "reason"


def _subject(data: dict[str, object]) -> tuple[str, int, str]:
    """(kind, item id, decision) of a dialogue; one begun before there were kinds rejects a
    comment."""
    if "item_id" in data:
        return str(data["kind"]), int(str(data["item_id"])), str(data["decision"])
    return "comment", int(str(data["comment_id"])), "reject"


def _keyboard(language: str, item: Item[Any], optional: bool) -> Keyboard:
    rows: list[list[Button]] = []
    if optional:
        without = label(language, "moderation.button.without_reason")
        rows.append([(without, DecideWithoutReason(item.kind, item.id))])
    rows.append([(label(language, "dialog.cancel_button"), cb.DialogCancel())])
    return keyboard(rows)


async def ask(
    update: Update,
    context: Context,
    language: str,
    item: Item[Any],
    decision: str,
    origin: Origin,
) -> None:
    """Start the dialogue: the item stays undecided until a reason (or none) is given."""
    user = update.effective_user
    if user is None:
        return
    subject = {"kind": item.kind, "item_id": item.id, "decision": decision}
    state: dict[str, object] = {**subject, **origin.dump()}
    await dialog.begin(context, user.id, FLOW, STEP, state)
    await _ask(update, context, language, item, state)


async def _ask(
    update: Update,
    context: Context,
    language: str,
    item: Item[Any],
    state: dict[str, object],
    problem: str | None = None,
) -> None:
    """Send the question (the previous one loses its buttons) and remember where it is."""
    chat = update.effective_chat
    user = update.effective_user
    if chat is None or user is None:
        return
    await _clear_buttons(context, chat.id, state.get("prompt_id"))
    _, _, decision = _subject(state)
    view = context.bot_data.moderation.kinds[item.kind]
    question = views.ask_reason(view, language, item, decision, problem)
    optional = view.reasons.get(decision) == "optional"
    sent = await send_message(context.bot, chat.id, question, _keyboard(language, item, optional))
    await dialog.advance(context, user.id, FLOW, STEP, {**state, "prompt_id": sent})


async def _clear_buttons(context: Context, chat_id: int, message_id: object) -> None:
    """Remove the buttons of an earlier question (it may be gone already)."""
    if not isinstance(message_id, int):
        return
    try:
        await edit_buttons(context.bot, chat_id, message_id, None)
    except BadRequest as exc:
        logger.info("Could not remove the buttons of question %s: %s", message_id, exc.message)


def _need(context: Context, draft: Draft) -> views.ReasonNeed:
    """Whether the dialogue's decision needs a reason or only allows one."""
    kind, _, decision = _subject(draft.data)
    view = context.bot_data.moderation.kinds.get(kind)
    return "optional" if view is None else view.reasons.get(decision, "optional")


async def on_text(update: Update, context: Context, draft: Draft, language: str, text: str) -> None:
    """The typed reason: checked, then the decision is taken with it."""
    reason = text.strip()
    problem = views.reason_problem(language, reason, _need(context, draft))
    if problem is None:
        await _decide(update, context, language, draft, reason)
        return
    await prompt(update, context, draft, language, problem)


async def prompt(
    update: Update, context: Context, draft: Draft, language: str, problem: str | None = None
) -> None:
    """Ask again (after a reason that was too long, or a sticker, photo or voice message)."""
    kind, item_id, _ = _subject(draft.data)
    found = context.bot_data.moderation.kinds.get(kind)
    item = None if found is None else await found.load(item_id)
    if item is None:
        await _decide(update, context, language, draft, None)  # tells that it is gone
        return
    await _ask(update, context, language, item, draft.data, problem)


async def without_reason(
    update: Update, context: Context, action: DecideWithoutReason | RejectWithoutReason
) -> None:
    """The "Ohne Begründung" button (RejectWithoutReason: on a question about a comment)."""
    language = await language_of(update, context)
    user = update.effective_user
    if user is None:
        return
    if not await is_moderator(context, user.id):  # checked first: forged buttons are refused
        await refuse(update, context, language)
        return
    if isinstance(action, RejectWithoutReason):
        asked = ("comment", action.comment_id)
    else:
        asked = (action.kind, action.item_id)
    draft = await dialog.current(context, user.id, FLOW)
    if draft is None or _subject(draft.data)[:2] != asked or _need(context, draft) != "optional":
        await answer(update, t(language, "moderation.stale"))
        return
    await _decide(update, context, language, draft, None)


async def _decide(
    update: Update, context: Context, language: str, draft: Draft, reason: str | None
) -> None:
    """End the dialogue (once), decide (the right is checked again), and say what happened.

    The decision commits before Telegram is asked to change anything; what follows is best
    effort. (Deciding twice is impossible anyway: a decision needs the item's old status.)
    """
    if not await take(context, draft.user_id):
        await answer(update, t(language, "moderation.stale"))  # a double tap was faster
        return
    origin = Origin.load(draft.data)
    kind, item_id, decision = _subject(draft.data)
    try:
        outcome = await decide(update, context, language, kind, item_id, decision, reason, origin)
    except BaseException:  # nothing was decided: the moderator can answer again
        await dialog.advance(context, draft.user_id, FLOW, STEP, draft.data)
        raise
    if outcome is None:  # gone, or no longer allowed: the question's buttons are stale too
        async with best_effort("the question for a reason"):
            await _clear_buttons(context, draft.user_id, draft.data.get("prompt_id"))
        return
    if update.callback_query is None:
        async with best_effort("the question for a reason"):
            await _clear_buttons(context, draft.user_id, draft.data.get("prompt_id"))
    async with best_effort("a decision with a reason"):
        await tell(update, outcome)
        if update.callback_query is not None:
            await show(update, outcome.line)  # the question becomes the answer


def register(app: App) -> None:
    """The reason dialogue and its "Ohne Begründung" button."""
    dialog.add_flow(app, dialog.Flow(FLOW, "moderation.flow.reason", on_text, prompt))
    app.add_handler(on_tap(without_reason))
