"""Working groups for citizens: the idea view's section, /meine_gruppen and withdrawing."""

from __future__ import annotations

from telegram import Update

from bot.context import App, Context
from handlers.buttons import on_tap
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
from messages import workgroups as views
from messages.actions import (
    ConfirmWithdraw,
    JoinGroup,
    JoinIdea,
    MyGroups,
    RegionGroups,
    ShowGroup,
    Withdraw,
)
from messages.catalog import t
from messages.content import content_label
from messages.keyboards import Button, keyboard, menu_row
from messages.render import button_label, label
from storage.models import Idea


async def idea_section(
    context: Context, language: str, idea: Idea
) -> tuple[str, list[list[Button]]]:
    """For the idea view: its working groups, the region's contact, and a Mitmachen button."""
    repo = context.bot_data.workgroups.repo
    groups = await repo.groups_of_idea(idea.id)
    region_ids = {g.region_id for g in groups} | ({idea.region_id} if idea.region_id else set())
    contacts = [c for region in sorted(region_ids) for c in await repo.contacts_of_region(region)]
    text = views.idea_section(language, groups, contacts)
    rows: list[list[Button]] = []
    if any(g.open for g in groups):
        rows.append([(label(language, "wg.button.join"), JoinIdea(idea.id))])
    return text, rows


MAX_IDEA_BUTTONS = 8
MAX_GROUP_BUTTONS = 20


async def show_group(update: Update, context: Context, language: str, group_id: int) -> bool:
    """One working group with its ideas as buttons, its contact and Mitmachen."""
    repo = context.bot_data.workgroups.repo
    group = await repo.group(group_id)
    if group is None:
        return False
    ideas = await repo.ideas_of_group(group.id)
    contacts = await repo.contacts_of_region(group.region_id)
    shown = ideas[:MAX_IDEA_BUTTONS]
    rows: list[list[Button]] = [
        [(button_label(title), cb.ShowIdea(idea_id, "r", group.region_id, 0))]
        for idea_id, title in shown
    ]
    if group.open:
        rows.insert(0, [(label(language, "wg.button.join"), JoinGroup(group.id, 0))])
    rows.append([(label(language, "wg.button.back_region"), cb.RegionIdeas(group.region_id, 0))])
    rows.append(menu_row(language))
    text = views.group_view(language, group, ideas, contacts, len(shown))
    await show(update, text, keyboard(rows))
    return True


async def show_region_groups(
    update: Update, context: Context, language: str, region_id: int
) -> bool:
    """A region's working groups, one button each."""
    region = await context.bot_data.regions.get(region_id)
    if region is None:
        return False
    groups = await context.bot_data.workgroups.repo.groups_of_region(region_id)
    rows: list[list[Button]] = [
        [(content_label(language, g.name, g.name_en), ShowGroup(g.id))]
        for g in groups[:MAX_GROUP_BUTTONS]
    ]
    rows.append([(label(language, "wg.button.back_region"), cb.RegionIdeas(region_id, 0))])
    rows.append(menu_row(language))
    await show(update, views.groups_list(language, region.name), keyboard(rows))
    return True


async def my_groups_command(update: Update, context: Context) -> None:
    """/meine_gruppen: my registrations."""
    await _show_mine(update, context, await language_of(update, context), new=True)


async def _show_mine(update: Update, context: Context, language: str, *, new: bool) -> None:
    user = update.effective_user
    if user is None:
        return
    items = await context.bot_data.workgroups.repo.registrations_of_user(user.id)
    rows: list[list[Button]] = [
        [(label(language, "wg.button.withdraw", number=n), Withdraw(i.id))]
        for n, i in enumerate(items, start=1)
        if i.status != "withdrawn"
    ]
    rows.append(menu_row(language))
    put = reply if new else show
    await put(update, views.my_groups(language, items), keyboard(rows))


async def _not_withdrawable(
    update: Update, context: Context, language: str, registration_id: int, user_id: int
) -> bool:
    """Say why a registration cannot be withdrawn (any more) and show the list as it is now."""
    now = await context.bot_data.workgroups.repo.registration(registration_id)
    if now is not None and now.user_id == user_id and now.status != "withdrawn":
        return False
    if now is not None and now.user_id == user_id:
        await answer(update, t(language, "wg.mine.already", group=now.group_name))
    else:  # erased, or not theirs
        await answer(update, t(language, "wg.mine.gone"))
    await _show_mine(update, context, language, new=False)
    return True


async def _ask_withdraw(
    update: Update, context: Context, language: str, registration_id: int, user_id: int
) -> None:
    """↩️ zurückziehen: asks once, since the details are erased for good."""
    if await _not_withdrawable(update, context, language, registration_id, user_id):
        return
    item = await context.bot_data.workgroups.repo.registration(registration_id)
    assert item is not None
    await answer(update)
    rows: list[list[Button]] = [
        [(label(language, "wg.button.withdraw_yes"), ConfirmWithdraw(registration_id))],
        [(label(language, "wg.button.withdraw_no"), MyGroups())],
    ]
    await show(
        update, t(language, "wg.mine.confirm_withdraw", group=item.group_name), keyboard(rows)
    )


async def on_button(
    update: Update,
    context: Context,
    action: MyGroups | Withdraw | ConfirmWithdraw | ShowGroup | RegionGroups,
) -> None:
    """Meine Arbeitsgruppen and zurückziehen."""
    language = await language_of(update, context)
    user = update.effective_user
    if isinstance(action, Withdraw) and user is not None:
        await _ask_withdraw(update, context, language, action.registration_id, user.id)
        return
    if isinstance(action, ConfirmWithdraw) and user is not None:
        item = await context.bot_data.workgroups.withdraw(action.registration_id, user.id)
        if item is None:  # withdrawn before (another copy of the list), erased, or not theirs
            await _not_withdrawable(update, context, language, action.registration_id, user.id)
            return
        async with best_effort("a withdrawal"):
            await answer(update)
            await show(update, t(language, "wg.mine.withdrawn", group=item.group_name))
            await _show_mine(update, context, language, new=True)
        return
    await answer(update)
    found = True
    match action:
        case ShowGroup(group_id=group_id):
            found = await show_group(update, context, language, group_id)
        case RegionGroups(region_id=region_id):
            found = await show_region_groups(update, context, language, region_id)
        case _:
            await _show_mine(update, context, language, new=False)
    if not found:
        await show_main_menu(update, language, "errors.not_found")


def register(app: App) -> None:
    """/meine_gruppen and the buttons of working groups."""
    app.add_handler(private_command(["meine_gruppen", "my_groups"], my_groups_command))
    app.add_handler(on_tap(on_button))
