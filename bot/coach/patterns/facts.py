"""The pattern engine's inputs, its thresholds, and reading topics out of free text.

The inputs are small frozen records a service builds from store rows; nothing here knows about the
store. Free text is read with plain word and set operations (no regular expressions), so the cost is
linear in its length whatever a user types.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

from bot.coach.script import TOPIC_KEYS, topic_label

# -- thresholds (each one has a unit test at and around its edge) ----------------------------------

#: Debriefs that mention a topic before it is called a pattern; one mention is one data point.
PATTERN_MIN_REPEATS = 2
#: How far back "recent" reaches, against everything before it.
RECENT_WINDOW = timedelta(days=28)
#: A topic is "more lately" when its share of recent debriefs is at least this multiple of its earlier
#: share, and "less lately" when the earlier share is at least this multiple of the recent one.
TREND_RATIO = 1.5
#: Distinct interviews whose feedback must say something alike before it is a recurring critique.
CRITIQUE_MIN_REPEATS = 2
#: Outcomes (offers, rejections, ghostings) needed before the funnel names a leaking stage.
MIN_OUTCOMES_FOR_DIAGNOSIS = 5
#: Applications needed before any claim that compares rates (applications -> interviews).
MIN_APPLICATIONS_FOR_COMPARISON = 20
#: Below this share of applications turning into first interviews, the CV or targeting is the suspect.
LOW_INTERVIEW_RATE = 0.10
#: Below this share of first interviews reaching a later round, the first round is where it leaks.
LOW_FIRST_ROUND_PASS = 0.25
#: Applications in the last VOLUME_WINDOW below which volume is the suspect.
FEW_APPLICATIONS = 8
VOLUME_WINDOW = timedelta(days=28)
#: Rounds at one company without a link are one process when closer together than this.
PROCESS_GAP = timedelta(days=60)
#: Confidence readings needed on each side (earlier, recent) before a trend is named.
MIN_CONFIDENCE_POINTS = 3
#: Change in mean confidence (1-5 scale) that counts as rising or falling.
CONFIDENCE_SHIFT = 0.5
#: Debriefs touching the focus topic since it began, before progress is judged.
MIN_DEBRIEFS_AFTER_FOCUS = 3
#: Debriefs touching the focus topic before it began, to compare against.
MIN_DEBRIEFS_BEFORE_FOCUS = 2
#: Change in the share of those debriefs with a stumble on the topic that counts as a change.
FOCUS_CHANGE = 0.2
#: Focus suggestions offered at most.
MAX_SUGGESTIONS = 2
#: Notes before an upcoming interview, at most.
MAX_UPCOMING_NOTES = 2
#: Distinct words whose topics are remembered between calls (a bounded cache: memory stays flat).
WORD_CACHE = 20_000
#: A quoted snippet of the user's own words is cut to this many characters.
SNIPPET_CHARS = 90

OUTCOME_RESULTS = frozenset({"offer", "rejected", "ghosted"})
COMPANY_VIEWS: dict[str, str] = {"keen": "keen", "unsure": "not sure", "not_for_me": "not for me"}


# -- inputs ----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class InterviewFact:
    """One interview: the stage key, when it was, and its outcome (None while waiting)."""

    id: int
    company: str
    stage: str
    starts_at: datetime
    outcome: str | None = None
    previous_id: int | None = None


@dataclass(frozen=True, slots=True)
class QuestionFact:
    """A question from a debrief; ``checked`` is passed once the user says they looked it up."""

    question: str
    answer: str = ""
    check_later: bool = False
    checked: bool = False


@dataclass(frozen=True, slots=True)
class DebriefFact:
    """A finished (or partly answered) debrief; skipped steps are None or empty.

    ``company_view`` ("keen", "unsure", "not_for_me") and ``company_note`` come from the debrief's
    "What you made of them" step; both are None when it was skipped.
    """

    interview_id: int
    at: datetime
    topics: tuple[str, ...] = ()
    stumbles: str | None = None
    prep_gaps: str | None = None
    strong: str | None = None
    confidence: int | None = None
    unsure_claims: str | None = None
    showed_interest: str | None = None
    questions: tuple[QuestionFact, ...] = ()
    one_thing: str | None = None
    company_view: str | None = None
    company_note: str | None = None


@dataclass(frozen=True, slots=True)
class FeedbackFact:
    """Feedback a company gave; ``control`` is the user's own mark when they gave one."""

    id: int
    interview_id: int
    text: str
    at: datetime
    control: str | None = None


@dataclass(frozen=True, slots=True)
class ApplicationFact:
    """A batch of applications logged with ``/applications log``."""

    count: int
    at: datetime


# -- reading free text -----------------------------------------------------------------------------

#: Topic key -> words and stems that mark it in free text. "stem*" matches words starting with the
#: stem; a bare word matches only itself; a phrase (with spaces) matches whole words in order.
TOPIC_WORDS: dict[str, tuple[str, ...]] = {
    "coding": (
        "coding", "code", "bug", "bugs", "debug*", "syntax", "sql", "join", "joins", "test", "tests",
        "testing", "refactor*", "leetcode", "implement*", "typescript", "python", "javascript", "regex",
    ),
    "algorithms": (
        "algorithm*", "complexity", "recursion", "recursive", "dynamic programming", "graph", "graphs",
        "tree", "trees", "sorting", "big o", "hashmap", "hash map", "binary search", "data structure*",
    ),
    "system_design": (
        "system design", "architecture", "scalab*", "scaling", "scale", "capacity", "sharding", "cache",
        "caching", "load balanc*", "throughput", "latency", "distributed", "replication", "queue", "queues",
    ),
    "behavioural": (
        "behaviour*", "behavior*", "stories", "star", "conflict", "tell me about a time",
        "a time when", "weakness", "weaknesses", "leadership", "disagree*", "teammate",
    ),
    "domain": ("domain", "industry", "product sense", "business model", "regulation*", "compliance"),
    "take_home": ("take-home", "take home", "takehome", "assignment", "homework"),
    "communication": (
        "rambl*", "explain*", "explanation*", "unclear", "clarity", "concise", "think aloud",
        "thinking out loud", "waffl*", "long-winded", "communicat*", "lost the thread", "lost my point",
    ),
    "questions_for_them": (
        "questions for them", "my questions", "questions to ask", "no questions", "questions at the end",
        "nothing to ask", "didn't ask", "ask anything",
    ),
    "nerves": ("nervous", "nerves", "froze", "freeze", "frozen", "blank*", "panic*", "anxious", "tense", "shaky"),
    "logistics": ("late", "wifi", "audio", "camera", "microphone", "traffic", "parking", "reschedul*", "connection"),
}  # fmt: skip

