"""Benchmark: the pattern engine for one person with a long search (issue 12).

Builds a generated season (tests/coach/patterns_season.py) of N interviews with debriefs, outcomes,
feedback and applications, then times ``find_patterns`` plus the pre-interview notes and a focus
progress read, over several runs, and reports the median. Wall-clock and CPU time are both reported:
on a shared machine the wall clock includes waiting for a core, the CPU time does not.

Full form (by hand):  python bench/patterns.py --interviews 200 --runs 15
Short form (CI):      python bench/patterns.py --interviews 30 --runs 1
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.coach.patterns import find_patterns, focus_progress, notes_for_upcoming  # noqa: E402
from tests.coach.patterns_season import season  # noqa: E402


def run(interviews: int, runs: int, debrief_share: float) -> dict[str, object]:
    s = season(interviews, weeks=max(4, interviews // 5), debrief_share=debrief_share, seed=7)
    began = s.now - timedelta(weeks=4)
    timings, cpu = [], []
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        found = find_patterns(s.interviews, s.debriefs, s.feedback, s.applications, s.now)
        notes_for_upcoming("system_design", found.stumbles)
        focus_progress("behavioural", began, s.debriefs)
        timings.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    return {
        "interviews": len(s.interviews),
        "debriefs": len(s.debriefs),
        "feedback": len(s.feedback),
        "applications": sum(a.count for a in s.applications),
        "stumble_patterns": len(found.stumble_patterns),
        "runs": runs,
        "median_ms": round(statistics.median(timings), 2),
        "min_ms": round(min(timings), 2),
        "max_ms": round(max(timings), 2),
        "median_cpu_ms": round(statistics.median(cpu), 2),
        "load_average": round(os.getloadavg()[0], 2),
        "python": platform.python_version(),
        "machine": platform.machine(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--interviews", type=int, default=200)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--debrief-share", type=float, default=1.0, help="share of interviews with a debrief")
    parser.add_argument("--json", type=Path, help="write the figures here as JSON")
    args = parser.parse_args()
    figures = run(args.interviews, args.runs, args.debrief_share)
    for key, value in figures.items():
        print(f"{key:>18}: {value}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
