"""The workshops section of an import: coming Ideenlabore and past ones (Rückblick).

A past workshop may give only its date: it is stored spanning that local day with
time_known 0. A workshop that has ended gets no reminders, whatever the schedule, and no
import ever notifies anyone: past imported workshops stay out of every notification.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from zoneinfo import ZoneInfo

from storage.db import Transaction
from storage.import_models import WorkshopIn
from storage.timeutil import from_db, wall_clock_problem
from storage.workshops import WorkshopFacts, WorkshopFields, WorkshopRepository

PlanReminders = Callable[[dt.datetime], list[tuple[str, dt.datetime]]]


def _utc_offset(moment: dt.datetime) -> str:
    """The UTC offset of an aware moment as +HH:MM."""
    return moment.isoformat(timespec="minutes")[-6:]


def check_workshops(workshops: list[WorkshopIn], tz: ZoneInfo, now: dt.datetime) -> list[str]:
    """Located errors: local times a DST change skips or repeats, coming dates without times."""
    errors = []
    today = now.astimezone(tz).date()
    for i, item in enumerate(workshops):
        if item.starts_at is None and item.date is not None and item.date >= today:
            errors.append(
                f"workshops[{i}].date: {item.date} is not in the past; a coming workshop needs"
                " starts_at and ends_at"
            )
        for name in ("starts_at", "ends_at"):
            naive: dt.datetime | None = getattr(item, name)
            if naive is None or naive.tzinfo is not None:
                continue
            problem = wall_clock_problem(naive, tz)
            if problem is None:
                continue
            first = _utc_offset(naive.replace(tzinfo=tz, fold=0))
            second = _utc_offset(naive.replace(tzinfo=tz, fold=1))
            where = f"workshops[{i}].{name}: {naive:%Y-%m-%d %H:%M}"
            if problem == "nonexistent":
                errors.append(
                    f"{where} does not exist in {tz} (the clocks go forward that night,"
                    f" from UTC{first} to UTC{second})"
                )
            else:
                errors.append(
                    f"{where} is ambiguous in {tz} (the clocks go back that night, so it comes"
                    f" twice); give the UTC offset: {naive:%Y-%m-%dT%H:%M}{first} (the first)"
                    f" or {naive:%Y-%m-%dT%H:%M}{second} (the second)"
                )
    return errors


def _times(item: WorkshopIn, tz: ZoneInfo) -> tuple[dt.datetime, dt.datetime, bool]:
    """Start, end and whether the time is known (a date alone spans its local day)."""
    if item.starts_at is None or item.ends_at is None:
        assert item.date is not None  # the model requires a date then
        day = dt.datetime.combine(item.date, dt.time(0), tzinfo=tz)
        next_day = dt.datetime.combine(item.date + dt.timedelta(days=1), dt.time(0), tzinfo=tz)
        return day, next_day, False
    starts = item.starts_at if item.starts_at.tzinfo else item.starts_at.replace(tzinfo=tz)
    ends = item.ends_at if item.ends_at.tzinfo else item.ends_at.replace(tzinfo=tz)
    return starts, ends, True


async def write_workshop(
    tx: Transaction,
    item: WorkshopIn,
    now: dt.datetime,
    tz: ZoneInfo,
    plan: PlanReminders | None,
    *,
    shipped: bool,
) -> bool:
    """Insert or update one workshop; False if skipped (shipped content a person changed)."""
    region = await tx.fetchone("SELECT id FROM regions WHERE slug = ?", (item.region,))
    assert region is not None  # checked before
    starts, ends, time_known = _times(item, tz)
    fields = WorkshopFields(
        region_id=int(region["id"]),
        title=item.title,
        starts_at=starts,
        ends_at=ends,
        description=item.description,
        venue=item.venue,
        address=item.address,
        registration_url=item.registration_url,
        capacity=item.capacity,
    )
    facts = WorkshopFacts(
        time_known=time_known,
        city=item.city,
        organisers=tuple(item.organisers),
        participants=item.participants,
        participants_qualifier=item.participants_qualifier,
        report=item.report,
        title_en=item.title_en or None,
        description_en=item.description_en or None,
        report_en=item.report_en or None,
        sources=tuple(item.sources),
    )
    existing = await tx.fetchone(
        "SELECT id, region_id, title, description, starts_at, ends_at, venue, address,"
        " registration_url, capacity, status, shipped FROM workshops WHERE slug = ?",
        (item.slug,),
    )
    if shipped and existing is not None and not existing["shipped"]:
        return False
    # A workshop that has ended gets no reminders, whatever the schedule says.
    times = plan(starts) if plan and ends > now else []
    if existing is None:
        workshop_id = await WorkshopRepository.create(tx, item.slug, fields, now)
        await WorkshopRepository.set_reminders(tx, workshop_id, times)
    else:
        workshop_id = int(existing["id"])
        stored = WorkshopFields(
            region_id=existing["region_id"],
            title=existing["title"],
            starts_at=from_db(existing["starts_at"]),
            ends_at=from_db(existing["ends_at"]),
            description=existing["description"],
            venue=existing["venue"],
            address=existing["address"],
            registration_url=existing["registration_url"],
            capacity=existing["capacity"],
        )
        if stored != fields:  # an unchanged entry stays as it is (no new SEQUENCE)
            status = "planned" if item.status == "planned" else "changed"
            await WorkshopRepository.update(tx, workshop_id, fields, now, status=status)
        if (stored.starts_at, stored.ends_at) != (starts, ends):
            await WorkshopRepository.set_reminders(tx, workshop_id, times)
    await WorkshopRepository.set_facts(tx, workshop_id, facts, shipped=shipped)
    if item.status == "cancelled" and (existing is None or existing["status"] != "cancelled"):
        await WorkshopRepository.cancel(tx, workshop_id, now)
        if shipped:
            await tx.execute("UPDATE workshops SET shipped = 1 WHERE id = ?", (workshop_id,))
    return True
