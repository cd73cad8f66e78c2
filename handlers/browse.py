"""Browsing the idea map: regions → ideas of a region → one idea; likewise by challenge."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from zoneinfo import ZoneInfo

from telegram import Message, Update

from bot.context import App, Context
from handlers import idea_menu, region_page, workgroups
from handlers.buttons import on_tap
from handlers.common import answer, language_of, private_command, show, show_main_menu
from messages import actions as cb
from messages import ideas as lifecycle
from messages.actions import ListKind, Sort
from messages.catalog import t
from messages.comment_views import idea_social
from messages.content import content_label, localized, region_name
from messages.keyboards import Button, Keyboard, keyboard, menu_row, page_row
from messages.regions import region_page as region_page_text
from messages.render import challenge_list, idea_detail, idea_list, label
from messages.workshops import short_date
from storage.models import Idea, IdeaSummary, Page

# Region lists can be ordered (SortedRegionIdeas.sort → IdeaRepository sort); RegionIdeas = "n".
SORTS: dict[Sort, str] = {"n": "newest", "d": "discussed", "r": "rated"}
# A ShowIdea button's page also carries the order of the list it came from:
# page + SORT_STRIDE * position in SORTS, so "newest" keeps the plain page number.
SORT_STRIDE = 1_000_000
ListAction = cb.RegionIdeas | cb.ChallengeIdeas | cb.SortedRegionIdeas | cb.SearchResults
# Where else an idea can be opened from, and its back button returns to.
BackAction = ListAction | cb.ShowPastWorkshop | cb.MyIdeas


async def regions_command(update: Update, context: Context) -> None:
    """/regionen: the list of regions."""
    await show_regions(update, context, await language_of(update, context))


async def challenges_command(update: Update, context: Context) -> None:
    """/herausforderungen: the list of challenges."""
    await show_challenges(update, context, await language_of(update, context))


Screen = tuple[str, Keyboard]
# A screen that goes out of date at a moment (see bot/screens.py), e.g. a region's page.
TimedScreen = tuple[str, Keyboard, dt.datetime | None]


async def shared_screen(
    context: Context,
    key: tuple[object, ...],
    render: Callable[[], Awaitable[Screen | TimedScreen | None]],
) -> Screen | None:
    """A screen that is the same for everyone (bot/screens.py), rendered if need be."""
    screens = context.bot_data.screens
    screen = screens.get(key, context.bot_data.clock())
    if screen is None:
        rendered = await render()
        if rendered is None:
            return None
        until = rendered[2] if len(rendered) == 3 else None
        screen = rendered[0], rendered[1]
        screens.put(key, *screen, until=until)
    return screen


async def show_shared(
    update: Update,
    context: Context,
    key: tuple[object, ...],
    render: Callable[[], Awaitable[Screen | TimedScreen | None]],
) -> bool:
    """Show a screen that is the same for everyone (bot/screens.py); False if it has none."""
    screen = await shared_screen(context, key, render)
    if screen is None:
        return False
    await show(update, *screen)
    return True


async def show_regions(update: Update, context: Context, language: str) -> None:
    """All regions with their idea counts, one button each."""

    async def render() -> Screen:
        data = context.bot_data
        rows: list[list[Button]] = [
            [
                (
                    label(
                        language,
                        "button.with_count",
                        name=region_name(language, r.name, r.name_en),
                        count=r.idea_count,
                    ),
                    cb.RegionIdeas(r.id, 0),
                )
            ]
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


def list_page(kind: ListKind, list_id: int, page: int, sort: Sort = "n") -> BackAction:
    """The list action for a page of a region's (kind "r") or challenge's ("c") ideas, of a
    search's results ("s", list_id: the kept search, handlers.search), or the past Ideenlabor
    ("w", "v") or the ideas one follows ("m") an idea was opened from."""
    match kind:
        case "c":
            return cb.ChallengeIdeas(list_id, page)
        case "s":
            return cb.SearchResults(list_id, page)
        case "w" | "v":
            return cb.ShowPastWorkshop(list_id, "a" if kind == "w" else "r", page)
        case "m":
            return cb.MyIdeas(page)
    if sort == "n":
        return cb.RegionIdeas(list_id, page)
    return cb.SortedRegionIdeas(list_id, sort, page)


def idea_link(idea_id: int, back: BackAction) -> cb.ShowIdea:
    """The ShowIdea action that returns to the given list page (or past Ideenlabor)."""
    match back:
        case cb.ChallengeIdeas():
            return cb.ShowIdea(idea_id, "c", back.challenge_id, back.page)
        case cb.SearchResults():
            return cb.ShowIdea(idea_id, "s", back.query_id, back.page)
        case cb.ShowPastWorkshop():
            kind: ListKind = "w" if back.scope == "a" else "v"
            return cb.ShowIdea(idea_id, kind, back.workshop_id, back.page)
        case cb.MyIdeas():
            return cb.ShowIdea(idea_id, "m", 0, back.page)
    sort = back.sort if isinstance(back, cb.SortedRegionIdeas) else "n"
    return cb.ShowIdea(
        idea_id, "r", back.region_id, back.page + SORT_STRIDE * list(SORTS).index(sort)
    )


def list_of(action: cb.ShowIdea) -> BackAction:
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
        buttons = [b for row in message.reply_markup.inline_keyboard for b in row]
        actions = [cb.parse(button.callback_data) for button in buttons]
        for action in actions:
            if isinstance(action, cb.ShowIdea) and action.idea_id == idea.id:
                return action
        # From the bottom: the back button is the last before the main menu (an idea's
        # origin, a past Ideenlabor, sits above it).
        for action in reversed(actions):
            if isinstance(action, BackAction):
                return idea_link(idea.id, action)
    return cb.ShowIdea(idea.id, "r", idea.region_id or 0, 0)


def _idea_label(language: str, item: IdeaSummary) -> str:
    if not item.comment_count:
        return content_label(language, item.title, item.title_en)
    suffix = f" (💬 {item.comment_count})"
    return content_label(language, item.title, item.title_en, 60 - len(suffix)) + suffix


def _list_keyboard(
    language: str, page: Page, kind: ListKind, list_id: int, back: Button, sort: Sort = "n"
) -> list[list[Button]]:
    here = list_page(kind, list_id, page.page, sort)
    rows: list[list[Button]] = [
        [(_idea_label(language, item), idea_link(item.id, here))] for item in page.items
    ]
    rows.append(
        page_row(language, page.page, page.page_count, lambda p: list_page(kind, list_id, p, sort))
    )
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
    """A page of a region's ideas in an order; its first page is the region's page (see
    handlers.region_page). False if the region does not exist."""
    data = context.bot_data
    # The region's page offers this user „abonnieren“ or „Abo beenden“: two versions of it.
    subscribed = None
    if region_id and page_number == 0:
        user = update.effective_user
        subscribed = await region_page.subscribed(context, user.id if user else 0, region_id)

    async def render() -> Screen | TimedScreen | None:
        if region_id == 0:
            page = await data.ideas.page_by_region(None, page_number, SORTS[sort])
            back = (label(language, "button.all_regions"), cb.RegionList())
            title = t(language, "ideas.no_region_title")
            text = idea_list(language, title, page, "ideas.empty_region")
            return text, keyboard(_list_keyboard(language, page, "r", 0, back, sort))
        region = await data.regions.get(region_id)
        if region is None:
            return None
        title = region_name(language, region.name, region.name_en)
        page = await data.ideas.page_by_region(region_id, page_number, SORTS[sort])
        back = (label(language, "button.all_regions"), cb.RegionList())
        rows = _list_keyboard(language, page, "r", region_id, back, sort)
        if page.page > 0:
            return idea_list(language, title, page, "ideas.empty_region"), keyboard(rows)
        facts = await region_page.region_facts(context, region, data.clock())
        text = region_page_text(language, title, page, facts, data.settings.tz)
        extra = region_page.region_rows(language, region, facts, page.total > 0, subscribed)
        rows[-2:-2] = extra
        return text, keyboard(rows), region_page.valid_until(facts)

    key = ("region", language, region_id, page_number, sort, subscribed)
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
            title = localized(language, challenge.title, challenge.title_en)
        page = await data.ideas.page_by_challenge(challenge_id or None, page_number)
        back = (label(language, "button.all_challenges"), cb.ChallengeList())
        text = idea_list(language, title, page, "ideas.empty_challenge")
        rows = _list_keyboard(language, page, "c", challenge_id, back)
        propose = (label(language, "button.propose"), cb.ProposeIdea(0, challenge_id))
        rows[-2:-2] = [[propose]]  # above „back“ and the main menu
        return text, keyboard(rows)

    key = ("challenge", language, challenge_id, page_number)
    return await show_shared(update, context, key, render)


async def show_idea(
    update: Update, context: Context, language: str, idea_id: int, back: cb.Action | None
) -> bool:
    """One idea with its status, origin, news, comments and rating, following it, and a way
    back to its list (or its region); an archived one says so. False if there is no such idea."""
    data = context.bot_data
    idea = await data.ideas.get(idea_id)
    if idea is None:
        return False
    user_id = update.effective_user.id if update.effective_user else 0
    following = await data.follows.is_following(idea.id, user_id)
    if idea.archived:
        await show_archived(update, context, language, idea, following)
        return True
    if back is None:
        back = cb.RegionIdeas(idea.region_id or 0, 0)
    tz = data.settings.tz
    rating = await data.ratings.summary(idea.id, user_id)
    news = await data.lifecycle.latest_news(idea.id, lifecycle.NEWS_IN_VIEW)
    groups, join_rows = await workgroups.idea_section(context, language, idea)
    rows: list[list[Button]] = [
        [
            (
                label(language, "citizen.button.comments", count=idea.comment_count),
                cb.IdeaComments(idea.id, 0),
            ),
            (label(language, "citizen.button.write"), cb.WriteComment(idea.id)),
        ],
        [(label(language, "citizen.button.rate"), cb.RateIdea(idea.id))],
        *join_rows,
        [follow_button(language, idea.id, following), *_history(language, idea, bool(news))],
        _origin(language, idea, tz),
        [(label(language, "button.back_to_list"), back)],
        menu_row(language),
    ]
    rows[-2:-2] = await idea_menu.staff_rows(context, language, idea, user_id)  # staff only
    social = [
        idea_social(language, idea, rating),
        groups,
        lifecycle.follower_line(language, idea, following),
    ]
    text = idea_detail(
        language,
        idea,
        "\n\n".join(part for part in social if part),
        facts=[
            line
            for line in (
                lifecycle.status_line(language, idea, tz),
                lifecycle.origin_line(language, idea, tz),
            )
            if line
        ],
        news=lifecycle.news_section(language, news, tz),
    )
    await show(update, text, keyboard(rows))
    return True


def follow_button(language: str, idea_id: int, following: bool) -> Button:
    """„🔔 Folgen“, or „🔕 Nicht mehr folgen“ for someone who follows the idea."""
    if following:
        return label(language, "lifecycle.button.unfollow"), cb.FollowIdea(idea_id, 0)
    return label(language, "lifecycle.button.follow"), cb.FollowIdea(idea_id, 1)


def _history(language: str, idea: Idea, has_news: bool) -> list[Button]:
    """„📜 Verlauf“, if the idea has news."""
    if not has_news:
        return []
    return [(label(language, "lifecycle.button.history"), cb.IdeaHistory(idea.id, 0))]


def _origin(language: str, idea: Idea, tz: ZoneInfo) -> list[Button]:
    """The Ideenlabor the idea came from, if known."""
    if idea.workshop is None:
        return []
    date = short_date(language, idea.workshop.starts_at, tz)
    origin = label(language, "lifecycle.button.origin", date=date)
    return [(origin, cb.ShowPastWorkshop(idea.workshop.id, "r", 0))]


async def show_archived(
    update: Update, context: Context, language: str, idea: Idea, following: bool
) -> None:
    """An archived idea, opened by an old button or link: that it was archived, and why;
    the way on: its region, the map, all regions (and to stop following it)."""
    data = context.bot_data
    rows: list[list[Button]] = []
    if following:
        rows.append([follow_button(language, idea.id, True)])
    region = await data.regions.get(idea.region_id) if idea.region_id else None
    if region is not None:
        name = region_name(language, region.name, region.name_en)
        rows.append(
            [
                (
                    label(language, "button.open_region", name=name, count=region.idea_count),
                    cb.RegionIdeas(region.id, 0),
                )
            ]
        )
    rows += [
        [
            (label(language, "region_page.button.map"), cb.ShowMap()),
            (label(language, "button.all_regions"), cb.RegionList()),
        ],
        menu_row(language),
    ]
    await show(update, lifecycle.archived(language, idea, data.settings.tz), keyboard(rows))


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
    app.add_handler(private_command(["regionen", "regions"], regions_command))
    app.add_handler(private_command(["herausforderungen", "challenges"], challenges_command))
    app.add_handler(on_tap(on_button))
