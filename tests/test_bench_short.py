"""The prompt-queue benchmark in its short form, so CI shows it still runs (figures: docs/benchmarks.md).

No timing is asserted here: speed is judged from the full run by hand, on a quiet machine.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_prompt_queue_benchmark_short_form(tmp_path):
    out = tmp_path / "figures.json"
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "prompt_queue.py"),
            "--pending",
            "2000",
            "--burst",
            "20",
            "--runs",
            "1",
            "--json",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    figures = json.loads(out.read_text())
    for key in ("rss_delta_mib", "start_to_first_send_s", "burst_rate_per_s", "share_of_global_limit", "next_due_ms"):
        assert isinstance(figures[key], (int, float)), key
    assert figures["pending"] == 2000 and figures["burst"] == 20
    opening = figures["unknown_channels"]
    for key in ("request_rate_per_s", "share_of_global_limit", "lateness_p50_s", "lateness_p99_s"):
        assert isinstance(opening[key], (int, float)), key
    assert figures["lateness_p99_s"] >= figures["lateness_p50_s"] > 0
    assert len(figures["each_run"]["dispatch_unknown_channels"]) == 1


def test_sqlite_sync_benchmark_short_form(tmp_path):
    out = tmp_path / "sync.json"
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "sqlite_sync.py"),
            "--writes",
            "30",
            "--runs",
            "1",
            "--dir",
            str(tmp_path),
            "--json",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    figures = json.loads(out.read_text())
    for mode in ("NORMAL", "FULL"):
        assert figures[mode]["writes_per_s"] > 0 and len(figures[mode]["runs"]) == 1
    assert set(figures["ratio_full_over_normal"]) == {"median_ms", "p99_ms", "writes_per_s"}
