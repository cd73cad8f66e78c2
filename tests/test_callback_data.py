"""Callback data: round trip, 64-byte limit, garbage parses to None."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from messages import actions as cb

BIG = cb.MAX_ID - 1
EXAMPLES = [
    cb.MainMenu(),
    cb.RegionList(),
    cb.RegionIdeas(BIG, BIG),
    cb.ChallengeList(),
    cb.ChallengeIdeas(BIG, BIG),
    cb.ShowIdea(BIG, "r", BIG, BIG),
    cb.ShowIdea(1, "c", 2, 3),
    cb.FindRegion(),
    cb.LanguageMenu(),
    cb.SetLanguage("en"),
    cb.Help(),
    cb.About(),
    cb.MarkRevisionContacted(BIG, BIG),
    cb.MarkContacted(BIG),
]


@pytest.mark.parametrize("action", EXAMPLES, ids=lambda a: type(a).__name__)
def test_round_trip_within_64_bytes(action: cb.Action) -> None:
    data = action.encode()
    assert 1 <= len(data.encode()) <= cb.MAX_BYTES
    assert cb.parse(data) == action


@pytest.mark.parametrize(
    "data",
    [
        None,
        "",
        "garbage",
        "1",
        "2|m",
        "1|zz",
        "1|ri|1",
        "1|ri|1|2|3",
        "1|ri|-1|0",
        "1|ri|x|0",
        "1|ri|²|0",
        "1|i|1|x|1|1",
        "1|l|fr",
        "1|ri|99999999999999|0",
        "1|m|" + "x" * 70,
    ],
)
def test_malformed_data_is_invalid(data: object) -> None:
    assert cb.parse(data) is None


@given(st.text(max_size=80))
def test_any_text_parses_or_is_rejected_without_error(data: str) -> None:
    action = cb.parse(data)
    if action is not None:
        assert action.encode() == data


def largest(cls: type[cb.Action]) -> cb.Action:
    """The action with its largest numbers and its longest allowed texts."""
    values: dict[str, object] = {}
    for f in cls.SPEC:
        if f.numbers is not None:
            values[f.name] = f.numbers[-1]
        elif f.word is not None:
            values[f.name] = "z" * f.word.longest
        else:
            values[f.name] = max(f.texts or (), key=lambda text: len(text.encode()))
    return cls(**values)


@pytest.mark.parametrize("code", sorted(cb.registry()))
def test_every_action_round_trips_at_its_largest_values(code: str) -> None:
    action = largest(cb.registry()[code])
    data = action.encode()
    assert len(data.encode()) <= cb.MAX_BYTES
    assert cb.parse(data) == action
    assert code == type(action).CODE


def test_the_vocabulary_is_complete_and_codes_are_unique() -> None:
    assert len(cb.registry()) >= 74
    with pytest.raises(ValueError, match="is taken"):

        class Again(cb.Action, code="i"):
            idea_id: int


def test_a_text_field_must_list_its_values() -> None:
    with pytest.raises(TypeError, match="Literal"):

        class Free(cb.Action, code="zz-free"):
            text: str

    assert "zz-free" not in cb.registry()


def test_optional_fields_agree_with_the_admin_dialogues() -> None:
    from typing import get_args

    from handlers.admin_form import EMPTY

    assert set(EMPTY) == set(get_args(cb.OptionalField))
