"""Every guard and threshold of the pattern engine, at and around its edge."""

from __future__ import annotations

import ast
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

import bot.coach.patterns
from bot.coach.patterns import (
    ApplicationFact,
    DebriefFact,
    FeedbackFact,
    InterviewFact,
    QuestionFact,
    company_reminder,
    find_patterns,
    focus_progress,
    notes_for_upcoming,
)
from bot.coach.patterns import facts as F
from bot.coach.patterns.focus import suggestions
from bot.coach.patterns.funnel import funnel, processes_of
from bot.coach.patterns.recurring import confidence_over_time, recurring_critiques, recurring_stumbles
from bot.coach.voice import voice_problems

from .test_purity import FORBIDDEN_FUNCTIONS, FORBIDDEN_METHODS, FORBIDDEN_MODULES
from .test_voice import _seed_texts, _words

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


def iv(
    n: int, *, days_ago: float = 10, stage: str = "technical", outcome: str | None = None, company: str = "", prev=None
):
    return InterviewFact(n, company or f"Co{n}", stage, NOW - timedelta(days=days_ago), outcome, prev)


def db(n: int, *, days_ago: float = 10, stumbles: str | None = None, **kw) -> DebriefFact:
    return DebriefFact(n, NOW - timedelta(days=days_ago), stumbles=stumbles, **kw)


def stumbles_of(debriefs, interviews=()):
    return {r.key: r for r in recurring_stumbles(debriefs, {i.id: i for i in interviews}, NOW)}


# -- stumbles: one data point, then a pattern ------------------------------------------------------


def test_one_mention_is_a_data_point_two_are_a_pattern() -> None:
    assert F.PATTERN_MIN_REPEATS == 2
    one = stumbles_of([db(1, stumbles="Ran out of time on capacity estimates")])["system_design"]
    assert one.count == 1 and not one.is_pattern
    two = stumbles_of([db(1, stumbles="capacity estimates"), db(2, stumbles="sharding went badly")])
    assert two["system_design"].is_pattern and two["system_design"].count == 2


def test_one_debrief_counts_once_however_often_it_mentions_a_topic() -> None:
    r = stumbles_of([db(1, stumbles="Sharding. Caching. Capacity.", prep_gaps="architecture")])["system_design"]
    assert r.count == 1 and not r.is_pattern


def test_recent_window_edge() -> None:
    days = F.RECENT_WINDOW.days
    at_edge = stumbles_of([db(1, days_ago=days, stumbles="froze"), db(2, days_ago=days + 0.001, stumbles="froze")])
    assert (at_edge["nerves"].recent, at_edge["nerves"].earlier) == (1, 1)


def test_trend_compares_rates_not_counts() -> None:
    earlier = [db(n, days_ago=60 + n, stumbles="froze" if n < 2 else "fine") for n in range(4)]  # 2 of 4
    recent_same = [db(10 + n, days_ago=5 + n, stumbles="froze" if n < 1 else "fine") for n in range(2)]  # 1 of 2
    assert stumbles_of(earlier + recent_same)["nerves"].trend == "steady"
    recent_more = [db(10 + n, days_ago=5 + n, stumbles="froze") for n in range(2)]
    assert stumbles_of(earlier + recent_more)["nerves"].trend == "more_lately"
    assert stumbles_of(earlier)["nerves"].trend == "less_lately"
    assert stumbles_of(recent_more)["nerves"].trend == "new"


def test_trend_ratio_edge() -> None:
    assert F.TREND_RATIO == 1.5
    earlier = [db(n, days_ago=60 + n, stumbles="froze" if n < 2 else "fine") for n in range(6)]  # 1/3
    at_edge = [db(10 + n, days_ago=5 + n, stumbles="froze" if n < 1 else "fine") for n in range(2)]  # 1/2 = 1.5x
    assert stumbles_of(earlier + at_edge)["nerves"].trend == "more_lately"
    below = [db(10 + n, days_ago=5 + n, stumbles="froze" if n < 1 else "fine") for n in range(3)]  # 1/3
    assert stumbles_of(earlier + below)["nerves"].trend == "steady"
    fewer = [db(10 + n, days_ago=5 + n, stumbles="froze" if n < 2 else "fine") for n in range(9)]  # 2/9 = 1/1.5
    assert stumbles_of(earlier + fewer)["nerves"].trend == "less_lately"


