"""Citizens' views of comments and ratings: idea lines, lists, preview, reports, own comments."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable, Sequence
from zoneinfo import ZoneInfo

from babel.numbers import format_decimal

from messages.catalog import t, tn
from messages.comments import moment, window
from messages.content import localized
from messages.render import MAX_TEXT, shorten, visible_len
from storage.models import Comment, CommentPage, Idea, RatingSummary

ANONYMOUS = "anonymous"  # users.comment_name for "anonym"; else "first_name"
MAX_COMMENT = 2000  # the longest comment (CommentService's limit), for shortening searches
MY_SNIPPET = 300  # own comments are listed with their beginning only
TITLE_LIMIT = 80
_LOCALES = {"de": "de_DE", "en": "en_GB"}


def escape(text: str) -> str:
    """User text as Telegram HTML."""
    return html.escape(text, quote=False)


def author(language: str, comment: Comment) -> str:
    """The published name; "anonym" and "gelöschte Person" are stored in German and shown in
    the reader's language."""
    for key in ("comments.anonymous", "privacy.deleted_person"):
        if comment.author_name == t("de", key):
            return t(language, key)
    return comment.author_name


def published_name(choice: str, first_name: str) -> str:
    """The name a comment is stored under for a name choice."""
    name = first_name.strip()
    return name if choice != ANONYMOUS and name else t("de", "comments.anonymous")


def shown_name(language: str, choice: str, first_name: str) -> str:
    """The name a comment will appear under, in the reader's language."""
    name = published_name(choice, first_name)
    return t(language, "comments.anonymous") if name == t("de", "comments.anonymous") else name


def title(text: str) -> str:
    """An idea title as quoted in comment views (long ones shortened)."""
    return shorten(text, TITLE_LIMIT)


def stars_bar(stars: int) -> str:
    """★★★★☆ for 4."""
    return "★" * stars + "☆" * (5 - stars)


def idea_social(language: str, idea: Idea, rating: RatingSummary) -> str:
    """The idea view's lines on comments and ratings."""
    lines = [
        tn(language, "citizen.idea.comments", idea.comment_count)
        if idea.comment_count
        else t(language, "citizen.idea.no_comments")
    ]
    if rating.count and rating.average is not None:
        average = format_decimal(
            rating.average, format="0.0", locale=_LOCALES.get(language, "de_DE")
        )
        lines.append(tn(language, "citizen.idea.rating", rating.count, average=average))
    else:
        lines.append(t(language, "citizen.idea.not_rated"))
    if rating.mine:
        lines.append(
            t(language, "citizen.idea.mine", stars=stars_bar(rating.mine), number=rating.mine)
        )
    return "\n".join(lines)


def refusal(language: str, key: str, params: dict[str, object], tz: ZoneInfo) -> str:
    """Why a comment was not accepted (a comments.invalid.* text with its parameters)."""
    values = dict(params)
    if isinstance(values.get("window"), dt.timedelta):
        values["window"] = window(language, values["window"])  # type: ignore[arg-type]
    if isinstance(values.get("free_at"), dt.datetime):
        values["free_at"] = moment(language, values["free_at"], tz)  # type: ignore[arg-type]
    return t(language, key, **values)


def _quote(language: str, text: str, cap: int | None) -> str:
    if cap is not None and len(text) > cap:
        cut = escape(text[:cap].rstrip()) + t(language, "citizen.list.shortened")
        return f"<blockquote>{cut}</blockquote>"
    return f"<blockquote>{escape(text)}</blockquote>"


def _fit(compose: Callable[[int | None], str], first: int | None = None) -> tuple[str, int | None]:
    """Compose with every comment text cut to the largest length that fits one message."""
    text = compose(first)
    if visible_len(text) <= MAX_TEXT:
        return text, first
    low, high = 0, first if first is not None else MAX_COMMENT
    while low < high:  # the largest cap that fits
        middle = (low + high + 1) // 2
        if visible_len(compose(middle)) <= MAX_TEXT:
            low = middle
        else:
            high = middle - 1
    return compose(low), low


def _page_line(language: str, count_key: str, total: int, page: int, pages: int) -> str:
    line = tn(language, count_key, total)
    if pages > 1:
        line += " · " + t(language, "ideas.page", page=page + 1, pages=pages)
    return line


def comment_list(
    language: str, idea: Idea, page: CommentPage, tz: ZoneInfo, viewer: int, first: int
) -> tuple[str, list[bool]]:
    """A page of an idea's comments, numbered from first; also which ones had to be shortened."""
    head = [
        t(
            language,
            "citizen.list.title",
            idea=title(localized(language, idea.title, idea.title_en)),
        ),
        _page_line(language, "citizen.list.count", page.total, page.page, page.page_count),
    ]
    if not page.items:
        return "\n".join([*head, "", t(language, "citizen.list.empty")]), []

    def compose(cap: int | None) -> str:
        parts = ["\n".join(head)]
        for number, comment in enumerate(page.items, start=first):
            line = t(
                language,
                "citizen.list.item",
                number=number,
                author=author(language, comment),
                date=moment(language, comment.created_at, tz),
            )
            if comment.user_id == viewer:
                line += t(language, "citizen.list.own")
            parts.append(line + "\n" + _quote(language, comment.text, cap))
        return "\n\n".join(parts)

    text, cap = _fit(compose)
    return text, [cap is not None and len(c.text) > cap for c in page.items]


