"""„💡 Idee vorschlagen“: title → region → challenge → description → help → name → preview →
send; a durable dialogue (drafts), with „Gibt es schon?“ after the title and the description.

The draft holds what is answered so far; the next question is the first unanswered one (or
the one being changed from the preview), so a restart, an old button or a changed field all
lead to the right place. Text typed where a button is expected is kept ("kept"), never
thrown away: the description question and the preview offer to take it as the description.
"""

from __future__ import annotations

import datetime as dt
import logging

from telegram import Update
from telegram.ext import CommandHandler, filters

from bot.context import App, Context
from bot.logs import person
from bot.services.proposals import ProposalRefusedError, limits_of, text_problem
from handlers import dialog
from handlers.buttons import on_tap
from handlers.common import answer, best_effort, language_of, reply, show
from messages import actions as cb
from messages import proposals as views
from messages.catalog import t
from messages.comment_views import ANONYMOUS, published_name, shown_name
from messages.comments import moment, window
from messages.content import content_label, localized_long, region_name
from messages.keyboards import Button, keyboard, menu_row
from messages.render import label, shorten
from storage.drafts import DraftEnd, DraftGone
from storage.models import Draft, IdeaHit
from storage.proposals import Proposal, ProposalFields

logger = logging.getLogger(__name__)

FLOW = "proposal"
TITLE, SIMILAR, REGION, CHALLENGE, DESCRIPTION, HELP, NAME, PREVIEW = (
    "title",
    "similar",
    "region",
    "challenge",
    "description",
    "help",
    "name",
    "preview",
)
# The draft's key of each step's answer, in the order they are asked.
ANSWERS = {
    TITLE: "title",
    REGION: "region_id",
    CHALLENGE: "challenge_id",
    DESCRIPTION: "description",
    HELP: "help",
    NAME: "name",
}
EDITS = {"t": TITLE, "r": REGION, "c": CHALLENGE, "d": DESCRIPTION, "h": HELP, "n": NAME}
SUMMARY_SHOWN = 600  # characters of a similar idea's summary shown in the dialogue


def next_step(data: dict[str, object]) -> str:
    """The step being changed, else the first unanswered one, else the preview."""
    editing = data.get("editing")
    if isinstance(editing, str):
        return editing
    for step, key in ANSWERS.items():
        if key not in data:
            return step
    return PREVIEW


def _first_name(update: Update) -> str:
    return update.effective_user.first_name if update.effective_user else ""


def _refusal(context: Context, language: str, error: ProposalRefusedError) -> str:
    params = dict(error.params)
    if "window" in params:
        params["window"] = _window(language, params["window"])
        params["free_at"] = moment(language, params["free_at"], context.bot_data.settings.tz)  # type: ignore[arg-type]
    return t(language, error.key, **params)


def _window(language: str, value: object) -> str:
    assert isinstance(value, dt.timedelta)
    return window(language, value)  # the same words as the comments' limit


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
        await reply(update, _refusal(context, language, error), keyboard([menu_row(language)]))
        return
    values: dict[str, object] = {"version": 0}
    if region_id and await data.regions.get(region_id) is not None:
        values["region_id"] = region_id
    if challenge_id and await data.ideas.get_challenge(challenge_id) is not None:
        values["challenge_id"] = challenge_id
    await dialog.begin(context, user.id, FLOW, TITLE, values)
    await _ask(
        update, context, Draft(user_id=user.id, flow=FLOW, step=TITLE, data=values), language
    )


async def _go(
    update: Update, context: Context, user_id: int, values: dict[str, object], language: str
) -> None:
    """Store the draft at its next step and ask that step's question."""
    step = next_step(values)
    if step == PREVIEW:
        values["version"] = int(str(values.get("version", 0))) + 1  # ties "Absenden" to it
    await dialog.advance(context, user_id, FLOW, step, values)
    await _ask(update, context, Draft(user_id=user_id, flow=FLOW, step=step, data=values), language)


