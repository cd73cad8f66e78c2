"""Build storage/collation-latin.txt: pyuca's Unicode collation table (DUCET) cut to the
scripts the bot sorts — Latin with its diacritics, punctuation, digits, currency signs.

The whole table makes pyuca's trie about 12 MB per process; these ~1,300 entries order German
(and any Latin-script) names exactly as the whole table does. Characters outside it (another
script, an emoji) get pyuca's implicit weights: after all Latin text, by code point.

    .venv/bin/python scripts/build_collation.py
"""

from __future__ import annotations

import sys
from pathlib import Path

from pyuca import Collator

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "storage" / "collation-latin.txt"
# Basic Latin … Latin Extended-B, IPA, spacing modifiers, combining diacritics (pyuca decomposes
# „ä“ into „a“ + U+0308), Latin Extended Additional, general punctuation and currency signs.
KEPT = ((0x0000, 0x036F), (0x1E00, 0x1EFF), (0x2000, 0x20CF))


def kept(code_point: int) -> bool:
    """Whether the trimmed table keeps a character."""
    return any(low <= code_point <= high for low, high in KEPT)


def build(source: Path) -> list[str]:
    """The lines of the trimmed table: the header lines and every entry of kept characters."""
    lines = [f"# Trimmed from pyuca's {source.name} by scripts/build_collation.py.\n"]
    for line in source.read_text(encoding="utf-8").splitlines(keepends=True):
        body = line.split("#", 1)[0].strip()
        if not body or body.startswith("@"):
            if body:
                lines.append(line)
            continue
        code_points = [int(part, 16) for part in body.split(";", 1)[0].split()]
        if all(kept(cp) for cp in code_points):
            lines.append(line)
    return lines


def main() -> int:
    """Write the trimmed table next to storage/collation.py."""
    source = Path(sys.modules[Collator.__module__].__file__ or "").parent / (
        f"allkeys-{Collator.UCA_VERSION}.txt"
    )
    TARGET.write_text("".join(build(source)), encoding="utf-8")
    print(f"{TARGET.relative_to(ROOT)}: {TARGET.stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
