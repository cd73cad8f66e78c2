"""A region's page, the first page of its ideas (handlers.browse): its next dates with a
subscription, its past Ideenlabore, its regional agency and contacts, its working groups, and
what a citizen can do there. Nothing on it is a dead end: without ideas it offers the dates,
the Rückblick, the other regions and finding one's region."""

from __future__ import annotations

import datetime as dt

from telegram import Update

from bot.context import Context
from messages import actions as cb
from messages.keyboards import Button, Keyboard
from messages.regions import RegionFacts
from messages.render import label
from storage.models import Region


async def region_facts(context: Context, region: Region, now: dt.datetime) -> RegionFacts:
    """Everything the region's page shows besides its ideas."""
    data = context.bot_data
    past = await data.past_workshops.page(now, region.id, 0, page_size=1)
    return RegionFacts(
        upcoming=await data.workshops.repo.upcoming_page(now, region.id, 0),
        past_total=past.total,
        latest_past=past.items[0].workshop if past.items else None,
        organisations=await data.organisations.of_region(region.id),
        contacts=await data.contact_profiles.public_of_region(region.id),
        groups=await data.workgroups.repo.groups_of_region(region.id),
    )


def valid_until(facts: RegionFacts) -> dt.datetime | None:
    """When the page goes out of date by the clock alone: its soonest date ends (and becomes
    the Rückblick's); the page is cached until then (or until anything is written)."""
    return min((w.ends_at for w in facts.upcoming.items), default=None)


def region_rows(
    language: str, region: Region, facts: RegionFacts, has_ideas: bool
) -> list[list[Button]]:
    """The page's buttons under the ideas' (the same for everyone): dates and Rückblick,
    working groups; without ideas also the other regions and finding one's region."""
    dates: list[Button] = [
        (
            label(language, "region_page.button.dates", count=facts.upcoming.total),
            cb.WorkshopList(region.id, 0),
        )
    ]
    if facts.past_total:
        dates.append(
            (
                label(language, "region_page.button.review", count=facts.past_total),
                cb.PastWorkshops(region.id, 0),
            )
        )
    elif not has_ideas:  # nothing here yet: what happened elsewhere
        dates.append((label(language, "review.button.main"), cb.PastWorkshops(0, 0)))
    rows = [dates]
    if facts.groups:
        target: cb.Action = (
            cb.ShowGroup(facts.groups[0].id)
            if len(facts.groups) == 1
            else cb.RegionGroups(region.id)
        )
        rows.append([(label(language, "wg.button.groups"), target)])
    if not has_ideas:
        rows.append([(label(language, "button.find_region"), cb.FindRegion())])
    return rows


async def with_subscription(
    update: Update, context: Context, language: str, region_id: int, markup: Keyboard
) -> Keyboard:
    """The page's keyboard with this user's „abonnieren“ / „Abo beenden“ under the dates."""
    dates = cb.WorkshopList(region_id, 0).encode()
    rows = markup.rows
    at = next(
        (i for i, row in enumerate(rows) if any(b.get("callback_data") == dates for b in row)),
        None,
    )
    if at is None:
        return markup
    user = update.effective_user
    mine = await context.bot_data.workshops.repo.subscribed_regions(user.id if user else 0)
    subscribed = region_id in {r for r, _ in mine}
    key = "dates.button.unsubscribe" if subscribed else "dates.button.subscribe"
    action = cb.SubscribeRegion(region_id, 0 if subscribed else 1)
    button = {"text": label(language, key), "callback_data": action.encode()}
    return Keyboard(inline_keyboard=[*rows[: at + 1], [button], *rows[at + 1 :]])
