"""People using the bot: Telegram id, language choice, first and last seen."""

from __future__ import annotations

import datetime as dt

from storage.models import User
from storage.repository import Repository


def _iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class UserRepository(Repository):
    """Read and write users."""

    async def get(self, telegram_id: int) -> User | None:
        """One user, or None if they never used the bot."""
        row = await self._db.fetchone(
            "SELECT telegram_id, language, first_seen, last_seen FROM users WHERE telegram_id = ?",
            (telegram_id,),
        )
        return User(**dict(row)) if row else None

    async def touch(
        self, telegram_id: int, now: dt.datetime, detected_language: str | None = None
    ) -> None:
        """Record that the user was active now (creating them on first contact).

        Writing to us means the user has not blocked the bot (any more).
        """
        stamp = _iso(now)
        await self._db.execute(
            "INSERT INTO users (telegram_id, first_seen, last_seen, detected_language)"
            " VALUES (?, ?, ?, ?) ON CONFLICT (telegram_id) DO UPDATE SET"
            " last_seen = excluded.last_seen, blocked_at = NULL,"
            " detected_language = COALESCE(excluded.detected_language, detected_language)",
            (telegram_id, stamp, stamp, detected_language),
        )

    async def set_blocked(self, telegram_id: int, blocked: bool, now: dt.datetime) -> None:
        """Record that the user blocked (or unblocked) the bot."""
        await self._db.execute(
            "UPDATE users SET blocked_at = ? WHERE telegram_id = ?",
            (_iso(now) if blocked else None, telegram_id),
        )

    async def set_language(self, telegram_id: int, language: str, now: dt.datetime) -> None:
        """Remember the language the user chose."""
        await self._choose(telegram_id, "language", language, now)

    async def count(self) -> int:
        """How many users there are."""
        return await self._db.count("SELECT COUNT(*) FROM users")

    async def comment_name(self, telegram_id: int) -> str | None:
        """How the user wants to appear under comments: 'first_name', 'anonymous' or None."""
        row = await self._db.fetchone(
            "SELECT comment_name FROM users WHERE telegram_id = ?", (telegram_id,)
        )
        return str(row["comment_name"]) if row and row["comment_name"] else None

    async def set_comment_name(self, telegram_id: int, choice: str, now: dt.datetime) -> None:
        """Remember how the user wants to appear under comments ('first_name' or 'anonymous')."""
        await self._choose(telegram_id, "comment_name", choice, now)

    async def _choose(self, telegram_id: int, column: str, value: str, now: dt.datetime) -> None:
        """Set one of the user's choices (a user choosing is active: created if new)."""
        stamp = _iso(now)
        await self._db.execute(
            f"INSERT INTO users (telegram_id, {column}, first_seen, last_seen) VALUES (?, ?, ?, ?)"
            f" ON CONFLICT (telegram_id) DO UPDATE"
            f" SET {column} = excluded.{column}, last_seen = excluded.last_seen",
            (telegram_id, value, stamp, stamp),
        )
