"""Feedback outside the candidate's control is grouped as such, never counted as a pattern to fix (issue 12)."""

from __future__ import annotations

import pytest

from bot.coach import feedback
from bot.coach.feedback import one_data_point_note, similarity

STOCK = (
    "Thank you for your time. We decided to move forward with a candidate who was a closer fit.",
    "We enjoyed meeting you, but we went with someone who was a better fit for the team right now.",
)


def _note_for(new: str, earlier: list[str]) -> str:
    """What the feedback reply says, counted the way the outcomes service counts it."""
    similar = [old for old in earlier if similarity(new, old)[0]]
    return one_data_point_note(1 + len(similar))


def test_two_stock_better_fit_rejections_are_not_called_a_pattern_to_fix() -> None:
    note = _note_for(STOCK[1], [STOCK[0]])
    assert "pattern" not in note and "focused fix" not in note
    assert "one data point" in note


def test_similar_critiques_within_control_are_still_a_pattern() -> None:
    note = _note_for("Your system design answer skipped capacity estimates.", ["The architecture round felt thin."])
    assert "second time" in note and "pattern" in note


@pytest.mark.parametrize(
    "text",
    [
        "We went with a closer fit.",
        "Another applicant was a better fit.",
        "The role was filled internally.",
        "The position has been filled.",
        "Budget for the role changed.",
        "We are hiring at a different level.",
        "The timing is not right for us.",
        "We had an internal candidate.",
        "We lost the headcount for this role.",
        "Unfortunately there is a hiring freeze.",
        "CLOSER   FIT",
    ],
)
def test_outside_control_markers_are_recognised(text: str) -> None:
    assert feedback.is_outside_control(text)


@pytest.mark.parametrize(
    "text",
    [
        "Your explanations rambled and lost the thread.",
        "Weak on algorithms: the complexity analysis was shaky.",
        "Fitting the data model took too long.",  # 'fit' only as a whole word
        "Levelled up quickly, but the tests were thin.",
        "",
    ],
)
def test_critiques_to_work_on_are_not_outside_control(text: str) -> None:
    assert not feedback.is_outside_control(text)


def test_every_marker_from_the_brief_is_listed() -> None:
    for marker in (
        "closer fit",
        "better fit",
        "filled",
        "budget",
        "level",
        "timing",
        "internal candidate",
        "headcount",
    ):
        assert any(marker in m or m in marker for m in feedback.OUTSIDE_CONTROL_MARKERS), marker


def test_marker_check_is_linear_on_hostile_text() -> None:
    hostile = ("fit " * 20_000) + ("a" * 50_000) + " closer"
    assert feedback.is_outside_control(hostile)
    assert not feedback.is_outside_control("a-" * 50_000)
