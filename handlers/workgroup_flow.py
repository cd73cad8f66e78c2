"""Mitmachen: group → name → e-mail → phone → message → consent; nothing stored before consent.

The consent screen changes any field and comes back; an update starts from the stored values
(„Beibehalten“); a text typed at the consent screen waits for the field chosen next.
"""

from __future__ import annotations

import logging

from telegram import Update

from bot.context import App, Context
from bot.services.workgroups import Details, GroupClosedError
from handlers import dialog
from handlers.buttons import on_tap
from handlers.common import answer, best_effort, language_of, reply, show
from messages import actions as cb
from messages import workgroups as views
from messages.actions import JoinAnswer, JoinChange, JoinField, JoinGroup, JoinIdea, MyGroups
from messages.catalog import t
from messages.keyboards import Button, keyboard, menu_row
from messages.render import label
from storage.contact_format import normal_phone, valid_email
from storage.drafts import DraftEnd, DraftGone
from storage.models import ContactProfile, Draft, WorkingGroup

logger = logging.getLogger(__name__)

FLOW = "workgroup"
NAME, EMAIL, PHONE, MESSAGE, CONSENT = "name", "email", "phone", "message", "consent"
NEXT = {NAME: EMAIL, EMAIL: PHONE, PHONE: MESSAGE, MESSAGE: CONSENT}
FIELDS: tuple[JoinField, ...] = ("name", "email", "phone", "message")
CHANGING = "changing"  # draft data: a field changed from the consent screen, back there next
MAX_NAME = 100
MAX_MESSAGE = 1000


def _telegram_name(update: Update) -> str:
    user = update.effective_user
    return " ".join(p for p in (user.first_name, user.last_name) if p) if user else ""


def _cancel_row(language: str) -> list[Button]:
    return [(label(language, "dialog.cancel_button"), cb.DialogCancel())]


async def join_idea(update: Update, context: Context, language: str, idea_id: int) -> None:
    """Mitmachen on an idea: choose among its open groups (or go straight to the only one)."""
    groups = [g for g in await context.bot_data.workgroups.repo.groups_of_idea(idea_id) if g.open]
    if not groups:
        await answer(update, t(language, "wg.gone"))
        return
    if len(groups) == 1:
        await join_group(update, context, language, groups[0].id, update_existing=False)
        return
    await answer(update)
    rows: list[list[Button]] = [[(g.name, JoinGroup(g.id, 0))] for g in groups]
    await reply(update, t(language, "wg.choose_group"), keyboard([*rows, _cancel_row(language)]))


async def join_group(
    update: Update, context: Context, language: str, group_id: int, *, update_existing: bool
) -> None:
    """Start the dialogue for one group; an earlier registration is recognised first."""
    user = update.effective_user
    service = context.bot_data.workgroups
    group = await service.repo.group(group_id)
    if user is None or group is None or not group.open:
        await answer(update, t(language, "wg.gone"))
        return
    await answer(update)
    earlier = await service.repo.registration_of(group_id, user.id)
    if earlier is not None and earlier.status != "withdrawn" and not update_existing:
        text = t(language, "wg.already", date=views.day(earlier.created_at), group=group.name)
        rows: list[list[Button]] = [
            [(label(language, "wg.button.update"), JoinGroup(group_id, 1))],
            [(label(language, "wg.button.my_groups"), MyGroups())],
            _cancel_row(language),
        ]
        await reply(update, text, keyboard(rows))
        return
    data: dict[str, object] = {"group_id": group_id}
    if earlier is not None and earlier.status != "withdrawn":  # an update keeps what is there
        data |= {NAME: earlier.name, EMAIL: earlier.email, PHONE: earlier.phone}
        data[MESSAGE] = earlier.message
    await dialog.begin(context, user.id, FLOW, NAME, data)
    await _ask(update, context, Draft(user_id=user.id, flow=FLOW, step=NAME, data=data), language)


async def _group(context: Context, draft: Draft) -> WorkingGroup | None:
    group_id = draft.data.get("group_id")
    group = (
        await context.bot_data.workgroups.repo.group(group_id)
        if isinstance(group_id, int)
        else None
    )
    return group if group is not None and group.open else None


