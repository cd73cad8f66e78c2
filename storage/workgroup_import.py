"""The working_groups, contacts and organisations sections of an import: checks and
idempotent upserts by slug.

In shipped mode (the bot's own data) a working group or organisation that was changed since
it was shipped (by an import or in the chat) is left alone.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
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
    errors += _duplicates("organisations", [o.slug for o in bundle.organisations])
    for index, group in enumerate(bundle.working_groups):
        where = f"working_groups[{index}]"
        if group.region not in regions:
            errors.append(f"{where}.region: {_unknown('region', group.region, regions)}")
        for number, idea in enumerate(group.ideas):
            if idea not in ideas:
                errors.append(f"{where}.ideas[{number}]: {_unknown('idea', idea, ideas)}")
    located = [(f"contacts[{i}]", c.region) for i, c in enumerate(bundle.contacts)]
    located += [(f"organisations[{i}]", o.region) for i, o in enumerate(bundle.organisations)]
    for where, region in located:
        if region not in regions:
            errors.append(f"{where}.region: {_unknown('region', region, regions)}")
    return errors


async def write_working_groups(
    tx: Transaction, bundle: ImportBundle, now: dt.datetime, *, shipped: bool = False
) -> None:
    """Upsert working groups (with their ideas), contacts and organisations by slug."""
    stamp = to_db(now)
    keep_changed = " WHERE working_groups.shipped = 1" if shipped else ""
    for group in bundle.working_groups:
        await tx.execute(
            "INSERT INTO working_groups (slug, name, region_id, description, open, updated_at,"
            " name_en, description_en, shipped)"
            " VALUES (?, ?, (SELECT id FROM regions WHERE slug = ?), ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (slug) DO UPDATE SET name = excluded.name,"
            " region_id = excluded.region_id, description = excluded.description,"
            " open = excluded.open, updated_at = excluded.updated_at,"
            " name_en = excluded.name_en, description_en = excluded.description_en,"
            f" shipped = excluded.shipped{keep_changed}",
            (
                group.slug,
                group.name,
                group.region,
                group.description,
                int(group.open),
                stamp,
                group.name_en or None,
                group.description_en or None,
                int(shipped),
            ),
        )
        row = await tx.fetchone(
            "SELECT id, shipped FROM working_groups WHERE slug = ?", (group.slug,)
        )
        assert row is not None
        if shipped and not row["shipped"]:
            continue
        await tx.execute("DELETE FROM working_group_ideas WHERE group_id = ?", (row["id"],))
        await tx.executemany(
            "INSERT OR IGNORE INTO working_group_ideas (group_id, idea_id)"
            " SELECT ?, id FROM ideas WHERE slug = ?",
            [(row["id"], slug) for slug in group.ideas],
        )
    for contact in bundle.contacts:
        published = stamp if contact.public_email or contact.public_phone else None
        await tx.execute(
            "INSERT INTO contacts (slug, region_id, name, organisation, email, phone,"
            " telegram_id, updated_at, public_email, public_phone, published_at)"
            " VALUES (?, (SELECT id FROM regions WHERE slug = ?), ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (slug) DO UPDATE SET region_id = excluded.region_id,"
            " name = excluded.name, organisation = excluded.organisation,"
            " email = excluded.email, phone = excluded.phone,"
            " telegram_id = COALESCE(excluded.telegram_id, contacts.telegram_id),"
            # Public e-mail and phone: set when the file gives them; what the person
            # published in the chat otherwise stays (only they withdraw it).
            " updated_at = excluded.updated_at,"
            " public_email = COALESCE(excluded.public_email, contacts.public_email),"
            " public_phone = COALESCE(excluded.public_phone, contacts.public_phone),"
            " published_at = COALESCE(contacts.published_at, excluded.published_at)",
            (
                contact.slug,
                contact.region,
                contact.name,
                contact.organisation,
                contact.email,
                contact.phone,
                contact.telegram_id,
                stamp,
                contact.public_email,
                contact.public_phone,
                published,
            ),
        )
        if contact.telegram_id is not None:
            await tx.execute(
                "INSERT OR IGNORE INTO roles (user_id, role, region_id, granted_by, granted_at)"
                " VALUES (?, 'contact', (SELECT id FROM regions WHERE slug = ?), NULL, ?)",
                (contact.telegram_id, contact.region, stamp),
            )
    keep_changed = " WHERE organisations.shipped = 1" if shipped else ""
    for item in bundle.organisations:
        await tx.execute(
            "INSERT INTO organisations (slug, region_id, kind, name, host, host_en, url, sources,"
            " shipped, updated_at)"
            " VALUES (?, (SELECT id FROM regions WHERE slug = ?), ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (slug) DO UPDATE SET region_id = excluded.region_id,"
            " kind = excluded.kind, name = excluded.name, host = excluded.host,"
            " host_en = excluded.host_en, url = excluded.url, sources = excluded.sources,"
            f" shipped = excluded.shipped, updated_at = excluded.updated_at{keep_changed}",
            (
                item.slug,
                item.region,
                item.kind,
                item.name,
                item.host or "",
                item.host_en or None,
                item.url,
                json.dumps(item.sources),
                int(shipped),
                stamp,
            ),
        )
