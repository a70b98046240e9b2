"""The pattern engine: what a user's debriefs, outcomes and feedback say across a whole search.

Pure and synchronous, standard library only. A service builds the input records
(:mod:`bot.coach.patterns.facts`) from the store and renders the result; this package only counts,
compares and picks, and writes at most a short coaching sentence. It holds back on little data: one
mention is one data point, a repeat is a pattern; no leak is named from fewer than five outcomes, and
no rate is compared from fewer than twenty applications.

Modules:

- ``facts``     -- inputs, thresholds, and reading topics out of free text.
- ``recurring`` -- stumbles, strengths, critiques, confidence, unchecked answers, company views.
- ``funnel``    -- applications -> first interviews -> later rounds -> offers, and the leak.
- ``focus``     -- focus suggestions, focus progress, notes before the next interview.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.coach.patterns.facts import (
    ApplicationFact,
    DebriefFact,
    FeedbackFact,
    InterviewFact,
    QuestionFact,
)
from bot.coach.patterns.focus import (
    FocusProgress,
    Suggestion,
    UpcomingNote,
    focus_progress,
    focus_topic,
    notes_for_upcoming,
    suggestions,
)
from bot.coach.patterns.funnel import Funnel, funnel
from bot.coach.patterns.recurring import (
    CompanyViews,
    Confidence,
    Critiques,
    Recurring,
    Unchecked,
    company_reminder,
    company_views,
    confidence_over_time,
    recurring_critiques,
    recurring_strengths,
    recurring_stumbles,
    unchecked_answers,
)

__all__ = [
    "ApplicationFact",
    "DebriefFact",
    "FeedbackFact",
    "FocusProgress",
    "InterviewFact",
    "Patterns",
    "QuestionFact",
    "Suggestion",
    "UpcomingNote",
    "company_reminder",
    "find_patterns",
    "focus_progress",
    "focus_topic",
    "notes_for_upcoming",
]


@dataclass(frozen=True, slots=True)
class Patterns:
    """Everything the engine found for one person."""

    interviews: int
    debriefs: int
    stumbles: tuple[Recurring, ...]  # strongest first; ``is_pattern`` tells a pattern from a data point
    strengths: tuple[Recurring, ...]
    critiques: Critiques
    funnel: Funnel
    confidence: Confidence
    unchecked: tuple[Unchecked, ...]
    company_views: CompanyViews
    suggestions: tuple[Suggestion, ...]

    @property
    def stumble_patterns(self) -> tuple[Recurring, ...]:
        return tuple(r for r in self.stumbles if r.is_pattern)

    @property
    def strength_patterns(self) -> tuple[Recurring, ...]:
        return tuple(r for r in self.strengths if r.is_pattern)


def find_patterns(
    interviews: Sequence[InterviewFact],
    debriefs: Sequence[DebriefFact],
    feedback: Sequence[FeedbackFact],
    applications: Sequence[ApplicationFact],
    now: datetime,
) -> Patterns:
    """All patterns for one person as of ``now`` (aware). Reads nothing, writes nothing."""
    if now.tzinfo is None:
        raise ValueError("find_patterns needs an aware 'now'")
    by_id = {i.id: i for i in interviews}
    done = [d for d in debriefs if d.at <= now]
    stumbles = recurring_stumbles(done, by_id, now)
    critiques = recurring_critiques([f for f in feedback if f.at <= now], by_id)
    unchecked = unchecked_answers(done, by_id)
    return Patterns(
        interviews=len(interviews),
        debriefs=len(done),
        stumbles=stumbles,
        strengths=recurring_strengths(done, by_id, now),
        critiques=critiques,
        funnel=funnel(interviews, [a for a in applications if a.at <= now], now),
        confidence=confidence_over_time(done, now),
        unchecked=unchecked,
        company_views=company_views(done, by_id),
        suggestions=suggestions(stumbles, critiques, len(unchecked)),
    )
