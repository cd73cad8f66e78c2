"""Admin views: dialogue prompts, previews, choice lists, broadcast progress and report."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime

from messages.catalog import Html, t, tn
from messages.render import dialogue_text, label, shorten
from messages.workshops import detail, short_when, when
from storage.models import Broadcast, Workshop, WorkshopPage

LIMITS = {"title": 200, "venue": 200, "address": 300, "description": 2000}
BROADCAST_MAX = 3500
_LOCALES = {"de": "de_DE", "en": "en_GB"}


def header(language: str, flow: str, number: int | None = None, total: int | None = None) -> str:
    """The dialogue's name, with the step number while creating."""
    name = t(language, f"admin.flow.{flow}")
    if number is None:
        return t(language, "admin.header.plain", flow=Html(name))
    return t(language, "admin.header.step", flow=Html(name), number=number, total=total)


def workshop_header(language: str, flow: str, workshop: Workshop) -> str:
    """The dialogue's name and the workshop it is about."""
    name = t(language, f"admin.flow.{flow}")
    return t(language, "admin.header.workshop", flow=Html(name), title=workshop.title)


def problem(language: str, key: str, **params: object) -> str:
    """Why the input was not accepted."""
    return "⚠️ " + t(language, f"admin.error.{key}", **params)


def hint(language: str, key: str) -> str:
    """A short note above a repeated question."""
    return "⚠️ " + t(language, key)


def date_problem(
    language: str,
    reason: str,
    day: dt.date | None,
    tz: ZoneInfo,
    start: dt.datetime | None = None,
    *,
    years: int,
) -> str:
    """Why a date or time was not accepted (bot.dates.DateInputError's reason and day), with
    the details that help to correct it; years: how far ahead a date may be."""
    locale = _LOCALES.get(language, "de_DE")
    params: dict[str, object] = {"count": years}
    if day is not None:
        params["date"] = format_date(day, "medium", locale=locale)
        params["weekday"] = format_date(day, "EEEE", locale=locale)
    if start is not None:
        params["start"] = short_when(language, start, tz)
    return problem(language, f"date.{reason}", **params)


def spelled(language: str, moment: dt.datetime, tz: ZoneInfo) -> str:
    """A moment in words: "Freitag, 18. Dezember 2026, 10:00 Uhr"."""
    pattern = "EEEE, d. MMMM y, HH:mm 'Uhr'" if language == "de" else "EEEE, d MMMM y, HH:mm"
    locale = _LOCALES.get(language, "de_DE")
    return format_datetime(moment.astimezone(tz), pattern, tzinfo=tz, locale=locale)


def spelled_span(language: str, start: dt.datetime, end: dt.datetime, tz: ZoneInfo) -> str:
    """Start and end in words: "Freitag, 18. Dezember 2026, 10:00–12:00 Uhr"."""
    return when(language, start, end, tz)


def prompt(
    language: str,
    head: str,
    step: str,
    tz: ZoneInfo,
    *,
    editing: bool = False,
    error: str | None = None,
    start: dt.datetime | None = None,
    current: str | None = None,
    understood: str | None = None,
) -> str:
    """One step's question, after the problem with the previous answer if there was one, or
    after the previous answer as understood (dates, in words, to be checked)."""
    key = f"{step}_edit" if editing and step in ("link", "description") else step
    question = t(language, f"admin.ask.{key}", max=LIMITS.get(step, 0))
    lines = [head, ""]
    if error:
        lines += [error, ""]
    elif understood:
        lines += [t(language, "admin.understood", when=understood), ""]
    lines.append(question)
    if start is not None and step == "ends":
        lines.append(t(language, "admin.start_is", when=short_when(language, start, tz)))
    if current is not None:
        lines.append(t(language, "admin.current", value=current))
    return "\n".join(lines)


def current_value(language: str, workshop: Workshop, step: str, tz: ZoneInfo) -> str:
    """What a field holds now, as plain text."""
    none = t(language, "admin.none")
    if step in ("starts", "ends"):
        return when(language, workshop.starts_at, workshop.ends_at, tz)
    if step == "link":
        return workshop.registration_url or none
    if step == "capacity":
        return str(workshop.capacity) if workshop.capacity else t(language, "admin.unlimited")
    if step == "description":
        return shorten(workshop.description, 300) if workshop.description else none
    return str(getattr(workshop, step))


def notify(language: str, audience: str, count: int) -> str:
    """Who will be told: 'subscribers' of the region or everyone 'concerned' by a date."""
    if count == 0:
        return t(language, f"admin.notify.{audience}.none")
    return tn(language, f"admin.notify.{audience}", count)


