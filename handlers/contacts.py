"""Regional contacts: invitations, linking by deep link, /kontakte, /interessenten and export."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from telegram import Message, Update
from telegram.error import BadRequest

from bot.context import App, Context
from bot.logs import person
from bot.services.workgroups import INVITE_LIFETIME
from handlers.buttons import on_tap
from handlers.common import (
    admin_of,
    answer,
    best_effort,
    edit_buttons,
    is_admin,
    language_of,
    private_command,
    refuse,
    reply,
    show,
)
from handlers.menus import refresh_menu
from messages import actions as cb
from messages import workgroups as views
from messages.actions import (
    ExportCsv,
    Interested,
    InviteRegion,
    MarkContacted,
    MarkRevisionContacted,
    RemoveContact,
)
from messages.catalog import t
from messages.keyboards import Button, Keyboard, keyboard, menu_row
from messages.render import button_label, label
from storage.audit import AuditNote
from storage.models import Region

logger = logging.getLogger(__name__)

PREFIX = "contact_"

Put = Callable[[Update, str, Keyboard | None], Awaitable[None]]  # reply (new) or show (edit)


async def invite_command(update: Update, context: Context) -> None:
    """/kontakt_einladen <region> [contact]: a one-time deep link for the region's contact."""
    found = await admin_of(update, context)
    if found is None:
        return
    language, user_id = found
    args = context.args or []
    data = context.bot_data
    region = await data.regions.get_by_slug(args[0].lower()) if args else None
    if region is None:
        await _offer_regions(update, context, language, " ".join(args))
        return
    await _invite(update, context, language, user_id, region, args[1:])


async def _offer_regions(update: Update, context: Context, language: str, named: str) -> None:
    """No or an unknown region: buttons for the regions it may mean (the place finder), else all."""
    data = context.bot_data
    regions = {r.id: r for r in await data.regions.list_with_counts()}
    lines: list[str] = []
    chosen: list[int] = []
    if named:
        lines.append(t(language, "wg.invite.unknown_region", slug=named))
        found = data.places.find(named)
        chosen = list(dict.fromkeys(p.region_id for p in found.places if p.region_id in regions))
        if found.kind in ("exact", "postcode") and len(chosen) == 1:
            place = found.places[0]
            region_name = regions[chosen[0]].name
            lines.append(t(language, "wg.invite.belongs", place=place.name, region=region_name))
    lines.append(t(language, "wg.invite.choose"))
    shown = [regions[i] for i in chosen] or list(regions.values())
    rows: list[list[Button]] = [[(button_label(r.name), InviteRegion(r.id))] for r in shown]
    await reply(update, "\n".join(lines), keyboard([*rows, menu_row(language)]))


async def on_invite_button(update: Update, context: Context, action: InviteRegion) -> None:
    """A region chosen for an invitation."""
    found = await admin_of(update, context)
    if found is None:
        return
    language, user_id = found
    region = await context.bot_data.regions.get(action.region_id)
    if region is None:
        await answer(update, t(language, "errors.stale_button"))
        return
    await answer(update)
    await _invite(update, context, language, user_id, region, [])


async def _invite(
    update: Update,
    context: Context,
    language: str,
    user_id: int,
    region: Region,
    args: list[str],
) -> None:
    """The one-time link for the region's contact (an imported contact named in args)."""
    data = context.bot_data
    contacts = await data.workgroups.repo.contacts_of_region(region.id)
    contact_id = contacts[0].id if len(contacts) == 1 else None
    if args:
        chosen = [c for c in contacts if c.slug == args[0].lower()]
        if not chosen:
            await reply(update, t(language, "wg.invite.unknown_contact", slug=args[0]))
            return
        contact_id = chosen[0].id
    token = await data.workgroups.invite(region.id, contact_id, user_id)
    note = AuditNote.by_user(
        user_id, "contact_invite", f"region:{region.slug}", contact_id=contact_id
    )
    await data.audit.add(note, data.clock())
    link = f"https://t.me/{context.bot.username}?start={PREFIX}{token}"
    until = views.day(data.clock() + INVITE_LIFETIME, data.settings.tz)
    await reply(update, t(language, "wg.invite.link", region=region.name, until=until, link=link))


