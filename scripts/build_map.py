"""Build bot/data/map-base.png and bot/data/map-layout.json: a schematic map of the 16 regions.

Usage: python scripts/build_map.py [DATA_DIR]  (default: ../shared/data)

There are no licence-clean boundary polygons among the shipped data, so the map is drawn from
points: every municipality centre (Destatis) and every postal-code point (GeoNames) gets its
labour-market region (a municipality override beats its district's region), each pixel takes
the region of its nearest point (a Voronoi diagram on the pixel grid), and pixels farther than
MASK_KM from every point are outside. That gives a recognisable NRW with the right neighbours;
it is schematic, not an official boundary. Pillow and plain Python only (no NumPy): 20-30 s.
The run-time part (badges with the numbers and counts, the title) is bot/map_picture.py.
"""

from __future__ import annotations

import csv
import itertools
import json
import math
import random
import sys
import time
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFilter

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # `python scripts/build_map.py` puts scripts/ first
    sys.path.insert(0, str(ROOT))

from bot.map_picture import DISC, INK, MUTED, PAPER, MapRegion, badge_box  # noqa: E402
from bot.stats import _font  # noqa: E402  (the chart's font lookup: DejaVu Sans or Pillow's)

SIZE = 1280  # Telegram shows photos up to 1280 px on the long side; a square uses all of it
TITLE_BAND = 84  # px at the top, left free for the run-time title
PAD = 12  # px between the (masked) map and the image's edges
SS = 2  # supersampling of the raster work, for smooth edges after the downscale
MASK_KM = 11.0  # farther than this from every point is outside NRW
MASK_SMOOTH_KM = 5.0  # blur radius that rounds the scalloped outline of the union of discs
BORDER_SMOOTH_KM = 1.2  # blur radius that smooths the zig-zag Voronoi edges between regions
KM_PER_DEGREE = 111.195  # a degree of latitude on a sphere of radius 6,371 km
MIN_SHARED_BORDER_PX = 12  # regions touching along less than this are not neighbours
GOOD_CONTRAST = 16.0  # ΔE76 between neighbours: clearly different, also for dichromats
BADGE_GAP = 6  # px at least between two badges
CRAMPED = 5  # the regions with the least room, placed in every order to find the best
PLACES = 4000  # the deepest pixels of a region considered for its badge
ROWS = 6  # rows of the numbering (reading order)

BACKGROUND = PAPER
OUTLINE = (68, 84, 106)  # the state's outline, slate
BORDER = PAPER  # between regions: white lines, as on most thematic maps
TEXT = MUTED
# Paul Tol's "light" scheme, made for filled areas with labels on them and distinguishable
# with colour-vision deficiencies (https://personal.sron.nl/~pault/, "qualitative colour
# schemes"), without its pale grey, which would read as "no data", and its olive, which is
# darker than the rest and would outweigh them.
FILLS = (
    (0x77, 0xAA, 0xDD),  # light blue
    (0x99, 0xDD, 0xFF),  # light cyan
    (0x44, 0xBB, 0x99),  # mint
    (0xBB, 0xCC, 0x33),  # pear
    (0xEE, 0xDD, 0x88),  # light yellow
    (0xEE, 0x88, 0x66),  # orange
    (0xFF, 0xAA, 0xBB),  # pink
    (0xCC, 0xBB, 0xEE),  # lavender (ours, for more variety)
)
# Short form of bot/data/SOURCES.md "Required attribution", in the empty south-east corner
# (Hesse); German like the licences themselves.
ATTRIBUTION = (
    "Schematische Karte, keine amtlichen Grenzen",
    "Gemeinden: © Statistisches Bundesamt (Destatis),",
    "GV-ISys 31.12.2024, dl-de/by-2-0, verändert",
    "(www.govdata.de/dl-de/by-2-0)",
    "Ortsteile/PLZ: GeoNames (www.geonames.org),",
    "CC BY 4.0",
)
ATTRIBUTION_SIZE = 17  # px font size; about 12 px on a phone screen

Point = tuple[float, float, int]  # x, y (pixels of the supersampled canvas), region index


