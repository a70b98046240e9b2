"""Tests for bot.coach.reset: the rejection reply, the bounded window and the one check-in."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest

from bot.coach.reset import (
    DEBRIEF_DELAY_DEFAULT,
    DEBRIEF_DELAY_MAX,
    DEBRIEF_DELAY_MIN,
    NEXT_ACTIONS,
    RESET_LIST,
    WINDOW_DEFAULT,
    WINDOW_MAX,
    WINDOW_MIN,
    checkin_due,
    checkin_message,
    clamp_debrief_delay,
    clamp_window,
    next_action,
    rejection_reply,
    reset_list_text,
)
from bot.coach.waking import NO_QUIET_HOURS, QuietHours

from .conftest import BERLIN, NEW_YORK, local, utc

NIGHT = QuietHours(time(22, 0), time(8, 0))


def test_rejection_reply_content() -> None:
    text = rejection_reply("Acme", "Junior Developer", checkin_at="tomorrow 09:00")
    assert "the Junior Developer role at Acme" in text
    assert "normal" in text
    # Reasons that have nothing to do with the candidate.
    for reason in ("filled internally", "budget", "level", "closely", "mentor"):
        assert reason in text
    assert "rarely find out" in text
    assert "an evening rather than a couple of weeks" in text
    assert "I'll check in tomorrow 09:00" in text
    assert "/feedback request" in text
    assert len(text) <= 2000  # one Discord message


def test_rejection_reply_without_role_or_checkin() -> None:
    text = rejection_reply("  Acme ", None)
    assert text.startswith("Sorry about Acme.")
    assert "check in" not in text
    assert "/feedback request" in text
    assert rejection_reply("Acme", "  ").startswith("Sorry about Acme.")


def test_reset_list() -> None:
    assert len(RESET_LIST) == 4
    joined = " ".join(RESET_LIST).lower()
    assert "applications moving" in joined
    assert "someone you trust" in joined
    assert "worth" in joined and "one company" in joined
    assert "story" in joined and "what actually happened" in joined
    assert reset_list_text().count("\n- ") == 3
    assert reset_list_text().startswith("- ")


def test_next_actions() -> None:
    keys = [a.key for a in NEXT_ACTIONS]
    assert keys == ["send_application", "feedback_request", "debrief", "practice", "talk"]
    assert len(set(keys)) == len(keys)
    for a in NEXT_ACTIONS:
        assert 0 < len(a.label) <= 80
        assert 0 < len(a.detail) <= 100
    assert next_action("practice").label == "Practise the weak spot for 30 min"
    with pytest.raises(KeyError):
        next_action("sulk")


@pytest.mark.parametrize("n", [0, 1])
def test_checkin_thin_pipeline(n: int) -> None:
    text = checkin_message("Acme", n)
    assert "Acme" in text
    assert "thin" in text
    assert "/applications log" in text
    assert ("nothing else open" in text) == (n == 0)
    assert ("1 other opportunity open" in text) == (n == 1)


@pytest.mark.parametrize("n", [2, 7])
def test_checkin_healthy_pipeline(n: int) -> None:
    text = checkin_message("Acme", n)
    assert "thin" not in text
    assert f"{n} other opportunities open" in text


def test_a_folded_checkin_names_each_company_once_in_order() -> None:
    text = checkin_message(["Acme", "Globex", "acme ", "Initech"], 3)
    assert text.startswith("Checking in after Acme, Globex and Initech.")
    assert "these weren't your only chances" in text and "one of several" not in text
    assert checkin_message(["Acme", "ACME"], 3).startswith("Checking in after Acme.")
    assert "this was one of several" in checkin_message(["Acme", "ACME"], 3)
    assert checkin_message(["Acme", "Globex"], 3).startswith("Checking in after Acme and Globex.")
    with pytest.raises(ValueError):
        checkin_message([], 3)


def test_checkin_negative_is_zero() -> None:
    assert "nothing else open" in checkin_message("Acme", -3)


def test_checkin_due_plain() -> None:
    rejected = local(BERLIN, 2026, 11, 24, 11, 0)
    assert checkin_due(rejected, timedelta(hours=6), BERLIN, NIGHT) == local(BERLIN, 2026, 11, 24, 17, 0)
    assert checkin_due(rejected, timedelta(hours=6), BERLIN, NIGHT).tzinfo is UTC


def test_checkin_due_moves_out_of_quiet_hours() -> None:
    rejected = local(BERLIN, 2026, 11, 24, 18, 0)
    assert checkin_due(rejected, timedelta(hours=6), BERLIN, NIGHT) == local(BERLIN, 2026, 11, 25, 8, 0)
    assert checkin_due(rejected, timedelta(hours=6), BERLIN, NO_QUIET_HOURS) == local(BERLIN, 2026, 11, 25, 0, 0)


def test_checkin_due_across_dst() -> None:
    # Rejected Sat 31 Oct 2026, 18:00 in New York; 6 h later is 00:00 (quiet).
    # The clocks fall back that night, so 08:00 EST is 13:00 UTC.
    rejected = local(NEW_YORK, 2026, 10, 31, 18, 0)
    assert checkin_due(rejected, timedelta(hours=6), NEW_YORK, NIGHT) == utc(2026, 11, 1, 13, 0)


def test_checkin_due_rejects_naive() -> None:
    with pytest.raises(ValueError):
        checkin_due(datetime(2026, 1, 1), timedelta(hours=6), BERLIN, NIGHT)  # noqa: DTZ001


def test_window_bounds() -> None:
    assert timedelta(hours=4) == WINDOW_MIN
    assert timedelta(hours=48) == WINDOW_MAX
    assert WINDOW_MIN <= WINDOW_DEFAULT <= WINDOW_MAX
    assert clamp_window(timedelta(hours=4)) == timedelta(hours=4)
    assert clamp_window(timedelta(hours=48)) == timedelta(hours=48)
    assert clamp_window(timedelta(hours=12)) == timedelta(hours=12)
    with pytest.raises(ValueError, match="between 4 h and 2 days"):
        clamp_window(timedelta(hours=3, minutes=59))
    with pytest.raises(ValueError, match="got 3 days"):
        clamp_window(timedelta(days=3))
    assert clamp_window(timedelta(hours=1), strict=False) == WINDOW_MIN
    assert clamp_window(timedelta(days=14), strict=False) == WINDOW_MAX


def test_debrief_delay_bounds() -> None:
    assert timedelta(hours=1) == DEBRIEF_DELAY_MIN
    assert timedelta(hours=12) == DEBRIEF_DELAY_MAX
    assert DEBRIEF_DELAY_MIN <= DEBRIEF_DELAY_DEFAULT <= DEBRIEF_DELAY_MAX
    assert clamp_debrief_delay(timedelta(hours=3)) == timedelta(hours=3)
    with pytest.raises(ValueError, match="debrief delay"):
        clamp_debrief_delay(timedelta(minutes=30))
    with pytest.raises(ValueError):
        clamp_debrief_delay(timedelta(hours=13))
    assert clamp_debrief_delay(timedelta(0), strict=False) == DEBRIEF_DELAY_MIN
    assert clamp_debrief_delay(timedelta(days=1), strict=False) == DEBRIEF_DELAY_MAX


def test_checkin_counts_recent_applications_towards_the_pipeline():
    thin = checkin_message("Acme", 0, 1)
    assert "thin pipeline" in thin and "1 application out" in thin
    several = checkin_message("Acme", 0, 12)
    assert "thin pipeline" not in several and "nothing else open" not in several
    assert "12 applications out from the last four weeks" in several
    both = checkin_message("Acme", 2, 3)
    assert "2 other opportunities open and 3 applications" in both
