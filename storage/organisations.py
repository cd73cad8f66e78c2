"""Organisations shown on a region's page (e.g. the Regionalagentur): no personal data."""

from __future__ import annotations

import json

from storage.collation import sort_key
from storage.db import Database
from storage.models import Organisation

_SELECT = "SELECT id, slug, region_id, kind, name, host, host_en, url, sources FROM organisations"


def _organisation(row: object) -> Organisation:
    data = dict(row)  # type: ignore[call-overload]
    data["sources"] = tuple(json.loads(data["sources"]))
    return Organisation(**data)


class OrganisationRepository:
    """Read access to organisations (written by imports)."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def of_region(self, region_id: int) -> list[Organisation]:
        """The organisations of a region, Regionalagentur first, then by name."""
        rows = await self._db.fetchall(
            f"{_SELECT} WHERE region_id = ? ORDER BY id",
            (region_id,),
        )
        return sorted(
            (_organisation(r) for r in rows),
            key=lambda o: (o.kind != "regionalagentur", sort_key(o.name)),
        )

    async def get_by_slug(self, slug: str) -> Organisation | None:
        """One organisation by slug."""
        row = await self._db.fetchone(f"{_SELECT} WHERE slug = ?", (slug,))
        return _organisation(row) if row else None

    async def count(self) -> int:
        """How many organisations there are."""
        row = await self._db.fetchone("SELECT COUNT(*) AS n FROM organisations")
        return int(row["n"]) if row else 0
