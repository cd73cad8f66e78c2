"""A database as the first release left it: schema before migration 0011, its shipped data.

Built with raw SQL at the old schema (today's importer writes columns the old schema lacks):
the 16 regions as they were (the region "Mittlere Ruhr", Witten and Hattingen in the
Märkische Region with their district), the five challenges and the three ideas of the first
release, with their texts of then.
"""

from __future__ import annotations

import datetime as dt
import json

from bot.importfile import DATA_DIR
from storage.db import Database
from storage.migrate import apply, available_migrations

# The schema version right before the living Ideenlandkarte (0011).
PREVIOUS = next(m.version for m in available_migrations() if m.name == "living_map") - 1
LOADED = dt.datetime(2026, 11, 1, 8, 0, tzinfo=dt.UTC).isoformat()  # as the old importer wrote

CHALLENGES = [
    ("potenziale-digitalisierung", "Die Potenziale der Digitalisierung für das eigene"),
    ("transformation-begeistern", "Mitarbeiter und Führungskräfte begeistern"),
    ("alle-mitnehmen", "Alle Menschen im digitalen Wandel mitnehmen"),
    ("attraktiv-bleiben", "Als Arbeitgeber und Region attraktiv bleiben"),
    ("kompetenzen-foerdern", "Die richtigen Kompetenzen erkennen und fördern"),
]
OLD_BODY = (
    "Die Quelle nennt weder die Region, aus deren Ideenlabor die Idee stammt, noch die"
    " Herausforderung, der sie zugeordnet ist. Eine ausführliche Beschreibung liegt dem Bot"
    " noch nicht vor."
)
IDEAS = [
    ("we-make-you-sexy-niederrhein", "We make you sexy, NiederRhein", "niederrhein", OLD_BODY),
    ("digital-scouts", "Netzwerk von „Digital-Scouts“", None, OLD_BODY),
    ("schachtzeichen-4-0", "Kampagne „Schachtzeichen 4.0“", None, OLD_BODY),
]


async def migrate_to(db: Database, version: int) -> None:
    """Apply the migrations up to `version`, as storage.migrate.migrate does."""
    for migration in available_migrations():
        if migration.version > version:
            break
        async with db.transaction() as tx:
            await apply(tx, migration, LOADED)


async def first_release(db: Database) -> None:
    """A database at the previous schema, filled as the first release filled it."""
    await migrate_to(db, PREVIOUS)
    regions = json.loads((DATA_DIR / "nrw-regions.json").read_text("utf-8"))["regions"]
    async with db.transaction() as tx:
        for region in regions:
            name = "Mittlere Ruhr" if region["slug"] == "mittlere-ruhr" else region["name"]
            region_id = await tx.insert(
                "INSERT INTO regions (slug, name) VALUES (?, ?)", (region["slug"], name)
            )
            for district in region["districts"]:
                await tx.execute(
                    "INSERT INTO districts (key, name, kind, region_id) VALUES (?, ?, ?, ?)",
                    (district["key"], district["name"], district["kind"], region_id),
                )
                for m in district["municipalities"]:  # (then, a municipality had no region)
                    await tx.execute(
                        "INSERT INTO municipalities (ags, name, district_key, lat, lon)"
                        " VALUES (?, ?, ?, ?, ?)",
                        (m["ags"], m["name"], district["key"], m["lat"], m["lon"]),
                    )
                    await tx.executemany(
                        "INSERT OR IGNORE INTO postal_codes (code, ags) VALUES (?, ?)",
                        [(code, m["ags"]) for code in m["postal_codes"]],
                    )
                    await tx.executemany(
                        "INSERT OR IGNORE INTO localities (name, ags) VALUES (?, ?)",
                        [(name, m["ags"]) for name in m["localities"]],
                    )
        for position, (slug, title) in enumerate(CHALLENGES, start=1):
            await tx.execute(
                "INSERT INTO challenges (slug, title, position) VALUES (?, ?, ?)",
                (slug, title, position),
            )
        for slug, title, region, body in IDEAS:
            await tx.execute(
                "INSERT INTO ideas (slug, title, region_id, summary, body, created_at,"
                " updated_at) VALUES (?, ?, (SELECT id FROM regions WHERE slug = ?),"
                " 'Idee aus den Ideenlaboren.', ?, ?, ?)",
                (slug, title, region, body, LOADED, LOADED),
            )
