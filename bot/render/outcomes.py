"""Text of outcomes, the check-in after a rejection, feedback and applications.

The coaching itself (the rejection reply, the reset list, the check-in, the feedback request) lives in
``bot.coach``; this module frames it for Discord. Everything here passes ``bot.coach.voice``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.coach.feedback import control_label, feedback_note, feedback_request, one_data_point_note
from bot.coach.ghosting import ghosting_message
from bot.coach.reset import checkin_message, next_action, rejection_reply
from bot.coach.stages import result_label, stage_label
from bot.coach.voice import plural
from bot.coach.when import short_day
from bot.render import limits
from bot.render.prompts import late_note
from bot.render.safe import inline
from bot.store import Interview
from bot.store.feedback import Feedback

#: Short labels for the outcome buttons on the ghosting nudge, in RESULTS order.
OUTCOME_BUTTONS: tuple[tuple[str, str], ...] = (
    ("advanced", "Next round"),
    ("offer", "Offer"),
    ("rejected", "Rejected"),
    ("ghosted", "Ghosted"),
    ("withdrew", "Withdrew"),
)
CHECK_IN_AGAIN = "Check in again tomorrow"
FEEDBACK_BUTTON = "Draft a feedback request"
NEXT_STEP_PLACEHOLDER = "Pick one next step"
GONE = "That has already been dealt with."

FEEDBACK_PREVIEW = 160
#: Rounds shown in the chain under an outcome before the middle ones are counted instead of listed.
CHAIN_SHOWN = 6
#: Companies named in "Counted as alike" before the rest are counted instead of listed.
COMPANIES_SHOWN = 5


# -- outcomes ---------------------------------------------------------------------------------------


def chain(rounds: Sequence[Interview], tz: ZoneInfo) -> str:
    """ "Acme: Recruiter screen (Mon 2 Nov) → Technical (Tue 24 Nov), rejected"."""
    if not rounds:
        return ""
    last = rounds[-1]
    parts = [f"{stage_label(r.stage)} ({short_day(r.starts_at.astimezone(tz).date())})" for r in rounds]
    if len(parts) > CHAIN_SHOWN:
        hidden = len(parts) - CHAIN_SHOWN + 1
        parts = [parts[0], f"{hidden} more rounds", *parts[-(CHAIN_SHOWN - 2) :]]
    outcome = f", {result_label(last.outcome).lower()}" if last.outcome else ""
    return f"{inline(last.company)}: {' → '.join(parts)}{outcome}"


def outcome_reply(
    interview: Interview,
    rounds: Sequence[Interview],
    tz: ZoneInfo,
    *,
    previous: str | None,
    checkin_at: str | None,
    checkins_on: bool,
    zone_set: bool = True,
) -> str:
    """The reply to a recorded outcome; ``checkin_at`` is the check-in time already formatted."""
    result = interview.outcome or ""
    company = inline(interview.company)
    lines: list[str] = []
    if previous == result:
        lines.append(f"That's already recorded as {result_label(result).lower()}.")
    if result == "rejected":
        role = inline(interview.role) if interview.role else interview.role
        lines.append(rejection_reply(company, role, checkin_at=checkin_at))
        if not checkins_on:
            lines.append(
                "-# Check-ins after a rejection are off, so I won't follow up. `/settings check-ins` turns them on."
            )
        elif checkin_at and not zone_set:
            lines.append("-# Times are in UTC until you set your zone with `/settings timezone`.")
    elif result == "advanced":
        lines.append(
            f"A step forward with **{company}**. The process is still open, so I won't ask you for news on this "
            "round.\n"
            "When the next round is booked, log it with `/interview log` and the same company name: I'll link it to "
            "this one. Your notes from this round are the best preparation for it; if you haven't debriefed it yet, "
            "`/debrief start` takes about ten minutes."
        )
    elif result == "offer":
        rounds_part = f" after {plural(len(rounds), 'round')}" if len(rounds) > 1 else ""
        lines.append(
            f"An offer from **{company}**{rounds_part}. That's the result of real work, well done.\n"
            "Before you answer, ask for it in writing and give yourself a day to weigh it. If other processes are "
            "still open, it's fair to tell them you have an offer and ask about their timeline."
        )
        if interview.debriefed_at is None:
            lines.append(
                "What worked here is worth keeping as much as what went wrong elsewhere: a short debrief records "
                "it while you remember, so the next process can reuse it."
            )
    elif result == "ghosted":
        lines.append(
            f"Marked **{company}** as ghosted. Long silences after an interview are common and usually say more "
            "about a company's process than about you.\n"
            "If they do get back to you, record the new answer with `/interview outcome`; the latest one counts."
        )
    elif result == "withdrew":
        lines.append(
            f"Noted: you withdrew from **{company}**. That time can go to the processes you want more. Walking away "
            "is a legitimate conclusion; a short debrief keeps why, so the next search can use it."
        )
    footer = chain(rounds, tz)
    if previous and previous != result:
        footer += f" (was: {result_label(previous).lower()})"
    if footer:
        lines.append(f"-# {footer}")
    return limits.fit("\n\n".join(lines))


# -- the ghosting nudge ------------------------------------------------------------------------------


def ghosting_prompt(interview: Interview, now: datetime, late_by: timedelta | None) -> str:
    since = now - interview.ends_at
    return ghosting_message(inline(interview.company), stage_label(interview.stage), since) + late_note(late_by)


def outcome_chosen(result: str) -> str:
    return f"-# Recorded: {result_label(result).lower()}."


# -- the check-in after a rejection -----------------------------------------------------------------


def checkin_prompt(
    interview: Interview | Sequence[Interview],
    open_opportunities: int,
    late_by: timedelta | None,
    recent_applications: int = 0,
) -> str:
    """The check-in: the reset list went with the rejection reply (for the evening), so it is not repeated.
    Given several interviews (rejections folded into one check-in), it names each company once."""
    interviews = [interview] if isinstance(interview, Interview) else list(interview)
    companies = [inline(i.company) for i in interviews]
    return checkin_message(companies, open_opportunities, recent_applications) + late_note(late_by)


def step_chosen(action: str) -> str:
    return f"-# Your next step: {next_action(action).label.lower()}."


def checking_in_again(when_local: str) -> str:
    return f"-# I'll check in once more {when_local}."


def next_step_reply(action: str, interview: Interview) -> str:
    """The concrete step for the next action the user picked in the check-in (the feedback request is
    two messages: :func:`feedback_request_reply`)."""
    company = inline(interview.company)
    if action == "send_application":
        return (
            "Pick one role you'd take if they offered it, and send that application today. One is enough; "
            "it keeps the search moving so no single answer has to carry it.\n"
            "When it's sent, `/applications log count:1` keeps your weekly count accurate."
        )
    if action == "debrief":
        return (
            f"Start with `/debrief start` and pick **{company}**, or use the button below. It takes about ten "
            "minutes. The parts worth writing down are where you stumbled and the one thing you'd do differently."
        )
    if action == "practice":
        return (
            f"Block 30 minutes today for the one area that gave you the most trouble at {company}. Keep it to that "
            "area: one problem or question of the same kind, done end to end against a timer, then a line on what "
            "you'd do differently next time."
        )
    if action == "talk":
        return (
            f"Message one person today, a friend, a mentor or someone in your cohort, and tell them how {company} "
            "went. Saying it out loud tends to bring it back to its real size, and they may spot something you can't."
        )
    raise KeyError(action)


# -- feedback ---------------------------------------------------------------------------------------


def feedback_request_reply(interview: Interview, name: str | None) -> tuple[str, str]:
    """The reply (what the note is for, what to expect) and the note itself, signed with ``name`` (else a
    placeholder). The note goes as a message of its own in plain text: copying a message (long press,
    "Copy Text" on mobile) copies its raw text, fences and all, so the note carries no markdown and
    nothing else, and copies as the words to send. Only a recorded rejection is treated as one."""
    rejected = interview.outcome == "rejected"
    note = feedback_request(interview.company, interview.role, rejected=rejected, name=name)
    about = "" if rejected else " No decision is recorded for it, so the note doesn't assume one."
    reply = (
        f"Here's a short note for your contact at **{inline(interview.company)}**.{about} It comes next, "
        "on its own: copy that whole message (long press on mobile, then **Copy Text**) and change anything "
        f"that doesn't sound like you.\n{feedback_note()}"
    )
    return reply, note


def feedback_saved(interview: Interview, similar: Sequence[Feedback], shared_topics: Sequence[str]) -> str:
    lines = [
        f"Saved the feedback from **{inline(interview.company)}** ({stage_label(interview.stage).lower()}). "
        "Is it about something within your control?",
        one_data_point_note(1 + len(similar)),
    ]
    if similar:
        companies = sorted({inline(f.company) for f in similar})
        if len(companies) > COMPANIES_SHOWN:
            named = f"{', '.join(companies[:COMPANIES_SHOWN])} and {plural(len(companies) - COMPANIES_SHOWN, 'other')}"
        else:
            named = ", ".join(companies)
        topics = [inline(t) for t in shared_topics]
        why = f"it also mentions {', '.join(topics)}" if topics else "it uses many of the same words"
        lines.append(
            f"-# Counted as alike: earlier feedback from {named}, because {why}. It's a rough match; you're the judge."
        )
    return limits.fit("\n\n".join(lines))


def control_chosen(control: str) -> str:
    follow = {
        "within_control": "Turn it into one small, specific change before your next interview, rather than a "
        "general resolution to do better.",
        "outside_control": "Keep it on record, and don't rebuild your preparation around it: it says more about "
        "their situation than about how you interviewed.",
        "unsure": "That's a fair answer. If a similar comment comes up again, the pattern will make it clearer.",
    }[control]
    return f"-# Marked: “{control_label(control)}”. {follow}"


def feedback_lines(feedback_rows: Sequence[Feedback], preview: int = FEEDBACK_PREVIEW) -> list[str]:
    """Feedback under an interview in ``/interview list`` and its card: one indented line each."""
    lines = []
    for row in feedback_rows:
        text = inline(limits.clip(" ".join(row.text.split()), preview))
        judged = f" ({control_label(row.control).lower()})" if row.control else ""
        lines.append(f"  ↳ Feedback{judged}: “{text}”")
    return lines


# -- applications -----------------------------------------------------------------------------------


def applications_logged(count: int, week_total: int) -> str:
    return (
        f"Logged {plural(count, 'application')}. This week so far: **{week_total}**.\n"
        "-# Weeks run Monday to Sunday in your time zone. A wrong count? **Undo** takes this entry back."
    )


def applications_undone(week_total: int) -> str:
    return f"Undone: that entry is taken back. This week so far: **{week_total}**."
