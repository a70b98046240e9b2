"""When there is enough to show, and the evening-before note's timing. Pure, standard library only.

The bot holds back on little data: below these counts ``/patterns`` answers in words, saying what more
is needed, instead of drawing a chart that would read as a trend.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.coach.patterns import Patterns
from bot.coach.script import VIEWS, read_view
from bot.coach.voice import plural
from bot.coach.waking import QuietHours, is_quiet, out_of_quiet

#: Interviews logged before a chart is drawn: fewer is a list, not a picture over time.
MIN_INTERVIEWS_FOR_CHART = 3
#: Finished debriefs before topics over time mean anything.
MIN_DEBRIEFS_FOR_CHART = 2
#: The note before an interview comes at this local time the evening before.
EVENING = time(19, 0)
#: It never comes closer to the interview than this (a late evening-before that quiet hours pushed).
PRE_INTERVIEW_MARGIN = timedelta(hours=2)


def missing(p: Patterns) -> tuple[str, ...]:
    """What more is needed before a chart is worth drawing; empty when there is enough."""
    out = []
    if p.interviews < MIN_INTERVIEWS_FOR_CHART:
        more = MIN_INTERVIEWS_FOR_CHART - p.interviews
        out.append(f"{plural(more, 'more interview')} logged with `/interview log`")
    if p.debriefs < MIN_DEBRIEFS_FOR_CHART:
        more = MIN_DEBRIEFS_FOR_CHART - p.debriefs
        out.append(f"{plural(more, 'more finished debrief')} (`/debrief start`)")
    return tuple(out)


def pre_interview_due(
    starts_at: datetime, now: datetime, tz: ZoneInfo, quiet: QuietHours, evening: time = EVENING
) -> datetime | None:
    """When the note before an interview comes: ``evening`` local time the day before, moved out of
    quiet hours; None when that moment has passed or would come too close to the interview."""
    local_day = starts_at.astimezone(tz).date() - timedelta(days=1)
    wanted = datetime.combine(local_day, evening, tzinfo=tz)
    due = wanted if not is_quiet(wanted, tz, quiet) else out_of_quiet(wanted, tz, quiet)
    due = due.astimezone(starts_at.tzinfo).replace(microsecond=0)
    if due <= now or due > starts_at - PRE_INTERVIEW_MARGIN:
        return None
    return due


def company_view(answer: object) -> tuple[str | None, str | None]:
    """``(view, note)`` from the debrief's company answer: the stored ``{"view", "note"}`` of the step, or
    words alone (read with :func:`bot.coach.script.read_view`); ``(None, None)`` when it was skipped."""
    if isinstance(answer, dict):
        view = answer.get("view")
        note = answer.get("note")
        note = " ".join(note.split()) or None if isinstance(note, str) else None
        return (view, note) if view in VIEWS else (None, None)
    if not isinstance(answer, str) or not answer.strip():
        return None, None
    view, note = read_view(answer)
    return view, note or None
