"""Rejecting a comment: a durable dialogue asks for an optional reason (or "Ohne Begründung")."""

from __future__ import annotations

import logging

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
from handlers.moderation_core import (
    Origin,
    decide,
    is_moderator,
    permitted,
    tell,
)
from messages import actions as cb
from messages import moderation as views
from messages.actions import RejectWithoutReason
from messages.catalog import t
from messages.keyboards import Button, Keyboard, keyboard
from messages.render import label
from storage.models import Comment, Draft

logger = logging.getLogger(__name__)

FLOW = "moderation_reason"
STEP = "reason"


def _keyboard(language: str, comment_id: int) -> Keyboard:
    without = label(language, "moderation.button.without_reason")
    cancel = label(language, "dialog.cancel_button")
    rows: list[list[Button]] = [
        [(without, RejectWithoutReason(comment_id))],
        [(cancel, cb.DialogCancel())],
    ]
    return keyboard(rows)


async def ask(
    update: Update, context: Context, language: str, comment: Comment, origin: Origin
) -> None:
    """Start the dialogue: the comment stays undecided until a reason (or none) is given."""
    user = update.effective_user
    if user is None:
        return
    state: dict[str, object] = {"comment_id": comment.id, **origin.dump()}
    await dialog.begin(context, user.id, FLOW, STEP, state)
    await _ask(update, context, language, comment, state)


async def _ask(
    update: Update,
    context: Context,
    language: str,
    comment: Comment,
    state: dict[str, object],
    problem: str | None = None,
) -> None:
    """Send the question (the previous one loses its buttons) and remember where it is."""
    chat = update.effective_chat
    user = update.effective_user
    if chat is None or user is None:
        return
    await _clear_buttons(context, chat.id, state.get("prompt_id"))
    question = views.ask_reason(language, comment, problem)
    sent = await send_message(context.bot, chat.id, question, _keyboard(language, comment.id))
    await dialog.advance(context, user.id, FLOW, STEP, {**state, "prompt_id": sent})


async def _clear_buttons(context: Context, chat_id: int, message_id: object) -> None:
    """Remove the buttons of an earlier question (it may be gone already)."""
    if not isinstance(message_id, int):
        return
    try:
        await edit_buttons(context.bot, chat_id, message_id, None)
    except BadRequest as exc:
        logger.info("Could not remove the buttons of question %s: %s", message_id, exc.message)


async def on_text(update: Update, context: Context, draft: Draft, language: str, text: str) -> None:
    """The typed reason: checked, then the comment is rejected with it."""
    reason = text.strip()
    problem = views.reason_problem(language, reason)
    if problem is None:
        await _reject(update, context, language, draft, reason)
        return
    await prompt(update, context, draft, language, problem)


async def prompt(
    update: Update, context: Context, draft: Draft, language: str, problem: str | None = None
) -> None:
    """Ask again (after a reason that was too long, or a sticker, photo or voice message)."""
    comment = await context.bot_data.comments.repo.get(int(str(draft.data["comment_id"])))
    if comment is None:
        await _reject(update, context, language, draft, None)  # tells that it is gone
        return
    await _ask(update, context, language, comment, draft.data, problem)


async def without_reason(update: Update, context: Context, action: RejectWithoutReason) -> None:
    """The "Ohne Begründung" button."""
    language = await language_of(update, context)
    user = update.effective_user
    if user is None:
        return
    if not await is_moderator(context, user.id):  # checked first: forged buttons are refused
        await refuse(update, context, language)
        return
    draft = await dialog.current(context, user.id, FLOW)
    if draft is None or draft.data.get("comment_id") != action.comment_id:
        await answer(update, t(language, "moderation.stale"))
        return
    await _reject(update, context, language, draft, None)


async def _reject(
    update: Update, context: Context, language: str, draft: Draft, reason: str | None
) -> None:
    """End the dialogue (once), check the right again, reject, and say what happened.

    The decision commits before Telegram is asked to change anything; what follows is best
    effort. (Deciding twice is impossible anyway: a decision needs the comment's old status.)
    """
    if not await take(context, draft.user_id):
        await answer(update, t(language, "moderation.stale"))  # a double tap was faster
        return
    origin = Origin.load(draft.data)
    comment = await permitted(update, context, language, int(str(draft.data["comment_id"])), origin)
    if comment is None:  # gone, or no longer allowed: the question's buttons are stale too
        async with best_effort("the rejection's question"):
            await _clear_buttons(context, draft.user_id, draft.data.get("prompt_id"))
        return
    try:
        outcome = await decide(update, context, language, comment, "reject", reason, origin)
    except BaseException:  # nothing was decided: the moderator can answer again
        await dialog.advance(context, draft.user_id, FLOW, STEP, draft.data)
        raise
    if update.callback_query is None:
        async with best_effort("the rejection's question"):
            await _clear_buttons(context, draft.user_id, draft.data.get("prompt_id"))
    async with best_effort("a rejection"):
        await tell(update, outcome)
        if update.callback_query is not None:
            await show(update, outcome.line)  # the question becomes the answer


def register(app: App) -> None:
    """The reason dialogue and its "Ohne Begründung" button."""
    dialog.add_flow(app, dialog.Flow(FLOW, "moderation.flow.reason", on_text, prompt))
    app.add_handler(on_tap(without_reason))
