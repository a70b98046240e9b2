"""Tests for bot.coach.feedback and bot.coach.ghosting."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.coach.feedback import (
    CONTROL_CHOICES,
    control_label,
    feedback_note,
    feedback_request,
    one_data_point_note,
)
from bot.coach.ghosting import ghosting_message


def test_feedback_request_content() -> None:
    text = feedback_request("Acme", "Junior Developer", "Sam", rejected=True, name="Ada Lovelace")
    assert text.startswith("Hi Sam,")
    assert "Thanks for letting me know" in text
    assert "the team at Acme" in text and "time" in text
    assert "future interviews" in text
    assert "one thing that would have made the difference for the Junior Developer role" in text
    assert "Specific points are very welcome" in text
    assert text.rstrip().endswith("Kind regards,\nAda Lovelace")
    assert len(text) <= 2000


def test_feedback_request_without_a_rejection_assumes_no_decision_and_leaves_a_name_to_fill_in() -> None:
    text = feedback_request("Acme", "Junior Developer")
    assert "letting me know" not in text and "made the difference" not in text
    assert "the team at Acme" in text and "the Junior Developer role" in text
    assert text.rstrip().endswith("Kind regards,\n[your name]")
    assert feedback_request("Acme", None, name="  ").rstrip().endswith("[your name]")


def test_feedback_request_without_role_or_name() -> None:
    text = feedback_request(" Acme ", None)
    assert text.startswith("Hello,")
    assert "this role" in text
    assert "None" not in text
    assert "the team at Acme" in text
    assert feedback_request("Acme", "", "  ").startswith("Hello,")


def test_feedback_note() -> None:
    text = feedback_note()
    assert "legal" in text and "policy" in text
    assert "snub" in text
    assert "/feedback add" in text


def test_one_data_point_note() -> None:
    single = one_data_point_note(1)
    assert "one data point" in single
    assert "again" in single
    assert one_data_point_note(0) == single
    repeat = one_data_point_note(3)
    assert "third time" in repeat and "pattern" in repeat
    assert "second time" in one_data_point_note(2)
    assert "12th time" in one_data_point_note(12)
    assert "21st time" in one_data_point_note(21)
    assert "13th time" in one_data_point_note(13)


def test_control_choices() -> None:
    assert [c.key for c in CONTROL_CHOICES] == ["within_control", "outside_control", "unsure"]
    for c in CONTROL_CHOICES:
        assert 0 < len(c.label) <= 80
    assert control_label("outside_control") == "Outside my control"
    with pytest.raises(KeyError):
        control_label("blame")


def test_ghosting_message() -> None:
    text = ghosting_message("Acme", "Technical", timedelta(days=10))
    assert "10 days" in text
    assert "your interview with Acme (Technical)" in text
    assert "Any news?" in text
    assert "common" in text
    assert "ghosted" in text and "accurate" in text
    assert len(text) <= 2000


def test_ghosting_message_edges() -> None:
    assert "2 days since" in ghosting_message("Acme", "Onsite / final", timedelta(days=2))
    assert "4 hours since" in ghosting_message("Acme", "Technical", timedelta(hours=4, minutes=20))
    assert "(Other)" not in ghosting_message("Acme", "Other", timedelta(days=14))
    assert "your interview with Acme," in ghosting_message("Acme", "", timedelta(days=14))
