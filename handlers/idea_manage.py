"""Staff on one idea: the manage menu's tasks — news, status, archive (dialogues) and restore.

Each dialogue ends with a preview of the notice exactly as the idea's followers will get it;
publishing commits the change, its audit row and the notices together (IdeaService) and ends
the dialogue in the same transaction, so a second tap changes nothing.
"""

from __future__ import annotations

from functools import partial

from telegram import Update

from bot.context import App, Context
from bot.services.ideas import LIMITS
from handlers import dialog, idea_edit
from handlers.admin_form import stale
from handlers.buttons import on_tap
from handlers.common import answer, best_effort, show
from handlers.idea_menu import (
    back_to_idea,
    back_to_menu,
    draft_idea,
    idea_for,
    maintained_idea,
    show_menu,
)
from handlers.staff_common import (
    Tap,
    cancel_row,
    choice,
    committed,
    data_str,
    plain_choice,
    staff_language,
    typed_text,
)
from messages import idea_staff as views
from messages.actions import ArchivedPage, ConfirmRestore, ManageIdea
from messages.catalog import t
from messages.keyboards import Button, keyboard
from messages.render import label
from storage.drafts import DraftEnd
from storage.models import IDEA_STATUSES, Draft, Idea

NEWS, STATUS, ARCHIVE = "idea_news", "idea_status", "idea_archive"
FLOWS = (NEWS, STATUS, ARCHIVE)
_FIRST = {NEWS: "text", STATUS: "status", ARCHIVE: "reason"}
_TASK_FLOW = {"n": NEWS, "s": STATUS, "a": ARCHIVE}
# The steps answered with a text → its limit.
_LIMITS = {"text": LIMITS["news"], "note": LIMITS["note"], "reason": LIMITS["reason"]}
_QUESTION = {"text": "news.ask", "note": "status.ask_note", "reason": "archive.ask"}
PREVIEW = "preview"


def _notice(language: str, flow: str, idea: Idea, data: dict[str, object]) -> str:
    """The notice the followers will get, in the staff member's language."""
    text = str(data.get("text", ""))
    if flow == NEWS:
        return views.news_notice(language, idea, text)[0]
    if flow == STATUS:
        return views.status_notice(language, idea, str(data.get("status")), text)[0]
    return views.archive_notice(language, idea, text)[0]


async def ask(
    update: Update,
    context: Context,
    language: str,
    idea: Idea,
    flow: str,
    step: str,
    data: dict[str, object],
    error: str = "",
) -> None:
    """Show a step of the news, status or archive dialogue."""
    task = flow.removeprefix("idea_")
    head = views.header(language, task, idea)
    user = update.effective_user
    audience = await context.bot_data.idea_staff.audience(idea, user.id if user else 0)
    rows: list[list[Button]] = []
    if step == PREVIEW:
        text = views.preview(language, _notice(language, flow, idea, data), audience)
        rows = [
            [choice(language, f"idea_staff.button.confirm_{task}", "confirm")],
            [choice(language, "staff.button.change", "back")],
        ]
    elif step == "status":
        current = views.status_name(language, idea.status)
        text = views.prompt(language, head, "idea_staff.status.ask", error, status=current)
        rows = [
            [plain_choice(views.status_name(language, status), "status", number)]
            for number, status in enumerate(IDEA_STATUSES)
            if status != idea.status
        ]
        rows.append([back_to_menu(language, idea)])
    else:
        limit = _LIMITS[step]
        status = views.status_name(language, str(data.get("status", idea.status)))
        text = views.prompt(
            language,
            head,
            f"idea_staff.{_QUESTION[step]}",
            error,
            max=limit.max,
            min=limit.min,
            status=status,
            followers=views.followers_told(language, audience),
        )
        if step == "note":
            rows = [[choice(language, "idea_staff.button.no_note", "skip")]]
            rows.append([choice(language, "staff.button.back", "back")])
        else:
            rows = [[back_to_menu(language, idea)]]
    await show(update, text, keyboard([*rows, cancel_row(language)]))


async def prompt(update: Update, context: Context, draft: Draft, language: str) -> None:
    """Ask the current step again."""
    idea = await draft_idea(update, context, language, draft)
    if idea is not None:
        await ask(update, context, language, idea, draft.flow, draft.step, draft.data)


async def on_text(update: Update, context: Context, draft: Draft, language: str, text: str) -> None:
    """The news, the status note or the reason: checked against its limits, then previewed."""
    idea = await maintained_idea(update, context, language, draft)
    if idea is None:
        return
    again = partial(ask, update, context, language, idea, draft.flow, draft.step, draft.data)
    value = await typed_text(language, draft.step, text, _LIMITS, again)
    if value is None:
        return
    data = {**draft.data, "text": value}
    await dialog.advance(context, draft.user_id, draft.flow, PREVIEW, data)
    await ask(update, context, language, idea, draft.flow, PREVIEW, data)


async def on_answer(update: Update, context: Context, tap: Tap) -> None:
    """The buttons of the three dialogues (handlers.staff_answers routes them here)."""
    draft, language = tap.draft, tap.language
    idea = await maintained_idea(update, context, language, draft)
    if idea is None:
        return
    step, kind = tap.step, tap.kind
    if draft.flow == STATUS and step == "status" and kind == "status":
        if not 0 <= tap.value < len(IDEA_STATUSES) or IDEA_STATUSES[tap.value] == idea.status:
            await stale(update, language)
            return
        await _go(update, context, language, idea, draft, "note", status=IDEA_STATUSES[tap.value])
    elif draft.flow == STATUS and step == "note" and kind == "skip":
        await _go(update, context, language, idea, draft, PREVIEW, text="")
    elif step in (PREVIEW, "note") and kind == "back":
        await _go(update, context, language, idea, draft, _FIRST[draft.flow])
    elif step == PREVIEW and kind == "confirm":
        await _commit(update, context, language, idea, draft)
    else:
        await stale(update, language)


