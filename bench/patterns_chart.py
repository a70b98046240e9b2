"""Benchmark: the /patterns chart drawn the way the bot draws it, and how long the loop is blocked meanwhile.

For a generated season (tests/coach/patterns_season.py) of N interviews, asks for the chart through the
bot's own path -- ``bot.render.chart.chart_data`` on the loop, then ``ChartWorker.png`` (one worker
process) -- several times (a new user each time, so nothing comes from the cache), while a ticker task on
the loop sleeps 1 ms at a time and records how late each wake-up is (loop lag). Reports the first chart
(the worker starting and warming up) apart from the rest: the median and worst time from asking to
having the PNG, and the worst loop lag in each phase, beside the lag of a first phase with nothing drawn
(what the machine's load alone does to the loop); then, apart from the loop, the CPU time of one
drawing (``draw_chart`` called directly). Budget (issue 12): a chart under 300 ms, the loop
never blocked > 20 ms.

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
from bot.render.chart import ChartWorker, chart_data, draw_chart  # noqa: E402
from tests.coach.patterns_season import season  # noqa: E402

TICK = 0.001
BASELINE = 3.0  # seconds of ticking with nothing drawn, first


class Ticker:
    """Sleeps 1 ms at a time on the loop and keeps how late each wake-up was (ms), per phase."""

    def __init__(self) -> None:
        self.lags: dict[str, list[float]] = {}
        self.phase = "idle"
        self._stop = asyncio.Event()

    async def run(self) -> None:
        loop = asyncio.get_running_loop()
        while not self._stop.is_set():
            before = loop.time()
            await asyncio.sleep(TICK)
            self.lags.setdefault(self.phase, []).append((loop.time() - before - TICK) * 1000)

    def stop(self) -> None:
        self._stop.set()


async def run(interviews: int, runs: int) -> dict[str, object]:
    s = season(interviews, weeks=max(4, interviews // 5), debrief_share=1.0, seed=7)
    p = find_patterns(s.interviews, s.debriefs, s.feedback, s.applications, s.now)
    load_before = os.getloadavg()[0]
    worker = ChartWorker()
    ticker = Ticker()
    tick = asyncio.create_task(ticker.run())
    try:
        ticker.phase = "baseline"  # nothing drawn: how late wake-ups are on this machine right now anyway
        await asyncio.sleep(BASELINE)
        ticker.phase = "cold"
        started = time.perf_counter()
        png = await worker.png(0, chart_data(p, s.now))  # the worker starts and imports matplotlib
        cold = (time.perf_counter() - started) * 1000
        assert png is not None
        ticker.phase = "warm"
        walls, on_loop = [], []
        for user in range(1, runs + 1):
            started = time.perf_counter()
            data = chart_data(p, s.now)  # on the loop, as in the cog
            on_loop.append((time.perf_counter() - started) * 1000)
            png = await worker.png(user, data)
            walls.append((time.perf_counter() - started) * 1000)
            assert png is not None
        ticker.phase = "done"
    finally:
        ticker.stop()
        await tick
        worker.close()
    warm, first, base = ticker.lags.get("warm", []), ticker.lags.get("cold", []), ticker.lags.get("baseline", [])
    data = chart_data(p, s.now)
    cpus = []
    for _ in range(runs):  # the drawing alone, here in this process: what one chart costs a core
        started = time.process_time()
        draw_chart(data)
        cpus.append((time.process_time() - started) * 1000)
    return {
        "interviews": len(s.interviews),
        "runs": runs,
        "png_bytes": len(png),
        "cold_first_chart_ms": round(cold, 1),
        "median_ms": round(statistics.median(walls), 1),
        "max_ms": round(max(walls), 1),
        "draw_cpu_median_ms": round(statistics.median(cpus), 1),
        "chart_data_on_loop_max_ms": round(max(on_loop), 2),
        "loop_ticks": len(warm),
        "loop_lag_median_ms": round(statistics.median(warm), 2) if warm else None,
        "loop_lag_max_ms": round(max(warm), 2) if warm else None,
        "cold_loop_lag_max_ms": round(max(first), 2) if first else None,
        "baseline_loop_lag_median_ms": round(statistics.median(base), 2) if base else None,
        "baseline_loop_lag_max_ms": round(max(base), 2) if base else None,
        "load_average_before": round(load_before, 2),
        "load_average": round(os.getloadavg()[0], 2),
        "cpus": os.cpu_count(),
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
