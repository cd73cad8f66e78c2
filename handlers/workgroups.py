"""Working groups for citizens: the idea view's section, /meine_gruppen and withdrawing."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, filters

from bot.context import Context
from handlers import callback_data as cb
from handlers import contacts, workgroup_flow
from handlers.common import Button, answer, keyboard, language_of, menu_row, reply, show
from handlers.workgroup_actions import JoinIdea, MyGroups, Withdraw
from messages import workgroups as views
from messages.catalog import t
from messages.render import label
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


async def on_button(update: Update, context: Context) -> None:
    """Meine Arbeitsgruppen and zurückziehen."""
    action = cb.parse(update.callback_query.data if update.callback_query else None)
    language = await language_of(update, context)
    user = update.effective_user
    if isinstance(action, Withdraw) and user is not None:
        item = await context.bot_data.workgroups.withdraw(action.registration_id, user.id)
        if item is None:
            await answer(update, t(language, "wg.stale"))
            return
        await answer(update)
        await reply(update, t(language, "wg.mine.withdrawn", group=item.group_name))
        await _show_mine(update, context, language, new=True)
        return
    await answer(update)
    await _show_mine(update, context, language, new=False)


def register(app: Application) -> None:  # type: ignore[type-arg]
    """Mitmachen, /meine_gruppen, and the contacts' commands (handlers.contacts)."""
    workgroup_flow.register(app)
    contacts.register(app)
    private = filters.ChatType.PRIVATE
    app.add_handler(
        CommandHandler(["meine_gruppen", "my_groups"], my_groups_command, filters=private)
    )
    app.add_handler(
        CallbackQueryHandler(
            on_button, pattern=lambda d: isinstance(cb.parse(d), (MyGroups, Withdraw))
        )
    )