#: Question type -> phrases that mark it (in question texts and stumble notes).
QUESTION_TYPES: dict[str, tuple[str, tuple[str, ...]]] = {
    "tell_me_about_a_time": (
        "'tell me about a time' questions",
        ("tell me about a time", "a time when", "a time you", "describe a situation", "give me an example"),
    ),
    "estimation": ("estimation questions", ("estimate", "estimates", "estimation", "how many", "back of the envelope")),
    "why_us": (
        "'why us' questions",
        ("why do you want", "why this company", "why us", "why are you leaving", "why did you leave", "why should we"),
    ),
    "about_you": (
        "the 'about yourself' opener",
        ("tell me about yourself", "walk me through your", "introduce yourself"),
    ),
    "salary": ("salary questions", ("salary", "compensation", "pay expectations", "notice period")),
}


_SEPARATORS = str.maketrans(
    {ch: " " for ch in '!"#$%&()*+,./:;<=>?@[\\]^_`{|}~\t\n\r\x0b\x0c\u00a0\u2013\u2014\u2026\u201c\u201d\u2018'}
    | {"\u2019": "'"}
)


def words_of(text: str | None) -> list[str]:
    """Lower-case words: punctuation and spaces separate; apostrophes and hyphens stay. Linear, no regex."""
    if not text:
        return []
    return text.lower().translate(_SEPARATORS).split()


class _Markers:
    """Markers indexed for one pass over the words: exact words, stems by length, phrases by first word."""

    def __init__(self, table: dict[str, tuple[str, ...]]) -> None:
        self.exact: dict[str, set[str]] = {}
        self.stems: dict[str, set[str]] = {}
        self.phrases: dict[str, list[tuple[str, str]]] = {}
        for key, markers in table.items():
            for marker in markers:
                if " " in marker:
                    self.phrases.setdefault(marker.split(" ", 1)[0], []).append((f" {marker} ", key))
                elif marker.endswith("*"):
                    self.stems.setdefault(marker[:-1], set()).add(key)
                else:
                    self.exact.setdefault(marker, set()).add(key)
        self.lengths = sorted({len(s) for s in self.stems})
        # Words repeat across debriefs; a bounded cache keeps memory flat whatever users type.
        self.keys_of = lru_cache(maxsize=WORD_CACHE)(self.word_keys)

    def word_keys(self, word: str) -> frozenset[str]:
        found: set[str] = set(self.exact.get(word, ()))
        for length in self.lengths:
            if len(word) < length:
                break
            found |= self.stems.get(word[:length], set())
        return frozenset(found)

    def find(self, words: list[str]) -> set[str]:
        found: set[str] = set()
        candidates: list[tuple[str, str]] = []
        keys_of, phrases = self.keys_of, self.phrases
        for word in words:
            hit = keys_of(word)
            if hit:
                found |= hit
            more = phrases.get(word)
            if more:
                candidates += more
        if candidates:
            padded = f" {' '.join(words)} "
            found.update(key for phrase, key in candidates if key not in found and phrase in padded)
        return found


_TOPICS = _Markers(TOPIC_WORDS)
_TYPES = _Markers({key: phrases for key, (_label, phrases) in QUESTION_TYPES.items()})


def topics_in(text: str | None) -> set[str]:
    """Topic keys that free text mentions (see :data:`TOPIC_WORDS`)."""
    return _TOPICS.find(words_of(text))


def question_types_in(text: str | None) -> set[str]:
    """Question-type keys that a question or a note mentions (see :data:`QUESTION_TYPES`)."""
    return _TYPES.find(words_of(text))


def keys_in(text: str | None) -> set[str]:
    """Topic and question-type keys together, reading the words once."""
    words = words_of(text)
    return _TOPICS.find(words) | _TYPES.find(words)


def label_of(key: str) -> str:
    """A topic or question-type label for people."""
    if key in TOPIC_KEYS:
        return topic_label(key)
    return QUESTION_TYPES[key][0]


def clauses_of(text: str | None) -> list[tuple[str, set[str]]]:
    """Free text cut into clauses (at . ; ! ? and line ends), each with the topics and question types it
    mentions; clauses that mention none are left out."""
    if not text:
        return []
    for stop in (".", ";", "!", "?"):
        text = text.replace(stop, "\n")
    out = []
    for line in text.split("\n"):
        keys = keys_in(line)
        if keys:
            out.append((line, keys))
    return out


def snippet(clauses: list[tuple[str, set[str]]], key: str) -> str | None:
    """The user's own clause that mentions ``key`` (a topic or question type), cut short; None if none does."""
    for clause, keys in clauses:
        if key in keys:
            clause = " ".join(clause.split())
            if len(clause) > SNIPPET_CHARS:
                clause = clause[: SNIPPET_CHARS - 1].rsplit(" ", 1)[0] + "\u2026"
            return clause
    return None
