"""Weekly summaries: what a week is, when it goes out, what a private one says, what a cohort may see.

Pure and synchronous, standard library only.

* A summary goes out at a local weekday and clock time ("Sun 18:00") in the zone of whoever receives it.
  Its window is the seven *local* days before that moment, so a week with a DST change is 167 or 169
  hours long and still runs Sunday 18:00 to Sunday 18:00 on the wall clock.
* It is keyed by the ISO week of its local due date: one per (user, ISO week), one per (channel, ISO week).
* A cohort summary is aggregate only. Every number it shows is a count of *members* (never of events,
  never a name), shown only when at least ``min_group`` different members contribute, and shown in bands
  ("3+", "5+", "10+"...), never exactly: exact totals of two weeks could be subtracted to single someone
  out. Categories under the threshold are folded into "other" when "other" itself reaches the threshold,
  else left out.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, time, timedelta
from itertools import chain
from operator import itemgetter
from zoneinfo import ZoneInfo

from bot.coach.patterns.facts import (
    PATTERN_MIN_REPEATS,
    RECENT_WINDOW,
    ApplicationFact,
    DebriefFact,
    FeedbackFact,
    InterviewFact,
    label_of,
)
from bot.coach.patterns.focus import FocusProgress
from bot.coach.patterns.funnel import Funnel, funnel, funnel_counts_of_rows, funnel_of_counts
from bot.coach.patterns.recurring import _trend, stumble_topics  # the engine's own trend rule, not a copy

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_DAY_NAMES = {
    **{d.lower(): i for i, d in enumerate(WEEKDAYS)},
    **{
        name: i for i, name in enumerate(("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"))
    },
    "tues": 1,
    "wednes": 2,
    "thur": 3,
    "thurs": 3,
}
OFF_WORDS = frozenset({"off", "none", "no", "never", "disable", "disabled"})
#: Longest summary-time text read at all (anything longer is refused before it is looked at).
MAX_TIME_TEXT = 40
#: The smallest group a cohort category may describe; an operator may raise it, never lower it.
MIN_GROUP_FLOOR = 3
#: Stumble topics and critique kinds listed at most in a cohort summary.
COHORT_TOP = 3
TIME_FORMAT_HELP = 'Write a day and a time, like "Sun 18:00", "Friday 5pm" or "mon 09:30"; or "off".'


class SummaryTimeError(ValueError):
    """A summary time that can't be read; the message is fit to show."""


@dataclass(frozen=True, slots=True)
class WeeklyTime:
    """A local weekday (0 = Monday) and a wall-clock time."""

    weekday: int
    at: time

    def __str__(self) -> str:
        return f"{WEEKDAYS[self.weekday]} {self.at:%H:%M}"


def _clock(text: str) -> time:
    """ "18:00", "6pm", "6:30pm", "18" is refused (morning or evening?). No regular expressions."""
    s = text.strip().lower().replace(".", ":")
    suffix = None
    for end in ("am", "pm"):
        if s.endswith(end):
            suffix, s = end, s[: -len(end)].strip()
    hours, _, minutes = s.partition(":")
    if not hours.isdigit() or len(hours) > 2 or (minutes and (not minutes.isdigit() or len(minutes) != 2)):
        raise SummaryTimeError(f"I can't read that time. {TIME_FORMAT_HELP}")
    if not minutes and suffix is None:
        raise SummaryTimeError(f"Is that morning or evening? {TIME_FORMAT_HELP}")
    h, m = int(hours), int(minutes or 0)
    if suffix is not None:
        if not 1 <= h <= 12:
            raise SummaryTimeError(f"I can't read that time. {TIME_FORMAT_HELP}")
        h = h % 12 + (12 if suffix == "pm" else 0)
    if h > 23 or m > 59:
        raise SummaryTimeError(f"That time doesn't exist on a clock. {TIME_FORMAT_HELP}")
    return time(h, m)


def parse_weekly_time(text: str) -> WeeklyTime | None:
    """Read "Sun 18:00", "sunday 6pm", "Fri 17:30"; "off" gives None. Raises SummaryTimeError."""
    if not isinstance(text, str) or len(text) > MAX_TIME_TEXT:
        raise SummaryTimeError(f"That is too long to be a day and a time. {TIME_FORMAT_HELP}")
    words = text.replace(",", " ").split()
    if len(words) == 1 and words[0].lower() in OFF_WORDS:
        return None
    if len(words) < 2:
        raise SummaryTimeError(f"I need a day and a time. {TIME_FORMAT_HELP}")
    name = words[0].lower()
    day = _DAY_NAMES.get(name)
    if day is None and len(name) >= 3:
        day = next((i for full, i in _DAY_NAMES.items() if len(full) > 3 and full.startswith(name)), None)
    if day is None:
        raise SummaryTimeError(f"I don't know the day {words[0][:20]!r}. {TIME_FORMAT_HELP}")
    return WeeklyTime(day, _clock(" ".join(words[1:])))


