"""The user's own dates: registration with consent, reminders, subscriptions, /meine_termine."""

from __future__ import annotations

import logging

from telegram import Message, Update
from telegram.error import BadRequest

from bot.context import App, Context
from bot.logs import person
from handlers import browse, dialog
from handlers.buttons import on_tap, tapped_button_shown, tapped_keyboard
from handlers.common import (
    answer,
    best_effort,
    edit_buttons,
    language_of,
    private_command,
    reply,
    show,
)
from handlers.workshops import (
    closed_reason,
    gone,
    show_detail,
    show_list,
    user_id_of,
)
from messages import actions as cb
from messages import workshops as views
from messages.catalog import t
from messages.keyboards import Button, Keyboard, keyboard, menu_row
from messages.render import label
from storage.models import Draft, Workshop

logger = logging.getLogger(__name__)

MAX_NAME = 128
FLOW, NAME = "workshop_name", "name"  # the consent screen reads another name for the list


def _button(language: str, key: str, action: cb.Action, **params: object) -> Button:
    return (label(language, f"dates.button.{key}", **params), action)


async def my_dates_command(update: Update, context: Context) -> None:
    """/meine_termine: registrations, reminders and region subscriptions."""
    await show_my_dates(update, context, await language_of(update, context))


async def show_my_dates(update: Update, context: Context, language: str) -> None:
    """Each registration, reminder and subscription with a button to open or end it."""
    data = context.bot_data
    repo = data.workshops.repo
    user_id, now = user_id_of(update), data.clock()
    registrations: list[tuple[Workshop, str, int | None]] = []
    for workshop, status in await repo.registrations_of(user_id, now):
        state = await repo.user_state(workshop.id, user_id) if status == "waiting" else None
        registrations.append((workshop, status, state.waiting_position if state else None))
    confirmed = {w.id for w, status, _ in registrations if status == "confirmed"}
    reminders = [
        w
        for w in await repo.followed_by(user_id, now)
        if w.id not in confirmed and w.status != "cancelled"
    ]
    regions = await repo.subscribed_regions(user_id)
    rows: list[list[Button]] = []
    for number, (workshop, status, _) in enumerate(registrations[: views.MINE_LIMIT], start=1):
        open_ = cb.ShowWorkshop(workshop.id)
        row = [_button(language, "open", open_, number=number, title=workshop.title)]
        if workshop.status != "cancelled" and workshop.starts_at > now:
            key = "mine_unregister" if status == "confirmed" else "mine_leave_waiting"
            row.append(_button(language, key, cb.Unregister(workshop.id)))
        rows.append(row)
    first = len(rows) + 1
    for number, workshop in enumerate(reminders[: views.MINE_LIMIT], start=first):
        open_ = cb.ShowWorkshop(workshop.id)
        rows.append(
            [
                _button(language, "open", open_, number=number, title=workshop.title),
                _button(language, "mine_unfollow", cb.FollowWorkshop(workshop.id, 0)),
            ]
        )
    for region_id, name in regions:
        off = cb.SubscribeRegion(region_id, 0)
        rows.append([_button(language, "mine_unsubscribe", off, region=name)])
    rows += [[_button(language, "dates", cb.WorkshopList(0, 0))], menu_row(language)]
    names = [name for _, name in regions]
    text = views.my_dates(language, registrations, reminders, names, data.settings.tz)
    await show(update, text, keyboard(rows))


async def settle(
    update: Update,
    context: Context,
    language: str,
    toast: str,
    changed: bool,
    *,
    workshop_id: int | None = None,
    region_id: int | None = None,
) -> None:
    """Answer the tap; redraw its view if something changed or the view is outdated.

    A change is committed by now: telling about it is best effort.
    """
    if changed:
        async with best_effort("a changed date"):
            await _settle(update, context, language, toast, changed, workshop_id, region_id)
    else:
        await _settle(update, context, language, toast, changed, workshop_id, region_id)