def test_flagged_questions_and_no_questions_asked_count_as_stumbles() -> None:
    d = db(1, questions=(QuestionFact("Estimate the QPS", check_later=True), QuestionFact("What is a join")))
    found = stumbles_of([d, db(2, showed_interest="no")])
    assert found["estimation"].count == 1 and "coding" not in found
    assert found["questions_for_them"].count == 1 and found["questions_for_them"].sightings[0].words is None


# -- critiques -------------------------------------------------------------------------------------


def fb(n: int, interview: int, text: str, control: str | None = None) -> FeedbackFact:
    return FeedbackFact(n, interview, text, NOW - timedelta(days=30 - n), control)


def test_critique_needs_two_interviews_not_two_notes() -> None:
    assert F.CRITIQUE_MIN_REPEATS == 2
    same = recurring_critiques([fb(1, 1, "Weak system design"), fb(2, 1, "Architecture was thin")], {})
    assert len(same.to_work_on) == 1 and not same.to_work_on[0].is_pattern
    two = recurring_critiques([fb(1, 1, "Weak system design"), fb(2, 2, "Architecture was thin")], {})
    assert two.to_work_on[0].is_pattern and two.to_work_on[0].topics == ("system design",)


def test_outside_control_feedback_is_never_a_critique_to_fix_unless_the_user_says_so() -> None:
    texts = ["We went with a closer fit.", "Another candidate was a better fit.", "The role was filled internally."]
    c = recurring_critiques([fb(n, n, t) for n, t in enumerate(texts, 1)], {})
    assert c.to_work_on == () and c.outside_control == (1, 2, 3)
    marked = recurring_critiques([fb(1, 1, "Better fit on system design", "within_control")], {})
    assert marked.outside_control == () and len(marked.to_work_on) == 1
    marked = recurring_critiques([fb(1, 1, "Your answers rambled", "outside_control")], {})
    assert marked.outside_control == (1,)


# -- the funnel ------------------------------------------------------------------------------------


def outcomes(n: int, result: str = "rejected", start: int = 1):
    return [iv(start + k, days_ago=40 + k, outcome=result) for k in range(n)]


def test_no_diagnosis_from_fewer_than_five_outcomes() -> None:
    assert F.MIN_OUTCOMES_FOR_DIAGNOSIS == 5
    pending = [iv(90, days_ago=1), iv(91, days_ago=2, outcome="advanced")]
    four = funnel(outcomes(4) + pending, [], NOW)
    assert four.leaks == () and four.outcomes_needed == 1 and four.waiting == 2
    assert "1 more" in four.note and "2 processes still waiting" in four.note
    five = funnel(outcomes(5) + pending, [], NOW)
    assert five.outcomes_needed == 0 and five.leak == "first_round"


def test_withdrawals_are_not_outcomes() -> None:
    f = funnel([*outcomes(4), iv(50, outcome="withdrew")], [], NOW)
    assert f.outcomes == 4 and f.waiting == 0 and f.leaks == ()


def test_no_rate_compared_from_fewer_than_twenty_applications() -> None:
    assert F.MIN_APPLICATIONS_FOR_COMPARISON == 20
    nineteen = funnel([iv(1, outcome="rejected")], [ApplicationFact(19, NOW - timedelta(days=40))], NOW)
    assert nineteen.stages[1].conversion is None and nineteen.applications_needed == 1
    assert "cv_targeting" not in nineteen.leaks
    twenty = funnel([iv(1, outcome="rejected")], [ApplicationFact(20, NOW - timedelta(days=40))], NOW)
    assert twenty.stages[1].conversion == 0.05 and twenty.applications_needed == 0
    assert twenty.leak == "cv_targeting"