def _local(day, at: time, zone: ZoneInfo) -> datetime:
    """The aware moment of a local date and wall-clock time; a time skipped by DST moves forward."""
    naive = datetime.combine(day, at)
    local = naive.replace(tzinfo=zone)
    # Round-trip through UTC: a time inside a spring-forward gap comes back as the first real time after it.
    return local.astimezone(ZoneInfo("UTC")).astimezone(zone)


def next_due(after: datetime, zone: ZoneInfo, when: WeeklyTime) -> datetime:
    """The first local ``when`` strictly after ``after`` (aware), as an aware datetime in ``zone``."""
    if after.tzinfo is None:
        raise ValueError("next_due needs an aware datetime")
    local_now = after.astimezone(zone)
    day = local_now.date() + timedelta(days=(when.weekday - local_now.weekday()) % 7)
    candidate = _local(day, when.at, zone)
    while candidate <= after:
        day += timedelta(days=7)
        candidate = _local(day, when.at, zone)
    return candidate


def week_key(due: datetime, zone: ZoneInfo) -> str:
    """The ISO week of a due moment in its local zone, e.g. "2026-W48"."""
    year, week, _ = due.astimezone(zone).isocalendar()
    return f"{year}-W{week:02d}"


def window_of(due: datetime, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """The seven local days that end at ``due``: (start, end), both aware, in UTC."""
    local = due.astimezone(zone)
    start = _local(local.date() - timedelta(days=7), local.time().replace(tzinfo=None), zone)
    utc = ZoneInfo("UTC")
    return start.astimezone(utc), local.astimezone(utc)


def preview_end(now: datetime, zone: ZoneInfo) -> datetime:
    """Where an admin's preview of a cohort summary ends: the start of today, local (in UTC). Whole days
    only, so previews taken through a day cannot show one member's activity appear as it happens."""
    local = now.astimezone(zone)
    return _local(local.date(), time(0, 0), zone).astimezone(ZoneInfo("UTC"))


# -- the private summary ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class WeekFacts:
    """One user's records as of the end of a week (everything up to ``end``, nothing after)."""

    interviews: Sequence[InterviewFact]
    debriefs: Sequence[DebriefFact]
    feedback: Sequence[FeedbackFact]
    applications: Sequence[ApplicationFact]
    outcomes_at: dict[int, datetime]  # interview id -> when its outcome was recorded


@dataclass(frozen=True, slots=True)
class PrivateSummary:
    start: datetime
    end: datetime
    interviews: tuple[InterviewFact, ...]  # held this week, oldest first
    debriefs: int  # finished this week
    outcomes: tuple[InterviewFact, ...]  # outcome recorded this week
    feedback: int
    applications: int
    new_patterns: tuple[str, ...]  # stumble topics that became a pattern this week
    again: tuple[str, ...]  # patterns that came up again this week
    eased: tuple[str, ...]  # patterns now "less lately" that were not before
    focus: FocusProgress | None
    funnel: Funnel  # its counts and note (all the message shows); no processes

    @property
    def is_empty(self) -> bool:
        """Nothing happened in the window: no summary is sent."""
        return not (self.interviews or self.debriefs or self.outcomes or self.feedback or self.applications)


#: One interview as the weekly sweep reads it: (id, company, stage, starts at in epoch seconds, outcome,
#: previous interview id).
InterviewRow = tuple[int, str, str, int, str | None, int | None]


@dataclass(frozen=True, slots=True)
class WeekReading:
    """One user's records as of the end of a week, as the weekly sweep reads them: times as epoch seconds,
    the year's debriefs only as (finished at, the topics and question types it notes a stumble on), the
    applications only as totals, the feedback only as the window's count."""

    interviews: Sequence[InterviewRow]  # held before the end, by start then id
    outcomes_at: dict[int, int]  # interview id -> when its outcome was recorded
    debriefs: Sequence[tuple[int, frozenset[str]]]  # finished before the end
    feedback: int  # added in the window
    applied: int  # applications logged before the end
    applied_recent: int  # of those, logged after end - VOLUME_WINDOW
    applied_week: int  # of those, logged in the window
    batches: int  # batches of applications logged before the end


_RECENT_SECONDS = RECENT_WINDOW.total_seconds()


def _keys(seen: Sequence[tuple[float, frozenset[str]]]) -> Counter[str]:
    """How many of these debriefs note a stumble on each key (``Counter`` counts in C)."""
    return Counter(chain.from_iterable(keys for _at, keys in seen))


def _pattern_changes(
    seen: Sequence[tuple[float, frozenset[str]]], s: float, e: float
) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], int]:
    """From (debrief time, its stumble topics) up to the end: the patterns new this week, those that came
    up again, those that eased, as labels; and how many debriefs the week [s, e) had (epoch seconds).

    The engine's states of a topic (sightings, recent ones, latest, trend) as of both ends of the week are
    counts over slices of the debriefs in time order: as of ``s`` the debriefs before ``s``, recent from
    ``s - RECENT_WINDOW``; as of ``e`` all of them, recent from ``e - RECENT_WINDOW``."""
    seen = sorted(seen, key=_at)  # the store hands them over nearly in order already
    times = [at for at, _keys in seen]
    n = len(seen)
    cut_s, start = bisect_left(times, s - _RECENT_SECONDS), bisect_left(times, s)
    cut_e, stop = bisect_left(times, e - _RECENT_SECONDS), bisect_left(times, e)
    in_week = stop - start
    now = _keys(seen)
    patterns = sorted(k for k, count in now.items() if count >= PATTERN_MIN_REPEATS)  # equal weights by key
    if not patterns:
        return (), (), (), in_week
    now_recent, was, was_recent = _keys(seen[cut_e:]), _keys(seen[:start]), _keys(seen[cut_s:start])
    latest = {k: at for at, keys in seen for k in keys}  # in time order, so the last one written is the latest
    # The engine's order: repeats, recent repeats, lately (stable: equal weights stay in key order).
    patterns.sort(key=lambda k: (now[k], now_recent[k], latest[k]), reverse=True)
    touched = set().union(*(keys for _at, keys in seen[start:stop]))
    n_recent, n_was_recent = n - cut_e, start - cut_s
    new = tuple(label_of(k) for k in patterns if was[k] < PATTERN_MIN_REPEATS)
    again = tuple(label_of(k) for k in patterns if k in touched and label_of(k) not in new)
    eased = tuple(
        label_of(k)
        for k in patterns
        if _trend(now_recent[k], now[k] - now_recent[k], n_recent, n - n_recent) == "less_lately"
        and (
            not was[k]
            or _trend(was_recent[k], was[k] - was_recent[k], n_was_recent, start - n_was_recent) != "less_lately"
        )
    )
    return new, again, eased, in_week


