"""What the user made of a company (the debrief's company step) in /patterns and before the next round."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.coach.patterns import DebriefFact, InterviewFact, company_reminder, find_patterns

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)


def interviews() -> dict[int, InterviewFact]:
    return {
        1: InterviewFact(1, "Acme", "phone_screen", NOW - timedelta(days=20), "advanced"),
        2: InterviewFact(2, "acme ", "technical", NOW - timedelta(days=8), "advanced"),
        3: InterviewFact(3, "Globex", "technical", NOW - timedelta(days=5), "rejected"),
        4: InterviewFact(4, "Acme", "final", NOW + timedelta(days=1), None),
    }


def debrief(interview_id: int, days_ago: float, view: str | None, note: str | None = None) -> DebriefFact:
    return DebriefFact(interview_id, NOW - timedelta(days=days_ago), company_view=view, company_note=note)


def test_the_latest_view_of_the_same_company_comes_back_before_the_next_round() -> None:
    found = [
        debrief(1, 19, "keen"),
        debrief(2, 7, "unsure", "the team lead dodged the on-call question"),
        debrief(3, 4, "not_for_me"),
    ]
    line = company_reminder("Acme", found, interviews(), NOW + timedelta(days=1))
    assert line is not None and line.startswith("After your last round with Acme you weren't sure about them")
    assert "\u201cthe team lead dodged the on-call question\u201d" in line and "ask what would settle it" in line


def test_not_for_me_is_a_fair_answer_and_nothing_said_means_no_line() -> None:
    line = company_reminder("Acme", [debrief(2, 7, "not_for_me")], interviews(), NOW + timedelta(days=1))
    assert line is not None and "withdrawing is a fair answer" in line and "\u201c" not in line
    assert company_reminder("Acme", [debrief(2, 7, None)], interviews(), NOW + timedelta(days=1)) is None
    assert company_reminder("Initech", [debrief(2, 7, "keen")], interviews(), NOW + timedelta(days=1)) is None
    # Only earlier rounds count: a view from after the interview in question is not a reminder for it.
    assert company_reminder("Acme", [debrief(2, 7, "keen")], interviews(), NOW - timedelta(days=10)) is None


def test_patterns_list_each_company_once_by_its_latest_view() -> None:
    iv = interviews()
    found = find_patterns(
        list(iv.values()),
        [debrief(1, 19, "keen"), debrief(3, 4, "not_for_me"), DebriefFact(1, NOW - timedelta(days=1))],
        [],
        [],
        NOW,
    )
    assert found.company_views.keen == ("Acme",) and found.company_views.not_for_me == ("Globex",)
    assert found.company_views.count == 2