def test_low_interview_rate_edge() -> None:
    apps = [ApplicationFact(20, NOW - timedelta(days=40))]
    assert F.LOW_INTERVIEW_RATE == 0.1
    assert "cv_targeting" not in funnel(outcomes(2), apps, NOW).leaks  # 2 of 20 = 0.10
    assert "cv_targeting" in funnel(outcomes(1), apps, NOW).leaks


def chains(n: int, last: str = "rejected", start: int = 60):
    out = [iv(start + k, days_ago=50, outcome="advanced", company=f"L{start + k}") for k in range(n)]
    return out + [
        iv(start + 100 + k, days_ago=40, outcome=last, company=f"L{start + k}", prev=start + k) for k in range(n)
    ]


def test_first_round_or_later_rounds_edge() -> None:
    assert F.LOW_FIRST_ROUND_PASS == 0.25
    at_edge = funnel([*outcomes(6), *chains(2)], [], NOW)  # 2 of 8 first interviews reach a later round
    assert (at_edge.count("first_interviews"), at_edge.count("later_rounds")) == (8, 2)
    assert at_edge.leaks == ("later_rounds",)
    below = funnel([*outcomes(7), *chains(2)], [], NOW)  # 2 of 9
    assert below.leaks == ("first_round",)
    with_offer = funnel([*outcomes(6), *chains(1), *chains(1, "offer", start=80)], [], NOW)
    assert with_offer.count("offers") == 1 and with_offer.leaks == ()
    assert "No stage stands out" in with_offer.note


def test_volume_edge() -> None:
    assert F.FEW_APPLICATIONS == 8
    offer = [iv(1, outcome="advanced", company="A"), iv(2, days_ago=5, outcome="offer", prev=1)]
    base = offer + [iv(10 + k, days_ago=50, outcome="advanced", company=f"B{k}") for k in range(4)]
    base += [iv(20 + k, days_ago=45, outcome="rejected", company=f"B{k}", prev=10 + k) for k in range(4)]
    seven = [ApplicationFact(7, NOW - timedelta(days=3)), ApplicationFact(30, NOW - timedelta(days=60))]
    eight = [ApplicationFact(8, NOW - timedelta(days=3)), ApplicationFact(30, NOW - timedelta(days=60))]
    assert funnel(base, seven, NOW).leaks == ("volume",)
    assert funnel(base, eight, NOW).leaks == ()
    assert funnel(base, [], NOW).leaks == ()  # nothing logged: nothing to say about volume


def test_process_gap_edge() -> None:
    assert timedelta(days=60) == F.PROCESS_GAP
    a = iv(1, days_ago=100, outcome="advanced", company="Acme")
    assert len(processes_of([a, iv(2, days_ago=40, company="acme ")])) == 1
    assert len(processes_of([a, iv(2, days_ago=39.9, company="Acme")])) == 2
    closed = iv(1, days_ago=100, outcome="rejected", company="Acme")
    assert len(processes_of([closed, iv(2, days_ago=90, company="Acme")])) == 2


# -- confidence ------------------------------------------------------------------------------------


def conf(values, start_days=100):
    return [db(n, days_ago=start_days - 10 * n, confidence=v) for n, v in enumerate(values)]


def test_confidence_needs_three_readings_each_side() -> None:
    assert F.MIN_CONFIDENCE_POINTS == 3
    five = confidence_over_time(conf([1, 1, 1, 4, 4]), NOW)
    assert five.trend == "too_early" and five.needed == 1
    six = confidence_over_time(conf([1, 1, 1, 4, 4, 4]), NOW)
    assert six.trend == "rising" and six.needed == 0


