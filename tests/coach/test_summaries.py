"""The week arithmetic and the cohort's anonymity rules (bot.coach.summaries)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.coach.patterns import InterviewFact, find_patterns
from bot.coach.patterns.funnel import FunnelCounts, funnel_counts_of_rows, processes_of
from bot.coach.patterns.recurring import stumble_topics
from bot.coach.summaries import (
    MemberWeek,
    PrivateSummary,
    SummaryTimeError,
    WeekFacts,
    band,
    cohort_summary,
    next_due,
    parse_weekly_time,
    preview_end,
    private_summary,
    week_key,
    window_of,
)
from tests.coach.patterns_season import season

BERLIN = ZoneInfo("Europe/Berlin")


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("Sun 18:00", "Sun 18:00"),
        ("sunday 6pm", "Sun 18:00"),
        ("thurs 09:30", "Thu 09:30"),
        ("Fri, 5:15pm", "Fri 17:15"),
    ],
)
def test_weekly_times_are_read(text, shown):
    assert str(parse_weekly_time(text)) == shown


def test_off_and_bad_times():
    assert parse_weekly_time("off") is None
    for bad in ("someday 18:00", "Sun", "Sun 18", "Sun 25:00", "Sun 13pm", "x" * 1000):
        with pytest.raises(SummaryTimeError):
            parse_weekly_time(bad)


def test_the_week_that_ends_summer_time_is_169_hours_and_due_at_local_18():
    when = parse_weekly_time("Sun 18:00")
    due = next_due(datetime(2026, 10, 22, tzinfo=UTC), BERLIN, when)
    assert due.astimezone(UTC) == datetime(2026, 10, 25, 17, 0, tzinfo=UTC)
    start, end = window_of(due, BERLIN)
    assert end - start == timedelta(hours=169)
    assert week_key(due, BERLIN) == "2026-W43"
    after = next_due(due, BERLIN, when)
    assert after - due == timedelta(days=7) and week_key(after, BERLIN) == "2026-W44"


def test_a_time_skipped_by_spring_forward_moves_forward():
    due = next_due(datetime(2026, 3, 25, tzinfo=UTC), BERLIN, parse_weekly_time("Sun 02:30"))
    assert due.astimezone(UTC) == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)  # 03:30 summer time


def test_bands_never_show_exact_counts_and_nothing_under_the_threshold():
    assert [band(n, 3) for n in (2, 3, 4, 5, 9, 10, 19, 20)] == [None, "3+", "3+", "5+", "5+", "10+", "10+", "20+"]


def test_a_topic_two_members_share_is_hidden_three_is_shown_and_the_floor_is_three():
    m = [
        MemberWeek(1, 1, frozenset({"technical"}), frozenset({"nerves", "coding"})),
        MemberWeek(1, 1, frozenset({"technical"}), frozenset({"nerves", "coding"})),
        MemberWeek(1, 1, frozenset({"technical"}), frozenset({"nerves"})),
    ]
    s = cohort_summary(m, min_group=2)  # an operator can't go below 3
    assert [c.key for c in s.stumbles] == ["nerves"]
    assert s.other_stumbles is None  # only two members have another topic: not even "other"
    assert cohort_summary(m[:2], min_group=3).is_empty


def test_a_preview_ends_at_the_start_of_the_local_day_even_on_the_day_the_clocks_change():
    berlin = ZoneInfo("Europe/Berlin")
    # Sun 25 Oct 2026 began in summer time (UTC+2) and ends in winter time.
    assert preview_end(datetime(2026, 10, 25, 20, 0, tzinfo=UTC), berlin) == datetime(2026, 10, 24, 22, 0, tzinfo=UTC)
    assert preview_end(datetime(2026, 10, 24, 21, 59, tzinfo=UTC), berlin) == datetime(2026, 10, 23, 22, 0, tzinfo=UTC)


def engine_summary(facts: WeekFacts, start: datetime, end: datetime) -> PrivateSummary:
    """What the private summary said when it ran the whole engine as of both ends of the week (the
    reference the cheaper count must keep to)."""
    inside = lambda at: start <= at < end  # noqa: E731
    before = find_patterns(
        [i for i in facts.interviews if i.starts_at < start],
        [d for d in facts.debriefs if d.at < start],
        [f for f in facts.feedback if f.at < start],
        [a for a in facts.applications if a.at < start],
        start,
    )
    after = find_patterns(facts.interviews, facts.debriefs, facts.feedback, facts.applications, end)
    was = {r.key: r for r in before.stumbles}
    week = [d for d in facts.debriefs if inside(d.at)]
    touched = set().union(*(stumble_topics(d) for d in week)) if week else set()
    new = tuple(r.label for r in after.stumble_patterns if not (r.key in was and was[r.key].is_pattern))
    return PrivateSummary(
        start=start,
        end=end,
        interviews=tuple(sorted((i for i in facts.interviews if inside(i.starts_at)), key=lambda i: i.starts_at)),
        debriefs=len(week),
        outcomes=tuple(
            i for i in facts.interviews if i.outcome and i.id in facts.outcomes_at and inside(facts.outcomes_at[i.id])
        ),
        feedback=sum(1 for f in facts.feedback if inside(f.at)),
        applications=sum(a.count for a in facts.applications if inside(a.at)),
        new_patterns=new,
        again=tuple(r.label for r in after.stumble_patterns if r.key in touched and r.label not in new),
        eased=tuple(
            r.label
            for r in after.stumble_patterns
            if r.trend == "less_lately" and (r.key not in was or was[r.key].trend != "less_lately")
        ),
        focus=None,
        funnel=replace(after.funnel, processes=()),  # the summary keeps the funnel's counts, not its processes
    )


@pytest.mark.parametrize("seed", range(12))
def test_the_private_summary_says_what_the_whole_engine_says_for_every_week_of_a_season(seed):
    s = season(60 + 10 * seed, weeks=16 + seed, seed=seed)
    zone = ZoneInfo("Europe/Berlin")
    when = parse_weekly_time("Sun 18:00")
    due = next_due(s.interviews[0].starts_at, zone, when)
    changed = 0
    while due <= s.now + timedelta(days=7):
        start, end = window_of(due, zone)
        facts = WeekFacts(
            [i for i in s.interviews if i.starts_at < end],
            [d for d in s.debriefs if d.at < end],
            [f for f in s.feedback if f.at < end],
            [a for a in s.applications if a.at < end],
            {},
        )
        expected = engine_summary(facts, start, end)
        assert private_summary(facts, start, end) == expected, due
        changed += bool(expected.new_patterns or expected.again or expected.eased)
        due = next_due(due, zone, when)
    assert changed  # the seasons do exercise what changed in the patterns


def _rows(interviews):
    """The sweep's rows (id, company, stage, start in epoch seconds, outcome, previous id), as the store
    hands them over: by start, then id."""
    rows = [(i.id, i.company, i.stage, i.starts_at.timestamp(), i.outcome, i.previous_id) for i in interviews]
    assert all(r[3] == int(r[3]) for r in rows)  # whole seconds, as the store keeps them
    return sorted(((i, c, st, int(at), o, p) for i, c, st, at, o, p in rows), key=lambda r: (r[3], r[0]))


@pytest.mark.parametrize("seed", range(8))
def test_the_sweeps_funnel_counts_are_those_of_the_engines_processes(seed):
    """``funnel_counts_of_rows`` (the weekly sweep's, from epoch-second rows) against ``processes_of``."""
    s = season(60 + 10 * seed, weeks=16 + seed, seed=seed)
    shuffled = list(reversed(s.interviews))
    processes = processes_of(shuffled)
    counts = funnel_counts_of_rows(_rows(shuffled))
    assert counts == FunnelCounts.of(processes)
    assert counts.first < len(shuffled)  # the seasons do join rounds into processes
    assert counts.later and counts.offers and counts.outcomes and counts.waiting  # and exercise every count


def test_rounds_join_a_process_up_to_the_gap_while_it_is_open():
    t0 = datetime(2026, 1, 5, 10, 0, tzinfo=UTC)
    gap = timedelta(days=60)
    cases = [
        [InterviewFact(1, "Acme", "screen", t0), InterviewFact(2, " acme ", "onsite", t0 + gap)],  # at the gap
        [InterviewFact(1, "Acme", "screen", t0), InterviewFact(2, "Acme", "onsite", t0 + gap + timedelta(seconds=1))],
        [InterviewFact(1, "Acme", "screen", t0, "rejected"), InterviewFact(2, "Acme", "final", t0 + gap / 60)],
        [InterviewFact(1, "Acme", "screen", t0, "advanced"), InterviewFact(2, "Acme", "final", t0 + gap, "offer")],
        [InterviewFact(1, "Acme", "screen", t0, "ghosted"), InterviewFact(2, "Beta", "final", t0 + 2 * gap, None, 1)],
        [InterviewFact(2, "Acme", "screen", t0), InterviewFact(1, "Acme", "onsite", t0)],  # same time: by id
    ]
    joined = [len(processes_of(case)) == 1 for case in cases]
    assert joined == [True, False, False, True, True, True]
    for case in cases:
        assert funnel_counts_of_rows(_rows(case)) == FunnelCounts.of(processes_of(case))


def test_the_sweeps_funnel_counts_every_ending_of_a_process_as_the_engine_does():
    """Endings the seasons do not make: a withdrawal (neither an outcome nor waiting), an offer after a
    rejection in the same process, a ghosting after an advance, an open later round."""
    t0 = datetime(2026, 1, 5, 10, 0, tzinfo=UTC)
    day = timedelta(days=1)
    interviews = [
        InterviewFact(1, "Acme", "screen", t0, "withdrew"),
        InterviewFact(2, "Beta", "screen", t0 + day, "rejected"),
        InterviewFact(3, "Beta", "final", t0 + 2 * day, "offer", 2),  # linked: the same process
        InterviewFact(4, "Gamma", "screen", t0 + 3 * day, "advanced"),
        InterviewFact(5, "gamma", "onsite", t0 + 4 * day, "ghosted"),
        InterviewFact(6, "Delta", "screen", t0 + 5 * day, "advanced"),
        InterviewFact(7, "Delta", "final", t0 + 6 * day),
        InterviewFact(8, "Epsilon", "screen", t0 + 7 * day, "withdrew"),
        InterviewFact(9, "Epsilon", "screen", t0 + 8 * day),  # after a withdrawal: a new process
    ]
    counts = funnel_counts_of_rows(_rows(interviews))
    assert counts == FunnelCounts.of(processes_of(interviews))
    assert counts == FunnelCounts(first=6, later=3, offers=1, outcomes=2, waiting=2)
