"""The weekly summaries as text: the private DM and the cohort post.

Calm and brief: what happened, what changed, nothing cheered. The cohort post holds no name, no quote,
no company, and only member-count bands; every label in it comes from the bot's own lists.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.coach.script import topic_label
from bot.coach.stages import result_label, stage_label
from bot.coach.summaries import CohortSummary, PrivateSummary, WeeklyTime
from bot.render.limits import CONTENT as MESSAGE_CHARS
from bot.render.safe import inline

#: The first line of a private weekly summary (tests and the guide look for it).
PRIVATE_TITLE = "Your week"
COHORT_TITLE = "This cohort's week"
NOTHING_YET = "Not enough members were active this week for a summary that keeps everyone anonymous."


def _day(moment: datetime, zone: ZoneInfo) -> str:
    return f"{moment.astimezone(zone):%a %d %b}"


def private_heading(start: datetime, end: datetime, zone: ZoneInfo) -> str:
    """The first line of a private summary: it names the week, so after a crash the dispatcher finds the
    DM by it (no two weeks share one)."""
    return f"**{PRIVATE_TITLE}** ({_day(start, zone)} to {_day(end, zone)})"


def cohort_heading(start: datetime, end: datetime, zone: ZoneInfo) -> str:
    """The first line of a cohort post, found by the dispatcher after a crash the same way."""
    return f"**{COHORT_TITLE}** ({_day(start, zone)} to {_day(end, zone)})"


def private_text(s: PrivateSummary, zone: ZoneInfo, focus_text: str | None, late: bool = False) -> str:
    lines = [private_heading(s.start, s.end, zone)]
    if late:
        lines.append("-# This is late: I was offline when it was due.")
    if s.interviews:
        held = "; ".join(f"{inline(i.company)}: {stage_label(i.stage)}" for i in s.interviews[:8])
        more = f" and {len(s.interviews) - 8} more" if len(s.interviews) > 8 else ""
        lines.append(f"**Interviews:** {len(s.interviews)} ({held}{more})")
    lines.append(f"**Debriefs finished:** {s.debriefs}")
    if s.outcomes:
        lines.append(
            "**Outcomes:** "
            + "; ".join(f"{inline(i.company)}: {result_label(i.outcome or '')}" for i in s.outcomes[:8])
        )
    if s.feedback or s.applications:
        lines.append(f"**Feedback recorded:** {s.feedback} · **Applications logged:** {s.applications}")
    changed = []
    if s.new_patterns:
        changed.append("now a pattern: " + ", ".join(s.new_patterns))
    if s.again:
        changed.append("came up again: " + ", ".join(s.again))
    if s.eased:
        changed.append("less often lately: " + ", ".join(s.eased))
    lines.append("**Patterns:** " + ("; ".join(changed) if changed else "no change this week."))
    if s.focus is not None and focus_text:
        lines.append(f"**Focus** ({inline(focus_text)[:120]}): {s.focus.note}")
    stages = " → ".join(f"{st.count} {st.key.replace('_', ' ')}" for st in s.funnel.stages)
    lines.append(f"**Funnel so far:** {stages}. {s.funnel.note}".rstrip())
    lines.append("-# `/patterns` has the detail. `/settings weekly-summary` changes the day or turns this off.")
    return "\n".join(lines)[:MESSAGE_CHARS]


def cohort_text(s: CohortSummary, start: datetime, end: datetime, zone: ZoneInfo, min_group: int) -> str:
    lines = [cohort_heading(start, end, zone)]
    if s.is_empty:
        lines.append(NOTHING_YET)
        return "\n".join(lines)
    lines.append(f"**Members active:** {s.members}")
    if s.interviewing:
        lines.append(f"**Logged an interview:** {s.interviewing} members")
    if s.debriefing:
        lines.append(f"**Finished a debrief:** {s.debriefing} members")
    if s.stages:
        lines.append("**Stages reached:** " + ", ".join(f"{stage_label(c.key)} ({c.band})" for c in s.stages))
    if s.stumbles or s.other_stumbles:
        parts = [f"{topic_label(c.key)} ({c.band})" for c in s.stumbles]
        if s.other_stumbles:
            parts.append(f"other topics ({s.other_stumbles})")
        lines.append("**Common stumbles:** " + ", ".join(parts))
    if s.critiques or s.other_critiques:
        parts = [f"{c.key} ({c.band})" for c in s.critiques]
        if s.other_critiques:
            parts.append(f"other ({s.other_critiques})")
        lines.append("**Common kinds of feedback:** " + ", ".join(parts))
    lines.append(
        f"-# Counts are of members, in bands; a topic shows only when at least {min_group} members share it. "
        "Members opt in with `/settings share`."
    )
    return "\n".join(lines)[:MESSAGE_CHARS]


def when_text(when: WeeklyTime, zone: ZoneInfo) -> str:
    return f"{when} ({zone.key})"
