"""Browsing the idea map: regions, challenges, their idea lists, one idea, finding a region."""

from __future__ import annotations

from typing import Literal

from messages.actions.base import Action
from messages.actions.payloads import OnChallenge, OnIdea, OnRegion

# The list an idea was opened from, for its back button: a region's ('r') or a challenge's
# ('c') list, search results ('s', list_id: the kept search), a past Ideenlabor in the
# Rückblick of all regions ('w') or of its own region ('v') (list_id: the workshop), or the
# ideas one follows ('m', list_id 0).
ListKind = Literal["r", "c", "s", "w", "v", "m"]
Sort = Literal["n", "d", "r"]  # newest, most discussed, best rated


class RegionList(Action, code="r"):
    """Show all regions."""


class RegionIdeas(OnRegion, code="ri"):
    """A page of a region's ideas; region_id 0 means ideas without a region."""

    page: int


class SortedRegionIdeas(OnRegion, code="rj"):
    """A page of a region's ideas in an order: n(ewest), d(iscussed), r(ated)."""

    sort: Sort
    page: int


class ChallengeList(Action, code="c"):
    """Show all challenges."""


class ChallengeIdeas(OnChallenge, code="ci"):
    """A page of a challenge's ideas; challenge_id 0 means ideas without a challenge."""

    page: int


class ShowIdea(OnIdea, code="i"):
    """One idea; the back button returns to list (see ListKind), list_id, page."""

    list_kind: ListKind
    list_id: int
    page: int


class FindRegion(Action, code="f"):
    """Explain how to find one's region."""
