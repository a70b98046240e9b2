"""The weekly-sends benchmark in its short form, so CI shows it still runs (figures: docs/benchmarks.md).

Timings are not asserted beyond a runaway bound: speed is judged from the full run."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_weekly_sends_benchmark_short_form(tmp_path):
    out = tmp_path / "figures.json"
    argv = ["--users", "12", "--interviews", "20", "--json", str(out)]
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "weekly_sends.py"), *argv],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    figures = json.loads(out.read_text())
    assert figures["users"] == 12 and figures["with_chart"] == 12 and figures["charts_drawn"] == 12
    assert figures["weekly_dms_per_s"] > 0 and figures["burst_s"] < 300  # runaway bound only
