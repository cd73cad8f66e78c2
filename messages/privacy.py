"""Privacy views: the notice with the configured retention, the deletion prompt, the export."""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass

from babel.units import format_unit

from messages.catalog import t
from messages.comments import moment, window
from messages.render import MAX_TEXT, visible_len
from storage.models import PersonalData

_LOCALES = {"de": "de_DE", "en": "en_GB"}


@dataclass(frozen=True)
class Retention:
    """The configured periods in days (0: kept until the person deletes it)."""

    users: int
    registrations: int
    workshops: int
    comments: str  # "anonymise" or "remove"
    drafts: dt.timedelta  # IDEENLABOR_DRAFT_TTL
    comment_writes: dt.timedelta | None = None  # the longest anti-spam window (None: no limits)


def _span(language: str, span: dt.timedelta) -> str:
    """An exact duration in words: "24 Stunden", "90 Minuten", "7 Tage"."""
    seconds = int(span.total_seconds())
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60), ("second", 1)):
        if seconds % size == 0 and (unit != "day" or seconds >= 2 * size):
            locale = _LOCALES[language]
            return format_unit(seconds // size, f"duration-{unit}", length="long", locale=locale)
    raise AssertionError("unreachable: every duration is a whole number of seconds")


def _writes_kept(language: str, kept: dt.timedelta | None) -> str:
    if kept is None:
        return t(language, "privacy.notice.retention.comment_writes_off")
    return t(language, "privacy.notice.retention.comment_writes", window=window(language, kept))


def _period(language: str, key: str, days: int) -> str:
    if days <= 0:
        return t(language, f"privacy.notice.retention.{key}_off")
    return t(language, f"privacy.notice.retention.{key}", count=days)


def notice_parts(language: str, template: str, retention: Retention) -> list[str]:
    """The operator's notice with the retention filled in, in messages Telegram accepts.

    The template is Telegram HTML; {retention_users}, {retention_registrations},
    {retention_workshops}, {retention_drafts}, {retention_comment_writes} and
    {deleted_comments} are replaced (other braces stay as they are), and [[…]] fields
    left unfilled read "(not yet filled in)".
    Long notices are split between paragraphs (or lines), never inside one.
    """
    values = {
        "retention_users": _period(language, "users", retention.users),
        "retention_registrations": _period(language, "registrations", retention.registrations),
        "retention_workshops": _period(language, "workshops", retention.workshops),
        "retention_comment_writes": _writes_kept(language, retention.comment_writes),
        "deleted_comments": t(language, f"privacy.notice.comments.{retention.comments}"),
        "retention_drafts": t(
            language, "privacy.notice.retention.drafts", period=_span(language, retention.drafts)
        ),
    }
    text = template.strip()
    for name, value in values.items():
        text = text.replace("{" + name + "}", value)
    return split_message(_fill_unfilled(language, text))


def split_message(text: str) -> list[str]:
    """Split HTML text at blank lines (or, for a long paragraph, at line ends) into parts
    within Telegram's limit; a single line that is too long is an error of the template."""
    parts: list[str] = []
    current = ""
    for paragraph in text.split("\n\n"):
        for piece in _pieces(paragraph):
            candidate = f"{current}\n\n{piece}" if current else piece
            if visible_len(candidate) <= MAX_TEXT:
                current = candidate
                continue
            if current:
                parts.append(current)
            current = piece
    if current:
        parts.append(current)
    return parts


def _pieces(paragraph: str) -> list[str]:
    if visible_len(paragraph) <= MAX_TEXT:
        return [paragraph]
    lines = paragraph.split("\n")
    for line in lines:
        if visible_len(line) > MAX_TEXT:
            raise ValueError(f"a line of the privacy notice is too long: {line[:40]!r}…")
    pieces: list[str] = []
    current = ""
    for line in lines:
        candidate = f"{current}\n{line}" if current else line
        if visible_len(candidate) <= MAX_TEXT:
            current = candidate
        else:
            pieces.append(current)
            current = line
    return [*pieces, current] if current else pieces


# A field the operator fills in before going live: [[Anschrift]], [[E-Mail-Adresse]], …
_FIELD = re.compile(r"\[\[[^\n]*?\]\]")


def unfilled_fields(template: str) -> list[str]:
    """The [[…]] fields the operator has still to fill in (a stray `[[` counts as one)."""
    fields = list(dict.fromkeys(_FIELD.findall(template)))
    if "[[" in _FIELD.sub("", template):
        fields.append("[[")
    return fields


def _fill_unfilled(language: str, text: str) -> str:
    """Citizens never see the markers: an unfilled field reads as clearly unfinished."""
    unfilled = t(language, "privacy.notice.unfilled")
    return _FIELD.sub(unfilled, text).replace("[[", unfilled)


def delete_prompt(language: str, comments: str, writes_kept: dt.timedelta | None = None) -> str:
    """What /daten_loeschen will delete, before the person confirms."""
    what = t(language, f"privacy.notice.comments.{comments}")
    if writes_kept is not None:
        kept = t(language, "privacy.delete.writes_kept", window=window(language, writes_kept))
        what = f"{what} {kept}"
    return t(language, "privacy.delete.prompt", comments=what)


def delete_done(language: str, counted_until: dt.datetime | None, tz: object = None) -> str:
    """The confirmation of an erasure; says until when the anti-spam count is kept, if at all."""
    done = t(language, "privacy.delete.done")
    if counted_until is None:
        return done
    until = moment(language, counted_until, tz)
    return done + "\n\n" + t(language, "privacy.delete.writes_left", until=until)


def export_document(language: str, data: PersonalData, now: dt.datetime) -> bytes:
    """The export as a UTF-8 JSON file: an explanation, the moment, and every section."""
    document = {
        "about": t(language, "privacy.export.about"),
        "exported_at": now.astimezone(dt.UTC).isoformat(),
        "telegram_id": data.user_id,
        "data": data.sections,
    }
    return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")


# Sections counted in one line each (key of privacy.summary.*; None: the registrations of
# interest, which also say what was passed on), in the order the summary lists them.
_SIMPLE: tuple[tuple[str, str | None], ...] = (
    ("ratings.user_id", "ratings"),
    ("interest_registrations.user_id", None),
    ("registrations.user_id", "workshops"),
    ("workshop_followers.user_id", "reminders"),
    ("region_subscriptions.user_id", "subscriptions"),
    ("idea_followers.user_id", "follows"),
    ("proposals.user_id", "proposals"),
    ("proposal_writes.user_id", "proposal_writes"),
    ("comment_reports.user_id", "reports"),
    ("drafts.user_id", "drafts"),
    ("comment_writes.user_id", "writes"),
    ("outbox.chat_id", "messages"),
)
# Sections the summary describes one by one; every other section (a contact's or an admin's
# work: roles, invitations, the audit log, …) is counted together, with a pointer to the file.
_OWN_SECTIONS = frozenset({"users.telegram_id", "comments.user_id", *(s for s, _ in _SIMPLE)})
# What a person passed on with a registration of interest, in the order of the form.
_PASSED_ON = ("name", "email", "phone", "message")


def _when(value: object) -> dt.datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment_ = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment_ if moment_.tzinfo else moment_.replace(tzinfo=dt.UTC)


def _count(language: str, key: str, rows: list[dict[str, object]], **params: object) -> str:
    return t(language, f"privacy.summary.{key}", count=len(rows), **params)


def _profile(language: str, row: dict[str, object], tz: object) -> list[str]:
    """Language, first and last use, the name under comments."""
    chosen = row.get("language")
    if chosen in ("de", "en"):
        name = t(language, f"privacy.summary.language_name.{chosen}")
        spoken = t(language, "privacy.summary.language_chosen", name=name)
    else:
        spoken = t(language, "privacy.summary.language_telegram")
    lines = [spoken]
    first, last = _when(row.get("first_seen")), _when(row.get("last_seen"))
    if first is not None and last is not None:
        lines.append(
            t(
                language,
                "privacy.summary.seen",
                first=moment(language, first, tz),
                last=moment(language, last, tz),
            )
        )
    if row.get("comment_name") in ("first_name", "anonymous"):
        lines.append(t(language, f"privacy.summary.comment_name.{row['comment_name']}"))
    since = _when(row.get("news_since"))
    if since is not None:
        lines.append(t(language, "privacy.summary.news", since=moment(language, since, tz)))
    return lines


def _registrations(language: str, rows: list[dict[str, object]]) -> str:
    """Registrations of interest, and what went to the contacts with them."""
    given = [field for field in _PASSED_ON if any(row.get(field) for row in rows)]
    fields = ", ".join(t(language, f"privacy.summary.field.{field}") for field in given)
    withdrawn = sum(1 for row in rows if row.get("status") == "withdrawn")
    text = _count(language, "interest", rows, fields=fields)
    if withdrawn:
        text += " " + t(language, "privacy.summary.interest_withdrawn", count=withdrawn)
    return text


def export_summary(language: str, data: PersonalData, tz: object = None) -> list[str]:
    """/meine_daten in words: what is stored, how much, and what the person can do about it.

    One line per kind of data (never per row), so the summary stays short; split between
    paragraphs should it ever exceed Telegram's limit.
    """
    sections = data.sections
    if not sections:
        return [t(language, "privacy.summary.nothing")]
    lines: list[str] = []
    for row in sections.get("users.telegram_id", [])[:1]:
        lines.extend(_profile(language, row, tz))
    profile = len(lines)
    comments = sections.get("comments.user_id", [])
    if comments:
        waiting = sum(1 for row in comments if row.get("status") == "pending")
        line = _count(language, "comments", comments)
        if waiting:
            line += " " + t(language, "privacy.summary.comments_waiting", count=waiting)
        lines.append(line + " " + t(language, "privacy.summary.comments_do"))
    for section, key in _SIMPLE:
        rows = sections.get(section, [])
        if not rows:
            continue
        lines.append(_registrations(language, rows) if key is None else _count(language, key, rows))
    staff = sum(len(rows) for name, rows in sections.items() if name not in _OWN_SECTIONS)
    if staff:
        lines.append(t(language, "privacy.summary.staff", count=staff))
    body = "\n".join(f"• {line}" for line in lines)
    if len(lines) == profile:
        body += "\n\n" + t(language, "privacy.summary.nothing_else")
    return split_message(
        t(language, "privacy.summary.title")
        + "\n\n"
        + body
        + "\n\n"
        + t(language, "privacy.summary.footer")
    )
