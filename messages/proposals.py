"""Texts of citizens' proposals: the dialogue, „Gibt es schon?“, the preview, the author's
list, and what moderators, contacts and the author read about decisions."""

from __future__ import annotations

from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from typing import ClassVar
from zoneinfo import ZoneInfo

from messages import actions as cb
from messages.catalog import Html, t
from messages.comments import moment
from messages.content import content_label, localized, region_name
from messages.keyboards import Button, Keyboard, keyboard, menu_row
from messages.moderation import PROMPT_TEXT, QUEUE_TITLE, REASON_MAX, Phrases, ReasonNeed
from messages.render import MAX_TEXT, fitted, label, shorten
from storage.models import IdeaHit, Proposal
from storage.moderation import Item

PHRASES = Phrases.under("proposals.moderation")
SIMILAR_SHOWN = 3
MY_SNIPPET = 200


def where(language: str, proposal: Proposal) -> str:
    """Its region and challenge in words."""
    region = region_name(language, proposal.region_name, proposal.region_name_en)
    if proposal.challenge_title is None:
        challenge = t(language, "proposals.no_challenge")
    else:
        challenge = localized(language, proposal.challenge_title, proposal.challenge_title_en)
    return t(language, "proposals.where", region=region, challenge=challenge)


def _idea_title(language: str, proposal: Proposal) -> str:
    return localized(language, proposal.idea_title or "", proposal.idea_title_en)


def _idea_button(language: str, proposal: Proposal) -> list[Button]:
    if proposal.idea_id is None:
        return []
    return [
        (
            label(language, "proposals.button.open_idea"),
            cb.ShowIdea(proposal.idea_id, "m", 0, 0),
        )
    ]


# ------------------------------------------------------------------- moderators and contacts


def moderator_new(language: str, proposal: Proposal, revised: bool) -> str:
    """A moderator learns of a new (or revised) proposal; the description cut if it must be."""
    key = "proposals.notice.revised" if revised else "proposals.notice.new"
    hint = "\n\n" + t(language, "proposals.notice.queue_hint")
    help_line = t(language, "proposals.notice.helps") if proposal.wants_to_help else ""
    return fitted(
        language,
        key,
        proposal.description,
        tail=hint,
        title=proposal.title,
        where=Html(where(language, proposal)),
        author=proposal.author_name,
        helps=Html(help_line),
    )


def contact_approved(language: str, proposal: Proposal) -> tuple[str, Keyboard]:
    """A region's contact learns that a proposal from their region is now an idea."""
    text = t(
        language,
        "proposals.notice.approved_contact",
        title=proposal.title,
        region=region_name(language, proposal.region_name, proposal.region_name_en),
        author=proposal.author_name,
    )
    if proposal.wants_to_help:
        text += "\n" + t(language, "proposals.notice.helps")
    return text, keyboard([_idea_button(language, proposal)])


def joins(proposal: Proposal) -> bool:
    """Whether its author is offered Mitmachen: approved, and they said they would help."""
    return proposal.status == "approved" and proposal.wants_to_help and proposal.idea_id is not None


def author_outcome(language: str, proposal: Proposal, decision: str) -> tuple[str, Keyboard | None]:
    """What the author is told of a decision, with the buttons it needs (Mitmachen on the new
    idea if they want to help: the standard consent flow, nothing shared before it)."""
    text = t(
        language,
        f"proposals.notice.author_{decision}",
        title=proposal.title,
        idea=_idea_title(language, proposal),
    )
    if proposal.reason:
        text += "\n" + t(language, "proposals.notice.reason", reason=proposal.reason)
    rows: list[list[Button]] = [_idea_button(language, proposal)]
    if decision == "approve" and joins(proposal) and proposal.idea_id is not None:
        text += "\n\n" + t(language, "proposals.notice.join_hint")
        rows.append([(label(language, "wg.button.join"), cb.JoinIdea(proposal.idea_id))])
    if decision == "changes":
        rows.append([(label(language, "proposals.button.revise"), cb.ReviseProposal(proposal.id))])
    rows.append([(label(language, "proposals.button.mine"), cb.MyProposals())])
    return text, keyboard(rows)


