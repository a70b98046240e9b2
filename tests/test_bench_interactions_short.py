"""The interaction benchmark (issue 15) in its short form, so CI shows it still runs.

No timing is asserted: speed is judged from the full run by hand (docs/benchmarks.md). What is
checked is that every simulated flow went through, against Debrief and against the floor bot, and
that the figures are there.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ARGS = ["--users", "4", "--think", "0.05", "--runs", "1"]
#: The interaction types of one flow (bench/interactions.py FLOW), each measured on both sides.
TYPES = {
    "/settings timezone",
    "/settings quiet-hours",
    "DM in plain words (reply)",
    "confirm button",
    "/interview log",
    "/interview list (server)",
    "/settings show (server)",
    "prompt: Start debrief",
    "debrief: button opens a form",
    "debrief: form submitted",
    "debrief: Skip",
    "debrief: typed reply",
    "debrief: confidence button",
    "debrief: Not sure",
    "debrief: topics select",
    "debrief: company view button",
    "/interview outcome",
}


def test_interactions_benchmark_short_form(tmp_path):
    out = tmp_path / "interactions.json"
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "interactions.py"), *ARGS, "--json", str(out)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    figures = json.loads(out.read_text())
    [run] = figures["each_run"]
    for target in ("debrief", "floor"):
        assert run[target]["completed_flows"] == 4, run[target]["error_samples"]
        assert run[target]["errors"] == {} and run[target]["error_replies"] == 0
        assert run[target]["violations"] == 0
        assert run[target]["bot_cpu_s"] > 0 and run[target]["bot_peak_rss_mib"] > 0
        assert run[target]["harness_cpu_s"] > 0
    # Every interaction type of the flow was measured on both sides, and compared.
    assert set(run["compare"]["by_type"]) == TYPES
    assert run["debrief"]["overall"]["count"] == run["floor"]["overall"]["count"]
    assert "all interactions" in result.stderr
    # Interactions (Discord's 3 s deadline) apart from the DM replies (the global limit): each of the 4
    # flows has 5 DMs (the plain-words DM and 4 typed answers, 2 labels); every other step is an interaction.
    typed = sum(1 for label in TYPES if "typed" in label or "plain words" in label)
    for target in ("debrief", "floor"):
        assert run[target]["dm_replies"]["count"] == 4 * 5
        assert (
            run[target]["interactions"]["count"] + run[target]["dm_replies"]["count"] == run[target]["overall"]["count"]
        )
    assert typed == 2
    assert set(figures["median_by_type"]) == TYPES
    assert "interactions (3 s deadline)" in result.stderr and "DM replies (global limit)" in result.stderr


def test_interactions_benchmark_one_side_only(tmp_path):
    """``--only floor`` runs the floor by itself (no Debrief process), with its table and figures."""
    out = tmp_path / "floor.json"
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "interactions.py"), *ARGS, "--only", "floor", "--json", str(out)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    figures = json.loads(out.read_text())
    assert figures["targets"] == ["floor"]
    [run] = figures["each_run"]
    assert "debrief" not in run and "compare" not in run
    assert run["floor"]["completed_flows"] == 4, run["floor"]["error_samples"]
    assert run["floor"]["errors"] == {} and run["floor"]["violations"] == 0
    assert run["floor"]["harness_cpu_s"] > 0
    assert set(run["floor"]["by_type"]) == TYPES
    assert "floor_harness_cpu_s" in figures["median"] and "debrief_p99_ms" not in figures["median"]
    assert "all interactions" in result.stderr