def test_confidence_shift_edge() -> None:
    assert F.CONFIDENCE_SHIFT == 0.5
    assert confidence_over_time(conf([2, 2, 3, 3, 3, 2]), NOW).trend == "steady"  # 2.33 -> 2.67
    assert confidence_over_time(conf([2, 2, 2, 3, 2, 2]), NOW).trend == "steady"  # +0.33
    assert confidence_over_time(conf([2, 2, 2, 2, 3, 2.5]), NOW).trend == "rising"  # +0.5
    assert confidence_over_time(conf([4, 4, 4, 3, 4, 3.5]), NOW).trend == "falling"


# -- focus -----------------------------------------------------------------------------------------


def focus_debriefs(before, after):
    began = NOW - timedelta(days=30)
    ds = [
        db(n, days_ago=60 + n, stumbles="my conflict story rambled" if s else "ok", topics=("behavioural",))
        for n, s in enumerate(before)
    ]
    ds += [
        db(100 + n, days_ago=20 - n, stumbles="my conflict story rambled" if s else "ok", topics=("behavioural",))
        for n, s in enumerate(after)
    ]
    return began, ds


def test_focus_too_early_under_three_debriefs_after() -> None:
    assert (F.MIN_DEBRIEFS_AFTER_FOCUS, F.MIN_DEBRIEFS_BEFORE_FOCUS) == (3, 2)
    began, ds = focus_debriefs([1, 1, 1], [0, 0])
    p = focus_progress("behavioural", began, ds)
    assert p.verdict == "too_early" and p.needed == 1 and "Too early to tell" in p.note
    began, ds = focus_debriefs([1], [0, 0, 0])
    assert focus_progress("behavioural", began, ds).needed == 1
    began, ds = focus_debriefs([1, 1, 1], [0, 0, 0])
    p = focus_progress("behavioural", began, ds)
    assert p.verdict == "fewer" and p.before == (3, 3) and p.after == (0, 3)


def test_focus_change_edge() -> None:
    assert F.FOCUS_CHANGE == 0.2
    began, ds = focus_debriefs([1, 1, 1, 1, 1], [1, 1, 1, 1, 0])  # 1.0 -> 0.8: exactly 0.2 fewer
    assert focus_progress("behavioural", began, ds).verdict == "fewer"
    began, ds = focus_debriefs([1, 1, 1, 1, 1, 1], [1, 1, 1, 1, 1, 0])  # 1.0 -> 0.83
    assert focus_progress("behavioural", began, ds).verdict == "same"
    began, ds = focus_debriefs([0, 0, 0, 0, 0], [1, 0, 0, 0, 0])  # 0 -> 0.2
    assert focus_progress("behavioural", began, ds).verdict == "more"


def test_unknown_focus_topic() -> None:
    p = focus_progress(None, NOW, [])
    assert p.verdict == "unknown_topic" and "yours to judge" in p.note


# -- suggestions and notes before an interview -----------------------------------------------------


def test_no_suggestion_from_one_data_point_and_never_more_than_two() -> None:
    assert F.MAX_SUGGESTIONS == 2
    one = recurring_stumbles([db(1, stumbles="froze")], {}, NOW)
    assert suggestions(one, recurring_critiques([], {})) == ()
    many = recurring_stumbles(
        [db(n, stumbles="froze, rambled, conflict story, sharding, no questions at the end") for n in range(4)], {}, NOW
    )
    got = suggestions(many, recurring_critiques([], {}), unchecked_count=5)
    assert len(got) == 2 and len({s.practice.key for s in got}) == 2


def test_unchecked_answers_suggest_a_recheck_from_two() -> None:
    empty = recurring_critiques([], {})
    assert suggestions((), empty, unchecked_count=1) == ()
    [s] = suggestions((), empty, unchecked_count=2)
    assert s.practice.key == "recheck" and "friend" in s.practice.text


