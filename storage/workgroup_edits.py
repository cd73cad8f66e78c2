"""Staff maintain working groups in the chat: create, edit, open or close them, link ideas.

Static methods in the caller's transaction (the service adds the audit row). Every change
sets `shipped = 0`, so a newer version of the shipped data leaves the group alone.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from storage.db import Transaction
from storage.shipped import StaffEdits, staff_values
from storage.slugs import unique_slug
from storage.timeutil import to_db


@dataclass(frozen=True)
class GroupFields:
    """What staff set on a working group (None or '' for an English text: none)."""

    name: str
    region_id: int
    description: str = ""
    name_en: str | None = None
    description_en: str | None = None


class WorkgroupEdits(StaffEdits[GroupFields]):
    """Transactional writes on working groups and their ideas (edit: StaffEdits)."""

    _table = "working_groups"

    @staticmethod
    async def region_of(tx: Transaction, group_id: int) -> int | None:
        """The group's region, read inside the transaction (None: no such group)."""
        row = await tx.fetchone("SELECT region_id FROM working_groups WHERE id = ?", (group_id,))
        return int(row["region_id"]) if row else None

    @staticmethod
    async def create(
        tx: Transaction, fields: GroupFields, now: dt.datetime, *, open: bool = True
    ) -> tuple[int, str]:
        """A new working group with a unique slug from its name; (id, slug)."""
        slug = await unique_slug(tx, "working_groups", fields.name, fallback="gruppe")
        group_id = await tx.insert(
            "INSERT INTO working_groups (slug, name, region_id, description, name_en,"
            " description_en, open, updated_at) VALUES (:slug, :name, :region_id,"
            " :description, :name_en, :description_en, :open, :stamp)",
            {**staff_values(fields), "slug": slug, "open": int(open), "stamp": to_db(now)},
        )
        return group_id, slug

    @staticmethod
    async def set_open(tx: Transaction, group_id: int, open: bool, now: dt.datetime) -> bool:
        """Open (registrations possible) or close the group; False if it already was so."""
        changed = await tx.execute(
            "UPDATE working_groups SET open = ?, updated_at = ?, shipped = 0"
            " WHERE id = ? AND open != ?",
            (int(open), to_db(now), group_id, int(open)),
        )
        return changed == 1

    @staticmethod
    async def link_idea(tx: Transaction, group_id: int, idea_id: int, now: dt.datetime) -> bool:
        """The group carries the idea; False if it already did (or either is gone)."""
        changed = await tx.execute(
            "INSERT OR IGNORE INTO working_group_ideas (group_id, idea_id)"
            " SELECT g.id, i.id FROM working_groups g, ideas i WHERE g.id = ? AND i.id = ?",
            (group_id, idea_id),
        )
        if changed:
            await _touch(tx, group_id, now)
        return changed == 1

    @staticmethod
    async def unlink_idea(tx: Transaction, group_id: int, idea_id: int, now: dt.datetime) -> bool:
        """The group no longer carries the idea; False if it did not."""
        changed = await tx.execute(
            "DELETE FROM working_group_ideas WHERE group_id = ? AND idea_id = ?",
            (group_id, idea_id),
        )
        if changed:
            await _touch(tx, group_id, now)
        return changed == 1


async def _touch(tx: Transaction, group_id: int, now: dt.datetime) -> None:
    await tx.execute(
        "UPDATE working_groups SET updated_at = ?, shipped = 0 WHERE id = ?",
        (to_db(now), group_id),
    )
