"""Reading an interview out of a plain sentence.

"final round with Acme on Thursday at 3pm", "just finished my phone screen
with Globex", "had a call with the recruiter from Hooli an hour ago".

The bot confirms what it read with buttons and lets the person correct it,
so this module is precise rather than greedy: a wrong company is worse than
none. The rules:

- **Is it about an interview?** The text must mention an interview or a
  recognisable stage ("phone screen", "onsite", "final round", "recruiter",
  "technical round", ...). A general question ("how do I prepare for a
  technical interview?") that names no company and no time is not noticed.
- **Company**: capitalised word(s) right after "at", "from", "for" or "with",
  stopping at time words ("on", "tomorrow", weekdays, months, times), at
  lowercase words and at punctuation. When several candidates exist, "at"
  beats "from", which beats "for", which beats "with" ("with Sam from Acme"
  gives Acme). A "for" phrase that looks like a job title is ignored.
- **When**: the longest run of time-like words that :mod:`bot.coach.when`
  can read. A day without a time ("on Thursday") is kept in ``day`` and
  ``when`` stays None, so the bot can ask for the hour.
- **Finished**: past-tense markers ("just finished", "had", "did", "got out
  of", ...) -- unless the time found is in the future, which wins. A time in
  the past also means finished. When it's finished and no time or day was
  given ("just had my phone screen"), it ended now: ``when`` is ``now`` minus
  the stage's typical length, and ``length`` is that length, so the recorded
  interview ends at the moment it was reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.coach.localtime import require_aware
from bot.coach.name_words import COMMON_LOWER as _COMMON_LOWER
from bot.coach.outcome_words import hear_outcome
from bot.coach.stages import find_stage, stage
from bot.coach.when import MONTHS, WEEKDAYS, AmbiguousWhen, WhenError, parse_when_or_day

__all__ = ["Noticed", "notice"]

DEFAULT_LENGTH = timedelta(hours=1)
MAX_COMPANY_WORDS = 5
MAX_COMPANY_CHARS = 100
MAX_NOTICE_TEXT = 2000  # longer messages are not read as interview reports
MAX_WHEN_TOKENS = 8  # the longest time phrase tried ("the 24th of November 2026 at 9.30 am")
MAX_WHEN_TRIES = 256  # time phrases tried per message: the work one message can cost is bounded


@dataclass(frozen=True)
class Noticed:
    """What was read out of a sentence. Any part may be missing."""

    company: str | None
    when: datetime | None  # aware UTC
    stage: str | None  # a stage key
    finished: bool
    day: date | None = None  # local date mentioned without a time ("on Thursday")
    length: timedelta | None = None  # set when it ended just now: the stage's typical length
    #: A bare clock time already past today, not told as past news ("at 3pm" sent at 22:12): the same
    #: time tomorrow, which the user may have meant. ``when`` keeps today's reading.
    tomorrow: datetime | None = None
    #: The time phrase reads as two days ("next Saturday" on a Thursday): the question to ask. ``when``
    #: and ``day`` are then None.
    question: str | None = None


# --------------------------------------------------------------------------- vocabulary

_INTERVIEW_WORD = re.compile(r"\binterview(?:s|ing|ed)?\b", re.IGNORECASE)
_STRONG_STAGE = re.compile(
    r"\b(?:recruiter|onsite|on-site|superday|final round|phone screen|tech screen|take[- ]?home|"
    r"system design|coding challenge|live coding|hiring manager)\b",
    re.IGNORECASE,
)
_GENERIC_STAGE = re.compile(
    r"\b(?:technical|behaviou?ral|coding|screening|design|culture fit|final|pairing)\s+"
    r"(?:round|call|screen|chat|session|stage|test|loop)\b",
    re.IGNORECASE,
)
_FINISHED = re.compile(
    r"\b(?:just\s+(?:finished|had|did|done|wrapped\s+up|got\s+out\s+of|came\s+out\s+of|left|completed)|"
    r"finished|had|did|got\s+out\s+of|came\s+out\s+of|walked\s+out\s+of|wrapped\s+up|completed|"
    r"done\s+with|went\s+to|sat\s+(?:the|my|an?))\b",
    re.IGNORECASE,
)
_QUESTION_START = re.compile(
    r"^\s*(?:how|what|why|which|should|could|can|is|are|do|does|any|tips|advice)\b", re.IGNORECASE
)

_TRIGGERS = {"at": 0, "from": 1, "for": 2, "with": 3}
_TIME_WORDS = frozenset(
    {
        "today",
        "tonight",
        "tomorrow",
        "tmrw",
        "yesterday",
        "next",
        "this",
        "last",
        "on",
        "at",
        "in",
        "noon",
        "midday",
        "midnight",
        "now",
        "morning",
        "afternoon",
        "evening",
    }
)
_STOP_NAMES = frozenset(
    {
        "i",
        "i'm",
        "im",
        "i've",
        "i'll",
        "we",
        "my",
        "me",
        "you",
        "they",
        "he",
        "she",
        "it",
        "a",
        "an",
        "and",
        "but",
        "or",
        "so",
        "interview",
        "interviews",
        "round",
        "call",
        "screen",
        "recruiter",
        "hr",
        "team",
        "zoom",
        "teams",
        "meet",
        "home",
        "work",
        "office",
        "lunch",
    }
)
_CONNECTORS = frozenset({"&", "of", "and"})
#: Triggers after which a name in lower case is read ("onsite at google"); "for" is left out ("for backend").
_LOWER_TRIGGERS = frozenset({"at", "from", "with"})
_ROLE_WORDS = frozenset(
    {
        "role",
        "position",
        "job",
        "engineer",
        "developer",
        "dev",
        "designer",
        "manager",
        "analyst",
        "intern",
        "internship",
        "scientist",
        "architect",
        "lead",
        "consultant",
        "specialist",
    }
)
_TIMEISH = re.compile(r"^\d{1,2}(?:[:.h]\d{2})?(?:am|pm|a|p)?$|^\d{4}-\d{2}-\d{2}", re.IGNORECASE)
_AMBIGUOUS_DAY_WORDS = frozenset({"sat", "sun", "wed", "mar", "march", "may", "jan", "dec"})
_WHENISH = (
    frozenset(MONTHS)
    | frozenset(WEEKDAYS)
    | _TIME_WORDS
    | {
        "ago",
        "just",
        "right",
        "the",
        "of",
        "a",
        "an",
        "one",
        "two",
        "three",
        "four",
        "five",
        "half",
        "couple",
        "few",
        "and",
        "day",
        "after",
        "before",
        "am",
        "pm",
        "around",
        "about",
    }
)
_REL_UNIT = re.compile(r"^(?:\d+(?:\.\d+)?)?(?:s|secs?|seconds?|m|mins?|minutes?|h|hrs?|hours?|d|days?|w|weeks?)$")
_PUNCT_EDGES = "\"'()[]{}<>*_~`"
_TRAILING_STOP = ".,;:!?"


def _core(token: str) -> str:
    """A token without surrounding quotes/brackets/punctuation."""
    return token.strip(_PUNCT_EDGES).rstrip(_TRAILING_STOP).strip(_PUNCT_EDGES)


def _whenish(token: str) -> bool:
    low = _core(token).lower()
    if not low:
        return False
    if low in _WHENISH:
        return True
    if _TIMEISH.match(low) or re.fullmatch(r"\d{1,2}(?:st|nd|rd|th)?|\d{4}", low):
        return True
    return bool(_REL_UNIT.match(low))


# --------------------------------------------------------------------------- when


@dataclass(frozen=True)
class _Found:
    value: datetime | date | AmbiguousWhen
    start: int
    end: int  # exclusive token indices
    text: str = ""  # the phrase read


#: Words that join a time phrase but never make one alone: a span of only these is not tried.
_GLUE = frozenset(
    {"the", "of", "a", "an", "and", "at", "in", "on", "next", "this", "last", "just", "right"}
    | {"around", "about", "after", "before", "ago", "half", "couple", "few"}
)


def _find_when(tokens: list[str], now: datetime, tz: ZoneInfo) -> _Found | None:
    """The best time expression: a full datetime beats a bare day; then longer spans; then earlier.

    Only spans holding a word with a time meaning of its own are tried, and at most
    ``MAX_WHEN_TRIES`` of them per message, so a message of filler words costs little.
    """
    runs: list[tuple[int, int]] = []
    i = 0
    while i < len(tokens):
        if _whenish(tokens[i]):
            j = i
            while j < len(tokens) and _whenish(tokens[j]):
                j += 1
                if tokens[j - 1].rstrip().endswith((".", "!", "?", ";")):
                    break
            runs.append((i, j))
            i = j
        else:
            i += 1
    anchors = [bool(t) and _core(t).lower() not in _GLUE for t in tokens]
    budget = [MAX_WHEN_TRIES]
    best: _Found | None = None
    for start, end in runs:
        found = _best_in_run(tokens, anchors, start, end, now, tz, budget)
        if found is None:
            continue
        if best is None or _rank(found) > _rank(best):
            best = found
    return best


def _rank(found: _Found) -> tuple[int, int, int]:
    full = isinstance(found.value, datetime | AmbiguousWhen)
    return (1 if full else 0, found.end - found.start, -found.start)


_DAY_MARKERS = frozenset({"on", "next", "this", "last"})
_SOFT_FILLERS = frozenset({"at", "the", "in", "of", "a", "an", "and", "just", "about", "around"})


def _only_ambiguous(words: list[str]) -> bool:
    """True for spans such as "sat" or "may" alone, which are more likely verbs than dates.

    "on Sat", "next Wed" and "May 5" stay readable: a day marker or any other word makes the span count.
    """
    lowered = [w.lower() for w in words if w]
    if any(w in _DAY_MARKERS for w in lowered):
        return False
    meaningful = [w for w in lowered if w not in _SOFT_FILLERS]
    return all(w in _AMBIGUOUS_DAY_WORDS for w in meaningful)


def _best_in_run(
    tokens: list[str], anchors: list[bool], start: int, end: int, now: datetime, tz: ZoneInfo, budget: list[int]
) -> _Found | None:
    for length in range(min(end - start, MAX_WHEN_TOKENS), 0, -1):
        for s in range(start, end - length + 1):
            if not any(anchors[s : s + length]):
                continue
            if budget[0] <= 0:
                return None
            budget[0] -= 1
            words = [_core(t) for t in tokens[s : s + length]]
            if _only_ambiguous(words):
                continue
            text = " ".join(w for w in words if w)
            if not text:
                continue
            try:
                value: datetime | date | AmbiguousWhen = parse_when_or_day(text, now=now, tz=tz)
            except AmbiguousWhen as question:
                value = question
            except WhenError:
                continue
            return _Found(value, s, s + length, text)
    return None


# --------------------------------------------------------------------------- company


def _looks_like_name(word: str, *, first: bool, lower: bool = False) -> bool:
    """A word of a company name: capitalised, or (``lower``, a name begun in lower case: "google") any
    word that is not a common one."""
    low = word.lower()
    if low in _STOP_NAMES or low in _TIME_WORDS or low in MONTHS or low in WEEKDAYS:
        return False
    if _TIMEISH.match(low) or re.fullmatch(r"\d+(?:st|nd|rd|th)?", low):
        return False
    if first and low == "the":
        return False
    if word[0].isupper():
        return True
    if word[0].isdigit() and any(ch.isalpha() for ch in word):  # 3M, 23andMe
        return True
    if re.match(r"^[a-z][A-Z]", word):  # eBay, iRobot
        return True
    return lower and word[0].isalpha() and low not in _COMMON_LOWER and low not in _ROLE_WORDS


def _company_after(tokens: list[str], index: int, used: set[int], *, lower: bool = False) -> str | None:
    words: list[str] = []
    for k in range(index + 1, min(len(tokens), index + 1 + MAX_COMPANY_WORDS + 2)):
        if k in used:
            break
        raw = tokens[k]
        word = _core(raw)
        word = re.sub(r"(?:'s|\u2019s)$", "", word)
        if not word:
            break
        if word.lower() in _CONNECTORS and words:
            words.append(word)
            if raw.endswith(tuple(_TRAILING_STOP)):
                break
            continue
        if not _looks_like_name(word, first=not words, lower=lower):
            break
        words.append(word)
        ends_phrase = raw.rstrip(_PUNCT_EDGES).endswith(tuple(_TRAILING_STOP))
        possessive = raw.endswith(("'s", "\u2019s"))
        if ends_phrase or possessive or len(words) >= MAX_COMPANY_WORDS:
            break
    while words and words[-1].lower() in _CONNECTORS:
        words.pop()
    if not words:
        return None
    name = " ".join(words).strip()
    return name[:MAX_COMPANY_CHARS] if name else None


def _find_company(tokens: list[str], used: set[int]) -> str | None:
    """A capitalised name after a trigger word wins; failing that, a name in lower case after "at", "from"
    or "with" ("onsite at google"), as long as its words are not common ones."""
    candidates: list[tuple[int, int, int, str]] = []
    for i, tok in enumerate(tokens):
        low = _core(tok).lower()
        if low not in _TRIGGERS or tok.rstrip().endswith(tuple(_TRAILING_STOP)):
            continue
        name = _company_after(tokens, i, used)
        lowered = 0
        if name is None and low in _LOWER_TRIGGERS and i + 1 < len(tokens) and _core(tokens[i + 1])[:1].islower():
            name, lowered = _company_after(tokens, i, used, lower=True), 1
        if name is None:
            continue
        if low == "for" and any(w.lower() in _ROLE_WORDS for w in name.split()):
            continue
        candidates.append((lowered, _TRIGGERS[low], i, name))
    if not candidates:
        return None
    candidates.sort()
    return candidates[0][3]


# --------------------------------------------------------------------------- notice


def notice(text: str, *, now: datetime, tz: ZoneInfo) -> Noticed | None:
    """Read an interview out of ``text``; None if the text isn't about one.

    ``now`` must be aware; ``tz`` is the user's zone for reading times.
    """
    require_aware(now, "now")
    if not isinstance(text, str):
        return None
    text = text.strip()
    if not text or len(text) > MAX_NOTICE_TEXT:
        return None
    if not (_INTERVIEW_WORD.search(text) or _STRONG_STAGE.search(text) or _GENERIC_STAGE.search(text)):
        return None

    tokens = text.split()
    found = _find_when(tokens, now, tz)
    used = set(range(found.start, found.end)) if found else set()
    company = _find_company(tokens, used)
    if company is None:  # "Initech moved me to the final round on Friday": the name that starts the news
        heard = hear_outcome(text)
        company = heard.company if heard is not None else None
    stage_key = find_stage(text)

    when: datetime | None = None
    day: date | None = None
    question: str | None = None
    if found is not None:
        if isinstance(found.value, AmbiguousWhen):
            question = str(found.value)
        elif isinstance(found.value, datetime):
            when = found.value
        else:
            day = found.value

    if _QUESTION_START.search(text) and company is None and when is None and day is None:
        return None

    said_finished = bool(_FINISHED.search(text))
    if when is not None:
        finished = when <= now
    elif day is not None:
        today = now.astimezone(tz).date()
        finished = day < today or (day == today and said_finished)
    else:
        finished = said_finished

    length: timedelta | None = None
    if finished and when is None and day is None and question is None:
        length = stage(stage_key).typical_length if stage_key else DEFAULT_LENGTH
        when = (now - length).astimezone(UTC)

    tomorrow = None
    if found is not None and when is not None and when <= now and not said_finished:
        tomorrow = _same_time_tomorrow(found.text, now, tz)
    return Noticed(
        company=company,
        when=when,
        stage=stage_key,
        finished=finished,
        day=day,
        length=length,
        tomorrow=tomorrow,
        question=question,
    )


def _same_time_tomorrow(phrase: str, now: datetime, tz: ZoneInfo) -> datetime | None:
    """For a phrase that is a clock time alone ("at 3pm"), the same time tomorrow; None when the phrase
    names a day or a relative time ("today 3pm", "2 hours ago"): reading it with "tomorrow" in front
    then fails, as two days or no time at all."""
    try:
        value = parse_when_or_day(f"tomorrow {phrase}", now=now, tz=tz)
    except WhenError:
        return None
    return value if isinstance(value, datetime) else None
