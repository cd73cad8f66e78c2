"""Browsing the idea map: regions, challenges, their idea lists, one idea, finding a region."""

from __future__ import annotations

from typing import Literal

from messages.actions.base import Action

ListKind = Literal["r", "c", "s"]  # a region's or a challenge's list, or search results
Sort = Literal["n", "d", "r"]  # newest, most discussed, best rated


class RegionList(Action, code="r"):
    """Show all regions."""


class RegionIdeas(Action, code="ri"):
    """A page of a region's ideas; region_id 0 means ideas without a region."""

    region_id: int
    page: int


class SortedRegionIdeas(Action, code="rj"):
    """A page of a region's ideas in an order: n(ewest), d(iscussed), r(ated)."""

    region_id: int
    sort: Sort
    page: int


class ChallengeList(Action, code="c"):
    """Show all challenges."""


class ChallengeIdeas(Action, code="ci"):
    """A page of a challenge's ideas; challenge_id 0 means ideas without a challenge."""

    challenge_id: int
    page: int


class ShowIdea(Action, code="i"):
    """One idea; the back button returns to list ('r', 'c' or 's': a search), list_id, page."""

    idea_id: int
    list_kind: ListKind
    list_id: int
    page: int


class FindRegion(Action, code="f"):
    """Explain how to find one's region."""
