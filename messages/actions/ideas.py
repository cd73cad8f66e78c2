"""An idea's lifecycle for citizens (following, its history, /meine_ideen), the Rückblick of
past Ideenlabore and the map picture."""

from __future__ import annotations

from typing import Literal

from messages.actions.base import Action
from messages.actions.payloads import OnIdea, OnRegion, OnWorkshop

# A past Ideenlabor's way back: the Rückblick of all regions ('a') or of its own region ('r').
ReviewScope = Literal["a", "r"]


class FollowIdea(OnIdea, code="if"):
    """„🔔 Folgen“ (on 1) or „Nicht mehr folgen“ (on 0)."""

    on: int


class IdeaHistory(OnIdea, code="ih"):
    """A page of an idea's history (its news and status changes), newest first."""

    page: int


class MyIdeas(Action, code="mi"):
    """/meine_ideen: a page of the ideas one follows."""

    page: int


class ShowMap(Action, code="k"):
    """The map picture with a button per region."""


class PastWorkshops(OnRegion, code="vl"):
    """A page of the Rückblick: past Ideenlabore, newest first; region_id 0 means all."""

    page: int


class PastRegions(Action, code="vr"):
    """The regions with their number of past Ideenlabore, to choose one."""


class ShowPastWorkshop(OnWorkshop, code="v"):
    """One past Ideenlabor; back to the Rückblick of all regions or its region, at page."""

    scope: ReviewScope
    page: int