def read(path: Path) -> list[dict[str, str]]:
    """Rows of a UTF-8 CSV file."""
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def region_points(data: Path) -> tuple[list[dict[str, str]], list[tuple[float, float, int]]]:
    """The regions (CSV order) and every point as (lat, lon, region index)."""
    regions = read(data / "nrw-labour-market-regions.csv")
    by_district = {
        key: index for index, row in enumerate(regions) for key in row["district_keys"].split()
    }
    slug_index = {row["region_slug"]: index for index, row in enumerate(regions)}
    overrides = {
        row["ags"]: slug_index[row["region_slug"]]
        for row in read(data / "nrw-region-municipality-overrides.csv")
    }

    def region_of(ags: str, district_key: str) -> int:
        return overrides.get(ags, by_district[district_key])

    points = [
        (float(row["lat"]), float(row["lon"]), region_of(row["ags"], row["district_key"]))
        for name in ("nrw-municipalities.csv", "nrw-postal-codes.csv")
        for row in read(data / name)
    ]
    return regions, points


class Projection:
    """Equirectangular lat/lon → pixels, scaled by cos(mean latitude), fitted to the canvas."""

    def __init__(self, points: Sequence[tuple[float, float, int]]) -> None:
        self.mean_lat = sum(p[0] for p in points) / len(points)
        self.kx = KM_PER_DEGREE * math.cos(math.radians(self.mean_lat))
        self.lon0 = min(p[1] for p in points)
        self.lat0 = max(p[0] for p in points)
        width_km = (max(p[1] for p in points) - self.lon0) * self.kx + 2 * MASK_KM
        height_km = (self.lat0 - min(p[0] for p in points)) * KM_PER_DEGREE + 2 * MASK_KM
        room_w, room_h = SIZE - 2 * PAD, SIZE - TITLE_BAND - PAD
        self.px_per_km = min(room_w / width_km, room_h / height_km)  # final image pixels
        self.left = (SIZE - width_km * self.px_per_km) / 2 + MASK_KM * self.px_per_km
        self.top = TITLE_BAND + (room_h - height_km * self.px_per_km) / 2
        self.top += MASK_KM * self.px_per_km

    def __call__(self, lat: float, lon: float) -> tuple[float, float]:
        """Pixel coordinates in the final image."""
        x = self.left + (lon - self.lon0) * self.kx * self.px_per_km
        y = self.top + (self.lat0 - lat) * KM_PER_DEGREE * self.px_per_km
        return x, y


