"""„💡 Idee vorschlagen“: title → region → challenge → description → help → name → preview →
send; a durable dialogue (drafts), with „Gibt es schon?“ after the title and the description.

Here: starting, the answers, sending and revising. The questions and the preview are in
handlers.proposal_steps, „Gibt es schon?“ in handlers.proposal_similar. Text typed where a
button is expected is kept ("kept"), never thrown away: the description question and the
preview offer to take it as the description.
"""

from __future__ import annotations

import logging

from telegram import Update

from bot.context import App, Context
from bot.logs import person
from bot.services.proposals import ProposalRefusedError, limits_of, text_problem
from handlers import dialog
from handlers import proposal_similar as similar
from handlers import proposal_steps as steps
from handlers.buttons import on_tap
from handlers.common import (
    answer,
    best_effort,
    fields_from,
    language_of,
    private_command,
    reply,
    show,
)
from handlers.proposal_steps import (
    ANSWERS,
    DESCRIPTION,
    EDITS,
    FLOW,
    PREVIEW,
    REGION,
    SIMILAR,
    TITLE,
)
from messages import actions as cb
from messages.catalog import t
from messages.comment_views import ANONYMOUS, published_name
from messages.keyboards import Button, keyboard, menu_row
from messages.render import label
from storage.drafts import DraftEnd, DraftGone
from storage.models import Draft
from storage.proposals import ProposalFields

logger = logging.getLogger(__name__)


async def start(
    update: Update, context: Context, language: str, region_id: int = 0, challenge_id: int = 0
) -> None:
    """Begin a proposal (pre-filled with the region or challenge it came from)."""
    data = context.bot_data
    user = update.effective_user
    if user is None:
        return
    await answer(update)
    try:
        await data.proposals.check_limits(user.id)
    except ProposalRefusedError as error:
        await reply(update, steps.refusal(context, language, error), keyboard([menu_row(language)]))
        return
    values: dict[str, object] = {"version": 0}
    if region_id and await data.regions.get(region_id) is not None:
        values["region_id"] = region_id
    if challenge_id and await data.ideas.get_challenge(challenge_id) is not None:
        values["challenge_id"] = challenge_id
    await dialog.begin(context, user.id, FLOW, TITLE, values)
    await steps.ask(
        update,
        context,
        Draft(user_id=user.id, flow=FLOW, step=TITLE, data=values),
        language,
    )


async def prompt(update: Update, context: Context, draft: Draft, language: str) -> None:
    """The current question again (after a photo, a sticker, a restart)."""
    if draft.step == SIMILAR:
        await similar.similar_again(update, context, draft, language)
        return
    await steps.ask(update, context, draft, language)


async def on_text(update: Update, context: Context, draft: Draft, language: str, text: str) -> None:
    """Typed text: a title or description (checked at once), a place, or kept for later."""
    step = draft.step
    if step in (TITLE, DESCRIPTION):
        problem = text_problem(step, text)
        if problem is not None:
            low, high = limits_of(step)
            await steps.ask(
                update, context, draft, language, t(language, problem, minimum=low, maximum=high)
            )
            return
        values = steps.answered(draft, ANSWERS[step], text.strip())
        await similar.similar_or_go(update, context, draft.user_id, values, language)
        return
    if step == REGION and await steps.region_by_place(update, context, draft, language, text):
        return
    values = {**draft.data, "kept": text.strip()}  # never thrown away
    if step == PREVIEW:  # the new preview offers the kept text
        values["version"] = int(str(values.get("version", 0))) + 1
    await dialog.advance(context, draft.user_id, FLOW, step, values)
    note = t(language, "proposals.kept")
    if step == REGION:
        note = t(language, "proposals.place_unknown", query=text) + "\n" + note
    await reply(update, note)
    await prompt(
        update,
        context,
        Draft(user_id=draft.user_id, flow=FLOW, step=step, data=values),
        language,
    )


