"""The debrief script, as data.

A debrief is a fixed sequence of :class:`Step` objects. The bot shows one
step at a time, saves every answer as it goes, and lets the person skip any
step (a skipped step is stored as ``None``). Free recall comes first, in
order from arrival to goodbye, because memory of the start of an interview
fades first and the ending tends to crowd it out; the specific questions
follow, and the one thing to change next time comes last.

Step kinds and the value each one stores:

- ``"text"``       -- long free text (modal paragraph or a typed reply): ``str``.
- ``"text_short"`` -- a short line (modal short input): ``str``.
- ``"questions"``  -- the questions asked: ``list`` of
  ``{"question": str, "answer": str, "check_later": bool}``.
- ``"scale"``      -- 1-5 buttons: ``int``.
- ``"yesno"``      -- yes / no / not sure buttons: ``"yes" | "no" | "unsure"``.
- ``"topics"``     -- multi-select of :data:`TOPICS`: ``list[str]`` of keys (may be empty).
- ``"view"``       -- what the candidate made of the company: a key of :data:`VIEWS` and an optional
  note, ``{"view": "keen" | "unsure" | "not_for_me", "note": str}`` (``note`` may be empty).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from bot.coach.script_answers import (
    QuestionAnswer,
    parse_typed_answer,
    read_view,
    validate_answer,
)
from bot.coach.script_types import (
    _TOPIC_BY_KEY,
    GROUPS,
    KINDS,
    MAX_QUESTIONS,
    MAX_SHORT,
    MAX_TYPED,
    SKIP_WORDS,
    TOPIC_KEYS,
    TOPICS,
    VIEWS,
    YESNO,
    AnswerError,
    Step,
    Topic,
)
from bot.coach.script_types import MAX_QUESTION_TEXT as MAX_QUESTION_TEXT  # re-exported
from bot.coach.text import MAX_ANSWER as MAX_ANSWER  # re-exported

__all__ = [
    "GROUPS",
    "KINDS",
    "MAX_QUESTIONS",
    "MAX_TYPED",
    "SKIP_WORDS",
    "STEPS",
    "TOPICS",
    "TOPIC_KEYS",
    "VIEWS",
    "YESNO",
    "AnswerError",
    "QuestionAnswer",
    "Step",
    "Summary",
    "Topic",
    "first_step",
    "next_step",
    "parse_typed_answer",
    "previous_step",
    "read_view",
    "step",
    "step_number",
    "summarise",
    "topic_label",
    "validate_answer",
]


STEPS: tuple[Step, ...] = (
    Step(
        key="recall",
        kind="text",
        title="From arrival to goodbye",
        prompt=(
            "Walk through the interview in order, from the moment you arrived or joined the call to "
            "the goodbye. Include the intro round: what did you say about yourself?"
        ),
        hint=(
            "The start of an interview is the first thing memory drops, and the final minutes tend "
            "to colour the rest. Going in order while it's fresh brings back details that would "
            "be gone in a day."
        ),
        group="what_happened",
        placeholder="Arrived, waited ten minutes, intro round: I said...",
        typed_help="Reply with a few lines or bullet points. Rough is fine.",
    ),
    Step(
        key="questions",
        kind="questions",
        title="Their questions and your answers",
        prompt=(
            "Which questions did they ask, and roughly how did you answer? Mark any answer you "
            "weren't sure about so you can look it up later."
        ),
        hint=(
            "An unsure answer is worth checking afterwards, on your own or with a friend or a developer "
            "community. For 'tell me about a time' questions, note whether you gave the situation, "
            "your task, what you did and how it turned out (STAR)."
        ),
        group="what_happened",
        placeholder="Q: How does a hash map work? A: Buckets and hashing, got vague on collisions",
        typed_help=(
            "One question per line, optionally with your answer: 'Q: ... A: ...'. "
            "Add [check] to a line you want to look up later."
        ),
    ),
    Step(
        key="strong",
        kind="text",
        title="What felt strong, and why",
        prompt="Which moments or answers felt strong? Try to say why each one worked.",
        hint=(
            "Knowing why something worked is what lets you repeat it. Be as even-handed as you can: "
            "note the good parts as plainly as the rough ones."
        ),
        group="went_well",
        placeholder="Explaining my capstone project: I had numbers and a clear order",
        typed_help="Reply with a few lines.",
    ),
    Step(
        key="stumbles",
        kind="text",
        title="Where you stumbled or were caught off guard",
        prompt="Where did you stumble, freeze, or get a question you hadn't seen coming?",
        hint=(
            "Specific beats general here: the exact question and the moment it went sideways. "
            "Across several debriefs, `/patterns` shows what keeps coming back."
        ),
        group="to_improve",
        placeholder="The follow-up on SQL joins; I blanked on LEFT vs INNER",
        typed_help="Reply with a few lines.",
    ),
    Step(
        key="prep_gaps",
        kind="text",
        title="Prep that didn't hold up under pressure",
        prompt="Was there anything you'd prepared that didn't hold up once you were in the room?",
        hint=(
            "Preparation that works at your desk can wobble under a clock and an audience. "
            "Spotting which part wobbled tells you what to rehearse differently, not just more."
        ),
        group="to_improve",
        placeholder="My 'conflict with a teammate' story ran long and lost its point",
        typed_help="Reply with a few lines.",
    ),
    Step(
        key="soft_side",
        kind="text",
        title="How they welcomed you, how you felt",
        prompt=(
            "How did they greet you, and how did you respond? What did you feel during the conversation, "
            "and what did their faces or tone suggest?"
        ),
        hint=(
            "Teams hire people they'd like to work alongside every day, so how the conversation felt "
            "counts as well as what you knew. Describe what happened rather than judging yourself."
        ),
        group="soft_side",
        placeholder="Friendly start, I was tense for the first ten minutes, then relaxed",
        typed_help="Reply with a few lines.",
    ),
    Step(
        key="confidence",
        kind="scale",
        title="How confident you felt (1-5)",
        prompt="Overall, how confident did you feel while answering? 1 is shaky, 5 is steady.",
        hint="A rough number is enough. After a few interviews, `/patterns` shows whether it is moving.",
        group="soft_side",
        typed_help="Reply with a number from 1 to 5.",
        options=tuple((str(n), str(n)) for n in range(1, 6)),
    ),
    Step(
        key="unsure_claims",
        kind="yesno",
        title="Said anything you weren't sure of?",
        prompt=(
            "Did you state anything you weren't sure was right, or fill a gap with something you made up on the spot?"
        ),
        hint=(
            "Most people do this under pressure. Interviewers often notice a confident guess, and "
            "'I'm not sure, here's how I'd find out' tends to land better."
        ),
        group="soft_side",
        typed_help="Reply yes, no, or not sure.",
        options=tuple(YESNO.items()),
    ),
    Step(
        key="showed_interest",
        kind="yesno",
        title="Showed interest, asked your own questions?",
        prompt="Did you show real interest in the role and the company, and ask questions of your own?",
        hint=(
            "Your questions are part of how they read your interest. A small set you can reuse "
            "saves you from improvising at the end."
        ),
        group="soft_side",
        typed_help="Reply yes, no, or not sure.",
        options=tuple(YESNO.items()),
    ),
    Step(
        key="topics",
        kind="topics",
        title="Topics that came up",
        prompt="Which areas did this interview touch? Pick any that apply.",
        hint="Tagging topics lets `/patterns` show an area that keeps tripping you up, once it repeats.",
        group="topics",
        typed_help="Reply with names separated by commas, for example: coding, nerves.",
    ),
    Step(
        key="company",
        kind="view",
        title="What you made of them",
        prompt=(
            "And the other way round: what did you make of them? Would you want to work there? "
            "Pick one, and add a line on why if you like."
        ),
        hint=(
            "An interview is a two-way fit, not only a test of you. 'Not for me' is a legitimate "
            "conclusion, and noticing it early saves you rounds you don't want."
        ),
        group="company",
        placeholder="Great team, but the on-call load sounded heavy",
        typed_help="Reply keen, not sure or not for me, optionally followed by a line on why.",
        max_len=MAX_SHORT,
        options=tuple(VIEWS.items()),
    ),
    Step(
        key="one_thing",
        kind="text_short",
        title="One thing to change next time",
        prompt="If you could change one thing for the next interview, what would it be?",
        hint=(
            "Pick something small and concrete you can practise this week; a vague resolve to do "
            "better rarely changes much. With no focus yet it becomes your focus; otherwise I'll offer it."
        ),
        group="next_focus",
        placeholder="Write and rehearse a STAR story about a disagreement",
        typed_help="Reply with one line.",
        max_len=MAX_SHORT,
    ),
)

_STEP_BY_KEY = {s.key: s for s in STEPS}
_INDEX = {s.key: i for i, s in enumerate(STEPS)}


# --------------------------------------------------------------------------- navigation


def step(key: str) -> Step:
    """Return the step with ``key``; ``KeyError`` if there is none."""
    try:
        return _STEP_BY_KEY[key]
    except KeyError:
        raise KeyError(f"unknown debrief step {key!r}") from None


def first_step() -> Step:
    """The first step of the debrief."""
    return STEPS[0]


def next_step(key: str) -> Step | None:
    """The step after ``key``, or None after the last one."""
    index = _INDEX[step(key).key] + 1
    return STEPS[index] if index < len(STEPS) else None


def previous_step(key: str) -> Step | None:
    """The step before ``key``, or None before the first one."""
    index = _INDEX[step(key).key] - 1
    return STEPS[index] if index >= 0 else None


def step_number(key: str) -> tuple[int, int]:
    """``(n, total)`` for showing "Step n of total" (n counts from 1)."""
    return _INDEX[step(key).key] + 1, len(STEPS)


def topic_label(key: str) -> str:
    """The label of a topic key; ``KeyError`` if unknown."""
    try:
        return _TOPIC_BY_KEY[key].label
    except KeyError:
        raise KeyError(f"unknown topic {key!r}") from None


# --------------------------------------------------------------------------- summary


@dataclass(frozen=True)
class Summary:
    """Plain data for a debrief summary card. Skipped steps are ``None`` or empty."""

    recall: str | None
    questions: tuple[QuestionAnswer, ...]
    strong: str | None
    stumbles: str | None
    prep_gaps: str | None
    soft_side: str | None
    confidence: int | None
    unsure_claims: str | None
    showed_interest: str | None
    topics: tuple[str, ...]  # labels
    topic_keys: tuple[str, ...]
    company_view: str | None  # a key of VIEWS
    company_note: str | None
    check_later: tuple[str, ...]  # question texts flagged to check later
    soft_notes: tuple[str, ...]  # short lines for the card's human-side section
    one_thing: str | None
    answered: tuple[str, ...]  # step keys with an answer
    skipped: tuple[str, ...]  # step keys without one

    @property
    def is_empty(self) -> bool:
        """True when every step was skipped."""
        return not self.answered


_UNSURE_NOTES = {
    "yes": "You said some things you weren't sure of; those are worth checking before the next round.",
    "unsure": "Not sure whether everything you said was right; worth a quick check of the shaky answers.",
}
_INTEREST_NOTES = {
    "no": "You didn't get to show interest or ask your own questions; a few prepared ones would help.",
    "unsure": "Not sure your interest came across; a few prepared questions make it easier next time.",
    "yes": "You showed interest and asked your own questions.",
}


def summarise(answers: Mapping[str, object]) -> Summary:
    """Build a :class:`Summary` from stored answers (step key -> value).

    Unknown keys are ignored. A value that doesn't validate for its step is
    treated as skipped, so one bad stored value can't break the card.
    """
    clean: dict[str, object] = {}
    for s in STEPS:
        raw = answers.get(s.key)
        try:
            clean[s.key] = validate_answer(s, raw)
        except AnswerError:
            clean[s.key] = None

    def text_of(key: str) -> str | None:
        value = clean.get(key)
        return value if isinstance(value, str) else None

    raw_questions = clean.get("questions")
    questions: tuple[QuestionAnswer, ...] = ()
    if isinstance(raw_questions, list):
        questions = tuple(
            QuestionAnswer(str(q["question"]), str(q["answer"]), bool(q["check_later"])) for q in raw_questions
        )
    raw_topics = clean.get("topics")
    topic_keys: tuple[str, ...] = tuple(raw_topics) if isinstance(raw_topics, list) else ()
    confidence = clean.get("confidence")
    unsure = text_of("unsure_claims")
    company = clean.get("company")
    company_view = company.get("view") if isinstance(company, dict) else None
    company_note = (company.get("note") or None) if isinstance(company, dict) else None
    interest = text_of("showed_interest")

    soft_notes: list[str] = []
    if text_of("soft_side"):
        soft_notes.append(str(text_of("soft_side")))
    if unsure in _UNSURE_NOTES:
        soft_notes.append(_UNSURE_NOTES[unsure])
    if interest in _INTEREST_NOTES:
        soft_notes.append(_INTEREST_NOTES[interest])

    def answered(key: str) -> bool:
        value = clean.get(key)
        if value is None:
            return False
        # No questions listed means nothing was recorded; no topics ticked is a real answer.
        return not (STEP_KINDS[key] == "questions" and value == [])

    return Summary(
        recall=text_of("recall"),
        questions=questions,
        strong=text_of("strong"),
        stumbles=text_of("stumbles"),
        prep_gaps=text_of("prep_gaps"),
        soft_side=text_of("soft_side"),
        confidence=confidence if isinstance(confidence, int) else None,
        unsure_claims=unsure,
        showed_interest=interest,
        topics=tuple(topic_label(k) for k in topic_keys),
        topic_keys=topic_keys,
        company_view=company_view,
        company_note=company_note,
        check_later=tuple(q.question for q in questions if q.check_later),
        soft_notes=tuple(soft_notes),
        one_thing=text_of("one_thing"),
        answered=tuple(s.key for s in STEPS if answered(s.key)),
        skipped=tuple(s.key for s in STEPS if not answered(s.key)),
    )


STEP_KINDS: dict[str, str] = {s.key: s.kind for s in STEPS}
