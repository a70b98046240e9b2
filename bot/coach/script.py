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
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from bot.coach.text import MAX_ANSWER, TextError, clean_text

__all__ = [
    "GROUPS",
    "KINDS",
    "MAX_QUESTIONS",
    "MAX_TYPED",
    "SKIP_WORDS",
    "STEPS",
    "TOPICS",
    "TOPIC_KEYS",
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
    "step",
    "step_number",
    "summarise",
    "topic_label",
    "validate_answer",
]

KINDS: tuple[str, ...] = ("text", "text_short", "questions", "scale", "yesno", "topics")
MAX_QUESTIONS = 25
MAX_TYPED = 4000  # the longest typed reply read (a modal value or a DM holds at most this)
MAX_SHORT = 300
MAX_QUESTION_TEXT = 1000


class AnswerError(ValueError):
    """An answer doesn't fit its step; ``str(err)`` is a message fit to show the user."""


@dataclass(frozen=True)
class Topic:
    """A topic an interview can touch, for tagging and pattern finding."""

    key: str
    label: str


TOPICS: tuple[Topic, ...] = (
    Topic("coding", "Coding"),
    Topic("algorithms", "Algorithms"),
    Topic("system_design", "System design"),
    Topic("behavioural", "Behavioural stories"),
    Topic("domain", "Domain knowledge"),
    Topic("take_home", "Take-home"),
    Topic("communication", "Communication"),
    Topic("questions_for_them", "Questions for them"),
    Topic("nerves", "Nerves"),
    Topic("logistics", "Logistics"),
)
TOPIC_KEYS: tuple[str, ...] = tuple(t.key for t in TOPICS)
_TOPIC_BY_KEY = {t.key: t for t in TOPICS}

YESNO: dict[str, str] = {"yes": "Yes", "no": "No", "unsure": "Not sure"}

GROUPS: dict[str, str] = {
    "what_happened": "What happened",
    "went_well": "What went well",
    "to_improve": "What to work on",
    "soft_side": "The human side",
    "topics": "Topics",
    "next_focus": "Next focus",
}

SKIP_WORDS = frozenset({"skip", "skip it", "skip this", "pass", "-", "n/a", "next"})
"""Typed replies that skip a step. "nothing" and "none" are real answers, not skips."""


@dataclass(frozen=True)
class Step:
    """One step of the debrief."""

    key: str
    kind: str
    title: str  # <= 45 characters: fits a modal title or a text-input label
    prompt: str  # the question, in the bot's voice
    hint: str  # one or two lines of the reasoning behind the question
    group: str  # a key of GROUPS, for the summary card
    placeholder: str = ""  # <= 100 characters, for modal inputs
    typed_help: str = ""  # how to answer by typing a reply in DMs
    max_len: int = MAX_ANSWER
    options: tuple[tuple[str, str], ...] = field(default=())  # (value, label) for buttons


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


# --------------------------------------------------------------------------- validation


@dataclass(frozen=True)
class QuestionAnswer:
    """One interview question, the answer given, and whether to check it later."""

    question: str
    answer: str = ""
    check_later: bool = False

    def to_dict(self) -> dict[str, object]:
        """The stored form: ``{"question", "answer", "check_later"}``."""
        return {"question": self.question, "answer": self.answer, "check_later": self.check_later}


def _topic_options() -> str:
    return ", ".join(t.label for t in TOPICS)


def _clean(value: str, step_: Step, field_name: str = "answer") -> str:
    try:
        return clean_text(value, max_len=step_.max_len, field=field_name)
    except TextError as err:
        raise AnswerError(str(err)) from err


def _validate_questions(value: object) -> list[dict[str, object]]:
    if not isinstance(value, list | tuple):
        raise AnswerError("The questions should be a list of question and answer pairs.")
    if len(value) > MAX_QUESTIONS:
        raise AnswerError(f"That's {len(value)} questions; up to {MAX_QUESTIONS} fit in one debrief.")
    out: list[dict[str, object]] = []
    for item in value:
        if isinstance(item, QuestionAnswer):
            item = item.to_dict()
        if not isinstance(item, Mapping):
            raise AnswerError("Each question needs a question text and, optionally, your answer.")
        question = item.get("question")
        answer = item.get("answer") or ""
        check_later = item.get("check_later", False)
        if not isinstance(question, str):
            raise AnswerError("Each question needs its text.")
        try:
            question = clean_text(question, max_len=MAX_QUESTION_TEXT, field="question")
        except TextError as err:
            raise AnswerError(str(err)) from err
        if not isinstance(answer, str):
            raise AnswerError("An answer needs to be text.")
        answer = answer.strip()
        if len(answer) > MAX_ANSWER:
            raise AnswerError(f"An answer is {len(answer):,} characters; the limit is {MAX_ANSWER:,}.")
        if not isinstance(check_later, bool):
            raise AnswerError("'Check this answer later' must be yes or no.")
        out.append({"question": question, "answer": answer, "check_later": check_later})
    return out


