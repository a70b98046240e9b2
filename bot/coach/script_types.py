"""The debrief script's vocabulary: the step kinds and limits, the topics, the answer error and the
:class:`Step` itself. :mod:`bot.coach.script` holds the steps (and re-exports all of this)."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.coach.text import MAX_ANSWER

KINDS: tuple[str, ...] = ("text", "text_short", "questions", "scale", "yesno", "topics", "view")
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
#: What the candidate made of the company (the ``view`` step): the interview is a two-way fit, and
#: "not for me" is a legitimate conclusion, not a failure.
VIEWS: dict[str, str] = {"keen": "Keen", "unsure": "Not sure", "not_for_me": "Not for me"}

GROUPS: dict[str, str] = {
    "what_happened": "What happened",
    "went_well": "What went well",
    "to_improve": "What to work on",
    "soft_side": "The human side",
    "topics": "Topics",
    "company": "What you made of them",
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
