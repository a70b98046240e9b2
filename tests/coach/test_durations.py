"""Tests for bot.coach.durations."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.coach.durations import format_duration, parse_duration


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3h", timedelta(hours=3)),
        ("90m", timedelta(minutes=90)),
        ("10s", timedelta(seconds=10)),
        ("10d", timedelta(days=10)),
        ("2w", timedelta(weeks=2)),
        ("1h30m", timedelta(hours=1, minutes=30)),
        ("1h 30m", timedelta(hours=1, minutes=30)),
        ("1h, 30m", timedelta(hours=1, minutes=30)),
        (" 3H ", timedelta(hours=3)),
        ("3 hours", timedelta(hours=3)),
        ("90 min", timedelta(minutes=90)),
        ("1 hour and 15 minutes", timedelta(hours=1, minutes=15)),
        ("1.5h", timedelta(minutes=90)),
        ("2 days", timedelta(days=2)),
        ("1d12h", timedelta(days=1, hours=12)),
        ("0s", timedelta(0)),
    ],
)
def test_parse_duration(text: str, expected: timedelta) -> None:
    assert parse_duration(text) == expected


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("-3h", "negative"),
        ("3x", "Unknown unit 'x'"),
        ("3 fortnights", "Unknown unit"),
        ("30", "no unit"),
        ("h", "Couldn't read"),
        ("3h x", "Couldn't read"),
        ("abc", "Couldn't read"),
        ("3h-2m", "Couldn't read"),
    ],
)
def test_parse_duration_rejects(text: str, fragment: str) -> None:
    with pytest.raises(ValueError, match=fragment):
        parse_duration(text)


def test_parse_duration_rejects_non_text() -> None:
    with pytest.raises(ValueError):
        parse_duration(3)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("td", "expected"),
    [
        (timedelta(hours=3), "3 h"),
        (timedelta(hours=1, minutes=30), "1 h 30 min"),
        (timedelta(days=10), "10 days"),
        (timedelta(days=1), "1 day"),
        (timedelta(minutes=45), "45 min"),
        (timedelta(weeks=2), "2 weeks"),
        (timedelta(weeks=1), "1 week"),
        (timedelta(days=7, hours=2), "7 days 2 h"),
        (timedelta(seconds=10), "10 s"),
        (timedelta(minutes=1, seconds=5), "1 min 5 s"),
        (timedelta(0), "0 min"),
        (timedelta(hours=-3), "-3 h"),
        (timedelta(seconds=59.6), "1 min"),
    ],
)
def test_format_duration(td: timedelta, expected: str) -> None:
    assert format_duration(td) == expected


@pytest.mark.parametrize("text", ["3h", "90m", "1h30m", "10d", "2w", "45m", "1d2h3m4s"])
def test_round_trip(text: str) -> None:
    td = parse_duration(text)
    assert parse_duration(format_duration(td).replace(" ", "")) == td