class ProposalTexts:
    """What moderators see of proposals (messages.moderation.KindView for kind "proposal")."""

    phrases = PHRASES
    decisions: ClassVar[dict[str, tuple[str, ...]]] = {
        "pending": ("approve", "changes", "reject", "merge")
    }
    reasons: ClassVar[dict[str, ReasonNeed]] = {"changes": "required", "reject": "required"}

    def card(self, language: str, item: Item[Proposal], tz: ZoneInfo, room: int = MAX_TEXT) -> str:
        """The proposal in full: title, region, challenge, author, date, state, description."""
        proposal = item.content
        return fitted(
            language,
            "proposals.moderation.card",
            proposal.description,
            room,
            title=proposal.title,
            where=Html(where(language, proposal)),
            author=proposal.author_name,
            date=moment(language, proposal.submitted_at, tz),
            status=t(language, f"proposals.moderation.status.{proposal.status}"),
        )

    def entry(
        self, language: str, number: int, item: Item[Proposal], tz: ZoneInfo, room: int
    ) -> str:
        """One queue entry."""
        proposal = item.content
        return t(
            language,
            "proposals.moderation.entry",
            number=number,
            title=shorten(proposal.title, QUEUE_TITLE),
            region=region_name(language, proposal.region_name, proposal.region_name_en),
            author=proposal.author_name,
            date=moment(language, proposal.submitted_at, tz),
            text=shorten(proposal.description, room),
        )

    def queue_note(self, language: str, outcome: str, item: Item[Proposal]) -> str:
        """ "✅ Freigegeben von Ada – Vorschlag „…“"."""
        return t(
            language,
            "proposals.moderation.note",
            outcome=Html(outcome),
            title=shorten(item.content.title, 60),
        )

    def ask_reason(self, language: str, item: Item[Proposal], decision: str) -> str:
        """Ask for the (required) reason of asking for changes or rejecting."""
        proposal = item.content
        return t(
            language,
            f"proposals.moderation.ask.{decision}",
            author=proposal.author_name,
            title=shorten(proposal.title, QUEUE_TITLE),
            text=shorten(proposal.description, PROMPT_TEXT),
            maximum=REASON_MAX,
        )


def merge_choice(
    language: str, proposal: Proposal, hits: Sequence[IdeaHit], page: int
) -> tuple[str, Keyboard]:
    """A moderator picks the idea a duplicate is merged into (similar ideas first)."""
    key = "proposals.merge.pick" if hits else "proposals.merge.none"
    text = t(language, key, title=proposal.title)
    rows: list[list[Button]] = [
        [
            (
                content_label(language, hit.title, hit.title_en),
                cb.MergeInto(proposal.id, hit.id, page),
            )
        ]
        for hit in hits
    ]
    rows.append([(label(language, "proposals.button.back"), cb.MergeBack(proposal.id, page))])
    return text, keyboard(rows)


# ------------------------------------------------------------------- the dialogue


def similar(language: str, hits: Sequence[IdeaHit]) -> tuple[str, Keyboard]:
    """„Gibt es schon?“: up to three similar ideas, each openable, and „Trotzdem vorschlagen“."""
    lines = [t(language, "proposals.similar.title")]
    rows: list[list[Button]] = []
    for number, hit in enumerate(hits[:SIMILAR_SHOWN], start=1):
        title = localized(language, hit.title, hit.title_en)
        region = region_name(language, hit.region_name or "", hit.region_name_en)
        lines.append(
            t(language, "proposals.similar.item", number=number, title=title, region=region)
        )
        rows.append(
            [
                (
                    f"{number}. {content_label(language, hit.title, hit.title_en, 55)}",
                    cb.ProposalSimilar(hit.id),
                )
            ]
        )
    lines.append(t(language, "proposals.similar.hint"))
    rows.append([(label(language, "proposals.button.anyway"), cb.ProposalAnyway())])
    rows.append(cancel_row(language))
    return "\n".join(lines), keyboard(rows)


