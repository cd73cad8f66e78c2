"""What the actions are about: the id each carries first, declared once for all of them.

An action on an idea is `class RateIdea(OnIdea, code="rt")`: its data starts with the idea's id
(more fields follow, after it), and a handler can take any `OnIdea` by its `idea_id`.
"""

from __future__ import annotations

from messages.actions.base import Action


class OnIdea(Action, payload=True):
    """An action on one idea."""

    idea_id: int


class OnComment(Action, payload=True):
    """An action on one comment."""

    comment_id: int


class OnWorkshop(Action, payload=True):
    """An action on one workshop (Ideenlabor)."""

    workshop_id: int


class OnRegion(Action, payload=True):
    """An action on one region; what region_id 0 means, each action says."""

    region_id: int


class OnChallenge(Action, payload=True):
    """An action on one challenge; what challenge_id 0 means, each action says."""

    challenge_id: int


class OnProposal(Action, payload=True):
    """An action on one proposed idea."""

    proposal_id: int


class OnGroup(Action, payload=True):
    """An action on one working group."""

    group_id: int


class OnRegistration(Action, payload=True):
    """An action on one registration for a working group."""

    registration_id: int
