"""The funnel: applications -> first interviews -> later rounds -> offers, and where it leaks.

Interviews are grouped into processes (one company, one application): rounds linked by
``previous_id``, or rounds at the same company close together while the earlier one was still open.
No leak is named from fewer than MIN_OUTCOMES_FOR_DIAGNOSIS outcomes, and no rate that involves
applications is compared from fewer than MIN_APPLICATIONS_FOR_COMPARISON applications; the result
says how many more would be enough and how many are still waiting.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

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


def processes_of_rows(rows: Sequence[tuple[int, str, int, str | None, int | None]]) -> tuple[Process, ...]:
    """:func:`processes_of` from (id, company, starts at in whole epoch seconds, outcome, previous id) rows,
    as the weekly sweep reads a year of them: the same grouping with no record built per interview and no
    date arithmetic, a date only for each process's start."""
    rounds: list[list[tuple[int, str, int, str | None, int | None]]] = []
    by_id: dict[int, int] = {}
    open_at: dict[str, int] = {}
    for row in sorted(rows, key=_start_then_id):
        iid, company, at, _outcome, previous = row
        name = company.casefold().strip()
        index = by_id.get(previous) if previous is not None else None
        if index is None:
            latest = open_at.get(name)
            if latest is not None:
                last = rounds[latest][-1]
                if last[3] in (None, "advanced") and at - last[2] <= _GAP_SECONDS:
                    index = latest
        if index is None:
            index = len(rounds)
            rounds.append([row])
        else:
            rounds[index].append(row)
        by_id[iid] = index
        open_at[name] = index
    out = []
    for r in rounds:
        first = r[0]
        if len(r) == 1:  # most processes: one round
            outcome = first[3]
            result = outcome if outcome not in (None, "advanced") else None
            out.append(Process(first[1], (first[0],), datetime.fromtimestamp(first[2], UTC), outcome in _ON, result))
            continue
        if any(i[3] == "offer" for i in r):
            result: str | None = "offer"
        else:
            result = r[-1][3] if r[-1][3] not in (None, "advanced") else None
        out.append(Process(first[1], tuple(i[0] for i in r), datetime.fromtimestamp(first[2], UTC), True, result))
    return tuple(out)


_ON = ("advanced", "offer")  # a first round with either went on to a later round


def _start_then_id(row: tuple[int, str, int, str | None, int | None]) -> tuple[int, int]:
    return row[2], row[0]


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
    first = len(processes)
    later = sum(1 for p in processes if p.reached_later_round)
    offers = sum(1 for p in processes if p.result == "offer")
    outcomes = sum(1 for p in processes if p.result in OUTCOME_RESULTS)
    waiting = sum(1 for p in processes if p.result is None)
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