def validate_answer(step: Step, value: object) -> object:
    """Check ``value`` for ``step`` and return it in its stored form.

    ``None`` means the step was skipped and is always accepted. Raises
    :class:`AnswerError` with a message fit to show the user.
    """
    if value is None:
        return None
    kind = step.kind
    if kind in ("text", "text_short"):
        if not isinstance(value, str):
            raise AnswerError("This answer needs to be text.")
        return _clean(value, step)
    if kind == "scale":
        if isinstance(value, bool) or not isinstance(value, int):
            raise AnswerError("Pick a number from 1 to 5.")
        if not 1 <= value <= 5:
            raise AnswerError(f"{value} is outside the scale; pick a number from 1 to 5.")
        return value
    if kind == "yesno":
        if value not in YESNO:
            raise AnswerError("Answer yes, no, or not sure.")
        return value
    if kind == "topics":
        if isinstance(value, str) or not isinstance(value, list | tuple | set | frozenset):
            raise AnswerError("Topics should be a list.")
        unknown = [v for v in value if v not in _TOPIC_BY_KEY]
        if unknown:
            raise AnswerError(
                f"Unknown {'topic' if len(unknown) == 1 else 'topics'}: {', '.join(map(str, unknown))}. "
                f"The options are: {_topic_options()}."
            )
        chosen = set(value)
        return [key for key in TOPIC_KEYS if key in chosen]
    if kind == "questions":
        return _validate_questions(value)
    raise AnswerError(f"Unknown step kind {kind!r}.")


# --------------------------------------------------------------------------- typed replies

_SCALE_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5}
_YES = frozenset({"yes", "y", "yeah", "yep", "yup", "ya", "sure", "definitely", "i did", "yes i did"})
_NO = frozenset({"no", "n", "nope", "nah", "not really", "i didn't", "i did not", "no i didn't"})
_UNSURE = frozenset(
    {"not sure", "unsure", "maybe", "dunno", "don't know", "dont know", "no idea", "?", "idk"}
    | {"kind of", "sort of", "a bit", "partly", "hard to say"}
    | {"i don't know", "i dont know", "not really sure"}
)
# Typed replies are read by hand-written scanners or by patterns that start with a literal and have
# no nested or adjacent quantifiers over the same characters, so every reading is linear in the text.
_CHECK_MARK = re.compile(r"[\[(](?:check(?: later)?|\?)[\])]", re.IGNORECASE)
_LABEL_MARKS = ":.)-"
_BULLET_MARKS = "-*\u2022"


def _is_skip(text: str) -> bool:
    return text.strip().lower().rstrip(".") in SKIP_WORDS


def _parse_scale(text: str) -> int:
    raw = text.strip().lower().rstrip(".")
    match = re.fullmatch(r"(\d+|one|two|three|four|five)\s*(?:/\s*5|out of (?:5|five)|of 5)?", raw)
    if match:
        token = match.group(1)
        number = _SCALE_WORDS[token] if token in _SCALE_WORDS else int(token)
        if 1 <= number <= 5:
            return number
    raise AnswerError("Reply with a number from 1 to 5, for example 4 or 4/5.")


def _parse_yesno(text: str) -> str:
    raw = text.strip().lower().rstrip(".!").replace("\u2019", "'")
    if raw in _YES:
        return "yes"
    if raw in _NO:
        return "no"
    if raw in _UNSURE:
        return "unsure"
    first = raw.split(maxsplit=1)[0] if raw else ""
    if first.rstrip(",") in ("yes", "yeah", "yep"):
        return "yes"
    if first.rstrip(",") in ("no", "nope", "nah"):
        return "no"
    raise AnswerError("Reply yes, no, or not sure.")


def _topic_lookup() -> dict[str, str]:
    table: dict[str, str] = {}
    for topic in TOPICS:
        table[topic.key] = topic.key
        table[topic.key.replace("_", " ")] = topic.key
        table[topic.label.lower()] = topic.key
    table.update(
        {
            "behavioural": "behavioural",
            "behavioral": "behavioural",
            "behavioral stories": "behavioural",
            "stories": "behavioural",
            "algorithm": "algorithms",
            "algos": "algorithms",
            "dsa": "algorithms",
            "design": "system_design",
            "domain": "domain",
            "takehome": "take_home",
            "take home": "take_home",
            "questions": "questions_for_them",
            "my questions": "questions_for_them",
            "nerve": "nerves",
            "nervous": "nerves",
            "anxiety": "nerves",
        }
    )
    return table


def _parse_topics(text: str) -> list[str]:
    raw = text.strip().lower()
    if raw.rstrip(".") in ("none", "nothing", "no topics"):
        return []
    parts = [p.strip(" .") for p in re.split(r",|;|\n|\band\b|&", raw)]
    parts = [p for p in parts if p]
    lookup = _topic_lookup()
    chosen: list[str] = []
    unknown: list[str] = []
    for part in parts:
        key = lookup.get(part)
        if key is None:
            unknown.append(part)
        elif key not in chosen:
            chosen.append(key)
    if unknown:
        raise AnswerError(
            f"I don't know {', '.join(repr(u) for u in unknown)} as a topic. "
            f"The options are: {_topic_options()}. Separate several with commas."
        )
    if not chosen:
        raise AnswerError(f"Name one or more topics, separated by commas. The options are: {_topic_options()}.")
    return [key for key in TOPIC_KEYS if key in chosen]


