"""Keyed text catalogs (YAML files per language and feature) with HTML-safe parameters."""

from __future__ import annotations

import html
import string
from collections.abc import Mapping
from functools import cache
from importlib import resources
from typing import Any

import yaml
from babel import Locale

LANGUAGES = ("de", "en")
DEFAULT_LANGUAGE = "de"
# A field written {name:short} in a catalog text quotes what someone typed („… ist keine gültige
# E-Mail-Adresse“): t() shows at most this many characters of it. Input can be as long as a
# message (4096) or longer, and a reply quoting it whole would be refused by Telegram.
QUOTED = "short"
QUOTE_LIMIT = 60


class Html(str):
    """A parameter that is already valid Telegram HTML and must not be escaped again."""

    __slots__ = ()


def _flatten(prefix: str, node: Any, out: dict[str, str]) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            _flatten(f"{prefix}.{key}" if prefix else str(key), value, out)
    elif isinstance(node, str):
        out[prefix] = node.rstrip("\n")
    else:
        raise TypeError(f"catalog entry {prefix!r} must be text, not {type(node).__name__}")


@cache
def catalog(language: str) -> Mapping[str, str]:
    """All texts of one language, keyed by dotted names (merged from locales/<language>/*.yaml)."""
    out: dict[str, str] = {}
    folder = resources.files("messages.locales").joinpath(language)
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".yaml"):
            continue
        part: dict[str, str] = {}
        _flatten("", yaml.safe_load(entry.read_text("utf-8")), part)
        clash = set(part) & set(out)
        if clash:
            raise ValueError(f"{language}/{entry.name} repeats keys {sorted(clash)}")
        out.update(part)
    return out


def shorten(text: str, limit: int) -> str:
    """Cut text to limit characters at a word boundary, with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:-–") + "…"


@cache
def _templates(language: str) -> Mapping[str, tuple[str, frozenset[str]]]:
    """Each text as a format string without field specs, and the names of its quoted fields."""
    out: dict[str, tuple[str, frozenset[str]]] = {}
    for key, text in catalog(language).items():
        parts: list[str] = []
        quoted: set[str] = set()
        for literal, name, spec, conversion in string.Formatter().parse(text):
            parts.append(literal.replace("{", "{{").replace("}", "}}"))
            if name is None:
                continue
            if conversion or spec not in ("", QUOTED):
                raise ValueError(f"catalog entry {language}:{key}: unknown field in {text!r}")
            if spec == QUOTED:
                quoted.add(name)
            parts.append("{" + name + "}")
        out[key] = ("".join(parts), frozenset(quoted))
    return out


def placeholders(text: str) -> set[str]:
    """The {names} used in a catalog text."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def _escape(value: object) -> str:
    if isinstance(value, Html):
        return str(value)
    return html.escape(str(value), quote=False)


def _quote(value: object) -> str:
    if isinstance(value, Html):
        raise TypeError("a quoted field shows typed text, not HTML")
    return html.escape(shorten(str(value), QUOTE_LIMIT), quote=False)


def t(language: str, key: str, /, **params: object) -> str:
    """The text for key in language; parameters are HTML-escaped unless wrapped in Html.

    Fields marked {name:short} are shortened to QUOTE_LIMIT characters first.
    """
    language = language if language in LANGUAGES else DEFAULT_LANGUAGE
    templates = _templates(language)
    if key not in templates and "count" in params:
        # A text with plural forms (key.one, key.other): its {count} chooses the form, so a
        # caller never has to know which texts count things.
        key = _plural_key(language, key, params["count"])
    template, quoted = templates[key]
    return template.format_map(
        {
            name: _quote(value) if name in quoted else _escape(value)
            for name, value in params.items()
        }
    )


@cache
def _locale(language: str) -> Locale:
    """Babel's locale, parsed once (parsing it is most of what a plural form costs)."""
    return Locale.parse(language)


def _plural_key(language: str, key: str, count: object) -> str:
    """The form of a plural text (key.one, key.other, …) for count, by CLDR's plural rules."""
    if not isinstance(count, int):
        raise TypeError(f"{key}: count must be a number, not {type(count).__name__}")
    form = _locale(language).plural_form(count)
    texts = catalog(language)
    return f"{key}.{form}" if f"{key}.{form}" in texts else f"{key}.other"


def tn(language: str, key: str, count: int, /, **params: object) -> str:
    """A text with plural forms (key.one, key.other) chosen by Babel's plural rules."""
    language = language if language in LANGUAGES else DEFAULT_LANGUAGE
    return t(language, _plural_key(language, key, count), count=count, **params)


def pick_language(chosen: str | None, telegram_code: str | None) -> str:
    """The user's chosen language, else their Telegram app's, else German."""
    if chosen in LANGUAGES:
        return chosen
    if telegram_code:
        base = telegram_code.split("-")[0].lower()
        if base in LANGUAGES:
            return base
        return "en" if base else DEFAULT_LANGUAGE
    return DEFAULT_LANGUAGE
