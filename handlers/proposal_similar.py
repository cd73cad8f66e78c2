"""„🔍 Gibt es schon?“ in the proposal dialogue: similar ideas after the title and the
description (each shown once per dialogue), one of them opened as a message."""

from __future__ import annotations

from telegram import Update

from bot.context import Context
from handlers import dialog
from handlers import proposal_steps as steps
from handlers.common import answer, language_of, reply
from handlers.proposal_steps import FLOW, SIMILAR
from messages import actions as cb
from messages import proposals as views
from messages.catalog import t
from messages.content import localized_long, region_name
from messages.keyboards import Button, keyboard
from messages.render import label, shorten
from storage.models import Draft, IdeaHit

SUMMARY_SHOWN = 600  # characters of a similar idea's summary shown in the dialogue


async def similar_or_go(
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
        await steps.go(update, context, user_id, values, language)
        return
    last = [hit.id for hit in hits]
    values = {**values, "shown": [*before, *last], "last_shown": last}
    await dialog.advance(context, user_id, FLOW, SIMILAR, values)
    text, buttons = views.similar(language, hits)
    await reply(update, text, buttons)


async def similar_again(update: Update, context: Context, draft: Draft, language: str) -> None:
    """The similar ideas shown last, again (or on, if they are gone)."""
    last = draft.data.get("last_shown")
    ids = [i for i in last if isinstance(i, int)] if isinstance(last, list) else []
    hits = []
    for idea_id in ids:
        idea = await context.bot_data.ideas.get(idea_id)
        if idea is not None and not idea.archived:
            hits.append(IdeaHit.model_validate(idea, from_attributes=True))
    if not hits:
        await steps.go(update, context, draft.user_id, draft.data, language)
        return
    text, buttons = views.similar(language, hits)
    await reply(update, text, buttons)


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