def comment_single(language: str, comment: Comment, tz: ZoneInfo, intro: str = "") -> str:
    """One comment in full (shortened only if it cannot fit), under an optional intro."""
    lines = [intro] if intro else []
    lines.append(t(language, "citizen.single.title", idea=title(comment.idea_title)))
    meta = t(
        language,
        "citizen.single.item",
        author=author(language, comment),
        date=moment(language, comment.created_at, tz),
    )

    def compose(cap: int | None) -> str:
        return "\n\n".join(lines + [meta + "\n" + _quote(language, comment.text, cap)])

    return _fit(compose)[0]


def name_question(language: str, first_name: str) -> str:
    """Ask once under which name the user comments."""
    return t(
        language,
        "citizen.write.name_question",
        first_name=shown_name(language, "first_name", first_name),
        anonymous=t(language, "comments.anonymous"),
    )


def revise_parts(language: str, text: str) -> list[str]:
    """The rejected comment to copy and rework (a comment of 2000 characters fits one message)."""
    return [t(language, "citizen.write.revise") + "\n\n" + _quote(language, text, None)]


def ask_text(
    language: str, idea_title: str, name: str, moderation: str, minimum: int, note: str = ""
) -> str:
    """Ask for the comment's text (after a problem, the explanation comes first)."""
    parts = [note] if note else []
    parts.append(
        t(
            language,
            "citizen.write.ask",
            idea=title(idea_title),
            name=name,
            minimum=minimum,
            maximum=MAX_COMMENT,
        )
    )
    if moderation == "pre":
        parts[-1] += " " + t(language, "citizen.write.pre_note")
    parts.append(t(language, "citizen.write.cancel_note"))
    return "\n\n".join(parts)


def preview(language: str, idea_title: str, name: str, text: str) -> list[str]:
    """The comment exactly as it will appear; two messages if one cannot hold it all."""
    hint = t(language, "citizen.write.preview_hint")
    quote = _quote(language, text, None)
    whole = "\n\n".join(
        [t(language, "citizen.write.preview", idea=title(idea_title), name=name), quote, hint]
    )
    if visible_len(whole) <= MAX_TEXT:
        return [whole]
    frame = t(language, "citizen.write.preview_above", idea=title(idea_title), name=name)
    return [quote, frame + "\n\n" + hint]


def idea_title(language: str, idea: Idea) -> str:
    """The idea's title in the reader's language (German marked for English readers)."""
    return localized(language, idea.title, idea.title_en)


def rate_prompt(language: str, idea: Idea, mine: int | None) -> str:
    """Ask for 1–5 stars."""
    text = t(
        language, "citizen.rate.ask", idea=title(localized(language, idea.title, idea.title_en))
    )
    if mine:
        text += "\n\n" + t(language, "citizen.rate.current", stars=mine)
    return text


def report_prompt(language: str, comment: Comment, tz: ZoneInfo) -> str:
    """Ask why a comment is reported (showing the comment)."""
    return comment_single(language, comment, tz, t(language, "citizen.report.ask"))


def my_comments(
    language: str,
    items: Sequence[Comment],
    total: int,
    page: int,
    pages: int,
    tz: ZoneInfo,
    name: str | None,
    first: int,
    intro: str = "",
) -> str:
    """A page of the user's own comments (numbered from first) with idea, date and status."""
    head = [intro, ""] if intro else []
    head += [
        t(language, "citizen.mine.title"),
        _page_line(language, "citizen.mine.count", total, page, pages),
    ]
    if name:
        head.append(t(language, "citizen.mine.name", name=name))
    if not items:
        return "\n".join([*head, "", t(language, "citizen.mine.empty")])

    def compose(cap: int | None) -> str:
        parts = ["\n".join(head)]
        for number, comment in enumerate(items, start=first):
            line = t(
                language,
                "citizen.mine.item",
                number=number,
                idea=title(comment.idea_title),
                date=moment(language, comment.created_at, tz),
                status=t(language, f"comments.status.{comment.status}"),
            )
            parts.append(line + "\n" + _quote(language, comment.text, cap))
        return "\n\n".join(parts)

    return _fit(compose, MY_SNIPPET)[0]


def delete_confirm(language: str, comment: Comment, tz: ZoneInfo) -> str:
    """Ask before deleting one's own comment."""
    return comment_single(language, comment, tz, t(language, "citizen.mine.confirm"))
