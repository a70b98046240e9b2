"""Reading an outcome out of a plain sentence, and matching it to the user's own interviews.

"Heard back from Acme, it's a no", "I got rejected by Globex", "Initech moved me to the final round",
"got the offer from Umbrella!".

Like :mod:`bot.coach.noticing`, precise rather than greedy: the bot shows what it read and records
nothing until the user confirms. The rules:

- **The result** comes from fixed phrases, looked for word by word (no pattern ever runs over the
  text): "withdrew" phrases first ("I withdrew", "I turned them down"), then "rejected" ("it's a no",
  "rejected", "not moving forward", "didn't get it", "no offer"), then "offer" ("got the offer",
  "offered me"), then "advanced" ("moved me to", "next round", "made it to"), then "ghosted" ("ghosted",
  "never heard back"). The first kind found wins, so "no offer" is a rejection and "not moving forward"
  is not an advance.
- **The company**: the word(s) after "from", "by", "at" or "with" (any case: "acme" counts, since it
  is matched against the user's own interviews), or the name that starts the sentence just before its
  verb ("Initech moved me ..."). :func:`matching` then looks for it among the user's companies, case
  insensitive, and also for any of the user's companies named anywhere in the text.
- A question ("how do I handle a rejection?") is not read.

Every step is linear in the length of the text; at most ``MAX_TEXT`` characters are read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

__all__ = ["EARLY_RESULTS", "HeardOutcome", "asks_first", "company_key", "hear_outcome", "matching"]

MAX_TEXT = 2000
MAX_COMPANY_WORDS = 4
#: Outcomes that can only follow an interview that has happened: recorded early, they ask first.
EARLY_RESULTS = frozenset({"offer", "advanced", "rejected"})


@dataclass(frozen=True)
class HeardOutcome:
    """An outcome read from a sentence: ``result`` is a result key; ``company`` as written, if found."""

    result: str
    company: str | None


def _phrases(*texts: str) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(text.split()) for text in texts)


#: In order of precedence: the first kind with a phrase in the text is the result.
_RESULT_PHRASES: tuple[tuple[str, tuple[tuple[str, ...], ...]], ...] = (
    (
        "withdrew",
        _phrases(
            "i withdrew",
            "withdrew my application",
            "i pulled out",
            "i declined the",
            "i declined their",
            "i declined it",
            "i declined them",
            "i turned them down",
            "i turned down",
            "i rejected",
        ),
    ),
    (
        "rejected",
        _phrases(
            # An offer taken back is a rejection, whatever the word "offer" after it suggests.
            "withdrew the offer",
            "withdrawn the offer",
            "pulled the offer",
            "took back the offer",
            "offer was withdrawn",
            "offer withdrawn",
            "rescinded",
            "retracted",
            "it's a no",
            "its a no",
            "it is a no",
            "it was a no",
            "was a no",
            "a no from",
            "rejected",
            "rejection",
            "turned me down",
            "said no",
            "didn't get",
            "didnt get",
            "did not get",
            "not moving forward",
            "not move forward",
            "not be moving forward",
            "not proceeding",
            "not to proceed",
            "not progressing",
            "unsuccessful",
            "not successful",
            "not selected",
            "declined me",
            "passed on me",
            "another candidate",
            "other candidates",
            "no offer",
            "didn't make it",
            "did not make it",
        ),
    ),
    (
        "offer",
        _phrases(
            "the offer",
            "an offer",
            "got offer",
            "offered me",
            "gave me an offer",
            "got the job",
            "got the role",
            "got the position",
        ),
    ),
    (
        "advanced",
        _phrases(
            "moved me to",
            "moved me on",
            "moved me forward",
            "moving me to",
            "moving me on",
            "moving me forward",
            "moving forward with me",
            "moved on to",
            "moving on to",
            "next round",
            "next stage",
            "next step",
            "through to",
            "made it to",
            "advanced",
            "progressed",
            "invited me to",
            "i passed",
            "passed the",
            "got through",
        ),
    ),
    ("ghosted", _phrases("ghosted", "never heard back", "never got back")),
)

_TRIGGERS = frozenset({"from", "by", "at", "with"})
#: Verbs that may follow a company named first ("Initech moved me", "Acme said no").
_SUBJECT_VERBS = frozenset(
    {
        "moved",
        "withdrew",
        "pulled",
        "rescinded",
        "retracted",
        "is",
        "are",
        "has",
        "have",
        "just",
        "rejected",
        "ghosted",
        "offered",
        "turned",
        "passed",
        "said",
        "declined",
        "advanced",
        "invited",
        "got",
        "came",
        "sent",
        "called",
        "emailed",
        "gave",
        "made",
        "wants",
        "want",
        "decided",
        "extended",
        "finally",
        "never",
        "didn't",
        "did",
        "won't",
        "will",
    }
)
_NOT_NAMES_TEXT = (
    "i i'm im i've we me my you your they them their he she it it's its this that these those a an "
    "the and or but so then well just finally today yesterday heard news update good bad sadly unfortunately "
    "yay woo woohoo omg ok okay hey hi got get back recruiter recruiters hr team company interviewer "
    "interviewers manager hiring people everyone nobody someone email call phone interview interviews "
    "round offer job role position no yes not after before for on in to into about over via because "
    "since as when while tonight tomorrow last week morning afternoon evening earlier again too also "
    "already now yet monday tuesday wednesday thursday friday saturday sunday"
)
#: Words that never start or continue a company name in an outcome sentence.
_NOT_NAMES = frozenset(_NOT_NAMES_TEXT.split())
_QUESTION_WORDS = frozenset(
    {"how", "what", "why", "which", "should", "could", "can", "is", "are", "do", "does", "any", "tips", "advice"}
)
_EDGE = "\"'()[]{}<>*_~`"
_STOP = ".,;:!?"


@dataclass(frozen=True)
class _Word:
    low: str  # lower case, without surrounding punctuation, apostrophes straightened
    shown: str  # as written, without surrounding punctuation
    ends: bool  # punctuation after it ends a phrase


def _words(text: str) -> list[_Word]:
    words: list[_Word] = []
    for raw in text.replace("\u2019", "'").split():
        core = raw.strip(_EDGE)
        ends = core.endswith(tuple(_STOP)) or raw.rstrip(_EDGE).endswith(tuple(_STOP))
        core = core.rstrip(_STOP).strip(_EDGE).lstrip(_STOP)
        if core:
            words.append(_Word(core.lower(), core, ends))
        elif words and ends:  # "Acme ." or a lone "-"
            last = words[-1]
            words[-1] = _Word(last.low, last.shown, True)
    return words


#: Words that make what follows a hope, not news: "still waiting on an offer", "hoping for the next round".
_HEDGES = frozenset({"waiting", "wait", "hoping", "hope", "hopefully", "expecting", "expect", "if", "whether"})
#: How many words before a phrase a hedge reaches ("expecting to hear if Globex moved me to the next round").
HEDGE_REACH = 6
#: Results that a hedge turns into no news (a rejection told with "if" is still a rejection: "not sure if
#: I should ask why they said no").
_HEDGEABLE = frozenset({"offer", "advanced"})


def _told(lows: list[str], phrase: tuple[str, ...], hedgeable: bool) -> bool:
    """``phrase`` is in the text, and (for a hedgeable result) not right after a hedge."""
    n = len(phrase)
    for i in range(len(lows) - n + 1):
        hedged = hedgeable and _HEDGES.intersection(lows[max(0, i - HEDGE_REACH) : i])
        if lows[i] == phrase[0] and tuple(lows[i : i + n]) == phrase and not hedged:
            return True
    return False


def _result(lows: list[str]) -> str | None:
    for key, phrases in _RESULT_PHRASES:
        if any(_told(lows, phrase, key in _HEDGEABLE) for phrase in phrases):
            return key
    return None


def _name_from(words: list[_Word], start: int) -> str | None:
    taken: list[str] = []
    for word in words[start : start + MAX_COMPANY_WORDS]:
        if word.low in _NOT_NAMES or word.low in _SUBJECT_VERBS or not any(ch.isalnum() for ch in word.low):
            break
        possessive = word.low.endswith("'s") and len(word.low) > 2  # "Acme's recruiter"
        taken.append(word.shown[:-2] if possessive else word.shown)
        if word.ends or possessive:
            break
    return " ".join(taken) or None


def _company(words: list[_Word]) -> str | None:
    for i, word in enumerate(words[:-1]):
        if word.low in _TRIGGERS and not word.ends:
            name = _name_from(words, i + 1)
            if name:
                return name
    # "Initech moved me to the final round": a name first, then its verb.
    for end in range(1, min(len(words), MAX_COMPANY_WORDS + 1)):
        if words[end].low in _SUBJECT_VERBS:
            name = _name_from(words, 0)
            if name and len(name.split()) == end and not words[end - 1].ends:
                return name
            break
    return None


def hear_outcome(text: str) -> HeardOutcome | None:
    """The outcome ``text`` tells of, with the company if named; None if it tells of none."""
    if not isinstance(text, str):
        return None
    text = text.strip()
    if not text or len(text) > MAX_TEXT:
        return None
    words = _words(text)
    if not words or (words[0].low in _QUESTION_WORDS and text.endswith("?")):
        return None
    result = _result([w.low for w in words])
    if result is None:
        return None
    return HeardOutcome(result, _company(words))


def company_key(name: str) -> str:
    """A company name as compared: lower case, words only ("Acme, Inc." and "acme inc" are one)."""
    return " ".join(w.low for w in _words(name))


def matching(heard: HeardOutcome, text: str, companies: list[str]) -> list[str]:
    """The user's ``companies`` the outcome is about: the one named (case insensitive, or a longer name
    that starts with it: "acme" finds "Acme Corp"); failing that, each company the text names anywhere.
    In the order given, without repeats."""
    keyed = {}
    for company in companies:
        keyed.setdefault(company_key(company), company)
    keyed.pop("", None)
    if heard.company:
        said = company_key(heard.company)
        if said in keyed:
            return [keyed[said]]
        longer = [name for key, name in keyed.items() if key.startswith(said + " ")]
        if longer:
            return longer
    said_words = [w.low[:-2] if w.low.endswith("'s") else w.low for w in _words(text[:MAX_TEXT])]
    padded = f" {' '.join(said_words)} "
    return [name for key, name in keyed.items() if f" {key} " in padded]


def asks_first(result: str, starts_at: datetime, now: datetime) -> bool:
    """Whether recording ``result`` should be confirmed first: an offer, an advance or a rejection for an
    interview that has not started yet is more likely a slip than news."""
    return result in EARLY_RESULTS and starts_at > now
