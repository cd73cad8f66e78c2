"""Browsing the idea map: regions → ideas of a region → one idea; likewise by challenge."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from telegram import Message, Update
from telegram.ext import CommandHandler, filters

from bot.context import App, Context
from handlers import idea_menu, workgroups
from handlers.buttons import on_tap
from handlers.common import answer, language_of, show, show_main_menu
from messages import actions as cb
from messages.actions import ListKind, Sort
from messages.catalog import t
from messages.comment_views import idea_social
from messages.keyboards import Button, Keyboard, keyboard, menu_row
from messages.render import button_label, challenge_list, idea_detail, idea_list, label, shorten
from storage.models import Idea, IdeaSummary, Page

# Region lists can be ordered (SortedRegionIdeas.sort → IdeaRepository sort); RegionIdeas = "n".
SORTS: dict[Sort, str] = {"n": "newest", "d": "discussed", "r": "rated"}
# A ShowIdea button's page also carries the order of the list it came from:
# page + SORT_STRIDE * position in SORTS, so "newest" keeps the plain page number.
SORT_STRIDE = 1_000_000
ListAction = cb.RegionIdeas | cb.ChallengeIdeas | cb.SortedRegionIdeas | cb.SearchResults


async def regions_command(update: Update, context: Context) -> None:
    """/regionen: the list of regions."""
    await show_regions(update, context, await language_of(update, context))


async def challenges_command(update: Update, context: Context) -> None:
    """/herausforderungen: the list of challenges."""
    await show_challenges(update, context, await language_of(update, context))


Screen = tuple[str, Keyboard]


async def show_shared(
    update: Update,
    context: Context,
    key: tuple[object, ...],
    render: Callable[[], Awaitable[Screen | None]],
) -> bool:
    """Show a screen that is the same for everyone (bot/screens.py); False if it has none."""
    screens = context.bot_data.screens
    screen = screens.get(key)
    if screen is None:
        screen = await render()
        if screen is None:
            return False
        screens.put(key, *screen)
    await show(update, *screen)
    return True


async def show_regions(update: Update, context: Context, language: str) -> None:
    """All regions with their idea counts, one button each."""

    async def render() -> Screen:
        data = context.bot_data
        rows: list[list[Button]] = [
            [(button_label(f"{r.name} ({r.idea_count})"), cb.RegionIdeas(r.id, 0))]
            for r in await data.regions.list_with_counts()
        ]
        without = await data.ideas.count_without_region()
        if without:
            rows.append(
                [(label(language, "button.no_region", count=without), cb.RegionIdeas(0, 0))]
            )
        rows.append(menu_row(language))
        return t(language, "regions.title"), keyboard(rows)

    await show_shared(update, context, ("regions", language), render)


async def show_challenges(update: Update, context: Context, language: str) -> None:
    """The challenges, numbered in the text, with number buttons."""

    async def render() -> Screen:
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
        return challenge_list(language, challenges, without), keyboard(rows)

    await show_shared(update, context, ("challenges", language), render)


def list_page(kind: ListKind, list_id: int, page: int, sort: Sort = "n") -> ListAction:
    """The list action for a page of a region's (kind "r") or challenge's ("c") ideas, or of
    a search's results ("s", list_id: the kept search, handlers.search)."""
    if kind == "c":
        return cb.ChallengeIdeas(list_id, page)
    if kind == "s":
        return cb.SearchResults(list_id, page)
    if sort == "n":
        return cb.RegionIdeas(list_id, page)
    return cb.SortedRegionIdeas(list_id, sort, page)


def idea_link(idea_id: int, back: ListAction) -> cb.ShowIdea:
    """The ShowIdea action that returns to the given list page."""
    if isinstance(back, cb.ChallengeIdeas):
        return cb.ShowIdea(idea_id, "c", back.challenge_id, back.page)
    if isinstance(back, cb.SearchResults):
        return cb.ShowIdea(idea_id, "s", back.query_id, back.page)
    sort = back.sort if isinstance(back, cb.SortedRegionIdeas) else "n"
    return cb.ShowIdea(
        idea_id, "r", back.region_id, back.page + SORT_STRIDE * list(SORTS).index(sort)
    )


def list_of(action: cb.ShowIdea) -> ListAction:
    """The list page a ShowIdea action returns to."""
    order, page = divmod(action.page, SORT_STRIDE)
    sort = list(SORTS)[order] if order < len(SORTS) else "n"
    return list_page(action.list_kind, action.list_id, page, sort)


def carried_idea_link(update: Update, idea: Idea) -> cb.ShowIdea:
    """The way back to the idea, as the buttons of the tapped message remember it."""
    # The idea view's "back to the list" and each sub-view's "back to the idea" button carry
    # the list the user came from, so comments and ratings keep it without storing anything.
    query = update.callback_query
    message = query.message if query else None
    if isinstance(message, Message) and message.reply_markup is not None:
        for row in message.reply_markup.inline_keyboard:
            for button in row:
                action = cb.parse(button.callback_data)
                if isinstance(action, cb.ShowIdea) and action.idea_id == idea.id:
                    return action
                if isinstance(action, ListAction):
                    return idea_link(idea.id, action)
    return cb.ShowIdea(idea.id, "r", idea.region_id or 0, 0)


def _idea_label(item: IdeaSummary) -> str:
    if not item.comment_count:
        return button_label(item.title)
    suffix = f" (💬 {item.comment_count})"
    return shorten(item.title, 60 - len(suffix)) + suffix