_at = itemgetter(0)


def private_summary(
    facts: WeekFacts, start: datetime, end: datetime, focus: FocusProgress | None = None
) -> PrivateSummary:
    """The week [start, end) of one user. Patterns are compared as of ``start`` and as of ``end``.

    Each debrief's stumble topics are read once and counted per topic (what the week's message shows
    of the patterns), rather than running the whole pattern engine as of both ends of the week; the
    funnel is computed once, as of ``end``. ``tests/coach/test_summaries.py`` checks this against the
    engine on generated seasons."""
    inside = lambda at: start <= at < end  # noqa: E731
    seen = [(d.at.timestamp(), frozenset(stumble_topics(d))) for d in facts.debriefs if d.at <= end]
    new, again, eased, debriefs = _pattern_changes(seen, start.timestamp(), end.timestamp())
    return PrivateSummary(
        start=start,
        end=end,
        interviews=tuple(sorted((i for i in facts.interviews if inside(i.starts_at)), key=lambda i: i.starts_at)),
        debriefs=debriefs,
        outcomes=tuple(
            i for i in facts.interviews if i.outcome and i.id in facts.outcomes_at and inside(facts.outcomes_at[i.id])
        ),
        feedback=sum(1 for f in facts.feedback if inside(f.at)),
        applications=sum(a.count for a in facts.applications if inside(a.at)),
        new_patterns=new,
        again=again,
        eased=eased,
        focus=focus,
        # The week's message shows the funnel's counts and note, never its processes: none are kept.
        funnel=replace(funnel(facts.interviews, [a for a in facts.applications if a.at <= end], end), processes=()),
    )


