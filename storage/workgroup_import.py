"""The working_groups and contacts sections of an import: checks and idempotent upserts."""

from __future__ import annotations

import datetime as dt
import difflib
from collections import Counter

from storage.db import Transaction
from storage.import_models import ImportBundle
from storage.timeutil import to_db


def _unknown(kind: str, value: str, known: set[str]) -> str:
    close = difflib.get_close_matches(value, sorted(known), n=1)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    return f"unknown {kind} '{value}'{hint}"


def _duplicates(section: str, values: list[str]) -> list[str]:
    seen = Counter(values)
    return [
        f"{section}[{i}].slug: '{v}' appears more than once in this file"
        for i, v in enumerate(values)
        if seen[v] > 1 and values.index(v) != i
    ]


def check_working_groups(bundle: ImportBundle, regions: set[str], ideas: set[str]) -> list[str]:
    """Located errors for unknown regions and ideas and repeated slugs."""
    errors = _duplicates("working_groups", [g.slug for g in bundle.working_groups])
    errors += _duplicates("contacts", [c.slug for c in bundle.contacts])
    for index, group in enumerate(bundle.working_groups):
        where = f"working_groups[{index}]"
        if group.region not in regions:
            errors.append(f"{where}.region: {_unknown('region', group.region, regions)}")
        for number, idea in enumerate(group.ideas):
            if idea not in ideas:
                errors.append(f"{where}.ideas[{number}]: {_unknown('idea', idea, ideas)}")
    for index, contact in enumerate(bundle.contacts):
        if contact.region not in regions:
            errors.append(
                f"contacts[{index}].region: {_unknown('region', contact.region, regions)}"
            )
    return errors


async def write_working_groups(tx: Transaction, bundle: ImportBundle, now: dt.datetime) -> None:
    """Upsert working groups (with their ideas) and contacts by slug."""
    stamp = to_db(now)
    for group in bundle.working_groups:
        await tx.execute(
            "INSERT INTO working_groups (slug, name, region_id, description, open, updated_at)"
            " VALUES (?, ?, (SELECT id FROM regions WHERE slug = ?), ?, ?, ?)"
            " ON CONFLICT (slug) DO UPDATE SET name = excluded.name,"
            " region_id = excluded.region_id, description = excluded.description,"
            " open = excluded.open, updated_at = excluded.updated_at",
            (group.slug, group.name, group.region, group.description, int(group.open), stamp),
        )
        row = await tx.fetchone("SELECT id FROM working_groups WHERE slug = ?", (group.slug,))
        assert row is not None
        await tx.execute("DELETE FROM working_group_ideas WHERE group_id = ?", (row["id"],))
        await tx.executemany(
            "INSERT OR IGNORE INTO working_group_ideas (group_id, idea_id)"
            " SELECT ?, id FROM ideas WHERE slug = ?",
            [(row["id"], slug) for slug in group.ideas],
        )
    for contact in bundle.contacts:
        await tx.execute(
            "INSERT INTO contacts (slug, region_id, name, organisation, email, phone,"
            " telegram_id, updated_at) VALUES (?, (SELECT id FROM regions WHERE slug = ?),"
            " ?, ?, ?, ?, ?, ?) ON CONFLICT (slug) DO UPDATE SET region_id = excluded.region_id,"
            " name = excluded.name, organisation = excluded.organisation,"
            " email = excluded.email, phone = excluded.phone,"
            " telegram_id = COALESCE(excluded.telegram_id, contacts.telegram_id),"
            " updated_at = excluded.updated_at",
            (
                contact.slug,
                contact.region,
                contact.name,
                contact.organisation,
                contact.email,
                contact.phone,
                contact.telegram_id,
                stamp,
            ),
        )
        if contact.telegram_id is not None:
            await tx.execute(
                "INSERT OR IGNORE INTO roles (user_id, role, region_id, granted_by, granted_at)"
                " VALUES (?, 'contact', (SELECT id FROM regions WHERE slug = ?), NULL, ?)",
                (contact.telegram_id, contact.region, stamp),
            )
