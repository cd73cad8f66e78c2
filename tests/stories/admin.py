"""Story steps of the admins' workshop dialogues, shared by several test modules."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from bot.offline.fake_user import FakeUser
from storage.models import Workshop
from storage.workshops import WorkshopFields

from conftest import ADMIN_ID, Harness

BERLIN = ZoneInfo("Europe/Berlin")


START = dt.datetime(2027, 5, 12, 14, 0, tzinfo=BERLIN)


PICK = "Mi., 12.05.2027, 14:00 · Gute Arbeit in Köln"


async def add_workshop(
    h: Harness, start: dt.datetime = START, title: str = "Gute Arbeit in Köln", **extra: object
) -> int:
    """A published workshop in the region Köln (4 hours long)."""
    region = await h.data.regions.get_by_slug("koeln")
    assert region is not None
    fields = WorkshopFields(
        region_id=region.id,
        title=title,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=4),
        venue="Zeche",
        address="Essen",
        **extra,  # type: ignore[arg-type]
    )
    return await h.data.workshops.create(
        fields, slug=f"{title.lower().replace(' ', '-')}-{start:%j}"
    )


async def stored(h: Harness, workshop_id: int) -> Workshop:
    """The workshop as it is stored now."""
    workshop = await h.data.workshops.repo.get(workshop_id)
    assert workshop is not None
    return workshop


async def open_field(h: Harness, field: str, pick: str = PICK) -> FakeUser:
    """/termin_aendern → the workshop → the field to change."""
    admin = h.admin()
    await admin.command("termin_aendern")
    await admin.tap(pick)
    assert "Was möchten Sie ändern?" in admin.last.text
    await admin.tap(field)
    return admin


async def draft_step(h: Harness) -> str | None:
    """The admin's current dialogue step."""
    draft = await h.data.drafts.get(ADMIN_ID)
    return draft.step if draft else None


async def up_to(h: Harness, step: str) -> FakeUser:
    """Run /neuer_termin with valid answers until the given step is asked."""
    admin = h.admin()
    await admin.command("neuer_termin")
    answers = [
        ("title", "Gute Arbeit in Köln"),
        ("starts", "12.05.2027 14:00"),
        ("ends", "18:00"),
        ("venue", "Zeche Zollverein, Halle 12"),
        ("address", "Gelsenkirchener Str. 181, 45309 Essen"),
        ("link", "https://www.arbeit.nrw.de/ideenlabor"),
        ("capacity", "30"),
        ("description", "Wir sammeln Ideen für gute Arbeit."),
    ]
    if step != "region":
        await admin.tap("Region Köln")
    for name, text in answers:
        if name == step:
            break
        await admin.send(text)
    assert await draft_step(h) == step
    return admin
