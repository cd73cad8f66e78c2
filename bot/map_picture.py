"""The Ideenlandkarte as a picture: the schematic NRW map with a badge per region.

The base image and its layout are precomputed by scripts/build_map.py (bot/data/map-base.png,
bot/data/map-layout.json); here only the badges (region number and number of ideas) and the
title are drawn. Pillow is imported only when a map is drawn, as in bot/stats.py.
"""

from __future__ import annotations

import functools
import io
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.stats import _ascii, _font

if TYPE_CHECKING:
    from PIL import Image

DATA = Path(__file__).resolve().parent / "data"
BASE_PNG = DATA / "map-base.png"
LAYOUT_JSON = DATA / "map-layout.json"

# The badge colours. scripts/build_map.py puts them (and their blends with every fill) into
# the base image's palette, so a rendered map goes back to that palette without loss.
INK = (43, 52, 64)  # the number's disc, the count, the title
PAPER = (255, 255, 255)  # the number, the count's pill
MUTED = (118, 126, 135)  # a count of 0, the legend

NUMBER_SIZE = 34  # px; the picture is 1280 px wide and shows at ~0.7 of that on a phone
COUNT_SIZE = 29
TITLE_SIZE = 38
LEGEND_SIZE = 22
MIN_TEXT_SIZE = 20  # a longer title is made smaller down to this, then runs off the edge
MARGIN = 24
DISC = 56  # diameter of the number's disc
PILL_HEIGHT = 40
PILL_MIN_WIDTH = 50
PILL_END = 9  # px before and after the count
PILL_TUCK = 8  # px of the pill's top under the disc
SCALE = 4  # badges are drawn this much larger and scaled down: smooth circles


@dataclass(frozen=True)
class MapRegion:
    """A region on the map: its number (as on the buttons) and where its badge sits.

    The anchor is the centre of the number's disc, inside the region; the count's pill hangs
    below the disc.
    """

    slug: str
    number: int
    name: str
    anchor: tuple[int, int]
    colour: str = ""


@dataclass(frozen=True)
class MapLayout:
    """What scripts/build_map.py computed: image size, projection, the regions."""

    width: int
    height: int
    title_band: int
    regions: tuple[MapRegion, ...]
    projection: Mapping[str, float]

    def region(self, slug: str) -> MapRegion | None:
        """The region with this slug, if it is on the map."""
        return next((r for r in self.regions if r.slug == slug), None)

    def project(self, lat: float, lon: float) -> tuple[float, float]:
        """Pixel coordinates of a WGS84 point, with the base image's projection."""
        p = self.projection
        kx = p["km_per_degree"] * math.cos(math.radians(p["mean_lat"]))
        x = p["left"] + (lon - p["lon0"]) * kx * p["px_per_km"]
        y = p["top"] + (p["lat0"] - lat) * p["km_per_degree"] * p["px_per_km"]
        return x, y


@functools.cache
def load_layout(path: Path = LAYOUT_JSON) -> MapLayout:
    """The layout, read once; regions by number."""
    raw = json.loads(path.read_text("utf-8"))
    regions = tuple(
        sorted(
            (
                MapRegion(slug, int(r["number"]), r["name"], tuple(r["anchor"]), r["colour"])
                for slug, r in raw["regions"].items()
            ),
            key=lambda r: r.number,
        )
    )
    return MapLayout(
        int(raw["width"]), int(raw["height"]), int(raw["title_band"]), regions, raw["projection"]
    )


@functools.cache
def _base() -> tuple[Image.Image, Image.Image]:
    """The decoded base image in RGB (drawn on) and as palette image (to map back to)."""
    from PIL import Image

    with Image.open(BASE_PNG) as image:
        palette = image.copy()
    return palette.convert("RGB"), palette


@functools.lru_cache(maxsize=32)
def _sized_font(size: int) -> tuple[Any, bool]:
    """bot.stats' font lookup, loaded once per size."""
    return _font(size)


def _supersampled(width: int, height: int) -> tuple[Image.Image, Any]:
    """A transparent canvas SCALE times the size, and a drawing context on it."""
    from PIL import Image, ImageDraw

    image = Image.new("RGBA", (width * SCALE, height * SCALE), (0, 0, 0, 0))
    return image, ImageDraw.Draw(image)


