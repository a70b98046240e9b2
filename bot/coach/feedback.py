"""Asking a company for feedback, and weighing what comes back.

The request is short, gracious and specific, and it sets no expectation
that an answer is owed. The notes keep feedback in proportion: silence is
common and usually about policy, and a single opinion is a single data
point until the same comment shows up again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = [
    "CONTROL_CHOICES",
    "FEEDBACK_TOPICS",
    "NAME_PLACEHOLDER",
    "OUTSIDE_CONTROL_MARKERS",
    "ControlChoice",
    "content_words",
    "control_label",
    "feedback_note",
    "feedback_request",
    "feedback_topics",
    "is_outside_control",
    "one_data_point_note",
    "similarity",
]


@dataclass(frozen=True)
class ControlChoice:
    """Whether a piece of feedback points at something the person can work on."""

    key: str
    label: str


CONTROL_CHOICES: tuple[ControlChoice, ...] = (
    ControlChoice("within_control", "Something I can work on"),
    ControlChoice("outside_control", "Outside my control"),
    ControlChoice("unsure", "Not sure yet"),
)
_CONTROL_BY_KEY = {c.key: c for c in CONTROL_CHOICES}


def control_label(key: str) -> str:
    """The label for a control choice key; ``KeyError`` if unknown."""
    try:
        return _CONTROL_BY_KEY[key].label
    except KeyError:
        raise KeyError(f"unknown control choice {key!r}") from None


#: The signature when the user's name is not known: a placeholder to fill in before sending.
NAME_PLACEHOLDER = "[your name]"


def feedback_request(
    company: str,
    role: str | None,
    interviewer: str | None = None,
    *,
    rejected: bool = False,
    name: str | None = None,
) -> str:
    """A short feedback request the user can copy and send to the recruiter or interviewer, signed with
    ``name`` (else :data:`NAME_PLACEHOLDER`). Only when a rejection is recorded does it thank them for
    the news and ask what would have made the difference; otherwise it assumes no decision."""
    company = company.strip()
    role = (role or "").strip()
    greeting = f"Hi {(interviewer or '').strip()}," if (interviewer or "").strip() else "Hello,"
    for_role = f"the {role} role" if role else "this role"
    signature = (name or "").strip() or NAME_PLACEHOLDER
    if rejected:
        opening = (
            f"Thanks for letting me know about {for_role}, and please pass on my thanks to the team "
            f"at {company} for the time they spent with me."
        )
        ask = (
            "If you can share anything about where I could grow for future interviews, it would help me "
            f"a lot. In particular, was there one thing that would have made the difference for {for_role}? "
            "Specific points are very welcome, including critical ones."
        )
    else:
        opening = f"Thank you, and the team at {company}, for the time you spent with me on {for_role}."
        ask = (
            "Whatever the outcome, I'd be grateful for any feedback on how my interview went and where I "
            "could grow for future interviews. Specific points are very welcome, including critical ones."
        )
    return "\n".join(
        [
            greeting,
            "",
            opening,
            "",
            ask,
            "",
            f"I enjoyed the conversations and learning how the team works. All the best to everyone at {company}.",
            "",
            "Kind regards,",
            signature,
        ]
    )


def feedback_note() -> str:
    """What to expect after asking: often little or nothing, and that isn't personal."""
    return (
        "Many companies share little or no feedback, usually because of legal or HR policy rather than "
        "unkindness, so a silence isn't a snub. Your own debrief already holds most of what you'd learn, "
        "and you can add anything that does come back with `/feedback add`."
    )


def one_data_point_note(count_similar: int) -> str:
    """How much weight to give a comment, given how often a similar one has come up (this one included)."""
    n = max(1, int(count_similar))
    if n == 1:
        return (
            "One interviewer's view is one data point: it can be sharp, and it can also be off. "
            "Note it and see whether it comes up again before you rebuild anything around it."
        )
    return (
        f"This is the {_ordinal(n)} time a comment like this has come up. One opinion is a single data "
        "point; a repeat across several companies is a pattern, and worth a focused fix."
    )


def _ordinal(n: int) -> str:
    words = {2: "second", 3: "third", 4: "fourth", 5: "fifth", 6: "sixth", 7: "seventh", 8: "eighth"}
    if n in words:
        return words[n]
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


# -- does this feedback echo earlier feedback? Honestly simple -------------------------------------

