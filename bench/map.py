"""Benchmark: drawing the Ideenlandkarte picture, and sending it (upload, then by file_id).

    .venv/bin/python bench/map.py              # 200 renders, 200 sends each way (~10 s)
    .venv/bin/python bench/map.py --check      # exit status 1 when a target is missed
    .venv/bin/python bench/map.py --renders 20 --sends 20   # quick look

Render: bot.map_picture.render_map with new random counts each time (so the count pills are
drawn anew, not only taken from the cache), the first call (fonts, base image, badges) timed on
its own; wall time, and the thread's CPU time, which a busy machine does not stretch.
Send: python-telegram-bot's Bot.send_photo against the project's in-process fake Bot API, once
uploading the PNG, once re-sending Telegram's file_id of the first upload; that is the bot's
own cost per send (the network and Telegram's servers are not in it). See bench/README.md
("Map picture benchmark") for the targets.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import os
import random
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # `python bench/map.py` puts bench/ first, not the checkout
    sys.path.insert(0, str(ROOT))

import bench_common  # noqa: E402
from bench_common import TimedFakeBotApi, peak_rss_mb, percentiles_ms, rss_now_mb  # noqa: E402

TARGET_RENDER_MS = 200.0  # the target for drawing the picture (we hold p99 to it)
TOKEN = "123456:bench-map"
CHAT = 4711


def measure_renders(args: argparse.Namespace) -> dict[str, Any]:
    """The first render and --renders more, each with new counts."""
    rss_start = rss_now_mb()
    from PIL import Image

    from bot.map_picture import load_layout, render_map

    rng = random.Random(args.seed)
    started = time.perf_counter()
    layout = load_layout()
    png = render_map({r.slug: 0 for r in layout.regions}, title="Ideenlandkarte NRW 4.0")
    first_s = time.perf_counter() - started
    samples: list[float] = []
    cpu: list[float] = []
    sizes: list[int] = []
    for _ in range(args.renders):
        # Mostly small counts, now and then a three-digit one (wider pill).
        counts = {r.slug: int(rng.paretovariate(1.2) * 3) for r in layout.regions}
        t0, c0 = time.perf_counter(), time.thread_time()
        png = render_map(
            counts,
            title="Ideenlandkarte: Ideen je Region",
            legend="Oben die Nummer der Region, darunter die Zahl der Ideen",
        )
        samples.append(time.perf_counter() - t0)
        cpu.append(time.thread_time() - c0)
        sizes.append(len(png))
    with Image.open(io.BytesIO(png)) as image:
        size = image.size
    return {
        "first_ms": first_s * 1000,
        "ms": percentiles_ms(samples),
        "renders": args.renders,
        "cpu_ms": percentiles_ms(cpu),
        "png_bytes": {"min": min(sizes, default=0), "max": max(sizes, default=0)},
        "image": list(size),
        "rss_start_mb": rss_start,
        "rss_after_mb": rss_now_mb(),
        "last_png": png,
    }


async def measure_sends(png: bytes, args: argparse.Namespace) -> dict[str, Any]:
    """--sends uploads of the picture, then --sends re-sends by the first upload's file_id."""
    from telegram import Bot

    fake = TimedFakeBotApi()
    bot = Bot(TOKEN, request=fake)
    await bot.initialize()
    try:
        first = await bot.send_photo(CHAT, photo=png, caption="Ideenlandkarte")
        file_id = first.photo[-1].file_id
        timings: dict[str, list[float]] = {"upload": [], "file_id": []}
        fake_s: dict[str, float] = {}
        for kind in ("upload", "file_id"):
            fake.busy_s = 0.0
            for _ in range(args.sends):
                t0 = time.perf_counter()
                sent = await bot.send_photo(
                    CHAT, photo=png if kind == "upload" else file_id, caption="Ideenlandkarte"
                )
                timings[kind].append(time.perf_counter() - t0)
                assert sent.photo, "the fake did not answer with a photo"
            fake_s[kind] = fake.busy_s
    finally:
        await bot.shutdown()
    return {
        kind: {"ms": percentiles_ms(values), "in_fake_ms": fake_s[kind] / len(values) * 1000}
        for kind, values in timings.items()
    } | {"reused_file_id": file_id}


def report(result: dict[str, Any]) -> tuple[str, bool]:
    """The plain-text report and whether the target passed."""
    render = result["render"]
    ms = render["ms"]
    passed = ms["p99"] < TARGET_RENDER_MS
    lines = [
        "Ideenlabor-Bot map picture benchmark",
        f"{render['renders']} renders, image {render['image'][0]}x{render['image'][1]} px, "
        f"PNG {render['png_bytes']['min']:,}–{render['png_bytes']['max']:,} bytes",
        "",
        f"{'ms':36} {'p50':>7} {'p95':>7} {'p99':>7} {'max':>7} {'mean':>7}",
    ]

    def row(name: str, f: dict[str, float]) -> str:
        return (
            f"{name:36} {f['p50']:>7.2f} {f['p95']:>7.2f} {f['p99']:>7.2f}"
            f" {f['max']:>7.2f} {f['mean']:>7.2f}"
        )

    lines.append(row("render_map (warm)", ms))
    lines.append(row("  its CPU time (this thread)", render["cpu_ms"]))
    for kind, name in (
        ("upload", "send_photo, upload (fake Bot API)"),
        ("file_id", "send_photo, by file_id (fake Bot API)"),
    ):
        if kind in result["send"]:
            lines.append(row(name, result["send"][kind]["ms"]))
    lines += [
        "",
        f"first render (fonts, base image, badges): {render['first_ms']:.1f} ms",
        f"render p99: {ms['p99']:.2f} ms (target < {TARGET_RENDER_MS:g} ms)  "
        f"{'PASS' if passed else 'FAIL'}",
    ]
    for kind in ("upload", "file_id"):
        if kind in result["send"]:
            lines.append(
                f"of a send ({kind}), in the fake: {result['send'][kind]['in_fake_ms']:.2f} ms"
            )
    lines += [
        "",
        f"RSS at start {render['rss_start_mb']:.1f} MB, after the renders "
        f"{render['rss_after_mb']:.1f} MB; peak RSS {result['peak_rss_mb']:.1f} MB",
        bench_common.load_line(result),
    ]
    return "\n".join(lines), passed


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Command-line options."""
    parser = bench_common.arguments(
        __doc__,
        (
            ("--renders", 200, "measured renders after the first"),
            ("--sends", 200, "measured sends of each kind (0: none)"),
            ("--seed", 4711, "seed of the random counts"),
        ),
    )
    args = parser.parse_args(argv)
    if args.renders < 1 or args.sends < 0:
        parser.error("--renders must be at least 1, --sends at least 0")
    return args


def run(args: argparse.Namespace) -> int:
    """Measure, report."""
    load = os.getloadavg()[0]
    render = measure_renders(args)
    png = render.pop("last_png")
    send = asyncio.run(measure_sends(png, args)) if args.sends else {}
    result = {
        "render": render,
        "send": send,
        "peak_rss_mb": peak_rss_mb(),
        "load_average": bench_common.load_averages(load),
    }
    return bench_common.finish(args, report(result), result)


if __name__ == "__main__":
    sys.exit(run(parse_args()))
