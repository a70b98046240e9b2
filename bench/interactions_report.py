"""The tables and ratios of bench/interactions.py (issue 15): Debrief beside the floor, or one side alone."""

from __future__ import annotations


def ratio(a: float, b: float) -> float:
    return round(a / b, 2) if b else float("nan")


def compare(debrief: dict, floor: dict, kinds: dict[str, str]) -> dict[str, object]:
    """Debrief beside the floor, per interaction type (``kinds``: label -> kind) and overall."""
    rows = {}
    for label in debrief["by_type"]:
        mine, base = debrief["by_type"][label], floor["by_type"].get(label)
        if base is None:
            continue
        rows[label] = {
            "kind": kinds.get(label, ""),
            "debrief_p50_ms": mine["p50_ms"],
            "floor_p50_ms": base["p50_ms"],
            "debrief_p99_ms": mine["p99_ms"],
            "floor_p99_ms": base["p99_ms"],
            "p99_ratio": ratio(mine["p99_ms"], base["p99_ms"]),
            "debrief_max_ms": mine["max_ms"],
            "debrief_past_3s": mine["past_3s"],
        }
    return {
        "by_type": rows,
        "overall_p50_ratio": ratio(debrief["overall"]["p50_ms"], floor["overall"]["p50_ms"]),
        "overall_p99_ratio": ratio(debrief["overall"]["p99_ms"], floor["overall"]["p99_ms"]),
        "interactions_p99_ratio": ratio(debrief["interactions"]["p99_ms"], floor["interactions"]["p99_ms"]),
        "cpu_ratio": ratio(debrief["bot_cpu_s"], floor["bot_cpu_s"]),
    }


def table(result: dict) -> str:
    lines = [
        f"{result['users']} users, run {result['run']}: Debrief {result['debrief']['seconds']} s, "
        f"floor {result['floor']['seconds']} s",
        f"{'interaction':34} {'p50 ms':>15} {'p99 ms':>17} {'ratio':>6} {'max ms':>8} {'>3s':>4}",
    ]
    for label, row in result["compare"]["by_type"].items():
        lines.append(
            f"{label:34} {row['debrief_p50_ms']:>7} /{row['floor_p50_ms']:>6} "
            f"{row['debrief_p99_ms']:>8} /{row['floor_p99_ms']:>7} {row['p99_ratio']:>6} "
            f"{row['debrief_max_ms']:>8} {row['debrief_past_3s']:>4}"
        )
    d, f, c = result["debrief"], result["floor"], result["compare"]
    lines.append(
        f"{'all interactions':34} {d['overall']['p50_ms']:>7} /{f['overall']['p50_ms']:>6} "
        f"{d['overall']['p99_ms']:>8} /{f['overall']['p99_ms']:>7} {c['overall_p99_ratio']:>6} "
        f"{d['overall']['max_ms']:>8} {d['overall']['past_3s']:>4}"
    )
    for part, name in (("interactions", "interactions (3 s deadline)"), ("dm_replies", "DM replies (global limit)")):
        lines.append(
            f"{name:34} {d[part]['p50_ms']:>7} /{f[part]['p50_ms']:>6} "
            f"{d[part]['p99_ms']:>8} /{f[part]['p99_ms']:>7} {ratio(d[part]['p99_ms'], f[part]['p99_ms']):>6} "
            f"{d[part]['max_ms']:>8} {d[part]['past_3s']:>4}"
        )
    lines.append(
        f"load average (1 min) during the runs: Debrief {d['load_1min'][0]:.1f}-{d['load_1min'][1]:.1f}, "
        f"floor {f['load_1min'][0]:.1f}-{f['load_1min'][1]:.1f}"
    )
    lines.append(
        f"errors {sum(d['errors'].values())} / {sum(f['errors'].values())}, 429s {d['responses_429']} / "
        f"{f['responses_429']}, CPU {d['bot_cpu_s']} s / {f['bot_cpu_s']} s, peak RSS "
        f"{d['bot_peak_rss_mib']} / {f['bot_peak_rss_mib']} MiB (Debrief / floor)"
    )
    return "\n".join(lines)


def single_table(side: dict, run: int) -> str:
    """One side's figures, when the bench runs only one (``--only``)."""
    lines = [
        f"{side['users']} users, run {run}: {side['target']} {side['seconds']} s, "
        f"harness CPU {side['harness_cpu_s']} s",
        f"{'interaction':34} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8} {'>3s':>5}",
    ]
    rows = [*side["by_type"].items(), ("all interactions", side["overall"])]
    for label, row in rows:
        lines.append(f"{label:34} {row['p50_ms']:>8} {row['p99_ms']:>8} {row['max_ms']:>8} {row['past_3s']:>5}")
    lines.append(
        f"flows completed {side['completed_flows']}, errors {sum(side['errors'].values())}, "
        f"429s {side['responses_429']}, bot CPU {side['bot_cpu_s']} s, peak RSS {side['bot_peak_rss_mib']} MiB"
    )
    return "\n".join(lines)


def median_by_type(runs: list[dict], targets: tuple[str, ...] | list[str]) -> dict[str, dict[str, float]]:
    """Per interaction type, the median over the runs of each side's p50 and p99 (and, with both sides, of
    the runs' p99 ratios)."""
    import statistics

    out: dict[str, dict[str, float]] = {}
    labels = sorted({label for r in runs for t in targets for label in r[t]["by_type"]})
    for label in labels:
        row: dict[str, float] = {}
        for t in targets:
            for figure in ("p50_ms", "p99_ms", "past_3s"):
                values = [r[t]["by_type"][label][figure] for r in runs if label in r[t]["by_type"]]
                if values:
                    row[f"{t}_{figure}"] = round(statistics.median(values), 1)
        if len(targets) == 2:
            ratios = [r["compare"]["by_type"][label]["p99_ratio"] for r in runs if label in r["compare"]["by_type"]]
            if ratios:
                row["p99_ratio"] = round(statistics.median(ratios), 2)
        out[label] = row
    return out
