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
from storage.privacy import PersonalData

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
