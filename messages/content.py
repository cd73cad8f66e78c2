"""Content in the reader's language: the English version where there is one, else the German.

Ideas, challenges, regions and workshops are written in German; some carry an English version
(issue: "shown where present, otherwise the German text marked '(in German)'"). Every view that
shows such content goes through here, so an English reader is never shown German unmarked.
"""

from __future__ import annotations

from messages.catalog import t


def pick(language: str, german: str, english: str | None) -> tuple[str, bool]:
    """The text to show, and whether it is the German text shown to an English reader."""
    if language == "en":
        if english:
            return english, False
        return german, bool(german)
    return german, False


def localized(language: str, german: str, english: str | None, *, mark: bool = True) -> str:
    """The text in the reader's language; German shown to an English reader is marked."""
    text, fallback = pick(language, german, english)
    if fallback and mark:
        return f"{text} {t(language, 'content.in_german')}"
    return text
