"""Text of the debrief prompt DM and of the replies to its buttons."""

from __future__ import annotations

from datetime import timedelta

from bot.coach.durations import format_duration
from bot.coach.stages import stage_label
from bot.render.safe import inline


def late_note(late_by: timedelta | None) -> str:
    if late_by is None:
        return ""
    return (
        f"\n-# This comes {format_duration(late_by)} later than planned: I was offline or held it for your quiet hours."
    )


def debrief_prompt(company: str, stage: str, when_local: str, late_by: timedelta | None) -> str:
    return (
        f"**How did it go at {inline(company)}?**\n"
        f"Your {stage_label(stage).lower()} ({when_local}) is still fresh, and fresh is when a debrief is worth "
        "the most: the start of an interview fades first. It takes about ten minutes, one question at a "
        "time, and every answer is saved as you go." + late_note(late_by)
    )


def snoozed(when_local: str) -> str:
    return f"Snoozed. I'll ask again {when_local}."


SKIPPED = "Skipped. If you change your mind, `/debrief start` works for any past interview, any time."
GONE = "That prompt has already been dealt with."
