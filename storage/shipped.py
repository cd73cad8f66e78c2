"""Which version of the bot's own data (bot/data) a database holds."""

from __future__ import annotations

from storage.db import Database

SHIPPED_KEY = "shipped_content"
# A database filled before the version was recorded holds the first shipped content.
LEGACY_VERSION = 1


class ShippedContent:
    """The version of the shipped content loaded into the database."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def version(self) -> int:
        """0: nothing loaded (empty database); otherwise the recorded (or legacy) version."""
        has_meta = await self._db.fetchone(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'"
        )
        row = None
        if has_meta is not None:
            row = await self._db.fetchone("SELECT value FROM meta WHERE key = ?", (SHIPPED_KEY,))
        if row is not None:
            return int(row["value"])
        regions = await self._db.fetchone("SELECT 1 FROM regions LIMIT 1")
        return LEGACY_VERSION if regions is not None else 0