async def _similar_or_go(
    update: Update, context: Context, user_id: int, values: dict[str, object], language: str
) -> None:
    """After a title or description: similar ideas („Gibt es schon?“) not shown before in
    this dialogue, else on."""
    words = f"{values.get('title', '')} {values.get('description', '')}"
    region = values.get("region_id")
    shown = values.get("shown")
    before = [i for i in shown if isinstance(i, int)] if isinstance(shown, list) else []
    hits = await context.bot_data.search.similar(
        words,
        region_id=region if isinstance(region, int) else None,
        limit=views.SIMILAR_SHOWN,
        exclude_ids=before,
    )
    if not hits:
        await _go(update, context, user_id, values, language)
        return
    last = [hit.id for hit in hits]
    values = {**values, "shown": [*before, *last], "last_shown": last}
    await dialog.advance(context, user_id, FLOW, SIMILAR, values)
    text, buttons = views.similar(language, hits)
    await reply(update, text, buttons)


async def prompt(update: Update, context: Context, draft: Draft, language: str) -> None:
    """The current question again (after a photo, a sticker, a restart)."""
    if draft.step == SIMILAR:
        await _similar_again(update, context, draft, language)
        return
    await _ask(update, context, draft, language)


async def _similar_again(update: Update, context: Context, draft: Draft, language: str) -> None:
    """The similar ideas shown last, again (or on, if they are gone)."""
    last = draft.data.get("last_shown")
    ids = [i for i in last if isinstance(i, int)] if isinstance(last, list) else []
    hits = []
    for idea_id in ids:
        idea = await context.bot_data.ideas.get(idea_id)
        if idea is not None and not idea.archived:
            hits.append(
                IdeaHit(
                    id=idea.id,
                    slug=idea.slug,
                    title=idea.title,
                    title_en=idea.title_en,
                    region_id=idea.region_id,
                    region_name=idea.region_name,
                    region_name_en=idea.region_name_en,
                )
            )
    if not hits:
        await _go(update, context, draft.user_id, draft.data, language)
        return
    text, buttons = views.similar(language, hits)
    await reply(update, text, buttons)


async def _ask(
    update: Update, context: Context, draft: Draft, language: str, note: str = ""
) -> None:
    """Send the question of the draft's step (a note on what was wrong above it)."""
    data = context.bot_data
    head = f"{note}\n\n" if note else ""
    cancel = views.cancel_row(language)
    step = draft.step
    if step in (TITLE, DESCRIPTION):
        low, high = limits_of(step)
        text = t(language, f"proposals.ask.{step}", minimum=low, maximum=high)
        rows: list[list[Button]] = []
        if step == DESCRIPTION and isinstance(draft.data.get("kept"), str):
            rows.append([(label(language, "proposals.button.use_kept"), cb.ProposalUseKept())])
        await reply(update, head + text, keyboard([*rows, cancel]))
        return
    if step == REGION:
        regions = sorted(
            await data.regions.list_with_counts(),
            key=lambda r: region_name(language, r.name, r.name_en),
        )
        buttons: list[Button] = [
            (region_name(language, r.name, r.name_en), cb.ProposalRegion(r.id)) for r in regions
        ]
        rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
        await reply(update, head + t(language, "proposals.ask.region"), keyboard([*rows, cancel]))
        return
    if step == CHALLENGE:
        challenges = await data.ideas.challenges()
        rows = [
            [(content_label(language, c.title, c.title_en), cb.ProposalChallenge(c.id))]
            for c in challenges
        ]
        rows.append([(label(language, "proposals.button.no_challenge"), cb.ProposalChallenge(0))])
        await reply(
            update, head + t(language, "proposals.ask.challenge"), keyboard([*rows, cancel])
        )
        return
    if step == HELP:
        rows = [
            [(label(language, "proposals.button.help_yes"), cb.ProposalHelp("y"))],
            [(label(language, "proposals.button.help_no"), cb.ProposalHelp("n"))],
        ]
        await reply(update, head + t(language, "proposals.ask.help"), keyboard([*rows, cancel]))
        return
    if step == NAME:
        first = shown_name(language, "first_name", _first_name(update))
        anonymous = t(language, "comments.anonymous")
        rows = [
            [
                (label(language, "proposals.button.first_name", name=first), cb.ProposalName("f")),
                (
                    label(language, "proposals.button.anonymous", name=anonymous),
                    cb.ProposalName("a"),
                ),
            ]
        ]
        await reply(update, head + t(language, "proposals.ask.name"), keyboard([*rows, cancel]))
        return
    proposal = await _as_proposal(context, draft)
    if proposal is None:  # its region is gone: ask for it again
        values = {k: v for k, v in draft.data.items() if k != "region_id"}
        await _go(update, context, draft.user_id, values, language)
        return
    name = shown_name(language, str(draft.data.get("name")), _first_name(update))
    text = views.preview(language, proposal, name)
    buttons_ = views.preview_keyboard(
        language, int(str(draft.data.get("version", 0))), isinstance(draft.data.get("kept"), str)
    )
    if note:
        await reply(update, note)
    await reply(update, text, buttons_)


