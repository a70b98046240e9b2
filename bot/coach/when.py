"""Reading "when" an interview is, in the user's own time zone.

Why a small grammar of our own rather than ``dateparser``: the ``when``
option is answered by people in a hurry, and a wrong guess quietly schedules
a debrief prompt at the wrong time. ``dateparser`` is broad but its guesses
depend on locale settings, language detection and version, it reads the
clock unless carefully configured, and it is slow to import and to run. A
small deterministic grammar covers what people actually type, gives a
specific message when it can't, and is easy to test exhaustively.

What is understood (case-insensitive; "at", "on", "the", "of", commas and
ordinal suffixes such as "24th" are ignored):

- ``now``, ``just now``, ``right now``.
- Relative: ``2 hours ago``, ``30 minutes ago``, ``an hour ago``,
  ``half an hour ago``, ``in 3 hours``, ``in 90 min``, ``1h30m ago``.
- Days: ``today``, ``tonight``, ``tomorrow``, ``yesterday``,
  ``day after tomorrow``, weekdays (``thu``, ``thursday``) optionally with
  ``this``, ``next`` or ``last``; ``24 Nov``, ``Nov 24``, ``24th of
  November 2026``; ISO dates ``2026-11-24``.
- Times: ``14:00``, ``9:30``, ``14.30``, ``2pm``, ``2 pm``, ``2:30pm``,
  ``9 a.m.``, ``noon``/``midday``, ``midnight``, a bare hour (``at 4``).
- Full ISO 8601: ``2026-11-24T14:00``, ``2026-11-24 14:00``, and with an
  offset ``2026-11-24T14:00+01:00`` or ``...Z`` (the offset is respected
  and the user's zone is ignored).

Rules for the ambiguous cases:

- A weekday means the next such day: today if that time is still ahead
  today, otherwise the same weekday next week. ``this thursday`` is the
  same. ``last thursday`` is the most recent Thursday strictly before today.
- ``next thursday`` is the Thursday of next week (weeks run Monday to
  Sunday), as most English speakers mean it: said on a Monday, Tuesday or
  Wednesday, "next Thursday" is not this week's Thursday but the one after;
  said on Friday it is the coming Thursday, which is in next week anyway,
  and said on a Thursday it is in 7 days. Said on Thursday to Saturday about
  a day still ahead in the same week ("next Saturday" on a Thursday),
  people mean either, so it is not guessed: :class:`AmbiguousWhen` asks which.
- A bare time ("3pm") means the *nearest* occurrence of that clock time:
  normally today, whether it is already past or still ahead; it rolls to
  tomorrow only when that is closer (``1am`` said at 23:30) and to yesterday
  only when that is closer (``11pm`` said at 00:30). The interview log takes
  both past and upcoming interviews, and this reads both naturally.
- A date without a year means the nearest such date, past or future, so it
  always lands within about six months of today.
- A bare hour without am/pm is read as a working-day hour: 8-11 mean the
  morning, 12 is noon, 1-7 mean the afternoon or evening (``at 4`` is 16:00),
  13-23 are 24-hour times. The same holds for ``4:30``; a leading zero
  (``04:30``) always means the 24-hour clock. ``morning`` forces am,
  ``afternoon``, ``evening`` and ``tonight`` force pm.
- ``midnight`` is 00:00 at the start of the named day.
- A date without any time is refused by :func:`parse_when` (unless the
  caller passes ``default_time``): a debrief prompt needs an hour.
- Slash dates (``03/04``) are refused: they read differently around the
  world. Use a month name or ISO.
- A wall-clock time that does not exist because the clocks jump forward is
  refused with an explanation. A time that happens twice when the clocks go
  back is read as the first occurrence.
- Results more than a year (366 days) in the past or future are refused.

All results are aware UTC datetimes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from bot.coach.localtime import gap_shifted, is_nonexistent, local_now, require_aware
from bot.coach.when_words import (
    _AM_HINTS,
    _DAY_ABBR,
    _DAY_NAMES,
    _DAY_TOKEN,
    _EVENING,
    _EXAMPLES,
    _FILLERS,
    _ISO_DATE,
    _ISO_FULL,
    _MONTH_ABBR,
    _MONTH_NAMES,
    _NOW_WORDS,
    _PM_HINTS,
    _RELATIVE_DAYS,
    _SLASH_DATE,
    _YEAR_TOKEN,
    MAX_DISTANCE,
    MAX_WHEN_TEXT,
    MONTHS,
    WEEKDAYS,
    AmbiguousWhen,
    WhenError,
    _apply_hint,
    _check_length,
    _Clock,
    _normalise,
    _relative,
    _token_time,
    parse_clock_time,
)

__all__ = [
    "MAX_DISTANCE",
    "MAX_WHEN_TEXT",
    "AmbiguousWhen",
    "WhenError",
    "format_local",
    "parse_clock_time",
    "parse_when",
    "parse_when_or_day",
    "short_day",
]


# --------------------------------------------------------------------------- the token grammar


@dataclass(frozen=True)
class _DateSpec:
    kind: str  # "relative" | "weekday" | "absolute" | "monthday"
    offset: int = 0  # relative days
    weekday: int = 0
    modifier: str = ""  # "", "this", "next", "last"
    year: int | None = None
    month: int = 0
    day: int = 0


@dataclass(frozen=True)
class _Parts:
    date: _DateSpec | None
    clock: _Clock | None
    hint: str | None
    weekday_check: int | None = None


def _unreadable(text: str) -> WhenError:
    return WhenError(f"Couldn't read {text.strip()!r} as a time. Try something like {_EXAMPLES}.")


def short_day(day: date, *, with_year: bool = False) -> str:
    """Format a date as "Thu 27 Nov" (or "Thu 27 Nov 2025"), independent of the process locale."""
    text = f"{_DAY_ABBR[day.weekday()]} {day.day} {_MONTH_ABBR[day.month]}"
    return f"{text} {day.year}" if with_year else text


def _month_name(month: int) -> str:
    return _MONTH_NAMES[month]


def _tokens_to_parts(raw: str, original: str) -> _Parts:
    tokens = [tok for tok in raw.split() if tok not in _FILLERS]
    date_spec: _DateSpec | None = None
    clock: _Clock | None = None
    hint: str | None = None

    weekday_check: int | None = None

    def set_date(spec: _DateSpec) -> None:
        nonlocal date_spec, weekday_check
        if date_spec is None:
            date_spec = spec
            return
        # "Thu 26 Nov": a plain weekday next to a calendar date is a cross-check, not a second day.
        pair = {date_spec.kind, spec.kind}
        if weekday_check is None and "weekday" in pair and pair & {"monthday", "absolute"}:
            day_name, calendar = (date_spec, spec) if date_spec.kind == "weekday" else (spec, date_spec)
            if not day_name.modifier:
                weekday_check = day_name.weekday
                date_spec = calendar
                return
        raise WhenError(f"{original.strip()!r} seems to name two different days; give just one.")

    def set_clock(value: _Clock) -> None:
        nonlocal clock
        if clock is not None:
            raise WhenError(f"{original.strip()!r} seems to name two different times; give just one.")
        clock = value

    def set_hint(value: str) -> None:
        nonlocal hint
        if hint is not None and hint != value:
            raise WhenError(f"{original.strip()!r} says both morning and afternoon; which is it?")
        hint = value

    i = 0
    n = len(tokens)
    while i < n:
        tok = tokens[i]
        nxt = tokens[i + 1] if i + 1 < n else None
        if tok in _RELATIVE_DAYS:
            set_date(_DateSpec("relative", offset=_RELATIVE_DAYS[tok]))
            if tok == "tonight":
                set_hint("pm")
            i += 1
            continue
        if tok == "day" and tokens[i + 1 : i + 3] == ["after", "tomorrow"]:
            set_date(_DateSpec("relative", offset=2))
            i += 3
            continue
        if tok == "day" and tokens[i + 1 : i + 3] == ["before", "yesterday"]:
            set_date(_DateSpec("relative", offset=-2))
            i += 3
            continue
        if tok in ("this", "next", "last") and nxt in WEEKDAYS:
            set_date(_DateSpec("weekday", weekday=WEEKDAYS[nxt], modifier=tok))
            i += 2
            continue
        if tok == "this" and nxt in _AM_HINTS | _PM_HINTS:
            set_date(_DateSpec("relative", offset=0))
            i += 1
            continue
        if tok in WEEKDAYS:
            set_date(_DateSpec("weekday", weekday=WEEKDAYS[tok]))
            i += 1
            continue
        if tok in _AM_HINTS:
            set_hint("am")
            i += 1
            continue
        if tok in _PM_HINTS:
            set_hint("pm")
            i += 1
            continue
        iso = _ISO_DATE.match(tok)
        if iso:
            year, month, day = (int(iso.group(k)) for k in (1, 2, 3))
            set_date(_DateSpec("absolute", year=year, month=month, day=day))
            i += 1
            continue
        if _DAY_TOKEN.match(tok) and nxt in MONTHS:
            year = None
            step = 2
            if i + 2 < n and _YEAR_TOKEN.match(tokens[i + 2]):
                year = int(tokens[i + 2])
                step = 3
            set_date(_DateSpec("monthday", year=year, month=MONTHS[nxt], day=int(tok)))
            i += step
            continue
        if tok in MONTHS:
            j = i + 1
            while j < n and tokens[j] in ("the",):
                j += 1
            if j < n and _DAY_TOKEN.match(tokens[j]) and not (j + 1 < n and tokens[j + 1] in ("am", "pm")):
                year = None
                step = j + 1 - i
                if j + 1 < n and _YEAR_TOKEN.match(tokens[j + 1]):
                    year = int(tokens[j + 1])
                    step += 1
                set_date(_DateSpec("monthday", year=year, month=MONTHS[tok], day=int(tokens[j])))
                i += step
                continue
            raise WhenError(f"Which day in {_month_name(MONTHS[tok])}? Write it like '24 {tok[:3].title()} 2pm'.")
        if _SLASH_DATE.match(tok):
            raise WhenError(
                f"Dates like {tok!r} read differently around the world; write the month as a word "
                "('24 Nov') or use 2026-11-24."
            )
        value = _token_time(tok)
        if value is not None:
            set_clock(value)
            i += 1
            continue
        raise _unreadable(original)
    return _Parts(date_spec, clock, hint, weekday_check)


# --------------------------------------------------------------------------- resolving


def _make_date(year: int, month: int, day: int) -> date:
    if not 1 <= month <= 12:
        raise WhenError(f"There's no month {month}; months run from 1 to 12.")
    try:
        return date(year, month, day)
    except ValueError:
        if month == 2 and day == 29:
            raise WhenError(f"{year} has no 29 February (it isn't a leap year).") from None
        raise WhenError(f"There's no {day} {_month_name(month)}.") from None


def _check_day_exists(month: int, day: int) -> None:
    """Refuse a day that exists in no year at all (e.g. 30 February), before picking a year."""
    try:
        date(2024, month, day)  # 2024 is a leap year, so 29 February passes here
    except ValueError:
        raise WhenError(f"There's no {day} {_month_name(month)}.") from None


def _localise(naive: datetime, tz: ZoneInfo) -> datetime:
    if is_nonexistent(naive, tz):
        shifted = gap_shifted(naive, tz)
        day = short_day(naive.date())
        raise WhenError(
            f"{naive:%H:%M} on {day} doesn't exist in {tz.key}: the clocks jump forward that night and "
            f"skip that hour. Did you mean {shifted:%H:%M}?"
        )
    return naive.replace(tzinfo=tz, fold=0).astimezone(UTC)


def _resolve_day(spec: _DateSpec, today: date, now_local: datetime, at: time | None) -> date:
    """Pick the calendar day for ``spec``. ``at`` is the time of day if one was given."""
    if spec.kind == "relative":
        return today + timedelta(days=spec.offset)
    if spec.kind == "absolute":
        assert spec.year is not None
        return _make_date(spec.year, spec.month, spec.day)
    if spec.kind == "weekday":
        ahead = (spec.weekday - today.weekday()) % 7
        if spec.modifier == "last":
            back = (today.weekday() - spec.weekday) % 7 or 7
            return today - timedelta(days=back)
        if spec.modifier == "next":
            return _next_weekday(spec.weekday, today, ahead or 7)
        if ahead == 0:
            passed = at is not None and datetime.combine(today, at) <= now_local
            if passed:
                ahead = 7
        return today + timedelta(days=ahead)
    # monthday
    if spec.year is not None:
        return _make_date(spec.year, spec.month, spec.day)
    _check_day_exists(spec.month, spec.day)
    target = at or time(12, 0)
    candidates = []
    for year in (today.year - 1, today.year, today.year + 1):
        try:
            candidates.append(date(year, spec.month, spec.day))
        except ValueError:
            continue
    if not candidates:  # only 29 February, far from a leap year
        raise WhenError(f"{today.year} has no 29 February (it isn't a leap year).")
    return min(candidates, key=lambda d: abs(datetime.combine(d, target) - now_local))


#: "next <day>" said on these weekdays (Monday 0 .. Wednesday 2) about a day later this week means next week's.
_EARLY_IN_WEEK = 2


def _next_weekday(weekday: int, today: date, ahead: int) -> date:
    """ "next <weekday>": the one in next week (see the module docstring); ``ahead`` is 1-7 days to the
    coming one. Raises :class:`AmbiguousWhen` where people mean either."""
    coming = today + timedelta(days=ahead)
    if today.weekday() + ahead <= 6:  # the coming one is still in this week
        later = coming + timedelta(days=7)
        if today.weekday() <= _EARLY_IN_WEEK:
            return later
        name = _DAY_NAMES[weekday]
        raise AmbiguousWhen(
            f"'next {name}' could be {short_day(coming)} (this week) or {short_day(later)} (next week). "
            f"Which one? Write 'this {name}' or '{later.day} {_MONTH_ABBR[later.month]}'."
        )
    return coming


def _check_range(result: datetime, now: datetime) -> datetime:
    if result - now > MAX_DISTANCE:
        raise WhenError("That's more than a year from now; the interview log only looks a year ahead.")
    if now - result > MAX_DISTANCE:
        raise WhenError("That's more than a year ago; the interview log only goes back a year.")
    return result


def _parse(text: str, now: datetime, tz: ZoneInfo, default_time: time | None) -> datetime | date:
    require_aware(now, "now")
    if not isinstance(text, str) or not text.strip():
        raise WhenError(f"The time is empty. Try something like {_EXAMPLES}.")
    _check_length(text)
    raw = _normalise(text)
    if raw in _NOW_WORDS:
        return now.astimezone(UTC)

    full = _ISO_FULL.match(raw)
    if full:
        year, month, day, hour, minute = (int(full.group(k)) for k in range(1, 6))
        second = int(full.group(6) or 0)
        the_day = _make_date(year, month, day)
        if hour > 23 or minute > 59 or second > 59:
            raise WhenError(f"{text.strip()!r} isn't a time on the clock: hours run 0-23 and minutes 0-59.")
        naive = datetime.combine(the_day, time(hour, minute, second))
        offset = full.group(7)
        if offset:
            if offset == "z":
                return _check_range(naive.replace(tzinfo=UTC), now)
            sign = 1 if offset[0] == "+" else -1
            digits = offset[1:].replace(":", "")
            off_h, off_m = int(digits[:2]), int(digits[2:4] or 0)
            if off_h > 18 or off_m > 59:
                raise WhenError(f"{offset!r} isn't a valid UTC offset.")
            fixed = timezone(sign * timedelta(hours=off_h, minutes=off_m))
            return _check_range(naive.replace(tzinfo=fixed).astimezone(UTC), now)
        return _check_range(_localise(naive, tz), now)

    rel = _relative(raw)
    if rel is not None:
        return _check_range((now + rel).astimezone(UTC), now)
    if _relative(f"in {raw}") is not None:
        said = text.strip()
        raise WhenError(f"Did you mean '{said} ago' or 'in {said}'?")

    parts = _tokens_to_parts(raw, text)
    now_local = local_now(now, tz)
    today = now_local.date()
    at = _apply_hint(parts.clock, parts.hint) if parts.clock is not None else None

    if parts.date is None and at is None:
        raise _unreadable(text)
    if parts.date is None:
        assert at is not None
        candidates = [datetime.combine(today + timedelta(days=k), at) for k in (0, -1, 1)]
        naive = min(candidates, key=lambda c: abs(c - now_local))  # ties keep today (listed first)
        return _check_range(_localise(naive, tz), now)

    the_day = _resolve_day(parts.date, today, now_local, at)
    if parts.weekday_check is not None and the_day.weekday() != parts.weekday_check:
        raise WhenError(
            f"{short_day(the_day, with_year=the_day.year != today.year)[4:]} is a "
            f"{_DAY_NAMES[the_day.weekday()]}, not a {_DAY_NAMES[parts.weekday_check]}. Which did you mean?"
        )
    if at is None:
        if default_time is None:
            # Range-check the day itself so "24 Nov 2030" says "too far" rather than "add a time".
            _check_range(_localise(datetime.combine(the_day, time(12, 0)), tz), now)
            return the_day
        at = default_time
    return _check_range(_localise(datetime.combine(the_day, at), tz), now)


def parse_when_or_day(text: str, *, now: datetime, tz: ZoneInfo) -> datetime | date:
    """Like :func:`parse_when`, but a day without a time returns that local ``date``.

    Used when noticing interviews in sentences ("final round on Thursday"),
    where knowing the day is still useful. Raises :class:`WhenError`.
    """
    return _parse(text, now, tz, None)


def parse_when(text: str, *, now: datetime, tz: ZoneInfo, default_time: time | None = None) -> datetime:
    """Read ``text`` as a moment in zone ``tz`` and return it as an aware UTC datetime.

    ``now`` must be aware. A day without a time is refused unless
    ``default_time`` (local) is given. See the module docstring for the
    rules; raises :class:`WhenError` with a message fit to show the user.
    """
    value = _parse(text, now, tz, default_time)
    if isinstance(value, datetime):
        return value
    shown = short_day(value)
    said = text.strip()
    words = set(said.lower().split())
    # An example that reads and parses as meant: "tomorrow morning 10am", not "tomorrow morning 2pm".
    twelve, clock = (
        ("10am", "10:00") if words & _AM_HINTS else ("6pm", "18:00") if words & _EVENING else ("2pm", "14:00")
    )
    raise WhenError(f"What time on {shown}? Add a time, for example '{said} {twelve}' or '{said} {clock}'.")


def format_local(dt_utc: datetime, tz: ZoneInfo, now: datetime) -> str:
    """Format an aware datetime for a reply, in ``tz``, relative to ``now``.

    "today 17:00", "tomorrow 09:30", "yesterday 16:00", "Thu 27 Nov 15:00",
    and "Thu 27 Nov 2025 15:00" when the year differs from the current one.
    """
    require_aware(dt_utc, "dt_utc")
    local = dt_utc.astimezone(tz)
    today = local_now(now, tz).date()
    clock = f"{local:%H:%M}"
    delta = (local.date() - today).days
    if delta == 0:
        return f"today {clock}"
    if delta == 1:
        return f"tomorrow {clock}"
    if delta == -1:
        return f"yesterday {clock}"
    day = short_day(local.date(), with_year=local.year != today.year)
    return f"{day} {clock}"


__all__ = [
    "MAX_DISTANCE",
    "MAX_WHEN_TEXT",
    "MONTHS",
    "WEEKDAYS",
    "AmbiguousWhen",
    "WhenError",
    "format_local",
    "parse_clock_time",
    "parse_when",
    "parse_when_or_day",
    "short_day",
]
