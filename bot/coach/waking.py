"""Quiet hours: keeping prompts inside the user's waking hours.

Quiet hours are a local wall-clock window, ``QuietHours(start, end)``. The
window may cross midnight (22:00-08:00). ``start == end`` means there are
no quiet hours. ``start`` is inside the window and ``end`` is not.

All arithmetic is done on local wall-clock times and converted back to UTC
at the end, so it stays right across daylight-saving changes:

- If the end of the window falls in a DST gap (the clock skips it), the
  window ends at the moment of the jump, the first moment the local clock
  shows a time at or after the end.
- If the end falls in a fold (the clock shows it twice), the first
  occurrence that is still after the due time is used.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.coach.localtime import local_now, require_aware, resolve_local
from bot.coach.when import WhenError, parse_clock_time

__all__ = [
    "DEFAULT_MORNING",
    "MAX_QUIET_TEXT",
    "NO_QUIET_HOURS",
    "QuietHours",
    "format_quiet_hours",
    "is_quiet",
    "out_of_quiet",
    "parse_clock",
    "parse_quiet_hours",
    "tomorrow_morning",
]

MAX_QUIET_TEXT = 100
"""The longest quiet-hours or clock text read; longer text is refused before any pattern sees it."""

DEFAULT_MORNING = time(9, 0)
"""The "morning" used by :func:`tomorrow_morning` when someone has no quiet hours."""

_NIGHT_END = time(4, 0)
"""Without quiet hours, before this local time it still counts as the previous night."""


class QuietHoursError(ValueError):
    """Quiet hours or a clock time the user typed and that can't be read; the message says how to write it."""


@dataclass(frozen=True)
class QuietHours:
    """A local wall-clock window in which the bot doesn't send prompts."""

    start: time
    end: time

    def __post_init__(self) -> None:
        for name in ("start", "end"):
            value = getattr(self, name)
            if not isinstance(value, time):
                raise TypeError(f"QuietHours.{name} must be a datetime.time")
            if value.tzinfo is not None:
                raise ValueError(f"QuietHours.{name} is a local wall-clock time and must be naive")

    @property
    def enabled(self) -> bool:
        """False when start == end, which means there are no quiet hours."""
        return _minute_of_day(self.start) != _minute_of_day(self.end)

    @property
    def crosses_midnight(self) -> bool:
        """True for windows such as 22:00-08:00."""
        return self.enabled and self.start > self.end

    def contains(self, wall: time) -> bool:
        """True if the local wall-clock time ``wall`` is inside the window."""
        if not self.enabled:
            return False
        wall = wall.replace(tzinfo=None)
        if self.start < self.end:
            return self.start <= wall < self.end
        return wall >= self.start or wall < self.end


NO_QUIET_HOURS = QuietHours(time(0, 0), time(0, 0))


def _minute_of_day(value: time) -> tuple[int, int, int, int]:
    return (value.hour, value.minute, value.second, value.microsecond)


def parse_clock(text: str) -> time:
    """Read a clock time for settings: "22:00", "7am", "7:30pm", "noon", "midnight".

    A bare hour such as "7" is refused (it could be morning or evening).
    Raises :class:`QuietHoursError` (a ``ValueError``) with a message fit to show the user.
    """
    if isinstance(text, str) and len(text) > MAX_QUIET_TEXT:
        raise QuietHoursError(
            f"That time is {len(text):,} characters; I read up to {MAX_QUIET_TEXT}. Write it like 22:00."
        )
    try:
        return parse_clock_time(text)
    except WhenError as err:
        raise QuietHoursError(str(err)) from None


_OFF_WORDS = frozenset({"off", "none", "no", "disable", "disabled", "never", "0"})


