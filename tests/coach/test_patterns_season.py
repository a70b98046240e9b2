"""The pattern engine on realistic seasons: it finds what was planted and holds back where it should."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.coach.feedback import is_outside_control
from bot.coach.patterns import find_patterns, focus_progress, focus_topic, notes_for_upcoming
from bot.coach.patterns.facts import PATTERN_MIN_REPEATS, RECENT_WINDOW
from bot.coach.patterns.funnel import processes_of

from .patterns_season import season


def _run(s):
    return find_patterns(s.interviews, s.debriefs, s.feedback, s.applications, s.now)


@pytest.mark.parametrize(
    ("weak", "seed", "size"),
    [(("system_design", "behavioural"), 7, 120), (("coding", "nerves"), 3, 60), (("questions_for_them",), 11, 200)],
)
def test_planted_weak_topics_are_the_strongest_stumble_patterns(weak, seed, size) -> None:
    s = season(size, weak=weak, seed=seed)
    found = _run(s)
    topics = [r.key for r in found.stumble_patterns if r.kind == "topic"]
    assert set(topics[: len(weak)]) == set(weak)
    for r in found.stumbles:
        if r.key in s.stumbled:  # every planted stumble is counted once per debrief, no more
            assert r.count >= len(s.stumbled[r.key])
        assert r.recent + r.earlier == r.count
        assert r.is_pattern == (r.count >= PATTERN_MIN_REPEATS)
        assert all(a.at >= b.at for a, b in zip(r.sightings, r.sightings[1:], strict=False))


def test_recent_and_earlier_split_at_the_window() -> None:
    s = season(120, seed=5)
    found = _run(s)
    cut = s.now - RECENT_WINDOW
    for r in found.stumbles:
        assert r.recent == sum(1 for x in r.sightings if x.at >= cut)


def test_strengths_recur_and_quote_the_user() -> None:
    found = _run(season(100, seed=9))
    assert {r.key for r in found.strength_patterns} >= {"coding", "domain", "communication"}
    assert all(r.sightings[0].words for r in found.strength_patterns)


def test_stock_rejections_are_grouped_outside_control_never_as_a_pattern() -> None:
    s = season(200, seed=7)
    found = _run(s)
    outside = [f for f in s.feedback if is_outside_control(f.text)]
    assert outside and len(found.critiques.outside_control) == len(outside)
    grouped = {i for c in found.critiques.to_work_on for i in c.feedback_ids}
    assert grouped.isdisjoint(found.critiques.outside_control)
    assert {t for c in found.critiques.to_work_on if c.is_pattern for t in c.topics} <= {
        "system design",
        "behavioural stories",
    }


def test_funnel_counts_add_up_on_a_season() -> None:
    s = season(150, seed=4)
    f = _run(s).funnel
    assert f.count("applications") == sum(a.count for a in s.applications)
    assert f.count("first_interviews") == len(processes_of(s.interviews))
    assert f.count("offers") == sum(1 for i in s.interviews if i.outcome == "offer")
    assert f.count("offers") <= f.count("later_rounds") <= f.count("first_interviews")
    assert f.waiting == sum(1 for p in f.processes if p.result is None)
    assert sum(len(p.interview_ids) for p in f.processes) == len(s.interviews)


def test_confidence_rises_over_a_season_that_gets_easier() -> None:
    c = _run(season(150, seed=2)).confidence
    assert c.trend == "rising" and c.recent_mean > c.earlier_mean


def test_suggestions_follow_the_strongest_pattern() -> None:
    found = _run(season(120, weak=("behavioural",), seed=8))
    assert 1 <= len(found.suggestions) <= 2
    first = found.suggestions[0]
    assert first.topic == "behavioural" and first.practice.key == "star"
    assert "situation" in first.practice.text and "out loud" in first.practice.text


def test_unchecked_answers_and_company_views() -> None:
    s = season(80, seed=6)
    found = _run(s)
    flagged = sum(1 for d in s.debriefs for q in d.questions if q.check_later and not q.checked)
    assert len(found.unchecked) == flagged
    views = {d.company_view for d in s.debriefs} - {None}
    assert views and found.company_views.count > 0


def test_focus_progress_on_a_season_where_the_focus_works() -> None:
    s = season(150, weak=("behavioural",), seed=12)
    began = s.now - timedelta(weeks=8)
    later = [d for d in s.debriefs if d.at >= began]
    # From the focus on, behavioural stumbles stop: rebuild those debriefs without them.
    fixed = [d for d in s.debriefs if d.at < began] + [
        type(d)(**{**{k: getattr(d, k) for k in d.__slots__}, "stumbles": None, "questions": ()}) for d in later
    ]
    topic = focus_topic("Write and rehearse a STAR story about a disagreement")
    assert topic == "behavioural"
    assert focus_progress(topic, began, fixed).verdict == "fewer"
    assert focus_progress(topic, began, s.debriefs).verdict == "same"


def test_before_the_next_system_design_round() -> None:
    found = _run(season(120, weak=("system_design",), seed=7))
    notes = notes_for_upcoming("system_design", found.stumbles)
    assert [n.topic for n in notes][:1] == ["system_design"]
    assert len(notes) == 2 and notes[0].words and notes[0].words in notes[0].text


def test_nothing_in_gives_nothing_out() -> None:
    s = season(1, seed=1)
    found = find_patterns([], [], [], [], s.now)
    assert found.stumbles == () and found.suggestions == () and found.funnel.leaks == ()
    assert found.funnel.outcomes_needed == 5 and found.confidence.trend == "too_early"
    assert notes_for_upcoming("technical", found.stumbles) == ()
