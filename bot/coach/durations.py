"""Durations in operator config and in replies.

:func:`parse_duration` reads compact strings such as ``"3h"``, ``"90m"``,
``"10s"``, ``"10d"``, ``"2w"``, ``"1h30m"`` or ``"1h 30m"``. Longer unit
names (``"3 hours"``, ``"90 min"``) and decimals (``"1.5h"``) are accepted
too. A bare number is rejected, because "30" could mean minutes or hours.

:func:`format_duration` writes a duration the way a person would say it:
``"3 h"``, ``"1 h 30 min"``, ``"10 days"``, ``"45 min"``.
"""

from __future__ import annotations

import re
from datetime import timedelta

__all__ = ["MAX_DURATION_TEXT", "format_duration", "parse_duration", "spoken_span"]

MAX_DURATION_TEXT = 100
"""The longest duration text read; longer text is refused before any pattern sees it."""

_UNIT_SECONDS: dict[str, int] = {}
for _names, _seconds in (
    (("s", "sec", "secs", "second", "seconds"), 1),
    (("m", "min", "mins", "minute", "minutes"), 60),
    (("h", "hr", "hrs", "hour", "hours"), 3600),
    (("d", "day", "days"), 86400),
    (("w", "wk", "wks", "week", "weeks"), 604800),
):
    for _name in _names:
        _UNIT_SECONDS[_name] = _seconds

_PART = re.compile(r"(\d+(?:\.\d+)?)\s*([a-z]+)")
_LONGEST = timedelta(days=3650)
_UNITS_HELP = "s (seconds), m (minutes), h (hours), d (days), w (weeks)"
_EXAMPLES = '"3h", "90m", "1h30m" or "2d"'


def parse_duration(text: str) -> timedelta:
    """Parse a duration such as ``"3h"`` or ``"1h30m"`` into a ``timedelta``.

    Raises ``ValueError`` with a message naming the problem for empty input,
    negative values, numbers without a unit and unknown units.
    """
    if not isinstance(text, str):
        raise ValueError(f"A duration must be text such as {_EXAMPLES}.")
    if len(text) > MAX_DURATION_TEXT:
        raise ValueError(f"That duration is {len(text):,} characters; I read up to {MAX_DURATION_TEXT}.")
    raw = text.strip().lower()
    if not raw:
        raise ValueError(f"The duration is empty; use something like {_EXAMPLES}.")
    if raw.startswith("-"):
        raise ValueError(f"A duration can't be negative (got {text.strip()!r}).")
    compact = raw.replace(",", " ").replace(" and ", " ")
    compact = re.sub(r"\s+", " ", compact)
    if re.fullmatch(r"\d+(?:\.\d+)?", compact):
        raise ValueError(f"{text.strip()!r} has no unit; add one of {_UNITS_HELP}, for example {_EXAMPLES}.")
    total = 0.0
    pos = 0
    for match in _PART.finditer(compact):
        gap = compact[pos : match.start()]
        if gap.strip():
            raise ValueError(f"Couldn't read {text.strip()!r} as a duration; use something like {_EXAMPLES}.")
        unit = match.group(2)
        if unit not in _UNIT_SECONDS:
            raise ValueError(f"Unknown unit {unit!r} in {text.strip()!r}; use {_UNITS_HELP}.")
        total += float(match.group(1)) * _UNIT_SECONDS[unit]
        pos = match.end()
    if pos == 0 or compact[pos:].strip():
        raise ValueError(f"Couldn't read {text.strip()!r} as a duration; use something like {_EXAMPLES}.")
    if total > _LONGEST.total_seconds():
        raise ValueError(f"{text.strip()!r} is longer than any setting allows; use at most {_LONGEST.days:,} days.")
    return timedelta(seconds=round(total))


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def format_duration(td: timedelta) -> str:
    """Format a ``timedelta`` for people: ``"3 h"``, ``"1 h 30 min"``, ``"10 days"``, ``"45 min"``.

    Whole weeks are shown as weeks (``"2 weeks"``); otherwise days, hours,
    minutes and -- only when present -- seconds. Sub-second parts are rounded.
    A zero duration is ``"0 min"``; a negative one is prefixed with ``"-"``.
    """
    total = round(td.total_seconds())
    if total < 0:
        return "-" + format_duration(timedelta(seconds=-total))
    if total == 0:
        return "0 min"
    days, rest = divmod(total, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, seconds = divmod(rest, 60)
    parts: list[str] = []
    if days:
        if days % 7 == 0 and not (hours or minutes or seconds):
            parts.append(_plural(days // 7, "week", "weeks"))
        else:
            parts.append(_plural(days, "day", "days"))
    if hours:
        parts.append(f"{hours} h")
    if minutes:
        parts.append(f"{minutes} min")
    if seconds:
        parts.append(f"{seconds} s")
    return " ".join(parts)


def spoken_span(td: timedelta) -> str:
    """How long something has been, the way a person says it: ``"40 minutes"``, ``"4 hours"``,
    ``"1 day"``, ``"3 days"``. Under two days it counts hours (a day and a half is "36 hours"); never
    rounds a few hours up to a day. Negative spans count as zero."""
    minutes = max(0, int(td.total_seconds() // 60))
    if minutes < 60:
        return _plural(max(minutes, 1), "minute", "minutes")
    hours = minutes // 60
    if hours < 48:
        return _plural(hours, "hour", "hours")
    return _plural(hours // 24, "day", "days")
