"""Build bot/data/nrw-regions.json from the reference CSVs in ../shared/data.

Usage: python scripts/build_places.py [DATA_DIR]  (default: ../shared/data)
The output is an import file (section "regions") for `ideenlabor import`.

A region is the union of its districts (`nrw-labour-market-regions.csv`), except for the
municipalities listed in `nrw-region-municipality-overrides.csv`: there the municipality beats
its district (Witten and Hattingen of the Ennepe-Ruhr-Kreis belong to the Mittleres
Ruhrgebiet, the rest of the district to the Märkische Region). Such a municipality stays under
its district in the file and carries `"region": "<slug>"`.
"""

from __future__ import annotations

import csv
import json
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# English names, only where the English name differs from the German one (city names with an
# English exonym, or "Region X" word order); every other region keeps its name in English.
NAMES_EN = {
    "aachen": "Aachen Region",
    "koeln": "Cologne Region",
}


def read(path: Path) -> list[dict[str, str]]:
    """Rows of a UTF-8 CSV file."""
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def main() -> None:
    """Write the regions file."""
    data = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "data"
    districts = {row["district_key"]: row for row in read(data / "nrw-districts.csv")}
    municipalities: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in read(data / "nrw-municipalities.csv"):
        municipalities[row["district_key"]].append(row)
    localities: dict[str, set[str]] = defaultdict(set)
    for row in read(data / "nrw-postal-codes.csv"):
        name = row["municipality"]
        place = row["place"]
        if place != name and place.startswith(name + " "):
            localities[row["ags"]].add(place[len(name) + 1 :])
    overrides = {
        row["ags"]: row["region_slug"]
        for row in read(data / "nrw-region-municipality-overrides.csv")
    }
    region_rows = read(data / "nrw-labour-market-regions.csv")
    known = {row["region_slug"] for row in region_rows}
    unknown = sorted(set(overrides.values()) - known)
    if unknown:
        raise SystemExit(f"overrides name unknown regions: {unknown}")
    regions = []
    moved = 0
    for row in region_rows:
        region_districts = []
        for key in row["district_keys"].split():
            district = districts[key]
            entries = []
            for m in municipalities[key]:
                entry: dict[str, object] = {
                    "ags": m["ags"],
                    "name": m["municipality"],
                    "postal_codes": m["postal_codes"].split(),
                    "localities": sorted(localities[m["ags"]]),
                    "lat": float(m["lat"]),
                    "lon": float(m["lon"]),
                }
                override = overrides.get(m["ags"])
                if override is not None and override != row["region_slug"]:
                    entry["region"] = override
                    moved += 1
                entries.append(entry)
            region_districts.append(
                {
                    "key": key,
                    "name": district["district"],
                    "kind": district["district_type"],
                    "municipalities": entries,
                }
            )
        region: dict[str, object] = {"slug": row["region_slug"], "name": row["region"]}
        if row["region_slug"] in NAMES_EN:
            region["name_en"] = NAMES_EN[row["region_slug"]]
        region["districts"] = region_districts
        regions.append(region)
    if moved != len(overrides):
        raise SystemExit(f"{len(overrides)} overrides, but {moved} municipalities moved")
    out = ROOT / "bot" / "data" / "nrw-regions.json"
    out.write_text(json.dumps({"regions": regions}, ensure_ascii=False, indent=1) + "\n", "utf-8")
    print(
        f"wrote {out}: {len(regions)} regions, {len(districts)} districts,"
        f" {moved} municipalities in another region than their district"
    )


if __name__ == "__main__":
    main()