def private_summary_of(
    week: WeekReading, start: datetime, end: datetime, focus: FocusProgress | None = None
) -> PrivateSummary:
    """:func:`private_summary` from the sweep's reading of the week (each debrief's stumble topics as
    stored, the applications as totals, times as epoch seconds): the same summary without a year of
    answers to read, and with an interview's record built only for the week's own
    (``tests/test_summaries_service.py`` checks the two against each other on a store)."""
    s, e = start.timestamp(), end.timestamp()
    new, again, eased, debriefs = _pattern_changes(week.debriefs, s, e)  # type: ignore[arg-type]
    outcomes_at = week.outcomes_at
    fact = lambda r: InterviewFact(r[0], r[1], r[2], datetime.fromtimestamp(r[3], UTC), r[4], r[5])  # noqa: E731
    return PrivateSummary(
        start=start,
        end=end,
        interviews=tuple(fact(r) for r in week.interviews if s <= r[3] < e),
        debriefs=debriefs,
        outcomes=tuple(fact(r) for r in week.interviews if r[4] and r[0] in outcomes_at and s <= outcomes_at[r[0]] < e),
        feedback=week.feedback,
        applications=week.applied_week,
        new_patterns=new,
        again=again,
        eased=eased,
        focus=focus,
        funnel=funnel_of_counts(
            funnel_counts_of_rows(week.interviews),
            week.applied,
            week.applied_recent,
            week.batches > 0,
        ),
    )


# -- the cohort summary ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MemberWeek:
    """What one opted-in member did in the window, as sets: one member counts once per category."""

    interviews: int = 0
    debriefs: int = 0
    stages: frozenset[str] = frozenset()
    stumbles: frozenset[str] = frozenset()  # topic keys
    critiques: frozenset[str] = frozenset()  # feedback topic names

    @property
    def active(self) -> bool:
        return bool(self.interviews or self.debriefs or self.stumbles or self.critiques)


@dataclass(frozen=True, slots=True)
class Category:
    key: str
    band: str  # "3+", "5+", ...


@dataclass(frozen=True, slots=True)
class CohortSummary:
    members: str | None  # band of members active this week; None when under the threshold
    interviewing: str | None  # band of members who logged an interview
    debriefing: str | None  # band of members who finished a debrief
    stages: tuple[Category, ...]
    stumbles: tuple[Category, ...]
    critiques: tuple[Category, ...]
    other_stumbles: str | None
    other_critiques: str | None

    @property
    def is_empty(self) -> bool:
        return self.members is None


def effective_min_group(configured: int) -> int:
    return max(MIN_GROUP_FLOOR, int(configured))


def band(n: int, min_group: int) -> str | None:
    """A member count as the band at or under it ("3+", "5+", "10+", "20+", ...); None under ``min_group``."""
    if n < min_group:
        return None
    floor = min_group
    for step in (5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000):
        if n >= step >= floor:
            floor = step
    return f"{floor}+"


def _categories(counts: Counter[str], min_group: int, top: int | None) -> tuple[Category, ...]:
    """Categories at least ``min_group`` members share, the most shared first (then by key)."""
    shown = sorted((-n, k) for k, n in counts.items() if n >= min_group)
    if top is not None:
        shown = shown[:top]
    return tuple(Category(k, band(-n, min_group) or "") for n, k in shown)


def cohort_summary(members: Iterable[MemberWeek], min_group: int) -> CohortSummary:
    """The aggregate view of a cohort's week. No member is named; small groups never show."""
    min_group = effective_min_group(min_group)
    active = interviewing = debriefing = 0
    stages: Counter[str] = Counter()
    stumbles: Counter[str] = Counter()
    critiques: Counter[str] = Counter()
    rest_s: list[frozenset[str]] = []
    rest_c: list[frozenset[str]] = []
    for m in members:
        if not m.active:
            continue
        active += 1
        interviewing += m.interviews > 0
        debriefing += m.debriefs > 0
        stages.update(m.stages)
        stumbles.update(m.stumbles)
        critiques.update(m.critiques)
        rest_s.append(m.stumbles)
        rest_c.append(m.critiques)
    if active < min_group:
        return CohortSummary(None, None, None, (), (), (), None, None)
    stage_cats = _categories(stages, min_group, None)
    stumble_cats = _categories(stumbles, min_group, COHORT_TOP)
    critique_cats = _categories(critiques, min_group, COHORT_TOP)
    shown_s = {c.key for c in stumble_cats}
    shown_c = {c.key for c in critique_cats}
    # "Other": members with at least one topic that is not shown; a band only, and only at the threshold.
    other_s = band(sum(1 for s in rest_s if s - shown_s), min_group)
    other_c = band(sum(1 for c in rest_c if c - shown_c), min_group)
    return CohortSummary(
        members=band(active, min_group),
        interviewing=band(interviewing, min_group),
        debriefing=band(debriefing, min_group),
        stages=stage_cats,
        stumbles=stumble_cats,
        critiques=critique_cats,
        other_stumbles=other_s,
        other_critiques=other_c,
    )
