"""The patterns service with a real store and no Discord: the engine's facts built from the store match
what went in, reading writes nothing, and focus is one or two things at a time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.clock import Clock
from bot.coach import script
from bot.coach.patterns import find_patterns
from bot.config import Settings
from bot.errors import UserError
from bot.services.patterns import PatternsService, debrief_fact
from bot.store import Store
from tests.coach.patterns_season import season
from tests.season_store import load_season

ALICE, BOB = 1, 2


@pytest.fixture
async def env(tmp_path: Path):
    store = await Store.open(tmp_path / "d.db")
    clock = Clock()
    yield store, clock, PatternsService(store, Settings(), clock)
    await store.close()


async def test_facts_from_the_store_give_the_same_patterns_as_the_season_itself(env):
    store, clock, service = env
    s = season(60, weeks=16, seed=3)
    ids = await load_season(store, ALICE, s)
    clock.set(s.now)
    facts = await service.facts(ALICE)
    assert len(facts.interviews) == len(s.interviews) and len(facts.debriefs) == len(s.debriefs)
    assert sum(a.count for a in facts.applications) == sum(a.count for a in s.applications)
    assert len(facts.feedback) == len(s.feedback)
    back = {v: k for k, v in ids.items()}
    by_season = {d.interview_id: d for d in s.debriefs}
    for d in facts.debriefs:
        original = by_season[back[d.interview_id]]
        assert (d.topics, d.stumbles, d.confidence, d.one_thing) == (
            original.topics,
            original.stumbles,
            original.confidence,
            original.one_thing,
        )
        assert [q.question for q in d.questions] == [q.question for q in original.questions]
    expected = find_patterns(s.interviews, s.debriefs, s.feedback, s.applications, s.now)
    report = await service.report(ALICE)
    assert [(r.key, r.count) for r in report.patterns.stumbles] == [(r.key, r.count) for r in expected.stumbles]
    assert [st.count for st in report.patterns.funnel.stages] == [st.count for st in expected.funnel.stages]
    assert report.enough and report.missing == ()


async def test_another_users_rows_never_reach_the_facts(env):
    store, clock, service = env
    s = season(20, weeks=6, seed=5)
    await load_season(store, ALICE, s)
    clock.set(s.now)
    await store.users.ensure(BOB, s.now)
    facts = await service.facts(BOB)
    assert facts.interviews == facts.debriefs == facts.feedback == facts.applications == ()
    report = await service.report(BOB)
    assert not report.enough and len(report.missing) == 2


async def test_reading_writes_nothing(env):
    store, clock, service = env
    s = season(20, weeks=6, seed=5)
    await load_season(store, ALICE, s)
    clock.set(s.now)
    before = store.db.total_changes if hasattr(store.db, "total_changes") else None
    dump_before = await store.db.fetchall("SELECT COUNT(*) FROM focus")
    await service.report(ALICE)
    await service.focuses(ALICE)
    await service.suggestions(ALICE)
    assert await store.db.fetchall("SELECT COUNT(*) FROM focus") == dump_before
    if before is not None:
        assert store.db.total_changes == before


def test_a_damaged_or_old_answer_is_read_as_skipped():
    at = datetime(2026, 5, 1, tzinfo=UTC)
    fact = debrief_fact(1, at, {"topics": "coding", "confidence": True, "questions": [{"answer": "x"}, 5]})
    assert fact.topics == () and fact.confidence is None and fact.questions == ()
    fact = debrief_fact(1, at, {"topics": ["coding", "not_a_topic"], "company": "Not for me: no on-call support"})
    assert fact.topics == ("coding",) and fact.company_view == "not_for_me"
    assert fact.company_note == "no on-call support"
    fact = debrief_fact(1, at, {"company": {"view": "someday", "note": "x"}})
    assert fact.company_view is None and fact.company_note is None


def test_the_company_step_is_read_as_the_engine_reads_it():
    """What the debrief step stores is what the patterns service reads: the view and the note."""
    at = datetime(2026, 5, 1, tzinfo=UTC)
    step = script.step("company")
    for typed, view, note in (
        ("Not for me: no on-call support", "not_for_me", "no on-call support"),
        ("keen", "keen", None),
        ("not sure - the team seemed stretched", "unsure", "the team seemed stretched"),
    ):
        fact = debrief_fact(1, at, {"company": script.parse_typed_answer(step, typed)})
        assert (fact.company_view, fact.company_note) == (view, note)
    fact = debrief_fact(1, at, {"company": script.validate_answer(step, "not_for_me")})
    assert (fact.company_view, fact.company_note) == ("not_for_me", None)


async def test_focus_is_one_or_two_things_and_an_unknown_one_gets_a_clear_reply(env):
    _store, clock, service = env
    now = datetime(2026, 6, 1, 12, tzinfo=UTC)
    clock.set(now)
    await service.set_focus(ALICE, "Rehearse a STAR story about conflict")
    clock.advance(timedelta(minutes=1))
    active = await service.set_focus(ALICE, "  Build a kit of   questions to ask ")
    assert [f.text for f in active] == ["Rehearse a STAR story about conflict", "Build a kit of questions to ask"]
    with pytest.raises(UserError, match="two focuses already"):
        await service.set_focus(ALICE, "Timed practice")
    with pytest.raises(UserError, match="already one of your focuses"):
        await service.set_focus(ALICE, "rehearse a star story about conflict")
    with pytest.raises(UserError, match="can't find that focus"):
        await service.done(ALICE, 9999)
    with pytest.raises(UserError, match="can't find that focus"):
        await service.done(BOB, active[0].id)  # not Bob's
    await service.done(ALICE, active[0].id)
    views = await service.focuses(ALICE)
    assert [v.focus.text for v in views] == ["Build a kit of questions to ask"]
    assert views[0].progress.topic == "questions_for_them" and views[0].progress.verdict == "too_early"


async def test_focus_suggestions_are_kept_for_a_bounded_number_of_users(env, monkeypatch):
    """Memory for suggestions does not grow with users: past the bound, the least recently used go."""
    import bot.services.patterns as patterns_module

    store, clock, service = env
    s = season(30, weeks=8, seed=5)
    users = (11, 12, 13, 14)
    for user in users:
        await load_season(store, user, s)
    clock.set(s.now)
    monkeypatch.setattr(patterns_module, "SUGGESTION_USERS", 2)
    runs: list[int] = []
    report = service.report

    async def counted(user_id: int):
        runs.append(user_id)
        return await report(user_id)

    monkeypatch.setattr(service, "report", counted)
    first = await service.suggestions(11)
    assert await service.suggestions(11) == first and runs == [11]
    for user in users[1:]:
        await service.suggestions(user)
    await service.suggestions(14)  # the most recent: still kept
    await service.suggestions(11)  # dropped two users ago: worked out again
    assert runs == [11, 12, 13, 14, 11]


async def test_the_patterns_mark_changes_with_what_the_engine_reads(env):
    store, _clock, _service = env
    s = season(30, weeks=8, seed=5)
    ids = await load_season(store, ALICE, s)
    before = await store.debriefs.patterns_mark(ALICE)
    assert await store.debriefs.patterns_mark(ALICE) == before
    assert await store.debriefs.patterns_mark(BOB) != before
    feedback = (await store.feedback.for_user(ALICE, limit=1))[0]
    await store.feedback.set_control(ALICE, feedback.id, "outside_control")
    marked = await store.debriefs.patterns_mark(ALICE)
    assert marked != before
    interview = ids[s.interviews[0].id]
    async with store.transaction() as tx:
        await store.interviews.set_outcome(tx, ALICE, interview, "offer", s.now)
    assert await store.debriefs.patterns_mark(ALICE) != marked
