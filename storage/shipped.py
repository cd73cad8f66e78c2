"""Which version of the bot's own data (bot/data) a database holds."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from typing import TYPE_CHECKING

from storage.db import Transaction
from storage.repository import Repository
from storage.timeutil import to_db

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

SHIPPED_KEY = "shipped_content"
# A database filled before the version was recorded holds the first shipped content.
LEGACY_VERSION = 1


class ShippedContent(Repository):
    """The version of the shipped content loaded into the database."""

    async def version(self) -> int:
        """0: nothing loaded (empty database); otherwise the recorded (or legacy) version."""
        has_meta = await self._db.fetchone(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'"
        )
        row = None
        if has_meta is not None:
            row = await self._db.fetchone("SELECT value FROM meta WHERE key = ?", (SHIPPED_KEY,))
        if row is not None:
            return int(row["value"])
        regions = await self._db.fetchone("SELECT 1 FROM regions LIMIT 1")
        return LEGACY_VERSION if regions is not None else 0


def staff_values(fields: DataclassInstance) -> dict[str, object]:
    """What staff set on a row, as column values: an empty English text (`*_en`) is none."""
    return {
        name: (value or None) if name.endswith("_en") else value
        for name, value in asdict(fields).items()
    }


async def edit_staff_row(
    tx: Transaction, table: str, row_id: int, fields: DataclassInstance, now: dt.datetime
) -> tuple[str, ...] | None:
    """Set what staff set on a row; the names of the columns that changed (None: no such row).

    The row is marked `shipped = 0`: a newer version of the shipped data leaves it alone.
    """
    values = staff_values(fields)
    row = await tx.fetchone(f"SELECT {', '.join(values)} FROM {table} WHERE id = ?", (row_id,))
    if row is None:
        return None
    changed = tuple(name for name, value in values.items() if row[name] != value)
    if changed:
        assignments = ", ".join(f"{name} = :{name}" for name in values)
        await tx.execute(
            f"UPDATE {table} SET {assignments}, updated_at = :stamp, shipped = 0 WHERE id = :id",
            {**values, "stamp": to_db(now), "id": row_id},
        )
    return changed