async def _as_proposal(context: Context, draft: Draft) -> Proposal | None:
    """The draft as the proposal it would be (for the preview); None if its region is gone."""
    data = context.bot_data
    values = draft.data
    region = await data.regions.get(int(str(values["region_id"])))
    if region is None:
        return None
    challenge_id = values.get("challenge_id")
    challenge = (
        await data.ideas.get_challenge(challenge_id) if isinstance(challenge_id, int) else None
    )
    now = data.clock()
    return Proposal(
        id=0,
        user_id=draft.user_id,
        author_name="",
        title=str(values["title"]),
        description=str(values["description"]),
        region_id=region.id,
        region_name=region.name,
        region_name_en=region.name_en,
        challenge_id=challenge.id if challenge else None,
        challenge_title=challenge.title if challenge else None,
        challenge_title_en=challenge.title_en if challenge else None,
        wants_to_help=values.get("help") is True,
        created_at=now,
        submitted_at=now,
    )


def _answered(draft: Draft, key: str, value: object) -> dict[str, object]:
    """The draft's values with one answer given (and the change it was for done)."""
    values = {k: v for k, v in draft.data.items() if k != "editing"}
    values[key] = value
    return values


async def on_text(update: Update, context: Context, draft: Draft, language: str, text: str) -> None:
    """Typed text: a title or description (checked at once), a place, or kept for later."""
    step = draft.step
    if step in (TITLE, DESCRIPTION):
        problem = text_problem(step, text)
        if problem is not None:
            low, high = limits_of(step)
            await _ask(
                update, context, draft, language, t(language, problem, minimum=low, maximum=high)
            )
            return
        values = _answered(draft, ANSWERS[step], text.strip())
        await _similar_or_go(update, context, draft.user_id, values, language)
        return
    if step == REGION and await _region_by_place(update, context, draft, language, text):
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
        update, context, Draft(user_id=draft.user_id, flow=FLOW, step=step, data=values), language
    )


async def _region_by_place(
    update: Update, context: Context, draft: Draft, language: str, text: str
) -> bool:
    """A town or postcode at the region step: its region, or a choice of them; False if none."""
    result = context.bot_data.places.find(text)
    regions = {place.region_id: place for place in result.places}
    if not regions:
        return False
    if len(regions) == 1:
        values = _answered(draft, "region_id", next(iter(regions)))
        await _go(update, context, draft.user_id, values, language)
        return True
    names = {r.id: r for r in await context.bot_data.regions.list_with_counts()}
    rows: list[list[Button]] = [
        [(region_name(language, names[rid].name, names[rid].name_en), cb.ProposalRegion(rid))]
        for rid in regions
        if rid in names
    ]
    await reply(
        update,
        t(language, "proposals.ask.region_found", query=text),
        keyboard([*rows, views.cancel_row(language)]),
    )
    return True


