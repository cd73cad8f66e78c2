"""Browsing the idea map: regions → ideas of a region → one idea; likewise by challenge."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, filters

from bot.context import Context
from handlers import callback_data as cb
from handlers.common import Button, answer, keyboard, language_of, menu_row, show, show_main_menu
from messages.catalog import t
from messages.render import button_label, challenge_list, idea_detail, idea_list, label
from storage.models import Page


async def regions_command(update: Update, context: Context) -> None:
    """/regionen: the list of regions."""
    await show_regions(update, context, await language_of(update, context))


async def challenges_command(update: Update, context: Context) -> None:
    """/herausforderungen: the list of challenges."""
    await show_challenges(update, context, await language_of(update, context))


async def show_regions(update: Update, context: Context, language: str) -> None:
    """All regions with their idea counts, one button each."""
    data = context.bot_data
    rows: list[list[Button]] = [
        [(button_label(f"{r.name} ({r.idea_count})"), cb.RegionIdeas(r.id, 0))]
        for r in await data.regions.list_with_counts()
    ]
    without = await data.ideas.count_without_region()
    if without:
        rows.append([(label(language, "button.no_region", count=without), cb.RegionIdeas(0, 0))])
    rows.append(menu_row(language))
    await show(update, t(language, "regions.title"), keyboard(rows))


async def show_challenges(update: Update, context: Context, language: str) -> None:
    """The challenges, numbered in the text, with number buttons."""
    data = context.bot_data
    challenges = await data.ideas.challenges()
    without = await data.ideas.count_without_challenge()
    numbers: list[Button] = [
        (f"{n} ({c.idea_count})", cb.ChallengeIdeas(c.id, 0))
        for n, c in enumerate(challenges, start=1)
    ]
    rows = [numbers[i : i + 3] for i in range(0, len(numbers), 3)]
    if without:
        rows.append(
            [(label(language, "button.no_challenge", count=without), cb.ChallengeIdeas(0, 0))]
        )
    rows.append(menu_row(language))
    await show(update, challenge_list(language, challenges, without), keyboard(rows))


def _list_keyboard(
    language: str, page: Page, kind: str, list_id: int, back: Button
) -> list[list[Button]]:
    rows: list[list[Button]] = [
        [(button_label(item.title), cb.ShowIdea(item.id, kind, list_id, page.page))]
        for item in page.items
    ]

    def goto(number: int) -> cb.Action:
        if kind == "r":
            return cb.RegionIdeas(list_id, number)
        return cb.ChallengeIdeas(list_id, number)

    nav: list[Button] = []
    if page.page > 0:
        nav.append((label(language, "button.previous"), goto(page.page - 1)))
    if page.page + 1 < page.page_count:
        nav.append((label(language, "button.next"), goto(page.page + 1)))
    rows += [nav, [back], menu_row(language)]
    return rows


async def show_region_ideas(
    update: Update, context: Context, language: str, region_id: int, page_number: int
) -> bool:
    """A page of a region's ideas; False if the region does not exist."""
    data = context.bot_data
    if region_id == 0:
        title = t(language, "ideas.no_region_title")
    else:
        region = await data.regions.get(region_id)
        if region is None:
            return False
        title = region.name
    page = await data.ideas.page_by_region(region_id or None, page_number)
    back = (label(language, "button.all_regions"), cb.RegionList())
    text = idea_list(language, title, page, "ideas.empty_region")
    await show(update, text, keyboard(_list_keyboard(language, page, "r", region_id, back)))
    return True


async def show_challenge_ideas(
    update: Update, context: Context, language: str, challenge_id: int, page_number: int
) -> bool:
    """A page of a challenge's ideas; False if the challenge does not exist."""
    data = context.bot_data
    if challenge_id == 0:
        title = t(language, "ideas.no_challenge_title")
    else:
        challenge = await data.ideas.get_challenge(challenge_id)
        if challenge is None:
            return False
        title = challenge.title
    page = await data.ideas.page_by_challenge(challenge_id or None, page_number)
    back = (label(language, "button.all_challenges"), cb.ChallengeList())
    text = idea_list(language, title, page, "ideas.empty_challenge")
    await show(update, text, keyboard(_list_keyboard(language, page, "c", challenge_id, back)))
    return True


async def show_idea(
    update: Update, context: Context, language: str, idea_id: int, back: cb.Action | None
) -> bool:
    """One idea with a way back to its list (or to its region for deep links)."""
    idea = await context.bot_data.ideas.get(idea_id)
    if idea is None:
        return False
    if back is None:
        back = cb.RegionIdeas(idea.region_id or 0, 0)
    rows = [[(label(language, "button.back_to_list"), back)], menu_row(language)]
    await show(update, idea_detail(language, idea), keyboard(rows))
    return True


async def on_button(update: Update, context: Context) -> None:
    """Every browse button."""
    action = cb.parse(update.callback_query.data if update.callback_query else None)
    language = await language_of(update, context)
    await answer(update)
    found = True
    match action:
        case cb.RegionList():
            await show_regions(update, context, language)
        case cb.ChallengeList():
            await show_challenges(update, context, language)
        case cb.RegionIdeas(region_id=region_id, page=page):
            found = await show_region_ideas(update, context, language, region_id, page)
        case cb.ChallengeIdeas(challenge_id=challenge_id, page=page):
            found = await show_challenge_ideas(update, context, language, challenge_id, page)
        case cb.ShowIdea(idea_id=idea_id, list_kind=kind, list_id=list_id, page=page):
            back: cb.Action = (
                cb.RegionIdeas(list_id, page) if kind == "r" else cb.ChallengeIdeas(list_id, page)
            )
            found = await show_idea(update, context, language, idea_id, back)
    if not found:
        await show_main_menu(update, language, "errors.not_found")


_ACTIONS = (cb.RegionList, cb.ChallengeList, cb.RegionIdeas, cb.ChallengeIdeas, cb.ShowIdea)


def register(app: Application) -> None:  # type: ignore[type-arg]
    """Browse commands and buttons."""
    private = filters.ChatType.PRIVATE
    app.add_handler(CommandHandler(["regionen", "regions"], regions_command, filters=private))
    app.add_handler(
        CommandHandler(["herausforderungen", "challenges"], challenges_command, filters=private)
    )
    app.add_handler(
        CallbackQueryHandler(on_button, pattern=lambda d: isinstance(cb.parse(d), _ACTIONS))
    )
