"""Star ratings of ideas: one per user and idea, changeable and withdrawable."""

from __future__ import annotations

import datetime as dt

from storage.models import RatingSummary
from storage.repository import Repository
from storage.timeutil import to_db


class RatingRepository(Repository):
    """Set, withdraw and summarise ratings."""

    async def set(self, idea_id: int, user_id: int, stars: int, now: dt.datetime) -> None:
        """Rate (or re-rate) an idea with 1–5 stars."""
        if not 1 <= stars <= 5:
            raise ValueError("stars must be between 1 and 5")
        await self._db.execute(
            "INSERT INTO ratings (idea_id, user_id, stars, updated_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (idea_id, user_id) DO UPDATE SET stars = excluded.stars,"
            " updated_at = excluded.updated_at",
            (idea_id, user_id, stars, to_db(now)),
        )

    async def withdraw(self, idea_id: int, user_id: int) -> bool:
        """Remove the user's rating; True if there was one."""
        changed = await self._db.execute(
            "DELETE FROM ratings WHERE idea_id = ? AND user_id = ?", (idea_id, user_id)
        )
        return changed == 1

    async def summary(self, idea_id: int, user_id: int | None = None) -> RatingSummary:
        """Count, average and (optionally) the user's own stars."""
        row = await self._db.fetchone(
            "SELECT i.rating_count, i.rating_sum,"
            " (SELECT stars FROM ratings r WHERE r.idea_id = i.id AND r.user_id = ?) AS mine"
            " FROM ideas i WHERE i.id = ?",
            (user_id, idea_id),
        )
        if row is None or not row["rating_count"]:
            return RatingSummary(count=0, average=None, mine=row["mine"] if row else None)
        count = int(row["rating_count"])
        return RatingSummary(count=count, average=int(row["rating_sum"]) / count, mine=row["mine"])