def _skip_space(line: str, i: int) -> int:
    while i < len(line) and line[i].isspace():
        i += 1
    return i


def _after_label(line: str, i: int, letter: str) -> int | None:
    """Where the text after a label such as "Q:" or "a )" starting at ``i`` begins, or None."""
    if i >= len(line) or line[i].lower() != letter:
        return None
    i = _skip_space(line, i + 1)
    if i >= len(line) or line[i] not in _LABEL_MARKS:
        return None
    return i + 1


def _without_check_marks(line: str) -> tuple[str, bool]:
    """``line`` with "[check]", "(check later)" and "(?)" removed, and whether one was there."""
    pieces = _CHECK_MARK.split(line)
    if len(pieces) == 1:
        return line, False
    last = len(pieces) - 1
    kept = [p.rstrip() if k == 0 else p.lstrip() if k == last else p.strip() for k, p in enumerate(pieces)]
    return " ".join(kept), True


def _without_bullet(line: str) -> str:
    """``line`` without a leading "-", "*", "\u2022", "1." or "1)" (``line`` is already stripped)."""
    if line[:1] in _BULLET_MARKS:
        return line[1:].lstrip()
    digits = 0
    while digits < len(line) and line[digits].isdecimal():
        digits += 1
    if digits and line[digits : digits + 1] in (".", ")"):
        return line[digits + 1 :].lstrip()
    return line


def _split_inline(rest: str) -> tuple[str, str] | None:
    """Split the text after "Q:" at its first " A:" into (question, answer), or None.

    The answer label needs whitespace before it ("Q: why? A: because"); each
    whitespace run is scanned once, so this is linear in the line.
    """
    i = 0
    while i < len(rest):
        if not rest[i].isspace():
            i += 1
            continue
        run_end = _skip_space(rest, i)
        after = _after_label(rest, run_end, "a")
        if after is not None:
            return rest[:i], rest[after:]
        i = run_end
    return None


def _parse_questions(text: str) -> list[dict[str, object]]:
    items: list[dict[str, object]] = []
    pending: dict[str, object] | None = None
    for line in text.splitlines():
        if not line.strip():
            continue
        line, check = _without_check_marks(line)
        line = line.strip()
        if not line:
            continue
        line = _without_bullet(line).strip()
        if not line:
            continue
        q_rest = _after_label(line, 0, "q")
        a_rest = _after_label(line, 0, "a")
        inline = _split_inline(line[q_rest:]) if q_rest is not None else None
        if inline is not None:
            question, answer = inline
            pending = {"question": question.strip(), "answer": answer.strip(), "check_later": check}
            items.append(pending)
        elif a_rest is not None and pending is not None and not pending["answer"]:
            pending["answer"] = line[a_rest:].strip()
            pending["check_later"] = bool(pending["check_later"]) or check
        elif q_rest is not None and line[q_rest:].strip():
            pending = {"question": line[q_rest:].strip(), "answer": "", "check_later": check}
            items.append(pending)
        else:
            pending = {"question": line, "answer": "", "check_later": check}
            items.append(pending)
    if not items:
        raise AnswerError("Write one question per line, optionally as 'Q: ... A: ...'.")
    return _validate_questions(items)


def parse_typed_answer(step: Step, text: str) -> object:
    """Read a typed DM reply as the answer to ``step``, in its stored form.

    "skip" (or "pass", "-", "n/a") returns ``None``, which skips the step.
    Raises :class:`AnswerError` with a message fit to show the user.
    """
    if not isinstance(text, str) or not text.strip():
        raise AnswerError("That reply was empty. Type an answer, or 'skip' to move on.")
    if len(text) > MAX_TYPED:
        raise AnswerError(f"That reply is {len(text):,} characters; I read up to {MAX_TYPED:,}. Please shorten it.")
    if _is_skip(text):
        return None
    if step.kind in ("text", "text_short"):
        return _clean(text, step)
    if step.kind == "scale":
        return _parse_scale(text)
    if step.kind == "yesno":
        return _parse_yesno(text)
    if step.kind == "topics":
        return _parse_topics(text)
    if step.kind == "questions":
        return _parse_questions(text)
    raise AnswerError(f"Unknown step kind {step.kind!r}.")


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
        check_later=tuple(q.question for q in questions if q.check_later),
        soft_notes=tuple(soft_notes),
        one_thing=text_of("one_thing"),
        answered=tuple(s.key for s in STEPS if answered(s.key)),
        skipped=tuple(s.key for s in STEPS if not answered(s.key)),
    )


STEP_KINDS: dict[str, str] = {s.key: s.kind for s in STEPS}
