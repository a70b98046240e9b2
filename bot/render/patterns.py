"""Text and charts for /patterns, /focus and the note before an interview. No Discord objects here.

The chart is PNG bytes drawn with matplotlib's Agg backend. :func:`chart_png` is synchronous and takes
a few hundred milliseconds: callers run it off the event loop (``asyncio.to_thread``).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import datetime

from bot.coach.patterns import Patterns
from bot.coach.stages import stage_label
from bot.coach.voice import plural
from bot.coach.when import format_local
from bot.render import limits
from bot.render.debrief import Card
from bot.render.safe import inline
from bot.services.patterns import FocusView, PatternsReport, PreInterview

CHART_NAME = "patterns.png"
FUNNEL_LABELS = {
    "applications": "Applications",
    "first_interviews": "First interviews",
    "later_rounds": "Later rounds",
    "offers": "Offers",
}
#: Topics drawn over time, at most (the strongest); more would be noise in a small picture.
CHART_TOPICS = 5


def _stumble_line(r) -> str:
    if not r.is_pattern:
        return f"{r.label}: once so far, one data point rather than a pattern."
    trend = {"more_lately": ", more often lately", "less_lately": ", less often lately"}.get(r.trend, "")
    return f"{r.label}: a stumble in {plural(r.count, 'debrief')}{trend}."


def _progress_line(view: FocusView) -> str:
    return f"**{inline(limits.clip(view.focus.text, 150))}**\n{view.progress.note}"


def patterns_card(report: PatternsReport) -> Card:
    """The /patterns embed: what repeats, the funnel, confidence, focus."""
    p = report.patterns
    description = (
        f"From {plural(p.interviews, 'interview')} and {plural(p.debriefs, 'finished debrief')}. "
        "One mention is a data point; a pattern needs a repeat."
    )
    fields: list[tuple[str, str]] = []
    if p.stumbles:
        fields.append(("What keeps catching you out", "\n".join(_stumble_line(r) for r in p.stumbles[:5])))
    strengths = p.strength_patterns
    if strengths:
        fields.append(
            (
                "What keeps working",
                "\n".join(f"{r.label}: strong in {plural(r.count, 'debrief')}." for r in strengths[:3]),
            )
        )
    critiques = p.critiques
    if critiques.to_work_on:
        lines = [
            f"About {', '.join(c.topics) or 'one thing'}: {plural(c.interviews, 'interview')}"
            + ("" if c.is_pattern else " (one data point)")
            for c in critiques.to_work_on[:3]
        ]
        fields.append(("What feedback said", "\n".join(lines)))
    if critiques.outside_control:
        n = len(critiques.outside_control)
        fields.append(
            (
                "Outside your control",
                f"{plural(n, 'piece')} of feedback named fit, timing, budget or a filled role. "
                "Those are the company's circumstances, not something to fix.",
            )
        )
    funnel = p.funnel
    counts = " → ".join(f"{FUNNEL_LABELS.get(s.key, s.key)} {s.count}" for s in funnel.stages)
    fields.append(("Your funnel", f"{counts}\n{funnel.note}"))
    if p.confidence.points:
        c = p.confidence
        note = {
            "rising": "Your confidence has risen lately.",
            "falling": "Your confidence has dipped lately; worth noticing, not a verdict.",
            "steady": "Your confidence has held steady.",
        }.get(c.trend, f"Too early to call a trend: {c.needed} more readings would give one.")
        fields.append(("Confidence", note))
    if p.unchecked:
        fields.append(
            (
                "Answers still to check",
                "\n".join(f"{inline(limits.clip(u.question, 90))} ({inline(u.company)})" for u in p.unchecked[:3]),
            )
        )
    views = p.company_views
    if views.not_for_me or views.keen:
        parts = []
        if views.keen:
            parts.append(f"Keen on: {', '.join(inline(c) for c in views.keen[:5])}")
        if views.not_for_me:
            parts.append(f"Not for you: {', '.join(inline(c) for c in views.not_for_me[:5])}. A fair conclusion.")
        fields.append(("What you made of them", "\n".join(parts)))
    if report.focuses:
        fields.append(("Your focus", "\n\n".join(_progress_line(v) for v in report.focuses)))
    elif p.suggestions:
        fields.append(
            (
                "A focus to consider",
                "\n\n".join(f"**{s.label}**: {s.why}\n{s.practice.text}" for s in p.suggestions)
                + "\n`/focus set` takes one on.",
            )
        )
    title, description, kept, footer = limits.fit_embed(
        "Your patterns", description, fields, "Only you can see this. Nothing here is shared."
    )
    return Card(title, description, tuple(kept), footer)


def too_little(report: PatternsReport) -> str:
    """The text-only reply when there is too little for a chart, saying what more is needed."""
    p = report.patterns
    lines = [
        f"So far: {plural(p.interviews, 'interview')} and {plural(p.debriefs, 'finished debrief')}. "
        "That's too little to call anything a pattern, so I'd rather not draw one."
    ]
    lines.append("What would make a first picture: " + " and ".join(report.missing) + ".")
    if p.stumbles:
        lines.append("Noted so far, as data points: " + "; ".join(r.label for r in p.stumbles[:3]) + ".")
    lines.append(f"The funnel: {p.funnel.note}")
    return limits.fit("\n\n".join(lines))


def focus_list(views: Sequence[FocusView]) -> str:
    if not views:
        return (
            "No focus yet. `/focus set` takes one or two things to work on, in your words or from the "
            "suggestions as you type; the one thing from a debrief can become one too."
        )
    head = "Your focus:" if len(views) == 1 else "Your two focuses:"
    return limits.fit("\n\n".join([head, *(_progress_line(v) for v in views)]))


def focus_set(text: str, active: int) -> str:
    more = "" if active >= 2 else " You can hold one more alongside it."
    return (
        f"Your focus: **{inline(limits.clip(text, 200))}**. `/focus show` tells you how it's going once a few "
        f"debriefs touch it.{more}"
    )


def focus_done(text: str) -> str:
    return f"Closed: **{inline(limits.clip(text, 200))}**. It stays in your debriefs; `/focus set` takes a new one."


def pre_interview_note(note: PreInterview) -> str:
    """The short DM the evening before an interview."""
    i = note.interview
    when = format_local(i.starts_at, note.profile.tz, note.now)
    lines = [f"Tomorrow: **{inline(i.company)}**, {stage_label(i.stage).lower()}, {when}."]
    if note.focuses:
        lines.append("Your focus: " + "; ".join(f"**{inline(limits.clip(f.text, 150))}**" for f in note.focuses))
    if note.notes:
        lines.append("From your earlier debriefs:\n" + "\n".join(f"- {inline(n.text)}" for n in note.notes))
    lines.append("-# `/settings pre-interview` turns these notes off.")
    return limits.fit("\n\n".join(lines))


# -- the chart -----------------------------------------------------------------------------------------


def _weeks(p: Patterns, now: datetime) -> tuple[list[int], dict[str, list[int]]]:
    """Stumbles per topic per week (x: weeks before ``now``, 0 = this week), for the strongest topics."""
    topics = [r for r in p.stumbles if r.kind == "topic"][:CHART_TOPICS]
    sightings = [s.at for r in topics for s in r.sightings]
    if not sightings:
        return [], {}
    weeks = max(1, (now - min(sightings)).days // 7 + 1)
    axis = list(range(-weeks + 1, 1))
    series = {}
    for r in topics:
        counts = [0] * weeks
        for s in r.sightings:
            counts[weeks - 1 - min(weeks - 1, max(0, (now - s.at).days // 7))] += 1
        series[r.label] = counts
    return axis, series


def chart_png(p: Patterns, now: datetime) -> bytes:
    """Topics over time (stumbles per week) beside the funnel, as PNG bytes. Synchronous: run it in a thread.

    Drawn once (no tight layout pass, fixed margins) at a modest size, so it stays well under the 300 ms
    budget for a long season (bench/patterns.py --chart)."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    fig = Figure(figsize=(8, 3.2), dpi=80)
    fig.subplots_adjust(left=0.06, right=0.98, bottom=0.15, top=0.9, wspace=0.45)
    over_time, funnel_ax = fig.subplots(1, 2, gridspec_kw={"width_ratios": [3, 2]})
    axis, series = _weeks(p, now)
    if series:
        for label, counts in series.items():
            over_time.plot(axis, counts, linewidth=1.5, label=label)
        over_time.legend(fontsize=7, loc="upper left", frameon=False)
        over_time.set_xlabel("weeks ago", fontsize=7)
    else:
        over_time.text(0.5, 0.5, "No stumbles noted yet", ha="center", va="center", transform=over_time.transAxes)
    over_time.set_title("Stumbles by topic, per week", fontsize=9)
    over_time.tick_params(labelsize=7)
    stages = p.funnel.stages
    labels = [FUNNEL_LABELS.get(s.key, s.key) for s in stages][::-1]
    counts = [s.count for s in stages][::-1]
    bars = funnel_ax.barh(labels, counts, color="#5B7DB1")
    funnel_ax.bar_label(bars, fontsize=7)
    funnel_ax.set_title("Your funnel", fontsize=9)
    funnel_ax.tick_params(labelsize=7)
    out = io.BytesIO()
    fig.savefig(out, format="png")
    return out.getvalue()
