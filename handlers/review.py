"""The Rückblick (/rueckblick, /review): past Ideenlabore of all regions or one, newest
first; one of them with what happened and the ideas that came out of it as buttons."""

from __future__ import annotations

from telegram import Update

from bot.context import App, Context
from handlers.buttons import on_tap
from handlers.common import (
    answer,
    language_of,
    private_command,
    reply,
    show,
    show_main_menu,
)
from messages import actions as cb
from messages.actions import ListKind, ReviewScope
from messages.catalog import t
from messages.content import content_label, region_name
from messages.keyboards import Button, keyboard, menu_row, page_row
from messages.regions import past_detail, review_button, review_list
from messages.render import label

MAX_IDEA_BUTTONS = 12  # ideas of one Ideenlabor as buttons (the shipped ones have up to 4)


async def review_command(update: Update, context: Context) -> None:
    """/rueckblick: past Ideenlabore of all regions."""
    language = await language_of(update, context)
    await show_review(update, context, language, 0, 0, new=True)


async def show_review(
    update: Update,
    context: Context,
    language: str,
    region_id: int,
    page_number: int,
    *,
    new: bool = False,
) -> bool:
    """A page of past Ideenlabore, of all regions (0) or one; False if the region is unknown."""
    data = context.bot_data
    region = await data.regions.get(region_id) if region_id else None
    if region_id and region is None:
        return False
    page = await data.past_workshops.page(data.clock(), region_id or None, page_number)
    tz = data.settings.tz
    scope: ReviewScope = "r" if region_id else "a"
    rows: list[list[Button]] = [
        [
            (
                review_button(language, item.workshop, tz),
                cb.ShowPastWorkshop(item.workshop.id, scope, page.page),
            )
        ]
        for item in page.items
    ]
    nav = page_row(language, page.page, page.page_count, lambda p: cb.PastWorkshops(region_id, p))
    rows.append(nav)
    name = None
    if region is not None:
        name = region_name(language, region.name, region.name_en)
        rows += [
            [
                (label(language, "review.button.region", name=name), cb.RegionIdeas(region.id, 0)),
                (label(language, "review.button.region_dates"), cb.WorkshopList(region.id, 0)),
            ],
            [(label(language, "review.button.all"), cb.PastWorkshops(0, 0))],
        ]
    else:
        rows.append(
            [
                (label(language, "review.button.by_region"), cb.PastRegions()),
                (label(language, "review.button.dates"), cb.WorkshopList(0, 0)),
            ]
        )
    rows.append(menu_row(language))
    text = review_list(language, page, name, tz)
    await (reply if new else show)(update, text, keyboard(rows))
    return True


async def show_regions(update: Update, context: Context, language: str) -> None:
    """The regions that had Ideenlabore, with their number."""
    data = context.bot_data
    counts = await data.past_workshops.counts(data.clock())
    rows: list[list[Button]] = [
        [
            (
                label(
                    language,
                    "review.button.region_count",
                    name=region_name(language, r.name, r.name_en),
                    count=counts[r.id],
                ),
                cb.PastWorkshops(r.id, 0),
            )
        ]
        for r in await data.regions.list_with_counts()
        if counts.get(r.id)
    ]
    rows += [[(label(language, "review.button.all"), cb.PastWorkshops(0, 0))], menu_row(language)]
    await show(update, t(language, "review.regions_title"), keyboard(rows))


async def show_past_workshop(
    update: Update, context: Context, language: str, action: cb.ShowPastWorkshop
) -> bool:
    """One past Ideenlabor with its ideas as buttons; False if it does not exist."""
    data = context.bot_data
    workshop = await data.workshops.repo.get(action.workshop_id)
    if workshop is None:
        return False
    ideas = (await data.past_workshops.ideas_of([workshop.id])).get(workshop.id, ())
    kind: ListKind = "w" if action.scope == "a" else "v"
    rows: list[list[Button]] = [
        [
            (
                content_label(language, idea.title, idea.title_en),
                cb.ShowIdea(idea.id, kind, workshop.id, action.page),
            )
        ]
        for idea in ideas[:MAX_IDEA_BUTTONS]
    ]
    now = data.clock()
    if workshop.ends_at > now and workshop.status != "cancelled":  # still to come
        rows.append([(label(language, "dates.button.dates"), cb.ShowWorkshop(workshop.id))])
    back_region = workshop.region_id if action.scope == "r" else 0
    name = region_name(language, workshop.region_name, workshop.region_name_en)
    rows += [
        [(label(language, "review.button.back"), cb.PastWorkshops(back_region, action.page))],
        [
            (
                label(language, "review.button.region", name=name),
                cb.RegionIdeas(workshop.region_id, 0),
            )
        ],
        menu_row(language),
    ]
    text = past_detail(language, workshop, len(ideas), data.settings.tz, now)
    await show(update, text, keyboard(rows))
    return True


async def on_button(
    update: Update,
    context: Context,
    action: cb.PastWorkshops | cb.PastRegions | cb.ShowPastWorkshop,
) -> None:
    """The Rückblick's buttons."""
    language = await language_of(update, context)
    await answer(update)
    found = True
    match action:
        case cb.PastWorkshops(region_id=region_id, page=page):
            found = await show_review(update, context, language, region_id, page)
        case cb.PastRegions():
            await show_regions(update, context, language)
        case cb.ShowPastWorkshop():
            found = await show_past_workshop(update, context, language, action)
    if not found:
        await show_main_menu(update, language, "errors.not_found")


def register(app: App) -> None:
    """/rueckblick and the Rückblick's buttons."""
    app.add_handler(private_command(["rueckblick", "review"], review_command))
    app.add_handler(on_tap(on_button))
