"""Checks of the audit log in words, shared by the audit tests."""

from __future__ import annotations

import html
import re


def plain(text: str) -> str:
    """What the reader sees: tags dropped, entities resolved."""
    return html.unescape(re.sub(r"<[^>]*>", "", text))


def assert_in_words(line: str) -> None:
    """No JSON, no raw keys: no braces, brackets, straight quotes or snake_case words."""
    assert not re.search(r'[{}\[\]"]|\b[a-z]+_[a-z_]+\b', line), line