class Nearest:
    """Nearest point to a pixel, through a grid of buckets (exact, not approximate)."""

    def __init__(self, points: Sequence[Point], cell: float) -> None:
        self.points = points
        self.cell = cell
        self.buckets: dict[tuple[int, int], list[int]] = defaultdict(list)
        for index, (x, y, _) in enumerate(points):
            self.buckets[int(x // cell), int(y // cell)].append(index)
        self.memo: dict[tuple[int, int], tuple[int, float]] = {}

    def __call__(self, x: int, y: int) -> tuple[int, float]:
        """Index of the nearest point (ties: the lower index) and its squared distance."""
        found = self.memo.get((x, y))
        if found is not None:
            return found
        cx, cy = int(x // self.cell), int(y // self.cell)
        best, best_d = -1, math.inf
        ring = 0
        while True:
            for bx in range(cx - ring, cx + ring + 1):
                for by in range(cy - ring, cy + ring + 1):
                    if max(abs(bx - cx), abs(by - cy)) != ring:
                        continue
                    for index in self.buckets.get((bx, by), ()):
                        px, py, _ = self.points[index]
                        d = (px - x) ** 2 + (py - y) ** 2
                        if d < best_d or (d == best_d and index < best):
                            best, best_d = index, d
            # Every point in a ring beyond this one is at least ring * cell away.
            if best >= 0 and best_d <= (ring * self.cell) ** 2:
                break
            ring += 1
        self.memo[x, y] = best, best_d
        return best, best_d

    def other_region_near(self, region: int, box: tuple[int, int, int, int], r: float) -> bool:
        """Whether a point of another region lies within r of the box (x0, y0, x1, y1)."""
        x0, y0, x1, y1 = box
        for bx in range(int((x0 - r) // self.cell), int((x1 + r) // self.cell) + 1):
            for by in range(int((y0 - r) // self.cell), int((y1 + r) // self.cell) + 1):
                for index in self.buckets.get((bx, by), ()):
                    px, py, other = self.points[index]
                    if other == region:
                        continue
                    dx = max(x0 - px, 0.0, px - x1)
                    dy = max(y0 - py, 0.0, py - y1)
                    if dx * dx + dy * dy <= r * r:
                        return True
        return False


def voronoi_labels(points: Sequence[Point], width: int, height: int) -> Image.Image:
    """An "L" image whose pixels hold 1 + the region index of their nearest point.

    Quadtree over blocks; a block is filled at once when it provably lies in one region:
    - its four corners share the nearest point (a Voronoi cell is convex, so the whole square
      lies in that cell), or
    - its corners' nearest points share a region R, and no point of another region is within
      d + diagonal of the block, d the largest corner-to-nearest distance (a pixel of the block
      is at most that far from a point of R). This skips the many cell edges inside a region.
    Other blocks are split, down to single pixels.
    """
    nearest = Nearest(points, cell=40.0 * SS)
    buffer = bytearray(width * height)
    block = 32

    def paint(x0: int, y0: int, x1: int, y1: int, region: int) -> None:
        value = bytes([region + 1]) * (x1 - x0 + 1)
        for y in range(y0, y1 + 1):
            buffer[y * width + x0 : y * width + x1 + 1] = value

    def fill(x0: int, y0: int, size: int) -> None:
        x1, y1 = min(x0 + size, width) - 1, min(y0 + size, height) - 1
        if x1 < x0 or y1 < y0:
            return
        corners = [nearest(x0, y0), nearest(x1, y0), nearest(x0, y1), nearest(x1, y1)]
        regions = {points[index][2] for index, _ in corners}
        if len({index for index, _ in corners}) == 1:
            paint(x0, y0, x1, y1, regions.pop())
            return
        if len(regions) == 1:
            region = regions.pop()
            reach = math.sqrt(max(d for _, d in corners)) + math.hypot(x1 - x0, y1 - y0)
            if not nearest.other_region_near(region, (x0, y0, x1, y1), reach):
                paint(x0, y0, x1, y1, region)
                return
        if x1 - x0 <= 1 and y1 - y0 <= 1:
            for y in range(y0, y1 + 1):
                for x in range(x0, x1 + 1):
                    buffer[y * width + x] = points[nearest(x, y)[0]][2] + 1
            return
        half = size // 2
        for dx, dy in ((0, 0), (half, 0), (0, half), (half, half)):
            fill(x0 + dx, y0 + dy, half)

    for y0 in range(0, height, block):
        for x0 in range(0, width, block):
            fill(x0, y0, block)
    return Image.frombytes("L", (width, height), bytes(buffer))


def mask_of(points: Sequence[Point], width: int, height: int, radius: float) -> Image.Image:
    """Pixels within `radius` of a point (255), rounded by a blur and a threshold."""
    mask = Image.new("L", (width, height), 0)
    draw = ImageDraw.Draw(mask)
    for x, y, _ in points:
        draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=255)
    blurred = mask.filter(ImageFilter.GaussianBlur(MASK_SMOOTH_KM * radius / MASK_KM))
    return blurred.point(lambda v: 255 if v >= 128 else 0)


def smooth_labels(labels: Image.Image, count: int, radius: float) -> Image.Image:
    """Each pixel takes the region with the most weight around it (blurred indicators).

    A mode filter with a Gaussian window: the zig-zag of Voronoi edges between points of two
    regions becomes a smooth curve, while the regions keep their place.
    """
    best = Image.new("L", labels.size, 0)
    result = Image.new("L", labels.size, 0)
    for value in range(1, count + 1):
        indicator = labels.point(lambda v, value=value: 255 if v == value else 0)
        weight = indicator.filter(ImageFilter.GaussianBlur(radius))
        # Strictly more weight wins; the first region keeps ties.
        wins = ImageChops.subtract(weight, best).point(lambda v: 255 if v > 0 else 0)
        result.paste(value, mask=wins)
        best = ImageChops.lighter(best, weight)
    return result


def neighbours(labels: Image.Image) -> dict[tuple[int, int], int]:
    """Shared border length in pixels for each pair of touching regions (1-based values)."""
    width, height = labels.size
    data = labels.tobytes()
    shared: dict[tuple[int, int], int] = defaultdict(int)
    for y in range(height - 1):
        row, below = y * width, (y + 1) * width
        for x in range(width - 1):
            a = data[row + x]
            if not a:
                continue
            for b in (data[row + x + 1], data[below + x]):
                if b and b != a:
                    shared[min(a, b), max(a, b)] += 1
    return {pair: n for pair, n in shared.items() if n >= MIN_SHARED_BORDER_PX}


def _linear(c: float) -> float:
    c /= 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


# Machado, Oliveira & Fernandes (2009), severity 1.0, applied to linear RGB.
_CVD = (
    ((1.0, 0.0, 0.0), (0.0, 1.0, 0.0), (0.0, 0.0, 1.0)),  # normal vision
    (
        (0.152286, 1.052583, -0.204868),
        (0.114503, 0.786281, 0.099216),
        (-0.003882, -0.048116, 1.051998),
    ),  # protanopia
    (
        (0.367322, 0.860646, -0.227968),
        (0.280085, 0.672501, 0.047413),
        (-0.011820, 0.042940, 0.968881),
    ),  # deuteranopia
    (
        (1.255528, -0.076749, -0.178779),
        (-0.078411, 0.930809, 0.147602),
        (0.004733, 0.691367, 0.303900),
    ),  # tritanopia
)


def _lab(rgb: Sequence[float]) -> tuple[float, float, float]:
    """CIE L*a*b* (D65) of linear RGB."""
    r, g, b = (min(1.0, max(0.0, c)) for c in rgb)
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def contrast(a: Sequence[int], b: Sequence[int]) -> float:
    """The smallest CIE76 difference of two colours, for normal vision and the three CVDs."""
    la, lb = [_linear(c) for c in a], [_linear(c) for c in b]
    worst = math.inf
    for matrix in _CVD:
        pa = _lab([sum(m * c for m, c in zip(row, la, strict=True)) for row in matrix])
        pb = _lab([sum(m * c for m, c in zip(row, lb, strict=True)) for row in matrix])
        worst = min(worst, math.dist(pa, pb))
    return worst


def assign_colours(count: int, pairs: Sequence[tuple[int, int]]) -> list[int]:
    """A fill per region (0-based) such that neighbours differ clearly and colours vary.

    Costs, by weight: a pair of neighbours below GOOD_CONTRAST (for normal vision or any of
    the three colour-vision deficiencies); two regions with a common neighbour sharing a colour
    (equal colours close together read as one area); colours used unevenly. Simulated
    annealing from seeded random starts, so the result is the same on every run.
    """
    table = [[contrast(a, b) for b in FILLS] for a in FILLS]
    edges = [(a - 1, b - 1) for a, b in pairs]
    adjacent: dict[int, set[int]] = {region: set() for region in range(count)}
    for a, b in edges:
        adjacent[a].add(b)
        adjacent[b].add(a)
    near: dict[int, set[int]] = {  # neighbours' neighbours that are not neighbours
        a: {c for b in adjacent[a] for c in adjacent[b]} - adjacent[a] - {a} for a in range(count)
    }

    def cost_of(region: int, fill: int, colours: Sequence[int], used: Sequence[int]) -> float:
        """The part of the cost that depends on this region's colour."""
        weak = sum(table[fill][colours[n]] < GOOD_CONTRAST for n in adjacent[region])
        clashes = sum(colours[n] == fill for n in near[region])
        # used[fill] counts this region when it already has that fill
        others = used[fill] - (colours[region] == fill)
        return 1000 * weak + 20 * clashes + 2 * others

    rng = random.Random(4711)
    best: list[int] = []
    best_cost = math.inf
    for _ in range(10):
        colours = [rng.randrange(len(FILLS)) for _ in range(count)]
        used = [colours.count(fill) for fill in range(len(FILLS))]
        temperature = 50.0
        for _ in range(15_000):
            region, fill = rng.randrange(count), rng.randrange(len(FILLS))
            old = colours[region]
            if fill == old:
                continue
            delta = cost_of(region, fill, colours, used) - cost_of(region, old, colours, used)
            if delta <= 0 or rng.random() < math.exp(-delta / temperature):
                colours[region] = fill
                used[old] -= 1
                used[fill] += 1
            temperature = max(0.1, temperature * 0.9995)
        weak = sum(table[colours[a]][colours[b]] < GOOD_CONTRAST for a, b in edges)
        clashes = sum(colours[a] == colours[c] for a in range(count) for c in near[a]) // 2
        total = 1000 * weak + 20 * clashes + sum(n * n for n in used)
        if total < best_cost:
            best, best_cost = colours.copy(), total
    weak = sum(table[best[a]][best[b]] < GOOD_CONTRAST for a, b in edges)
    clashes = sum(best[a] == best[c] for a in range(count) for c in near[a]) // 2
    print(
        f"  colours: {len(set(best))} used, {weak} neighbour pairs below ΔE {GOOD_CONTRAST:g}, "
        f"{clashes} second-neighbour pairs alike"
    )
    return best


def erode(image: Image.Image) -> Image.Image:
    """A 3x3 erosion of an image with a black border; 6x faster than MinFilter(3) here."""
    rows = ImageChops.darker(
        image, ImageChops.darker(ImageChops.offset(image, 1, 0), ImageChops.offset(image, -1, 0))
    )
    return ImageChops.darker(
        rows, ImageChops.darker(ImageChops.offset(rows, 0, 1), ImageChops.offset(rows, 0, -1))
    )


def depth_ranking(labels: Image.Image, value: int) -> list[tuple[int, int, int]]:
    """The region's pixels as (depth, x, y), deepest first: the best places for a badge.

    Depth is the number of 3x3 erosions a pixel survives: the half size of the largest square
    room around it, where the number's disc fits. Equal depths: the one nearer the centre of
    the deepest pixels first.
    """
    inside = labels.point(lambda v: 255 if v == value else 0)
    box = inside.getbbox()
    assert box is not None, f"region {value} has no pixels"
    left, top = max(0, box[0] - 2), max(0, box[1] - 2)
    narrow = inside.crop((left, top, box[2] + 2, box[3] + 2))
    depth = Image.new("L", narrow.size, 0)
    while narrow.getbbox() is not None:
        depth = ImageChops.add(depth, narrow.point(lambda v: 1 if v else 0))
        narrow = erode(narrow)
    width = depth.width
    values = depth.tobytes()
    deepest = max(values)
    core = [(i % width, i // width) for i, d in enumerate(values) if d == deepest]
    cx = sum(x for x, _ in core) / len(core)
    cy = sum(y for _, y in core) / len(core)
    ranked = sorted(
        (i for i, d in enumerate(values) if d),
        key=lambda i: (-values[i], (i % width - cx) ** 2 + (i // width - cy) ** 2),
    )
    return [(values[i], left + i % width, top + i // width) for i in ranked]


Box = tuple[int, int, int, int]


def badge_places(labels: Image.Image, value: int) -> list[tuple[float, int, int, int, Box]]:
    """Places for a region's badge as (fit, depth, x, y, box), best first.

    x, y is the centre of the number's disc (the pill with the count hangs below it), among
    the region's deeper pixels on a 3-px grid; fit is the share of the badge (sized for a
    three-digit count) on the region's own pixels, the disc counting double.
    """
    width = labels.width
    data = labels.tobytes()
    ranking = depth_ranking(labels, value)
    least = min(ranking[0][0], DISC // 2 + 3) // 3
    places = []
    for depth, x, y in ranking[:PLACES]:
        if depth < least or x % 3 or y % 3:
            continue
        box = badge_box(MapRegion("probe", 16, "", (x, y)), 888)
        own = total = 0
        for sy in range(box[1], box[3], 4):
            for sx in range(box[0], box[2], 4):
                weight = 2 if (sx - x) ** 2 + (sy - y) ** 2 <= (DISC / 2) ** 2 else 1
                total += weight
                own += weight * (0 <= sx < width and data[sy * width + sx] == value)
        places.append((own / total, depth, x, y, box))
    places.sort(key=lambda p: (-round(p[0], 2), -p[1]))
    return places


def place_badges(
    labels: Image.Image, count: int, obstacles: Sequence[Box]
) -> dict[int, tuple[int, int, int]]:
    """Where each region's number disc goes: (x, y, depth) per region value.

    Each region takes its best place (see badge_places) whose badge misses, BADGE_GAP apart, the
    badges placed before and the obstacles. The most cramped regions choose first; for the
    CRAMPED most cramped, every order is tried and the one whose worst fit is best wins.
    """
    places = {value: badge_places(labels, value) for value in range(1, count + 1)}
    by_room = sorted(places, key=lambda v: max(p[1] for p in places[v]))

    def free(box: Box, taken: Sequence[Box]) -> bool:
        b = (box[0] - BADGE_GAP, box[1] - BADGE_GAP, box[2] + BADGE_GAP, box[3] + BADGE_GAP)
        return all(b[2] <= t[0] or t[2] <= b[0] or b[3] <= t[1] or t[3] <= b[1] for t in taken)

    def greedy(order: Sequence[int]) -> tuple[tuple[float, float], dict[int, tuple]]:
        taken = list(obstacles)
        chosen: dict[int, tuple] = {}
        for value in order:
            place = next((p for p in places[value] if free(p[4], taken)), None)
            if place is None:  # no room left: the best place, overlapping (scored as unfit)
                place = (-1.0, *places[value][0][1:])
            chosen[value] = place
            taken.append(place[4])
        fits = [p[0] for p in chosen.values()]
        return (min(fits), sum(fits)), chosen

    best = max(
        (greedy([*head, *by_room[CRAMPED:]]) for head in itertools.permutations(by_room[:CRAMPED])),
        key=lambda result: result[0],
    )
    for value, place in best[1].items():
        if place[0] < 0:
            print(f"  warning: the badge of region {value} overlaps another one")
    return {value: (p[2], p[3], p[1]) for value, p in best[1].items()}


def reading_order(anchors: dict[int, tuple[int, int]]) -> list[int]:
    """Region values in reading order: ROWS rows from north to south, west to east in a row.

    The rows are the optimal split of the anchors' y into ROWS groups (least squares, i.e.
    one-dimensional k-means solved exactly by dynamic programming), so that a region a few
    pixels further south does not jump to a row of its own.
    """
    values = sorted(anchors, key=lambda v: (anchors[v][1], anchors[v][0]))
    ys = [anchors[v][1] for v in values]

    def spread(i: int, j: int) -> float:  # squared deviations of ys[i:j] from their mean
        part = ys[i:j]
        mean = sum(part) / len(part)
        return sum((y - mean) ** 2 for y in part)

    n = len(ys)
    cost = {(0, 0): 0.0}
    cut: dict[tuple[int, int], int] = {}
    for k in range(1, ROWS + 1):
        for j in range(k, n + 1):
            cost[k, j], cut[k, j] = min(
                (cost[k - 1, i] + spread(i, j), i) for i in range(k - 1, j) if (k - 1, i) in cost
            )
    bounds, j = [], n
    for k in range(ROWS, 0, -1):
        i = cut[k, j]
        bounds.append((i, j))
        j = i
    rows = [values[i:j] for i, j in reversed(bounds)]
    return [value for row in rows for value in sorted(row, key=lambda v: anchors[v][0])]


def blend(a: Sequence[int], b: Sequence[int], t: float) -> tuple[int, int, int]:
    """The colour t of the way from a to b."""
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))  # type: ignore[return-value]


def quantize(image: Image.Image, pure: Sequence[tuple[int, int, int]]) -> Image.Image:
    """A palette image: the pure colours exactly, plus blends for soft edges.

    Every pair of pure colours blended at 1/4, 1/2, 3/4, and dark text on white in eighths;
    bot/map_picture.py maps its rendered maps back to this palette, so it must hold the badge
    colours too.
    """
    colours = list(dict.fromkeys(pure))
    for a, b in itertools.combinations(list(colours), 2):
        for t in (0.25, 0.5, 0.75):
            colours.append(blend(a, b, t))
    for ink in (INK, MUTED):
        for t in (0.125, 0.375, 0.625, 0.875):
            colours.append(blend(ink, PAPER, t))
    colours = list(dict.fromkeys(colours))
    assert len(colours) <= 256, f"{len(colours)} colours do not fit a palette"
    palette = Image.new("P", (1, 1))
    palette.putpalette([c for colour in colours for c in colour])
    return image.quantize(palette=palette, dither=Image.Dither.NONE)


def timed(label: str, start: float) -> float:
    """Print how long a step took; the time for the next one."""
    now = time.perf_counter()
    print(f"  {label}: {now - start:.1f} s")
    return now


def build(data: Path, out_dir: Path) -> dict[str, object]:
    """Draw the base image and compute the layout; write both."""
    clock = time.perf_counter()
    regions, geo = region_points(data)
    project = Projection(geo)
    big = SIZE * SS
    points: list[Point] = []
    for lat, lon, region in geo:
        x, y = project(lat, lon)
        points.append((x * SS, y * SS, region))
    km = project.px_per_km * SS
    labels = voronoi_labels(points, big, big)
    clock = timed(f"nearest-point regions ({len(points)} points)", clock)
    mask = mask_of(points, big, big, MASK_KM * km)
    labels = smooth_labels(labels, len(regions), BORDER_SMOOTH_KM * km)
    labels = Image.composite(labels, Image.new("L", labels.size, 0), mask)
    clock = timed("mask and smoothing", clock)

    small = labels.resize((SIZE, SIZE), Image.Resampling.NEAREST)
    pairs = neighbours(small)
    colours = assign_colours(len(regions), sorted(pairs))
    clock = timed(f"neighbours ({len(pairs)} pairs) and colours", clock)

    # Fill, then region borders (white) and the outline (slate), on the supersampled canvas.
    lut = [BACKGROUND] + [FILLS[c] for c in colours] + [BACKGROUND] * (255 - len(regions))
    filled = labels.convert("P")
    filled.putpalette([c for colour in lut for c in colour])
    canvas = filled.convert("RGB")
    low = labels.filter(ImageFilter.MinFilter(5))
    high = labels.filter(ImageFilter.MaxFilter(5))
    edge = ImageChops.difference(high, low).point(lambda v: 255 if v else 0)
    inside = labels.point(lambda v: 255 if v else 0)
    outer = ImageChops.multiply(edge, ImageChops.invert(low.point(lambda v: 255 if v else 0)))
    inner = ImageChops.subtract(ImageChops.multiply(edge, inside), outer)
    canvas.paste(BORDER, mask=inner)
    outline = inside.filter(ImageFilter.MaxFilter(3)).filter(ImageFilter.MaxFilter(3))
    outline = ImageChops.subtract(outline, inside.filter(ImageFilter.MinFilter(3)))
    canvas.paste(OUTLINE, mask=outline)
    image = canvas.resize((SIZE, SIZE), Image.Resampling.LANCZOS)
    clock = timed("borders and downscale", clock)

    draw = ImageDraw.Draw(image)
    font, _ = _font(ATTRIBUTION_SIZE)
    step = round(ATTRIBUTION_SIZE * 1.3)
    attribution_width = round(max(draw.textlength(text, font=font) for text in ATTRIBUTION))
    for line, text in enumerate(ATTRIBUTION):
        y = SIZE - PAD - step * (len(ATTRIBUTION) - line)
        draw.text((SIZE - PAD, y), text, fill=TEXT, font=font, anchor="ra")

    # Anchors on the final labels (after smoothing), numbered in reading order.
    text_box = (SIZE - PAD - attribution_width, SIZE - PAD - step * len(ATTRIBUTION), SIZE, SIZE)
    placed = place_badges(small, len(regions), [(0, 0, SIZE, TITLE_BAND), text_box])
    anchors = {value: (x, y) for value, (x, y, _) in placed.items()}
    order = reading_order(anchors)
    clock = timed("anchors", clock)

    pure = [BACKGROUND, OUTLINE, BORDER, TEXT, INK, *(FILLS[c] for c in sorted(set(colours)))]
    palette_image = quantize(image, pure)
    png = out_dir / "map-base.png"
    # Not optimize=True: that would drop the palette entries the base does not use yet.
    palette_image.save(png, compress_level=9)
    layout: dict[str, object] = {
        "width": SIZE,
        "height": SIZE,
        "title_band": TITLE_BAND,
        "projection": {
            "lat0": project.lat0,
            "lon0": project.lon0,
            "mean_lat": project.mean_lat,
            "km_per_degree": KM_PER_DEGREE,
            "px_per_km": project.px_per_km,
            "left": project.left,
            "top": project.top,
        },
        "regions": {
            regions[value - 1]["region_slug"]: {
                "number": number,
                "name": regions[value - 1]["region"],
                "anchor": list(anchors[value]),
                "room": placed[value][2],
                "colour": "#{:02x}{:02x}{:02x}".format(*FILLS[colours[value - 1]]),
            }
            for number, value in enumerate(order, start=1)
        },
    }
    (out_dir / "map-layout.json").write_text(
        json.dumps(layout, ensure_ascii=False, indent=1) + "\n", "utf-8"
    )
    timed("palette and files", clock)
    print(f"wrote {png} ({png.stat().st_size:,} bytes) and map-layout.json")
    for slug, entry in layout["regions"].items():  # type: ignore[attr-defined]
        print(f"  {entry['number']:2} {slug:27} anchor {entry['anchor']} room {entry['room']}")
    worst = min(contrast(FILLS[colours[a - 1]], FILLS[colours[b - 1]]) for a, b in pairs)
    print(f"  worst neighbour contrast (ΔE76, incl. colour-vision deficiencies): {worst:.1f}")
    return layout


def main() -> None:
    """Write the map files."""
    data = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "data"
    build(data, ROOT / "bot" / "data")


if __name__ == "__main__":
    main()