def test_notes_before_a_system_design_round() -> None:
    interviews = [iv(1, stage="system_design"), iv(2, stage="system_design"), iv(3, stage="behavioural")]
    debriefs = [
        db(1, days_ago=20, stumbles="Ran out of time on capacity estimates. Froze at the start"),
        db(2, days_ago=10, stumbles="Ran out of time on capacity estimates again"),
        db(3, days_ago=5, stumbles="My conflict story rambled"),
    ]
    found = recurring_stumbles(debriefs, {i.id: i for i in interviews}, NOW)
    notes = notes_for_upcoming("system_design", found)
    assert F.MAX_UPCOMING_NOTES == 2 and len(notes) == 2
    assert notes[0].topic == "system_design" and notes[0].count == 2 and notes[0].same_stage == 2
    assert "twice so far" in notes[0].text and "capacity estimates again" in notes[0].text
    assert notes[1].topic == "estimation"
    assert len(notes_for_upcoming("system_design", found, limit=1)) == 1
    assert notes_for_upcoming("behavioural", found)[0].topic == "behavioural"


def test_find_patterns_reads_nothing_from_the_future_and_needs_an_aware_now() -> None:
    future = db(1, days_ago=-1, stumbles="froze")
    assert find_patterns([], [future], [], [], NOW).stumbles == ()
    with pytest.raises(ValueError):
        find_patterns([], [], [], [], NOW.replace(tzinfo=None))


# -- voice, faithfulness, purity -------------------------------------------------------------------


def _engine_strings() -> list[str]:
    from bot.coach.patterns.focus import PRACTICES
    from bot.coach.patterns.funnel import LEAK_NOTES

    out = [p.text for p in PRACTICES.values()] + list(LEAK_NOTES.values())
    out += [funnel(outcomes(k), [], NOW).note for k in range(6)]
    began, ds = focus_debriefs([1, 1, 1], [0])
    out += [focus_progress("behavioural", began, ds).note, focus_progress(None, NOW, []).note]
    began, ds = focus_debriefs([1, 1, 1], [0, 0, 1])
    out.append(focus_progress("behavioural", began, ds).note)
    found = recurring_stumbles([db(n, stumbles="froze, conflict story") for n in range(3)], {}, NOW)
    out += [s.why for s in suggestions(found, recurring_critiques([], {}), unchecked_count=3)]
    out += [n.text for n in notes_for_upcoming("behavioural", found)]
    acme = {1: InterviewFact(1, "Acme", "technical", NOW - timedelta(days=3), "advanced")}
    for view in ("keen", "unsure", "not_for_me"):
        for note in (None, "the on-call rota sounded heavy"):
            line = company_reminder("Acme", [DebriefFact(1, NOW, company_view=view, company_note=note)], acme, NOW)
            assert line is not None
            out.append(line)
    return out


def test_engine_sentences_keep_the_voice() -> None:
    strings = _engine_strings()
    assert len(strings) > 15
    assert {s: voice_problems(s) for s in strings if voice_problems(s)} == {}


def test_engine_sentences_copy_no_seven_word_run_from_the_seeds() -> None:
    corpus = " " + " ".join(" ".join(_words(s)) for s in _engine_strings()) + " "
    copied = set()
    for seed in _seed_texts():
        words = _words(seed)
        copied |= {
            " ".join(words[i : i + 7]) for i in range(len(words) - 6) if f" {' '.join(words[i : i + 7])} " in corpus
        }
    assert copied == set()


@pytest.mark.parametrize("path", sorted(Path(bot.coach.patterns.__file__).parent.glob("*.py")), ids=lambda p: p.name)
def test_the_package_is_pure(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
            assert not any(n.split(".")[0] in FORBIDDEN_MODULES or n.startswith("bot.store") for n in names), names
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            assert name not in FORBIDDEN_METHODS | FORBIDDEN_FUNCTIONS, f"{path.name}:{node.lineno}"
        assert not isinstance(node, ast.AsyncFunctionDef | ast.Await)
    assert "import re\n" not in path.read_text(encoding="utf-8")  # user text is read without regexes
