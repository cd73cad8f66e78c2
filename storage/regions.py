"""Regions and the places (districts, municipalities, postcodes) that belong to them.

A municipality belongs to its district's region unless it names another one
(municipalities.region_id: Witten and Hattingen of the Ennepe-Ruhr-Kreis are in the Mittleres
Ruhrgebiet); a district is found in its own region.
"""

from __future__ import annotations

from storage.collation import sort_key
from storage.models import Place, PostalCode, Region
from storage.repository import Repository

_PLACE_COLUMNS = "r.id AS region_id, r.slug AS region_slug, r.name AS region_name"
_REGION = "SELECT r.id, r.slug, r.name, r.idea_count, r.name_en FROM regions r"
# The municipality m with its district d and its region r (the municipality's own, if set).
_MUNICIPALITY_REGION = (
    " JOIN districts d ON d.key = m.district_key"
    " JOIN regions r ON r.id = COALESCE(m.region_id, d.region_id)"
)


class RegionRepository(Repository):
    """Read access to regions and their places."""

    async def list_with_counts(self) -> list[Region]:
        """All regions, alphabetically, with the number of (not archived) ideas in each."""
        rows = await self._db.fetchall(f"{_REGION} ORDER BY r.id")
        return sorted((Region(**dict(row)) for row in rows), key=lambda r: sort_key(r.name))

    async def idea_counts(self) -> dict[str, int]:
        """Region slug → number of ideas not archived, for the map (one indexed read)."""
        rows = await self._db.fetchall("SELECT slug, idea_count FROM regions")
        return {str(r["slug"]): int(r["idea_count"]) for r in rows}

    async def get(self, region_id: int) -> Region | None:
        """One region by id, with its idea count."""
        row = await self._db.fetchone(f"{_REGION} WHERE r.id = ?", (region_id,))
        return Region(**dict(row)) if row else None

    async def get_by_slug(self, slug: str) -> Region | None:
        """One region by its stable slug."""
        row = await self._db.fetchone(f"{_REGION} WHERE r.slug = ?", (slug,))
        return Region(**dict(row)) if row else None

    async def count(self) -> int:
        """How many regions there are."""
        return await self._db.count("SELECT COUNT(*) FROM regions")

    async def places(self) -> list[Place]:
        """Every searchable place name: regions, districts, municipalities, localities."""
        rows = await self._db.fetchall(
            f"SELECT r.name AS name, 'region' AS kind, '' AS detail, {_PLACE_COLUMNS}"
            " FROM regions r"
            " UNION ALL"
            f" SELECT d.name, 'district', d.kind, {_PLACE_COLUMNS}"
            " FROM districts d JOIN regions r ON r.id = d.region_id"
            " UNION ALL"
            f" SELECT m.name, 'municipality', d.name, {_PLACE_COLUMNS}"
            f" FROM municipalities m{_MUNICIPALITY_REGION}"
            " UNION ALL"
            f" SELECT l.name, 'locality', m.name, {_PLACE_COLUMNS}"
            f" FROM localities l JOIN municipalities m ON m.ags = l.ags{_MUNICIPALITY_REGION}"
        )
        return [Place(**dict(row)) for row in rows]

    async def postal_codes(self) -> list[PostalCode]:
        """Every postcode with the municipality it belongs to."""
        rows = await self._db.fetchall(
            f"SELECT p.code, m.name, 'municipality' AS kind, d.name AS detail, {_PLACE_COLUMNS}"
            f" FROM postal_codes p JOIN municipalities m ON m.ags = p.ags{_MUNICIPALITY_REGION}"
            " ORDER BY p.code, m.name"
        )
        return [
            PostalCode(
                code=row["code"],
                place=Place(**{k: row[k] for k in row.keys() if k != "code"}),  # noqa: SIM118
            )
            for row in rows
        ]
