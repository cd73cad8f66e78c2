"""Dates and times typed by admins: German forms, time zone, DST, and precise refusals."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from bot.dates import DateInputError, localize, parse_date_time, parse_end, parse_time

BERLIN = ZoneInfo("Europe/Berlin")
NOW = dt.datetime(2026, 11, 25, 10, 0, tzinfo=dt.UTC)
MAY_12_14H = dt.datetime(2027, 5, 12, 12, 0, tzinfo=dt.UTC)  # 14:00 summer time


@pytest.mark.parametrize(
    "text",
    [
        "12.05.2027 14:00",
        "12.5.27 14 Uhr",
        "12.05.2027, 14:00 Uhr",
        "2027-05-12 14:00",
        "2027-05-12T14:00",
        "  12.05.2027    14:00  ",
        "12.05.2027 14.00",
        "12.05.2027 um 14 Uhr",
        "12.5.2027 14h",
        "12.05.2027,14:00",
        "Mi., 12.05.2027 14:00",
        "Mittwoch, 12.05.2027, 14:00 Uhr",
        "12.05. 14:00",  # without a year: the next 12 May
        "12.05.2027 14:00 UHR",
    ],
)
def test_common_german_forms(text: str) -> None:
    assert parse_date_time(text, BERLIN, NOW) == MAY_12_14H


def test_result_is_aware_utc() -> None:
    moment = parse_date_time("12.01.2027 14:00", BERLIN, NOW)
    assert moment.tzinfo is dt.UTC
    assert moment == dt.datetime(2027, 1, 12, 13, 0, tzinfo=dt.UTC)  # winter time: UTC+1


@pytest.mark.parametrize(
    ("text", "year"),
    [("12.5.27 14:00", 2027), ("1.1.30 9:00", 2030), ("24.12.26 18:00", 2026)],
)
def test_two_digit_years_are_this_century(text: str, year: int) -> None:
    assert parse_date_time(text, BERLIN, NOW).year == year


def test_a_day_without_year_that_has_passed_means_next_year() -> None:
    assert parse_date_time("01.02. 10:00", BERLIN, NOW).year == 2027
    assert parse_date_time("01.12. 10:00", BERLIN, NOW).year == 2026


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("31.02.2027 14:00", "invalid_date"),
        ("29.02.2027 14:00", "invalid_date"),
        ("32.01.2027 14:00", "invalid_date"),
        ("12.13.2027 14:00", "invalid_date"),
        ("00.05.2027 14:00", "invalid_date"),
        ("2027-02-30 14:00", "invalid_date"),
        ("12.05.2027 24:00", "invalid_time"),
        ("12.05.2027 14:60", "invalid_time"),
        ("12.05.2027", "missing_time"),
        ("2027-05-12", "missing_time"),
        ("morgen um zwei", "missing_time"),  # a time in digits, please
        ("", "unparsable"),
        ("14:00", "unparsable"),
        ("Blubb, 12.05.2027 14:00", "unparsable"),
        ("01.11.2026 10:00", "past"),
        ("25.11.2026 11:00", "past"),  # exactly now (11:00 in Berlin is 10:00 UTC)
        ("12.05.2099 14:00", "too_far"),
        ("Fr., 12.05.2027 14:00", "weekday_mismatch"),
    ],
)
def test_refusals_name_their_reason(text: str, reason: str) -> None:
    with pytest.raises(DateInputError) as caught:
        parse_date_time(text, BERLIN, NOW)
    assert caught.value.reason == reason
    assert isinstance(caught.value, ValueError)


def test_weekday_mismatch_names_the_day() -> None:
    with pytest.raises(DateInputError) as caught:
        parse_date_time("Freitag, 12.05.2027 14:00", BERLIN, NOW)
    assert caught.value.day == dt.date(2027, 5, 12)


def test_a_time_in_the_spring_forward_gap_does_not_exist() -> None:
    with pytest.raises(DateInputError) as caught:
        parse_date_time("28.03.2027 02:30", BERLIN, NOW)
    assert caught.value.reason == "nonexistent_time"
    assert parse_date_time("28.03.2027 03:00", BERLIN, NOW) == dt.datetime(
        2027, 3, 28, 1, 0, tzinfo=dt.UTC
    )


def test_an_ambiguous_autumn_time_is_refused_with_its_day() -> None:
    for text, language in (("31.10.2027 02:30", "de"), ("31 Oct 2027 2:30am", "en")):
        with pytest.raises(DateInputError) as caught:
            parse_date_time(text, BERLIN, NOW, language)
        assert (caught.value.reason, caught.value.day) == ("ambiguous_time", dt.date(2027, 10, 31))
    assert parse_date_time("31.10.2027 03:00", BERLIN, NOW) == dt.datetime(
        2027, 10, 31, 2, 0, tzinfo=dt.UTC
    )


MONDAY_10H = dt.datetime(2026, 12, 14, 9, 0, tzinfo=dt.UTC)  # Monday, 10:00 in Berlin


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("morgen 14 Uhr", "de", dt.datetime(2026, 12, 15, 14, 0)),
        ("morgen um 14.30 Uhr", "de", dt.datetime(2026, 12, 15, 14, 30)),
        ("Freitag 10:00", "de", dt.datetime(2026, 12, 18, 10, 0)),
        ("Freitag 10 Uhr", "de", dt.datetime(2026, 12, 18, 10, 0)),
        ("20. Januar 2027 14 Uhr", "de", dt.datetime(2027, 1, 20, 14, 0)),
        ("tomorrow 2pm", "en", dt.datetime(2026, 12, 15, 14, 0)),
        ("20 Jan 2027 14:00", "en", dt.datetime(2027, 1, 20, 14, 0)),
        ("next Friday at 10am", "en", dt.datetime(2026, 12, 18, 10, 0)),
        ("tomorrow 2pm", "de", dt.datetime(2026, 12, 15, 14, 0)),  # the other language too
        ("morgen 14 Uhr", "en", dt.datetime(2026, 12, 15, 14, 0)),
    ],
)
def test_dates_in_words_in_german_and_english(
    text: str, language: str, expected: dt.datetime
) -> None:
    moment = parse_date_time(text, BERLIN, MONDAY_10H, language)
    assert moment == expected.replace(tzinfo=BERLIN).astimezone(dt.UTC)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("morgen", "missing_time"),
        ("tomorrow", "missing_time"),
        ("heute 9 Uhr", "past"),
        ("Freitag 9", "missing_time"),  # the 9th? 9 o'clock? asked again
        ("irgendwann bald", "unparsable"),
        ("28 March 2027 2:30am", "nonexistent_time"),
        ("x" * 200, "unparsable"),
    ],
)
def test_dates_in_words_that_are_refused(text: str, reason: str) -> None:
    with pytest.raises(DateInputError) as caught:
        parse_date_time(text, BERLIN, MONDAY_10H, "de")
    assert caught.value.reason == reason


def test_dst_changes_the_utc_offset_between_seasons() -> None:
    before = parse_date_time("27.03.2027 14:00", BERLIN, NOW)
    after = parse_date_time("29.03.2027 14:00", BERLIN, NOW)
    assert (before.hour, after.hour) == (13, 12)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("18:00", dt.time(18, 0)),
        ("18 Uhr", dt.time(18, 0)),
        ("18.30", dt.time(18, 30)),
        ("um 9:05 Uhr", dt.time(9, 5)),
        ("  7  ", dt.time(7, 0)),
        ("18h", dt.time(18, 0)),
        ("0:00", dt.time(0, 0)),
    ],
)
def test_parse_time(text: str, expected: dt.time) -> None:
    assert parse_time(text) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("25:00", "invalid_time"),
        ("18:75", "invalid_time"),
        ("abends", "unparsable"),
        ("", "unparsable"),
    ],
)
def test_parse_time_refusals(text: str, reason: str) -> None:
    with pytest.raises(DateInputError) as caught:
        parse_time(text)
    assert caught.value.reason == reason


def test_end_as_a_time_on_the_same_local_day() -> None:
    assert parse_end("18:00", MAY_12_14H, BERLIN, NOW) == dt.datetime(
        2027, 5, 12, 16, 0, tzinfo=dt.UTC
    )


def test_end_on_the_same_local_day_even_when_utc_is_the_day_before() -> None:
    start = parse_date_time("12.05.2027 00:30", BERLIN, NOW)  # 11 May 22:30 UTC
    assert parse_end("04:00", start, BERLIN, NOW) == dt.datetime(2027, 5, 12, 2, 0, tzinfo=dt.UTC)


def test_end_as_a_full_date_and_time() -> None:
    end = parse_end("13.05.2027 12:00", MAY_12_14H, BERLIN, NOW)
    assert end == dt.datetime(2027, 5, 13, 10, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize("text", ["13:00", "14:00", "11.05.2027 18:00", "2 Uhr"])
def test_end_before_or_at_the_start_is_refused(text: str) -> None:
    with pytest.raises(DateInputError) as caught:
        parse_end(text, MAY_12_14H, BERLIN, NOW)
    assert caught.value.reason == "end_before_start"


def test_localize_refuses_gap_times() -> None:
    with pytest.raises(DateInputError):
        localize(dt.date(2027, 3, 28), dt.time(2, 0), BERLIN)
