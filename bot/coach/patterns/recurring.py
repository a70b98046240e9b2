"""What keeps coming back across debriefs and feedback: stumbles, strengths, critiques, confidence.

A debrief counts once per topic, however many times its notes mention it: one debrief is one data
point, and a topic in two or more debriefs is a pattern. Feedback that names a reason outside the
candidate's control (fit, a filled role, budget, level, timing, headcount) is kept apart and never
offered as something to fix.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from statistics import fmean

from bot.coach.feedback import content_words, feedback_topics, is_outside_control
from bot.coach.patterns.facts import (
    CONFIDENCE_SHIFT,
    CRITIQUE_MIN_REPEATS,
    MIN_CONFIDENCE_POINTS,
    PATTERN_MIN_REPEATS,
    RECENT_WINDOW,
    TOPIC_KEYS,
    TREND_RATIO,
    DebriefFact,
    FeedbackFact,
    InterviewFact,
    clauses_of,
    keys_in,
    label_of,
    snippet,
)


@dataclass(frozen=True, slots=True)
class Sighting:
    """One debrief in which a topic came up as a stumble (or a strength)."""

    interview_id: int
    company: str
    stage: str
    at: datetime
    words: str | None  # the user's own clause, when one names the topic


@dataclass(frozen=True, slots=True)
class Recurring:
    """A topic or question type seen across debriefs; ``is_pattern`` once it repeats."""

    key: str
    label: str
    kind: str  # "topic" | "question_type"
    sightings: tuple[Sighting, ...]  # newest first
    recent: int
    earlier: int
    trend: str  # "new" | "more_lately" | "less_lately" | "steady"

    @property
    def count(self) -> int:
        return len(self.sightings)

    @property
    def is_pattern(self) -> bool:
        return self.count >= PATTERN_MIN_REPEATS

    @property
    def weight(self) -> tuple[int, int, datetime]:
        """How strong a pattern is: repeats, then recent repeats, then how lately."""
        return self.count, self.recent, self.sightings[0].at


def _stumble_clauses(d: DebriefFact) -> tuple[list[tuple[str, set[str]]], set[str]]:
    """One debrief's stumbles: (clauses with their keys, keys without words of the user's own)."""
    found = clauses_of(d.stumbles) + clauses_of(d.prep_gaps)
    found += [(q.question, keys) for q in d.questions if q.check_later and (keys := keys_in(q.question))]
    return found, ({"questions_for_them"} if d.showed_interest == "no" else set())


#: The version of how a debrief is read (:func:`stumble_topics`, the topics it covered). Readings are
#: stored beside each debrief (migration 0011); bump this with any change to the reading (its clauses,
#: tags, topic keys), and the pass at start reads every stored debrief again.
READING_VERSION = 1


def stumble_topics(d: DebriefFact) -> set[str]:
    """Every topic and question type this debrief notes a stumble on."""
    found, extra = _stumble_clauses(d)
    return extra.union(*(keys for _clause, keys in found))


def _gather(
    debriefs: Sequence[DebriefFact],
    interviews: Mapping[int, InterviewFact],
    now: datetime,
    read: Callable[[DebriefFact], tuple[list[tuple[str, set[str]]], set[str]]],
) -> tuple[Recurring, ...]:
    seen: dict[str, list[Sighting]] = {}
    for d in debriefs:
        found, extra = read(d)
        interview = interviews.get(d.interview_id)
        company = interview.company if interview else ""
        stage = interview.stage if interview else "other"
        for key in extra.union(*(keys for _clause, keys in found)):
            seen.setdefault(key, []).append(Sighting(d.interview_id, company, stage, d.at, snippet(found, key)))
    cut = now - RECENT_WINDOW
    n_recent = sum(1 for d in debriefs if d.at >= cut)
    out = []
    for key, sightings in seen.items():
        sightings.sort(key=lambda s: s.at, reverse=True)
        recent = sum(1 for s in sightings if s.at >= cut)
        earlier = len(sightings) - recent
        kind = "topic" if key in TOPIC_KEYS else "question_type"
        trend = _trend(recent, earlier, n_recent, len(debriefs) - n_recent)
        out.append(Recurring(key, label_of(key), kind, tuple(sightings), recent, earlier, trend))
    # Equal weights in the order of their keys: a set's order of strings changes from one process to the next.
    out.sort(key=lambda r: r.key)
    out.sort(key=lambda r: r.weight, reverse=True)
    return tuple(out)


def _trend(recent: int, earlier: int, n_recent: int, n_earlier: int) -> str:
    """Compare how often per debrief, recent against earlier (so more interviews alone is not 'more')."""
    if earlier == 0:
        return "new"
    if n_recent == 0:
        return "less_lately"
    rate_recent, rate_earlier = recent / n_recent, earlier / n_earlier
    if rate_recent >= rate_earlier * TREND_RATIO:
        return "more_lately"
    if rate_recent <= rate_earlier / TREND_RATIO:
        return "less_lately"
    return "steady"


def recurring_stumbles(
    debriefs: Sequence[DebriefFact], interviews: Mapping[int, InterviewFact], now: datetime
) -> tuple[Recurring, ...]:
    """Topics and question types the user stumbled on, strongest first (patterns before data points)."""
    return _gather(debriefs, interviews, now, _stumble_clauses)


def recurring_strengths(
    debriefs: Sequence[DebriefFact], interviews: Mapping[int, InterviewFact], now: datetime
) -> tuple[Recurring, ...]:
    """Topics the user named as strong, strongest first."""
    return _gather(debriefs, interviews, now, lambda d: (clauses_of(d.strong), set()))


# -- critiques -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Critique:
    """Alike feedback from one or more interviews; a pattern to fix once it repeats across interviews."""

    topics: tuple[str, ...]
    feedback_ids: tuple[int, ...]
    companies: tuple[str, ...]
    interviews: int

    @property
    def is_pattern(self) -> bool:
        return self.interviews >= CRITIQUE_MIN_REPEATS


@dataclass(frozen=True, slots=True)
class Critiques:
    """Feedback sorted into what can be worked on and what was outside the candidate's control."""

    to_work_on: tuple[Critique, ...]  # strongest first
    outside_control: tuple[int, ...]  # feedback ids: never a pattern to fix
    outside_companies: tuple[str, ...]


