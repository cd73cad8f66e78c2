"""A region's page, the first page of its ideas (handlers.browse): its next dates with a
subscription, its past Ideenlabore, its regional agency and contacts, its working groups, and
what a citizen can do there. Nothing on it is a dead end: without ideas it offers the dates,
the Rückblick, the other regions and finding one's region."""

from __future__ import annotations

import datetime as dt

from bot.context import Context
from messages import actions as cb
from messages.keyboards import Button
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
    language: str,
    region: Region,
    facts: RegionFacts,
    has_ideas: bool,
    subscribed: bool | None,
) -> list[list[Button]]:
    """The page's buttons under the ideas': dates and Rückblick, „abonnieren“ or „Abo
    beenden“ (subscribed None: neither), working groups; without ideas also finding one's
    region."""
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
    if subscribed is not None:
        key = "dates.button.unsubscribe" if subscribed else "dates.button.subscribe"
        action = cb.SubscribeRegion(region.id, 0 if subscribed else 1)
        rows.append([(label(language, key), action)])
    if facts.groups:
        target: cb.Action = (
            cb.ShowGroup(facts.groups[0].id)
            if len(facts.groups) == 1
            else cb.RegionGroups(region.id)
        )
        rows.append([(label(language, "wg.button.groups"), target)])
    rows.append([(label(language, "button.propose"), cb.ProposeIdea(region.id, 0))])
    if not has_ideas:
        rows.append([(label(language, "button.find_region"), cb.FindRegion())])
    return rows


async def subscribed(context: Context, user_id: int, region_id: int) -> bool:
    """Whether the user gets the region's new dates."""
    mine = await context.bot_data.workshops.repo.subscribed_regions(user_id)
    return any(region == region_id for region, _ in mine)