async def _settle(
    update: Update,
    context: Context,
    language: str,
    toast: str,
    changed: bool,
    workshop_id: int | None,
    region_id: int | None,
) -> None:
    await answer(update, toast)
    if not changed and not tapped_button_shown(update):
        return  # a double tap or a forged button: the short answer is enough
    buttons = tapped_keyboard(update)
    actions = [cb.parse(button.callback_data) for button in buttons]
    if region_id and any(isinstance(a, cb.RegionList) for a in actions):  # a region's page
        await browse.show_region_ideas(update, context, language, region_id, 0)
        return
    for action in actions:  # a workshop's detail or the consent question: show the workshop
        if isinstance(action, cb.WorkshopCalendar | cb.ConfirmRegister):
            await show_detail(update, context, language, action.workshop_id)
            return
    if region_id and any(isinstance(a, cb.WorkshopRegions) for a in actions):
        page = 0  # the page a region's list shows is one away from its navigation buttons
        for button, action in zip(buttons, actions, strict=True):
            if isinstance(action, cb.WorkshopList) and action.region_id == region_id:
                if button.text == label(language, "button.next"):
                    page = action.page - 1
                elif button.text == label(language, "button.previous"):
                    page = action.page + 1
        await show_list(update, context, language, region_id, page)
    elif any(
        isinstance(a, cb.Unregister | cb.FollowWorkshop | cb.SubscribeRegion) for a in actions
    ):
        await show_my_dates(update, context, language)
    elif workshop_id is not None:
        await show_detail(update, context, language, workshop_id)
    elif region_id is not None:
        await show_list(update, context, language, region_id, 0)


def first_name(update: Update) -> str:
    """The Telegram first name: what the consent screen proposes to pass on."""
    user = update.effective_user
    return (user.first_name.strip() if user else "")[:MAX_NAME] or "–"


async def chosen_name(update: Update, context: Context, workshop_id: int) -> str:
    """The name the person chose for this date's list, else their first name."""
    draft = await dialog.current(context, user_id_of(update), FLOW)
    name = (
        draft.data.get("name") if draft and draft.data.get("workshop_id") == workshop_id else None
    )
    return name if isinstance(name, str) and name else first_name(update)


_ALREADY = {"confirmed": "already_registered", "waiting": "already_waiting"}


async def ask_consent(update: Update, context: Context, language: str, workshop: Workshop) -> None:
    """Step 1 of registering: say exactly what is passed on; nothing is stored yet."""
    state = await context.bot_data.workshops.repo.user_state(workshop.id, user_id_of(update))
    if state.registration is not None:
        toast = t(language, f"dates.answer.{_ALREADY[state.registration]}")
        await settle(update, context, language, toast, False, workshop_id=workshop.id)
        return
    await answer(update)
    name = first_name(update)
    await dialog.begin(
        context, user_id_of(update), FLOW, NAME, {"workshop_id": workshop.id, "name": name}
    )
    await _consent_screen(update, context, language, workshop, name, new=False)


async def _consent_screen(
    update: Update, context: Context, language: str, workshop: Workshop, name: str, *, new: bool
) -> None:
    text = views.consent(language, workshop, context.bot_data.settings.tz, name)
    rows = [
        [_button(language, "confirm", cb.ConfirmRegister(workshop.id))],
        [_button(language, "cancel", cb.CancelRegister(workshop.id))],
    ]
    await (reply if new else show)(update, text, keyboard(rows))


async def _open_workshop(context: Context, draft: Draft, language: str) -> Workshop | None:
    """The draft's workshop while it still takes registrations."""
    workshop_id = draft.data.get("workshop_id")
    if not isinstance(workshop_id, int):
        return None
    workshop = await context.bot_data.workshops.repo.get(workshop_id)
    if workshop is None or closed_reason(language, workshop, context.bot_data.clock()) is not None:
        return None
    return workshop


async def on_name(update: Update, context: Context, draft: Draft, language: str, text: str) -> None:
    """Another name for the list, typed at the consent screen: the screen again with it."""
    workshop = await _open_workshop(context, draft, language)
    if workshop is None:
        await dialog.end(update, context, draft.user_id, t(language, "dates.answer.not_found"))
        return
    name = " ".join(text.split())
    if not 1 <= len(name) <= MAX_NAME:
        await reply(update, t(language, "dates.invalid_name", limit=MAX_NAME))
        name = str(draft.data.get("name") or first_name(update))
    else:
        await dialog.advance(context, draft.user_id, FLOW, NAME, {**draft.data, "name": name})
    await _consent_screen(update, context, language, workshop, name, new=True)


