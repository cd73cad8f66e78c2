"""The proposal dialogue's steps: which comes next, each question, and the preview.

The draft holds what is answered so far; the next question is the first unanswered one (or
the one being changed from the preview), so a restart, an old button or a changed field all
lead to the right place.
"""

from __future__ import annotations

import datetime as dt

from telegram import Update

from bot.context import Context
from bot.services.proposals import ProposalRefusedError, limits_of
from handlers import dialog
from handlers.common import reply
from messages import actions as cb
from messages import proposals as views
from messages.catalog import t
from messages.comment_views import shown_name
from messages.comments import moment, window
from messages.content import content_label, region_name
from messages.keyboards import Button, keyboard
from messages.render import label
from storage.models import Draft, Proposal

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


def next_step(data: dict[str, object]) -> str:
    """The step being changed, else the first unanswered one, else the preview."""
    editing = data.get("editing")
    if isinstance(editing, str):
        return editing
    for step, key in ANSWERS.items():
        if key not in data:
            return step
    return PREVIEW


def first_name(update: Update) -> str:
    """The person's Telegram first name ("" if unknown)."""
    return update.effective_user.first_name if update.effective_user else ""


def refusal(context: Context, language: str, error: ProposalRefusedError) -> str:
    """The refusal in words (a limit's window and when it frees up as in the comments')."""
    params = dict(error.params)
    if "window" in params:
        params["window"] = _window(language, params["window"])
        params["free_at"] = moment(language, params["free_at"], context.bot_data.settings.tz)  # type: ignore[arg-type]
    return t(language, error.key, **params)


def _window(language: str, value: object) -> str:
    assert isinstance(value, dt.timedelta)
    return window(language, value)  # the same words as the comments' limit


async def go(
    update: Update, context: Context, user_id: int, values: dict[str, object], language: str
) -> None:
    """Store the draft at its next step and ask that step's question."""
    step = next_step(values)
    if step == PREVIEW:
        values["version"] = int(str(values.get("version", 0))) + 1  # ties "Absenden" to it
    await dialog.advance(context, user_id, FLOW, step, values)
    await ask(update, context, Draft(user_id=user_id, flow=FLOW, step=step, data=values), language)


async def ask(
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
        first = shown_name(language, "first_name", first_name(update))
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
    proposal = await as_proposal(context, draft)
    if proposal is None:  # its region is gone: ask for it again
        values = {k: v for k, v in draft.data.items() if k != "region_id"}
        await go(update, context, draft.user_id, values, language)
        return
    name = shown_name(language, str(draft.data.get("name")), first_name(update))
    text = views.preview(language, proposal, name)
    buttons_ = views.preview_keyboard(
        language, int(str(draft.data.get("version", 0))), isinstance(draft.data.get("kept"), str)
    )
    if note:
        await reply(update, note)
    await reply(update, text, buttons_)


async def as_proposal(context: Context, draft: Draft) -> Proposal | None:
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


def answered(draft: Draft, key: str, value: object) -> dict[str, object]:
    """The draft's values with one answer given (and the change it was for done)."""
    values = {k: v for k, v in draft.data.items() if k != "editing"}
    values[key] = value
    return values


async def region_by_place(
    update: Update, context: Context, draft: Draft, language: str, text: str
) -> bool:
    """A town or postcode at the region step: its region, or a choice of them; False if none."""
    result = context.bot_data.places.find(text)
    regions = {place.region_id: place for place in result.places}
    if not regions:
        return False
    if len(regions) == 1:
        values = answered(draft, "region_id", next(iter(regions)))
        await go(update, context, draft.user_id, values, language)
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
