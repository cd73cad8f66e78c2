"""/meine_kommentare: one's own comments with their status; deleting them."""

from __future__ import annotations

import logging

from telegram import Update

from bot.context import App, Context
from bot.logs import person
from handlers.buttons import on_tap, tapped_button_shown
from handlers.common import answer, best_effort, language_of, private_command, show
from messages import actions as cb
from messages import comment_views as views
from messages.catalog import catalog, t
from messages.keyboards import Button, keyboard, menu_row, page_row
from messages.render import label

logger = logging.getLogger(__name__)

PAGE_SIZE = 5


async def my_comments_command(update: Update, context: Context) -> None:
    """/meine_kommentare: the first page of one's own comments."""
    await show_mine(update, context, await language_of(update, context), 0)


async def show_mine(
    update: Update, context: Context, language: str, page: int, note: str = ""
) -> None:
    """A page of the user's comments, newest first, each with its status and a delete button."""
    data = context.bot_data
    user = update.effective_user
    if user is None:
        return
    known = catalog(language)
    comments = [
        c
        for c in await data.comments.repo.by_user(user.id)
        if f"comments.status.{c.status}" in known
    ]
    pages = max(1, -(-len(comments) // PAGE_SIZE))
    page = min(max(page, 0), pages - 1)
    items = comments[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
    choice = await data.users.comment_name(user.id)
    name = views.shown_name(language, choice, user.first_name) if choice else None
    first = page * PAGE_SIZE + 1
    text = views.my_comments(
        language, items, len(comments), page, pages, data.settings.tz, name, first, note
    )
    buttons: list[Button] = []
    for number, c in enumerate(items, start=first):
        if c.status == "rejected":  # reworked, it replaces the rejected one
            revise = label(language, "citizen.button.revise", number=number)
            buttons.append((revise, cb.ReviseComment(c.id)))
        buttons.append(
            (label(language, "citizen.button.delete", number=number), cb.DeleteComment(c.id))
        )
    rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    nav = page_row(language, page, pages, cb.MyComments)
    rows.append(nav)
    if not comments:
        rows.append([(label(language, "button.regions"), cb.RegionList())])
    rows.append(menu_row(language))
    await show(update, text, keyboard(rows))


async def on_button(
    update: Update,
    context: Context,
    action: cb.MyComments | cb.DeleteComment | cb.ConfirmDeleteComment,
) -> None:
    """Paging, and deleting one's own comment after a confirmation."""
    language = await language_of(update, context)
    data = context.bot_data
    user_id = update.effective_user.id if update.effective_user else 0
    match action:
        case cb.MyComments(page=page):
            await answer(update)
            await show_mine(update, context, language, page)
        case cb.DeleteComment(comment_id=comment_id):
            comment = await data.comments.repo.get(comment_id)
            if comment is None or comment.user_id != user_id:
                await _gone(update, context, language, comment is None)
                return
            await answer(update)
            rows: list[list[Button]] = [
                [
                    (
                        label(language, "citizen.button.confirm_delete"),
                        cb.ConfirmDeleteComment(comment_id),
                    )
                ],
                [(label(language, "citizen.button.keep"), cb.MyComments(0))],
            ]
            text = views.delete_confirm(language, comment, data.settings.tz)
            await show(update, text, keyboard(rows))
        case cb.ConfirmDeleteComment(comment_id=comment_id):
            if not await data.comments.delete_own(comment_id, user_id):
                gone = await data.comments.repo.get(comment_id) is None
                await _gone(update, context, language, gone)
                return
            logger.info("Comment %s deleted by its author %s", comment_id, person(user_id))
            async with best_effort("a deleted comment"):
                await answer(update)
                await show_mine(update, context, language, 0, t(language, "citizen.mine.deleted"))


async def _gone(update: Update, context: Context, language: str, deleted: bool) -> None:
    """A button for a comment deleted meanwhile (or not the user's): say so, show the list."""
    await answer(update, t(language, "citizen.mine.already_deleted" if deleted else "citizen.gone"))
    if tapped_button_shown(update):  # a forged button gets the short answer only
        await show_mine(update, context, language, 0)


def register(app: App) -> None:
    """/meine_kommentare (/my_comments) and its buttons."""
    app.add_handler(private_command(["meine_kommentare", "my_comments"], my_comments_command))
    app.add_handler(on_tap(on_button))
