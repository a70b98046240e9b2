"""The replies to calendar invites: each interview offered for recording, and what was not offered."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.coach.stages import stage_label
from bot.coach.when import format_local
from bot.render.interviews import describe
from bot.render.limits import clip
from bot.render.safe import inline
from bot.services.invites import MAX_BYTES, MAX_OFFERS, InviteOffer, InvitesRead
from bot.store import Interview

TOO_BIG = (
    "**{name}** is too big for a calendar invite ({size} KiB; I read up to {cap} KiB), so I didn't read "
    "it. Send the invite of the one event, or use `/interview log`."
)
NOTHING_FOUND = (
    "I found no interview to record in that invite. Use `/interview log` if I missed one, or send the "
    "invite itself (an `.ics` file)."
)


def too_big(name: str, size: int) -> str:
    return TOO_BIG.format(name=inline(clip(name, 80)), size=-(-size // 1024), cap=MAX_BYTES // 1024)


def offer_text(offer: InviteOffer, tz: ZoneInfo, now: datetime) -> str:
    """One event read as an interview: what would be recorded, in the user's zone, and the question."""
    event = offer.event
    ends = event.starts_at + timedelta(minutes=event.length_min)
    who = f"**{inline(offer.company)}**" if offer.company else "a company I couldn't make out"
    when = f"{format_local(event.starts_at, tz, now)}–{ends.astimezone(tz):%H:%M} ({event.length_min} min)"
    lines = [
        f"From the invite “{inline(clip(event.title, 100))}”: {stage_label(event.stage).lower()} with {who}, {when}."
    ]
    if offer.replaces is not None:
        lines.append(f"You recorded this invite before: {describe(offer.replaces, tz, now)}.")
        lines.append("Update that interview with these details?")
    elif offer.can_save:
        lines.append("Shall I record it and check in after?")
    else:
        lines.append("Add the company and I'll record it.")
    return "\n".join(lines)


def cancellation_text(title: str, interview: Interview, tz: ZoneInfo, now: datetime) -> str:
    """A cancellation of an invite recorded before: which interview, and the question."""
    return (
        f"The invite “{inline(clip(title, 100))}” was cancelled. You recorded it: {describe(interview, tz, now)}.\n"
        "Remove that interview and its reminders?"
    )


def summary_text(read: InvitesRead) -> str | None:
    """What was not offered and why, in one message; None when every event was offered."""
    lines = []
    for name in read.not_calendars:
        lines.append(
            f"**{inline(clip(name, 80))}** isn't a calendar invite I can read (an `.ics` file), so I skipped it."
        )
    for skipped in read.skipped:
        lines.append(f"Not offered: “{inline(clip(skipped.title, 100))}”, because {skipped.reason}.")
    if read.left_out:
        lines.append(
            f"{read.left_out} more event(s) left out: I offer up to {MAX_OFFERS} interviews from one message. "
            "Send the others on their own."
        )
    if not read.offers and not read.not_calendars and not read.cancellations:
        lines.append(NOTHING_FOUND)
    return "\n".join(lines) if lines else None
