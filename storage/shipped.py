"""The bot's own data (bot/data) in a database: which version it holds; staff edits that
take a row out of it."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from typing import TYPE_CHECKING, ClassVar, Generic, TypeVar

from storage.db import Transaction
from storage.repository import Repository
from storage.timeutil import to_db

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

F = TypeVar("F", bound="DataclassInstance")

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


class StaffEdits(Generic[F]):
    """The edit staff make on a row of a table the shipped data fills (ideas, groups).

    The row is marked `shipped = 0`: a newer version of the shipped data leaves it alone.
    """

    _table: ClassVar[str]

    @classmethod
    async def edit(
        cls, tx: Transaction, row_id: int, fields: F, now: dt.datetime
    ) -> tuple[str, ...] | None:
        """Set the fields; the names of those that changed (None: no such row)."""
        values = staff_values(fields)
        row = await tx.fetchone(
            f"SELECT {', '.join(values)} FROM {cls._table} WHERE id = ?", (row_id,)
        )
        if row is None:
            return None
        changed = tuple(name for name, value in values.items() if row[name] != value)
        if changed:
            assignments = ", ".join(f"{name} = :{name}" for name in values)
            await tx.execute(
                f"UPDATE {cls._table} SET {assignments}, updated_at = :stamp, shipped = 0"
                " WHERE id = :id",
                {**values, "stamp": to_db(now), "id": row_id},
            )
        return changed