def _finish(image: Image.Image) -> Image.Image:
    """The supersampled canvas at its final size."""
    from PIL import Image

    return image.resize((image.width // SCALE, image.height // SCALE), Image.Resampling.LANCZOS)


@functools.cache
def _number_badge(number: int) -> Image.Image:
    """The region number, white on a dark disc (RGBA)."""
    image, draw = _supersampled(DISC + 4, DISC + 4)
    draw.ellipse((0, 0, (DISC + 4) * SCALE - 1, (DISC + 4) * SCALE - 1), fill=PAPER)
    draw.ellipse((2 * SCALE, 2 * SCALE, (DISC + 2) * SCALE - 1, (DISC + 2) * SCALE - 1), fill=INK)
    font, _ = _sized_font(NUMBER_SIZE * SCALE)
    centre = ((DISC + 4) * SCALE / 2, (DISC + 4) * SCALE / 2)
    # a stroke in the text's own colour: bold from the regular font the chart uses
    draw.text(
        centre,
        str(number),
        fill=PAPER,
        font=font,
        anchor="mm",
        stroke_width=SCALE,
        stroke_fill=PAPER,
    )
    return _finish(image)


@functools.lru_cache(maxsize=256)  # ~10 KB each
def _count_pill(count: int) -> Image.Image:
    """The number of ideas, dark on a white pill with a dark rim (RGBA)."""
    from PIL import Image, ImageDraw

    font, _ = _sized_font(COUNT_SIZE * SCALE)
    text = str(count)
    text_width = ImageDraw.Draw(Image.new("L", (1, 1))).textlength(text, font=font) / SCALE
    width = max(PILL_MIN_WIDTH, round(text_width + 2 * PILL_END))
    image, draw = _supersampled(width, PILL_HEIGHT)
    colour = INK if count else MUTED
    draw.rounded_rectangle(
        (0, 0, width * SCALE - 1, PILL_HEIGHT * SCALE - 1),
        radius=PILL_HEIGHT * SCALE // 2,
        fill=PAPER,
        outline=colour,
        width=2 * SCALE,
    )
    draw.text(
        (width * SCALE / 2, PILL_HEIGHT * SCALE / 2),
        text,
        fill=colour,
        font=font,
        anchor="mm",
        stroke_width=SCALE // 2 if count else 0,
        stroke_fill=colour,
    )
    return _finish(image)


def _badge_parts(
    region: MapRegion, count: int
) -> tuple[Image.Image, tuple[int, int], Image.Image, tuple[int, int]]:
    """The disc and the pill of a region's badge, each with its top-left corner.

    The disc is centred on the anchor; the pill hangs below it, its top under the disc.
    """
    disc, pill = _number_badge(region.number), _count_pill(count)
    x, y = region.anchor
    disc_at = (x - disc.width // 2, y - disc.height // 2)
    pill_at = (x - pill.width // 2, disc_at[1] + disc.height - PILL_TUCK)
    return disc, disc_at, pill, pill_at


def badge_box(region: MapRegion, count: int) -> tuple[int, int, int, int]:
    """The box (left, top, right, bottom) the region's badge covers."""
    disc, (dx, dy), pill, (px, py) = _badge_parts(region, count)
    return (
        min(dx, px),
        min(dy, py),
        max(dx + disc.width, px + pill.width),
        max(dy + disc.height, py + pill.height),
    )


def _text_line(
    draw: Any,
    y: int,
    text: str,
    size: int,
    colour: tuple[int, int, int],
    width: int,
    bold: bool = False,
) -> None:
    """One line of text at the left margin, smaller if it would not fit the width."""
    font, plain = _sized_font(size)
    if plain:  # Pillow's built-in font has no umlauts
        text = _ascii(text)
    while size > MIN_TEXT_SIZE and draw.textlength(text, font=font) > width - 2 * MARGIN:
        size -= 2
        font, _ = _sized_font(size)
    stroke = 1 if bold else 0
    draw.text((MARGIN, y), text, fill=colour, font=font, stroke_width=stroke, stroke_fill=colour)


def render_map(counts: Mapping[str, int], *, title: str, legend: str | None = None) -> bytes:
    """The map with every region's number and its number of ideas (missing: 0); a PNG.

    `counts` maps region slugs to their number of ideas; `title` (and the optional `legend`
    line under it) are in the user's language.
    """
    from PIL import Image, ImageDraw

    layout = load_layout()
    rgb, palette = _base()
    image = rgb.copy()
    for region in layout.regions:
        disc, disc_at, pill, pill_at = _badge_parts(region, max(0, counts.get(region.slug, 0)))
        image.paste(disc, disc_at, disc)
        image.paste(pill, pill_at, pill)
    draw = ImageDraw.Draw(image)
    _text_line(draw, 18, title, TITLE_SIZE, INK, layout.width, bold=True)
    if legend:
        _text_line(draw, 18 + TITLE_SIZE + 14, legend, LEGEND_SIZE, MUTED, layout.width)
    # Back to the base palette (it holds the badge colours and their blends): a palette PNG
    # is a third of the size and encodes in a fraction of the time of an RGB one.
    out = io.BytesIO()
    image.quantize(palette=palette, dither=Image.Dither.NONE).save(
        out, format="PNG", compress_level=3
    )
    return out.getvalue()