async def _go(
    update: Update,
    context: Context,
    language: str,
    idea: Idea,
    draft: Draft,
    step: str,
    **values: object,
) -> None:
    await answer(update)
    moved = await dialog.moved(context, draft, step, **values)
    await ask(update, context, language, idea, moved.flow, step, moved.data)


async def _commit(
    update: Update, context: Context, language: str, idea: Idea, draft: Draft
) -> None:
    """Publish the news, save the status, or archive; the followers are told."""
    service, user_id = context.bot_data.idea_staff, draft.user_id
    ends, text = DraftEnd(user_id, draft.flow), data_str(draft, "text")
    rows: list[list[Button]] = [[back_to_menu(language, idea)], [back_to_idea(language, idea)]]
    if draft.flow == NEWS:
        posted = await committed(
            update, context, language, user_id, service.post_news(user_id, idea.id, text, ends=ends)
        )
        if posted is None:
            return
        result = t(language, "idea_staff.news.done", told=views.followers_told(language, posted[1]))
    elif draft.flow == STATUS:
        status = data_str(draft, "status")
        changed = await committed(
            update,
            context,
            language,
            user_id,
            service.set_status(user_id, idea.id, status, text, ends=ends),
        )
        if changed is None:
            return
        key = "idea_staff.status.done" if changed[0] else "idea_staff.status.already"
        told = views.followers_told(language, changed[1])
        result = t(language, key, status=views.status_name(language, status), told=told)
    else:
        archived = await committed(
            update, context, language, user_id, service.archive(user_id, idea.id, text, ends=ends)
        )
        if archived is None:
            return
        key = "idea_staff.archive.done" if archived[0].changed else "idea_staff.archive.already"
        result = t(language, key, told=views.followers_told(language, archived[1]))
        rows = [
            [(label(language, "idea_staff.button.restore"), ManageIdea(idea.id, "r"))],
            [(label(language, "idea_staff.button.archive_list"), ArchivedPage(0))],
        ]
    async with best_effort(f"a change of an idea ({draft.flow})"):
        await answer(update)
        await show(update, f"{views.header(language, 'menu', idea)}\n\n{result}", keyboard(rows))


async def _restore(update: Update, context: Context, language: str, idea: Idea) -> None:
    """Show the archived idea again; its followers are told."""
    user = update.effective_user
    if user is None:
        return
    restore = context.bot_data.idea_staff.restore(user.id, idea.id)
    done = await committed(update, context, language, user.id, restore, ends_dialogue=False)
    if done is None:
        return
    change, told = done
    key = "idea_staff.restore.done" if change.changed else "idea_staff.restore.already"
    text = t(language, key, told=views.followers_told(language, told))
    rows = [[back_to_menu(language, idea)], [back_to_idea(language, idea)]]
    async with best_effort("a restored idea"):
        await answer(update)
        await show(update, f"{views.header(language, 'menu', idea)}\n\n{text}", keyboard(rows))


async def on_button(update: Update, context: Context, action: ManageIdea | ConfirmRestore) -> None:
    """The manage menu and its tasks; restoring."""
    found = await staff_language(update, context)
    if found is None:
        return
    language, staff = found
    idea = await idea_for(update, context, language, staff, action.idea_id)
    if idea is None:
        return
    if isinstance(action, ConfirmRestore):
        await _restore(update, context, language, idea)
        return
    draft = await context.bot_data.drafts.get(staff.user_id)
    if draft is not None and draft.flow in (*FLOWS, idea_edit.FLOW):
        await dialog.finish(context, staff.user_id)  # back to the menu: the dialogue is left
    if action.task == "m" or idea.archived != (action.task == "r"):
        await answer(update)
        note = "" if action.task == "m" else views.state_note(language, idea)
        await show_menu(update, context, language, idea, note)
    elif action.task == "r":
        await answer(update)
        audience = await context.bot_data.idea_staff.audience(idea, staff.user_id)
        text = views.prompt(
            language,
            views.header(language, "restore", idea),
            "idea_staff.restore.ask",
            followers=views.followers_told(language, audience),
        )
        rows: list[list[Button]] = [
            [(label(language, "idea_staff.button.confirm_restore"), ConfirmRestore(idea.id))],
            [back_to_menu(language, idea)],
        ]
        await show(update, text, keyboard(rows))
    elif action.task == "e":
        await answer(update)
        await idea_edit.begin(update, context, language, idea)
    else:
        await answer(update)
        flow = _TASK_FLOW[action.task]
        data: dict[str, object] = {"idea_id": idea.id}
        await dialog.begin(context, staff.user_id, flow, _FIRST[flow], data)
        await ask(update, context, language, idea, flow, _FIRST[flow], data)


def register(app: App) -> None:
    """The manage menu's buttons and the news, status and archive dialogues."""
    for flow in FLOWS:
        dialog.add_flow(app, dialog.Flow(flow, f"idea_staff.flow.{flow}", on_text, prompt))
    app.add_handler(on_tap(on_button))
