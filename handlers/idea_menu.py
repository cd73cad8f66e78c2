"""„🛠 Idee verwalten“: the button on the idea view for staff of its region, and the menu."""

from __future__ import annotations

from telegram import Update

from bot.context import Context
from bot.services.staff import Staff
from handlers import dialog
from handlers.common import answer, reply, show
from handlers.staff_common import refuse_region, still_allowed
from messages import idea_staff as views
from messages.actions import ArchivedPage, IdeaTask, ManageIdea, ShowIdea
from messages.catalog import t
from messages.keyboards import Button, keyboard, main_menu_keyboard, menu_row
from messages.render import label
from storage.models import Draft, Idea


async def staff_rows(
    context: Context, language: str, idea: Idea, user_id: int | None
) -> list[list[Button]]:
    """For the idea view: „🛠 Idee verwalten“ if the person maintains the idea's region."""
    if user_id is None:
        return []
    data = context.bot_data
    if user_id in data.settings.admins or await data.roles.moderates(user_id, idea.region_id):
        return [[(label(language, "idea_staff.button.manage"), ManageIdea(idea.id, "m"))]]
    return []


async def idea_for(
    update: Update, context: Context, language: str, staff: Staff, idea_id: int
) -> Idea | None:
    """The idea if the person maintains it; otherwise None after saying why."""
    idea = await context.bot_data.ideas.get(idea_id)
    if idea is None:
        await gone(update, language)
        return None
    if not staff.may(idea.region_id):
        await refuse_region(update, context, language)
        return None
    return idea


async def gone(update: Update, language: str) -> None:
    """The idea does not exist (any more)."""
    if update.callback_query is not None:
        await answer(update, t(language, "idea_staff.gone"))
    else:
        await reply(update, t(language, "idea_staff.gone"), main_menu_keyboard(language))


async def draft_idea(update: Update, context: Context, language: str, draft: Draft) -> Idea | None:
    """The idea of a staff dialogue; None after ending the dialogue if it is gone or archived."""
    idea = await context.bot_data.ideas.get(int(str(draft.data.get("idea_id", 0))))
    if idea is None or idea.archived:
        await dialog.finish(context, draft.user_id)
        await gone(update, language)
        return None
    return idea


async def maintained_idea(
    update: Update, context: Context, language: str, draft: Draft
) -> Idea | None:
    """The dialogue's idea if it is still there and the person still maintains its region;
    None once the dialogue has ended with the reason said."""
    idea = await draft_idea(update, context, language, draft)
    if idea is None or not await still_allowed(update, context, draft, language, idea.region_id):
        return None
    return idea


def back_to_idea(language: str, idea: Idea) -> Button:
    """« Zur Idee (the citizens' view)."""
    return (
        label(language, "idea_staff.button.to_idea"),
        ShowIdea(idea.id, "r", idea.region_id or 0, 0),
    )


def back_to_menu(language: str, idea: Idea) -> Button:
    """« Zurück to the manage menu."""
    return (label(language, "idea_staff.button.back_to_menu"), ManageIdea(idea.id, "m"))


def menu_keyboard_rows(language: str, idea: Idea) -> list[list[Button]]:
    """The tasks: edit, news, status, archive; for an archived idea only restore."""

    def task(key: str, code: IdeaTask) -> Button:
        return (label(language, f"idea_staff.button.{key}"), ManageIdea(idea.id, code))

    if idea.archived:
        return [
            [task("restore", "r")],
            [(label(language, "idea_staff.button.archive_list"), ArchivedPage(0))],
            menu_row(language),
        ]
    return [
        [task("edit", "e"), task("news", "n")],
        [task("status", "s"), task("archive", "a")],
        [back_to_idea(language, idea)],
        menu_row(language),
    ]


async def show_menu(
    update: Update, context: Context, language: str, idea: Idea, note: str = ""
) -> None:
    """The manage menu of an idea (edits the tapped message)."""
    await show(
        update, views.menu(language, idea, note), keyboard(menu_keyboard_rows(language, idea))
    )
