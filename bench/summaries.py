"""Weekly summaries: compute time of the private summary per user and of one 2,000-member cohort.

Coach-only (no store, no Discord): a year of data per user (50 interviews, 40 debriefs, 10 feedback,
52 application batches). ``python bench/summaries.py [users]``; prints the median of 3 runs.
"""

from __future__ import annotations

import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.coach.patterns.facts import ApplicationFact, DebriefFact, FeedbackFact, InterviewFact
from bot.coach.summaries import MemberWeek, WeekFacts, cohort_summary, private_summary, window_of

END = datetime(2026, 11, 29, 17, 0, tzinfo=UTC)
STUMBLES = ("I froze on the graph question", "rambled on system design", "no questions at the end", "")


def year_of(seed: int) -> WeekFacts:
    interviews = [
        InterviewFact(i, f"Co{(seed + i) % 30}", "technical", END - timedelta(days=7 * i + 1), None) for i in range(50)
    ]
    debriefs = [
        DebriefFact(i, END - timedelta(days=7 * i), stumbles=STUMBLES[(seed + i) % 4], confidence=3) for i in range(40)
    ]
    feedback = [FeedbackFact(i, i, "communication could be clearer", END - timedelta(days=30 * i)) for i in range(10)]
    apps = [ApplicationFact(5, END - timedelta(days=7 * i)) for i in range(52)]
    return WeekFacts(interviews, debriefs, feedback, apps, {})


def run(users: int) -> tuple[float, float]:
    zone = ZoneInfo("Europe/Berlin")
    start, end = window_of(END, zone)
    facts = [year_of(s) for s in range(min(users, 100))]
    t0 = time.perf_counter()
    for n in range(users):
        private_summary(facts[n % len(facts)], start, end)
    private = time.perf_counter() - t0
    members = [MemberWeek(1, 1, frozenset({"technical"}), frozenset({"nerves", str(i % 7)})) for i in range(2000)]
    t0 = time.perf_counter()
    cohort_summary(members, 3)
    return private / users, time.perf_counter() - t0


if __name__ == "__main__":
    users = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    runs = [run(users) for _ in range(3)]
    per_user = statistics.median(r[0] for r in runs)
    print(f"private summary: median {per_user * 1e3:.2f} ms/user -> {per_user * 100_000:.0f} s for 100,000 users")
    print(f"cohort of 2,000 members (compute only): median {statistics.median(r[1] for r in runs) * 1e3:.1f} ms")
