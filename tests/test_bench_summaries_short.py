"""The weekly-summaries benchmark in its short form, so CI shows it still runs (figures: docs/benchmarks.md).

No timing is asserted here: speed is judged from the full run by hand, on a quiet machine.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_summaries_benchmark_short_form(tmp_path):
    out = tmp_path / "figures.json"
    command = [sys.executable, str(ROOT / "bench" / "summaries.py"), "--users", "300", "--sample", "200"]
    command += ["--runs", "1", "--page", "64", "--db-dir", str(tmp_path), "--json", str(out)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    figures = json.loads(out.read_text())
    assert figures["users"] == 300 and figures["sample"] == 200 and figures["runs"] == 1
    # Every generated user had a week with something in it, and the cohort counts its 300 members.
    assert figures["summaries_with_content"] == 200 and figures["cohort_members_band"] == "200+"
    assert figures["quiet_week_summaries"] == 0  # the week after the data: nothing to send to anyone
    # The generator writes answers only (as before migration 0011): the start-up pass read every debrief.
    assert figures["debriefs_filled_at_start"] == 300 * 40
    for key in (
        "median_ms_per_user",
        "median_quiet_week_ms_per_user",
        "rss_before_mib",
        "rss_after_mib",
        "cohort_median_ms",
    ):
        assert isinstance(figures[key], (int, float)), key
    assert (tmp_path / "debrief-bench-summaries-300.db").exists()  # cached for the next run
