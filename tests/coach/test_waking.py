"""Tests for bot.coach.waking: quiet hours across midnight and daylight-saving changes."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from bot.coach.waking import (
    NO_QUIET_HOURS,
    QuietHours,
    format_quiet_hours,
    is_quiet,
    out_of_quiet,
    parse_clock,
    parse_quiet_hours,
    tomorrow_morning,
)

from .conftest import BERLIN, KOLKATA, NEW_YORK, SYDNEY, local, utc

NIGHT = QuietHours(time(22, 0), time(8, 0))


# --------------------------------------------------------------------------- QuietHours


def test_window_crossing_midnight() -> None:
    assert NIGHT.enabled and NIGHT.crosses_midnight
    assert NIGHT.contains(time(22, 0))  # start is inside
    assert NIGHT.contains(time(23, 59))
    assert NIGHT.contains(time(0, 0))
    assert NIGHT.contains(time(7, 59, 59))
    assert not NIGHT.contains(time(8, 0))  # end is outside
    assert not NIGHT.contains(time(12, 0))
    assert not NIGHT.contains(time(21, 59))


def test_window_within_a_day() -> None:
    nap = QuietHours(time(13, 0), time(14, 30))
    assert nap.enabled and not nap.crosses_midnight
    assert nap.contains(time(13, 0))
    assert nap.contains(time(14, 29))
    assert not nap.contains(time(14, 30))
    assert not nap.contains(time(12, 59))


def test_start_equals_end_means_none() -> None:
    same = QuietHours(time(7, 0), time(7, 0))
    assert not same.enabled
    assert not same.contains(time(7, 0))
    assert not NO_QUIET_HOURS.enabled


def test_quiet_hours_rejects_bad_values() -> None:
    with pytest.raises(TypeError):
        QuietHours("22:00", time(8))  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        QuietHours(time(22, tzinfo=UTC), time(8))


def test_is_quiet_uses_local_clock() -> None:
    # 21:30 UTC is 22:30 in Berlin (quiet) and 16:30 in New York (not quiet).
    dt = utc(2026, 11, 24, 21, 30)
    assert is_quiet(dt, BERLIN, NIGHT)
    assert not is_quiet(dt, NEW_YORK, NIGHT)
    assert not is_quiet(dt, BERLIN, NO_QUIET_HOURS)


def test_is_quiet_accepts_any_aware_datetime() -> None:
    dt = datetime(2026, 11, 24, 23, 30, tzinfo=timezone(timedelta(hours=1)))
    assert is_quiet(dt, BERLIN, NIGHT)


def test_naive_is_refused() -> None:
    with pytest.raises(ValueError):
        is_quiet(datetime(2026, 1, 1, 12), BERLIN, NIGHT)  # noqa: DTZ001
    with pytest.raises(ValueError):
        out_of_quiet(datetime(2026, 1, 1, 12), BERLIN, NIGHT)  # noqa: DTZ001
    with pytest.raises(ValueError):
        tomorrow_morning(datetime(2026, 1, 1, 12), BERLIN, NIGHT)  # noqa: DTZ001


# --------------------------------------------------------------------------- out_of_quiet


def test_due_outside_quiet_is_unchanged() -> None:
    due = local(BERLIN, 2026, 11, 24, 15, 0)
    assert out_of_quiet(due, BERLIN, NIGHT) == due
    assert out_of_quiet(due, BERLIN, NIGHT).tzinfo is UTC
    assert out_of_quiet(local(BERLIN, 2026, 11, 24, 23, 0), BERLIN, NO_QUIET_HOURS) == local(
        BERLIN, 2026, 11, 24, 23, 0
    )


@pytest.mark.parametrize(
    ("due_local", "expected_local"),
    [
        ((2026, 11, 24, 22, 0), (2026, 11, 25, 8, 0)),  # at the start: end of this night
        ((2026, 11, 24, 23, 30), (2026, 11, 25, 8, 0)),  # before midnight: tomorrow's end
        ((2026, 11, 25, 3, 0), (2026, 11, 25, 8, 0)),  # after midnight: today's end
        ((2026, 11, 25, 7, 59), (2026, 11, 25, 8, 0)),
        ((2026, 12, 31, 23, 0), (2027, 1, 1, 8, 0)),  # across the year end
    ],
)
def test_due_in_quiet_moves_to_end(due_local: tuple[int, ...], expected_local: tuple[int, ...]) -> None:
    assert out_of_quiet(local(BERLIN, *due_local), BERLIN, NIGHT) == local(BERLIN, *expected_local)


def test_daytime_window() -> None:
    nap = QuietHours(time(13, 0), time(14, 30))
    assert out_of_quiet(local(BERLIN, 2026, 11, 24, 13, 10), BERLIN, nap) == local(BERLIN, 2026, 11, 24, 14, 30)


def test_window_ending_at_midnight() -> None:
    late = QuietHours(time(20, 0), time(0, 0))
    assert out_of_quiet(local(BERLIN, 2026, 11, 24, 21, 0), BERLIN, late) == local(BERLIN, 2026, 11, 25, 0, 0)


@pytest.mark.parametrize(
    ("tz", "due_utc", "expected_utc"),
    [
        # Europe/Berlin, spring forward on Sun 29 Mar 2026 (02:00 CET -> 03:00 CEST).
        # Sat 23:00 CET is quiet; the night ends at Sun 08:00 CEST = 06:00 UTC (not 07:00).
        (BERLIN, utc(2026, 3, 28, 22, 0), utc(2026, 3, 29, 6, 0)),
        (BERLIN, utc(2026, 3, 29, 3, 0), utc(2026, 3, 29, 6, 0)),
        # Europe/Berlin, fall back on Sun 25 Oct 2026 (03:00 CEST -> 02:00 CET).
        # Sat 23:00 CEST is quiet; the night ends at Sun 08:00 CET = 07:00 UTC.
        (BERLIN, utc(2026, 10, 24, 21, 0), utc(2026, 10, 25, 7, 0)),
        # America/New_York, spring forward on Sun 8 Mar 2026 (02:00 EST -> 03:00 EDT).
        (NEW_YORK, utc(2026, 3, 8, 4, 0), utc(2026, 3, 8, 12, 0)),
        # America/New_York, fall back on Sun 1 Nov 2026 (02:00 EDT -> 01:00 EST).
        (NEW_YORK, utc(2026, 11, 1, 3, 0), utc(2026, 11, 1, 13, 0)),
        # Australia/Sydney, DST ends on Sun 5 Apr 2026 (03:00 AEDT -> 02:00 AEST).
        # Sat 23:00 AEDT = 12:00 UTC; Sun 08:00 AEST = Sat 22:00 UTC.
        (SYDNEY, utc(2026, 4, 4, 12, 0), utc(2026, 4, 4, 22, 0)),
        # Australia/Sydney, DST starts on Sun 4 Oct 2026 (02:00 AEST -> 03:00 AEDT).
        # Sat 23:00 AEST = 13:00 UTC; Sun 08:00 AEDT = Sat 21:00 UTC.
        (SYDNEY, utc(2026, 10, 3, 13, 0), utc(2026, 10, 3, 21, 0)),
        # A zone without DST, for contrast.
        (KOLKATA, utc(2026, 3, 28, 17, 0), utc(2026, 3, 29, 2, 30)),
    ],
)
def test_out_of_quiet_across_dst(tz: ZoneInfo, due_utc: datetime, expected_utc: datetime) -> None:
    assert is_quiet(due_utc, tz, NIGHT)
    result = out_of_quiet(due_utc, tz, NIGHT)
    assert result == expected_utc
    assert result.astimezone(tz).time() == time(8, 0)


@pytest.mark.parametrize(
    ("tz", "quiet", "due_utc", "expected_utc"),
    [
        # Quiet until 02:30, but on 29 Mar 2026 Berlin skips 02:00-03:00: the night ends at the jump.
        (BERLIN, QuietHours(time(23, 0), time(2, 30)), utc(2026, 3, 28, 23, 30), utc(2026, 3, 29, 1, 0)),
        # Same in New York on 8 Mar 2026 (the jump is at 07:00 UTC).
        (NEW_YORK, QuietHours(time(22, 0), time(2, 30)), utc(2026, 3, 8, 6, 0), utc(2026, 3, 8, 7, 0)),
        # Sydney skips 02:00-03:00 on 4 Oct 2026 (the jump is at 16:00 UTC on the 3rd).
        (SYDNEY, QuietHours(time(22, 0), time(2, 15)), utc(2026, 10, 3, 14, 0), utc(2026, 10, 3, 16, 0)),
    ],
)
def test_quiet_end_in_dst_gap_ends_at_the_jump(
    tz: ZoneInfo, quiet: QuietHours, due_utc: datetime, expected_utc: datetime
) -> None:
    result = out_of_quiet(due_utc, tz, quiet)
    assert result == expected_utc
    assert result.astimezone(tz).time() == time(3, 0)
    assert not is_quiet(result, tz, quiet)


def test_quiet_end_in_fold_uses_the_next_occurrence_after_due() -> None:
    quiet = QuietHours(time(22, 0), time(2, 30))
    # Berlin 25 Oct 2026: 02:00-03:00 happens twice (CEST first, then CET).
    first_pass = utc(2026, 10, 25, 0, 10)  # 02:10 CEST
    assert out_of_quiet(first_pass, BERLIN, quiet) == utc(2026, 10, 25, 0, 30)  # 02:30 CEST
    second_pass = utc(2026, 10, 25, 1, 10)  # 02:10 CET, quiet again by the wall clock
    assert is_quiet(second_pass, BERLIN, quiet)
    assert out_of_quiet(second_pass, BERLIN, quiet) == utc(2026, 10, 25, 1, 30)  # 02:30 CET


@pytest.mark.parametrize("tz", [BERLIN, NEW_YORK, SYDNEY, KOLKATA, ZoneInfo("Europe/London")])
@pytest.mark.parametrize(
    "quiet",
    [
        NIGHT,
        QuietHours(time(23, 0), time(2, 30)),
        QuietHours(time(1, 30), time(6, 0)),
        QuietHours(time(13), time(14)),
    ],
)
def test_out_of_quiet_invariants_over_a_year(tz: ZoneInfo, quiet: QuietHours) -> None:
    start = utc(2026, 1, 1)
    step = timedelta(minutes=97)  # co-prime with an hour, so every minute-of-day gets visited
    due = start
    while due < start + timedelta(days=366):
        result = out_of_quiet(due, tz, quiet)
        assert result.tzinfo is UTC
        if not is_quiet(due, tz, quiet):
            assert result == due
        else:
            assert result > due
            assert result - due <= timedelta(hours=25)
            assert not is_quiet(result, tz, quiet) or result.astimezone(tz).time() == quiet.end
            just_before = result - timedelta(minutes=1)
            assert just_before <= due or is_quiet(just_before, tz, quiet)
        due += step


# --------------------------------------------------------------------------- tomorrow_morning


def test_tomorrow_morning_at_end_of_quiet_hours() -> None:
    now = local(BERLIN, 2026, 11, 24, 15, 0)
    assert tomorrow_morning(now, BERLIN, NIGHT) == local(BERLIN, 2026, 11, 25, 8, 0)
    assert tomorrow_morning(local(BERLIN, 2026, 11, 24, 23, 0), BERLIN, NIGHT) == local(BERLIN, 2026, 11, 25, 8, 0)


def test_tomorrow_morning_without_quiet_hours_is_nine() -> None:
    now = local(BERLIN, 2026, 11, 24, 15, 0)
    assert tomorrow_morning(now, BERLIN, NO_QUIET_HOURS) == local(BERLIN, 2026, 11, 25, 9, 0)


def test_tomorrow_morning_in_the_small_hours_is_this_morning() -> None:
    # Pressed at 01:00 inside quiet hours: the coming morning, not the one after.
    assert tomorrow_morning(local(BERLIN, 2026, 11, 25, 1, 0), BERLIN, NIGHT) == local(BERLIN, 2026, 11, 25, 8, 0)
    # Without quiet hours, before 04:00 still counts as the night.
    assert tomorrow_morning(local(BERLIN, 2026, 11, 25, 2, 0), BERLIN, NO_QUIET_HOURS) == local(
        BERLIN, 2026, 11, 25, 9, 0
    )
    assert tomorrow_morning(local(BERLIN, 2026, 11, 25, 5, 0), BERLIN, NO_QUIET_HOURS) == local(
        BERLIN, 2026, 11, 26, 9, 0
    )


def test_tomorrow_morning_across_dst() -> None:
    # Saturday evening before the spring change: Sunday 08:00 is CEST.
    assert tomorrow_morning(local(BERLIN, 2026, 3, 28, 20, 0), BERLIN, NIGHT) == utc(2026, 3, 29, 6, 0)
    assert tomorrow_morning(local(NEW_YORK, 2026, 10, 31, 20, 0), NEW_YORK, NIGHT) == utc(2026, 11, 1, 13, 0)
    assert tomorrow_morning(local(SYDNEY, 2026, 10, 3, 20, 0), SYDNEY, NIGHT) == utc(2026, 10, 3, 21, 0)


def test_tomorrow_morning_in_a_gap() -> None:
    quiet = QuietHours(time(23, 0), time(2, 30))
    assert tomorrow_morning(local(BERLIN, 2026, 3, 28, 20, 0), BERLIN, quiet) == utc(2026, 3, 29, 1, 0)


def test_tomorrow_morning_is_always_later() -> None:
    now = utc(2026, 1, 1)
    for _ in range(24 * 4):
        for tz in (BERLIN, NEW_YORK, SYDNEY):
            for quiet in (NIGHT, NO_QUIET_HOURS):
                result = tomorrow_morning(now, tz, quiet)
                assert now < result <= now + timedelta(hours=34)
        now += timedelta(minutes=15)


# --------------------------------------------------------------------------- parsing settings


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("22:00", time(22, 0)),
        ("7am", time(7, 0)),
        ("7:30pm", time(19, 30)),
        ("07:00", time(7, 0)),
        ("noon", time(12, 0)),
        ("midnight", time(0, 0)),
    ],
)
def test_parse_clock(text: str, expected: time) -> None:
    assert parse_clock(text) == expected


@pytest.mark.parametrize(("text", "fragment"), [("7", "morning or evening"), ("25:00", "0 to 23"), ("", "empty")])
def test_parse_clock_rejects(text: str, fragment: str) -> None:
    with pytest.raises(ValueError, match=fragment):
        parse_clock(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("22:00-08:00", NIGHT),
        ("22:00 - 08:00", NIGHT),
        ("10pm to 8am", NIGHT),
        ("10pm until 8am", NIGHT),
        ("22:00\u201308:00", NIGHT),
        ("off", NO_QUIET_HOURS),
        ("none", NO_QUIET_HOURS),
    ],
)
def test_parse_quiet_hours(text: str, expected: QuietHours) -> None:
    assert parse_quiet_hours(text) == expected


@pytest.mark.parametrize("text", ["22:00", "later", "22:00-", "25:00-08:00"])
def test_parse_quiet_hours_rejects(text: str) -> None:
    with pytest.raises(ValueError):
        parse_quiet_hours(text)


def test_format_quiet_hours() -> None:
    assert format_quiet_hours(NIGHT) == "22:00-08:00"
    assert format_quiet_hours(NO_QUIET_HOURS) == "off"
