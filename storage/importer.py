"""Write an import bundle: idempotent upserts by slug or key, all in one transaction.

Two modes. `ideenlabor import` (the default) writes what the file says. Shipped mode
(`shipped_version`, used by bot.app.prepare_database for the bot's own data in bot/data)
inserts what is missing and replaces only rows still as shipped (`shipped = 1`): an idea,
workshop, working group or organisation that an import or a person in the chat changed since
stays as it is. Regions and challenges are reference data and always follow the file. The
shipped version is recorded in `meta` in the same transaction.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections import Counter
from dataclasses import replace
from zoneinfo import ZoneInfo

from storage.audit import AuditNote, AuditRepository
from storage.db import Transaction
from storage.idea_import import write_idea
from storage.import_models import ImportBundle, ImportRejectedError, ImportSummary
from storage.repository import Repository
from storage.shipped import SHIPPED_KEY
from storage.workgroup_import import check_working_groups, write_working_groups
from storage.workshop_import import PlanReminders, check_workshops, write_workshop

__all__ = ["ImportRepository", "PlanReminders"]


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


class ImportRepository(Repository):
    """Applies validated import bundles to the database."""

    async def apply(
        self,
        bundle: ImportBundle,
        now: dt.datetime,
        *,
        tz: ZoneInfo | None = None,
        plan_reminders: PlanReminders | None = None,
        audit: AuditNote | None = None,
        shipped_version: int | None = None,
    ) -> ImportSummary:
        """Check references, then upsert everything; on any error nothing is written.

        Workshop times without an offset (and dates of news) are read in tz; plan_reminders
        gives the reminder times of a workshop (none if not given; never for one that has
        ended); audit is recorded with the counts. shipped_version: apply in shipped mode (see
        the module's docstring) and record that version.
        """
        tz = tz or ZoneInfo("Europe/Berlin")
        shipped = shipped_version is not None
        async with self._db.transaction() as tx:
            errors = await self._check(tx, bundle) + check_workshops(bundle.workshops, tz, now)
            if errors:
                raise ImportRejectedError(errors)
            counts = await self._write_places(tx, bundle)
            for workshop in bundle.workshops:
                written = await write_workshop(
                    tx, workshop, now, tz, plan_reminders, shipped=shipped
                )
                counts["workshops"] += int(written)
            for idea in bundle.ideas:
                news = await write_idea(tx, idea, now, tz, shipped=shipped)
                if news >= 0:
                    counts["ideas"] += 1
                    counts["news"] += news
            await write_working_groups(tx, bundle, now, shipped=shipped)
            counts["working_groups"] = len(bundle.working_groups)
            counts["contacts"] = len(bundle.contacts)
            counts["organisations"] = len(bundle.organisations)
            result = ImportSummary(**{k: counts[k] for k in ImportSummary.model_fields})
            if audit is not None:
                details = {**audit.details, **result.model_dump()}
                await AuditRepository.record(tx, replace(audit, details=details), now)
            if shipped_version is not None:
                await tx.execute(
                    "INSERT INTO meta (key, value) VALUES (?, ?)"
                    " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    (SHIPPED_KEY, str(shipped_version)),
                )
            return result

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
        for r_index, region in enumerate(bundle.regions):
            for d_index, district in enumerate(region.districts):
                for m_index, m in enumerate(district.municipalities):
                    if m.region is not None and m.region not in regions:
                        errors.append(
                            f"regions[{r_index}].districts[{d_index}].municipalities[{m_index}]"
                            f".region: {_unknown('region', m.region, regions)}"
                        )
        challenges = {r["slug"] for r in await tx.fetchall("SELECT slug FROM challenges")}
        challenges |= {c.slug for c in bundle.challenges}
        workshops = {r["slug"] for r in await tx.fetchall("SELECT slug FROM workshops")}
        workshops |= {w.slug for w in bundle.workshops}
        for index, idea in enumerate(bundle.ideas):
            if idea.region is not None and idea.region not in regions:
                errors.append(f"ideas[{index}].region: {_unknown('region', idea.region, regions)}")
            if idea.challenge is not None and idea.challenge not in challenges:
                errors.append(
                    f"ideas[{index}].challenge: "
                    + _unknown("challenge", idea.challenge, challenges)
                )
            if idea.workshop is not None and idea.workshop not in workshops:
                errors.append(
                    f"ideas[{index}].workshop: {_unknown('workshop', idea.workshop, workshops)}"
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

    async def _write_places(self, tx: Transaction, bundle: ImportBundle) -> Counter[str]:
        """Regions (all of them first: a municipality may name another one), then their
        districts and municipalities, then the challenges."""
        counts = Counter[str]()
        for region in bundle.regions:
            await tx.execute(
                "INSERT INTO regions (slug, name, name_en) VALUES (?, ?, ?)"
                " ON CONFLICT (slug) DO UPDATE SET name = excluded.name,"
                " name_en = excluded.name_en",
                (region.slug, region.name, region.name_en or None),
            )
            counts["regions"] += 1
        for region in bundle.regions:
            row = await tx.fetchone("SELECT id FROM regions WHERE slug = ?", (region.slug,))
            assert row is not None
            for district in region.districts:
                await tx.execute(
                    "INSERT INTO districts (key, name, kind, region_id) VALUES (?, ?, ?, ?)"
                    " ON CONFLICT (key) DO UPDATE SET name = excluded.name,"
                    " kind = excluded.kind, region_id = excluded.region_id",
                    (district.key, district.name, district.kind, row["id"]),
                )
                counts["districts"] += 1
                for m in district.municipalities:
                    # A municipality in its district's region stores NULL (no override).
                    own = m.region if m.region not in (None, region.slug) else None
                    await tx.execute(
                        "INSERT INTO municipalities (ags, name, district_key, lat, lon,"
                        " region_id) VALUES (?, ?, ?, ?, ?, (SELECT id FROM regions"
                        " WHERE slug = ?)) ON CONFLICT (ags) DO UPDATE SET"
                        " name = excluded.name, district_key = excluded.district_key,"
                        " lat = excluded.lat, lon = excluded.lon, region_id = excluded.region_id",
                        (m.ags, m.name, district.key, m.lat, m.lon, own),
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
                "INSERT INTO challenges (slug, title, position, title_en) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (slug) DO UPDATE SET title = excluded.title,"
                " position = excluded.position, title_en = excluded.title_en",
                (challenge.slug, challenge.title, position, challenge.title_en or None),
            )
            counts["challenges"] += 1
        return counts
