"""/meine_vorschlaege (withdrawing an undecided proposal), and merging a duplicate proposal
into an existing idea: the moderator picks the idea, then the shared moderation decides."""

from __future__ import annotations

import logging
from typing import Any

from telegram import Update

from bot.context import App, Context
from bot.logs import person
from handlers.buttons import on_tap
from handlers.common import answer, language_of, private_command, reply, show
from handlers.moderation_core import Origin, decide, edit, permitted, show_queue, tell
from messages import actions as cb
from messages import proposals as views
from messages.catalog import t
from messages.keyboards import keyboard
from messages.render import label
from storage.models import Proposal
from storage.moderation import Item
from storage.proposals import KIND

logger = logging.getLogger(__name__)
MERGE_CANDIDATES = 6


async def _joinable(context: Context, user_id: int, proposals: list[Proposal]) -> set[int]:
    """The approved proposals whose author wants to help and has not registered for an open
    working group of the idea yet (a withdrawn registration does not count)."""
    repo = context.bot_data.workgroups.repo
    registered = {
        r.group_id for r in await repo.registrations_of_user(user_id) if r.status != "withdrawn"
    }
    found: set[int] = set()
    for proposal in proposals:
        if not views.joins(proposal) or proposal.idea_id is None:
            continue
        groups = [g.id for g in await repo.groups_of_idea(proposal.idea_id) if g.open]
        if groups and registered.isdisjoint(groups):
            found.add(proposal.id)
    return found


async def _mine(update: Update, context: Context, language: str, *, edit_it: bool) -> None:
    user = update.effective_user
    if user is None:
        return
    data = context.bot_data
    proposals = await data.proposals.repo.of_user(user.id)
    joinable = await _joinable(context, user.id, proposals)
    text, buttons = views.my_list(language, proposals, data.settings.tz, joinable)
    await (show if edit_it else reply)(update, text, buttons)


async def my_proposals_command(update: Update, context: Context) -> None:
    """/meine_vorschlaege (/my_proposals)."""
    language = await language_of(update, context)
    await _mine(update, context, language, edit_it=False)


async def on_mine(
    update: Update,
    context: Context,
    action: cb.MyProposals | cb.WithdrawProposal | cb.ConfirmWithdrawProposal,
) -> None:
    """The list, asking to withdraw one, withdrawing it."""
    language = await language_of(update, context)
    user = update.effective_user
    if user is None:
        return
    data = context.bot_data
    if isinstance(action, cb.MyProposals):
        await answer(update)
        await _mine(update, context, language, edit_it=True)
        return
    proposal = await data.proposals.repo.get(action.proposal_id)
    if (
        proposal is None
        or proposal.user_id != user.id
        or proposal.status not in ("pending", "changes")
    ):
        await answer(update, t(language, "proposals.mine.not_withdrawn"))
        return
    if isinstance(action, cb.WithdrawProposal):
        await answer(update)
        rows = [
            [
                (
                    label(language, "proposals.button.withdraw_confirm"),
                    cb.ConfirmWithdrawProposal(proposal.id),
                ),
                (label(language, "proposals.button.keep"), cb.MyProposals()),
            ]
        ]
        await show(
            update, t(language, "proposals.mine.withdraw_ask", title=proposal.title), keyboard(rows)
        )
        return
    if not await data.proposals.withdraw(proposal.id, user.id):
        await answer(update, t(language, "proposals.mine.not_withdrawn"))
        return
    logger.info("Proposal %s withdrawn by %s", proposal.id, person(user.id))
    await answer(update, t(language, "proposals.mine.withdrawn"))
    await _mine(update, context, language, edit_it=True)


def _origin(update: Update, page: int) -> Origin | None:
    """The message the merge started from; page: 0 a notification, else queue page + 1."""
    query = update.callback_query
    if query is None or query.message is None:
        return None
    return Origin(query.message.chat.id, query.message.message_id, None if page == 0 else page - 1)


async def _opened(
    update: Update, context: Context, language: str, proposal_id: int, page: int
) -> tuple[Origin, Item[Any]] | None:
    """The message the merge works in and the proposal, if the moderator may decide on it now
    (the tap answered); None after saying why not."""
    origin = _origin(update, page)
    item = await permitted(update, context, language, KIND, proposal_id, origin) if origin else None
    if origin is None or item is None:
        return None
    await answer(update)
    return origin, item


def _is_merge(action: cb.Decide | cb.DecideInQueue) -> bool:
    return action.kind == KIND and action.decision == "merge"


async def on_merge(update: Update, context: Context, action: cb.Decide | cb.DecideInQueue) -> None:
    """🔗 Duplikat: the similar ideas to merge into (the right is checked first)."""
    language = await language_of(update, context)
    page = action.page + 1 if isinstance(action, cb.DecideInQueue) else 0
    opened = await _opened(update, context, language, action.item_id, page)
    if opened is None:
        return
    origin, item = opened
    proposal = item.content
    hits = await context.bot_data.search.similar(
        f"{proposal.title} {proposal.description}",
        region_id=proposal.region_id,
        limit=MERGE_CANDIDATES,
    )
    text, buttons = views.merge_choice(language, proposal, hits, page)
    await edit(context, origin, text, buttons)


async def on_merge_into(
    update: Update, context: Context, action: cb.MergeInto | cb.MergeBack
) -> None:
    """The idea picked: decide "merge" (its reason names the idea); or back to the card."""
    language = await language_of(update, context)
    if isinstance(action, cb.MergeInto):
        origin = _origin(update, action.page)
        if origin is None or update.effective_user is None:
            return
        outcome = await decide(
            update,
            context,
            language,
            KIND,
            action.proposal_id,
            "merge",
            str(action.idea_id),
            origin,
        )
        if outcome is not None:
            await tell(update, outcome)
        return
    opened = await _opened(update, context, language, action.proposal_id, action.page)
    user = update.effective_user
    if opened is None or user is None:
        return
    origin, item = opened
    data = context.bot_data
    if origin.page is not None:
        await show_queue(context, user.id, language, origin)
        return
    kind = data.moderation.kinds[KIND]
    await edit(
        context,
        origin,
        kind.card(language, item, data.settings.tz, 4000),
        data.moderation.decision_keyboard(language, item),
    )


def register(app: App) -> None:
    """/meine_vorschlaege, withdrawing, and merging (before the shared decisions)."""
    app.add_handler(private_command(["meine_vorschlaege", "my_proposals"], my_proposals_command))
    app.add_handler(on_tap(on_mine))
    app.add_handler(on_tap(on_merge, when=_is_merge))
    app.add_handler(on_tap(on_merge_into))