#: Topic label -> word stems that mark it. Deliberately small: a false "this came up before" is worse
#: than a missed one.
FEEDBACK_TOPICS: dict[str, tuple[str, ...]] = {
    "system design": ("system design", "system-design", "architecture", "scalab", "scaling", "distributed"),
    "coding": ("coding", "code quality", "clean code", " testing", " tests ", "debugging"),
    "algorithms": ("algorithm", "data structure", "complexity", "big o ", "big-o", "optimi"),
    "communication": (
        "communicat",
        "explain",
        "clarity",
        "clearer",
        "concise",
        "rambl",
        "think aloud",
        "thinking out loud",
        "structure your answer",
    ),
    "behavioural stories": ("behavio", " star ", "examples from", " stories", " story", "leadership", "conflict"),
    "experience level": ("senior", "junior", "more experience", "years of experience"),
    "domain knowledge": ("domain", "industry knowledge", "product sense", "familiarity with"),
    "questions for them": ("questions for", "ask questions", "asked questions", "curiosity"),
    "confidence": ("confiden", "nervous", "nerves", "hesitant", "anxious"),
}

#: Reasons for a no that say more about the company's situation than about the interview: another
#: candidate was a closer fit, the role was filled, budget, level, timing, headcount. Feedback that names
#: one is grouped as outside the candidate's control and is never counted toward a pattern to fix.
#: Single words match whole words only; phrases match whole words in order.
OUTSIDE_CONTROL_MARKERS: tuple[str, ...] = (
    "fit",
    "closer match",
    "better match",
    "stronger match",
    "filled",
    "budget",
    "budgets",
    "level",
    "timing",
    "internal candidate",
    "internally",
    "headcount",
    "head count",
    "hiring freeze",
    "another candidate",
    "other candidates",
    "another applicant",
)
_MARKER_WORDS = frozenset(m for m in OUTSIDE_CONTROL_MARKERS if " " not in m)
_MARKER_PHRASES = tuple(f" {m} " for m in OUTSIDE_CONTROL_MARKERS if " " in m)


def _plain_words(text: str) -> list[str]:
    """Lower-case words (letters, digits, apostrophes); everything else separates. Linear, no regex."""
    return "".join(ch if ch.isalnum() or ch == "'" else " " for ch in text.lower()).split()


def is_outside_control(text: str) -> bool:
    """Does this feedback name a reason outside the candidate's control (fit, filled, budget, level...)?"""
    words = _plain_words(text)
    if _MARKER_WORDS.intersection(words):
        return True
    padded = f" {' '.join(words)} "
    return any(phrase in padded for phrase in _MARKER_PHRASES)


_STOPWORDS = frozenset(
    {
        "about",
        "above",
        "after",
        "again",
        "against",
        "also",
        "although",
        "among",
        "because",
        "before",
        "being",
        "below",
        "between",
        "both",
        "could",
        "didn't",
        "doesn't",
        "during",
        "each",
        "either",
        "enough",
        "every",
        "from",
        "further",
        "great",
        "have",
        "having",
        "here",
        "however",
        "into",
        "itself",
        "just",
        "like",
        "maybe",
        "might",
        "more",
        "most",
        "much",
        "other",
        "overall",
        "quite",
        "rather",
        "really",
        "role",
        "should",
        "since",
        "some",
        "still",
        "such",
        "team",
        "than",
        "that",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "thing",
        "things",
        "think",
        "this",
        "those",
        "though",
        "through",
        "time",
        "very",
        "want",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "will",
        "with",
        "within",
        "would",
        "your",
        "you're",
        "candidate",
        "interview",
        "interviewer",
        "feedback",
        "position",
        "company",
    }
)


def feedback_topics(text: str) -> set[str]:
    lowered = " " + re.sub(r"[^a-z0-9'+-]+", " ", text.lower()) + " "
    return {topic for topic, stems in FEEDBACK_TOPICS.items() if any(stem in lowered for stem in stems)}


def content_words(text: str) -> set[str]:
    """Longer words that carry meaning, crudely stemmed ("explanations" ~ "explanation")."""
    words = re.findall(r"[a-z][a-z'-]{4,}", text.lower())
    return {w.removesuffix("s") for w in words} - _STOPWORDS


def similarity(a: str, b: str) -> tuple[bool, set[str]]:
    """Do two pieces of feedback say something alike? (a shared topic, or three shared content words).

    Feedback outside the candidate's control (:func:`is_outside_control`) is never alike: two stock
    "closer fit" rejections are not a pattern to fix.
    """
    if is_outside_control(a) or is_outside_control(b):
        return False, set()
    topics = feedback_topics(a) & feedback_topics(b)
    return bool(topics) or len(content_words(a) & content_words(b)) >= 3, topics
