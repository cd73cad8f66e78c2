"""Content in the reader's language: the English version where there is one, else the German.

Ideas, challenges, regions and workshops are written in German; some carry an English version
(issue: "shown where present, otherwise the German text marked '(in German)'"). Every view that
shows such content goes through here, so an English reader is never shown German unmarked.
"""

from __future__ import annotations

from messages.catalog import shorten, t


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


def region_name(language: str, name: str, name_en: str | None) -> str:
    """A region's name for the reader: the English one where it differs (a proper name, so
    the German one is never marked)."""
    return name_en if language == "en" and name_en else name


def content_label(language: str, german: str, english: str | None, limit: int = 60) -> str:
    """A button label for content (an idea's title…): shortened so that the marker of German
    shown to an English reader always fits."""
    text, fallback = pick(language, german, english)
    if not fallback:
        return shorten(text, limit)
    marker = t(language, "content.in_german")
    return f"{shorten(text, limit - len(marker) - 1)} {marker}"


def localized_long(language: str, german: str, english: str | None) -> str:
    """A longer text (a description, a report) in the reader's language; German for an English
    reader is marked at its start, where shortening it to fit cannot cut the marker off."""
    text, fallback = pick(language, german, english)
    if fallback:
        return f"{t(language, 'content.in_german')} {text}"
    return text