def parse_quiet_hours(text: str) -> QuietHours:
    """Read a window such as "22:00-08:00", "10pm to 7am" or "off" (no quiet hours).

    Raises :class:`QuietHoursError` (a ``ValueError``) with a message fit to show the user.
    """
    if len(text) > MAX_QUIET_TEXT:
        raise QuietHoursError(
            f"That is {len(text):,} characters; I read up to {MAX_QUIET_TEXT}. "
            "Write quiet hours like 22:00-08:00 or 10pm to 7am, or 'off'."
        )
    raw = text.strip().lower()
    if raw in _OFF_WORDS:
        return NO_QUIET_HOURS
    parts = re.split(r"\s*(?:-|\u2013|\u2014|to|until|till)\s*", raw, maxsplit=1)
    if len(parts) != 2 or not parts[0] or not parts[1]:
        raise QuietHoursError("Write quiet hours as a start and an end, like 22:00-08:00 or 10pm to 7am, or 'off'.")
    return QuietHours(parse_clock(parts[0]), parse_clock(parts[1]))


#: Quiet hours leaving fewer waking hours than this are confirmed before they are set.
MIN_WAKING_HOURS = 8


def waking_minutes(quiet: QuietHours) -> int:
    """Minutes of the day outside the quiet hours (the whole day when there are none)."""
    if not quiet.enabled:
        return 24 * 60
    start = quiet.start.hour * 60 + quiet.start.minute
    end = quiet.end.hour * 60 + quiet.end.minute
    return 24 * 60 - (end - start) % (24 * 60)


def format_quiet_hours(quiet: QuietHours) -> str:
    """ "22:00-08:00", or "off" when there are no quiet hours."""
    if not quiet.enabled:
        return "off"
    return f"{quiet.start:%H:%M}-{quiet.end:%H:%M}"


def is_quiet(dt_utc: datetime, tz: ZoneInfo, quiet: QuietHours) -> bool:
    """True if the aware instant ``dt_utc`` falls inside ``quiet`` on the local clock of ``tz``."""
    require_aware(dt_utc, "dt_utc")
    return quiet.contains(dt_utc.astimezone(tz).time())


def _end_after(due: datetime, end_day_naive: datetime, tz: ZoneInfo) -> datetime:
    """The instant the local clock shows ``end_day_naive``, taking the first occurrence after ``due``."""
    first = resolve_local(end_day_naive, tz, fold=0)
    if first > due:
        return first
    second = resolve_local(end_day_naive, tz, fold=1)
    return second if second > due else due


def out_of_quiet(due_utc: datetime, tz: ZoneInfo, quiet: QuietHours) -> datetime:
    """Return ``due_utc`` if it's outside quiet hours, else the end of that quiet window (aware UTC)."""
    require_aware(due_utc, "due_utc")
    due = due_utc.astimezone(UTC)
    if not is_quiet(due, tz, quiet):
        return due
    local = local_now(due, tz)
    end_day = local.date()
    if quiet.crosses_midnight and local.time() >= quiet.start:
        end_day += timedelta(days=1)
    return _end_after(due, datetime.combine(end_day, quiet.end), tz)


def tomorrow_morning(now_utc: datetime, tz: ZoneInfo, quiet: QuietHours) -> datetime:
    """The next morning in ``tz``, at the end of quiet hours (or 09:00 without them), as aware UTC.

    Normally that's tomorrow's date. One exception so that "snooze until
    tomorrow morning" pressed in the small hours doesn't skip a whole day:
    if it is still night -- inside quiet hours before they end on this
    calendar date, or before 04:00 when there are no quiet hours -- the
    morning is later today.
    """
    require_aware(now_utc, "now_utc")
    local = local_now(now_utc, tz)
    morning = quiet.end if quiet.enabled else DEFAULT_MORNING
    if quiet.enabled:
        still_night = quiet.contains(local.time()) and local.time() < quiet.end
    else:
        still_night = local.time() < _NIGHT_END
    day = local.date() if still_night else local.date() + timedelta(days=1)
    return _end_after(now_utc.astimezone(UTC), datetime.combine(day, morning), tz)
