"""Tests for bot.coach.when: the user's "when", read in their own zone."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.coach.when import AmbiguousWhen, WhenError, format_local, parse_clock_time, parse_when, parse_when_or_day

from .conftest import BERLIN, LONDON, NEW_YORK, NOW, SYDNEY, local, utc

# NOW is Tuesday 24 November 2026, 13:00 in Berlin (12:00 UTC).


def when(text: str, *, now: datetime = NOW, tz: ZoneInfo = BERLIN) -> datetime:
    return parse_when(text, now=now, tz=tz)


# --------------------------------------------------------------------------- the required phrases


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("today 2pm", local(BERLIN, 2026, 11, 24, 14, 0)),
        ("today at 14:00", local(BERLIN, 2026, 11, 24, 14, 0)),
        ("tomorrow 10:30", local(BERLIN, 2026, 11, 25, 10, 30)),
        ("tomorrow at 9am", local(BERLIN, 2026, 11, 25, 9, 0)),
        ("Thu 15:00", local(BERLIN, 2026, 11, 26, 15, 0)),
        ("thursday 3pm", local(BERLIN, 2026, 11, 26, 15, 0)),
        ("on Thursday at 3pm", local(BERLIN, 2026, 11, 26, 15, 0)),
        ("next monday 11am", local(BERLIN, 2026, 11, 30, 11, 0)),
        ("2 hours ago", NOW - timedelta(hours=2)),
        ("30 minutes ago", NOW - timedelta(minutes=30)),
        ("in 3 hours", NOW + timedelta(hours=3)),
        ("now", NOW),
        ("just now", NOW),
        ("Right now.", NOW),
        ("yesterday 4pm", local(BERLIN, 2026, 11, 23, 16, 0)),
        ("24 Nov 2pm", local(BERLIN, 2026, 11, 24, 14, 0)),
        ("Nov 24 14:00", local(BERLIN, 2026, 11, 24, 14, 0)),
        ("2026-11-24 14:00", local(BERLIN, 2026, 11, 24, 14, 0)),
        ("2026-11-24T14:00", local(BERLIN, 2026, 11, 24, 14, 0)),
        ("2026-11-24T14:00:30", local(BERLIN, 2026, 11, 24, 14, 0, 30)),
        ("noon", local(BERLIN, 2026, 11, 24, 12, 0)),
        ("tomorrow midnight", local(BERLIN, 2026, 11, 25, 0, 0)),
        ("tomorrow noon", local(BERLIN, 2026, 11, 25, 12, 0)),
    ],
)
def test_required_phrases(text: str, expected: datetime) -> None:
    result = when(text)
    assert result == expected
    assert result.tzinfo is UTC


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-24T14:00+01:00", utc(2026, 11, 24, 13, 0)),
        ("2026-11-24T14:00+0530", utc(2026, 11, 24, 8, 30)),
        ("2026-11-24T14:00-05:00", utc(2026, 11, 24, 19, 0)),
        ("2026-11-24T14:00Z", utc(2026, 11, 24, 14, 0)),
        ("2026-11-24 14:00+01", utc(2026, 11, 24, 13, 0)),
    ],
)
def test_iso_offset_is_respected_not_the_user_zone(text: str, expected: datetime) -> None:
    assert when(text, tz=NEW_YORK) == expected
    assert when(text, tz=SYDNEY) == expected


# --------------------------------------------------------------------------- more phrasings


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("an hour ago", NOW - timedelta(hours=1)),
        ("half an hour ago", NOW - timedelta(minutes=30)),
        ("an hour and a half ago", NOW - timedelta(minutes=90)),
        ("a couple of hours ago", NOW - timedelta(hours=2)),
        ("1h30m ago", NOW - timedelta(minutes=90)),
        ("2hrs ago", NOW - timedelta(hours=2)),
        ("two hours ago", NOW - timedelta(hours=2)),
        ("in 90 min", NOW + timedelta(minutes=90)),
        ("in an hour", NOW + timedelta(hours=1)),
        ("in 2 days", NOW + timedelta(days=2)),
        ("3 days ago", NOW - timedelta(days=3)),
        ("2pm tomorrow", local(BERLIN, 2026, 11, 25, 14, 0)),
        ("15:00 on thursday", local(BERLIN, 2026, 11, 26, 15, 0)),
        ("tomorrow 2 pm", local(BERLIN, 2026, 11, 25, 14, 0)),
        ("tomorrow 9 a.m.", local(BERLIN, 2026, 11, 25, 9, 0)),
        ("tomorrow 4:30pm", local(BERLIN, 2026, 11, 25, 16, 30)),
        ("tomorrow 14.30", local(BERLIN, 2026, 11, 25, 14, 30)),
        ("tomorrow 12am", local(BERLIN, 2026, 11, 25, 0, 0)),
        ("tomorrow 12pm", local(BERLIN, 2026, 11, 25, 12, 0)),
        ("Tomorrow, 10:30.", local(BERLIN, 2026, 11, 25, 10, 30)),
        ("24th of November 2026 at 9.30", local(BERLIN, 2026, 11, 24, 9, 30)),
        ("November the 25th 10am", local(BERLIN, 2026, 11, 25, 10, 0)),
        ("Nov 25, 2026 10am", local(BERLIN, 2026, 11, 25, 10, 0)),
        ("25 november 2026 10:00", local(BERLIN, 2026, 11, 25, 10, 0)),
        ("2026-11-25 9am", local(BERLIN, 2026, 11, 25, 9, 0)),
        ("day after tomorrow 10am", local(BERLIN, 2026, 11, 26, 10, 0)),
        ("day before yesterday 10am", local(BERLIN, 2026, 11, 22, 10, 0)),
        ("tonight 8", local(BERLIN, 2026, 11, 24, 20, 0)),
        ("tomorrow morning 8", local(BERLIN, 2026, 11, 25, 8, 0)),
        ("tomorrow at 3 in the afternoon", local(BERLIN, 2026, 11, 25, 15, 0)),
        ("this afternoon 3", local(BERLIN, 2026, 11, 24, 15, 0)),
        ("wednesday at 10 o'clock", local(BERLIN, 2026, 11, 25, 10, 0)),
        ("Fri 9:15am", local(BERLIN, 2026, 11, 27, 9, 15)),
    ],
)
def test_more_phrasings(text: str, expected: datetime) -> None:
    assert when(text) == expected


# --------------------------------------------------------------------------- the ambiguity rules


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Bare hours without am/pm are working-day hours.
        ("today at 4", local(BERLIN, 2026, 11, 24, 16, 0)),
        ("today at 7", local(BERLIN, 2026, 11, 24, 19, 0)),
        ("today at 1", local(BERLIN, 2026, 11, 24, 13, 0)),
        ("tomorrow at 8", local(BERLIN, 2026, 11, 25, 8, 0)),
        ("tomorrow at 11", local(BERLIN, 2026, 11, 25, 11, 0)),
        ("tomorrow at 12", local(BERLIN, 2026, 11, 25, 12, 0)),
        ("tomorrow at 17", local(BERLIN, 2026, 11, 25, 17, 0)),
        ("tomorrow 4:30", local(BERLIN, 2026, 11, 25, 16, 30)),
        ("tomorrow 9:30", local(BERLIN, 2026, 11, 25, 9, 30)),
        # A leading zero means the 24-hour clock.
        ("tomorrow 04:30", local(BERLIN, 2026, 11, 25, 4, 30)),
        ("tomorrow 0:30", local(BERLIN, 2026, 11, 25, 0, 30)),
        # Hints override the working-day rule.
        ("tomorrow morning at 7", local(BERLIN, 2026, 11, 25, 7, 0)),
        ("tomorrow evening at 9", local(BERLIN, 2026, 11, 25, 21, 0)),
        # Explicit am/pm always wins.
        ("tomorrow 7am", local(BERLIN, 2026, 11, 25, 7, 0)),
        ("tomorrow 11pm", local(BERLIN, 2026, 11, 25, 23, 0)),
    ],
)
def test_bare_hour_rule(text: str, expected: datetime) -> None:
    assert when(text) == expected


@pytest.mark.parametrize(
    ("now_local", "text", "expected_local"),
    [
        # At 13:00: 3pm is still ahead today; 11am has passed today but today is still nearest.
        ((2026, 11, 24, 13, 0), "3pm", (2026, 11, 24, 15, 0)),
        ((2026, 11, 24, 13, 0), "11am", (2026, 11, 24, 11, 0)),
        ((2026, 11, 24, 13, 0), "14:00", (2026, 11, 24, 14, 0)),
        # Late evening: 1am means the coming night, not 22 hours ago.
        ((2026, 11, 24, 23, 30), "1am", (2026, 11, 25, 1, 0)),
        # Just after midnight: 11pm means an hour and a half ago, yesterday.
        ((2026, 11, 25, 0, 30), "11pm", (2026, 11, 24, 23, 0)),
        # Just after midnight, 9am is later today.
        ((2026, 11, 25, 0, 30), "9am", (2026, 11, 25, 9, 0)),
        # Exactly 12 hours either way keeps today.
        ((2026, 11, 24, 15, 0), "3am", (2026, 11, 24, 3, 0)),
        # midnight is 00:00 of the nearest day.
        ((2026, 11, 24, 13, 0), "midnight", (2026, 11, 25, 0, 0)),
        ((2026, 11, 24, 10, 0), "midnight", (2026, 11, 24, 0, 0)),
    ],
)
def test_bare_time_means_nearest_occurrence(
    now_local: tuple[int, ...], text: str, expected_local: tuple[int, ...]
) -> None:
    now = local(BERLIN, *now_local)
    assert when(text, now=now) == local(BERLIN, *expected_local)


@pytest.mark.parametrize(
    ("text", "expected_local"),
    [
        # NOW is Tuesday 13:00.
        ("tue 2pm", (2026, 11, 24, 14, 0)),  # still ahead today
        ("tue 11am", (2026, 12, 1, 11, 0)),  # passed today: next week
        ("tuesday 13:00", (2026, 12, 1, 13, 0)),  # exactly now counts as passed
        ("this tue 2pm", (2026, 11, 24, 14, 0)),
        ("next tue 2pm", (2026, 12, 1, 14, 0)),  # "next" is never today
        ("next wed 10am", (2026, 12, 2, 10, 0)),  # said early in the week: next week's Wednesday (issue 16)
        ("this wed 10am", (2026, 11, 25, 10, 0)),  # "this": the coming one
        ("next mon 10am", (2026, 11, 30, 10, 0)),  # the coming Monday is in next week anyway
        ("mon 10am", (2026, 11, 30, 10, 0)),
        ("last thu 3pm", (2026, 11, 19, 15, 0)),
        ("last tuesday 3pm", (2026, 11, 17, 15, 0)),  # strictly before today
        ("last monday 9am", (2026, 11, 23, 9, 0)),
    ],
)
def test_weekday_rules(text: str, expected_local: tuple[int, ...]) -> None:
    assert when(text) == local(BERLIN, *expected_local)


@pytest.mark.parametrize(
    ("now_utc", "text", "expected_local"),
    [
        # A date without a year is the nearest such date, past or future.
        (utc(2026, 11, 24, 12), "1 Jan 10:00", (2027, 1, 1, 10, 0)),
        (utc(2026, 11, 24, 12), "20 Nov 10:00", (2026, 11, 20, 10, 0)),
        (utc(2026, 11, 24, 12), "May 5 3pm", (2027, 5, 5, 15, 0)),
        (utc(2026, 11, 24, 12), "May 30 3pm", (2026, 5, 30, 15, 0)),
        (utc(2026, 1, 3, 12), "Dec 28 10am", (2025, 12, 28, 10, 0)),
        (utc(2027, 12, 20, 12), "Feb 29 10am", (2028, 2, 29, 10, 0)),
    ],
)
def test_date_without_year_is_nearest(now_utc: datetime, text: str, expected_local: tuple[int, ...]) -> None:
    assert when(text, now=now_utc) == local(BERLIN, *expected_local)


def test_explicit_year_is_used() -> None:
    assert when("24 Nov 2026 10:00") == local(BERLIN, 2026, 11, 24, 10, 0)
    assert when("Dec 1 2025 10:00") == local(BERLIN, 2025, 12, 1, 10, 0)


def test_same_words_in_other_zones() -> None:
    assert when("tomorrow 10:30", tz=NEW_YORK) == local(NEW_YORK, 2026, 11, 25, 10, 30)
    # In Sydney it is already 23:00 on Tuesday, so "tomorrow" is Wednesday there too.
    assert when("tomorrow 10:30", tz=SYDNEY) == local(SYDNEY, 2026, 11, 25, 10, 30)
    # And at 01:00 Sydney time on Wednesday, tomorrow is Thursday.
    early = local(SYDNEY, 2026, 11, 25, 1, 0)
    assert when("tomorrow 10:30", now=early, tz=SYDNEY) == local(SYDNEY, 2026, 11, 26, 10, 30)


def test_relative_is_independent_of_zone() -> None:
    assert when("2 hours ago", tz=SYDNEY) == when("2 hours ago", tz=NEW_YORK) == NOW - timedelta(hours=2)


# --------------------------------------------------------------------------- DST


def test_dst_gap_is_refused_with_explanation() -> None:
    now = utc(2026, 3, 20, 12)
    with pytest.raises(WhenError) as err:
        parse_when("2026-03-29 01:30", now=now, tz=LONDON)
    message = str(err.value)
    assert "01:30" in message
    assert "Europe/London" in message
    assert "skip" in message
    assert "02:30" in message  # a suggestion


def test_dst_gap_relative_words_too() -> None:
    now = local(BERLIN, 2026, 3, 28, 12, 0)  # Saturday before the spring change
    with pytest.raises(WhenError, match="jump forward"):
        parse_when("tomorrow 2:30am", now=now, tz=BERLIN)
    assert parse_when("tomorrow 3:30am", now=now, tz=BERLIN) == utc(2026, 3, 29, 1, 30)


def test_dst_gap_new_york() -> None:
    now = utc(2026, 3, 1, 12)
    with pytest.raises(WhenError):
        parse_when("March 8 2:15am", now=now, tz=NEW_YORK)


def test_fold_picks_first_occurrence() -> None:
    now = utc(2026, 10, 20, 12)
    # London 2026-10-25 01:30 happens at 00:30 UTC (BST) and again at 01:30 UTC (GMT).
    assert parse_when("2026-10-25 01:30", now=now, tz=LONDON) == utc(2026, 10, 25, 0, 30)
    # New York 2026-11-01 01:30 happens at 05:30 UTC (EDT) and 06:30 UTC (EST).
    assert parse_when("Nov 1 1:30am", now=now, tz=NEW_YORK) == utc(2026, 11, 1, 5, 30)


def test_across_dst_change_keeps_wall_time() -> None:
    # Saturday before the autumn change in Berlin: tomorrow 10:00 is CET (UTC+1), today was CEST.
    now = local(BERLIN, 2026, 10, 24, 12, 0)
    assert parse_when("tomorrow 10:00", now=now, tz=BERLIN) == utc(2026, 10, 25, 9, 0)
    assert parse_when("today 10:00", now=now, tz=BERLIN) == utc(2026, 10, 24, 8, 0)


# --------------------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("hello", "Couldn't read 'hello'"),
        ("soonish", "Couldn't read"),
        ("Feb 30 2pm", "no 30 February"),
        ("31 April 10am", "no 31 April"),
        ("Feb 29 2027 10am", "2027 has no 29 February"),
        ("2027-02-29 10:00", "2027 has no 29 February"),
        ("2026-13-01 10:00", "no month 13"),
        ("25:00", "hours run from 0 to 23"),
        ("tomorrow 24:00", "hours run from 0 to 23"),
        ("13pm", "mixes the 24-hour clock with am/pm"),
        ("tomorrow 13pm", "write 1pm or 13:00"),
        ("0am", "hours run from 1 to 12"),
        ("12:75", "minutes run from 00 to 59"),
        ("2026-11-24T25:00", "isn't a time on the clock"),
        ("tomorrow", "What time on Wed 25 Nov"),
        ("thursday", "Add a time"),
        ("24 Nov", "Add a time"),
        ("nov", "Which day in November"),
        ("03/04 2pm", "read differently around the world"),
        ("tomorrow 3pm 4pm", "two different times"),
        ("tomorrow friday 3pm", "two different days"),
        ("3 hours", "Did you mean '3 hours ago' or 'in 3 hours'"),
        ("in 3 hours ago", "Couldn't read"),
        ("2028-01-01 10:00", "more than a year from now"),
        ("2025-11-01 10:00", "more than a year ago"),
        ("in 400 days", "more than a year from now"),
        ("400 days ago", "more than a year ago"),
        ("24 Nov 2030", "more than a year from now"),
        ("2026-11-24T14:00+19:00", "valid UTC offset"),
        ("x" * 300, "too long"),
    ],
)
def test_errors_are_specific(text: str, fragment: str) -> None:
    with pytest.raises(WhenError) as err:
        when(text)
    assert fragment in str(err.value)


def test_errors_are_value_errors() -> None:
    with pytest.raises(ValueError):
        when("nonsense words")


def test_exactly_a_year_is_allowed() -> None:
    assert when("in 366 days") == NOW + timedelta(days=366)
    assert when("366 days ago") == NOW - timedelta(days=366)


def test_naive_now_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        parse_when("today 2pm", now=datetime(2026, 11, 24, 12, 0), tz=BERLIN)  # noqa: DTZ001


def test_default_time_fills_a_bare_day() -> None:
    result = parse_when("thursday", now=NOW, tz=BERLIN, default_time=time(9, 0))
    assert result == local(BERLIN, 2026, 11, 26, 9, 0)


def test_parse_when_or_day() -> None:
    assert parse_when_or_day("thursday", now=NOW, tz=BERLIN) == date(2026, 11, 26)
    assert parse_when_or_day("tomorrow", now=NOW, tz=BERLIN) == date(2026, 11, 25)
    assert parse_when_or_day("tomorrow 10:00", now=NOW, tz=BERLIN) == local(BERLIN, 2026, 11, 25, 10, 0)
    with pytest.raises(WhenError):
        parse_when_or_day("banana", now=NOW, tz=BERLIN)


# --------------------------------------------------------------------------- parse_clock_time


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("22:00", time(22, 0)),
        ("7am", time(7, 0)),
        ("7 am", time(7, 0)),
        ("7:30 pm", time(19, 30)),
        ("07:00", time(7, 0)),
        ("7:00", time(7, 0)),
        ("22", time(22, 0)),
        ("noon", time(12, 0)),
        ("midnight", time(0, 0)),
        ("12am", time(0, 0)),
    ],
)
def test_parse_clock_time(text: str, expected: time) -> None:
    assert parse_clock_time(text) == expected


@pytest.mark.parametrize("text", ["", "7", "25:00", "13pm", "banana", "7:61"])
def test_parse_clock_time_rejects(text: str) -> None:
    with pytest.raises(WhenError):
        parse_clock_time(text)


# --------------------------------------------------------------------------- format_local


@pytest.mark.parametrize(
    ("dt", "expected"),
    [
        (local(BERLIN, 2026, 11, 24, 17, 0), "today 17:00"),
        (local(BERLIN, 2026, 11, 25, 9, 30), "tomorrow 09:30"),
        (local(BERLIN, 2026, 11, 23, 16, 0), "yesterday 16:00"),
        (local(BERLIN, 2026, 11, 27, 15, 0), "Fri 27 Nov 15:00"),
        (local(BERLIN, 2026, 11, 26, 15, 0), "Thu 26 Nov 15:00"),
        (local(BERLIN, 2027, 1, 4, 8, 5), "Mon 4 Jan 2027 08:05"),
        (local(BERLIN, 2026, 11, 24, 0, 0), "today 00:00"),
    ],
)
def test_format_local(dt: datetime, expected: str) -> None:
    assert format_local(dt, BERLIN, NOW) == expected


def test_format_local_uses_the_users_day() -> None:
    # 23:30 UTC on the 24th is already the 25th in Berlin: "tomorrow".
    assert format_local(utc(2026, 11, 24, 23, 30), BERLIN, NOW) == "tomorrow 00:30"
    assert format_local(utc(2026, 11, 24, 23, 30), NEW_YORK, NOW) == "today 18:30"


def test_format_local_rejects_naive() -> None:
    with pytest.raises(ValueError):
        format_local(datetime(2026, 11, 24, 12, 0), BERLIN, NOW)  # noqa: DTZ001


@pytest.mark.parametrize(
    "text",
    ["today 2pm", "tomorrow 10:30", "thursday 3pm", "next monday 11am", "yesterday 4pm", "Nov 29 9:05"],
)
def test_format_then_parse_round_trip(text: str) -> None:
    dt = when(text)
    assert when(format_local(dt, BERLIN, NOW)) == dt


def test_weekday_with_matching_date_is_accepted() -> None:
    assert when("Thu 26 Nov 15:00") == local(BERLIN, 2026, 11, 26, 15, 0)
    assert when("Thursday, November 26 at 3pm") == local(BERLIN, 2026, 11, 26, 15, 0)
    assert when("Thu 2026-11-26 15:00") == local(BERLIN, 2026, 11, 26, 15, 0)


def test_weekday_with_other_date_is_questioned() -> None:
    with pytest.raises(WhenError, match="26 Nov is a Thursday, not a Friday"):
        when("Fri 26 Nov 15:00")
    with pytest.raises(WhenError, match="two different days"):
        when("next Fri 26 Nov 15:00")


@pytest.mark.parametrize(
    ("said_on", "text", "expected_local"),
    [
        ((2026, 11, 23), "next tuesday 3pm", (2026, 12, 1, 15, 0)),  # Monday: the Tuesday of next week
        ((2026, 11, 23), "next monday 3pm", (2026, 11, 30, 15, 0)),  # Monday: in 7 days
        ((2026, 11, 25), "next friday 3pm", (2026, 12, 4, 15, 0)),  # Wednesday is still early in the week
        ((2026, 11, 26), "next tuesday 3pm", (2026, 12, 1, 15, 0)),  # Thursday: the coming Tuesday is next week's
        ((2026, 11, 27), "next friday 3pm", (2026, 12, 4, 15, 0)),  # Friday: in 7 days
        ((2026, 11, 29), "next saturday 3pm", (2026, 12, 5, 15, 0)),  # Sunday: every day ahead is next week
    ],
)
def test_next_weekday_is_the_one_in_next_week(said_on, text, expected_local):
    now = local(BERLIN, *said_on, 10, 0)
    assert when(text, now=now) == local(BERLIN, *expected_local)


@pytest.mark.parametrize(
    ("said_on", "text", "days"),
    [
        ((2026, 11, 26), "next saturday 10am", ("Sat 28 Nov", "Sat 5 Dec")),  # Thursday
        ((2026, 11, 27), "next sunday", ("Sun 29 Nov", "Sun 6 Dec")),  # Friday
        ((2026, 11, 28), "next sun 9:00", ("Sun 29 Nov", "Sun 6 Dec")),  # Saturday
    ],
)
def test_next_weekday_asks_where_it_is_genuinely_ambiguous(said_on, text, days):
    now = local(BERLIN, *said_on, 10, 0)
    with pytest.raises(AmbiguousWhen) as err:
        parse_when_or_day(text, now=now, tz=BERLIN)
    assert all(day in str(err.value) for day in days) and "Which one?" in str(err.value)
