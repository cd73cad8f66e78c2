"""Writing a comment: name (asked once) → text → preview → submit; a durable dialogue."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import (
    ApplicationHandlerStop,
    MessageHandler,
    filters,
)

from bot.context import App, Context
from bot.logs import person
from bot.services.comments import MIN_LENGTH, CommentRefusedError
from handlers import browse, dialog
from handlers.buttons import on_tap
from handlers.common import answer, best_effort, language_of, reply, show
from messages import actions as cb
from messages import comment_views as views
from messages.catalog import t
from messages.content import localized
from messages.keyboards import Button, keyboard, menu_row
from messages.render import label
from storage.drafts import DraftEnd, DraftGone
from storage.models import Comment, Draft, Idea

logger = logging.getLogger(__name__)

FLOW = "comment"
NAME, TEXT, PREVIEW = "name", "text", "preview"  # the dialogue's steps
CHOICES = {"f": "first_name", "a": views.ANONYMOUS}
REVISES = "revises"  # draft data: the rejected comment this one reworks (and replaces)


def _cancel_row(language: str) -> list[Button]:
    return [(label(language, "dialog.cancel_button"), cb.DialogCancel())]


def _first_name(update: Update) -> str:
    return update.effective_user.first_name if update.effective_user else ""


async def _idea_of(context: Context, draft: Draft) -> Idea | None:
    idea_id = draft.data.get("idea_id")
    return await context.bot_data.ideas.get(idea_id) if isinstance(idea_id, int) else None


async def _choice(context: Context, user_id: int) -> str:
    return await context.bot_data.users.comment_name(user_id) or "first_name"


def _refusal(context: Context, language: str, error: CommentRefusedError) -> str:
    return views.refusal(language, error.key, error.params, context.bot_data.settings.tz)


async def revise(update: Update, context: Context, language: str, comment_id: int) -> None:
    """✏️ Überarbeiten: the rejected comment's dialogue again, showing its text to copy."""
    user = update.effective_user
    comment = await context.bot_data.comments.repo.get(comment_id)
    if user is None or comment is None or comment.user_id != user.id:
        await answer(update, t(language, "citizen.write.not_revisable"))
        return
    if comment.status != "rejected":
        await answer(update, t(language, "citizen.write.not_revisable"))
        return
    await start(update, context, language, comment.idea_id, revises=comment)


async def start(
    update: Update,
    context: Context,
    language: str,
    idea_id: int,
    *,
    revises: Comment | None = None,
) -> None:
    """✍️ Kommentieren: explain a reached limit, else ask for the name (once) or the text."""
    data = context.bot_data
    user = update.effective_user
    idea = await data.ideas.get(idea_id)
    if user is None or idea is None:
        await answer(update, t(language, "citizen.gone"))
        return
    await answer(update)
    try:
        await data.comments.check_limits(user.id)
    except CommentRefusedError as error:
        back = [
            (label(language, "citizen.button.back_to_idea"), browse.carried_idea_link(update, idea))
        ]
        await reply(update, _refusal(context, language, error), keyboard([back]))
        return
    step = TEXT if await data.users.comment_name(user.id) else NAME
    values: dict[str, object] = {"idea_id": idea_id}
    if revises is not None:
        values[REVISES] = revises.id
        for part in views.revise_parts(language, revises.text):
            await reply(update, part)
    await dialog.begin(context, user.id, FLOW, step, values)
    draft = Draft(user_id=user.id, flow=FLOW, step=step, data=values)
    await _ask(update, context, draft, language, idea, new=True)


async def prompt(
    update: Update, context: Context, draft: Draft, language: str, note: str = ""
) -> None:
    """Ask the current step's question again (after an optional note on what was wrong)."""
    idea = await _idea_of(context, draft)
    if idea is None:
        await dialog.end(update, context, draft.user_id, t(language, "citizen.write.idea_gone"))
        return
    await _ask(update, context, draft, language, idea, note=note)


async def _ask(
    update: Update,
    context: Context,
    draft: Draft,
    language: str,
    idea: Idea,
    *,
    note: str = "",
    new: bool = False,
) -> None:
    """Show the step's question: edit the tapped message, or send a new one."""
    put = reply if new else show
    choice = await _choice(context, draft.user_id)
    name = views.shown_name(language, choice, _first_name(update))
    if draft.step == TEXT:
        moderation = context.bot_data.comments.moderation
        text = views.ask_text(
            language,
            localized(language, idea.title, idea.title_en),
            name,
            moderation,
            MIN_LENGTH,
            note,
        )
        await put(update, text, keyboard([_cancel_row(language)]))
        return
    if note:
        await reply(update, note)
        put = reply
    if draft.step == NAME:
        first = views.shown_name(language, "first_name", _first_name(update))
        buttons: list[Button] = [
            (label(language, "citizen.button.first_name", name=first), cb.CommentName("f")),
            (
                label(language, "citizen.button.anonymous", name=t(language, "comments.anonymous")),
                cb.CommentName("a"),
            ),
        ]
        text = views.name_question(language, _first_name(update))
        await put(update, text, keyboard([buttons, _cancel_row(language)]))
        return
    other = "first_name" if choice == views.ANONYMOUS else views.ANONYMOUS
    other_name = views.shown_name(language, other, _first_name(update))
    rows: list[list[Button]] = [
        [
            (
                label(language, "citizen.button.submit"),
                cb.SubmitComment(int(str(draft.data.get("version", 0)))),
            )
        ],
        [
            (
                label(language, "citizen.button.change_name", name=other_name),
                cb.CommentName("a" if other == views.ANONYMOUS else "f"),
            )
        ],
        _cancel_row(language),
    ]
    parts = views.preview(
        language,
        localized(language, idea.title, idea.title_en),
        name,
        str(draft.data.get("text", "")),
    )
    if len(parts) == 1:
        await put(update, parts[0], keyboard(rows))
        return
    for part in parts[:-1]:
        await reply(update, part)
    await reply(update, parts[-1], keyboard(rows))


