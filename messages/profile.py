"""/profil: a contact's public profile as citizens will see it, and the consent to show it."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from messages.catalog import t
from messages.render import dialogue_text

FIELDS = ("name", "organisation", "email", "phone")


def public_lines(language: str, values: dict[str, str]) -> list[str]:
    """The profile exactly as citizens see it: name and organisation, e-mail, phone."""
    none = t(language, "staff.none")
    name = values.get("name") or none
    organisation = values.get("organisation")
    if organisation:
        lines = [t(language, "wg.idea.contact_org", name=name, organisation=organisation)]
    else:
        lines = [t(language, "wg.idea.contact", name=name)]
    lines.append(t(language, "profile.email", value=values.get("email") or none))
    lines.append(t(language, "profile.phone", value=values.get("phone") or none))
    return lines


def overview(
    language: str,
    region: str,
    values: dict[str, str],
    published_at: dt.datetime | None,
    tz: ZoneInfo,
    *,
    changed: bool,
    note: str = "",
) -> str:
    """The profile: published or not, what citizens will see, the statement."""
    lines = [note, ""] if note else []
    lines.append(t(language, "profile.title", region=region))
    if published_at is not None:
        day = published_at.astimezone(tz).strftime("%d.%m.%Y %H:%M")
        lines.append(t(language, "profile.published", when=day))
    else:
        lines.append(t(language, "profile.not_published"))
    if changed:
        lines.append(t(language, "profile.changed"))
    lines += ["", t(language, "profile.shown_as"), *public_lines(language, values)]
    lines += ["", t(language, "profile.statement")]
    return "\n".join(lines)


def consent(language: str, region: str, values: dict[str, str]) -> str:
    """The explicit step: exactly what will be shown, to whom, and how to withdraw it."""
    return "\n".join(
        [
            t(language, "profile.consent.title", region=region),
            "",
            *public_lines(language, values),
            "",
            t(language, "profile.consent.text"),
        ]
    )


def ask(language: str, field: str, current: str, error: str = "", **params: object) -> str:
    """The question for one field, with what it holds now."""
    return dialogue_text(
        t(language, "profile.head"),
        error,
        t(language, f"profile.ask.{field}", **params),
        t(language, "staff.current", value=current or t(language, "staff.none")),
    )
