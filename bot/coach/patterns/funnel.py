"""The funnel: applications -> first interviews -> later rounds -> offers, and where it leaks.

Interviews are grouped into processes (one company, one application): rounds linked by
``previous_id``, or rounds at the same company close together while the earlier one was still open.
No leak is named from fewer than MIN_OUTCOMES_FOR_DIAGNOSIS outcomes, and no rate that involves
applications is compared from fewer than MIN_APPLICATIONS_FOR_COMPARISON applications; the result
says how many more would be enough and how many are still waiting.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.coach.patterns.facts import (
    FEW_APPLICATIONS,
    LOW_FIRST_ROUND_PASS,
    LOW_INTERVIEW_RATE,
    MIN_APPLICATIONS_FOR_COMPARISON,
    MIN_OUTCOMES_FOR_DIAGNOSIS,
    OUTCOME_RESULTS,
    PROCESS_GAP,
    VOLUME_WINDOW,
    ApplicationFact,
    InterviewFact,
)
from bot.coach.voice import plural

LEAK_NOTES: dict[str, str] = {
    "first_round": (
        "Interviews are coming in but few get past the first round, so the leak is in the interview itself. "
        "Your debriefs from first rounds are the place to look."
    ),
    "later_rounds": (
        "You reach later rounds but no offer has come yet, so the leak is in the interview itself, in the "
        "later rounds. Your debriefs from those rounds are the place to look."
    ),
    "cv_targeting": (
        "Plenty of applications, few first interviews: the leak is before the interview. Look at your CV, "
        "the roles you aim at and how you present yourself; more interview practice won't fix this stage."
    ),
    "volume": (
        "Few applications went out lately, and this part is a numbers game: a few more each week gives "
        "every other stage more to work with."
    ),
}


@dataclass(frozen=True, slots=True)
class Process:
    """One company's process: its rounds, oldest first, and how it ended (None while open)."""

    company: str
    interview_ids: tuple[int, ...]
    started_at: datetime
    reached_later_round: bool
    result: str | None  # offer | rejected | ghosted | withdrew | None (still open)


@dataclass(frozen=True, slots=True)
class FunnelStage:
    key: str  # applications | first_interviews | later_rounds | offers
    count: int
    conversion: float | None  # from the stage before; None when not comparable


@dataclass(frozen=True, slots=True)
class Funnel:
    stages: tuple[FunnelStage, ...]
    processes: tuple[Process, ...]
    outcomes: int  # offers, rejections and ghostings
    waiting: int  # processes with no outcome yet
    recent_applications: int  # within VOLUME_WINDOW
    outcomes_needed: int  # more outcomes before a diagnosis (0 when enough)
    applications_needed: int  # more applications before rates are compared (0 when enough)
    leaks: tuple[str, ...]  # keys of LEAK_NOTES, the likeliest first; empty without a diagnosis
    note: str

    def count(self, key: str) -> int:
        return next(s.count for s in self.stages if s.key == key)

    @property
    def leak(self) -> str | None:
        return self.leaks[0] if self.leaks else None


def processes_of(interviews: Sequence[InterviewFact]) -> tuple[Process, ...]:
    """Interviews grouped into processes, oldest first."""
    rounds: list[list[InterviewFact]] = []
    by_id: dict[int, int] = {}
    open_at: dict[str, int] = {}  # company (casefold) -> index of its latest process
    for i in sorted(interviews, key=lambda i: (i.starts_at, i.id)):
        name = i.company.casefold().strip()
        index = by_id.get(i.previous_id) if i.previous_id is not None else None
        if index is None and name in open_at:
            last = rounds[open_at[name]][-1]
            if last.outcome in (None, "advanced") and i.starts_at - last.starts_at <= PROCESS_GAP:
                index = open_at[name]
        if index is None:
            rounds.append([i])
            index = len(rounds) - 1
        else:
            rounds[index].append(i)
        by_id[i.id] = index
        open_at[name] = index
    out = []
    for r in rounds:
        results = [i.outcome for i in r if i.outcome]
        if "offer" in results:
            result: str | None = "offer"
        else:
            result = r[-1].outcome if r[-1].outcome not in (None, "advanced") else None
        later = len(r) > 1 or r[0].outcome in ("advanced", "offer")
        out.append(Process(r[0].company, tuple(i.id for i in r), r[0].starts_at, later, result))
    return tuple(out)


_GAP_SECONDS = PROCESS_GAP.total_seconds()


@dataclass(frozen=True, slots=True)
class FunnelCounts:
    """What the funnel counts of its processes, without the processes themselves."""

    first: int  # processes (each began with a first interview)
    later: int  # of those, reached a later round
    offers: int
    outcomes: int  # processes ended by an offer, a rejection or a ghosting
    waiting: int  # processes with no outcome yet

    @classmethod
    def of(cls, processes: Sequence[Process]) -> FunnelCounts:
        return cls(
            len(processes),
            sum(1 for p in processes if p.reached_later_round),
            sum(1 for p in processes if p.result == "offer"),
            sum(1 for p in processes if p.result in OUTCOME_RESULTS),
            sum(1 for p in processes if p.result is None),
        )


