"""The region finder over the shipped place data.

A municipality can belong to another region than its district: Witten and Hattingen (overrides).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.places import MAX_QUERY_LENGTH, PlaceIndex, normalize
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


def test_normalize_folds_case_umlauts_and_punctuation() -> None:
    assert normalize("  Mülheim an der Ruhr ") == "muelheim an der ruhr"
    assert normalize("Fröndenberg/Ruhr") == "froendenberg ruhr"
    assert normalize("STRAẞE") == "strasse"
    assert normalize("Halle (Westf.)") == "halle westf"


@pytest.mark.parametrize(
    ("query", "kind", "place", "region"),
    [
        # exact names find their region
        ("Dortmund", "exact", "Dortmund", "westfaelisches-ruhrgebiet"),
        ("Lünen", "exact", "Lünen", "westfaelisches-ruhrgebiet"),
        ("luenen", "exact", "Lünen", "westfaelisches-ruhrgebiet"),
        ("Kreis Soest", "exact", "Kreis Soest", "hellweg-hochsauerland"),
        ("bad berleburg", "exact", "Bad Berleburg", "siegen-wittgenstein-olpe"),
        ("Aachen", "exact", "Aachen", "aachen"),
        ("Halle", "exact", "Halle (Westf.)", "ostwestfalen-lippe"),
        ("Raumland", "exact", "Raumland", "siegen-wittgenstein-olpe"),
        ("Hochsauerlandkreis", "exact", "Hochsauerlandkreis", "hellweg-hochsauerland"),
        # postcodes find their municipality
        ("57319", "postcode", "Bad Berleburg", "siegen-wittgenstein-olpe"),
        # overrides: a municipality's own region beats its district's
        ("Witten", "exact", "Witten", "mittlere-ruhr"),
        ("Hattingen", "exact", "Hattingen", "mittlere-ruhr"),
        ("Bochum", "exact", "Bochum", "mittlere-ruhr"),
        ("Herne", "exact", "Herne", "mittlere-ruhr"),
        ("Schwelm", "exact", "Schwelm", "maerkische-region"),
        ("Ennepe-Ruhr-Kreis", "exact", "Ennepe-Ruhr-Kreis", "maerkische-region"),
        # ... and their postcodes follow the municipality
        ("58452", "postcode", "Witten", "mittlere-ruhr"),
        ("45525", "postcode", "Hattingen", "mittlere-ruhr"),
        ("44787", "postcode", "Bochum", "mittlere-ruhr"),
        ("58332", "postcode", "Schwelm", "maerkische-region"),
    ],
)
def test_a_query_finds_exactly_its_place_and_region(
    index: PlaceIndex, query: str, kind: str, place: str, region: str
) -> None:
    result = index.find(query)
    assert result.kind == kind
    assert [(p.name, p.region_slug) for p in result.places] == [(place, region)]


def test_postcodes_find_their_municipality(index: PlaceIndex) -> None:
    assert index.find("44135").places[0].name == "Dortmund"
    assert index.find("12345").kind == "unknown_postcode"


def test_near_misses_get_suggestions(index: PlaceIndex) -> None:
    result = index.find("Dortmnd")
    assert result.kind == "suggestions"
    assert [p.name for p in result.places] == ["Dortmund"]
    assert "Mülheim an der Ruhr" in [p.name for p in index.find("Mülheim").places]


@pytest.mark.parametrize("query", ["xyzzy", "   ", "!!!", "🙂", "x" * MAX_QUERY_LENGTH])
def test_nonsense_finds_nothing(index: PlaceIndex, query: str) -> None:
    assert index.find(query).kind == "nothing"


def test_over_long_input_is_refused(index: PlaceIndex) -> None:
    assert index.find("Dortmund " * 20).kind == "too_long"


# --------------------------------------------------------------------------- overrides


def test_the_region_is_called_mittleres_ruhrgebiet(index: PlaceIndex) -> None:
    (place,) = index.find("Witten").places
    assert place.region_name == "Mittleres Ruhrgebiet"
