"""Write an import bundle: idempotent upserts by slug or key, all in one transaction."""

from __future__ import annotations

import datetime as dt
import difflib
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from zoneinfo import ZoneInfo

from storage.audit import AuditNote, AuditRepository
from storage.db import Database, Transaction
from storage.import_models import ImportBundle, ImportRejectedError, ImportSummary, WorkshopIn
from storage.timeutil import from_db, wall_clock_problem
from storage.workgroup_import import check_working_groups, write_working_groups
from storage.workshops import WorkshopFields, WorkshopRepository

PlanReminders = Callable[[dt.datetime], list[tuple[str, dt.datetime]]]


def _unknown(kind: str, value: str, known: set[str]) -> str:
    close = difflib.get_close_matches(value, sorted(known), n=1)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    return f"unknown {kind} '{value}'{hint}"


def _duplicates(section: str, field: str, values: list[str]) -> list[str]:
    seen = Counter(values)
    return [
        f"{section}[{i}].{field}: '{v}' appears more than once in this file"
        for i, v in enumerate(values)
        if seen[v] > 1 and values.index(v) != i
    ]


def _utc_offset(moment: dt.datetime) -> str:
    """The UTC offset of an aware moment as +HH:MM."""
    return moment.isoformat(timespec="minutes")[-6:]


def _local_time_errors(workshops: list[WorkshopIn], tz: ZoneInfo) -> list[str]:
    """Times without an offset that do not exist in tz or exist twice (DST), located."""
    errors = []
    for i, item in enumerate(workshops):
        for name in ("starts_at", "ends_at"):
            naive: dt.datetime = getattr(item, name)
            if naive.tzinfo is not None:
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


