"""The buttons inside the staff dialogues: a `StaffAnswer` goes to the dialogue the person's
draft belongs to (new idea, edit, news, status, archive, working groups, profile).

The person's roles are read first (anyone else is refused); a button of a dialogue that is
over, or of a step that is past, is „nicht mehr aktuell“.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from telegram import Update

from bot.context import App, Context
from handlers import contact_profile, group_staff_form, idea_edit, idea_manage, idea_new
from handlers.admin_form import stale
from handlers.buttons import on_tap
from handlers.staff_common import Tap, staff_language
from messages.actions import StaffAnswer

OnAnswer = Callable[[Update, Context, Tap], Awaitable[None]]

# Which dialogue answers the buttons: by the name of the flow.
ANSWERS: dict[str, OnAnswer] = {
    idea_new.FLOW: idea_new.on_answer,
    idea_edit.FLOW: idea_edit.on_answer,
    **{flow: idea_manage.on_answer for flow in idea_manage.FLOWS},
    **{flow: group_staff_form.on_answer for flow in group_staff_form.FLOWS},
    contact_profile.FLOW: contact_profile.on_answer,
}


async def on_button(update: Update, context: Context, action: StaffAnswer) -> None:
    """Route the answer to the person's dialogue."""
    found = await staff_language(update, context)
    if found is None:
        return
    language, staff = found
    draft = await context.bot_data.drafts.get(staff.user_id)
    route = ANSWERS.get(draft.flow) if draft is not None else None
    if draft is None or route is None:
        await stale(update, language)
        return
    await route(update, context, Tap(draft, language, staff, action.kind, action.value))


def register(app: App) -> None:
    """The staff dialogues' buttons."""
    app.add_handler(on_tap(on_button))
