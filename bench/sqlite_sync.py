"""Benchmark: what ``synchronous=FULL`` costs against ``NORMAL`` (issue 9.9), through the real store.

Each write is what ``/interview log`` does: one transaction that records an interview and schedules
its prompt, committed before the next one starts (as a user's acknowledged write is). The two modes
are measured in the same run, alternating (NORMAL, FULL, NORMAL, FULL, …) on fresh databases in the
same directory, so the machine's noise falls on both alike. Reported per mode: the median over runs of
the median and p99 commit latency and of writes per second; and the ratio FULL / NORMAL.

Full form (by hand):  python bench/sqlite_sync.py --writes 2000 --runs 5
Short form (CI):      python bench/sqlite_sync.py --writes 50 --runs 1

The directory must be on the disk the bot uses (``--dir``; default: a temporary directory under the
current one), not a tmpfs, where a sync costs nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import platform
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.store import Store  # noqa: E402

MODES = ("NORMAL", "FULL")


async def one_run(path: Path, mode: str, writes: int) -> dict[str, float]:
    store = await Store.open(path)
    try:
        await store.db.execute(f"PRAGMA synchronous={mode}")
        assert (await store.db.fetchone("PRAGMA synchronous"))[0] == {"NORMAL": 1, "FULL": 2}[mode]
        now = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
        await store.users.ensure(1, now)
        latencies = []
        started = time.perf_counter()
        for n in range(writes):
            t0 = time.perf_counter()
            async with store.transaction() as tx:
                interview = await store.interviews.add(
                    tx, user_id=1, company=f"Company {n}", stage="technical", starts_at=now, now=now
                )
                await store.prompts.schedule(
                    tx, kind="debrief", subject_id=interview, user_id=1, due_at=now + timedelta(hours=3), now=now
                )
            latencies.append(time.perf_counter() - t0)
        elapsed = time.perf_counter() - started
    finally:
        await store.close()
    latencies.sort()
    return {
        "median_ms": statistics.median(latencies) * 1000,
        "p99_ms": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000,
        "writes_per_s": writes / elapsed,
    }


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--writes", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--dir", type=Path, default=Path.cwd())
    parser.add_argument("--json", type=Path, help="write the figures here")
    args = parser.parse_args()

    runs: dict[str, list[dict[str, float]]] = {mode: [] for mode in MODES}
    with tempfile.TemporaryDirectory(prefix="debrief-sync-", dir=args.dir) as work:
        for run in range(args.runs):
            for mode in MODES:
                runs[mode].append(await one_run(Path(work) / f"{mode}-{run}.db", mode, args.writes))

    figures: dict[str, object] = {
        "machine": f"{platform.machine()}, {platform.platform()}, Python {platform.python_version()}",
        "writes": args.writes,
        "runs": args.runs,
    }
    for mode in MODES:
        figures[mode] = {key: statistics.median(r[key] for r in runs[mode]) for key in runs[mode][0]}
        figures[mode]["runs"] = runs[mode]
    figures["ratio_full_over_normal"] = {
        key: figures["FULL"][key] / figures["NORMAL"][key] for key in ("median_ms", "p99_ms", "writes_per_s")
    }
    print(f"{'':>8} {'median ms':>10} {'p99 ms':>8} {'writes/s':>9}")
    for mode in MODES:
        f = figures[mode]
        print(f"{mode:>8} {f['median_ms']:10.3f} {f['p99_ms']:8.3f} {f['writes_per_s']:9.0f}")
    r = figures["ratio_full_over_normal"]
    print(f"{'FULL/NORMAL':>8} {r['median_ms']:7.2f}x {r['p99_ms']:7.2f}x {r['writes_per_s']:8.2f}x")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(figures, indent=2))


if __name__ == "__main__":
    asyncio.run(main())
