"""Following ideas („🔔 Folgen“ / „🔕 Nicht mehr folgen“ on an idea), an idea's history
(„📜 Verlauf“), and /meine_ideen (/my_ideas): the ideas one follows."""

from __future__ import annotations

from telegram import Update

from bot.context import App, Context
from handlers import browse
from handlers.buttons import on_tap, tapped_button_shown
from handlers.common import (
    answer,
    best_effort,
    language_of,
    private_command,
    reply,
    show,
    show_main_menu,
)
from messages import actions as cb
from messages import ideas as views
from messages.catalog import t
from messages.content import content_label
from messages.keyboards import Button, keyboard, menu_row, page_row
from messages.render import label
from storage.models import IdeaSummary

TOASTS = {  # (outcome, on) → what the tap did
    ("followed", True): "lifecycle.answer.followed",
    ("unfollowed", False): "lifecycle.answer.unfollowed",
    ("unchanged", True): "lifecycle.answer.already_following",
    ("unchanged", False): "lifecycle.answer.not_following",
    ("archived", True): "lifecycle.answer.archived",
}


def user_id_of(update: Update) -> int:
    """The id of the person who sent the update (0 if there is none)."""
    return update.effective_user.id if update.effective_user else 0


async def my_ideas_command(update: Update, context: Context) -> None:
    """/meine_ideen: the ideas one follows."""
    await show_my_ideas(update, context, await language_of(update, context), 0, new=True)


def _label(language: str, item: IdeaSummary) -> str:
    emoji = views.STATUS_EMOJI.get(item.status, "")
    return f"{emoji} {content_label(language, item.title, item.title_en, 57)}"


async def show_my_ideas(
    update: Update, context: Context, language: str, page_number: int, *, new: bool = False
) -> None:
    """A page of the ideas one follows, each a button; without any, where to find ideas."""
    page = await context.bot_data.follows.followed_page(user_id_of(update), page_number)
    here = cb.MyIdeas(page.page)
    rows: list[list[Button]] = [
        [(_label(language, item), browse.idea_link(item.id, here))] for item in page.items
    ]
    nav = page_row(language, page.page, page.page_count, cb.MyIdeas)
    rows.append(nav)
    if page.total == 0:
        rows += [
            [
                (label(language, "region_page.button.map"), cb.ShowMap()),
                (label(language, "button.regions"), cb.RegionList()),
            ],
            [(label(language, "button.find_region"), cb.FindRegion())],
        ]
    rows.append(menu_row(language))
    await (reply if new else show)(update, views.my_ideas(language, page), keyboard(rows))


async def follow(update: Update, context: Context, language: str, idea_id: int, on: bool) -> None:
    """Follow or stop following; say what happened and show the idea as it is now."""
    data = context.bot_data
    outcome = await data.follows.set_following(idea_id, user_id_of(update), on)
    if outcome == "gone":
        await answer(update, t(language, "errors.not_found"))
        if tapped_button_shown(update):
            await show_main_menu(update, language, "errors.not_found")
        return
    changed = outcome in ("followed", "unfollowed")
    toast = t(language, TOASTS.get((outcome, on), "lifecycle.answer.archived"))
    async with best_effort("a changed follow"):  # the change is committed: telling is extra
        await answer(update, toast)
        if not changed and not tapped_button_shown(update):
            return  # a double tap or a forged button: the short answer is enough
        idea = await data.ideas.get(idea_id)
        if idea is None:
            return
        back = browse.list_of(browse.carried_idea_link(update, idea))
        await browse.show_idea(update, context, language, idea_id, back)


async def show_history(
    update: Update, context: Context, language: str, idea_id: int, page_number: int
) -> bool:
    """A page of the idea's history, with the way back to the idea; False if it is gone."""
    data = context.bot_data
    idea = await data.ideas.get(idea_id)
    if idea is None:
        return False
    if idea.archived:
        following = await data.follows.is_following(idea.id, user_id_of(update))
        await browse.show_archived(update, context, language, idea, following)
        return True
    page = await data.lifecycle.news_page(idea.id, page_number)
    nav = page_row(language, page.page, page.page_count, lambda p: cb.IdeaHistory(idea.id, p))
    back = browse.carried_idea_link(update, idea)
    rows: list[list[Button]] = [
        nav,
        [(label(language, "citizen.button.back_to_idea"), back)],
        menu_row(language),
    ]
    await show(update, views.history(language, idea, page, data.settings.tz), keyboard(rows))
    return True


async def on_button(
    update: Update, context: Context, action: cb.FollowIdea | cb.IdeaHistory | cb.MyIdeas
) -> None:
    """Folgen, Verlauf, Meine Ideen."""
    language = await language_of(update, context)
    if isinstance(action, cb.FollowIdea):
        await follow(update, context, language, action.idea_id, bool(action.on))
        return
    await answer(update)
    found = True
    if isinstance(action, cb.IdeaHistory):
        found = await show_history(update, context, language, action.idea_id, action.page)
    else:
        await show_my_ideas(update, context, language, action.page)
    if not found:
        await show_main_menu(update, language, "errors.not_found")


def register(app: App) -> None:
    """/meine_ideen and the buttons of following ideas."""
    app.add_handler(private_command(["meine_ideen", "my_ideas"], my_ideas_command))
    app.add_handler(on_tap(on_button))