async def open_invite(update: Update, context: Context, language: str, token: str) -> None:
    """start=contact_<token>: link the user as the region's contact (once, within 7 days)."""
    user = update.effective_user
    if user is None:
        return
    data = context.bot_data
    outcome, region_id = await data.workgroups.redeem(token, user.id)
    if outcome != "ok" or region_id is None:
        logger.info("Refused contact invitation (%s) for user %s", outcome, person(user.id))
        await reply(update, t(language, f"wg.invite.{outcome}"), keyboard([menu_row(language)]))
        return
    region = await data.regions.get(region_id)
    name = region.name if region else ""
    await refresh_menu(context.bot, data, user.id)  # the contact's commands
    async with best_effort("a redeemed invitation"):  # linked: nobody is asked to try again
        await reply(
            update, t(language, "wg.invite.linked", region=name), keyboard([menu_row(language)])
        )


async def contacts_command(update: Update, context: Context) -> None:
    """/kontakte (admins): linked and imported contacts, with remove buttons."""
    found = await admin_of(update, context)
    if found is not None:
        await _show_contacts(update, context, found[0])


async def _show_contacts(update: Update, context: Context, language: str) -> None:
    service = context.bot_data.workgroups
    linked = await service.linked()
    lines = [t(language, "wg.contacts.title"), ""]
    rows: list[list[Button]] = []
    for user_id, region_id, region, name in linked:
        shown = name or str(user_id)
        lines.append(t(language, "wg.contacts.linked", name=shown, region=region, user_id=user_id))
        rows.append(
            [
                (
                    label(language, "wg.button.remove", name=shown, region=region),
                    RemoveContact(user_id, region_id),
                )
            ]
        )
    if not linked:
        lines.append(t(language, "wg.contacts.empty"))
    regions = {r.id: r.name for r in await context.bot_data.regions.list_with_counts()}
    for contact in await service.repo.contacts():
        if contact.telegram_id is None:
            region = regions.get(contact.region_id, "")
            lines.append(t(language, "wg.contacts.imported", name=contact.name, region=region))
    rows.append(menu_row(language))
    await reply(update, "\n".join(lines), keyboard(rows))


async def interested_command(update: Update, context: Context) -> None:
    """/interessenten [region]: the registrations of the contact's own region(s)."""
    language = await language_of(update, context)
    region_id = 0
    if context.args:
        region = await context.bot_data.regions.get_by_slug(context.args[0].lower())
        region_id = region.id if region else -1
    await _show_interested(update, context, language, region_id)


async def _allowed_regions(update: Update, context: Context, region_id: int) -> list[int] | None:
    """The contact's regions (an admin's: all) to show (all for 0); None if not allowed.

    Checked on every tap, so a revoked role takes effect at once.
    """
    user = update.effective_user
    data = context.bot_data
    mine = await data.workgroups.contact_regions(user.id) if user else []
    if user is not None and await is_admin(context, user.id):  # admins: every region
        mine = [r.id for r in await data.regions.list_with_counts()]
    if not mine:
        return None
    if region_id == 0:
        return mine
    return [region_id] if region_id in mine else None


async def _show_interested(
    update: Update, context: Context, language: str, region_id: int, put: Put = reply
) -> None:
    regions = await _allowed_regions(update, context, region_id)
    if regions is None:
        await refuse(update, context, language)
        return
    data = context.bot_data
    items = await data.workgroups.repo.registrations_of_regions(regions)
    names = ", ".join(r.name for r in await data.regions.list_with_counts() if r.id in regions)
    rows: list[list[Button]] = [
        [
            (
                label(language, "wg.button.contacted", number=n),
                MarkRevisionContacted(i.id, i.revision),  # marks the version listed, no other
            )
        ]
        for n, i in enumerate(items[: views.listed(items, language)], start=1)
        if i.status == "new"
    ]
    if items:
        rows.append([(label(language, "wg.button.export"), ExportCsv(region_id))])
    rows.append(menu_row(language))
    await put(update, views.interested(language, names, items), keyboard(rows))


async def _export(update: Update, context: Context, language: str, region_id: int) -> None:
    regions = await _allowed_regions(update, context, region_id)
    chat = update.effective_chat
    if regions is None or chat is None:
        await refuse(update, context, language)
        return
    await answer(update)
    items = await context.bot_data.workgroups.repo.registrations_of_regions(regions)
    content = views.csv_export(language, items)
    stamp = context.bot_data.clock().strftime("%Y-%m-%d")
    actor = update.effective_user.id if update.effective_user else 0
    note = AuditNote.by_user(
        actor, "export_interested", "regions:" + ",".join(map(str, regions)), count=len(items)
    )
    await context.bot_data.audit.add(note, context.bot_data.clock())
    await context.bot.send_document(
        chat.id,
        document=content,
        filename=f"interessenten-{stamp}.csv",
        caption=t(language, "wg.csv.caption", count=len(items)),
    )


