"""Story steps of browsing ideas, shared by several test modules."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from storage.import_models import ImportBundle

from conftest import Harness


async def import_ideas(h: Harness, *ideas: Mapping[str, object]) -> None:
    """Import these ideas (a bundle with ideas only)."""
    await h.data.importer.apply(ImportBundle.model_validate({"ideas": list(ideas)}), h.clock())


async def add_ideas(h: Harness, region: str, count: int, **extra: object) -> None:
    """Import count ideas into a region, newest has the highest number."""
    ideas = [
        {
            "slug": f"{region[:20]}-{n}",
            "title": f"Idee Nummer {n}",
            "region": region,
            "published_on": (dt.date(2026, 1, 1) + dt.timedelta(days=n)).isoformat(),
            **extra,
        }
        for n in range(count)
    ]
    await import_ideas(h, *ideas)
