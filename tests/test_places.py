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


def assert_found(index: PlaceIndex, query: str, kind: str, place: str, region: str) -> None:
    """The query finds exactly this place in this region, in the way `kind` says."""
    result = index.find(query)
    assert result.kind == kind
    assert [(p.name, p.region_slug) for p in result.places] == [(place, region)]


def test_normalize_folds_case_umlauts_and_punctuation() -> None:
    assert normalize("  Mülheim an der Ruhr ") == "muelheim an der ruhr"
    assert normalize("Fröndenberg/Ruhr") == "froendenberg ruhr"
    assert normalize("STRAẞE") == "strasse"
    assert normalize("Halle (Westf.)") == "halle westf"


@pytest.mark.parametrize(
    ("query", "place", "region"),
    [
        ("Dortmund", "Dortmund", "westfaelisches-ruhrgebiet"),
        ("Lünen", "Lünen", "westfaelisches-ruhrgebiet"),
        ("luenen", "Lünen", "westfaelisches-ruhrgebiet"),
        ("Kreis Soest", "Kreis Soest", "hellweg-hochsauerland"),
        ("bad berleburg", "Bad Berleburg", "siegen-wittgenstein-olpe"),
        ("Aachen", "Aachen", "aachen"),
        ("Halle", "Halle (Westf.)", "ostwestfalen-lippe"),
        ("Raumland", "Raumland", "siegen-wittgenstein-olpe"),
        ("Hochsauerlandkreis", "Hochsauerlandkreis", "hellweg-hochsauerland"),
    ],
)
def test_exact_names_find_their_region(
    index: PlaceIndex, query: str, place: str, region: str
) -> None:
    assert_found(index, query, "exact", place, region)


def test_postcodes_find_their_municipality(index: PlaceIndex) -> None:
    assert_found(index, "57319", "postcode", "Bad Berleburg", "siegen-wittgenstein-olpe")
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
    assert_found(index, query, "exact", place, region)


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
    assert_found(index, code, "postcode", place, region)


def test_the_region_is_called_mittleres_ruhrgebiet(index: PlaceIndex) -> None:
    (place,) = index.find("Witten").places
    assert place.region_name == "Mittleres Ruhrgebiet"