async def _mark(
    update: Update, context: Context, language: str, registration_id: int, revision: int | None
) -> None:
    """Mark contacted, or say why not: withdrawn, gone, already marked, updated since the
    revision the button was shown for (checked on the spot, in the marking transaction)."""
    user = update.effective_user
    if user is None:
        return
    data = context.bot_data
    service = data.workgroups
    found = await service.repo.registration(registration_id)
    name = await service.repo.contact_name(user.id, found.region_id) if found is not None else None
    name = name or " ".join(p for p in (user.first_name, user.last_name) if p)
    marking = await service.mark_contacted(registration_id, user.id, name, revision=revision)
    if marking.outcome == "refused":
        await refuse(update, context, language)
        return
    if marking.outcome == "already" and marking.item is not None:
        when = marking.item.contacted_at or marking.item.created_at
        toast = t(language, "wg.interested.already", date=views.day(when, data.settings.tz))
    else:
        toast = t(language, f"wg.interested.{marking.outcome}")
    if marking.outcome != "marked":
        logger.info("Registration %s not marked: %s", registration_id, marking.outcome)
    async with best_effort("a contact's mark"):  # committed (or refused): told at best
        await answer(update, toast)
        await _update_tapped(update, context, language)


async def _update_tapped(update: Update, context: Context, language: str) -> None:
    """After a mark: the list it came from is shown anew, a notice loses the button."""
    query = update.callback_query
    message = query.message if query else None
    if query is None or not isinstance(message, Message) or message.reply_markup is None:
        return
    rows = message.reply_markup.inline_keyboard
    if not any(button.callback_data == query.data for row in rows for button in row):
        return  # a forged or outdated tap: the answer is enough
    for row in rows:
        for button in row:
            data = button.callback_data
            action = cb.parse(data if isinstance(data, str) else None)
            if isinstance(action, ExportCsv):  # the /interessenten list
                await _show_interested(update, context, language, action.region_id, show)
                return
    kept = [r for r in ([b for b in row if b.callback_data != query.data] for row in rows) if r]
    markup = Keyboard(inline_keyboard=[[b.to_dict() for b in row] for row in kept])
    try:  # an empty keyboard is sent as none at all: Telegram refuses "{}"
        await edit_buttons(
            context.bot, message.chat.id, message.message_id, markup if kept else None
        )
    except BadRequest as exc:
        logger.info("Could not remove the button of a registration: %s", exc.message)


async def on_button(
    update: Update,
    context: Context,
    action: MarkRevisionContacted | MarkContacted | Interested | ExportCsv | RemoveContact,
) -> None:
    """Contacts' and admins' buttons; every one checks the permission again."""
    language = await language_of(update, context)
    user = update.effective_user
    match action:
        case MarkRevisionContacted(registration_id=registration_id, revision=revision):
            await _mark(update, context, language, registration_id, revision)
        case MarkContacted(registration_id=registration_id):
            # Sent before buttons carried the revision (still in chats and in the outbox):
            # answered as before, marking the current revision.
            await _mark(update, context, language, registration_id, None)
        case Interested(region_id=region_id):
            if await _allowed_regions(update, context, region_id) is None:
                await refuse(update, context, language)  # answers the button itself
                return
            await answer(update)
            await _show_interested(update, context, language, region_id)
        case ExportCsv(region_id=region_id):
            await _export(update, context, language, region_id)
        case RemoveContact(user_id=user_id, region_id=region_id):
            if user is None or not await is_admin(context, user.id):
                await refuse(update, context, language)
                return
            note = AuditNote.by_user(
                user.id, "contact_remove", f"user:{user_id}", region_id=region_id
            )
            removed = await context.bot_data.workgroups.remove(user_id, region_id, audit=note)
            async with best_effort("a removed contact"):
                await answer(
                    update, t(language, "wg.contacts." + ("removed" if removed else "not_found"))
                )
                await _show_contacts(update, context, language)


def register(app: App) -> None:
    """Invitations, the deep link, /kontakte, /interessenten and their buttons."""
    app.bot_data.deep_links[PREFIX] = open_invite  # start=contact_<token>
    app.add_handler(private_command(["kontakt_einladen", "invite_contact"], invite_command))
    app.add_handler(private_command(["kontakte", "contacts"], contacts_command))
    app.add_handler(private_command(["interessenten", "interested"], interested_command))
    app.add_handler(on_tap(on_button))
    app.add_handler(on_tap(on_invite_button))
