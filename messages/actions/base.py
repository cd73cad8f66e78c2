"""Callback data: a small versioned format ("1|code|arg|…"), built and parsed only here.

An action is declared once, as a class with its code and typed fields:

    class ShowIdea(Action, code="i"):
        idea_id: int
        list_kind: Literal["r", "c"]

Declaring it registers it. Actions that carry the same leading fields share them as a payload,
declared once; its fields come first on the wire, in their order:

    class OnIdea(Action, payload=True):
        idea_id: int

    class RateIdea(OnIdea, code="rt"): ...

An `int` field takes 0 ≤ n < MAX_ID, or the range given with
`Annotated[int, range(…)]`; a text field lists its allowed values as `Literal[…]`, or, where
they are known only at run time (the kinds of moderated content), takes a short lowercase
word, `Annotated[str, Word(…)]`, that its handler checks. Anything else in a button's data
parses as None: stale or forged.
"""

from __future__ import annotations

import types
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import (
    Annotated,
    Any,
    ClassVar,
    Literal,
    Union,
    dataclass_transform,
    get_args,
    get_origin,
    get_type_hints,
)

VERSION = "1"
MAX_BYTES = 64
MAX_ID = 10**12
_IDS = range(0, MAX_ID)
# Unix seconds up to the end of year 9999, the last moment a datetime can hold: a field of
# this type never makes fromtimestamp() raise.
UnixTime = Annotated[int, range(0, 253_402_300_800)]


@dataclass(frozen=True)
class Word:
    """A text field of 1 to `longest` lowercase ASCII letters: `Annotated[str, Word(…)]`.

    For values registered at run time, which the handler checks (an unknown one is treated
    like a stale button); `example` is a valid value, for tests.
    """

    longest: int
    example: str

    def accepts(self, raw: str) -> bool:
        """Whether raw is such a word."""
        return 0 < len(raw) <= self.longest and raw.isascii() and raw.isalpha() and raw.islower()


@dataclass(frozen=True)
class FieldSpec:
    """One field of an action: its name and what it accepts (numbers, one of the texts, a word)."""

    name: str
    numbers: range | None  # for int fields
    texts: tuple[str, ...] | None  # for Literal fields, in declared order
    word: Word | None = None  # for Annotated[str, Word(…)] fields


_REGISTRY: dict[str, type[Action]] = {}


@dataclass_transform(frozen_default=True)
class Action:
    """Base of every button action; `class X(Action, code="…")` declares and registers one."""

    CODE: ClassVar[str] = ""
    SPEC: ClassVar[tuple[FieldSpec, ...]] = ()

    def __init_subclass__(cls, *, code: str = "", payload: bool = False, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if payload:  # fields shared by several actions, declared once; never sent itself
            if code or cls.CODE:
                raise TypeError(f"{cls.__name__}: a payload has no code and no coded base")
            dataclass(frozen=True)(cls)
            return
        if code in _REGISTRY:
            raise ValueError(f"callback code {code!r} is taken by {_REGISTRY[code].__name__}")
        if not code or "|" in code:
            raise ValueError(f"invalid callback code {code!r}")
        dataclass(frozen=True)(cls)
        cls.CODE = code
        cls.SPEC = _spec(cls)
        _REGISTRY[code] = cls
        _parse.cache_clear()

    def encode(self) -> str:
        """The callback_data string for this action."""
        if not self.CODE:
            raise TypeError(f"{type(self).__name__} is a payload, not an action to send")
        parts = [VERSION, self.CODE, *(str(getattr(self, f.name)) for f in self.SPEC)]
        data = "|".join(parts)
        if len(data) * 4 > MAX_BYTES and len(data.encode()) > MAX_BYTES:  # 4: UTF-8's widest
            raise ValueError(f"callback data too long: {data!r}")
        return data


def _spec(cls: type[Action]) -> tuple[FieldSpec, ...]:
    """The fields of an action class from its annotations; TypeError for an unsupported type."""
    hints = get_type_hints(cls, include_extras=True)
    found = []
    for name in cls.__dataclass_fields__:  # type: ignore[attr-defined]
        hint = hints[name]
        if hint is int:
            found.append(FieldSpec(name, _IDS, None))
        elif get_origin(hint) is Annotated and get_args(hint)[0] is int:
            numbers = next(a for a in get_args(hint)[1:] if isinstance(a, range))
            found.append(
                FieldSpec(name, range(max(numbers.start, 0), min(numbers.stop, MAX_ID)), None)
            )
        elif _literal_texts(hint):
            found.append(FieldSpec(name, None, _literal_texts(hint)))
        elif get_origin(hint) is Annotated and get_args(hint)[0] is str:
            word = next((a for a in get_args(hint)[1:] if isinstance(a, Word)), None)
            if word is None or not word.accepts(word.example):
                raise TypeError(f"{cls.__name__}.{name}: a text field is a Literal or a Word")
            found.append(FieldSpec(name, None, None, word))
        else:
            raise TypeError(
                f"{cls.__name__}.{name}: use int, Annotated[int, range], Literal or a Word"
            )
    return tuple(found)


def _literal_texts(hint: object) -> tuple[str, ...]:
    """The texts of Literal[...] (also a union of Literals); () for any other type."""
    if get_origin(hint) is Literal:
        values = get_args(hint)
    elif get_origin(hint) in (Union, types.UnionType):
        values = tuple(v for part in get_args(hint) for v in _literal_texts(part))
    else:
        return ()
    if not all(isinstance(v, str) and v and "|" not in v for v in values):
        return ()
    return values


def registry() -> Mapping[str, type[Action]]:
    """Every declared action by its code (all of them once `messages.actions` is imported)."""
    return types.MappingProxyType(_REGISTRY)


def parse(data: object) -> Action | None:
    """The action a button carries, or None for anything malformed, stale or forged."""
    if not isinstance(data, str):
        return None
    return _parse(data)


@lru_cache(maxsize=4096)
def _parse(data: str) -> Action | None:
    """parse() for strings; cached, since every button handler's check asks again."""
    if len(data.encode()) > MAX_BYTES:
        return None
    parts = data.split("|")
    if len(parts) < 2 or parts[0] != VERSION or parts[1] not in _REGISTRY:
        return None
    cls = _REGISTRY[parts[1]]
    if len(parts) - 2 != len(cls.SPEC):
        return None
    values: dict[str, object] = {}
    for field, raw in zip(cls.SPEC, parts[2:], strict=True):
        if field.numbers is not None:
            if not (raw.isascii() and raw.isdigit()) or len(raw) > 13:
                return None
            number = int(raw)
            if number not in field.numbers:
                return None
            values[field.name] = number
        elif (field.texts is not None and raw in field.texts) or (
            field.word is not None and field.word.accepts(raw)
        ):
            values[field.name] = raw
        else:
            return None
    return cls(**values)
