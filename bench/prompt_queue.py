"""Benchmark: the prompt queue at scale, with the real bot process against the fake Discord.

Measures, each over several runs (medians reported):

1. resident memory of the bot process, idle after start, with N pending prompts vs with none;
2. time from starting ``python -m bot`` to the first due prompt arriving at Discord, with N pending;
3. a burst of B prompts due in the same second (B different users), twice: with the users' DM channels
   stored, and with none stored (each first prompt opens the DM channel: two requests). For each: the
   request rate the fake Discord saw (DM opens + sends) as a share of its global rate limit (50
   requests/s, as Discord), the prompts per second, the 429s, and the lateness of each prompt
   (arrival at Discord minus its due time; the prompts fall due one second before the bot starts);
4. the time to find the next due prompt among N pending (one SQL query, in-process).

Full form (by hand):  python bench/prompt_queue.py --pending 1000000 --burst 2000 --runs 3
Short form (CI):      python bench/prompt_queue.py --pending 2000 --burst 20 --runs 1
On PostgreSQL:        python bench/prompt_queue.py --database postgresql://USER@HOST/DB ...
                      (an empty database of its own: every table is emptied before each measurement)
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import shutil
import signal
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.store.db import available_migrations  # noqa: E402
from fakediscord import FakeDiscord  # noqa: E402

TOKEN = "bench-token"
SEND = "/channels/{channel_id}/messages"
OPEN_DM = "/users/@me/channels"
GLOBAL_RATE = 50


def build_database(path: Path, pending: int, burst_users: list[tuple[int, int | None]], due_now: int) -> float:
    """A database with ``pending`` future prompts and one due prompt per (user id, DM channel id or None)."""
    started = time.perf_counter()
    now = int(time.time())
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=WAL")
    for version, sql in sorted(available_migrations().items()):
        conn.executescript(f"BEGIN;\n{sql}\nPRAGMA user_version = {version};\nCOMMIT;")
    with conn:
        conn.execute(
            "INSERT INTO users (id, timezone, quiet_start, quiet_end, created_at) "
            "VALUES (1, 'UTC', '00:00', '00:00', ?)",
            (now,),
        )
        future = (("debrief", 10_000_000 + i, 1, now + 86_400 + (i % 604_800), now) for i in range(pending))
        conn.executemany(
            "INSERT INTO prompts (kind, subject_id, user_id, due_at, created_at) VALUES (?, ?, ?, ?, ?)", future
        )
        for n, (user_id, channel_id) in enumerate(burst_users):
            conn.execute(
                "INSERT INTO users (id, timezone, quiet_start, quiet_end, dm_channel_id, created_at) "
                "VALUES (?, 'UTC', '00:00', '00:00', ?, ?)",
                (user_id, channel_id, now),
            )
            cur = conn.execute(
                "INSERT INTO interviews (user_id, company, stage, starts_at, length_min, created_at) "
                "VALUES (?, ?, 'technical', ?, 60, ?)",
                (user_id, f"Company {n}", now - 5 * 3600, now),
            )
            conn.execute(
                "INSERT INTO prompts (kind, subject_id, user_id, due_at, created_at) VALUES ('debrief', ?, ?, ?, ?)",
                (cur.lastrowid, user_id, due_now, now),
            )
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return time.perf_counter() - started


async def build_postgresql(url: str, pending: int, burst_users: list[tuple[int, int | None]], due_now: int) -> float:
    """:func:`build_database` on PostgreSQL: migrated by the store, emptied, then filled with COPY."""
    import asyncpg

    from bot.store.pg import PgDatabase

    started = time.perf_counter()
    now = int(time.time())
    db = await PgDatabase.open(url)
    await db.close()
    conn = await asyncpg.connect(url)
    try:
        tables = await conn.fetch("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
        names = [t[0] for t in tables if t[0] != "schema_version"]
        await conn.execute(f"TRUNCATE {', '.join(names)} RESTART IDENTITY CASCADE")
        users = [(1, "UTC", "00:00", "00:00", None, now)]
        users += [(user_id, "UTC", "00:00", "00:00", channel_id, now) for user_id, channel_id in burst_users]
        await conn.copy_records_to_table(
            "users",
            records=users,
            columns=["id", "timezone", "quiet_start", "quiet_end", "dm_channel_id", "created_at"],
        )
        interviews = [
            (n + 1, user_id, f"Company {n}", "technical", now - 5 * 3600, 60, now)
            for n, (user_id, _channel) in enumerate(burst_users)
        ]
        await conn.copy_records_to_table(
            "interviews",
            records=interviews,
            columns=["id", "user_id", "company", "stage", "starts_at", "length_min", "created_at"],
        )
        prompts = [("debrief", 10_000_000 + i, 1, now + 86_400 + (i % 604_800), now) for i in range(pending)]
        prompts += [("debrief", n + 1, user_id, due_now, now) for n, (user_id, _channel) in enumerate(burst_users)]
        await conn.copy_records_to_table(
            "prompts", records=prompts, columns=["kind", "subject_id", "user_id", "due_at", "created_at"]
        )
        await conn.execute(
            "SELECT setval(pg_get_serial_sequence('interviews', 'id'), COALESCE(MAX(id), 0) + 1, false) FROM interviews"
        )
        await conn.execute("ANALYZE")
    finally:
        await conn.close()
    return time.perf_counter() - started


async def build(target: Path | str, pending: int, burst_users: list[tuple[int, int | None]], due_now: int) -> float:
    if isinstance(target, str):
        return await build_postgresql(target, pending, burst_users, due_now)
    return build_database(target, pending, burst_users, due_now)


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS")


class Run:
    """One bot process against one fake Discord."""

    def __init__(self, fake: FakeDiscord, data_dir: Path, database: str | None = None) -> None:
        self.fake = fake
        self.data_dir = data_dir
        self.database = database  # a PostgreSQL URL; None: the SQLite file in the data directory
        self.proc: asyncio.subprocess.Process | None = None

    async def start(self) -> float:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "DEBRIEF_"))}
        env.update(
            DISCORD_TOKEN=TOKEN,
            DISCORD_API_BASE=self.fake.api_base,
            DISCORD_GATEWAY_URL=self.fake.gateway_url,
            DEBRIEF_DATA_DIR=str(self.data_dir),
            DEBRIEF_LOG_LEVEL="WARNING",
            # This checkout's bot, not whichever one the environment has installed.
            PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")])),
        )
        if self.database:
            env["DEBRIEF_DATABASE"] = self.database
        started = time.monotonic()  # the fake stamps requests with time.monotonic() too
        self.proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            cwd=str(self.data_dir),
            env=env,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.DEVNULL,
        )
        return started

    async def ready(self, timeout: float = 60.0) -> None:
        await self.fake.state.changes.wait_until(lambda: self.fake.gateway.ready_count > 0, timeout)

    async def stop(self) -> None:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGINT)
        try:
            await asyncio.wait_for(self.proc.wait(), 20)
        except TimeoutError:
            self.proc.kill()
            await self.proc.wait()


def sends(fake: FakeDiscord) -> list[float]:
    return [r.at for r in fake.requests if r.method == "POST" and r.route == SEND and r.status == 200]


class SendCount:
    """The successful sends the fake has answered so far, counted as they come: each call looks only at
    the requests recorded since the last one. (Scanning every request on every change of the fake's state
    cost O(N) a change, O(N²) a burst, in the fake's own process: it slowed the fake's answers, and so
    lengthened the requests the bot's pacer counts as in flight.)"""

    def __init__(self, fake: FakeDiscord) -> None:
        self.fake = fake
        self.seen = 0
        self.count = 0

    def __call__(self) -> int:
        requests = self.fake.requests
        for r in requests[self.seen :]:
            if r.method == "POST" and r.route == SEND and r.status == 200:
                self.count += 1
        self.seen = len(requests)
        return self.count


async def measure_memory(template: Path | str, work: Path, pending: int = 0) -> int:
    """Idle RSS (KiB) of the bot process a moment after it is connected (on PostgreSQL, ``template`` is
    the URL, filled with ``pending`` prompts first)."""
    data = work / "mem"
    shutil.rmtree(data, ignore_errors=True)
    data.mkdir(parents=True)
    if isinstance(template, str):
        await build_postgresql(template, pending, [], 0)
    else:
        shutil.copy(template, data / "debrief.db")
    async with FakeDiscord(token=TOKEN, validate=False) as fake:
        run = Run(fake, data, template if isinstance(template, str) else None)
        await run.start()
        await run.ready()
        await asyncio.sleep(2.0)
        assert run.proc is not None
        rss = rss_kib(run.proc.pid)
        await run.stop()
    return rss


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


async def measure_dispatch(
    pending: int, burst: int, work: Path, *, channels_known: bool, database: str | None = None
) -> dict[str, float]:
    """Start-to-first-send, the burst's request rate and lateness, with ``pending`` future prompts."""
    data = work / "dispatch"
    shutil.rmtree(data, ignore_errors=True)
    data.mkdir(parents=True)
    async with FakeDiscord(token=TOKEN, validate=False, global_rate=GLOBAL_RATE) as fake:
        users = [fake.add_user(f"user{i}") for i in range(burst)]
        pairs = [(u.id, u.dm_channel.id if channels_known else None) for u in users]
        due = int(time.time()) - 1
        await build(database or data / "debrief.db", pending, pairs, due_now=due)
        run = Run(fake, data, database)
        started = await run.start()
        wall_minus_monotonic = time.time() - time.monotonic()
        sent = SendCount(fake)
        await fake.state.changes.wait_until(lambda: sent() >= burst, 60 + burst / 5)
        await run.stop()
        times = sends(fake)
        burst_requests = sorted(
            r.at
            for r in fake.requests
            if r.method == "POST" and r.route in (SEND, OPEN_DM) and r.status == 200 and r.at >= times[0] - 2
        )
        limited = sum(1 for r in fake.requests if r.status == 429)
        limited_at = [f"{r.method} {r.route} +{r.at - started:.2f}s" for r in fake.requests if r.status == 429]
    first, last = times[0], times[-1]
    rate = (len(times) - 1) / (last - first) if len(times) > 1 else float("nan")
    span = burst_requests[-1] - burst_requests[0] if len(burst_requests) > 1 else float("nan")
    request_rate = (len(burst_requests) - 1) / span
    lateness = [at + wall_minus_monotonic - due for at in times]
    return {
        "start_to_first_send_s": first - started,
        "burst_seconds": last - first,
        "burst_rate_per_s": rate,
        "requests": len(burst_requests),
        "request_rate_per_s": request_rate,
        "share_of_global_limit": request_rate / GLOBAL_RATE,
        "responses_429": limited,
        "limited": limited_at[:20],
        "lateness_p50_s": percentile(lateness, 0.5),
        "lateness_p99_s": percentile(lateness, 0.99),
    }


async def next_due_ms_postgresql(url: str, repeat: int = 200) -> float:
    import asyncpg

    conn = await asyncpg.connect(url)
    try:
        await conn.fetchval("SELECT MIN(due_at) FROM prompts WHERE state = 'pending'")
        started = time.perf_counter()
        for _ in range(repeat):
            await conn.fetchval("SELECT MIN(due_at) FROM prompts WHERE state = 'pending'")
        return (time.perf_counter() - started) / repeat * 1000
    finally:
        await conn.close()


def next_due_ms(template: Path, repeat: int = 200) -> float:
    conn = sqlite3.connect(template)
    conn.execute("SELECT MIN(due_at) FROM prompts WHERE state = 'pending'").fetchone()
    started = time.perf_counter()
    for _ in range(repeat):
        conn.execute("SELECT MIN(due_at) FROM prompts WHERE state = 'pending'").fetchone()
    conn.close()
    return (time.perf_counter() - started) / repeat * 1000


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pending", type=int, default=1_000_000)
    parser.add_argument("--burst", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", type=Path, help="write the figures here")
    parser.add_argument("--database", help="a postgresql:// URL: measure on PostgreSQL (an empty database)")
    args = parser.parse_args()
    url = args.database

    with tempfile.TemporaryDirectory(prefix="debrief-bench-") as tmp:
        work = Path(tmp)
        if url:
            build_seconds = await build_postgresql(url, args.pending, [], 0)
            next_due = await next_due_ms_postgresql(url)
            empty: Path | str = url
            full: Path | str = url
        else:
            empty, full = work / "empty.db", work / "full.db"
            build_database(empty, 0, [], 0)
            build_seconds = build_database(full, args.pending, [], 0)
            next_due = next_due_ms(full)
        results: dict[str, object] = {
            "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
            "engine": "postgresql" if url else "sqlite",
            "pending": args.pending,
            "burst": args.burst,
            "runs": args.runs,
            "build_seconds": round(build_seconds, 1),
            "next_due_ms": round(next_due, 3),
        }
        empty_rss = [await measure_memory(empty, work, 0) for _ in range(args.runs)]
        full_rss = [await measure_memory(full, work, args.pending) for _ in range(args.runs)]
        dispatch = [
            await measure_dispatch(args.pending, args.burst, work, channels_known=True, database=url)
            for _ in range(args.runs)
        ]
        opening = [
            await measure_dispatch(args.pending, args.burst, work, channels_known=False, database=url)
            for _ in range(args.runs)
        ]

    def med(values: list[float]) -> float:
        return statistics.median(values)

    results.update(
        {
            "rss_empty_mib": round(med(empty_rss) / 1024, 1),
            "rss_pending_mib": round(med(full_rss) / 1024, 1),
            "rss_delta_mib": round((med(full_rss) - med(empty_rss)) / 1024, 1),
            "start_to_first_send_s": round(med([d["start_to_first_send_s"] for d in dispatch]), 2),
            "burst_seconds": round(med([d["burst_seconds"] for d in dispatch]), 2),
            "burst_rate_per_s": round(med([d["burst_rate_per_s"] for d in dispatch]), 1),
            "share_of_global_limit": round(med([d["share_of_global_limit"] for d in dispatch]), 3),
            "responses_429": [d["responses_429"] for d in dispatch],
            "lateness_p50_s": round(med([d["lateness_p50_s"] for d in dispatch]), 2),
            "lateness_p99_s": round(med([d["lateness_p99_s"] for d in dispatch]), 2),
            "unknown_channels": {
                key: round(med([d[key] for d in opening]), 3)
                for key in (
                    "burst_seconds",
                    "burst_rate_per_s",
                    "request_rate_per_s",
                    "share_of_global_limit",
                    "lateness_p50_s",
                    "lateness_p99_s",
                )
            }
            | {"responses_429": [d["responses_429"] for d in opening]},
            "each_run": {
                "rss_empty_kib": empty_rss,
                "rss_pending_kib": full_rss,
                "dispatch": dispatch,
                "dispatch_unknown_channels": opening,
            },
        }
    )
    text = json.dumps(results, indent=2)
    print(text)
    if args.json:
        args.json.write_text(text)


if __name__ == "__main__":
    asyncio.run(main())
