"""Text of the debrief prompt DM and of the replies to its buttons."""

from __future__ import annotations

from datetime import timedelta

from bot.coach import script
from bot.coach.durations import format_duration, spoken_span
from bot.coach.stages import stage_label
from bot.render.safe import inline


def late_note(late_by: timedelta | None) -> str:
    if late_by is None:
        return ""
    return (
        f"\n-# This comes {format_duration(late_by)} later than planned: I was offline or held it for your quiet hours."
    )


#: Within this long of its end an interview is "still fresh"; after it the prompt says how long ago it was.
FRESH_FOR = timedelta(hours=12)
CONTINUE_LABEL = "Continue"

_AFTER_OUTCOME = {
    "rejected": "You've recorded it as a no. A debrief is still worth it: what you noticed there is the best "
    "preparation for the next one, whatever their reasons were.",
    "advanced": "You're through to the next round, and your notes from this one are the best preparation for it.",
    "offer": "Congratulations on the offer. A short debrief keeps what worked, for the next time you need it.",
    "ghosted": "You've marked it as ghosted. What you remember of it is still yours to learn from.",
    "withdrew": "You withdrew from it. If the reason is worth remembering, a debrief keeps it with your notes.",
}


def debrief_prompt(
    company: str,
    stage: str,
    when_local: str,
    late_by: timedelta | None,
    *,
    ago: timedelta = timedelta(0),
    outcome: str | None = None,
    step_key: str | None = None,
) -> str:
    """The prompt, worded from what is true when it goes out: a debrief already under way is continued;
    an outcome already recorded is acknowledged; an interview long past is not called fresh."""
    what = f"Your {stage_label(stage).lower()} ({when_local})"
    if step_key is not None:
        step = script.step(step_key)
        number = script.STEPS.index(step) + 1
        return (
            f"**Your debrief of {inline(company)} is waiting.**\n"
            f"You stopped at step {number} of {len(script.STEPS)} (“{step.title}”). Every answer so far is saved: "
            f"**{CONTINUE_LABEL}** picks it up where you left off." + late_note(late_by)
        )
    if outcome in _AFTER_OUTCOME:
        head = f"**A debrief of {inline(company)}, when you're ready?**\n{_AFTER_OUTCOME[outcome]} "
    else:
        head = f"**How did it go at {inline(company)}?**\n"
    if ago <= FRESH_FOR:
        timing = (
            f"{what} is still fresh, and fresh is when a debrief is worth the most: the start of an interview "
            "fades first."
        )
    else:
        timing = (
            f"{what} was {spoken_span(ago)} ago. Some details will have faded, but what you still remember is "
            "worth writing down before more of it goes."
        )
    return (
        head
        + timing
        + " It takes about ten minutes, one question at a time, and every answer is saved as you go."
        + late_note(late_by)
    )


def snoozed(when_local: str) -> str:
    return f"Snoozed. I'll ask again {when_local}."


SKIPPED = "Skipped. If you change your mind, `/debrief start` works for any past interview, any time."
GONE = "That prompt has already been dealt with."
