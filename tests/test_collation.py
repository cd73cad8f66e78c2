"""The trimmed collation table (scripts/build_collation.py) is current and orders every name
the bot shows exactly as pyuca's whole table does."""

from __future__ import annotations

import sys
from pathlib import Path

from pyuca import Collator

from storage.collation import TABLE, sort_key

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import build_collation  # noqa: E402


def test_the_shipped_table_is_what_the_script_builds() -> None:
    source = Path(sys.modules[Collator.__module__].__file__ or "").parent / (
        f"allkeys-{Collator.UCA_VERSION}.txt"
    )
    assert TABLE.read_text(encoding="utf-8") == "".join(build_collation.build(source))


def test_latin_names_sort_as_with_the_whole_table() -> None:
    whole = Collator()
    names = [
        "Märkische Region", "Mittlerer Niederrhein", "münsterland", "MEO", "Zülpich", "Émile",
        "Ørsted", "straße", "Strasse", "Strassburg", "Œuvre", "Ärzte", "Aachen", "aachen",
        "Region Köln", "Region Aachen", "Düsseldorf/Kreis Mettmann", "Bonn/Rhein-Sieg",
        "„Zitat“", "Ideenlabor – Test", "42 Ideen", "Łódź", "Çelik", "ÿ", "Å", "€ Preis",
        "Emscher-Lippe", "NiederRhein", "Hellweg-Hochsauerland", "Bergisches Städtedreieck",
    ]  # fmt: skip
    assert sorted(names, key=sort_key) == sorted(names, key=whole.sort_key)
    assert TABLE.stat().st_size < 200_000  # the point of trimming it


def test_other_scripts_and_emoji_come_after_latin_text() -> None:
    names = ["日本", "🗺 Karte", "Zülpich", "Aachen"]
    assert sorted(names, key=sort_key)[:2] == ["Aachen", "Zülpich"]