async def name_prompt(update: Update, context: Context, draft: Draft, language: str) -> None:
    """The consent screen again (after a photo or a sticker)."""
    await on_name(update, context, draft, language, str(draft.data.get("name") or ""))


async def confirm(update: Update, context: Context, language: str, workshop: Workshop) -> None:
    """Step 2: consent given, take a seat or a waiting place."""
    data = context.bot_data
    user_id = user_id_of(update)
    before = await data.workshops.repo.user_state(workshop.id, user_id)
    status = None
    if before.registration is None:
        name = await chosen_name(update, context, workshop.id)
        status = await data.workshops.register(workshop.id, user_id, name)
        if await dialog.current(context, user_id, FLOW) is not None:
            await dialog.finish(context, user_id)  # a double tap finds the seat taken already
    if status is None:  # a double tap, or registration closed in the meantime
        toast = t(language, f"dates.answer.{_ALREADY.get(before.registration or '', 'started')}")
        await settle(update, context, language, toast, False, workshop_id=workshop.id)
        return
    logger.info("User %s registered for workshop %s: %s", person(user_id), workshop.id, status)
    position = (await data.workshops.repo.user_state(workshop.id, user_id)).waiting_position
    key = "registered" if status == "confirmed" else "waiting"
    async with best_effort("a registration"):
        await answer(update, t(language, f"dates.answer.{key}", position=position or 0))
        note = t(language, f"dates.result.{key}", position=position or 0)
        await show_detail(update, context, language, workshop.id, note)


async def unregister(update: Update, context: Context, language: str, workshop: Workshop) -> None:
    """Give up a seat or a waiting place (the service moves the next person up)."""
    previous = await context.bot_data.workshops.unregister(workshop.id, user_id_of(update))
    key = {"confirmed": "unregistered", "waiting": "left_waiting"}.get(previous or "")
    toast = t(language, f"dates.answer.{key or 'not_registered'}")
    await settle(update, context, language, toast, key is not None, workshop_id=workshop.id)


async def cannot_come(update: Update, context: Context, language: str, workshop: Workshop) -> None:
    """From a reminder: free the seat (or stop the reminders) and say so in a new message."""
    data = context.bot_data
    user_id = user_id_of(update)
    if closed_reason(language, workshop, context.bot_data.clock()) is not None:
        key = "cancelled" if workshop.status == "cancelled" else "started"
    else:
        state = await data.workshops.repo.user_state(workshop.id, user_id)
        previous = await data.workshops.unregister(workshop.id, user_id)
        if state.follows:
            await data.workshops.repo.follow(workshop.id, user_id, False, data.clock())
        if previous is not None:
            key = "unregistered" if previous == "confirmed" else "left_waiting"
            logger.info(
                "User %s cannot come to workshop %s (%s)", person(user_id), workshop.id, previous
            )
        else:
            key = "unfollowed" if state.follows else "done"
    rows: list[list[Button]] = [
        [(label(language, "workshop.button.details"), cb.ShowWorkshop(workshop.id))],
        [_button(language, "my_dates", cb.MyDates())],
    ]
    text = t(language, f"dates.result.cannot_come_{key}", title=workshop.title)
    async with best_effort("a cancelled registration"):
        await answer(update, t(language, "dates.answer.done"))
        await _drop_cannot_come_button(update)
        await reply(update, text, keyboard(rows))


async def _drop_cannot_come_button(update: Update) -> None:
    """Remove "Ich kann doch nicht" from the reminder it was tapped on."""
    buttons = tapped_keyboard(update)
    kept = [b for b in buttons if not isinstance(cb.parse(b.callback_data), cb.CannotCome)]
    query = update.callback_query
    if query is None or not isinstance(query.message, Message) or kept == buttons:
        return
    markup = Keyboard(inline_keyboard=[[b.to_dict()] for b in kept])
    try:
        await edit_buttons(
            update.get_bot(), query.message.chat.id, query.message.message_id, markup
        )
    except BadRequest as exc:
        logger.info("Could not update the reminder's buttons: %s", exc.message)