def new_preview(language: str, workshop: Workshop, tz: ZoneInfo, subscribers: int) -> str:
    """The would-be workshop as citizens will see it, and who will be notified."""
    hint = t(
        language,
        "admin.new.publish_hint",
        notify=Html(notify(language, "subscribers", subscribers)),
    )
    return "\n\n".join([t(language, "admin.new.preview"), detail(language, workshop, tz), hint])


def _done(
    language: str, key: str, workshop: Workshop, tz: ZoneInfo, audience: str, count: int
) -> str:
    """A confirmation: what was done (key) to the workshop, its time, and who is told."""
    return "\n".join(
        [
            t(language, key, title=workshop.title),
            when(language, workshop.starts_at, workshop.ends_at, tz),
            "",
            notify(language, audience, count),
        ]
    )


def published(language: str, workshop: Workshop, tz: ZoneInfo, subscribers: int) -> str:
    """Confirmation after publishing."""
    return _done(language, "admin.new.published", workshop, tz, "subscribers", subscribers)


def pick_text(language: str, kind: str, page: WorkshopPage) -> str:
    """The question above the list of workshops to change ('edit') or cancel ('cancel')."""
    if page.total == 0:
        return t(language, "admin.pick.none")
    text = t(language, f"admin.pick.{kind}")
    if page.page_count > 1:
        text += "\n" + t(language, "admin.pick.page", page=page.page + 1, pages=page.page_count)
    return text


def pick_label(language: str, workshop: Workshop, tz: ZoneInfo) -> str:
    """A workshop as a button: start and title."""
    return label(
        language,
        "admin.button.pick",
        when=short_when(language, workshop.starts_at, tz),
        title=workshop.title,
    )


def edit_menu(language: str, workshop: Workshop, tz: ZoneInfo) -> str:
    """The workshop and the question what to change."""
    return "\n\n".join(
        [
            header(language, "edit_workshop"),
            detail(language, workshop, tz),
            t(language, "admin.edit.what"),
        ]
    )


def edit_preview(language: str, notice: str, concerned: int) -> str:
    """The change notice exactly as the people concerned will get it."""
    return "\n\n".join(
        [t(language, "admin.edit.preview"), notice, notify(language, "concerned", concerned)]
    )


def edit_saved(language: str, workshop: Workshop, tz: ZoneInfo, concerned: int) -> str:
    """Confirmation after a change."""
    return _done(language, "admin.edit.saved", workshop, tz, "concerned", concerned)


def cancel_question(language: str, workshop: Workshop, tz: ZoneInfo, concerned: int) -> str:
    """Are you sure? With the workshop and who will be told."""
    return "\n\n".join(
        [
            t(language, "admin.cancel.confirm"),
            detail(language, workshop, tz),
            notify(language, "concerned", concerned),
        ]
    )


def cancelled(language: str, workshop: Workshop, concerned: int) -> str:
    """Confirmation after cancelling."""
    return "\n\n".join(
        [
            t(language, "admin.cancel.done", title=workshop.title),
            notify(language, "concerned", concerned),
        ]
    )


def audience_name(language: str, region_name: str | None) -> str:
    """'all users' or 'subscribers of the region X'."""
    if region_name is None:
        return t(language, "admin.broadcast.audience_all")
    return t(language, "admin.broadcast.audience_region", region=region_name)


def broadcast_ask_text(language: str, error: str | None = None) -> str:
    """Ask for the broadcast's text."""
    question = t(language, "admin.broadcast.ask_text", max=BROADCAST_MAX)
    return dialogue_text(header(language, "broadcast"), error, question)


def broadcast_ask_audience(language: str) -> str:
    """Ask for the audience."""
    return header(language, "broadcast") + "\n\n" + t(language, "admin.broadcast.ask_audience")


def broadcast_preview(language: str, text_html: str, count: int, audience: str) -> str:
    """The exact text and how many will get it."""
    head = tn(language, "admin.broadcast.preview", count, audience=Html(audience))
    return "\n\n".join([head, text_html, t(language, "admin.broadcast.question")])


def _broadcast_counts(language: str, key: str, broadcast: Broadcast, audience: str) -> str:
    """A broadcast's audience and counts (delivered of all, blocked the bot, failed) in key."""
    return t(
        language,
        key,
        audience=Html(audience),
        sent=broadcast.sent,
        total=broadcast.total,
        blocked=broadcast.blocked,
        failed=broadcast.failed,
    )


def broadcast_progress(language: str, broadcast: Broadcast, audience: str) -> str:
    """Live progress: x of N delivered …"""
    return _broadcast_counts(language, "admin.broadcast.progress", broadcast, audience)


def broadcast_report(language: str, broadcast: Broadcast, audience: str) -> str:
    """The final report: delivered, blocked the bot, failed."""
    return _broadcast_counts(language, "admin.broadcast.report", broadcast, audience)