def _is_outside(f: FeedbackFact) -> bool:
    if f.control == "within_control":
        return False
    return f.control == "outside_control" or is_outside_control(f.text)


def recurring_critiques(feedback: Sequence[FeedbackFact], interviews: Mapping[int, InterviewFact]) -> Critiques:
    """Group alike feedback (the rule of :func:`bot.coach.feedback.similarity`: a shared topic or three
    shared content words), counting distinct interviews, since a second note on one interview is not a
    second opinion. The user's own control mark wins over the wording."""
    outside: list[FeedbackFact] = []
    groups: list[list[tuple[FeedbackFact, set[str], set[str]]]] = []  # members with (topics, words)
    for f in sorted(feedback, key=lambda f: f.at):
        if _is_outside(f):
            outside.append(f)
            continue
        topics, words = feedback_topics(f.text), content_words(f.text)
        for members in groups:
            if any(topics & t or len(words & w) >= 3 for _m, t, w in members):
                members.append((f, topics, words))
                break
        else:
            groups.append([(f, topics, words)])

    def company(f: FeedbackFact) -> str:
        i = interviews.get(f.interview_id)
        return i.company if i else ""

    out = [
        Critique(
            tuple(sorted(set().union(*(t for _m, t, _w in members)))),
            tuple(m.id for m, _t, _w in members),
            tuple(sorted({company(m) for m, _t, _w in members})),
            len({m.interview_id for m, _t, _w in members}),
        )
        for members in groups
    ]
    out.sort(key=lambda c: (c.interviews, len(c.feedback_ids)), reverse=True)
    return Critiques(tuple(out), tuple(f.id for f in outside), tuple(sorted({company(f) for f in outside})))


# -- confidence, unchecked answers, what the user made of the companies ----------------------------


@dataclass(frozen=True, slots=True)
class Confidence:
    """Confidence readings (1-5) over time and, once there are enough, which way they move."""

    points: tuple[tuple[datetime, int], ...]  # oldest first
    earlier_mean: float | None
    recent_mean: float | None
    trend: str  # "too_early" | "rising" | "falling" | "steady"
    needed: int  # more readings before a trend can be named (0 when enough)


