"""Organisations shown on a region's page (e.g. the Regionalagentur): no personal data."""

from __future__ import annotations

from storage.collation import sort_key
from storage.models import Organisation
from storage.repository import Repository

_SELECT = "SELECT id, slug, region_id, kind, name, host, host_en, url, sources FROM organisations"


class OrganisationRepository(Repository):
    """Read access to organisations (written by imports)."""

    async def of_region(self, region_id: int) -> list[Organisation]:
        """The organisations of a region, Regionalagentur first, then by name."""
        rows = await self._db.fetchall(
            f"{_SELECT} WHERE region_id = ? ORDER BY id",
            (region_id,),
        )
        return sorted(
            (Organisation.of(r) for r in rows),
            key=lambda o: (o.kind != "regionalagentur", sort_key(o.name)),
        )

    async def get_by_slug(self, slug: str) -> Organisation | None:
        """One organisation by slug."""
        row = await self._db.fetchone(f"{_SELECT} WHERE slug = ?", (slug,))
        return Organisation.of(row) if row else None

    async def count(self) -> int:
        """How many organisations there are."""
        return await self._db.count("SELECT COUNT(*) FROM organisations")
