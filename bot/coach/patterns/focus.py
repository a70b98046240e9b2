"""From patterns to practice: focus suggestions, focus progress, and notes before the next interview.

Suggestions follow the strongest pattern and are concrete practice, one or two at a time, never ten.
Progress compares how often the focus topic was a stumble before and after the focus began, and says
"too early to tell" until there are enough debriefs on both sides.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from datetime import datetime

from bot.coach.patterns.facts import (
    FOCUS_CHANGE,
    MAX_SUGGESTIONS,
    MAX_UPCOMING_NOTES,
    MIN_DEBRIEFS_AFTER_FOCUS,
    MIN_DEBRIEFS_BEFORE_FOCUS,
    DebriefFact,
    label_of,
    question_types_in,
    topics_in,
)
from bot.coach.patterns.recurring import Critiques, Recurring, stumble_topics
from bot.coach.voice import plural


@dataclass(frozen=True, slots=True)
class Practice:
    key: str
    text: str


PRACTICES: dict[str, Practice] = {
    "star": Practice(
        "star",
        "Write one story for the question that caught you out, in four parts: the situation, your task, "
        "what you did, and how it turned out. Say it out loud until it fits in two minutes.",
    ),
    "mock": Practice(
        "mock",
        "Book an hour of mock interview with a peer in this format and ask for written notes, as a real "
        "interviewer would write them. Then swap chairs: being the interviewer shows what they listen for.",
    ),
    "questions_kit": Practice(
        "questions_kit",
        "Build a small kit of five questions for them (the team, the work, how success is measured) and "
        "reuse it, so the end of an interview is never improvised.",
    ),
    "pressure": Practice(
        "pressure",
        "Practise under conditions close to the real thing: a timer, someone watching, camera on. Pressure "
        "you have rehearsed is smaller on the day.",
    ),
    "recheck": Practice(
        "recheck",
        "Take the shaky answer and check it this week, on your own and then with a friend or a developer "
        "community, so the next time it comes up you know it.",
    ),
}

#: Topic or question type -> the practices that fit it, best first.
PRACTICE_FOR: dict[str, tuple[str, ...]] = {
    "behavioural": ("star", "mock"),
    "tell_me_about_a_time": ("star", "mock"),
    "about_you": ("star", "mock"),
    "why_us": ("questions_kit", "star"),
    "questions_for_them": ("questions_kit",),
    "nerves": ("pressure", "mock"),
    "communication": ("mock", "pressure"),
    "system_design": ("mock", "pressure"),
    "estimation": ("mock", "pressure"),
    "coding": ("mock", "pressure"),
    "algorithms": ("mock", "recheck"),
    "take_home": ("mock", "recheck"),
    "domain": ("recheck", "mock"),
    "salary": ("questions_kit",),
}


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A focus tied to a pattern: what it is about, why, and the practice."""

    topic: str
    label: str
    why: str
    practice: Practice


def suggestions(
    stumbles: Sequence[Recurring], critiques: Critiques, unchecked_count: int = 0
) -> tuple[Suggestion, ...]:
    """One or two focus suggestions from the strongest patterns (repeats only, never a single data point)."""
    candidates: list[tuple[tuple[int, int], str, str]] = []
    for r in stumbles:
        if r.is_pattern and r.key in PRACTICE_FOR:
            lately = f", {r.recent} of them in the last four weeks" if r.recent else ""
            why = f"{r.label} came up as a stumble in {plural(r.count, 'debrief')}{lately}."
            candidates.append(((r.count, r.recent), r.key, why))
    for c in critiques.to_work_on:
        for topic in c.topics:
            key = _FEEDBACK_TOPIC_KEYS.get(topic)
            if c.is_pattern and key in PRACTICE_FOR:
                why = f"Feedback from {plural(c.interviews, 'interview')} said something alike about {topic}."
                candidates.append(((c.interviews + 1, c.interviews), key, why))  # a company's word weighs a bit more
    candidates.sort(key=lambda c: c[0], reverse=True)
    out: list[Suggestion] = []
    used: set[str] = set()
    for _weight, key, why in candidates:
        if len(out) == MAX_SUGGESTIONS or key in {s.topic for s in out}:
            continue
        practice = next((p for p in PRACTICE_FOR[key] if p not in used), None)
        if practice is None:
            continue
        used.add(practice)
        out.append(Suggestion(key, label_of(key), why, PRACTICES[practice]))
    if len(out) < MAX_SUGGESTIONS and unchecked_count >= 2 and "recheck" not in used:
        why = f"{unchecked_count} answers you flagged to double-check are still open."
        out.append(Suggestion("unchecked", "Answers to check", why, PRACTICES["recheck"]))
    return tuple(out)


#: bot.coach.feedback topic labels -> debrief topic keys.
_FEEDBACK_TOPIC_KEYS: dict[str, str] = {
    "system design": "system_design",
    "coding": "coding",
    "algorithms": "algorithms",
    "communication": "communication",
    "behavioural stories": "behavioural",
    "domain knowledge": "domain",
    "questions for them": "questions_for_them",
    "confidence": "nerves",
}


# -- focus progress --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FocusProgress:
    topic: str | None  # None when the focus text names no topic we can track
    before: tuple[int, int]  # (debriefs with a stumble on the topic, debriefs touching the topic)
    after: tuple[int, int]
    verdict: str  # "unknown_topic" | "too_early" | "fewer" | "same" | "more"
    needed: int  # more debriefs on the topic before a verdict (0 when enough)
    note: str


