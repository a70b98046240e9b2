"""The pattern-engine benchmark in its short form, so CI shows it still runs (figures: docs/benchmarks.md).

No timing is asserted here: speed is judged from the full run by hand, on a quiet machine.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_patterns_benchmark_short_form(tmp_path):
    out = tmp_path / "figures.json"
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "patterns.py"), "--interviews", "30", "--runs", "1", "--json", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    figures = json.loads(out.read_text())
    assert figures["interviews"] == 30 and 0 < figures["debriefs"] <= 30 and figures["runs"] == 1
    assert figures["stumble_patterns"] >= 1
    for key in ("median_ms", "min_ms", "max_ms"):
        assert isinstance(figures[key], (int, float)), key
