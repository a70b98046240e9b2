"""Text about interviews: the reply to a logged one, the list, drafts read from messages."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.coach.durations import format_duration
from bot.coach.stages import result_label, stage_label
from bot.coach.voice import plural
from bot.coach.when import format_local
from bot.render import limits
from bot.render.outcomes import feedback_lines
from bot.render.safe import inline
from bot.services.interviews import PAGE_SIZE, Entry, ListPage, Logged
from bot.store import Interview


def describe(interview: Interview, tz: ZoneInfo, now: datetime) -> str:
    """ "**Acme** — technical, today 14:00 (60 min)"; role in brackets when known."""
    role = f" ({inline(interview.role)})" if interview.role else ""
    return (
        f"**{inline(interview.company)}**{role} — {stage_label(interview.stage).lower()}, "
        f"{format_local(interview.starts_at, tz, now)} ({interview.length_min} min)"
    )


def goes_now(prompt_due: datetime, now: datetime) -> bool:
    """The prompt is due "now" (the service read the clock a moment later): it is on its way, so there is
    no time left to change."""
    return prompt_due - now < timedelta(minutes=1)


def logged(result: Logged, tz: ZoneInfo, now: datetime, zone_set: bool) -> str:
    """The reply to a recorded interview: what was saved and when the debrief prompt will come."""
    interview, prompt_due = result.interview, result.prompt_due
    if result.updated:
        lines = [f"Updated from the invite (no second interview recorded): {describe(interview, tz, now)}."]
    elif result.already:
        lines = [f"Already recorded a moment ago, so I kept that one: {describe(interview, tz, now)}."]
    else:
        lines = [f"Saved: {describe(interview, tz, now)}."]
    if prompt_due is None:
        lines.append("No debrief prompt is planned for it.")
    elif goes_now(prompt_due, now):
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


#: How much of a company's name and a role a line of the list shows (the card shows them whole).
LIST_COMPANY = 60
LIST_ROLE = 60
LIST_FEEDBACK = 60
LIST_TITLE = "Your interviews"


def status(interview: Interview, prompt_due: datetime | None, tz: ZoneInfo, now: datetime) -> str:
    """An interview's state, from its own facts (the guide lists these):

    * ``upcoming`` — it starts later;
    * ``debriefed`` — its debrief is finished;
    * ``debrief prompt <time>`` — it has started, and its debrief prompt is waiting to go out then;
    * ``not debriefed`` — it has started, no debrief is finished, and no prompt is waiting (it went
      out, was skipped or was turned off);

    then, once recorded, the outcome ("rejected").
    """
    if interview.starts_at > now:
        parts = ["upcoming"]
    elif interview.debriefed_at:
        parts = ["debriefed"]
    elif prompt_due is not None:
        parts = [f"debrief prompt {format_local(prompt_due, tz, now)}"]
    else:
        parts = ["not debriefed"]
    if interview.outcome:
        parts.append(result_label(interview.outcome).lower())
    return " · ".join(parts)


def _short(interview: Interview, tz: ZoneInfo, now: datetime) -> str:
    role = f" ({inline(limits.clip(interview.role, LIST_ROLE))})" if interview.role else ""
    return (
        f"**{inline(limits.clip(interview.company, LIST_COMPANY))}**{role} — {stage_label(interview.stage).lower()}, "
        f"{format_local(interview.starts_at, tz, now)} ({interview.length_min} min)"
    )


def list_page(page: ListPage, tz: ZoneInfo, now: datetime) -> tuple[str, str]:
    """A page of ``/interview list`` as (embed description, footer): upcoming first (soonest first), then
    recent (newest first); under each, its first feedback and how many more its card shows."""
    if not page.total:
        return (
            'No interviews yet. Log one with `/interview log`, or DM me something like "onsite at Acme tomorrow 2pm".',
            "",
        )
    parts: list[str] = []
    first = page.page * PAGE_SIZE
    for n, entry in enumerate(page.entries, start=first):
        heading = "__Upcoming__" if n < page.upcoming else "__Recent__"
        if n == first or (n == page.upcoming and n != first):
            parts.append(heading)
        interview = entry.interview
        parts.append(f"`{n + 1}.` {_short(interview, tz, now)} — {status(interview, entry.prompt_due, tz, now)}")
        lines = feedback_lines(entry.feedback[:1], preview=LIST_FEEDBACK)
        parts.extend(lines)
        if len(entry.feedback) > 1:
            parts.append(f"  ↳ and {len(entry.feedback) - 1} more feedback on its card")
    footer = f"Page {page.page + 1} of {page.pages} · {plural(page.total, 'interview')} · pick one below for its card"
    return limits.fit("\n".join(parts), limits.EMBED_DESCRIPTION), footer


def pick_label(interview: Interview, tz: ZoneInfo, now: datetime) -> str:
    """An interview in the page's select (plain text: select options don't render markdown)."""
    company = " ".join(interview.company.split())
    text = f"{company} — {stage_label(interview.stage)}, {format_local(interview.starts_at, tz, now)}"
    return limits.clip(text, limits.OPTION_LABEL)


def card_text(entry: Entry, tz: ZoneInfo, now: datetime) -> str:
    """An interview's card: everything about it, with its actions below."""
    interview = entry.interview
    lines = [describe(interview, tz, now), f"State: {status(interview, entry.prompt_due, tz, now)}"]
    lines.extend(feedback_lines(entry.feedback))
    return limits.fit("\n".join(lines))


def draft_text(
    company: str | None,
    stage: str | None,
    starts_at: datetime | None,
    tz: ZoneInfo,
    now: datetime,
    finished: bool,
    *,
    tomorrow: datetime | None = None,
    question: str | None = None,
) -> str:
    what = stage_label(stage).lower() if stage else "interview"
    who = f"**{inline(company)}**" if company else "a company I couldn't make out"
    when = format_local(starts_at, tz, now) if starts_at else "a time I couldn't make out"
    ask = "Shall I record it and set up a debrief?" if finished else "Shall I record it and check in after?"
    if tomorrow is not None:
        ask = f"That time has passed today: did you mean tomorrow {tomorrow.astimezone(tz):%H:%M}?"
    elif question is not None:
        when = "a day I need you to pick"
        ask = f"{inline(question)} Add the details below."
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