def confidence_over_time(debriefs: Iterable[DebriefFact], now: datetime) -> Confidence:
    """Recent readings (inside RECENT_WINDOW) against earlier ones; each side needs MIN_CONFIDENCE_POINTS.

    With every reading on one side, the newer half is compared with the older half instead."""
    points = tuple(sorted((d.at, d.confidence) for d in debriefs if d.confidence is not None))
    cut = now - RECENT_WINDOW
    earlier = [c for at, c in points if at < cut]
    recent = [c for at, c in points if at >= cut]
    if not earlier or not recent:
        half = len(points) // 2
        earlier, recent = [c for _, c in points[:half]], [c for _, c in points[half:]]
    needed = max(0, MIN_CONFIDENCE_POINTS - len(earlier)) + max(0, MIN_CONFIDENCE_POINTS - len(recent))
    if len(points) < 2 * MIN_CONFIDENCE_POINTS:
        needed = max(needed, 2 * MIN_CONFIDENCE_POINTS - len(points))
    if needed:
        return Confidence(points, None, None, "too_early", needed)
    e, r = fmean(earlier), fmean(recent)
    trend = "rising" if r - e >= CONFIDENCE_SHIFT else "falling" if e - r >= CONFIDENCE_SHIFT else "steady"
    return Confidence(points, round(e, 2), round(r, 2), trend, 0)


@dataclass(frozen=True, slots=True)
class Unchecked:
    """A question the user flagged to double-check and hasn't checked yet."""

    interview_id: int
    company: str
    question: str
    at: datetime


def unchecked_answers(
    debriefs: Iterable[DebriefFact], interviews: Mapping[int, InterviewFact]
) -> tuple[Unchecked, ...]:
    """Flagged answers never checked, newest first."""
    out = [
        Unchecked(
            d.interview_id, interviews[d.interview_id].company if d.interview_id in interviews else "", q.question, d.at
        )
        for d in debriefs
        for q in d.questions
        if q.check_later and not q.checked
    ]
    out.sort(key=lambda u: u.at, reverse=True)
    return tuple(out)


@dataclass(frozen=True, slots=True)
class CompanyViews:
    """What the user made of the companies: the interview is a two-way fit, and "not for me" is an answer."""

    keen: tuple[str, ...]
    unsure: tuple[str, ...]
    not_for_me: tuple[str, ...]

    @property
    def count(self) -> int:
        return len(self.keen) + len(self.unsure) + len(self.not_for_me)


def company_views(debriefs: Iterable[DebriefFact], interviews: Mapping[int, InterviewFact]) -> CompanyViews:
    """The latest view per company (debriefs without a view are left out)."""
    latest: dict[str, tuple[datetime, str]] = {}
    for d in debriefs:
        interview = interviews.get(d.interview_id)
        if d.company_view is None or interview is None:
            continue
        if interview.company not in latest or latest[interview.company][0] <= d.at:
            latest[interview.company] = (d.at, d.company_view)
    by_view: dict[str, list[str]] = {"keen": [], "unsure": [], "not_for_me": []}
    for name, (_at, view) in latest.items():
        by_view.setdefault(view, []).append(name)
    return CompanyViews(*(tuple(sorted(by_view[v])) for v in ("keen", "unsure", "not_for_me")))


_COMPANY_REMINDERS = {
    "keen": "After your last round with {company} you came away keen{said}.",
    "unsure": "After your last round with {company} you weren't sure about them{said}. Tomorrow is a chance to "
    "ask what would settle it.",
    "not_for_me": "After your last round with {company} you felt they weren't for you{said}. Going on is your "
    "call; tomorrow can check that view, and withdrawing is a fair answer too.",
}


def company_reminder(
    company: str, debriefs: Iterable[DebriefFact], interviews: Mapping[int, InterviewFact], before: datetime
) -> str | None:
    """What the user made of ``company`` in their latest debrief of an interview with it before ``before``,
    as a line for the note before the next round; None when they never said."""
    wanted = company.casefold().strip()
    latest: DebriefFact | None = None
    for d in debriefs:
        interview = interviews.get(d.interview_id)
        if d.company_view not in _COMPANY_REMINDERS or interview is None or interview.starts_at >= before:
            continue
        if interview.company.casefold().strip() == wanted and (latest is None or latest.at <= d.at):
            latest = d
    if latest is None:
        return None
    said = f": \u201c{latest.company_note}\u201d" if latest.company_note else ""
    return _COMPANY_REMINDERS[latest.company_view or ""].format(company=company, said=said)
