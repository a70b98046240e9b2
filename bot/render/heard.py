"""Text of outcomes told in plain words ("Heard back from Acme, it's a no"), and of an outcome recorded
for an interview still ahead: what was read, the question, and what happens next."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.coach.stages import result_label
from bot.render import limits
from bot.render.interviews import describe, pick_label
from bot.render.safe import inline
from bot.store import Interview

CONFIRM = "Record it"
RECORD_ANYWAY = "Record anyway"
DISMISS = "Don't record"
LOG_IT = "Log that interview"
NOT_RECORDED = "-# Not recorded."

_SAID = {
    "advanced": "you're through to the next round",
    "offer": "you got an offer",
    "rejected": "it's a no",
    "ghosted": "they've gone quiet",
    "withdrew": "you withdrew",
}


def _outcome(result: str) -> str:
    return f"**{result_label(result).lower()}**"


def heard_one(result: str, interview: Interview, tz: ZoneInfo, now: datetime) -> str:
    """One interview fits: what will be recorded, and the question."""
    return limits.fit(
        f"I read that {_SAID[result]}: {describe(interview, tz, now)}. Record {_outcome(result)} for it? "
        "Nothing is saved until you say so."
    )


def heard_several(result: str, company: str, count: int) -> str:
    """Several interviews fit: the user picks the one."""
    return limits.fit(
        f"I read that {_SAID[result]} from **{inline(company)}**, and you have {count} interviews there "
        f"without an outcome. Which one gets {_outcome(result)}? Picking one records it."
    )


def heard_none(result: str, company: str | None) -> str:
    """No interview of the user's fits."""
    who = f"with **{inline(company)}**" if company else "with that company"
    return limits.fit(
        f"I read that {_SAID[result]}, but I have no interview {who} among yours, so nothing was recorded. "
        f"Log the interview first ({LOG_IT} below, or `/interview log`), then record {_outcome(result)} with "
        "`/interview outcome` or tell me again."
    )


def choice_label(interview: Interview, tz: ZoneInfo, now: datetime) -> str:
    """A button naming one interview (plain text, short)."""
    return limits.clip(pick_label(interview, tz, now), 80)


def early_question(result: str, interview: Interview, tz: ZoneInfo, now: datetime) -> str:
    """An offer, advance or rejection for an interview that has not started yet: ask first."""
    return limits.fit(
        f"{describe(interview, tz, now)} hasn't happened yet. Record {_outcome(result)} for it anyway? "
        "If the news is about an earlier round, log that round and record it there."
    )
