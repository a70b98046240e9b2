"""The words and small pieces :mod:`bot.coach.when` reads a time phrase with: its limits and error, month
and day names, number words, units, the token patterns, and the parsers of a clock time and of "3 hours
ago". Pure and linear-time, like the rest of the coach."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import time, timedelta

MAX_DISTANCE = timedelta(days=366)
MAX_WHEN_TEXT = 200
"""The longest time phrase read; longer text is refused before any pattern sees it."""


def _check_length(text: object) -> None:
    if isinstance(text, str) and len(text) > MAX_WHEN_TEXT:
        raise WhenError(
            f"That's too long to be a time ({len(text):,} characters; I read up to {MAX_WHEN_TEXT}). "
            f"Try something like {_EXAMPLES}."
        )


_EXAMPLES = '"today 2pm", "tomorrow 10:30", "thursday 3pm", "2 hours ago" or "24 Nov 14:00"'


class WhenError(ValueError):
    """The text could not be read as a time; ``str(err)`` is a message fit to show the user."""


class AmbiguousWhen(WhenError):
    """The text reads as two different days ("next Saturday" said on a Thursday); ``str(err)`` asks which."""


MONTHS: dict[str, int] = {
    "jan": 1,
    "january": 1,
    "feb": 2,
    "february": 2,
    "mar": 3,
    "march": 3,
    "apr": 4,
    "april": 4,
    "may": 5,
    "jun": 6,
    "june": 6,
    "jul": 7,
    "july": 7,
    "aug": 8,
    "august": 8,
    "sep": 9,
    "sept": 9,
    "september": 9,
    "oct": 10,
    "october": 10,
    "nov": 11,
    "november": 11,
    "dec": 12,
    "december": 12,
}

WEEKDAYS: dict[str, int] = {
    "mon": 0,
    "monday": 0,
    "tue": 1,
    "tues": 1,
    "tuesday": 1,
    "wed": 2,
    "weds": 2,
    "wednesday": 2,
    "thu": 3,
    "thur": 3,
    "thurs": 3,
    "thursday": 3,
    "fri": 4,
    "friday": 4,
    "sat": 5,
    "saturday": 5,
    "sun": 6,
    "sunday": 6,
}

_MONTH_NAMES = (
    "",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

_DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_DAY_ABBR = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTH_ABBR = ("", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

_RELATIVE_DAYS = {
    "today": 0,
    "tonight": 0,
    "tomorrow": 1,
    "tmrw": 1,
    "tmr": 1,
    "tomorow": 1,
    "tommorow": 1,
    "yesterday": -1,
}

_FILLERS = frozenset({"at", "on", "the", "of", "@", "around", "about", "approx", "approximately", "by", "in"})
_PM_HINTS = frozenset({"afternoon", "evening", "tonight", "night"})
_AM_HINTS = frozenset({"morning"})
_EVENING = frozenset({"evening", "tonight", "night"})
_NOW_WORDS = frozenset({"now", "just now", "right now", "right this moment"})

_NUMBER_WORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "fifteen": 15,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "forty-five": 45,
    "fortyfive": 45,
    "fifty": 50,
    "ninety": 90,
}

_REL_UNITS = {
    "s": 1,
    "sec": 1,
    "secs": 1,
    "second": 1,
    "seconds": 1,
    "m": 60,
    "min": 60,
    "mins": 60,
    "minute": 60,
    "minutes": 60,
    "h": 3600,
    "hr": 3600,
    "hrs": 3600,
    "hour": 3600,
    "hours": 3600,
    "d": 86400,
    "day": 86400,
    "days": 86400,
    "w": 604800,
    "wk": 604800,
    "wks": 604800,
    "week": 604800,
    "weeks": 604800,
}

_ISO_FULL = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[t ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*(z|[+-]\d{2}(?::?\d{2})?)?$"
)
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_TIME_TOKEN = re.compile(r"^(\d{1,2})(?:[:.h](\d{2}))?(am|pm|a|p)?$")
_DAY_TOKEN = re.compile(r"^(\d{1,2})$")
_YEAR_TOKEN = re.compile(r"^(\d{4})$")
_SLASH_DATE = re.compile(r"^\d{1,4}[/]\d{1,2}(?:[/]\d{2,4})?$")
_REL_PART = re.compile(r"(\d+(?:\.\d+)?)\s*([a-z]+)")


# --------------------------------------------------------------------------- normalising


def _normalise(text: str) -> str:
    s = text.strip().lower()
    s = s.replace("\u2019", "'")
    s = re.sub(r"\ba\.m\.?(?=\s|$)", "am", s)
    s = re.sub(r"\bp\.m\.?(?=\s|$)", "pm", s)
    s = re.sub(r"[.!?]+$", "", s)
    s = re.sub(r"[,;]", " ", s)
    s = re.sub(r"\bo'?clock\b", "", s)
    s = re.sub(r"(\d)\s+(am|pm|a|p)\b", r"\1\2", s)
    s = re.sub(r"\b(\d{1,2})(st|nd|rd|th)\b", r"\1", s)
    return re.sub(r"\s+", " ", s).strip()


# --------------------------------------------------------------------------- small parsers


@dataclass(frozen=True)
class _Clock:
    hour: int
    minute: int
    exact: bool  # True when the reading is not subject to the working-hours rule


def _token_time(token: str) -> _Clock | None:
    """Read one token as a time of day; None if it isn't one. Raises WhenError if impossible."""
    if token in ("noon", "midday"):
        return _Clock(12, 0, True)
    if token == "midnight":
        return _Clock(0, 0, True)
    m = _TIME_TOKEN.match(token)
    if not m:
        return None
    hour_txt, minute_txt, meridiem = m.group(1), m.group(2), m.group(3)
    hour = int(hour_txt)
    minute = int(minute_txt) if minute_txt is not None else 0
    if minute > 59:
        raise WhenError(f"{token!r} isn't a time on the clock: minutes run from 00 to 59.")
    if meridiem:
        if hour > 12:
            raise WhenError(
                f"{token!r} mixes the 24-hour clock with am/pm; write {hour - 12}pm or {hour}:{minute:02d}."
                if hour < 24
                else f"{token!r} isn't a time on the clock; hours run from 1 to 12 with am/pm."
            )
        if hour == 0:
            raise WhenError(f"{token!r} isn't a time on the clock; with am/pm, hours run from 1 to 12.")
        if meridiem.startswith("a"):
            return _Clock(0 if hour == 12 else hour, minute, True)
        return _Clock(12 if hour == 12 else hour + 12, minute, True)
    if hour > 23:
        raise WhenError(f"{token!r} isn't a time on the clock: hours run from 0 to 23.")
    exact = hour_txt.startswith("0") or hour == 0 or hour >= 12
    return _Clock(hour, minute, exact)


