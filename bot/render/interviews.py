"""Text about interviews: the reply to a logged one, the list, drafts read from messages."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.coach.durations import format_duration
from bot.coach.stages import result_label, stage_label
from bot.coach.when import format_local
from bot.render import limits
from bot.render.safe import inline
from bot.services.interviews import Logged
from bot.store import Interview


def describe(interview: Interview, tz: ZoneInfo, now: datetime) -> str:
    """ "**Acme** — technical, today 14:00 (60 min)"; role in brackets when known."""
    role = f" ({inline(interview.role)})" if interview.role else ""
    return (
        f"**{inline(interview.company)}**{role} — {stage_label(interview.stage).lower()}, "
        f"{format_local(interview.starts_at, tz, now)} ({interview.length_min} min)"
    )


def logged(result: Logged, tz: ZoneInfo, now: datetime, zone_set: bool) -> str:
    """The reply to a recorded interview: what was saved and when the debrief prompt will come."""
    interview, prompt_due = result.interview, result.prompt_due
    if result.already:
        lines = [f"Already recorded a moment ago, so I kept that one: {describe(interview, tz, now)}."]
    else:
        lines = [f"Saved: {describe(interview, tz, now)}."]
    if prompt_due is None:
        lines.append("No debrief prompt is planned for it.")
    elif prompt_due - now < timedelta(minutes=1):  # due "now" (the service read the clock a moment later)
        lines.append(
            "It's already behind you, so I'm sending the debrief prompt to your DMs now. You can also start right here."
        )
    else:
        if result.held_for_quiet:
            timing = " (when your quiet hours end)"
        else:
            after = timedelta(minutes=round((prompt_due - interview.ends_at).total_seconds() / 60))
            timing = f" ({format_duration(after)} after it ends)" if after > timedelta(0) else ""
        lines.append(
            f"I'll DM you for a short debrief **{format_local(prompt_due, tz, now)}**{timing}. Change that below."
        )
    if not zone_set:
        lines.append("-# Times are in UTC until you set your zone with `/settings timezone`.")
    return "\n".join(lines)


def state_of(interview: Interview, prompt_state: str | None, now: datetime) -> str:
    if interview.outcome:
        return result_label(interview.outcome).lower()
    if interview.debriefed_at:
        return "debriefed"
    if interview.starts_at > now:
        return "upcoming"
    if prompt_state == "pending":
        return "debrief prompt planned"
    if prompt_state == "sent":
        return "waiting for your debrief"
    return "done"


def interview_list(rows: list[tuple[Interview, str | None, list[str]]], tz: ZoneInfo, now: datetime) -> str:
    """Upcoming first (soonest first), then recent (newest first); each with its detail lines below it."""
    if not rows:
        return (
            'No interviews yet. Log one with `/interview log`, or DM me something like "onsite at Acme tomorrow 2pm".'
        )
    upcoming = sorted((r for r in rows if r[0].starts_at > now), key=lambda r: r[0].starts_at)
    recent = [r for r in rows if r[0].starts_at <= now]
    parts: list[str] = []
    for title, group in (("Upcoming", upcoming), ("Recent", recent)):
        if group:
            parts.append(f"__{title}__")
            for interview, state, details in group:
                parts.append(f"• {describe(interview, tz, now)} — {state_of(interview, state, now)}")
                parts.extend(details)
    return limits.fit("\n".join(parts))


def draft_text(
    company: str | None, stage: str | None, starts_at: datetime | None, tz: ZoneInfo, now: datetime, finished: bool
) -> str:
    what = stage_label(stage).lower() if stage else "interview"
    who = f"**{inline(company)}**" if company else "a company I couldn't make out"
    when = format_local(starts_at, tz, now) if starts_at else "a time I couldn't make out"
    ask = "Shall I record it and set up a debrief?" if finished else "Shall I record it and check in after?"
    return (
        f"That sounds like an {what} with {who}, {when}. {ask}"
        if what[0] in "aeiou"
        else (f"That sounds like a {what} with {who}, {when}. {ask}")
    )


ZONE_QUESTION = (
    "First, which time zone are you in? I use it so prompts come at sensible hours. Pick one below, "
    "or use `/settings timezone` to search every zone."
)


def fit(text: str, limit: int = limits.CONTENT) -> str:
    """Cut ``text`` at a line break to fit a Discord message, saying how much was left out."""
    return limits.fit(text, limit)
