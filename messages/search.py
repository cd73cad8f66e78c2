"""Views of „🔎 Ideen suchen“: the question, a page of results, nothing found."""

from __future__ import annotations

from messages import actions as cb
from messages.catalog import t, tn
from messages.content import localized
from messages.keyboards import Button, Keyboard, keyboard, menu_row, page_row
from messages.render import button_label, label
from storage.models import IdeaHit, Page
from storage.search import PAGE_SIZE, QUERY_KEPT
from storage.search_terms import MAX_QUERY_CHARS


def prompt(language: str, problem_key: str | None = None) -> str:
    """What to type (after what was wrong with the last answer, if anything)."""
    text = t(language, "search.prompt")
    if problem_key is None:
        return text
    return t(language, problem_key, limit=MAX_QUERY_CHARS) + "\n\n" + text


def prompt_keyboard(language: str) -> Keyboard:
    """Under the question: leave the search."""
    return keyboard([[(label(language, "dialog.cancel_button"), cb.DialogCancel())]])


def _item(language: str, number: int, hit: IdeaHit) -> str:
    title = localized(language, hit.title, hit.title_en)
    if hit.region_name is None:
        return t(language, "search.item_no_region", number=number, title=title)
    region = localized(language, hit.region_name, hit.region_name_en, mark=False)
    return t(language, "search.item", number=number, title=title, region=region)


def results(language: str, query: str, page: Page[IdeaHit]) -> str:
    """A page of results: the words, how many, the numbered ideas."""
    count = tn(language, "search.count", page.total)
    if page.page_count > 1:
        count += " · " + t(language, "ideas.page", page=page.page + 1, pages=page.page_count)
    first = page.page * PAGE_SIZE + 1
    lines = [t(language, "search.title", query=query), count, ""]
    lines += [_item(language, n, hit) for n, hit in enumerate(page.items, start=first)]
    lines += ["", t(language, "search.pick")]
    return "\n".join(lines)


def results_keyboard(language: str, query_id: int, page: Page[IdeaHit]) -> Keyboard:
    """One button per idea (back from it leads here), paging, a new search, the main menu."""
    first = page.page * PAGE_SIZE + 1
    rows: list[list[Button]] = [
        [
            (
                button_label(f"{n}. {localized(language, hit.title, hit.title_en, mark=False)}"),
                cb.ShowIdea(hit.id, "s", query_id, page.page),
            )
        ]
        for n, hit in enumerate(page.items, start=first)
    ]
    nav = page_row(language, page.page, page.page_count, lambda n: cb.SearchResults(query_id, n))
    rows += [nav, [(label(language, "button.new_search"), cb.SearchStart())], menu_row(language)]
    return keyboard(rows)


def nothing(language: str, query: str) -> str:
    """No idea has every word."""
    return t(language, "search.nothing", query=query)


def elsewhere_keyboard(language: str) -> Keyboard:
    """Where to go when a search found nothing (or expired)."""
    return keyboard(
        [
            [(label(language, "button.new_search"), cb.SearchStart())],
            [(label(language, "button.regions"), cb.RegionList())],
            [(label(language, "button.challenges"), cb.ChallengeList())],
            menu_row(language),
        ]
    )


def expired(language: str) -> str:
    """The search of an old result list is no longer kept."""
    return t(language, "search.expired", count=QUERY_KEPT.days)