async def follow(
    update: Update, context: Context, language: str, workshop: Workshop, on: bool
) -> None:
    """Switch the reminders for one workshop on or off."""
    data = context.bot_data
    user_id = user_id_of(update)
    state = await data.workshops.repo.user_state(workshop.id, user_id)
    closed = closed_reason(language, workshop, context.bot_data.clock()) if on else None
    changed = closed is None and state.follows != on
    if changed:
        await data.workshops.repo.follow(workshop.id, user_id, on, data.clock())
        toast = t(language, "dates.answer.followed" if on else "dates.answer.unfollowed")
    else:
        already = "already_following" if on else "not_following"
        toast = closed or t(language, f"dates.answer.{already}")
    await settle(update, context, language, toast, changed, workshop_id=workshop.id)


async def subscribe(
    update: Update, context: Context, language: str, region_id: int, on: bool
) -> None:
    """Subscribe to or unsubscribe from a region's new dates."""
    data = context.bot_data
    region = await data.regions.get(region_id)
    if region is None:
        await gone(update, language)
        return
    user_id = user_id_of(update)
    subscribed = region_id in {r for r, _ in await data.workshops.repo.subscribed_regions(user_id)}
    changed = subscribed != on
    if changed:
        await data.workshops.repo.subscribe_region(region_id, user_id, on, data.clock())
        key = "subscribed" if on else "unsubscribed"
    else:
        key = "already_subscribed" if on else "not_subscribed"
    toast = t(language, f"dates.answer.{key}", region=region.name)
    await settle(update, context, language, toast, changed, region_id=region_id)


async def on_button(
    update: Update,
    context: Context,
    action: cb.Register
    | cb.ConfirmRegister
    | cb.CancelRegister
    | cb.Unregister
    | cb.CannotCome
    | cb.FollowWorkshop
    | cb.SubscribeRegion
    | cb.MyDates,
) -> None:
    """Registration, reminders, subscriptions and /meine_termine buttons."""
    language = await language_of(update, context)
    if isinstance(action, cb.MyDates):
        await answer(update)
        await show_my_dates(update, context, language)
        return
    if isinstance(action, cb.CancelRegister):
        if await dialog.current(context, user_id_of(update), FLOW) is not None:
            await dialog.finish(context, user_id_of(update))
        await answer(update)
        await show_detail(update, context, language, action.workshop_id)
        return
    if isinstance(action, cb.SubscribeRegion):
        await subscribe(update, context, language, action.region_id, bool(action.on))
        return
    workshop_id: int = getattr(action, "workshop_id", 0)
    workshop = await context.bot_data.workshops.repo.get(workshop_id)
    if workshop is None:
        logger.info("Workshop button for a workshop that does not exist: %r", action)
        await gone(update, language)
        return
    closed = closed_reason(language, workshop, context.bot_data.clock())
    if closed and isinstance(action, cb.Register | cb.ConfirmRegister | cb.Unregister):
        await settle(update, context, language, closed, False, workshop_id=workshop_id)
        return
    match action:
        case cb.Register():
            await ask_consent(update, context, language, workshop)
        case cb.ConfirmRegister():
            await confirm(update, context, language, workshop)
        case cb.Unregister():
            await unregister(update, context, language, workshop)
        case cb.CannotCome():
            await cannot_come(update, context, language, workshop)
        case cb.FollowWorkshop(on=on):
            await follow(update, context, language, workshop, bool(on))


def register(app: App) -> None:
    """/meine_termine and the buttons that change the user's own dates."""
    commands = ["meine_termine", "my_dates"]
    app.add_handler(private_command(commands, my_dates_command))
    app.add_handler(on_tap(on_button))
    dialog.add_flow(app, dialog.Flow(FLOW, "dates.flow", on_name, name_prompt))
