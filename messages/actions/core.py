"""Buttons everyone meets: the main menu, help, the language, leaving a dialogue, privacy."""

from __future__ import annotations

from typing import Literal

from messages.actions.base import Action, UnixTime

Language = Literal["de", "en"]


class MainMenu(Action, code="m"):
    """Show the main menu."""


class Help(Action, code="h"):
    """Show the help."""


class About(Action, code="a"):
    """Show the about text with data sources."""


class LanguageMenu(Action, code="lm"):
    """Show the language choice."""


class SetLanguage(Action, code="l"):
    """Switch to a language."""

    language: Language


class DialogCancel(Action, code="x"):
    """The cancel button of any dialogue."""


class ConfirmErase(Action, code="px"):
    """Yes, delete all my data; issued: when the prompt was shown (Unix seconds).

    A forged far-future time is stale (it parses as None), never a crash.
    """

    issued: UnixTime


class CancelErase(Action, code="pc"):
    """Keep my data."""