async def on_choice(
    update: Update,
    context: Context,
    action: cb.ProposalRegion
    | cb.ProposalChallenge
    | cb.ProposalHelp
    | cb.ProposalName
    | cb.ProposalAnyway
    | cb.ProposalEdit
    | cb.ProposalUseKept,
) -> None:
    """A button of the dialogue: an answer, „Trotzdem vorschlagen“, a field to change."""
    language = await language_of(update, context)
    draft = await dialog.tapped(update, context, FLOW, t(language, "proposals.stale"))
    if draft is None:
        return
    await answer(update)
    data = context.bot_data
    values: dict[str, object]
    match action:
        case cb.ProposalRegion(region_id=region_id):
            if await data.regions.get(region_id) is None:
                await prompt(update, context, draft, language)
                return
            values = steps.answered(draft, "region_id", region_id)
        case cb.ProposalChallenge(challenge_id=challenge_id):
            found = challenge_id and await data.ideas.get_challenge(challenge_id)
            values = steps.answered(draft, "challenge_id", challenge_id if found else None)
        case cb.ProposalHelp(choice=choice):
            values = steps.answered(draft, "help", choice == "y")
        case cb.ProposalName(choice=choice):
            values = steps.answered(draft, "name", ANONYMOUS if choice == "a" else "first_name")
        case cb.ProposalAnyway():
            values = dict(draft.data)
        case cb.ProposalEdit(field=field):
            values = {**draft.data, "editing": EDITS[field]}
        case cb.ProposalUseKept():
            kept = draft.data.get("kept")
            problem = text_problem("description", kept) if isinstance(kept, str) else None
            if not isinstance(kept, str) or problem is not None:
                low, high = limits_of("description")
                note = t(language, problem, minimum=low, maximum=high) if problem else ""
                await steps.ask(update, context, draft, language, note)
                return
            values = steps.answered(draft, "description", kept.strip())
            del values["kept"]
    await steps.go(update, context, draft.user_id, values, language)


async def submit(update: Update, context: Context, action: cb.SubmitProposal) -> None:
    """Absenden: store the proposal once (limits checked again), say what happens next."""
    language = await language_of(update, context)
    data = context.bot_data
    draft = await dialog.tapped(update, context, FLOW, t(language, "proposals.stale"))
    if draft is None:
        return
    if draft.step != PREVIEW or action.version != int(str(draft.data.get("version", 0))):
        await answer(update, t(language, "proposals.stale"))
        return
    proposal = await steps.as_proposal(context, draft)
    if proposal is None:
        await answer(update)
        await prompt(update, context, draft, language)
        return
    user_id = draft.user_id
    name = published_name(str(draft.data.get("name")), steps.first_name(update))
    revising = draft.data.get("revising")
    fields = fields_from(ProposalFields, proposal)
    try:
        stored = await data.proposals.submit(
            user_id,
            name,
            fields,
            revising=revising if isinstance(revising, int) else None,
            ends=DraftEnd(user_id, FLOW),
        )
    except ProposalRefusedError as error:
        await answer(update)
        await reply(update, steps.refusal(context, language, error))
        return
    except DraftGone:  # a second tap, after the first had stored it
        await answer(update, t(language, "proposals.stale"))
        return
    data.users_with_drafts.discard(user_id)
    rows: list[list[Button]] = [
        [(label(language, "proposals.button.mine"), cb.MyProposals())],
        menu_row(language),
    ]
    if stored is None:
        await answer(update)
        await reply(update, t(language, "proposals.not_open"), keyboard(rows))
        return
    logger.info("Proposal %s sent by %s", stored.id, person(user_id))
    key = "proposals.resent" if isinstance(revising, int) else "proposals.sent"
    async with best_effort("a sent proposal"):
        await answer(update)
        await show(update, t(language, key, title=stored.title), keyboard(rows))


async def revise(update: Update, context: Context, action: cb.ReviseProposal) -> None:
    """„Vorschlag überarbeiten“: the dialogue again, with the proposal's text, at the preview."""
    language = await language_of(update, context)
    user = update.effective_user
    if user is None:
        return
    proposal = await context.bot_data.proposals.repo.get(action.proposal_id)
    if proposal is None or proposal.user_id != user.id or proposal.status != "changes":
        await answer(update, t(language, "proposals.not_open"))
        return
    await answer(update)
    anonymous = proposal.author_name == published_name(ANONYMOUS, "")
    values: dict[str, object] = {
        "revising": proposal.id,
        "title": proposal.title,
        "region_id": proposal.region_id,
        "challenge_id": proposal.challenge_id,
        "description": proposal.description,
        "help": proposal.wants_to_help,
        "name": ANONYMOUS if anonymous else "first_name",
        "version": 0,
    }
    await steps.go(update, context, user.id, values, language)


async def propose_command(update: Update, context: Context) -> None:
    """/idee_vorschlagen (/propose)."""
    language = await language_of(update, context)
    await start(update, context, language)


async def on_propose(update: Update, context: Context, action: cb.ProposeIdea) -> None:
    """„💡 Idee vorschlagen“ from the menu, a region's or a challenge's page."""
    language = await language_of(update, context)
    await start(update, context, language, action.region_id, action.challenge_id)


def register(app: App) -> None:
    """The proposal dialogue, its command and its buttons."""
    dialog.add_flow(app, dialog.Flow(FLOW, "proposals.flow", on_text, prompt))
    app.add_handler(private_command(["idee_vorschlagen", "propose"], propose_command))
    app.add_handler(on_tap(on_propose))
    app.add_handler(on_tap(on_choice))
    app.add_handler(on_tap(similar.on_similar))
    app.add_handler(on_tap(submit))
    app.add_handler(on_tap(revise))
