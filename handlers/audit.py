"""/protokoll (/audit): admins read the audit log, newest first, paged in place."""

from __future__ import annotations

import math
from typing import Final

from telegram import Update

from bot.context import App, Context
from handlers.buttons import on_tap
from handlers.common import admin_of, answer, private_command, reply, show
from messages import actions as cb
from messages.actions import AuditFilter, AuditPage
from messages.catalog import t
from messages.keyboards import Button, keyboard
from messages.render import label
from messages.roles import audit_line
from storage.audit import ACTIONS, CLI

PAGE_SIZE = 8
ANY: Final = "-"
# The filters /protokoll accepts as typed, as the page buttons carry them.
_ACTIONS: dict[str, AuditFilter] = {action: action for action in ACTIONS}


def parse_filter(args: list[str]) -> AuditPage | None:
    """The first page for `/protokoll [user id | cli | action]`; None if the filter is unknown."""
    if not args:
        return AuditPage(0, ANY, 0, ANY)
    if len(args) > 1:
        return None
    word = args[0].lower()
    if word.isascii() and word.isdigit() and len(word) <= 13 and 0 < int(word) < cb.MAX_ID:
        return AuditPage(0, "user", int(word), ANY)
    if word == CLI:
        return AuditPage(0, CLI, 0, ANY)
    if word in _ACTIONS:
        return AuditPage(0, ANY, 0, _ACTIONS[word])
    return None


async def _view(update: Update, context: Context, language: str, page: AuditPage) -> None:
    data = context.bot_data
    actor = page.who if page.who == CLI else (str(page.user_id) if page.who == "user" else None)
    action = None if page.action == ANY else page.action
    total = await data.audit.count(actor=actor, action=action)
    pages = max(1, math.ceil(total / PAGE_SIZE))
    number = min(max(page.page, 0), pages - 1)
    entries = await data.audit.newest(
        offset=number * PAGE_SIZE, limit=PAGE_SIZE, actor=actor, action=action
    )
    shown = actor or (page.action if action else None)
    title_key = "roles.audit.title_filtered" if shown else "roles.audit.title"
    lines = [t(language, title_key, filter=shown or "", count=total)]
    now = data.clock().astimezone(data.settings.tz).strftime("%H:%M:%S")
    lines.append(t(language, "roles.audit.page", page=number + 1, pages=pages, now=now))
    lines.append("")
    known = await data.audit.subjects(entries)
    lines += [audit_line(language, e, known, data.settings.tz) for e in entries]
    if not entries:
        lines.append(t(language, "roles.audit.empty"))
    same = (page.who, page.user_id, page.action)
    nav: list[Button] = []
    if number > 0:
        nav.append((label(language, "roles.audit.button.newer"), AuditPage(number - 1, *same)))
    if number < pages - 1:
        nav.append((label(language, "roles.audit.button.older"), AuditPage(number + 1, *same)))
    refresh = [(label(language, "roles.audit.button.refresh"), AuditPage(number, *same))]
    await show(update, "\n".join(lines), keyboard([nav, refresh]))


async def audit_command(update: Update, context: Context) -> None:
    """/protokoll [user id | cli | action]: the newest entries of the audit log."""
    found = await admin_of(update, context)
    if found is None:
        return
    language, _ = found
    page = parse_filter(context.args or [])
    if page is None:
        await reply(update, t(language, "roles.audit.usage", actions=", ".join(ACTIONS)))
        return
    await _view(update, context, language, page)


async def on_button(update: Update, context: Context, action: AuditPage) -> None:
    """A page button; the admin role is checked again at every tap."""
    found = await admin_of(update, context)
    if found is not None:
        await answer(update)
        await _view(update, context, found[0], action)


def register(app: App) -> None:
    """/protokoll and its page buttons."""
    app.add_handler(private_command(["protokoll", "audit"], audit_command))
    app.add_handler(on_tap(on_button))
