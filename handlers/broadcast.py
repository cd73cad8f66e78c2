"""/rundschreiben: an admin writes to the news readers or to a region's subscribers (outbox)."""

from __future__ import annotations

import datetime as dt
import logging

from telegram import Update

from bot.context import App, BotData, Context
from bot.logs import person
from handlers import broadcast_progress, dialog
from handlers.admin_form import admin_begins, admin_draft, cancel_row, stale
from handlers.buttons import on_tap
from handlers.common import answer, best_effort, private_command, reply, show
from messages import admin as views
from messages import news as news_views
from messages.actions import BroadcastAudience, BroadcastAudiences, BroadcastSend
from messages.catalog import Html, t, tn
from messages.content import region_name
from messages.keyboards import Button, chat_message, keyboard, main_menu_keyboard
from messages.render import label, visible_len
from storage.audit import AuditNote, AuditRepository
from storage.broadcasts import BroadcastRepository
from storage.drafts import DraftEnd, DraftGone
from storage.models import Draft
from storage.news import NewsRepository
from storage.outbox import OutboxRepository, Outgoing
from storage.workshops import WorkshopRepository

logger = logging.getLogger(__name__)

FLOW = "broadcast"


async def enqueue(
    data: BotData,
    admin_id: int,
    audience: str,
    text: str,
    now: dt.datetime,
    *,
    ends: DraftEnd | None = None,
) -> tuple[int | None, int]:
    """In one transaction: the broadcast and one outbox row per recipient; (id, recipients).

    „Alle“ are those who opted in to the news, a region's audience its subscribers. Each
    recipient gets the sender line and „Abbestellen“ in their language.
    ends: the admin's dialogue that this confirms (DraftGone if it is over already).
    """
    region_id = int(audience.split(":", 1)[1]) if audience.startswith("region:") else 0
    region = await data.regions.get(region_id) if region_id else None
    async with data.db.transaction() as tx:
        if ends is not None:
            await ends.apply(tx)
        if region_id:
            recipients = await WorkshopRepository.region_subscribers(tx, region_id)
        else:
            recipients = await NewsRepository.readers(tx)
        if not recipients:
            return None, 0
        broadcast_id = await BroadcastRepository.create(
            tx, admin_id, audience, text, len(recipients), now
        )
        note = AuditNote.by_user(
            admin_id,
            "broadcast",
            f"broadcast:{broadcast_id}",
            audience=audience,
            recipients=len(recipients),
            text=text[:200],
        )
        await AuditRepository.record(tx, note, now)
        rendered: dict[str, dict[str, object]] = {}
        for language in {r.language for r in recipients}:
            name = region_name(language, region.name, region.name_en) if region else None
            sender = data.settings.broadcast_sender
            rendered[language] = chat_message(
                *news_views.broadcast(language, text, sender, name, region_id)
            )
        await OutboxRepository.enqueue(
            tx,
            "broadcast",
            (
                Outgoing(r.user_id, rendered[r.language], f"broadcast:{broadcast_id}:{r.user_id}")
                for r in recipients
            ),
            now,
            broadcast_id=broadcast_id,
        )
    return broadcast_id, len(recipients)


async def broadcast_command(update: Update, context: Context) -> None:
    """/rundschreiben: ask for the text."""
    found = await admin_begins(update, context, FLOW, "text")
    if found is None:
        return
    language, _ = found
    await reply(update, views.broadcast_ask_text(language), keyboard([cancel_row(language)]))


async def on_text(update: Update, context: Context, draft: Draft, language: str, text: str) -> None:
    """The broadcast's text, with the admin's formatting (bold, italics, links) kept."""
    message = update.effective_message
    if draft.step != "text" or message is None:
        await reply(update, views.hint(language, "admin.ask.buttons"))
        await prompt(update, context, draft, language)
        return
    # What is kept is what is measured: the HTML without surrounding blank lines.
    text_html = message.text_html.strip()
    length = visible_len(text_html)
    error = None
    if not text.strip():
        error = views.problem(language, "empty")
    elif length > views.BROADCAST_MAX:
        error = views.problem(language, "too_long", count=length, max=views.BROADCAST_MAX)
    if error is not None:
        await reply(
            update, views.broadcast_ask_text(language, error), keyboard([cancel_row(language)])
        )
        return
    await dialog.advance(context, draft.user_id, FLOW, "audience", {"text": text_html})
    await _ask_audience(update, context, language)