async def _draft(update: Update, context: Context, language: str) -> Draft | None:
    """The user's proposal draft, or None (the button is stale: said so)."""
    user = update.effective_user
    draft = await dialog.current(context, user.id, FLOW) if user else None
    if draft is None:
        await answer(update, t(language, "proposals.stale"))
    return draft


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
    draft = await _draft(update, context, language)
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
            values = _answered(draft, "region_id", region_id)
        case cb.ProposalChallenge(challenge_id=challenge_id):
            found = challenge_id and await data.ideas.get_challenge(challenge_id)
            values = _answered(draft, "challenge_id", challenge_id if found else None)
        case cb.ProposalHelp(choice=choice):
            values = _answered(draft, "help", choice == "y")
        case cb.ProposalName(choice=choice):
            values = _answered(draft, "name", ANONYMOUS if choice == "a" else "first_name")
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
                await _ask(update, context, draft, language, note)
                return
            values = _answered(draft, "description", kept.strip())
            del values["kept"]
    await _go(update, context, draft.user_id, values, language)


async def on_similar(update: Update, context: Context, action: cb.ProposalSimilar) -> None:
    """One of the similar ideas, as a new message (the list and the dialogue stay)."""
    language = await language_of(update, context)
    idea = await context.bot_data.ideas.get(action.idea_id)
    if idea is None or idea.archived_at is not None:
        await answer(update, t(language, "citizen.gone"))
        return
    await answer(update)
    text = t(
        language,
        "proposals.idea",
        title=localized_long(language, idea.title, idea.title_en),
        region=region_name(language, idea.region_name or "", idea.region_name_en),
        summary=shorten(localized_long(language, idea.summary, idea.summary_en), SUMMARY_SHOWN),
    )
    rows: list[list[Button]] = [
        [
            (
                label(language, "proposals.button.read"),
                cb.ShowIdea(idea.id, "r", idea.region_id or 0, 0),
            )
        ]
    ]
    user = update.effective_user
    draft = await dialog.current(context, user.id, FLOW) if user else None
    if draft is not None and draft.step == SIMILAR:
        rows.append([(label(language, "proposals.button.anyway"), cb.ProposalAnyway())])
    await reply(update, text, keyboard(rows))


async def submit(update: Update, context: Context, action: cb.SubmitProposal) -> None:
    """Absenden: store the proposal once (limits checked again), say what happens next."""
    language = await language_of(update, context)
    data = context.bot_data
    draft = await _draft(update, context, language)
    if draft is None:
        return
    if draft.step != PREVIEW or action.version != int(str(draft.data.get("version", 0))):
        await answer(update, t(language, "proposals.stale"))
        return
    proposal = await _as_proposal(context, draft)
    if proposal is None:
        await answer(update)
        await prompt(update, context, draft, language)
        return
    user_id = draft.user_id
    name = published_name(str(draft.data.get("name")), _first_name(update))
    revising = draft.data.get("revising")
    fields = ProposalFields(
        title=proposal.title,
        description=proposal.description,
        region_id=proposal.region_id,
        challenge_id=proposal.challenge_id,
        wants_to_help=proposal.wants_to_help,
    )
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
        await reply(update, _refusal(context, language, error))
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
    await _go(update, context, user.id, values, language)


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
    app.add_handler(
        CommandHandler(
            ["idee_vorschlagen", "propose"], propose_command, filters=filters.ChatType.PRIVATE
        )
    )
    app.add_handler(on_tap(on_propose))
    app.add_handler(on_tap(on_choice))
    app.add_handler(on_tap(on_similar))
    app.add_handler(on_tap(submit))
    app.add_handler(on_tap(revise))
