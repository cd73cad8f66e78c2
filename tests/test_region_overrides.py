"""A municipality can belong to another region than its district: Witten and Hattingen."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.places import PlaceIndex
from storage.db import Database
from storage.regions import RegionRepository


@pytest.fixture
async def index(db_path: Path) -> PlaceIndex:
    database = await Database.open(db_path)
    try:
        repo = RegionRepository(database)
        return PlaceIndex.build(await repo.places(), await repo.postal_codes())
    finally:
        await database.close()


@pytest.mark.parametrize(
    ("query", "place", "region"),
    [
        ("Witten", "Witten", "mittlere-ruhr"),
        ("Hattingen", "Hattingen", "mittlere-ruhr"),
        ("Bochum", "Bochum", "mittlere-ruhr"),
        ("Herne", "Herne", "mittlere-ruhr"),
        ("Schwelm", "Schwelm", "maerkische-region"),
        ("Ennepe-Ruhr-Kreis", "Ennepe-Ruhr-Kreis", "maerkische-region"),
    ],
)
def test_a_municipality_override_beats_its_district(
    index: PlaceIndex, query: str, place: str, region: str
) -> None:
    result = index.find(query)
    assert result.kind == "exact"
    assert [(p.name, p.region_slug) for p in result.places] == [(place, region)]


@pytest.mark.parametrize(
    ("code", "place", "region"),
    [
        ("58452", "Witten", "mittlere-ruhr"),
        ("45525", "Hattingen", "mittlere-ruhr"),
        ("44787", "Bochum", "mittlere-ruhr"),
        ("58332", "Schwelm", "maerkische-region"),
    ],
)
def test_postcodes_follow_the_municipality(
    index: PlaceIndex, code: str, place: str, region: str
) -> None:
    result = index.find(code)
    assert result.kind == "postcode"
    assert [(p.name, p.region_slug) for p in result.places] == [(place, region)]


def test_the_region_is_called_mittleres_ruhrgebiet(index: PlaceIndex) -> None:
    (place,) = index.find("Witten").places
    assert place.region_name == "Mittleres Ruhrgebiet"
