"""Views as text: everything a handler sends is composed here from catalog keys."""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Callable, Sequence
from functools import lru_cache

from babel.dates import format_date

from messages.catalog import Html, shorten, t, tn
from messages.content import localized, pick, region_name
from storage.models import Challenge, Idea, Page, Place

MAX_TEXT = 4096
MAX_BUTTON_LABEL = 60


@lru_cache(maxsize=4096)  # the same few dates come up on every view (news, origins)
def date_long(language: str, day: dt.date) -> str:
    """A date written out in the user's language (Babel)."""
    return format_date(day, format="long", locale="de_DE" if language == "de" else "en_GB")


def fit(compose: Callable[[str], str], text: str, room: int = MAX_TEXT) -> str:
    """compose(text), or compose(the longest prefix of text + "…") that Telegram accepts."""
    full = compose(text)
    # A character is at most two UTF-16 units and tags only add: most texts fit for certain.
    if 2 * len(full) <= room or visible_len(full) <= room:
        return full
    low, high = 0, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        if visible_len(compose(text[:middle].rstrip() + "…")) <= room:
            low = middle
        else:
            high = middle - 1
    return compose(text[:low].rstrip() + "…")


def fitted(
    language: str, key: str, text: str, /, room: int = MAX_TEXT, tail: str = "", **params: object
) -> str:
    """The catalog text key (then tail) with its {text} cut ("…") only as far as room demands."""
    return fit(lambda cut: t(language, key, text=cut, **params) + tail, text, room)


def dialogue_text(head: str, error: str | None, *rest: str) -> str:
    """A dialogue's screen: its head, the problem with the last answer if any, the rest."""
    lines = [head, ""]
    if error:
        lines += [error, ""]
    return "\n".join([*lines, *rest])


def prompt(language: str, head: str, key: str, error: str = "", **params: object) -> str:
    """A dialogue question (key) under its head, after the problem with the last answer."""
    return dialogue_text(head, error, t(language, key, **params))


def button_label(text: str) -> str:
    """A button label short enough to read on a phone."""
    return shorten(text, MAX_BUTTON_LABEL)


def utf16_len(text: str) -> int:
    """Length as Telegram counts it (UTF-16 code units)."""
    return len(text.encode("utf-16-le")) // 2


def visible_len(markup: str) -> int:
    """Length of our HTML as the user sees it: tags dropped, entities resolved, UTF-16 units."""
    return utf16_len(html.unescape(re.sub(r"<[^>]*>", "", markup)))


def idea_list(language: str, title: str, page: Page, empty_key: str) -> str:
    """Header of an idea list page: title, count, page number."""
    lines = [f"<b>{html.escape(title, quote=False)}</b>", tn(language, "ideas.count", page.total)]
    if page.total == 0:
        lines.append("")
        lines.append(t(language, empty_key))
        return "\n".join(lines)
    if page.page_count > 1:
        lines[1] += " · " + t(language, "ideas.page", page=page.page + 1, pages=page.page_count)
    lines.append("")
    lines.append(t(language, "ideas.pick"))
    return "\n".join(lines)


def challenge_list(language: str, challenges: list[Challenge], without: int) -> str:
    """The five challenges, numbered, with idea counts."""
    lines = [t(language, "challenges.title"), ""]
    for number, challenge in enumerate(challenges, start=1):
        lines.append(
            t(
                language,
                "challenges.item",
                number=number,
                title=localized(language, challenge.title, challenge.title_en),
                count=challenge.idea_count,
            )
        )
    if without:
        lines.append(t(language, "challenges.none_assigned", count=without))
    lines += ["", t(language, "challenges.pick")]
    return "\n".join(lines)


def idea_detail(
    language: str,
    idea: Idea,
    social: str | None = None,
    *,
    facts: Sequence[str] = (),
    news: str | None = None,
) -> str:
    """The full idea in the reader's language, with optional HTML: `facts` under the region
    and challenge (status, origin), `social` and `news` under those; shortened to fit."""
    not_given = t(language, "idea.not_given")
    title = localized(language, idea.title, idea.title_en)
    region = (
        region_name(language, idea.region_name, idea.region_name_en)
        if idea.region_name
        else not_given
    )
    challenge = (
        localized(language, idea.challenge_title, idea.challenge_title_en)
        if idea.challenge_title
        else not_given
    )
    head = [
        f"<b>{html.escape(title, quote=False)}</b>",
        "",
        t(language, "idea.region", region=region),
        t(language, "idea.challenge", challenge=challenge),
    ]
    if idea.published_on:
        head.append(t(language, "idea.published", date=date_long(language, idea.published_on)))
    head += facts
    for block in (social, news):
        if block:
            head += ["", block]
    tail = []
    if idea.url:
        link = Html(
            f'<a href="{html.escape(idea.url, quote=True)}">{t(language, "idea.link_label")}</a>'
        )
        tail = ["", t(language, "idea.more", link=link)]
    summary_text = _marked(language, idea.summary, idea.summary_en)
    summary = [f"<i>{summary_text}</i>"] if summary_text else []
    body_text, body_german = pick(language, idea.body, idea.body_en)
    body_mark = f"{t(language, 'content.in_german')} " if body_german else ""

    def compose(body: str) -> str:
        parts = head + ([""] + summary if summary else []) + ([""] + [body] if body else []) + tail
        return "\n".join(parts)

    text = compose(body_mark + html.escape(body_text, quote=False) if body_text else "")
    # A character is at most two UTF-16 units and tags only add: most ideas fit for certain.
    if 2 * len(text) <= MAX_TEXT or visible_len(text) <= MAX_TEXT:
        return text
    marker = t(language, "idea.shortened")
    low, high = 0, len(body_text)  # the longest prefix of the body that still fits
    while low < high:
        middle = (low + high + 1) // 2
        candidate = body_mark + html.escape(body_text[:middle], quote=False) + marker
        if visible_len(compose(candidate)) <= MAX_TEXT:
            low = middle
        else:
            high = middle - 1
    return compose(body_mark + html.escape(body_text[:low].rstrip(), quote=False) + marker)


def _marked(language: str, german: str, english: str | None) -> str:
    """Content as HTML in the reader's language; German for an English reader marked first."""
    text, german_shown = pick(language, german, english)
    if not text:
        return ""
    mark = f"{t(language, 'content.in_german')} " if german_shown else ""
    return mark + html.escape(text, quote=False)


def place_label(language: str, place: Place) -> str:
    """A place with what it is: "Lünen (Kreis Unna)", "Raumland (Ortsteil von Bad Berleburg)"."""
    detail = t(language, f"find.kind.{place.kind}", detail=place.detail)
    if place.detail in ("", place.name) and place.kind != "region":
        return place.name
    if place.kind == "district" and place.detail.casefold() in place.name.casefold():
        return place.name  # „Kreis Soest“, „Hochsauerlandkreis“: the kind once
    return t(language, "find.place_in", place=place.name, detail=Html(detail))


def label(language: str, key: str, /, **params: object) -> str:
    """A button label from the catalog: plain text (buttons do not parse HTML), shortened."""
    return button_label(html.unescape(t(language, key, **params)))
