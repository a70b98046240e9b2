"""The chart benchmark in its short form, so CI shows it still runs (figures: docs/benchmarks.md).

Timings are not asserted beyond a runaway bound (100x the budget): speed is judged from the full run."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_chart_benchmark_short_form(tmp_path):
    out = tmp_path / "figures.json"
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "patterns_chart.py"),
            "--interviews",
            "30",
            "--runs",
            "2",
            "--json",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    figures = json.loads(out.read_text())
    assert figures["interviews"] == 30 and figures["runs"] == 2 and figures["png_bytes"] > 1000
    assert figures["loop_ticks"] > 0 and figures["cold_first_chart_ms"] > 0
    assert figures["max_ms"] < 30_000  # runaway bound only
