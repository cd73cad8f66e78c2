"""Callback data: a small versioned format ("1|action|arg|…"), built and parsed only here."""

from __future__ import annotations

from dataclasses import dataclass, fields

VERSION = "1"
MAX_BYTES = 64
MAX_ID = 10**12


@dataclass(frozen=True)
class Action:
    """Base of every button action; subclasses define CODE and integer/str fields."""

    CODE = ""

    def encode(self) -> str:
        """The callback_data string for this action."""
        parts = [VERSION, self.CODE, *(str(getattr(self, f.name)) for f in fields(self))]
        data = "|".join(parts)
        if len(data.encode()) > MAX_BYTES:
            raise ValueError(f"callback data too long: {data!r}")
        return data


@dataclass(frozen=True)
class MainMenu(Action):
    """Show the main menu."""

    CODE = "m"


@dataclass(frozen=True)
class RegionList(Action):
    """Show all regions."""

    CODE = "r"


@dataclass(frozen=True)
class RegionIdeas(Action):
    """A page of a region's ideas; region_id 0 means ideas without a region."""

    CODE = "ri"
    region_id: int
    page: int


@dataclass(frozen=True)
class ChallengeList(Action):
    """Show all challenges."""

    CODE = "c"


@dataclass(frozen=True)
class ChallengeIdeas(Action):
    """A page of a challenge's ideas; challenge_id 0 means ideas without a challenge."""

    CODE = "ci"
    challenge_id: int
    page: int


@dataclass(frozen=True)
class ShowIdea(Action):
    """One idea; the back button returns to list ('r' or 'c'), list_id, page."""

    CODE = "i"
    idea_id: int
    list_kind: str
    list_id: int
    page: int


@dataclass(frozen=True)
class FindRegion(Action):
    """Explain how to find one's region."""

    CODE = "f"


@dataclass(frozen=True)
class LanguageMenu(Action):
    """Show the language choice."""

    CODE = "lm"


@dataclass(frozen=True)
class SetLanguage(Action):
    """Switch to a language."""

    CODE = "l"
    language: str


@dataclass(frozen=True)
class Help(Action):
    """Show the help."""

    CODE = "h"


@dataclass(frozen=True)
class About(Action):
    """Show the about text with data sources."""

    CODE = "a"


_ACTIONS: dict[str, type[Action]] = {
    cls.CODE: cls
    for cls in (
        MainMenu,
        RegionList,
        RegionIdeas,
        ChallengeList,
        ChallengeIdeas,
        ShowIdea,
        FindRegion,
        LanguageMenu,
        SetLanguage,
        Help,
        About,
    )
}
_CHOICES: dict[tuple[type[Action], str], frozenset[str]] = {
    (ShowIdea, "list_kind"): frozenset({"r", "c"}),
    (SetLanguage, "language"): frozenset({"de", "en"}),
}


def register(cls: type[Action], **choices: frozenset[str]) -> type[Action]:
    """Let a later feature module add its own actions (with allowed string values)."""
    if cls.CODE in _ACTIONS and _ACTIONS[cls.CODE] is not cls:
        raise ValueError(f"callback code {cls.CODE!r} is taken")
    _ACTIONS[cls.CODE] = cls
    for name, allowed in choices.items():
        _CHOICES[(cls, name)] = allowed
    return cls


def parse(data: object) -> Action | None:
    """The action a button carries, or None for anything malformed, stale or forged."""
    if not isinstance(data, str) or len(data.encode()) > MAX_BYTES:
        return None
    parts = data.split("|")
    if len(parts) < 2 or parts[0] != VERSION or parts[1] not in _ACTIONS:
        return None
    cls = _ACTIONS[parts[1]]
    spec = fields(cls)
    if len(parts) - 2 != len(spec):
        return None
    values: dict[str, object] = {}
    for f, raw in zip(spec, parts[2:], strict=True):
        if f.type in ("int", int):
            if not (raw.isascii() and raw.isdigit()) or len(raw) > 13 or int(raw) >= MAX_ID:
                return None
            values[f.name] = int(raw)
        else:
            allowed = _CHOICES.get((cls, f.name))
            if allowed is None or raw not in allowed:
                return None
            values[f.name] = raw
    return cls(**values)
