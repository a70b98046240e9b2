"""The weekly summary's own read of a user's week (``SummaryService.compute_private``, the path the send
and the benchmark use) against the general reads of the same store (the pattern engine's facts, each
table read whole by its own repository): the same summary, for many users and every week of their data."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from bot.clock import Clock
from bot.coach.patterns import focus_progress, focus_topic
from bot.coach.summaries import WeekFacts, next_due, parse_weekly_time, private_summary, window_of
from bot.config import Settings
from bot.services.patterns import PatternsService
from bot.services.summaries import SummaryService
from bot.store import Store
from tests.coach.patterns_season import season
from tests.season_store import load_season

ZONES = (ZoneInfo("Europe/Berlin"), ZoneInfo("America/New_York"), ZoneInfo("Asia/Kolkata"))
FOCUS_TEXTS = ("system design", "talking about conflict", "coding under time")


async def reference(store: Store, patterns: PatternsService, user_id: int, zone: ZoneInfo, due):
    """The summary from the general reads: every row of the user, cut to the week's end here."""
    start, end = window_of(due, zone)
    facts = await patterns.facts(user_id)
    history = await store.interviews.history(user_id)
    week = WeekFacts(
        interviews=[i for i in facts.interviews if i.starts_at < end],
        debriefs=[d for d in facts.debriefs if d.at < end],
        feedback=[f for f in facts.feedback if start <= f.at < end],
        applications=[a for a in facts.applications if a.at < end],
        outcomes_at={i.id: i.outcome_at for i in history if i.outcome_at is not None},
    )
    focus = await store.debriefs.active_focus(user_id)
    progress = focus_progress(focus_topic(focus.text), focus.created_at, week.debriefs) if focus else None
    return private_summary(week, start, end, progress)


async def test_the_weekly_read_gives_the_summary_the_general_reads_give_for_many_users_and_weeks(tmp_path):
    store = await Store.open(tmp_path / "d.db")
    try:
        clock = Clock()
        summaries = SummaryService(store, Settings(), clock, queue=None)  # type: ignore[arg-type]
        patterns = PatternsService(store, Settings(), clock)
        when = parse_weekly_time("Sun 18:00")
        users = {}
        for n in range(9):
            s = season(30 + 8 * n, weeks=10 + 2 * n, seed=200 + n, debrief_share=0.6 + 0.04 * n)
            user_id = 5000 + n
            await load_season(store, user_id, s)
            if n % 2:  # an active focus for some users (the summary reports its progress)
                async with store.transaction() as tx:
                    at = s.interviews[len(s.interviews) // 2].starts_at
                    await store.debriefs.add_focus(tx, user_id, FOCUS_TEXTS[n % 3], None, at)
            users[user_id] = (s, ZONES[n % 3])
        weeks = changed = with_focus = 0
        for user_id, (s, zone) in users.items():
            due = next_due(s.interviews[0].starts_at - timedelta(days=7), zone, when)
            while due <= s.now + timedelta(days=14):
                got = await summaries.compute_private(user_id, zone, due)
                expected = await reference(store, patterns, user_id, zone, due)
                assert got.summary == expected, (user_id, due)
                weeks += 1
                changed += bool(expected.new_patterns or expected.again or expected.eased)
                with_focus += expected.focus is not None
                due = next_due(due, zone, when)
        # Many weeks, and ones that exercise what the summary says of patterns and of a focus.
        assert weeks >= 120 and changed > 50 and with_focus > 30
    finally:
        await store.close()