def _apply_hint(clock: _Clock, hint: str | None) -> time:
    """Resolve a clock reading to a ``time`` using am/pm hints and the working-hours rule."""
    hour = clock.hour
    # "am" or 8-11 without a hint keep the hour as it is.
    if not clock.exact and (hint == "pm" or (hint is None and 1 <= hour <= 7)):
        hour += 12
    return time(hour, clock.minute)


def parse_clock_time(text: str) -> time:
    """Read a clock time on its own ("22:00", "7am", "7:30 pm", "noon", "midnight").

    Stricter than :func:`parse_when`: a bare hour without minutes and without
    am/pm ("7") is refused, because for settings such as quiet hours a guess
    is worse than a question. Raises :class:`WhenError` (a ``ValueError``).
    """
    _check_length(text)
    raw = _normalise(text)
    if not raw:
        raise WhenError("The time is empty; write it like 22:00 or 7am.")
    clock = _token_time(raw.replace(" ", ""))
    if clock is None:
        raise WhenError(f"Couldn't read {text.strip()!r} as a time; write it like 22:00 or 7am.")
    if not clock.exact and re.fullmatch(r"\d{1,2}", raw):
        raise WhenError(
            f"{text.strip()!r} could be morning or evening; write it like {int(raw):02d}:00, "
            f"{int(raw) + 12}:00, {int(raw)}am or {int(raw)}pm."
        )
    return time(clock.hour, clock.minute)


def _relative(raw: str) -> timedelta | None:
    """Parse "2 hours ago" / "in 30 min" into a signed offset, or None if it isn't relative."""
    sign = 0
    body = raw
    if body.startswith("in "):
        sign = 1
        body = body[3:]
    if body.endswith(" ago"):
        if sign:
            return None
        sign = -1
        body = body[:-4]
    if not sign:
        return None
    body = body.strip()
    body = re.sub(r"\b(?:an? )?hour and a half\b", "90 minutes", body)
    body = re.sub(r"\b(?:an? )?half (?:an? )?hour\b", "30 minutes", body)
    body = re.sub(r"\b(?:a )?couple(?: of)?\b", "2", body)
    body = re.sub(r"\ba few\b", "3", body)
    body = re.sub(r"\bfew\b", "3", body)
    body = re.sub(r"\band\b", " ", body)
    words = []
    for word in body.split():
        words.append(str(_NUMBER_WORDS[word]) if word in _NUMBER_WORDS else word)
    body = " ".join(words)
    total = 0.0
    pos = 0
    for match in _REL_PART.finditer(body):
        if body[pos : match.start()].strip():
            return None
        unit = match.group(2)
        if unit not in _REL_UNITS:
            return None
        total += float(match.group(1)) * _REL_UNITS[unit]
        pos = match.end()
    if pos == 0 or body[pos:].strip():
        return None
    # "in 99999999999 hours" is past any range check; clamp so it reads as "too far", not a crash.
    total = min(total, 2 * MAX_DISTANCE.total_seconds())
    return timedelta(seconds=round(total)) * sign
