"""Statistics as a plain-text table (command line) and as a bar chart (PNG, Pillow).

Pillow is imported only when a chart is drawn, so the bot does not carry it in memory until
an admin asks for /statistik. (Pillow rather than matplotlib: a few MB instead of tens, and
horizontal bars need nothing more.)
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from storage.models import Statistics


def format_table(stats: Statistics) -> str:
    """The numbers for `ideenlabor stats` (operator-facing, English)."""
    c = stats.comments
    lines = [
        f"Statistics at {stats.collected_at:%Y-%m-%d %H:%M} UTC",
        f"  users                   {stats.users} ({stats.blocked} blocked the bot)",
        f"  active in 7 / 30 days   {stats.active_7d} / {stats.active_30d}",
        f"  ideas                   {stats.ideas}",
        f"  comments                {sum(c.values())} (pending {c['pending']}, approved "
        f"{c['approved']}, rejected {c['rejected']}, hidden {c['hidden']}, deleted "
        f"{c['deleted']})",
        f"  proposals               {sum(stats.proposals.values())} ("
        + ", ".join(f"{status} {n}" for status, n in stats.proposals.items())
        + ")",
        f"  ratings                 {stats.ratings}",
        f"  interest registrations  {stats.interest}",
        f"  region subscriptions    {stats.subscribers}",
        f"  upcoming workshops      {stats.upcoming_total}",
        "",
    ]
    if not any(r.comments or r.interest or r.subscribers for r in stats.regions):
        lines.append(
            "by region: no comments, interest registrations or region subscriptions yet (a table"
            " per region appears here once citizens take part)"
        )
        return "\n".join(_upcoming(stats, _proposals(stats, lines)))
    width = max([len("region"), *(len(r.name) for r in stats.regions)])
    lines.append(f"{'region':<{width}}  ideas  comments  interest  subscribers")
    lines.append(f"{'-' * width}  -----  --------  --------  -----------")
    for r in stats.regions:
        lines.append(
            f"{r.name:<{width}}  {r.ideas:>5}  {r.comments:>8}  {r.interest:>8}  "
            f"{r.subscribers:>11}"
        )
    return "\n".join(_upcoming(stats, _proposals(stats, lines)))


def _proposals(stats: Statistics, lines: list[str]) -> list[str]:
    """The lines with the citizens' proposals by region added (if any)."""
    if stats.proposals_by_region:
        width = max(len(name) for name in stats.proposals_by_region)
        lines += ["", "proposals by region (" + ", ".join(stats.proposals) + ")"]
        for name, counts in stats.proposals_by_region.items():
            lines.append(f"  {name:<{width}}  " + " ".join(f"{n:>3}" for n in counts.values()))
    return lines


def _upcoming(stats: Statistics, lines: list[str]) -> list[str]:
    """The lines with the next workshops added (if any)."""
    if stats.upcoming:
        lines += ["", "next workshops (start UTC, confirmed/capacity, waiting)"]
        for w in stats.upcoming:
            capacity = "∞" if w.capacity is None else str(w.capacity)
            lines.append(
                f"  {w.starts_at:%Y-%m-%d %H:%M}  {w.confirmed}/{capacity}, {w.waiting} waiting  "
                f"{w.title} ({w.region})"
            )
    return lines


@dataclass(frozen=True)
class Series:
    """One kind of bar: its legend label, colour and a value per row."""

    label: str
    colour: tuple[int, int, int]
    values: Sequence[int]


_WIDTH = 1000
_ROW = 34
_BAR = 12
_MARGIN = 24
_TEXT = (33, 37, 41)
_GRID = (222, 226, 230)
COMMENTS_COLOUR = (13, 110, 253)
INTEREST_COLOUR = (253, 126, 20)


# Fonts with umlauts looked up in the system's font folders (Debian: fonts-dejavu-core).
_FONTS = ("DejaVuSans.ttf", "LiberationSans-Regular.ttf", "NotoSans-Regular.ttf", "Arial.ttf")
_UMLAUTS = str.maketrans(
    {
        "ä": "ae",
        "ö": "oe",
        "ü": "ue",
        "Ä": "Ae",
        "Ö": "Oe",
        "Ü": "Ue",
        "ß": "ss",
        "–": "-",
        "…": "...",
    }
)


def _font(size: int) -> tuple[Any, bool]:
    """A TrueType font with umlauts, else Pillow's built-in one (second item: True)."""
    from PIL import ImageFont

    for name in _FONTS:
        try:
            return ImageFont.truetype(name, size), False
        except OSError:
            continue
    return ImageFont.load_default(size=size), True


def _ascii(text: str) -> str:
    return text.translate(_UMLAUTS)


def render_bars(title: str, rows: Sequence[str], series: Sequence[Series]) -> bytes:
    """Horizontal grouped bars, one group per row label; a PNG."""
    from PIL import Image, ImageDraw  # lazily: only when a chart is asked for

    font, plain = _font(15)
    bold, _ = _font(20)
    if plain:  # Pillow's built-in font has no umlauts
        title = _ascii(title)
        rows = [_ascii(r) for r in rows]
        series = [Series(_ascii(s.label), s.colour, s.values) for s in series]
    probe = ImageDraw.Draw(Image.new("RGB", (1, 1)))
    label_width = max((probe.textlength(r, font=font) for r in rows), default=0.0)
    left = int(_MARGIN + label_width + 12)
    top = _MARGIN + 40 + 26 * len(series)
    height = top + _ROW * len(rows) + _MARGIN
    right = _WIDTH - _MARGIN - 40
    image = Image.new("RGB", (_WIDTH, height), "white")
    draw = ImageDraw.Draw(image)
    draw.text((_MARGIN, _MARGIN), title, fill=_TEXT, font=bold)
    for i, s in enumerate(series):  # the legend
        y = _MARGIN + 40 + 26 * i
        draw.rectangle((_MARGIN, y + 3, _MARGIN + 14, y + 17), fill=s.colour)
        draw.text((_MARGIN + 22, y), s.label, fill=_TEXT, font=font)
    peak = max((v for s in series for v in s.values), default=0) or 1
    draw.line((left, top - 4, left, top + _ROW * len(rows)), fill=_GRID, width=1)
    for row, name in enumerate(rows):
        y = top + _ROW * row
        draw.text((left - 12, y + _ROW / 2), name, fill=_TEXT, font=font, anchor="rm")
        for i, s in enumerate(series):
            value = s.values[row]
            y0 = y + 4 + i * (_BAR + 2)
            x1 = left + (right - left) * value / peak
            if value:
                draw.rectangle((left, y0, x1, y0 + _BAR), fill=s.colour)
            draw.text((x1 + 6, y0 + _BAR / 2), str(value), fill=_TEXT, font=font, anchor="lm")
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