def funnel_counts_of_rows(rows: Iterable[Sequence]) -> FunnelCounts:
    """The counts of :func:`processes_of` from rows (id, company, stage, starts at in whole epoch seconds,
    outcome, previous id) **already in order of start, then id**, as the weekly sweep reads a year of them:
    the same grouping, with one small list per process instead of a record per interview, and no dates."""
    # A process as [its latest round's outcome, its latest round's start, rounds, an offer seen, first outcome].
    processes: list[list] = []
    by_id: dict[int, list] = {}
    open_at: dict[str, list] = {}
    for iid, company, _stage, at, outcome, previous in rows:
        name = company.casefold().strip()
        p = by_id.get(previous) if previous is not None else None
        if p is None:
            p = open_at.get(name)
            if p is not None and (p[0] not in _OPEN or at - p[1] > _GAP_SECONDS):
                p = None
        if p is None:
            p = [outcome, at, 1, outcome == "offer", outcome]
            processes.append(p)
        else:
            p[0], p[1] = outcome, at
            p[2] += 1
            if outcome == "offer":
                p[3] = True
        by_id[iid] = p
        open_at[name] = p
    later = offers = outcomes = waiting = 0
    for last, _at, rounds, offer, first in processes:
        later += rounds > 1 or first in _ON
        if offer:
            offers += 1
            outcomes += 1
        elif last in _OPEN:
            waiting += 1
        else:
            outcomes += last in OUTCOME_RESULTS
    return FunnelCounts(len(processes), later, offers, outcomes, waiting)


_OPEN = (None, "advanced")  # a process whose latest round has either is still open
_ON = ("advanced", "offer")  # a first round with either went on to a later round


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 3) if whole else None


def funnel(interviews: Sequence[InterviewFact], applications: Sequence[ApplicationFact], now: datetime) -> Funnel:
    """Per-stage counts and conversion, and a diagnosis of where the search leaks, within the guards."""
    applied = sum(a.count for a in applications)
    recent = sum(a.count for a in applications if a.at > now - VOLUME_WINDOW)
    return funnel_of(processes_of(interviews), applied, recent, bool(applications))


def funnel_of(processes: tuple[Process, ...], applied: int, recent: int, any_logged: bool) -> Funnel:
    """:func:`funnel` from the processes and the applications' totals: all of them, those within
    VOLUME_WINDOW of now, and whether any batch was logged at all (the weekly sweep has the store add
    them up)."""
    return funnel_of_counts(FunnelCounts.of(processes), applied, recent, any_logged, processes)


def funnel_of_counts(
    counts: FunnelCounts, applied: int, recent: int, any_logged: bool, processes: tuple[Process, ...] = ()
) -> Funnel:
    """:func:`funnel_of` from the processes' counts (the weekly summary shows only those: its funnel has no
    ``processes``)."""
    first, later, offers, outcomes, waiting = (
        counts.first,
        counts.later,
        counts.offers,
        counts.outcomes,
        counts.waiting,
    )
    comparable = applied >= MIN_APPLICATIONS_FOR_COMPARISON
    stages = (
        FunnelStage("applications", applied, None),
        FunnelStage("first_interviews", first, _rate(first, applied) if comparable else None),
        FunnelStage("later_rounds", later, _rate(later, first)),
        FunnelStage("offers", offers, _rate(offers, later)),
    )
    outcomes_needed = max(0, MIN_OUTCOMES_FOR_DIAGNOSIS - outcomes)
    applications_needed = max(0, MIN_APPLICATIONS_FOR_COMPARISON - applied)
    leaks: list[str] = []
    if comparable and first / applied < LOW_INTERVIEW_RATE:
        leaks.append("cv_targeting")
    if not outcomes_needed:
        if first and later / first < LOW_FIRST_ROUND_PASS:
            leaks.append("first_round")
        elif offers == 0:
            leaks.append("later_rounds")
        if any_logged and recent < FEW_APPLICATIONS:
            leaks.append("volume")
    note = _note(leaks, outcomes, outcomes_needed, waiting, applications_needed, offers)
    return Funnel(
        stages, processes, outcomes, waiting, recent, outcomes_needed, applications_needed, tuple(leaks), note
    )


def _note(leaks: list[str], outcomes: int, needed: int, waiting: int, apps_needed: int, offers: int) -> str:
    if leaks:
        return LEAK_NOTES[leaks[0]]
    still = f" {plural(waiting, 'process', 'processes')} still waiting for an answer." if waiting else ""
    if needed:
        return (
            f"Too early to say where the search leaks: {plural(outcomes, 'outcome')} so far, and {needed} more "
            f"would make a fair read.{still}"
        )
    more_apps = f" Log {apps_needed} more applications to compare how many turn into interviews." if apps_needed else ""
    got = "offers are coming" if offers else "nothing stands out as the weak stage"
    return f"No stage stands out as leaking: {got}.{more_apps}{still}"