async def prompt(update: Update, context: Context, draft: Draft, language: str) -> None:
    """Ask the current step's question again."""
    await _ask(update, context, draft, language)


async def _ask(
    update: Update, context: Context, draft: Draft, language: str, note: str = ""
) -> None:
    group = await _group(context, draft)
    if group is None:
        markup = keyboard([menu_row(language)])
        await dialog.end(update, context, draft.user_id, t(language, "wg.gone"), markup)
        return
    rows: list[list[Button]] = []
    current = _value(draft, draft.step) if draft.step in FIELDS else None
    if current is not None:
        rows.append([(label(language, "wg.button.keep", value=current), JoinAnswer("b"))])
    if draft.step == NAME:
        name = _telegram_name(update)
        text = t(language, "wg.ask_name", group=group.name)
        if name != current:
            rows.append([(label(language, "wg.button.take_name", name=name), JoinAnswer("t"))])
    elif draft.step in (EMAIL, PHONE, MESSAGE):
        key = "wg.button.leave_out" if current is not None else "wg.button.skip"
        rows.append([(label(language, key), JoinAnswer("s"))])
        if draft.step == MESSAGE:
            text = t(language, "wg.ask_message", limit=MAX_MESSAGE)
        else:
            text = t(language, f"wg.ask_{draft.step}")
    else:
        contacts = await _public_contacts(context, group)
        text = views.consent_screen(
            language, group, _lines(language, draft), _sentence(language, group, draft, contacts)
        )
        change: list[Button] = [
            (label(language, f"wg.button.change_{f}"), JoinChange(f)) for f in FIELDS
        ]
        rows = [[(label(language, "wg.button.consent"), JoinAnswer("k"))], change[:2], change[2:]]
    if note:
        text = f"{note}\n\n{text}"
    await reply(update, text, keyboard([*rows, _cancel_row(language)]))


def _value(draft: Draft, key: str) -> str | None:
    value = draft.data.get(key)
    return value if isinstance(value, str) and value else None


def _lines(language: str, draft: Draft) -> list[str]:
    return views.details(
        language,
        _value(draft, "name") or "",
        _value(draft, "email"),
        _value(draft, "phone"),
        _value(draft, "message"),
    )


async def _public_contacts(context: Context, group: WorkingGroup) -> list[ContactProfile]:
    """The region's contacts as citizens see them: a published profile (name, organisation)
    in place of the imported record."""
    return await context.bot_data.profiles.repo.public_of_region(group.region_id)


def _sentence(
    language: str, group: WorkingGroup, draft: Draft, contacts: list[ContactProfile]
) -> str:
    shared = ["name"] + [k for k in ("email", "phone", "message") if _value(draft, k)]
    return views.consent_sentence(language, group, contacts, shared)


async def _store(
    update: Update, context: Context, draft: Draft, language: str, value: str | None
) -> None:
    """Keep the step's answer in the draft and go to the next step."""
    step = CONSENT if draft.data.get(CHANGING) else NEXT[draft.step]  # steps are not CHANGING
    moved = await dialog.moved(context, draft, step, **{draft.step: value})
    await _ask(update, context, moved, language)


async def on_text(update: Update, context: Context, draft: Draft, language: str, text: str) -> None:
    """Typed answers: checked, then stored in the draft."""
    value = text.strip()
    if draft.step == NAME:
        if not 1 <= len(value) <= MAX_NAME:
            note = t(language, "wg.invalid.name", limit=MAX_NAME)
            await _ask(update, context, draft, language, note)
            return
    elif draft.step == EMAIL:
        if not valid_email(value):
            await _ask(
                update, context, draft, language, t(language, "wg.invalid.email", value=value)
            )
            return
    elif draft.step == PHONE:
        phone = normal_phone(value)
        if phone is None:
            await _ask(
                update, context, draft, language, t(language, "wg.invalid.phone", value=value)
            )
            return
        value = phone
    elif draft.step == MESSAGE:
        if len(value) > MAX_MESSAGE:
            note = t(language, "wg.invalid.message", count=len(value), limit=MAX_MESSAGE)
            await _ask(update, context, draft, language, note)
            return
    else:
        await _ask(update, context, draft, language, t(language, "wg.invalid.use_buttons"))
        return
    await _store(update, context, draft, language, value or None)


