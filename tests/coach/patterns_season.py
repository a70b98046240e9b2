"""A realistic season of a job search, for the pattern engine's tests and benchmark.

Deterministic for a seed. A person applies in weekly batches, gets first interviews from some of
them, goes through a few rounds per process, debriefs most interviews and records feedback from some
companies. Their weak topics show up in their stumble notes more often than others, their
confidence drifts upward over the season, and some feedback is stock "closer fit" wording.
The truth the season was built from is returned beside the facts, so tests compare the engine's
findings with what was planted rather than with hard-coded numbers.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from bot.coach.patterns import ApplicationFact, DebriefFact, FeedbackFact, InterviewFact, QuestionFact

SEASON_END = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)

STUMBLE_LINES: dict[str, tuple[str, ...]] = {
    "system_design": (
        "Ran out of time on capacity estimates",
        "My architecture had no caching story when they pushed on load",
        "Got lost in sharding once they asked about scale",
    ),
    "behavioural": (
        "My conflict story rambled and had no ending",
        "The leadership story had no clear result",
        "Blanked on a story about a teammate I disagreed with",
    ),
    "coding": ("Off-by-one bug in the loop I never caught", "Forgot the syntax for a SQL join"),
    "algorithms": ("Could not give the complexity of my solution", "Recursion on the tree went sideways"),
    "questions_for_them": ("Had nothing to ask at the end", "My questions at the end were thin"),
    "nerves": ("Froze for a minute at the start", "Was tense and rushed the intro"),
    "communication": ("Rambled through the explanation of my project", "My explanation of the design was unclear"),
}
STRONG_LINES: dict[str, tuple[str, ...]] = {
    "coding": ("Clean code and good tests in the live coding", "Debugging was calm and methodical"),
    "domain": ("Knew the industry well and it showed",),
    "communication": ("Explained my capstone clearly, with numbers",),
}
SPECIFIC_FEEDBACK: dict[str, tuple[str, ...]] = {
    "system_design": (
        "The system design round stayed shallow on scaling.",
        "We wanted more depth on architecture and distributed trade-offs.",
    ),
    "behavioural": ("Your behavioural examples lacked structure.", "The leadership stories felt thin."),
}
STOCK_FEEDBACK = (
    "We went with a candidate who was a closer fit for the team.",
    "Another candidate was a better fit at this time.",
    "The role was filled internally.",
    "We lost the headcount for this position.",
)
ROUNDS = ("recruiter_screen", "technical", "system_design", "behavioural", "onsite_final")
COMPANIES = tuple(
    f"{a}{b}"
    for a in ("Acme", "Globex", "Initech", "Umbrella", "Hooli", "Vandelay", "Stark", "Wayne")
    for b in ("", " Labs", " Cloud", " Health", " Pay")
)


@dataclass
class Season:
    interviews: list[InterviewFact] = field(default_factory=list)
    debriefs: list[DebriefFact] = field(default_factory=list)
    feedback: list[FeedbackFact] = field(default_factory=list)
    applications: list[ApplicationFact] = field(default_factory=list)
    weak: tuple[str, ...] = ()
    stumbled: dict[str, list[datetime]] = field(default_factory=dict)  # topic -> debrief times (truth)
    now: datetime = SEASON_END


def season(
    interviews: int = 120,
    *,
    weeks: int = 24,
    weak: tuple[str, ...] = ("system_design", "behavioural"),
    seed: int = 7,
    debrief_share: float = 0.85,
    pass_rate: float = 0.45,
    end: datetime = SEASON_END,
) -> Season:
    """A season with about ``interviews`` interviews over ``weeks`` weeks, ending at ``end``."""
    rng = random.Random(seed)
    out = Season(weak=weak, now=end)
    start = end - timedelta(weeks=weeks)
    for week in range(weeks):
        for _ in range(rng.randint(1, 2)):
            out.applications.append(
                ApplicationFact(rng.randint(3, 9), start + timedelta(weeks=week, days=rng.randint(0, 6)))
            )
    next_id = 1
    while len(out.interviews) < interviews:
        company = f"{rng.choice(COMPANIES)} {next_id}"
        at = start + timedelta(hours=rng.randint(0, weeks * 7 * 24 - 24))
        rounds = rng.randint(2, 5)
        previous = None
        for n, stage in enumerate(ROUNDS[:rounds]):
            if len(out.interviews) >= interviews:
                break
            last = n == rounds - 1
            if at > end - timedelta(days=2):
                outcome = None
            elif rng.random() < pass_rate or (n == 0 and rng.random() < 0.5):
                outcome = "offer" if last else "advanced"
            else:
                outcome = rng.choice(("rejected", "rejected", "rejected", "ghosted"))
            interview = InterviewFact(next_id, company, stage, at, outcome, previous)
            out.interviews.append(interview)
            if at < end and rng.random() < debrief_share:
                out.debriefs.append(_debrief(rng, interview, at, start, end, weak, out))
            if outcome == "rejected" and rng.random() < 0.4:
                text = rng.choice(
                    STOCK_FEEDBACK
                    if rng.random() < 0.5
                    else SPECIFIC_FEEDBACK[rng.choice(weak)]
                    if all(w in SPECIFIC_FEEDBACK for w in weak)
                    else STOCK_FEEDBACK
                )
                out.feedback.append(FeedbackFact(len(out.feedback) + 1, next_id, text, at + timedelta(days=3)))
            previous = next_id
            next_id += 1
            if outcome != "advanced":
                break
            at += timedelta(days=rng.randint(3, 10))
    return out


def _debrief(rng, interview, at, start, end, weak, out) -> DebriefFact:
    when = min(end, at + timedelta(hours=rng.randint(2, 30)))
    progress = (at - start) / (end - start)
    lines, touched = [], {interview.stage} & set(STUMBLE_LINES) | set()
    for topic in STUMBLE_LINES:
        chance = 0.45 if topic in weak else 0.06
        if rng.random() < chance:
            lines.append(rng.choice(STUMBLE_LINES[topic]))
            touched.add(topic)
            out.stumbled.setdefault(topic, []).append(when)
    strong_topic = rng.choice(tuple(STRONG_LINES))
    questions = tuple(
        QuestionFact(q, "roughly", check_later=rng.random() < 0.15, checked=rng.random() < 0.3)
        for q in ("How does a hash map work?", "Tell me about a time you disagreed with a teammate")
    )
    return DebriefFact(
        interview_id=interview.id,
        at=when,
        topics=tuple(sorted(touched | {strong_topic})),
        stumbles=". ".join(lines) or None,
        strong=rng.choice(STRONG_LINES[strong_topic]),
        confidence=max(1, min(5, round(2 + 2 * progress + rng.uniform(-0.8, 0.8)))),
        unsure_claims=rng.choice(("yes", "no", "no")),
        showed_interest=rng.choice(("yes", "yes", "unsure")),
        questions=questions,
        one_thing="Write and rehearse a STAR story about a disagreement",
        company_view=rng.choice((None, "keen", "unsure", "not_for_me")),
    )
