"""Benchmark: the weekly summaries on the real path (issue 13): store reads plus compute, through the
bot's own SummaryService, on an SQLite database of N users with a year of data each.

The database is generated once with bulk inserts (through the bot's migrations for the schema) and
cached under ``--db-dir`` (default /tmp) between runs: 50 interviews a year (some with outcomes), 40
finished debriefs with their answers, 10 feedback notes and 52 application batches per user. The
generator writes answers only, as a database from before migration 0011 has them: the bot's start-up pass
(``fill_debrief_keys``) then stores each debrief's reading, timed here once per new database.

Measured:
* the private summary of ``--sample`` users, read page by page as the scheduling sweep pages users
  (``SummaryService.compute_private``: the week's rows and the year's interviews, stored debrief
  readings and application sums in one statement, then the summary), in ms per user, and that
  extrapolated to every user;
* the same users' private summary two weeks later, when none of them did anything (a year of data each, no
  summary to send): what an inactive user's week costs;
* resident memory (current RSS, not the peak) before and after the sample: compare a 10,000-user and a
  100,000-user database to see that it does not grow with the number of users;
* one cohort summary of a 2,000-member channel (``SummaryService.compute_cohort``, SQL included);
* the send pacing: the prompt queue's configured rate against Discord's global limit of 50/s (the
  pacer itself is measured in ``bench/prompt_queue.py``).

Full form (by hand):  python bench/summaries.py --users 100000 --sample 5000 --runs 3
Short form (CI):      python bench/summaries.py --users 300 --sample 200 --runs 1 --page 64 --db-dir <tmp>
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import sqlite3
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.clock import Clock  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.services.patterns import fill_debrief_keys  # noqa: E402
from bot.services.summaries import SummaryService  # noqa: E402
from bot.store import Store  # noqa: E402

END = datetime(2026, 11, 29, 17, 0, tzinfo=UTC)  # Sun 18:00 in Berlin
ZONE = "Europe/Berlin"
FIRST_ID = 10**17  # snowflake-sized user ids
GUILD_ID = 9 * 10**17
CHANNEL_ID = 9 * 10**17 + 1
STAGES = ("screen", "technical", "onsite", "final")
OUTCOMES = ("advanced", "rejected", "ghosted", None)
STUMBLES = (
    "I froze on the graph question",
    "rambled on system design and ran out of time on the capacity estimates",
    "no questions at the end",
    "my conflict story had no clear result",
)
TOPICS = (["coding"], ["system_design"], ["behavioural"], ["behavioural", "communication"])
FEEDBACK = ("communication could be clearer", "needs more depth in system design", "strong on coding")


def rss_mib() -> float:
    """Current resident memory of this process (not the peak)."""
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def generate(path: Path, users: int) -> None:
    """Write the database: the schema through the bot's migrations, then the rows in bulk."""

    async def schema() -> None:
        store = await Store.open(path)
        await store.close()

    asyncio.run(schema())
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA synchronous = OFF")
    ts = lambda moment: int(moment.timestamp())  # noqa: E731
    started = time.perf_counter()
    chunk = 2000
    for first in range(0, users, chunk):
        ids = range(FIRST_ID + first, FIRST_ID + min(users, first + chunk))
        conn.executemany(
            "INSERT INTO users (id, timezone, weekly_summary, created_at) VALUES (?, ?, 1, ?)",
            [(u, ZONE, ts(END - timedelta(days=370))) for u in ids],
        )
        interviews, debriefs, answers, feedback, apps = [], [], [], [], []
        for u in ids:
            seed = u % 97
            base = (u - FIRST_ID) * 50
            for n in range(50):
                iid = base + n + 1
                at = END - timedelta(days=7 * n + 1, hours=seed % 12)
                outcome = OUTCOMES[(seed + n) % 4] if n > 1 else None
                interviews.append(
                    (
                        iid,
                        u,
                        f"Co{(seed + n) % 30}",
                        STAGES[(seed + n) % 4],
                        ts(at),
                        outcome,
                        ts(at + timedelta(days=3)) if outcome else None,
                        ts(at),
                    )
                )
                if n < 40:
                    done = at + timedelta(hours=5)
                    debriefs.append((iid, iid, u, ts(at), ts(done), ts(done)))
                    k = (seed + n) % 4
                    answers.append((iid, "stumbles", json.dumps(STUMBLES[k]), ts(done)))
                    answers.append((iid, "topics", json.dumps(TOPICS[k]), ts(done)))
                if n % 5 == 0:
                    feedback.append((iid, u, FEEDBACK[(seed + n) % 3], ts(at + timedelta(days=4))))
            for w in range(52):
                apps.append((u, 3 + (seed + w) % 5, ts(END - timedelta(days=7 * w + 2))))
        conn.executemany(
            "INSERT INTO interviews (id, user_id, company, stage, starts_at, outcome, outcome_at, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            interviews,
        )
        conn.executemany(
            "INSERT INTO debriefs (id, interview_id, user_id, step, state, started_at, updated_at, finished_at) "
            "VALUES (?, ?, ?, 'one_thing', 'done', ?, ?, ?)",
            debriefs,
        )
        conn.executemany(
            "INSERT INTO answers (debrief_id, step, value, skipped, updated_at) VALUES (?, ?, ?, 0, ?)", answers
        )
        conn.executemany("INSERT INTO feedback (interview_id, user_id, text, created_at) VALUES (?, ?, ?, ?)", feedback)
        conn.executemany("INSERT INTO applications (user_id, count, logged_at) VALUES (?, ?, ?)", apps)
        conn.commit()
        print(f"  generated {min(users, first + chunk):,} users ({time.perf_counter() - started:.0f} s)", flush=True)
    # A 2,000-member cohort (or as many as there are users) in one channel.
    members = min(users, 2000)
    conn.execute("INSERT INTO guilds (id, created_at) VALUES (?, ?)", (GUILD_ID, ts(END)))
    conn.execute(
        "INSERT INTO summary_channels (channel_id, guild_id, timezone, created_at) VALUES (?, ?, ?, ?)",
        (CHANNEL_ID, GUILD_ID, ZONE, ts(END)),
    )
    conn.executemany(
        "INSERT INTO cohort_members (user_id, channel_id, guild_id, joined_at) VALUES (?, ?, ?, ?)",
        [(FIRST_ID + i, CHANNEL_ID, GUILD_ID, ts(END)) for i in range(members)],
    )
    conn.commit()
    conn.execute("ANALYZE")
    conn.close()


