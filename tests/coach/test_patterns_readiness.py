"""When /patterns draws a chart rather than answering in words, and when the note before an interview comes."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.coach.patterns import DebriefFact, InterviewFact, find_patterns
from bot.coach.patterns.readiness import (
    MIN_DEBRIEFS_FOR_CHART,
    MIN_INTERVIEWS_FOR_CHART,
    PRE_INTERVIEW_MARGIN,
    missing,
    pre_interview_due,
)
from bot.coach.waking import QuietHours

NOW = datetime(2026, 11, 23, 12, tzinfo=UTC)
BERLIN = ZoneInfo("Europe/Berlin")
NIGHT = QuietHours(time(22, 0), time(8, 0))


def patterns_of(interviews: int, debriefs: int):
    iv = [InterviewFact(n, f"Co {n}", "technical", NOW - timedelta(days=n + 1), None) for n in range(interviews)]
    db = [DebriefFact(n, NOW - timedelta(days=n + 1) + timedelta(hours=3)) for n in range(debriefs)]
    return find_patterns(iv, db, [], [], NOW)


@pytest.mark.parametrize(
    ("interviews", "debriefs", "expected"),
    [
        (0, 0, ("3 more interviews logged with `/interview log`", "2 more finished debriefs (`/debrief start`)")),
        (2, 2, ("1 more interview logged with `/interview log`",)),
        (3, 1, ("1 more finished debrief (`/debrief start`)",)),
        (3, 2, ()),
    ],
)
def test_a_chart_needs_three_interviews_and_two_debriefs(interviews: int, debriefs: int, expected) -> None:
    assert (MIN_INTERVIEWS_FOR_CHART, MIN_DEBRIEFS_FOR_CHART) == (3, 2)
    assert missing(patterns_of(interviews, debriefs)) == expected


def test_the_note_comes_at_seven_the_evening_before_in_the_users_zone() -> None:
    starts = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)  # Thursday 10:00 in Berlin
    assert pre_interview_due(starts, NOW, BERLIN, NIGHT) == datetime(2026, 11, 25, 18, 0, tzinfo=UTC)
    # Across the autumn clock change: Sunday evening 19:00 is CET, the Saturday before it CEST.
    monday = datetime(2026, 10, 26, 9, 0, tzinfo=UTC)
    assert pre_interview_due(monday, datetime(2026, 10, 20, tzinfo=UTC), BERLIN, NIGHT) == datetime(
        2026, 10, 25, 18, 0, tzinfo=UTC
    )


def test_quiet_hours_move_the_note_out_and_never_too_close_to_the_interview() -> None:
    evenings_quiet = QuietHours(time(18, 0), time(8, 0))
    eleven = datetime(2026, 11, 26, 10, 0, tzinfo=UTC)  # Thursday 11:00 Berlin: 08:00 is three hours before
    assert pre_interview_due(eleven, NOW, BERLIN, evenings_quiet) == datetime(2026, 11, 26, 7, 0, tzinfo=UTC)
    margin_edge = datetime(2026, 11, 26, 7, 0, tzinfo=UTC) + PRE_INTERVIEW_MARGIN  # exactly two hours after 08:00
    assert pre_interview_due(margin_edge, NOW, BERLIN, evenings_quiet) == datetime(2026, 11, 26, 7, 0, tzinfo=UTC)
    too_close = margin_edge - timedelta(minutes=1)
    assert pre_interview_due(too_close, NOW, BERLIN, evenings_quiet) is None


def test_no_note_when_the_evening_before_has_passed() -> None:
    tomorrow = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)  # the evening before is today 19:00: still ahead
    assert pre_interview_due(tomorrow, NOW, BERLIN, NIGHT) == datetime(2026, 11, 23, 18, 0, tzinfo=UTC)
    late = datetime(2026, 11, 23, 18, 0, tzinfo=UTC)
    assert pre_interview_due(tomorrow, late, BERLIN, NIGHT) is None  # now is the moment: passed
    assert pre_interview_due(datetime(2026, 11, 23, 20, 0, tzinfo=UTC), NOW, BERLIN, NIGHT) is None
