"""Staff's forms for ideas: the questions of /neue_idee and of ✏️ Bearbeiten, the previews."""

from __future__ import annotations

import datetime as dt
from typing import Protocol

from messages.catalog import t
from messages.idea_staff import header
from messages.render import dialogue_text, fit, idea_detail, shorten
from storage.idea_lifecycle import IdeaFields
from storage.models import Idea

CURRENT_SHOWN = 300  # characters of the current value shown above the question


class TextLimitLike(Protocol):
    """How long a text may be (bot.services.staff.TextLimit)."""

    @property
    def min(self) -> int:
        """At least this many characters."""

    @property
    def max(self) -> int:
        """At most this many characters."""


def none(language: str) -> str:
    """An empty field."""
    return t(language, "staff.none")


def problem(language: str, key: str, **params: object) -> str:
    """Why an answer was not taken."""
    return "⚠️ " + t(language, f"staff.error.{key}", **params)


def edit_menu(language: str, idea: Idea, error: str = "") -> str:
    """The question which field to change."""
    return dialogue_text(header(language, "edit", idea), error, t(language, "idea_staff.edit.what"))


def field_prompt(
    language: str, idea: Idea, field: str, current: str, limit: TextLimitLike | None, error: str
) -> str:
    """The question for a field's new value, with what it holds now."""
    question = t(
        language,
        f"idea_staff.edit.ask.{field}",
        min=limit.min if limit else 0,
        max=limit.max if limit else 0,
    )
    now = t(language, "staff.current", value=shorten(current, CURRENT_SHOWN))
    return dialogue_text(header(language, "edit", idea), error, question, now)


def change_preview(language: str, idea: Idea, field: str, old: str, new: str) -> str:
    """The one change, before and after."""
    return dialogue_text(
        header(language, "edit", idea),
        "",
        t(language, "idea_staff.edit.preview", field=t(language, f"idea_staff.field.{field}")),
        t(language, "staff.before", value=shorten(old, CURRENT_SHOWN)),
        t(language, "staff.after", value=shorten(new, CURRENT_SHOWN)),
    )


def new_prompt(
    language: str, step: str, region: str, limit: TextLimitLike | None, error: str
) -> str:
    """A question of /neue_idee, under the dialogue's name (and the region once chosen)."""
    head = t(language, "idea_staff.head.new")
    if region:
        head = t(language, "idea_staff.head.new_in", region=region)
    question = t(
        language,
        f"idea_staff.new.ask.{step}",
        min=limit.min if limit else 0,
        max=limit.max if limit else 0,
    )
    return dialogue_text(head, error, question)


def new_preview(
    language: str,
    fields: IdeaFields,
    region: str,
    challenge: str | None,
    today: dt.date,
    error: str = "",
) -> str:
    """The would-be idea exactly as citizens will see it."""
    idea = Idea(
        id=0,
        slug="",
        title=fields.title,
        summary=fields.summary,
        body=fields.body,
        published_on=today,
        url=None,
        region_id=fields.region_id,
        region_name=region or None,
        region_slug=None,
        challenge_id=fields.challenge_id,
        challenge_title=challenge,
        origin="staff",
    )
    head = t(language, "idea_staff.new.preview")
    hint = t(language, "idea_staff.new.publish_hint")

    def compose(body: str) -> str:
        shown = idea_detail(language, idea.model_copy(update={"body": body}))
        return dialogue_text(head, error, shown, "", hint)

    # The preview's head and hint come on top of the idea: shorten its body to leave room.
    return fit(compose, fields.body)
