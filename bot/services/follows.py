"""„🔔 Folgen“: a citizen follows an idea (and stops), and lists what they follow.

Each change is one transaction that reads the idea and writes the follow, so that an idea
archived a moment before is never followed. Following notifies nobody and is not audited (it
is the person's own data, exported by /meine_daten and erased with it); the notifications to
followers come with the staff's changes of an idea (status, news).
"""

from __future__ import annotations

from typing import Literal

from bot.services.basis import Basis, Service
from storage.idea_followers import FollowRepository
from storage.ideas import IdeaRepository
from storage.models import Page

# What a tap on „Folgen“ / „Nicht mehr folgen“ did: followed or unfollowed; nothing to do
# (already so); the idea is archived (nobody can start following it) or gone.
FollowOutcome = Literal["followed", "unfollowed", "unchanged", "archived", "gone"]


class FollowService(Service):
    """Follow and unfollow ideas; the ideas a person follows."""

    def __init__(self, basis: Basis) -> None:
        super().__init__(basis)
        self.repo = FollowRepository(basis.db)

    async def set_following(self, idea_id: int, user_id: int, on: bool) -> FollowOutcome:
        """Follow (on) or stop following the idea; what happened."""
        async with self._db.transaction() as tx:
            idea = await IdeaRepository.get_in(tx, idea_id)
            if idea is None:
                return "gone"
            if not on:  # stopping is always possible, also for an archived idea
                changed = await FollowRepository.unfollow(tx, idea_id, user_id)
                return "unfollowed" if changed else "unchanged"
            if idea.archived:
                return "archived"
            changed = await FollowRepository.follow(tx, idea_id, user_id, self._clock())
            return "followed" if changed else "unchanged"

    async def is_following(self, idea_id: int, user_id: int) -> bool:
        """Whether the person follows the idea."""
        return await self.repo.is_following(idea_id, user_id)

    async def followed_page(self, user_id: int, page: int) -> Page:
        """A page of the ideas the person follows (not archived), newest follow first."""
        return await self.repo.followed_page(user_id, page)
