"""Citizens propose ideas: the dialogue's buttons, their own proposals, merging a duplicate."""

from __future__ import annotations

from typing import Literal

from messages.actions.base import Action
from messages.actions.payloads import OnChallenge, OnIdea, OnProposal, OnRegion

# The fields of a proposal the preview can change: title, region, challenge, description,
# help with the implementation, name.
ProposalField = Literal["t", "r", "c", "d", "h", "n"]


class ProposeIdea(OnRegion, code="pa"):
    """„💡 Idee vorschlagen“; region_id and challenge_id pre-fill (0: not given)."""

    challenge_id: int


class ProposalRegion(OnRegion, code="pr"):
    """The region of the proposal being written."""


class ProposalChallenge(OnChallenge, code="pt"):
    """Its challenge (0: „passt zu keiner“)."""


class ProposalHelp(Action, code="ph"):
    """Whether the author wants to help implement it."""

    choice: Literal["y", "n"]


class ProposalName(Action, code="pn"):
    """The name it is published under: f(irst name) or a(nonymous)."""

    choice: Literal["f", "a"]


class ProposalAnyway(Action, code="pw"):
    """„Trotzdem vorschlagen“ after similar ideas were shown."""


class ProposalSimilar(OnIdea, code="pi"):
    """One of the similar ideas, opened from the dialogue."""


class ProposalEdit(Action, code="pe"):
    """Change one field from the preview."""

    field: ProposalField


class ProposalUseKept(Action, code="pu"):
    """Take the text typed before a button was chosen as the description."""


class SubmitProposal(Action, code="ps"):
    """Send the proposal shown in preview number `version` of the draft."""

    version: int


class ReviseProposal(OnProposal, code="pv"):
    """Reopen a proposal a moderator asked to change."""


class MyProposals(Action, code="pm"):
    """The user's own proposals with their status."""


class WithdrawProposal(OnProposal, code="pk"):
    """Ask to withdraw one's own undecided proposal."""


class ConfirmWithdrawProposal(OnProposal, code="pl"):
    """Withdraw it."""


class MergeInto(OnProposal, code="pg"):
    """A moderator merges a proposal into an existing idea; page: 0 from a notification,
    else the queue page + 1 to show afterwards."""

    idea_id: int
    page: int


class MergeBack(OnProposal, code="pb"):
    """Back from choosing the idea to merge into (page as in MergeInto)."""

    page: int