async def on_answer(update: Update, context: Context, language: str, code: str) -> None:
    """Übernehmen, Überspringen, Einverstanden."""
    draft = await dialog.tapped(update, context, FLOW, t(language, "wg.stale"))
    if draft is None:
        return
    if code == "t" and draft.step == NAME:
        await answer(update)
        await _store(update, context, draft, language, _telegram_name(update)[:MAX_NAME])
    elif code == "s" and draft.step in (EMAIL, PHONE, MESSAGE):
        await answer(update)
        await _store(update, context, draft, language, None)
    elif code == "b" and draft.step in FIELDS and _value(draft, draft.step) is not None:
        await answer(update)
        await _store(update, context, draft, language, _value(draft, draft.step))
    elif code == "k" and draft.step == CONSENT:
        await _consent(update, context, draft, language)
    else:
        await answer(update, t(language, "wg.stale"))


async def on_change(update: Update, context: Context, language: str, field: JoinField) -> None:
    """✏️ on the consent screen: ask for that field (a text kept meanwhile answers it)."""
    draft = await dialog.tapped(update, context, FLOW, t(language, "wg.stale"))
    if draft is None:
        return
    if draft.step != CONSENT:
        await answer(update, t(language, "wg.stale"))
        return
    await answer(update)
    changing = await dialog.moved(context, draft, field, **{CHANGING: True})
    await dialog.proceed(update, context, changing, language)


async def _consent(update: Update, context: Context, draft: Draft, language: str) -> None:
    """Einverstanden, senden: store with the consent text and notify in one transaction.

    Stored (and the dialogue ended) before Telegram hears of it; telling the user is best
    effort. The dialogue ends in the same transaction, so a second tap stores nothing again.
    """
    service = context.bot_data.workgroups
    group = await _group(context, draft)
    if group is None:
        await answer(update)
        await _ask(update, context, draft, language)
        return
    contacts = await _public_contacts(context, group)
    consent = "\n".join([*_lines(language, draft), _sentence(language, group, draft, contacts)])
    details = Details(
        name=_value(draft, "name") or "",
        email=_value(draft, "email"),
        phone=_value(draft, "phone"),
        message=_value(draft, "message"),
    )
    try:
        _, updated = await service.register(
            group.id, draft.user_id, details, consent, ends=DraftEnd(draft.user_id, FLOW)
        )
    except GroupClosedError:  # closed by an import since the check above: nothing stored
        await _ask(update, context, draft, language)  # says so and ends the dialogue
        return
    except DraftGone:  # a second tap, after the first had stored it
        await answer(update, t(language, "wg.stale"))
        return
    context.bot_data.users_with_drafts.discard(draft.user_id)
    key = "wg.sent_updated" if updated else "wg.sent"
    rows: list[list[Button]] = [
        [(label(language, "wg.button.my_groups"), MyGroups())],
        menu_row(language),
    ]
    async with best_effort("an interest registration"):
        await answer(update)
        await show(update, t(language, key, group=group.name), keyboard(rows))


async def on_button(
    update: Update, context: Context, action: JoinIdea | JoinGroup | JoinAnswer | JoinChange
) -> None:
    """The dialogue's buttons."""
    language = await language_of(update, context)
    match action:
        case JoinIdea(idea_id=idea_id):
            await join_idea(update, context, language, idea_id)
        case JoinGroup(group_id=group_id, update=again):
            await join_group(update, context, language, group_id, update_existing=bool(again))
        case JoinAnswer(answer=code):
            await on_answer(update, context, language, code)
        case JoinChange(field=field):
            await on_change(update, context, language, field)


def register(app: App) -> None:
    """The Mitmachen dialogue and its buttons."""
    flow = dialog.Flow(FLOW, "wg.flow", on_text, prompt, button_steps=frozenset({CONSENT}))
    dialog.add_flow(app, flow)
    app.add_handler(on_tap(on_button))
