"""The map picture: the precomputed base and layout, and the badges drawn at run time."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from PIL import Image, ImageChops

from bot.map_picture import BASE_PNG, MapLayout, badge_box, load_layout, render_map

from stories.bench import run_bench

ROOT = Path(__file__).resolve().parent.parent
REGIONS_JSON = ROOT / "bot" / "data" / "nrw-regions.json"

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def layout() -> MapLayout:
    return load_layout()


@pytest.fixture(scope="module")
def base() -> Image.Image:
    with Image.open(BASE_PNG) as image:
        return image.convert("RGB")


def _hex(colour: object) -> str:
    assert isinstance(colour, tuple)
    return "#{:02x}{:02x}{:02x}".format(*colour[:3])


def _municipality(name: str) -> tuple[float, float]:
    """The Destatis centre point of a municipality, from the shipped region data."""
    data = json.loads(REGIONS_JSON.read_text("utf-8"))
    for region in data["regions"]:
        for district in region["districts"]:
            for municipality in district["municipalities"]:
                if municipality["name"] == name:
                    return municipality["lat"], municipality["lon"]
    raise LookupError(name)


def _colour_at(layout: MapLayout, base: Image.Image, name: str) -> str:
    x, y = layout.project(*_municipality(name))
    return _hex(base.getpixel((round(x), round(y))))


def _png(data: bytes) -> Image.Image:
    assert data.startswith(PNG_MAGIC)
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def test_layout_has_the_16_regions_numbered_1_to_16_inside_the_image(layout: MapLayout) -> None:
    assert len(layout.regions) == 16
    assert [r.number for r in layout.regions] == list(range(1, 17))
    for region in layout.regions:
        x, y = region.anchor
        assert 0 <= x < layout.width and layout.title_band <= y < layout.height, region
        left, top, right, bottom = badge_box(region, 888)
        assert left >= 0 and top >= layout.title_band, region
        assert right <= layout.width and bottom <= layout.height, region


def test_layout_slugs_are_the_bots_regions(layout: MapLayout) -> None:
    shipped = json.loads(REGIONS_JSON.read_text("utf-8"))
    assert {r.slug for r in layout.regions} == {r["slug"] for r in shipped["regions"]}


def test_base_image_is_a_small_palette_png_of_the_layouts_size(layout: MapLayout) -> None:
    assert BASE_PNG.stat().st_size < 300_000
    with Image.open(BASE_PNG) as image:
        assert image.mode == "P"
        assert image.size == (layout.width, layout.height)


def test_each_badge_sits_inside_its_region(layout: MapLayout, base: Image.Image) -> None:
    for region in layout.regions:
        x, y = region.anchor
        # the anchor and the disc's edge around it (radius ~20 px) are the region's colour
        for dx, dy in ((0, 0), (-12, 0), (12, 0), (0, -12), (0, 12)):
            assert _hex(base.getpixel((x + dx, y + dy))) == region.colour, (region, dx, dy)


def test_neighbouring_badges_do_not_overlap(layout: MapLayout) -> None:
    boxes = [badge_box(region, 888) for region in layout.regions]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1], (a, b)


@pytest.mark.parametrize(
    ("town", "slug", "not_slug"),
    [
        # Witten and Hattingen (Ennepe-Ruhr-Kreis) belong to the Mittleres Ruhrgebiet: the
        # municipality override beats their district's region, the Märkische Region.
        ("Witten", "mittlere-ruhr", "maerkische-region"),
        ("Hattingen", "mittlere-ruhr", "maerkische-region"),
        ("Bochum", "mittlere-ruhr", "maerkische-region"),
        ("Herne", "mittlere-ruhr", "emscher-lippe"),
        ("Schwelm", "maerkische-region", "mittlere-ruhr"),
        ("Sprockhövel", "maerkische-region", "mittlere-ruhr"),
        ("Essen", "meo", "mittlere-ruhr"),
        ("Münster", "muensterland", "ostwestfalen-lippe"),
        ("Bielefeld", "ostwestfalen-lippe", "muensterland"),
        ("Köln", "koeln", "bonn-rhein-sieg"),
        ("Aachen", "aachen", "koeln"),
        ("Siegen", "siegen-wittgenstein-olpe", "maerkische-region"),
    ],
)
def test_towns_lie_in_their_regions_colour(
    layout: MapLayout, base: Image.Image, town: str, slug: str, not_slug: str
) -> None:
    region, other = layout.region(slug), layout.region(not_slug)
    assert region is not None and other is not None
    assert region.colour != other.colour  # neighbours differ, so the check can fail
    assert _colour_at(layout, base, town) == region.colour


def test_render_returns_a_png_of_the_layouts_size_within_telegrams_photo_limits(
    layout: MapLayout,
) -> None:
    counts = {region.slug: 12345 for region in layout.regions}  # the widest pills
    data = render_map(
        counts,
        title="Ideenlandkarte: Ideen je Region",
        legend="Oben die Nummer der Region, darunter die Zahl der Ideen",
    )
    image = _png(data)
    width, height = image.size
    assert (width, height) == (layout.width, layout.height)
    assert width + height <= 10_000 and max(width, height) / min(width, height) <= 20
    assert len(data) < 10 * 1024 * 1024


def test_a_changed_count_changes_its_badge_and_nothing_else(layout: MapLayout) -> None:
    counts = {region.slug: 3 for region in layout.regions}
    before = _png(render_map(counts, title="Ideenlandkarte")).convert("RGB")
    counts["muensterland"] = 47
    after = _png(render_map(counts, title="Ideenlandkarte")).convert("RGB")
    changed = ImageChops.difference(before, after).getbbox()
    assert changed is not None
    region = layout.region("muensterland")
    assert region is not None
    left, top, right, bottom = badge_box(region, 47)
    assert left <= changed[0] and top <= changed[1]
    assert changed[2] <= right and changed[3] <= bottom


def test_missing_and_unknown_regions_are_drawn_as_zero(layout: MapLayout) -> None:
    zeros = render_map({region.slug: 0 for region in layout.regions}, title="Karte")
    assert render_map({"atlantis": 5}, title="Karte") == zeros


def test_the_title_is_drawn_and_a_long_one_fits(layout: MapLayout) -> None:
    plain = _png(render_map({}, title="")).convert("RGB")
    short = _png(render_map({}, title="Ideenlandkarte")).convert("RGB")
    assert ImageChops.difference(plain, short).getbbox() is not None
    long = _png(render_map({}, title="Ideenlandkarte – Übersicht " * 4)).convert("RGB")
    band = (0, 0, layout.width, layout.title_band)
    changed = ImageChops.difference(plain.crop(band), long.crop(band)).getbbox()
    assert changed is not None and changed[2] < layout.width - 16  # made smaller, not cut off


@pytest.mark.process
def test_bench_runs_at_tiny_scale(tmp_path: Path) -> None:
    done, _ = run_bench("map.py", tmp_path, {"renders": 3, "sends": 2})
    assert "render p99:" in done.stdout and "send_photo, by file_id" in done.stdout, done.stdout