def _list_keyboard(
    language: str, page: Page, kind: ListKind, list_id: int, back: Button, sort: Sort = "n"
) -> list[list[Button]]:
    here = list_page(kind, list_id, page.page, sort)
    rows: list[list[Button]] = [
        [(_idea_label(item), idea_link(item.id, here))] for item in page.items
    ]
    nav: list[Button] = []
    if page.page > 0:
        nav.append(
            (label(language, "button.previous"), list_page(kind, list_id, page.page - 1, sort))
        )
    if page.page + 1 < page.page_count:
        nav.append((label(language, "button.next"), list_page(kind, list_id, page.page + 1, sort)))
    rows.append(nav)
    if kind == "r" and page.total > 1:
        rows.append(
            [
                (_sort_label(language, code, sort), list_page(kind, list_id, 0, code))
                for code in SORTS
            ]
        )
    rows += [[back], menu_row(language)]
    return rows


def _sort_label(language: str, code: str, current: str) -> str:
    name = label(language, f"citizen.sort.{code}")
    return label(language, "button.selected", label=name) if code == current else name


async def show_region_ideas(
    update: Update,
    context: Context,
    language: str,
    region_id: int,
    page_number: int,
    sort: Sort = "n",
) -> bool:
    """A page of a region's ideas in an order; False if the region does not exist."""

    async def render() -> Screen | None:
        data = context.bot_data
        if region_id == 0:
            title = t(language, "ideas.no_region_title")
        else:
            region = await data.regions.get(region_id)
            if region is None:
                return None
            title = region.name
        page = await data.ideas.page_by_region(region_id or None, page_number, SORTS[sort])
        back = (label(language, "button.all_regions"), cb.RegionList())
        text = idea_list(language, title, page, "ideas.empty_region")
        rows = _list_keyboard(language, page, "r", region_id, back, sort)
        extra, group_rows = await workgroups.region_section(context, language, region_id)
        if extra:
            text = f"{text}\n\n{extra}"
        rows[-2:-2] = group_rows
        return text, keyboard(rows)

    key = ("region", language, region_id, page_number, sort)
    return await show_shared(update, context, key, render)


async def show_challenge_ideas(
    update: Update, context: Context, language: str, challenge_id: int, page_number: int
) -> bool:
    """A page of a challenge's ideas; False if the challenge does not exist."""

    async def render() -> Screen | None:
        data = context.bot_data
        if challenge_id == 0:
            title = t(language, "ideas.no_challenge_title")
        else:
            challenge = await data.ideas.get_challenge(challenge_id)
            if challenge is None:
                return None
            title = challenge.title
        page = await data.ideas.page_by_challenge(challenge_id or None, page_number)
        back = (label(language, "button.all_challenges"), cb.ChallengeList())
        text = idea_list(language, title, page, "ideas.empty_challenge")
        return text, keyboard(_list_keyboard(language, page, "c", challenge_id, back))

    key = ("challenge", language, challenge_id, page_number)
    return await show_shared(update, context, key, render)


async def show_idea(
    update: Update, context: Context, language: str, idea_id: int, back: cb.Action | None
) -> bool:
    """One idea with its comments and rating, and a way back to its list (or its region)."""
    data = context.bot_data
    idea = await data.ideas.get(idea_id)
    if idea is None:
        return False
    if back is None:
        back = cb.RegionIdeas(idea.region_id or 0, 0)
    user_id = update.effective_user.id if update.effective_user else None
    rating = await data.ratings.summary(idea.id, user_id)
    rows: list[list[Button]] = [
        [
            (
                label(language, "citizen.button.comments", count=idea.comment_count),
                cb.IdeaComments(idea.id, 0),
            ),
            (label(language, "citizen.button.write"), cb.WriteComment(idea.id)),
        ],
        [(label(language, "citizen.button.rate"), cb.RateIdea(idea.id))],
        [(label(language, "button.back_to_list"), back)],
        menu_row(language),
    ]
    extra, join_rows = await workgroups.idea_section(context, language, idea)
    social = idea_social(language, idea, rating) + (f"\n\n{extra}" if extra else "")
    rows[1:1] = join_rows
    rows[-2:-2] = await idea_menu.staff_rows(context, language, idea, user_id)  # staff only
    text = idea_detail(language, idea, social)
    await show(update, text, keyboard(rows))
    return True


async def on_button(
    update: Update,
    context: Context,
    action: cb.RegionList
    | cb.ChallengeList
    | cb.RegionIdeas
    | cb.SortedRegionIdeas
    | cb.ChallengeIdeas
    | cb.ShowIdea,
) -> None:
    """Every browse button."""
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
        case cb.SortedRegionIdeas(region_id=region_id, sort=sort, page=page):
            found = await show_region_ideas(update, context, language, region_id, page, sort)
        case cb.ChallengeIdeas(challenge_id=challenge_id, page=page):
            found = await show_challenge_ideas(update, context, language, challenge_id, page)
        case cb.ShowIdea(idea_id=idea_id):
            found = await show_idea(update, context, language, idea_id, list_of(action))
    if not found:
        await show_main_menu(update, language, "errors.not_found")


def register(app: App) -> None:
    """Browse commands and buttons."""
    private = filters.ChatType.PRIVATE
    app.add_handler(CommandHandler(["regionen", "regions"], regions_command, filters=private))
    app.add_handler(
        CommandHandler(["herausforderungen", "challenges"], challenges_command, filters=private)
    )
    app.add_handler(on_tap(on_button))
