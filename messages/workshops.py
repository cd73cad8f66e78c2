"""Workshop views and notification texts."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Sequence
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime, format_interval

from messages.catalog import Html, t, tn
from messages.content import localized, localized_long, region_name
from messages.render import fit, label, shorten
from storage.models import UserWorkshopState, Workshop, WorkshopPage

_LOCALES = {"de": "de_DE", "en": "en_GB"}
# A workshop's detail stays within this many UTF-16 units (its description is cut to fit), so
# that the views around it (a note above, a question or hint below) fit one message: a
# description of 2000 emoji alone is 4000 units.
DETAIL_ROOM = 3500


def _locale(language: str) -> str:
    return _LOCALES.get(language, "de_DE")


def when(
    language: str, start: dt.datetime, end: dt.datetime, tz: ZoneInfo, time_known: bool = True
) -> str:
    """ "Freitag, 28. April 2017, 14:00–18:00 Uhr" (Babel, in the configured time zone);
    "Freitag, 28. April 2017" when only the day is known (never 00:00–24:00)."""
    local_start, local_end = start.astimezone(tz), end.astimezone(tz)
    if not time_known:
        return format_date(local_start.date(), "full", locale=_locale(language))
    if local_start.date() == local_end.date():
        date = format_date(local_start.date(), "full", locale=_locale(language))
        times = format_interval(local_start, local_end, "Hm", tzinfo=tz, locale=_locale(language))
        return html.unescape(t(language, "workshop.when_same_day", date=date, times=times))
    pattern = "EEEE, d. MMMM y, HH:mm" if language == "de" else "EEEE, d MMMM y, HH:mm"
    first = format_datetime(local_start, pattern, tzinfo=tz, locale=_locale(language))
    last = format_datetime(local_end, pattern, tzinfo=tz, locale=_locale(language))
    return html.unescape(t(language, "workshop.when_multi_day", start=first, end=last))


def short_when(language: str, start: dt.datetime, tz: ZoneInfo, time_known: bool = True) -> str:
    """A compact start for lists and buttons: "Fr., 12.05.2027, 14:00" (without the time
    when only the day is known)."""
    pattern = "EEE, dd.MM.y, HH:mm" if language == "de" else "EEE, d MMM y, HH:mm"
    if not time_known:
        pattern = pattern.removesuffix(", HH:mm")
    return format_datetime(start.astimezone(tz), pattern, tzinfo=tz, locale=_locale(language))


def workshop_when(language: str, workshop: Workshop, tz: ZoneInfo) -> str:
    """when() of a workshop."""
    return when(language, workshop.starts_at, workshop.ends_at, tz, workshop.time_known)


def title_of(language: str, workshop: Workshop) -> str:
    """The workshop's title in the reader's language (German marked for English readers)."""
    return localized(language, workshop.title, workshop.title_en)


def region_of(language: str, workshop: Workshop) -> str:
    """The workshop's region by its name in the reader's language."""
    return region_name(language, workshop.region_name, workshop.region_name_en)


def _venue(workshop: Workshop) -> str:
    parts = [p for p in (workshop.venue, workshop.address) if p]
    return ", ".join(parts)


def detail(
    language: str, workshop: Workshop, tz: ZoneInfo, state: UserWorkshopState | None = None
) -> str:
    """Everything about one workshop, and how the user relates to it."""
    lines: list[str] = []
    status = t(language, f"workshop.status.{workshop.status}")
    if status:
        lines.append(status)
    lines.append(f"<b>{html.escape(title_of(language, workshop), quote=False)}</b>")
    lines.append("")
    lines.append(t(language, "workshop.region", region=region_of(language, workshop)))
    lines.append(t(language, "workshop.when", when=workshop_when(language, workshop, tz)))
    if workshop.venue or workshop.address:
        lines.append(t(language, "workshop.venue", venue=_venue(workshop)))
    if workshop.registration_url:
        link = Html(
            f'<a href="{html.escape(workshop.registration_url, quote=True)}">'
            f"{t(language, 'workshop.link_label')}</a>"
        )
        lines.append(t(language, "workshop.link", link=link))
    if workshop.capacity is None:
        lines.append(t(language, "workshop.seats.unlimited"))
    elif workshop.is_full:
        lines.append(t(language, "workshop.seats.full", waiting=workshop.waiting))
    else:
        lines.append(
            t(language, "workshop.seats.free", free=workshop.free_seats, capacity=workshop.capacity)
        )
    mine: list[str] = []
    if state is not None:
        if state.registration == "confirmed":
            mine.append(t(language, "workshop.you.confirmed"))
        elif state.registration == "waiting":
            mine.append(t(language, "workshop.you.waiting", position=state.waiting_position or 0))
        if state.follows:
            mine.append(t(language, "workshop.you.follows"))

    def compose(description: str) -> str:
        about = ["", html.escape(description, quote=False)] if description else []
        return "\n".join([*lines, *about, *(["", *mine] if mine else [])])

    return fit(
        compose,
        localized_long(language, workshop.description, workshop.description_en),
        DETAIL_ROOM,
    )


def notice_new(language: str, workshop: Workshop, tz: ZoneInfo) -> str:
    """Subscribers of the region learn of a new date."""
    return t(
        language,
        "workshop.notice.new",
        region=region_of(language, workshop),
        title=title_of(language, workshop),
        when=workshop_when(language, workshop, tz),
        venue=_venue(workshop),
    )


def notice_changed(language: str, old: Workshop, new: Workshop, tz: ZoneInfo) -> str | None:
    """What changed, field by field; None if nothing a person would notice changed."""
    pairs = [
        ("title", old.title, new.title),
        (
            "when",
            workshop_when(language, old, tz),
            workshop_when(language, new, tz),
        ),
        ("venue", old.venue, new.venue),
        ("address", old.address, new.address),
        ("region", old.region_name, new.region_name),
        ("registration_url", old.registration_url or "–", new.registration_url or "–"),
        ("capacity", str(old.capacity or "–"), str(new.capacity or "–")),
    ]
    lines = [
        t(
            language,
            "workshop.notice.change_line",
            field=t(language, f"workshop.notice.field.{key}"),
            old=before or "–",
            new=after or "–",
        )
        for key, before, after in pairs
        if before != after
    ]
    if old.description != new.description:
        lines.append(t(language, "workshop.notice.field.description") + " ✏️")
    if not lines:
        return None
    return t(
        language,
        "workshop.notice.changed",
        title=title_of(language, new),
        changes=Html("\n".join(lines)),
    )


CANCELLED_FOR = ("seat", "waiting", "reminder", "subscriber")  # what a recipient had


def notice_cancelled(
    language: str, workshop: Workshop, tz: ZoneInfo, had: str = "subscriber"
) -> str:
    """The workshop will not take place, and what that means for this recipient (had)."""
    text = t(
        language,
        "workshop.notice.cancelled",
        title=title_of(language, workshop),
        when=workshop_when(language, workshop, tz),
    )
    what = t(language, f"workshop.notice.cancelled_for.{had}", region=workshop.region_name)
    return f"{text} {what}"


def reminder(language: str, workshop: Workshop, tz: ZoneInfo, registered: bool) -> str:
    """A reminder before the workshop."""
    text = t(
        language,
        "workshop.notice.reminder",
        title=title_of(language, workshop),
        when=workshop_when(language, workshop, tz),
        venue=_venue(workshop),
    )
    if registered:
        text += "\n\n" + t(language, "workshop.notice.reminder_registered")
    return text


def promoted(language: str, workshop: Workshop, tz: ZoneInfo) -> str:
    """Someone moved up from the waiting list."""
    return t(
        language,
        "workshop.notice.promoted",
        title=title_of(language, workshop),
        when=workshop_when(language, workshop, tz),
    )


# ----------------------------------------------------------------- citizen views (dates.*)

MINE_LIMIT = 10  # entries per section of /meine_termine (buttons and text stay within limits)


def short_date(language: str, start: dt.datetime, tz: ZoneInfo) -> str:
    """A compact date for buttons: "12.05.2027" / "12 May 2027"."""
    pattern = "dd.MM.y" if language == "de" else "d MMM y"
    return format_date(start.astimezone(tz).date(), pattern, locale=_locale(language))


def _marker(language: str, workshop: Workshop) -> Html:
    return Html(t(language, f"dates.marker.{workshop.status}"))


def workshop_button(language: str, workshop: Workshop, tz: ZoneInfo) -> str:
    """A list button: status marker, short date and title, shortened."""
    date = short_date(language, workshop.starts_at, tz)
    marker = _marker(language, workshop)
    title = title_of(language, workshop)
    return label(language, "dates.button.workshop", marker=marker, date=date, title=title)


def workshop_list(
    language: str, page: WorkshopPage, tz: ZoneInfo, region: str | None, subscribed: bool
) -> str:
    """A page of upcoming workshops, all regions or one, with an empty state."""
    if region is None:
        lines = [t(language, "dates.list.title_all")]
    else:
        lines = [t(language, "dates.list.title_region", region=region)]
    if page.total == 0:
        lines += ["", t(language, "dates.list.empty_region" if region else "dates.list.empty_all")]
    else:
        count = tn(language, "dates.list.count", page.total)
        if page.page_count > 1:
            count += " · " + t(
                language, "dates.list.page", page=page.page + 1, pages=page.page_count
            )
        lines.append(count)
        for workshop in page.items:
            item = t(
                language,
                "dates.list.item",
                marker=_marker(language, workshop),
                when=short_when(language, workshop.starts_at, tz, workshop.time_known),
                region=region_of(language, workshop),
                title=title_of(language, workshop),
            )
            lines += ["", item]
        lines += ["", t(language, "dates.list.pick")]
    if subscribed:
        lines += ["", t(language, "dates.list.subscribed")]
    return "\n".join(lines)


def detail_view(
    language: str,
    workshop: Workshop,
    tz: ZoneInfo,
    state: UserWorkshopState,
    now: dt.datetime,
    note: str | None = None,
) -> str:
    """The detail with what the user should know now (running, over, subscribed), under a note."""
    extra = []
    if workshop.ends_at <= now:
        extra.append(t(language, "dates.detail.over"))
    elif workshop.starts_at <= now and workshop.status != "cancelled":
        extra.append(t(language, "dates.detail.running"))
    elif state.registration == "confirmed" and not state.follows:
        extra.append(t(language, "dates.detail.reminded"))
    if state.subscribed_region:
        extra.append(t(language, "dates.detail.subscribed", region=region_of(language, workshop)))
    parts = [note, ""] if note else []
    parts.append(detail(language, workshop, tz, state))
    if extra:  # right under the "you are registered" lines, if there are any
        mine = state.registration is not None or state.follows
        parts += [*([] if mine else [""]), *extra]
    return "\n".join(parts)


def consent(language: str, workshop: Workshop, tz: ZoneInfo, name: str) -> str:
    """Exactly what registering passes on, asked before anything is stored."""
    lines = [
        t(
            language,
            "dates.consent",
            title=title_of(language, workshop),
            when=workshop_when(language, workshop, tz),
            name=name,
        )
    ]
    if workshop.is_full:
        lines += ["", t(language, "dates.consent_waiting")]
    lines += ["", t(language, "dates.consent_name"), t(language, "dates.consent_note")]
    return "\n".join(lines)


def my_dates(
    language: str,
    registrations: Sequence[tuple[Workshop, str, int | None]],
    reminders: Sequence[Workshop],
    regions: Sequence[str],
    tz: ZoneInfo,
) -> str:
    """/meine_termine: registrations, reminders, subscriptions (numbered like the buttons)."""
    if not (registrations or reminders or regions):
        return t(language, "dates.mine.title") + "\n\n" + t(language, "dates.mine.empty")
    lines = [t(language, "dates.mine.title")]
    number = 0
    for key, items in (("registrations", registrations), ("reminders", reminders)):
        if not items:
            continue
        lines += ["", t(language, f"dates.mine.{key}")]
        for item in items[:MINE_LIMIT]:
            number += 1
            lines.append(_mine_line(language, number, item, tz))
        if len(items) > MINE_LIMIT:
            lines.append(t(language, "dates.mine.more", count=len(items) - MINE_LIMIT))
    if regions:
        lines += ["", t(language, "dates.mine.regions")]
        lines += [t(language, "dates.mine.region", region=name) for name in regions]
    lines += ["", t(language, "dates.mine.hint")]
    return "\n".join(lines)


def _mine_line(
    language: str, number: int, item: Workshop | tuple[Workshop, str, int | None], tz: ZoneInfo
) -> str:
    workshop = item if isinstance(item, Workshop) else item[0]
    title = shorten(title_of(language, workshop), 80)
    start = short_when(language, workshop.starts_at, tz, workshop.time_known)
    if isinstance(item, Workshop):
        return t(language, "dates.mine.reminder", number=number, title=title, when=start)
    _, status, position = item
    key = "cancelled" if workshop.status == "cancelled" else status
    status_text = Html(t(language, f"dates.mine.status.{key}", position=position or 0))
    return t(
        language,
        "dates.mine.registration",
        number=number,
        title=title,
        when=start,
        status=status_text,
    )
