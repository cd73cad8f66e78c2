"""Leaving a workshop dialogue by its button: filled-in answers are thrown away only after a
question ("Abbrechen" on a long form is easily tapped by mistake). /abbrechen leaves at once."""

from __future__ import annotations

from telegram import Update

from bot.context import App, Context
from handlers import dialog
from handlers.admin_pick import EDIT
from handlers.admin_workshops import FLOW
from handlers.buttons import on_tap
from handlers.common import answer, is_admin, language_of, refuse, show
from messages.actions import FormCancel, FormDiscard, FormResume
from messages.catalog import t
from messages.keyboards import Button, keyboard, main_menu_keyboard
from messages.render import label
from storage.models import Draft


def filled(draft: Draft) -> bool:
    """Whether the dialogue holds answers the admin would lose."""
    if draft.flow == FLOW:
        return any(key != "review" for key in draft.data)
    if draft.flow == EDIT:
        return bool(draft.data.get("values"))
    return False


async def on_button(
    update: Update, context: Context, action: FormCancel | FormDiscard | FormResume
) -> None:
    """Cancel (asks if filled), yes-discard, or no-go-on."""
    language = await language_of(update, context)
    user = update.effective_user
    if user is None:
        return
    draft = await context.bot_data.drafts.get(user.id)
    flow = context.bot_data.flows.get(draft.flow) if draft is not None else None
    if isinstance(action, FormResume) and draft is not None and flow is not None:
        if flow.admin_only and not await is_admin(context, user.id):  # revoked meanwhile
            await dialog.finish(context, user.id)
            await refuse(update, context, language)
            return
        await answer(update)
        await flow.prompt(update, context, draft, language)
        return
    await answer(update)
    if isinstance(action, FormCancel) and draft is not None and filled(draft):
        rows: list[list[Button]] = [
            [(label(language, "admin.button.discard"), FormDiscard())],
            [(label(language, "admin.button.resume"), FormResume())],
        ]
        await show(update, t(language, "admin.leave.question"), keyboard(rows))
        return
    await dialog.finish(context, user.id)
    key = "dialog.cancelled" if draft is not None else "dialog.nothing_to_cancel"
    await show(update, t(language, key), main_menu_keyboard(language))


def register(app: App) -> None:
    """The cancel, discard and resume buttons of the workshop dialogues."""
    app.add_handler(on_tap(on_button))