class ImportRepository:
    """Applies validated import bundles to the database."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def apply(
        self,
        bundle: ImportBundle,
        now: dt.datetime,
        *,
        tz: ZoneInfo | None = None,
        plan_reminders: PlanReminders | None = None,
        audit: AuditNote | None = None,
    ) -> ImportSummary:
        """Check references, then upsert everything; on any error nothing is written.

        Workshop times without an offset are read in tz; plan_reminders gives the reminder
        times of a workshop (none if not given); audit is recorded with the counts.
        """
        tz = tz or ZoneInfo("Europe/Berlin")
        async with self._db.transaction() as tx:
            errors = await self._check(tx, bundle) + _local_time_errors(bundle.workshops, tz)
            if errors:
                raise ImportRejectedError(errors)
            summary = await self._write(tx, bundle, now.astimezone(dt.UTC).isoformat())
            for workshop in bundle.workshops:
                await self._write_workshop(tx, workshop, now, tz, plan_reminders)
            await write_working_groups(tx, bundle, now)
            result = summary.model_copy(
                update={
                    "workshops": len(bundle.workshops),
                    "working_groups": len(bundle.working_groups),
                    "contacts": len(bundle.contacts),
                }
            )
            if audit is not None:
                details = {**audit.details, **result.model_dump()}
                await AuditRepository.record(tx, replace(audit, details=details), now)
            return result

    async def _write_workshop(
        self,
        tx: Transaction,
        item: WorkshopIn,
        now: dt.datetime,
        tz: ZoneInfo,
        plan: PlanReminders | None,
    ) -> None:
        region = await tx.fetchone("SELECT id FROM regions WHERE slug = ?", (item.region,))
        assert region is not None  # checked before
        starts = item.starts_at if item.starts_at.tzinfo else item.starts_at.replace(tzinfo=tz)
        ends = item.ends_at if item.ends_at.tzinfo else item.ends_at.replace(tzinfo=tz)
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
        existing = await tx.fetchone(
            "SELECT id, region_id, title, description, starts_at, ends_at, venue, address,"
            " registration_url, capacity, status FROM workshops WHERE slug = ?",
            (item.slug,),
        )
        times = plan(starts) if plan else []
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
        if item.status == "cancelled" and (existing is None or existing["status"] != "cancelled"):
            await WorkshopRepository.cancel(tx, workshop_id, now)

    async def _check(self, tx: Transaction, bundle: ImportBundle) -> list[str]:
        errors: list[str] = []
        errors += _duplicates("regions", "slug", [r.slug for r in bundle.regions])
        errors += _duplicates("challenges", "slug", [c.slug for c in bundle.challenges])
        errors += _duplicates("ideas", "slug", [i.slug for i in bundle.ideas])
        errors += _duplicates("workshops", "slug", [w.slug for w in bundle.workshops])
        district_keys = [d.key for r in bundle.regions for d in r.districts]
        ags = [m.ags for r in bundle.regions for d in r.districts for m in d.municipalities]
        errors += _duplicates("districts", "key", district_keys)
        errors += _duplicates("municipalities", "ags", ags)
        regions = {r["slug"] for r in await tx.fetchall("SELECT slug FROM regions")}
        regions |= {r.slug for r in bundle.regions}
        challenges = {r["slug"] for r in await tx.fetchall("SELECT slug FROM challenges")}
        challenges |= {c.slug for c in bundle.challenges}
        for index, idea in enumerate(bundle.ideas):
            if idea.region is not None and idea.region not in regions:
                errors.append(f"ideas[{index}].region: {_unknown('region', idea.region, regions)}")
            if idea.challenge is not None and idea.challenge not in challenges:
                errors.append(
                    f"ideas[{index}].challenge: "
                    + _unknown("challenge", idea.challenge, challenges)
                )
        for index, workshop in enumerate(bundle.workshops):
            if workshop.region not in regions:
                errors.append(
                    f"workshops[{index}].region: {_unknown('region', workshop.region, regions)}"
                )
        ideas = {r["slug"] for r in await tx.fetchall("SELECT slug FROM ideas")}
        ideas |= {i.slug for i in bundle.ideas}
        errors += check_working_groups(bundle, regions, ideas)
        return errors

    async def _write(self, tx: Transaction, bundle: ImportBundle, stamp: str) -> ImportSummary:
        counts = Counter[str]()
        for region in bundle.regions:
            await tx.execute(
                "INSERT INTO regions (slug, name) VALUES (?, ?)"
                " ON CONFLICT (slug) DO UPDATE SET name = excluded.name",
                (region.slug, region.name),
            )
            row = await tx.fetchone("SELECT id FROM regions WHERE slug = ?", (region.slug,))
            assert row is not None
            counts["regions"] += 1
            for district in region.districts:
                await tx.execute(
                    "INSERT INTO districts (key, name, kind, region_id) VALUES (?, ?, ?, ?)"
                    " ON CONFLICT (key) DO UPDATE SET name = excluded.name,"
                    " kind = excluded.kind, region_id = excluded.region_id",
                    (district.key, district.name, district.kind, row["id"]),
                )
                counts["districts"] += 1
                for m in district.municipalities:
                    await tx.execute(
                        "INSERT INTO municipalities (ags, name, district_key, lat, lon)"
                        " VALUES (?, ?, ?, ?, ?) ON CONFLICT (ags) DO UPDATE SET"
                        " name = excluded.name, district_key = excluded.district_key,"
                        " lat = excluded.lat, lon = excluded.lon",
                        (m.ags, m.name, district.key, m.lat, m.lon),
                    )
                    await tx.execute("DELETE FROM postal_codes WHERE ags = ?", (m.ags,))
                    await tx.executemany(
                        "INSERT OR IGNORE INTO postal_codes (code, ags) VALUES (?, ?)",
                        [(code, m.ags) for code in m.postal_codes],
                    )
                    await tx.execute("DELETE FROM localities WHERE ags = ?", (m.ags,))
                    await tx.executemany(
                        "INSERT OR IGNORE INTO localities (name, ags) VALUES (?, ?)",
                        [(name, m.ags) for name in m.localities],
                    )
                    counts["municipalities"] += 1
        for position, challenge in enumerate(bundle.challenges, start=1):
            await tx.execute(
                "INSERT INTO challenges (slug, title, position) VALUES (?, ?, ?)"
                " ON CONFLICT (slug) DO UPDATE SET title = excluded.title,"
                " position = excluded.position",
                (challenge.slug, challenge.title, position),
            )
            counts["challenges"] += 1
        for idea in bundle.ideas:
            await tx.execute(
                "INSERT INTO ideas (slug, title, region_id, challenge_id, summary, body,"
                " published_on, url, created_at, updated_at)"
                " VALUES (?, ?, (SELECT id FROM regions WHERE slug = ?),"
                " (SELECT id FROM challenges WHERE slug = ?), ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (slug) DO UPDATE SET title = excluded.title,"
                " region_id = excluded.region_id, challenge_id = excluded.challenge_id,"
                " summary = excluded.summary, body = excluded.body,"
                " published_on = excluded.published_on, url = excluded.url,"
                " updated_at = excluded.updated_at",
                (
                    idea.slug,
                    idea.title,
                    idea.region,
                    idea.challenge,
                    idea.summary,
                    idea.body,
                    idea.published_on.isoformat() if idea.published_on else None,
                    idea.url,
                    stamp,
                    stamp,
                ),
            )
            counts["ideas"] += 1
        return ImportSummary(**{k: counts[k] for k in ImportSummary.model_fields})
