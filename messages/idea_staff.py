"""Staff's screens for one idea (manage menu, news, status, archive) and the followers' notices.

The status of an idea is named as citizens read it (messages.ideas.status_name).
"""

from __future__ import annotations

import html

from babel.dates import format_date

from messages import actions as cb
from messages.catalog import Html, t, tn
from messages.content import localized
from messages.ideas import status_name
from messages.keyboards import Keyboard, keyboard
from messages.render import label, shorten
from messages.render import prompt as prompt  # the idea dialogues ask through this module
from storage.models import Idea, IdeaSummary, Page

MAX_TITLE = 120  # imported titles may be longer: quoted in notices and headers at most this
_LOCALES = {"de": "de_DE", "en": "en_GB"}


def title_of(language: str, idea: Idea | IdeaSummary) -> str:
    """The idea's title in the reader's language (German marked for English readers), short."""
    return shorten(localized(language, idea.title, idea.title_en), MAX_TITLE)


def open_idea(language: str, idea: Idea) -> Keyboard:
    """The button under a notice that opens the idea."""
    action = cb.ShowIdea(idea.id, "r", idea.region_id or 0, 0)
    return keyboard([[(label(language, "idea_staff.button.open_idea"), action)]])


def _notice(language: str, key: str, idea: Idea, **params: object) -> str:
    text = t(language, f"idea_staff.notice.{key}", title=title_of(language, idea), **params)
    return f"{text}\n\n{t(language, 'idea_staff.notice.why')}"


def news_notice(language: str, idea: Idea, text: str) -> tuple[str, Keyboard | None]:
    """What followers get when news is posted (staff write German: marked for English)."""
    body = localized(language, text, None)
    return _notice(language, "news", idea, text=body), open_idea(language, idea)


def status_notice(language: str, idea: Idea, status: str, note: str) -> tuple[str, Keyboard | None]:
    """What followers get when the status changes, with the note if there is one."""
    name = Html(f"<b>{html.escape(status_name(language, status))}</b>")
    if note:
        text = _notice(
            language, "status_note", idea, status=name, note=localized(language, note, None)
        )
    else:
        text = _notice(language, "status", idea, status=name)
    return text, open_idea(language, idea)


def archive_notice(language: str, idea: Idea, reason: str | None) -> tuple[str, Keyboard | None]:
    """What followers get when the idea is archived (reason given) or restored (None)."""
    if reason is None:
        return _notice(language, "restored", idea), open_idea(language, idea)
    # No button: the idea's page would only say that it is archived.
    return _notice(language, "archived", idea, reason=localized(language, reason, None)), None


def followers(language: str, count: int) -> str:
    """How many followers a change reaches."""
    if count == 0:
        return t(language, "idea_staff.followers.none")
    return tn(language, "idea_staff.followers", count)


def header(language: str, task: str, idea: Idea) -> str:
    """The dialogue's name and the idea it is about."""
    return t(language, f"idea_staff.head.{task}", title=title_of(language, idea))


def menu(language: str, idea: Idea, note: str = "") -> str:
    """The manage menu: the idea's facts for staff."""
    lines = [note, ""] if note else []
    lines += [
        header(language, "menu", idea),
        t(
            language,
            "idea_staff.menu.facts",
            region=idea.region_name or t(language, "idea.not_given"),
            status=status_name(language, idea.status),
        ),
        followers(language, idea.follower_count),
    ]
    if idea.archived_at is not None:
        day = format_date(idea.archived_at, "medium", locale=_LOCALES.get(language, "de_DE"))
        lines += [
            "",
            t(language, "idea_staff.menu.archived", date=day, reason=idea.archived_reason or ""),
        ]
    lines += ["", t(language, "idea_staff.menu.what")]
    return "\n".join(lines)


def preview(language: str, notice: str, count: int) -> str:
    """The notice exactly as the followers will get it, and how many they are."""
    return "\n\n".join([t(language, "idea_staff.preview"), notice, followers_told(language, count)])


def problem(language: str, key: str, **params: object) -> str:
    """Why an answer was not taken."""
    return "⚠️ " + t(language, f"staff.error.{key}", **params)


def archived_list(language: str, page: Page) -> str:
    """The heading of /archiv."""
    if page.total == 0:
        return t(language, "idea_staff.archive_list.empty")
    lines = [tn(language, "idea_staff.archive_list.title", page.total)]
    if page.page_count > 1:
        lines.append(t(language, "ideas.page", page=page.page + 1, pages=page.page_count))
    lines += ["", t(language, "idea_staff.archive_list.pick")]
    return "\n".join(lines)


def followers_told(language: str, count: int) -> str:
    """How many followers were told (queued notices)."""
    if count == 0:
        return t(language, "idea_staff.told.none")
    return tn(language, "idea_staff.told", count)


def state_note(language: str, idea: Idea) -> str:
    """Why a task is not offered: the idea is archived (or it is not)."""
    return "⚠️ " + t(
        language, "idea_staff.is_archived" if idea.archived else "idea_staff.not_archived"
    )
