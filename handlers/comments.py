"""Comments on ideas for citizens: the list, one comment in full, reporting."""

from __future__ import annotations

import logging
from typing import get_args

from telegram import Update

from bot.context import App, Context
from handlers import browse
from handlers.buttons import on_tap
from handlers.common import answer, best_effort, language_of, show
from messages import actions as cb
from messages import comment_views as views
from messages.actions import ReportReasonCode, ShowComment
from messages.catalog import t
from messages.keyboards import Button, keyboard, menu_row, page_row
from messages.render import label
from storage.comments import PAGE_SIZE
from storage.models import Comment, Idea

logger = logging.getLogger(__name__)

REASONS: tuple[ReportReasonCode, ...] = get_args(ReportReasonCode)


def viewer_of(update: Update) -> int:
    """The id of the person who tapped or wrote (0 if there is none)."""
    return update.effective_user.id if update.effective_user else 0


def back_rows(language: str, update: Update, idea: Idea, page: int) -> list[list[Button]]:
    """Back to the comment list and to the idea (which keeps the list the user came from)."""
    return [
        [
            (label(language, "citizen.button.back_to_comments"), cb.IdeaComments(idea.id, page)),
            (
                label(language, "citizen.button.back_to_idea"),
                browse.carried_idea_link(update, idea),
            ),
        ],
        menu_row(language),
    ]


async def show_comments(
    update: Update, context: Context, language: str, idea_id: int, page_number: int
) -> bool:
    """A page of an idea's published comments, newest first; False if the idea is gone."""
    data = context.bot_data
    idea = await data.ideas.get(idea_id)
    if idea is None:
        return False
    viewer = viewer_of(update)
    page = await data.comments.repo.published_page(idea_id, page_number)
    first = page.page * PAGE_SIZE + 1
    text, shortened = views.comment_list(language, idea, page, data.settings.tz, viewer, first)
    rows: list[list[Button]] = []
    for number, (comment, cut) in enumerate(zip(page.items, shortened, strict=True), start=first):
        row: list[Button] = []
        if cut:
            row.append(
                (
                    label(language, "citizen.button.read", number=number),
                    ShowComment(comment.id, page.page),
                )
            )
        if comment.user_id != viewer:
            row.append(
                (
                    label(language, "citizen.button.report", number=number),
                    cb.ReportComment(comment.id),
                )
            )
        rows.append(row)
    nav = page_row(language, page.page, page.page_count, lambda p: cb.IdeaComments(idea_id, p))
    rows += [
        nav,
        [(label(language, "citizen.button.write"), cb.WriteComment(idea_id))],
        [(label(language, "citizen.button.back_to_idea"), browse.carried_idea_link(update, idea))],
        menu_row(language),
    ]
    await show(update, text, keyboard(rows))
    return True


async def _visible(context: Context, comment_id: int, viewer: int) -> Comment | None:
    """A comment the viewer may see: published, or their own."""
    comment = await context.bot_data.comments.repo.get(comment_id)
    if comment is None or (comment.status != "approved" and comment.user_id != viewer):
        return None
    return comment


async def show_comment(
    update: Update, context: Context, language: str, comment_id: int, page: int
) -> bool:
    """One comment in full, with the report button; False if it is not visible (any more)."""
    data = context.bot_data
    viewer = viewer_of(update)
    comment = await _visible(context, comment_id, viewer)
    idea = await data.ideas.get(comment.idea_id) if comment else None
    if comment is None or idea is None:
        return False
    rows: list[list[Button]] = []
    if comment.user_id != viewer:
        rows.append([(label(language, "citizen.button.report_one"), cb.ReportComment(comment.id))])
    rows += back_rows(language, update, idea, page)
    await show(update, views.comment_single(language, comment, data.settings.tz), keyboard(rows))
    return True


async def ask_reason(update: Update, context: Context, language: str, comment_id: int) -> None:
    """Report a comment: first why (or say why it cannot be reported)."""
    data = context.bot_data
    viewer = viewer_of(update)
    comment = await data.comments.repo.get(comment_id)
    idea = await data.ideas.get(comment.idea_id) if comment else None
    if comment is None or idea is None or comment.status != "approved":
        await answer(update, t(language, "citizen.report.gone"))
    elif comment.user_id == viewer:
        await answer(update, t(language, "citizen.report.own"))
    elif await data.comments.repo.has_reported(comment_id, viewer):
        await answer(update, t(language, "citizen.report.already"))
    else:
        await answer(update)
        rows: list[list[Button]] = [
            [(label(language, f"comments.reason.{r}"), cb.ReportReason(comment_id, r))]
            for r in REASONS
        ]
        rows += back_rows(language, update, idea, 0)
        text = views.report_prompt(language, comment, data.settings.tz)
        await show(update, text, keyboard(rows))


async def report(
    update: Update, context: Context, language: str, comment_id: int, reason: str
) -> None:
    """Record the report; the moderators hear of it, three reports hide the comment."""
    data = context.bot_data
    viewer = viewer_of(update)
    comment = await data.comments.repo.get(comment_id)
    idea = await data.ideas.get(comment.idea_id) if comment else None
    if comment is None or idea is None:
        await answer(update, t(language, "citizen.report.gone"))
        return
    if comment.user_id == viewer:
        await answer(update, t(language, "citizen.report.own"))
        return
    new, hidden = await data.comments.report(comment_id, viewer, reason)
    if not new:
        already = await data.comments.repo.has_reported(comment_id, viewer)
        await answer(update, t(language, "citizen.report." + ("already" if already else "gone")))
        return
    logger.info("Comment %s reported by %s for %s (hidden: %s)", comment_id, viewer, reason, hidden)
    async with best_effort("a report"):
        await answer(update)
        thanks = t(language, "citizen.report.thanks")
        await show(update, thanks, keyboard(back_rows(language, update, idea, 0)))


async def on_button(
    update: Update,
    context: Context,
    action: cb.IdeaComments | ShowComment | cb.ReportComment | cb.ReportReason,
) -> None:
    """Comment lists, one comment, reports."""
    language = await language_of(update, context)
    match action:
        case cb.IdeaComments(idea_id=idea_id, page=page):
            if await show_comments(update, context, language, idea_id, page):
                await answer(update)
            else:
                await answer(update, t(language, "citizen.gone"))
        case ShowComment(comment_id=comment_id, page=page):
            if await show_comment(update, context, language, comment_id, page):
                await answer(update)
            else:
                await answer(update, t(language, "citizen.report.gone"))
        case cb.ReportComment(comment_id=comment_id):
            await ask_reason(update, context, language, comment_id)
        case cb.ReportReason(comment_id=comment_id, reason=reason):
            await report(update, context, language, comment_id, reason)


def register(app: App) -> None:
    """Comment lists, one comment, and reporting."""
    app.add_handler(on_tap(on_button))
