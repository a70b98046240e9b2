"""Benchmark: the /patterns chart drawn off the event loop, and how long the loop is blocked meanwhile.

For a generated season (tests/coach/patterns_season.py) of N interviews, draws ``bot.render.patterns.chart_png``
with ``asyncio.to_thread`` several times while a ticker task on the loop sleeps 1 ms at a time and records
how late each wake-up is (loop lag). Reports the median and worst draw time (wall and the drawing thread's
CPU time) and the worst loop lag. Budget (issue 12): a chart under 300 ms, the loop never blocked > 20 ms.

Full form (by hand):  python bench/patterns_chart.py --interviews 200 --runs 15
Short form (CI):      python bench/patterns_chart.py --interviews 30 --runs 2
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.coach.patterns import find_patterns  # noqa: E402
from bot.render.patterns import chart_png  # noqa: E402
from tests.coach.patterns_season import season  # noqa: E402

TICK = 0.001


def _timed(p, now) -> tuple[float, float, int]:
    started, cpu = time.perf_counter(), time.thread_time()
    png = chart_png(p, now)
    return (time.perf_counter() - started) * 1000, (time.thread_time() - cpu) * 1000, len(png)


async def run(interviews: int, runs: int) -> dict[str, object]:
    s = season(interviews, weeks=max(4, interviews // 5), debrief_share=1.0, seed=7)
    p = find_patterns(s.interviews, s.debriefs, s.feedback, s.applications, s.now)
    await asyncio.to_thread(chart_png, p, s.now)  # warm: the first draw imports matplotlib and loads fonts
    lags: list[float] = []
    stop = asyncio.Event()

    async def ticker() -> None:
        loop = asyncio.get_running_loop()
        while not stop.is_set():
            before = loop.time()
            await asyncio.sleep(TICK)
            lags.append((loop.time() - before - TICK) * 1000)

    tick = asyncio.create_task(ticker())
    walls, cpus, size = [], [], 0
    for _ in range(runs):
        wall, cpu, size = await asyncio.to_thread(_timed, p, s.now)
        walls.append(wall)
        cpus.append(cpu)
    stop.set()
    await tick
    return {
        "interviews": len(s.interviews),
        "runs": runs,
        "png_bytes": size,
        "median_ms": round(statistics.median(walls), 1),
        "max_ms": round(max(walls), 1),
        "median_cpu_ms": round(statistics.median(cpus), 1),
        "loop_ticks": len(lags),
        "loop_lag_median_ms": round(statistics.median(lags), 2) if lags else None,
        "loop_lag_max_ms": round(max(lags), 2) if lags else None,
        "load_average": round(os.getloadavg()[0], 2),
        "python": platform.python_version(),
        "machine": platform.machine(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--interviews", type=int, default=200)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--json", type=Path, help="write the figures here as JSON")
    args = parser.parse_args()
    figures = asyncio.run(run(args.interviews, args.runs))
    for key, value in figures.items():
        print(f"{key:>20}: {value}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
