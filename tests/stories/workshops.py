"""Story steps of workshops for citizens, shared by several test modules."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from bot.offline.fake_user import FakeUser
from messages import actions as cb
from storage.workshops import WorkshopFields

from conftest import Harness


async def open_detail(user: FakeUser, workshop_id: int) -> None:
    """Open a workshop's detail like a button in a list would."""
    await user.command("termine")
    await user.tap_data(cb.ShowWorkshop(workshop_id).encode())


BERLIN = ZoneInfo("Europe/Berlin")


MAY_12 = dt.datetime(2027, 5, 12, 14, 0, tzinfo=BERLIN)  # a Wednesday


async def add_workshop(
    h: Harness,
    slug: str = "koeln-mai",
    *,
    region: str = "koeln",
    title: str = "Gute Arbeit in Köln",
    start: dt.datetime = MAY_12,
    hours: float = 4,
    capacity: int | None = None,
    **extra: object,
) -> int:
    """Publish a workshop through the service (region subscribers are notified)."""
    found = await h.data.regions.get_by_slug(region)
    assert found is not None
    fields = WorkshopFields(
        region_id=found.id,
        title=title,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=hours),
        capacity=capacity,
        **{"venue": "Rathaus Köln", "address": "Rathausplatz 2, 50667 Köln", **extra},  # type: ignore[arg-type]
    )
    return await h.data.workshops.create(fields, slug=slug)


def person(h: Harness, user_id: int = 4711, first: str = "Erika", last: str = "") -> FakeUser:
    """A German-speaking user, optionally with a last name."""
    user = h.user(user_id, first)
    if last:
        user.user["last_name"] = last
    return user


async def register(user: FakeUser, workshop_id: int, name: str | None = None) -> None:
    """Open the workshop, tap "Ich nehme teil" (typing another name if given) and agree."""
    await open_detail(user, workshop_id)
    await user.tap("🙋 Ich nehme teil")
    if name is not None:
        await user.send(name)
    await user.tap("✅ Ja, anmelden")


async def register_typed(h: Harness, workshop_id: int, names: list[tuple[str, str]]) -> None:
    """People with these first and last names register, each typing the full name."""
    for n, (first, last) in enumerate(names):
        # The first name is proposed: the full one is typed.
        await register(person(h, 5000 + n, first, last), workshop_id, f"{first} {last}")
