"""/arbeitsgruppen: staff list the working groups of their regions, open a group's menu,
open or close it, and link the region's ideas to it (one tap each, audited)."""

from __future__ import annotations

from telegram import Update

from bot.context import App, Context
from bot.services.staff import Staff
from handlers import dialog, group_staff_form
from handlers.buttons import on_tap
from handlers.common import answer, best_effort, private_command, reply, show
from handlers.staff_common import committed, refuse_region, regions_of, staff_language
from messages import group_staff as views
from messages.actions import (
    GroupIdeaPage,
    GroupTask,
    LinkIdea,
    ManageGroup,
    NewGroup,
    StaffGroups,
)
from messages.catalog import t
from messages.keyboards import Button, Keyboard, keyboard, menu_row, page_row
from messages.render import button_label, label
from storage.models import WorkingGroup

PAGE_SIZE = views.PAGE_SIZE


async def _list(context: Context, language: str, staff: Staff, page: int) -> tuple[str, Keyboard]:
    repo = context.bot_data.group_edits.repo
    groups = [
        g for r in await regions_of(context, staff) for g in await repo.groups_of_region(r.id)
    ]
    pages = max(1, -(-len(groups) // PAGE_SIZE))
    page = min(max(page, 0), pages - 1)
    shown = groups[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
    rows: list[list[Button]] = [[(views.group_label(g), ManageGroup(g.id, "m"))] for g in shown]
    nav = page_row(language, page, pages, StaffGroups)
    rows += [nav, [(label(language, "group_staff.button.new"), NewGroup())], menu_row(language)]
    return views.group_list(language, len(groups), page, pages), keyboard(rows)


async def groups_command(update: Update, context: Context) -> None:
    """/arbeitsgruppen: the groups of the person's regions."""
    found = await staff_language(update, context)
    if found is None:
        return
    language, staff = found
    await reply(update, *await _list(context, language, staff, 0))


async def show_menu(
    update: Update, context: Context, language: str, group: WorkingGroup, note: str = ""
) -> None:
    """A group's menu: name, description, open/close, ideas."""
    ideas = await context.bot_data.group_edits.repo.ideas_of_group(group.id)

    def task(key: str, code: GroupTask) -> Button:
        return (label(language, f"group_staff.button.{key}"), ManageGroup(group.id, code))

    rows: list[list[Button]] = [
        [task("name", "n"), task("description", "d")],
        [task("close", "c") if group.open else task("open", "o"), task("ideas", "i")],
        [(label(language, "group_staff.button.all"), StaffGroups(0))],
        menu_row(language),
    ]
    await show(update, views.menu(language, group, len(ideas), note), keyboard(rows))


async def _ideas(
    update: Update, context: Context, language: str, group: WorkingGroup, page: int, note: str = ""
) -> None:
    """A page of the region's ideas, each a button that links or unlinks it."""
    data = context.bot_data
    found = await data.ideas.page_by_region(group.region_id, page)
    linked = {idea_id for idea_id, _ in await data.group_edits.repo.ideas_of_group(group.id)}
    rows: list[list[Button]] = [
        [
            (
                button_label(("✅ " if item.id in linked else "➕ ") + item.title),
                LinkIdea(group.id, item.id, 0 if item.id in linked else 1, found.page),
            )
        ]
        for item in found.items
    ]
    nav = page_row(language, found.page, found.page_count, lambda p: GroupIdeaPage(group.id, p))
    rows += [nav, [(label(language, "group_staff.button.back"), ManageGroup(group.id, "m"))]]
    await show(update, views.link_screen(language, group, found, note), keyboard(rows))


async def _group(
    update: Update, context: Context, language: str, staff: Staff, group_id: int
) -> WorkingGroup | None:
    group = await context.bot_data.group_edits.repo.group(group_id)
    if group is None:
        await answer(update, t(language, "staff.refused.group_gone"))
        return None
    if not staff.may(group.region_id):
        await refuse_region(update, context, language)
        return None
    return group


async def on_button(
    update: Update,
    context: Context,
    action: StaffGroups | ManageGroup | NewGroup | GroupIdeaPage | LinkIdea,
) -> None:
    """The list, a group's menu and tasks, linking ideas, a new group."""
    found = await staff_language(update, context)
    if found is None:
        return
    language, staff = found
    if isinstance(action, StaffGroups):
        await answer(update)
        await show(update, *await _list(context, language, staff, action.page))
        return
    if isinstance(action, NewGroup):
        await answer(update)
        await group_staff_form.begin_new(update, context, language, staff)
        return
    group = await _group(update, context, language, staff, action.group_id)
    if group is None:
        return
    service = context.bot_data.group_edits
    if isinstance(action, GroupIdeaPage):
        await answer(update)
        await _ideas(update, context, language, group, action.page)
    elif isinstance(action, LinkIdea):
        change = service.link(staff.user_id, group.id, action.idea_id, link=bool(action.link))
        changed = await committed(
            update, context, language, staff.user_id, change, ends_dialogue=False
        )
        if changed is None:
            return
        key = ("linked" if action.link else "unlinked") if changed else "unchanged"
        async with best_effort("a linked idea"):
            await answer(update, t(language, f"group_staff.ideas.{key}"))
            await _ideas(update, context, language, group, action.page)
    elif action.task in ("o", "c"):
        opened = action.task == "o"
        done = await committed(
            update,
            context,
            language,
            staff.user_id,
            service.set_open(staff.user_id, group.id, opened),
            ends_dialogue=False,
        )
        if done is None:
            return
        key = ("opened" if opened else "closed") if done else "unchanged"
        fresh = await service.repo.group(group.id) or group
        async with best_effort("an opened or closed group"):
            await answer(update)
            await show_menu(
                update, context, language, fresh, t(language, f"group_staff.menu.{key}")
            )
    else:
        draft = await context.bot_data.drafts.get(staff.user_id)
        if draft is not None and draft.flow in group_staff_form.FLOWS:
            await dialog.finish(context, staff.user_id)  # back to the menu: the dialogue is left
        await answer(update)
        if action.task == "i":
            await _ideas(update, context, language, group, 0)
        elif action.task in ("n", "d"):
            field = "name" if action.task == "n" else "description"
            await group_staff_form.begin_edit(update, context, language, group, field)
        else:
            await show_menu(update, context, language, group)


def register(app: App) -> None:
    """/arbeitsgruppen (/working_groups) and the groups' staff buttons."""
    app.add_handler(private_command(["arbeitsgruppen", "working_groups"], groups_command))
    app.add_handler(on_tap(on_button))