async def fill(path: Path) -> tuple[int, float]:
    """The bot's start-up pass that stores each finished debrief's reading (migration 0011), timed: the
    generator writes answers only, as a database from before that migration has them."""
    store = await Store.open(path)
    try:
        started = time.perf_counter()
        filled = await fill_debrief_keys(store)
        return filled, time.perf_counter() - started
    finally:
        await store.close()


async def measure(path: Path, sample: int, page: int) -> dict[str, float]:
    store = await Store.open(path)
    try:
        summaries = SummaryService(store, Settings(), Clock(), queue=None)  # type: ignore[arg-type]
        zone = ZoneInfo(ZONE)
        rss_before = rss_mib()
        done, after, sent = 0, 0, 0
        started, started_cpu = time.perf_counter(), time.process_time()
        while done < sample:
            users = await store.summaries.users_page(after, min(page, sample - done))
            if not users:
                break
            for user_id, _zone, _time in users:
                due = await summaries.compute_private(user_id, zone, END)
                sent += due is not None
            done += len(users)
            after = users[-1][0]
        wall = time.perf_counter() - started
        cpu = time.process_time() - started_cpu
        rss_after = rss_mib()
        # The same users two weeks later (the generator dates one feedback note into the week after END),
        # when none of them did anything: each has a year of data, none has a summary to send (what most
        # users' weeks cost when not everyone is active every week).
        quiet_done, quiet_sent, after = 0, 0, 0
        t0 = time.perf_counter()
        while quiet_done < sample:
            users = await store.summaries.users_page(after, min(page, sample - quiet_done))
            if not users:
                break
            for user_id, _zone, _time in users:
                quiet_sent += await summaries.compute_private(user_id, zone, END + timedelta(days=14)) is not None
            quiet_done += len(users)
            after = users[-1][0]
        quiet_s = time.perf_counter() - t0
        start, end = (END - timedelta(days=7), END)
        t0 = time.perf_counter()
        cohort = await summaries.compute_cohort(CHANNEL_ID, start, end)
        cohort_s = time.perf_counter() - t0
        return {
            "users_timed": done,
            "summaries_with_content": sent,
            "ms_per_user": wall / max(done, 1) * 1000,
            "cpu_ms_per_user": cpu / max(done, 1) * 1000,
            "quiet_week_ms_per_user": quiet_s / max(quiet_done, 1) * 1000,
            "quiet_week_summaries": quiet_sent,
            "rss_before_mib": rss_before,
            "rss_after_mib": rss_after,
            "cohort_ms": cohort_s * 1000,
            "cohort_members_band": cohort.members or "",
        }
    finally:
        await store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=100_000, help="users in the database")
    parser.add_argument("--sample", type=int, default=20_000, help="users whose summary is timed per run")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--page", type=int, default=1000, help="users read per page (the sweep's page)")
    parser.add_argument("--db-dir", type=Path, default=Path("/tmp"))
    parser.add_argument("--json", type=Path, help="write the figures here")
    args = parser.parse_args()
    path = args.db_dir / f"debrief-bench-summaries-{args.users}.db"
    if not path.exists():
        print(f"generating {path} ({args.users:,} users with a year each)...", flush=True)
        partial = path.with_suffix(".partial")
        for leftover in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
            leftover.unlink(missing_ok=True)
        generate(partial, args.users)
        partial.rename(path)
    filled, fill_s = asyncio.run(fill(path))
    if filled:
        print(f"stored the reading of {filled:,} debriefs in {fill_s:.0f} s (the start-up pass)", flush=True)
    runs = [asyncio.run(measure(path, min(args.sample, args.users), args.page)) for _ in range(args.runs)]
    per_user = statistics.median(r["ms_per_user"] for r in runs)
    figures = {
        "users": args.users,
        "sample": runs[0]["users_timed"],
        "runs": args.runs,
        "median_ms_per_user": round(per_user, 3),
        "median_cpu_ms_per_user": round(statistics.median(r["cpu_ms_per_user"] for r in runs), 3),
        "extrapolated_s_for_all_users": round(per_user * args.users / 1000, 1),
        "median_quiet_week_ms_per_user": round(statistics.median(r["quiet_week_ms_per_user"] for r in runs), 3),
        "quiet_week_summaries": runs[-1]["quiet_week_summaries"],
        "rss_before_mib": round(runs[-1]["rss_before_mib"], 1),
        "rss_after_mib": round(runs[-1]["rss_after_mib"], 1),
        "summaries_with_content": runs[-1]["summaries_with_content"],
        "cohort_members": min(args.users, 2000),
        "cohort_median_ms": round(statistics.median(r["cohort_ms"] for r in runs), 1),
        "cohort_members_band": runs[-1]["cohort_members_band"],
        "debriefs_filled_at_start": filled,
        "fill_s": round(fill_s, 1),
        "send_rate_per_s": Settings().dispatch.rate,
        "global_limit_per_s": 50,
        "load_average": round(os.getloadavg()[0], 2),
        "python": platform.python_version(),
    }
    print(json.dumps(figures, indent=2))
    if args.json:
        args.json.write_text(json.dumps(figures))


if __name__ == "__main__":
    main()