async def on_text(update: Update, context: Context, draft: Draft, language: str, text: str) -> None:
    """The comment's text: checked at once, then previewed (a new text replaces the old one).

    A text typed before the name was chosen waits in the draft (dialog.proceed brings it here).
    """
    idea = await _idea_of(context, draft)
    if idea is None:
        await prompt(update, context, draft, language)
        return
    comment = text.strip()
    try:
        await context.bot_data.comments.check_text(idea.id, draft.user_id, comment)
    except CommentRefusedError as error:
        await prompt(update, context, draft, language, _refusal(context, language, error))
        return
    version = int(str(draft.data.get("version", 0))) + 1  # ties "Absenden" to this preview
    values = {**draft.data, "text": comment, "version": version}
    await dialog.advance(context, draft.user_id, FLOW, PREVIEW, values)
    preview = Draft(user_id=draft.user_id, flow=FLOW, step=PREVIEW, data=values)
    await _ask(update, context, preview, language, idea, new=True)


async def choose_name(update: Update, context: Context, language: str, code: str) -> None:
    """First name or "anonym": remembered for every later comment; changeable in the preview."""
    draft = await dialog.tapped(update, context, FLOW, t(language, "citizen.write.stale"))
    if draft is None:
        return
    data = context.bot_data
    await data.users.set_comment_name(draft.user_id, CHOICES[code], data.clock())
    if draft.step == NAME:
        draft = await dialog.moved(context, draft, TEXT)
    await answer(update)
    await dialog.proceed(update, context, draft, language)


async def submit(update: Update, context: Context, language: str, version: int) -> None:
    """Absenden: store the comment (limits are checked again) and say what happens next.

    Only the newest preview's button counts: an older preview shows a text the user replaced.
    """
    data = context.bot_data
    user = update.effective_user
    draft = await dialog.current(context, user.id, FLOW) if user else None
    current = int(str(draft.data.get("version", 0))) if draft else -1
    if user is None or draft is None or draft.step != PREVIEW or version != current:
        await answer(update, t(language, "citizen.write.stale"))
        return
    idea = await _idea_of(context, draft)
    if idea is None:
        await answer(update)
        await prompt(update, context, draft, language)
        return
    name = views.published_name(await _choice(context, user.id), user.first_name)
    try:
        revises = draft.data.get(REVISES)
        comment = await data.comments.submit(
            idea.id,
            user.id,
            name,
            str(draft.data["text"]),
            ends=DraftEnd(user.id, FLOW),
            replaces=revises if isinstance(revises, int) else None,
        )
    except CommentRefusedError as error:
        await answer(update)
        await reply(update, _refusal(context, language, error))
        return
    except DraftGone:  # a second tap, after the first had stored it
        await answer(update, t(language, "citizen.write.stale"))
        return
    data.users_with_drafts.discard(user.id)
    logger.info(
        "Comment %s on idea %s by %s (%s)", comment.id, idea.id, person(user.id), comment.status
    )
    key = "citizen.write.thanks_pre" if comment.status == "pending" else "citizen.write.thanks_post"
    count = idea.comment_count + (comment.status == "approved")
    rows: list[list[Button]] = [
        [(label(language, "citizen.button.comments", count=count), cb.IdeaComments(idea.id, 0))],
        [(label(language, "citizen.button.back_to_idea"), browse.carried_idea_link(update, idea))],
        [(label(language, "citizen.button.my_comments"), cb.MyComments(0))],
        menu_row(language),
    ]
    async with best_effort("a submitted comment"):
        await answer(update)
        await show(update, t(language, key), keyboard(rows))


async def not_text(update: Update, context: Context) -> None:
    """A sticker, photo or voice message while writing a comment: explain, ask again."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None or message.text is not None:
        return
    if user.id not in context.bot_data.users_with_drafts:
        return
    draft = await dialog.current(context, user.id, FLOW)
    if draft is None:
        return  # another dialogue: the dialogue router answers
    language = await language_of(update, context)
    await prompt(update, context, draft, language, t(language, "comments.invalid.not_text"))
    raise ApplicationHandlerStop


async def on_button(
    update: Update,
    context: Context,
    action: cb.WriteComment | cb.ReviseComment | cb.CommentName | cb.SubmitComment,
) -> None:
    """Writing buttons: start, rework a rejected comment, name choice, submit."""
    language = await language_of(update, context)
    match action:
        case cb.WriteComment(idea_id=idea_id):
            await start(update, context, language, idea_id)
        case cb.ReviseComment(comment_id=comment_id):
            await revise(update, context, language, comment_id)
        case cb.CommentName(choice=code):
            await choose_name(update, context, language, code)
        case cb.SubmitComment(version=version):
            await submit(update, context, language, version)


def register(app: App) -> None:
    """The comment dialogue, its buttons, and its answer to non-text messages."""
    dialog.add_flow(
        app,
        dialog.Flow(FLOW, "citizen.write.flow", on_text, prompt, button_steps=frozenset({NAME})),
    )
    app.add_handler(on_tap(on_button))
    non_text = (
        filters.ChatType.PRIVATE
        & filters.UpdateType.MESSAGE
        & ~filters.TEXT
        & ~filters.StatusUpdate.ALL
    )
    app.add_handler(MessageHandler(non_text, not_text), group=dialog.GROUP - 1)