async def _ask_audience(update: Update, context: Context, language: str) -> None:
    data = context.bot_data
    everyone = await data.news.reader_count()
    counts = await data.workshops.repo.subscriber_counts()
    rows: list[list[Button]] = [
        [(label(language, "admin.button.audience_all", count=everyone), BroadcastAudience(0))]
    ]
    for region in await data.regions.list_with_counts():
        name = label(
            language,
            "admin.button.audience_region",
            name=region.name,
            count=counts.get(region.id, 0),
        )
        rows.append([(name, BroadcastAudience(region.id))])
    await show(
        update, views.broadcast_ask_audience(language), keyboard([*rows, cancel_row(language)])
    )


async def _preview(
    update: Update, context: Context, language: str, draft: Draft, region_id: int
) -> None:
    data = context.bot_data
    if region_id:
        region = await data.regions.get(region_id)
        if region is None:
            await stale(update, language)
            return
        count = (await data.workshops.repo.subscriber_counts()).get(region_id, 0)
        audience, name = f"region:{region_id}", views.audience_name(language, region.name)
        shown = region_name(language, region.name, region.name_en)
    else:
        count = await data.news.reader_count()
        audience, name, shown = "all", views.audience_name(language, None), None
    if count == 0:
        await answer(update, t(language, "admin.broadcast.nobody"))
        return
    await answer(update)
    state = {**draft.data, "audience": audience}
    await dialog.advance(context, draft.user_id, FLOW, "preview", state)
    rows: list[list[Button]] = [
        [(label(language, "admin.button.send"), BroadcastSend())],
        [(label(language, "admin.button.back"), BroadcastAudiences())],
        cancel_row(language),
    ]
    # What the recipients get (in the admin's language): sender line, text, „Abbestellen“.
    sender = data.settings.broadcast_sender
    message, _ = news_views.broadcast(language, str(draft.data["text"]), sender, shown, region_id)
    body = message + "\n\n" + news_views.preview_note(language)
    text = views.broadcast_preview(language, body, count, name)
    await show(update, text, keyboard(rows))


async def _send(update: Update, context: Context, language: str, draft: Draft) -> None:
    """Confirmed: enqueue (once, however often the button is tapped), then show progress.

    The dialogue ends in the broadcast's own transaction; Telegram hears of it only after.
    """
    data = context.bot_data
    reporter = broadcast_progress.progress_reporter(data)
    text, audience = str(draft.data["text"]), str(draft.data["audience"])
    ends = DraftEnd(draft.user_id, FLOW)
    async with reporter.lock:
        try:
            broadcast_id, total = await enqueue(
                data, draft.user_id, audience, text, data.clock(), ends=ends
            )
        except DraftGone:
            await stale(update, language)
            return
        data.users_with_drafts.discard(draft.user_id)
        if broadcast_id is None:
            nobody = t(language, "admin.broadcast.nobody")
            async with best_effort("a broadcast without recipients"):
                await answer(update)
                await show(update, nobody, main_menu_keyboard(language))
            return
        logger.info(
            "Admin %s broadcasts %s to %s (%s recipients)",
            person(draft.user_id),
            broadcast_id,
            audience,
            total,
        )
        async with best_effort("a broadcast"):
            await answer(update)
            confirmed = tn(language, "admin.broadcast.confirmed", total)
            await show(update, confirmed + "\n\n" + Html(text))
        await reporter.start(broadcast_id, language)  # best effort on its own
    data.wake()


async def on_button(
    update: Update,
    context: Context,
    action: BroadcastAudience | BroadcastAudiences | BroadcastSend,
) -> None:
    """Audience, back to the audiences, send."""
    found = await admin_draft(update, context, FLOW)
    if found is None:
        return
    language, draft = found
    if draft.step not in ("audience", "preview"):
        await stale(update, language)
    elif isinstance(action, BroadcastAudience):
        await _preview(update, context, language, draft, action.region_id)
    elif isinstance(action, BroadcastAudiences):
        await answer(update)
        await dialog.advance(context, draft.user_id, FLOW, "audience", {"text": draft.data["text"]})
        await _ask_audience(update, context, language)
    elif isinstance(action, BroadcastSend) and draft.step == "preview":
        await _send(update, context, language, draft)
    else:
        await stale(update, language)


async def prompt(update: Update, context: Context, draft: Draft, language: str) -> None:
    """Show the current step again."""
    if draft.step == "text":
        await reply(update, views.broadcast_ask_text(language), keyboard([cancel_row(language)]))
    elif draft.step == "preview":
        region = str(draft.data.get("audience", "all")).partition(":")[2]
        await _preview(update, context, language, draft, int(region or 0))
    else:
        await _ask_audience(update, context, language)


def register(app: App) -> None:
    """/rundschreiben, its dialogue and buttons."""
    dialog.add_flow(app, dialog.Flow(FLOW, f"admin.flow.{FLOW}", on_text, prompt, admin_only=True))
    app.add_handler(private_command(["rundschreiben", "broadcast"], broadcast_command))
    app.add_handler(on_tap(on_button))
