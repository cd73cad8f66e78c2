"""Citizens propose ideas: the dialogue's buttons, their own proposals, merging a duplicate."""

from __future__ import annotations

from typing import Literal

from messages.actions.base import Action

# The fields of a proposal the preview can change: title, region, challenge, description,
# help with the implementation, name.
ProposalField = Literal["t", "r", "c", "d", "h", "n"]


class ProposeIdea(Action, code="pa"):
    """„💡 Idee vorschlagen“; region_id and challenge_id pre-fill (0: not given)."""

    region_id: int
    challenge_id: int


class ProposalRegion(Action, code="pr"):
    """The region of the proposal being written."""

    region_id: int


class ProposalChallenge(Action, code="pt"):
    """Its challenge (0: „passt zu keiner“)."""

    challenge_id: int


class ProposalHelp(Action, code="ph"):
    """Whether the author wants to help implement it."""

    choice: Literal["y", "n"]


class ProposalName(Action, code="pn"):
    """The name it is published under: f(irst name) or a(nonymous)."""

    choice: Literal["f", "a"]


class ProposalAnyway(Action, code="pw"):
    """„Trotzdem vorschlagen“ after similar ideas were shown."""


class ProposalSimilar(Action, code="pi"):
    """One of the similar ideas, opened from the dialogue."""

    idea_id: int


class ProposalEdit(Action, code="pe"):
    """Change one field from the preview."""

    field: ProposalField


class ProposalUseKept(Action, code="pu"):
    """Take the text typed before a button was chosen as the description."""


class SubmitProposal(Action, code="ps"):
    """Send the proposal shown in preview number `version` of the draft."""

    version: int


class ReviseProposal(Action, code="pv"):
    """Reopen a proposal a moderator asked to change."""

    proposal_id: int


class MyProposals(Action, code="pm"):
    """The user's own proposals with their status."""


class WithdrawProposal(Action, code="pk"):
    """Ask to withdraw one's own undecided proposal."""

    proposal_id: int


class ConfirmWithdrawProposal(Action, code="pl"):
    """Withdraw it."""

    proposal_id: int


class MergeInto(Action, code="pg"):
    """A moderator merges a proposal into an existing idea; page: 0 from a notification,
    else the queue page + 1 to show afterwards."""

    proposal_id: int
    idea_id: int
    page: int


class MergeBack(Action, code="pb"):
    """Back from choosing the idea to merge into (page as in MergeInto)."""

    proposal_id: int
    page: int