def cancel_row(language: str) -> list[Button]:
    """The dialogue's cancel button."""
    return [(label(language, "dialog.cancel_button"), cb.DialogCancel())]


def preview(language: str, proposal: Proposal, name: str) -> str:
    """The proposal as it will be sent (the description cut only if the message must be)."""
    helps = t(
        language,
        "proposals.preview.helps_yes" if proposal.wants_to_help else "proposals.preview.helps_no",
    )
    return fitted(
        language,
        "proposals.preview.text",
        proposal.description,
        title=proposal.title,
        where=Html(where(language, proposal)),
        name=name,
        helps=helps,
    )


def preview_keyboard(language: str, version: int, kept: bool) -> Keyboard:
    """Send, a button per field to change, cancel."""

    def edit(field: cb.ProposalField) -> Button:
        return (label(language, f"proposals.button.edit.{field}"), cb.ProposalEdit(field))

    rows: list[list[Button]] = [
        [(label(language, "proposals.button.send"), cb.SubmitProposal(version))],
        [edit("t"), edit("d")],
        [edit("r"), edit("c")],
        [edit("h"), edit("n")],
    ]
    if kept:
        rows.append([(label(language, "proposals.button.use_kept"), cb.ProposalUseKept())])
    rows.append(cancel_row(language))
    return keyboard(rows)


def my_list(
    language: str,
    proposals: Sequence[Proposal],
    tz: ZoneInfo,
    joinable: AbstractSet[int] = frozenset(),
) -> tuple[str, Keyboard]:
    """/meine_vorschlaege: each proposal with its status; open ones can be withdrawn, and
    Mitmachen is offered for the ideas in `joinable` (proposal ids)."""
    rows: list[list[Button]]
    if not proposals:
        rows = [
            [(label(language, "proposals.button.propose"), cb.ProposeIdea(0, 0))],
            menu_row(language),
        ]
        return t(language, "proposals.mine.empty"), keyboard(rows)
    lines = [t(language, "proposals.mine.title")]
    rows = []
    for number, proposal in enumerate(proposals, start=1):
        status = t(language, f"proposals.mine.status.{proposal.status}")
        line = t(
            language,
            "proposals.mine.item",
            number=number,
            title=shorten(proposal.title, 80),
            status=status,
            date=moment(language, proposal.submitted_at, tz),
        )
        if proposal.status in ("merged", "approved") and proposal.idea_title:
            line += "\n" + t(language, "proposals.mine.idea", idea=_idea_title(language, proposal))
        if proposal.reason and proposal.status in ("changes", "rejected"):
            line += "\n" + t(
                language, "proposals.notice.reason", reason=shorten(proposal.reason, MY_SNIPPET)
            )
        lines.append(line)
        if proposal.status == "changes":
            rows.append(
                [
                    (
                        label(language, "proposals.button.revise_number", number=number),
                        cb.ReviseProposal(proposal.id),
                    )
                ]
            )
        if proposal.status in ("pending", "changes"):
            rows.append(
                [
                    (
                        label(language, "proposals.button.withdraw", number=number),
                        cb.WithdrawProposal(proposal.id),
                    )
                ]
            )
        if proposal.idea_id is not None and proposal.status in ("merged", "approved"):
            rows.append(
                [
                    (
                        label(language, "proposals.button.open_number", number=number),
                        cb.ShowIdea(proposal.idea_id, "m", 0, 0),
                    )
                ]
            )
        if proposal.id in joinable and proposal.idea_id is not None:
            rows.append(
                [
                    (
                        label(language, "proposals.button.join_number", number=number),
                        cb.JoinIdea(proposal.idea_id),
                    )
                ]
            )
    rows.append([(label(language, "proposals.button.propose"), cb.ProposeIdea(0, 0))])
    rows.append(menu_row(language))
    return "\n\n".join(lines), keyboard(rows)