def focus_topic(text: str) -> str | None:
    """The topic a focus is about ("Write a STAR story about conflict" -> "behavioural"); None if unclear."""
    topics = topics_in(text)
    if not topics:
        types = question_types_in(text)
        topics = {_TYPE_TOPIC[t] for t in types if t in _TYPE_TOPIC}
    return min(topics) if len(topics) == 1 else _pick(topics)


_TYPE_TOPIC = {
    "tell_me_about_a_time": "behavioural",
    "about_you": "behavioural",
    "estimation": "system_design",
    "why_us": "questions_for_them",
}


def _pick(topics: set[str]) -> str | None:
    for preferred in ("behavioural", "system_design", "coding", "algorithms", "questions_for_them", "nerves"):
        if preferred in topics:
            return preferred
    return min(topics) if topics else None


def focus_progress(topic: str | None, started_at: datetime, debriefs: Sequence[DebriefFact]) -> FocusProgress:
    """Did stumbles on ``topic`` become rarer after ``started_at``? Honest about small samples."""
    return focus_progress_of(topic, started_at, ((d.at, stumble_topics(d), d.topics) for d in debriefs))


def focus_progress_of(
    topic: str | None, started_at: datetime, readings: Iterable[tuple[datetime, AbstractSet[str], Collection[str]]]
) -> FocusProgress:
    """:func:`focus_progress` from each debrief's reading: (when, its stumble topics, the topics it covered)."""
    if topic is None:
        note = "This focus doesn't name a topic I can track across debriefs, so progress is yours to judge."
        return FocusProgress(None, (0, 0), (0, 0), "unknown_topic", 0, note)
    before, after = [0, 0], [0, 0]
    for at, stumbles, topics in readings:
        stumbled = topic in stumbles
        touched = stumbled or topic in topics
        if not touched:
            continue
        side = after if at >= started_at else before
        side[0] += stumbled
        side[1] += 1
    needed = max(0, MIN_DEBRIEFS_AFTER_FOCUS - after[1]) + max(0, MIN_DEBRIEFS_BEFORE_FOCUS - before[1])
    label = label_of(topic).lower()
    if needed:
        note = (
            f"Too early to tell: {plural(after[1], 'debrief')} on {label} since this focus began. "
            f"{needed} more would give a fair read."
        )
        return FocusProgress(topic, (before[0], before[1]), (after[0], after[1]), "too_early", needed, note)
    rate_before, rate_after = before[0] / before[1], after[0] / after[1]
    if rate_after <= rate_before - FOCUS_CHANGE:
        verdict, how = "fewer", "less often"
    elif rate_after >= rate_before + FOCUS_CHANGE:
        verdict, how = "more", "more often"
    else:
        verdict, how = "same", "about as often"
    note = (
        f"Since this focus began, {label} was a stumble in {after[0]} of {after[1]} debriefs that touched it, "
        f"against {before[0]} of {before[1]} before: {how}."
    )
    return FocusProgress(topic, (before[0], before[1]), (after[0], after[1]), verdict, 0, note)


# -- before the next interview ---------------------------------------------------------------------

#: Upcoming stage -> topics most worth a reminder, most relevant first.
STAGE_TOPICS: dict[str, tuple[str, ...]] = {
    "recruiter_screen": ("about_you", "why_us", "salary", "questions_for_them", "communication"),
    "technical": ("coding", "algorithms", "communication", "nerves"),
    "take_home_review": ("take_home", "coding", "communication"),
    "system_design": ("system_design", "estimation", "communication"),
    "behavioural": ("behavioural", "tell_me_about_a_time", "questions_for_them", "communication"),
    "onsite_final": ("behavioural", "system_design", "coding", "questions_for_them", "nerves"),
    "other": ("questions_for_them", "communication", "nerves"),
}


@dataclass(frozen=True, slots=True)
class UpcomingNote:
    topic: str
    label: str
    count: int  # how many past debriefs noted it
    same_stage: int  # of those, at the same stage as the upcoming interview
    words: str | None  # the user's own words from the latest one
    text: str


def notes_for_upcoming(
    stage: str, stumbles: Sequence[Recurring], limit: int = MAX_UPCOMING_NOTES
) -> tuple[UpcomingNote, ...]:
    """The one or two past notes most relevant to an upcoming interview at ``stage``.

    Rank: topics listed for the stage first, then stumbles from interviews at the same stage, then
    repeats, then recency."""
    relevant = STAGE_TOPICS.get(stage, STAGE_TOPICS["other"])
    ranked = []
    for r in stumbles:
        same = sum(1 for s in r.sightings if s.stage == stage)
        if r.key not in relevant and not same:
            continue
        order = relevant.index(r.key) if r.key in relevant else len(relevant)
        ranked.append(((-order, same, r.count, r.sightings[0].at), r, same))
    ranked.sort(key=lambda x: x[0], reverse=True)
    out = []
    for _rank, r, same in ranked[:limit]:
        words = next((s.words for s in r.sightings if s.words), None)
        times = "once so far" if r.count == 1 else "twice so far" if r.count == 2 else f"{r.count} times so far"
        said = f", most recently: \u201c{words}\u201d" if words else "."
        out.append(UpcomingNote(r.key, r.label, r.count, same, words, f"{r.label}: a stumble {times}{said}"))
    return tuple(out)
