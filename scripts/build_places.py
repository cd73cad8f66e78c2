"""Build bot/data/nrw-regions.json from the reference CSVs in ../shared/data.

Usage: python scripts/build_places.py [DATA_DIR]  (default: ../shared/data)
The output is an import file (section "regions") for `ideenlabor import`.
"""

from __future__ import annotations

import csv
import json
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


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
    regions = []
    for row in read(data / "nrw-labour-market-regions.csv"):
        region_districts = []
        for key in row["district_keys"].split():
            district = districts[key]
            region_districts.append(
                {
                    "key": key,
                    "name": district["district"],
                    "kind": district["district_type"],
                    "municipalities": [
                        {
                            "ags": m["ags"],
                            "name": m["municipality"],
                            "postal_codes": m["postal_codes"].split(),
                            "localities": sorted(localities[m["ags"]]),
                            "lat": float(m["lat"]),
                            "lon": float(m["lon"]),
                        }
                        for m in municipalities[key]
                    ],
                }
            )
        regions.append(
            {"slug": row["region_slug"], "name": row["region"], "districts": region_districts}
        )
    out = ROOT / "bot" / "data" / "nrw-regions.json"
    out.write_text(json.dumps({"regions": regions}, ensure_ascii=False, indent=1) + "\n", "utf-8")
    print(f"wrote {out}: {len(regions)} regions, {len(districts)} districts")


if __name__ == "__main__":
    main()
