"""Find a user's region from a place name or postcode: exact, then close matches."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field

from storage.models import Place, PostalCode

MAX_QUERY_LENGTH = 80
MAX_SUGGESTIONS = 6

_FOLD = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
_PREFIXES = ("kreis ", "landkreis ", "stadt ", "gemeinde ", "region ", "staedteregion ")


def normalize(text: str) -> str:
    """Lower-case, fold umlauts, drop punctuation and accents, collapse spaces."""
    text = unicodedata.normalize("NFC", text).casefold().translate(_FOLD)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"[^a-z0-9]+", " ", text)
    return " ".join(text.split())


def _variants(name: str) -> set[str]:
    """Search keys for a place name: full, without brackets/slash parts, without prefixes."""
    base = normalize(name)
    keys = {base}
    keys.add(normalize(re.sub(r"\(.*?\)", " ", name)))
    keys.add(normalize(name.split("/")[0]))
    for key in list(keys):
        for prefix in _PREFIXES:
            if key.startswith(prefix) and len(key) > len(prefix):
                keys.add(key[len(prefix) :])
        if key.endswith(" kreis"):
            keys.add(key.removesuffix(" kreis"))
    return {k for k in keys if k}


@dataclass(frozen=True)
class FindResult:
    """What the finder made of a query."""

    kind: str  # "exact", "postcode", "suggestions", "unknown_postcode", "nothing", "too_long"
    places: tuple[Place, ...] = ()
    postcode: str = ""


@dataclass
class PlaceIndex:
    """An in-memory index over every place name and postcode of NRW."""

    by_key: dict[str, list[Place]] = field(default_factory=lambda: defaultdict(list))
    by_postcode: dict[str, list[Place]] = field(default_factory=lambda: defaultdict(list))

    @classmethod
    def build(cls, places: list[Place], postcodes: list[PostalCode]) -> PlaceIndex:
        """Index places under all their variants and postcodes under their code."""
        index = cls()
        for place in places:
            for key in _variants(place.name):
                index.by_key[key].append(place)
        for entry in postcodes:
            index.by_postcode[entry.code].append(entry.place)
        return index

    def find(self, query: str) -> FindResult:
        """Look a query up: postcode, exact name, then prefix or close matches."""
        query = query.strip()
        if len(query) > MAX_QUERY_LENGTH:
            return FindResult("too_long")
        compact = re.sub(r"\s+", "", query)
        if re.fullmatch(r"\d{5}", compact):
            found = self.by_postcode.get(compact)
            if not found:
                return FindResult("unknown_postcode", postcode=compact)
            return FindResult("postcode", _distinct(found), postcode=compact)
        key = normalize(query)
        if not key:
            return FindResult("nothing")
        if key in self.by_key:
            return FindResult("exact", _best_per_region(self.by_key[key]))
        town = self._town_of_part(query) or self._only_longer_name(key)
        if town:
            return FindResult("exact", town)
        return self._suggest(key)

    def _town_of_part(self, query: str) -> tuple[Place, ...]:
        """„Köln-Ehrenfeld“, „Essen Steele“: a known town before a hyphen or space, the
        longest one first („Bad Berleburg-Raumland“ is Bad Berleburg, not „Bad“)."""
        words = [w for w in re.split(r"[\s\-\u2010\u2013]+", query) if w]
        for end in range(len(words) - 1, 0, -1):
            key = normalize(" ".join(words[:end]))
            if key in self.by_key:
                return _best_per_region(self.by_key[key])
        return ()

    def _only_longer_name(self, key: str) -> tuple[Place, ...]:
        """„Mülheim“: the one place whose name starts with the query's words („Mülheim an der
        Ruhr“); several such places are suggestions instead."""
        if len(key) < 4:
            return ()
        found = [p for k, places in self.by_key.items() if k.startswith(f"{key} ") for p in places]
        towns = _one_per_name([p for p in found if p.kind in ("municipality", "district")])
        return towns if len(towns) == 1 else ()

    def _suggest(self, key: str) -> FindResult:
        keys = list(self.by_key)
        matches: list[str] = []
        if len(key) >= 3:
            starts = sorted(k for k in keys if k.startswith(key))
            inside = sorted(k for k in keys if f" {key}" in k and k not in starts)
            if len(starts) + len(inside) <= 12:
                matches = starts + inside
        matches += [
            k
            for k in difflib.get_close_matches(key, keys, n=MAX_SUGGESTIONS, cutoff=0.75)
            if k not in matches
        ]
        places = [place for match in matches for place in self.by_key[match]]
        found = _one_per_name(places)[:MAX_SUGGESTIONS]
        return FindResult("suggestions", found) if found else FindResult("nothing")


_RANK = {"municipality": 0, "district": 1, "region": 2, "locality": 3}


def _distinct(places: list[Place]) -> tuple[Place, ...]:
    seen: set[tuple[str, str, int]] = set()
    out = []
    for place in places:
        ident = (place.name, place.kind, place.region_id)
        if ident not in seen:
            seen.add(ident)
            out.append(place)
    return tuple(out)


def _one_per_name(places: list[Place]) -> tuple[Place, ...]:
    """One entry per (name, region), preferring municipalities; order kept."""
    best: dict[tuple[str, int], Place] = {}
    for place in places:
        ident = (place.name, place.region_id)
        current = best.get(ident)
        if current is None or _RANK.get(place.kind, 9) < _RANK.get(current.kind, 9):
            best[ident] = place
    return tuple(best.values())


def _best_per_region(places: list[Place]) -> tuple[Place, ...]:
    """One place per region, preferring municipalities over districts and localities."""
    best: dict[int, Place] = {}
    for place in sorted(places, key=lambda p: _RANK.get(p.kind, 9)):
        best.setdefault(place.region_id, place)
    return tuple(best.values())
