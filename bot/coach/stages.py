"""Interview stages and outcomes, as data.

Each stage has a stable ``key`` (stored in the database and used as a slash
command choice value), a short ``label`` for people, the ``synonyms`` that
:mod:`bot.coach.noticing` looks for in plain sentences, and a
``typical_length`` used when someone says an interview "just finished"
without giving a time.

Outcomes (``RESULTS``) follow the same shape: ``key`` and ``label``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from functools import cache

__all__ = [
    "RESULTS",
    "RESULT_KEYS",
    "STAGES",
    "STAGE_KEYS",
    "Result",
    "Stage",
    "find_stage",
    "result",
    "result_label",
    "stage",
    "stage_label",
    "stage_named",
]


@dataclass(frozen=True)
class Stage:
    """One interview stage."""

    key: str
    label: str
    synonyms: tuple[str, ...]
    typical_length: timedelta


@dataclass(frozen=True)
class Result:
    """One outcome of an interview."""

    key: str
    label: str


STAGES: tuple[Stage, ...] = (
    Stage(
        "recruiter_screen",
        "Recruiter screen",
        (
            "recruiter screen",
            "recruiter call",
            "recruiter chat",
            "recruiter interview",
            "call with the recruiter",
            "chat with the recruiter",
            "call with a recruiter",
            "recruiter",
            "phone screen",
            "phone screening",
            "phone interview",
            "screening call",
            "screening interview",
            "intro call",
            "introductory call",
            "initial call",
            "hr call",
            "hr screen",
            "hr interview",
            "talent call",
            "screening",
        ),
        timedelta(minutes=30),
    ),
    Stage(
        "technical",
        "Technical",
        (
            "technical interview",
            "technical round",
            "technical screen",
            "technical call",
            "tech interview",
            "tech screen",
            "tech round",
            "coding interview",
            "coding round",
            "coding challenge",
            "coding test",
            "live coding",
            "pair programming",
            "pairing interview",
            "pairing session",
            "whiteboard interview",
            "algorithms interview",
            "technical",
        ),
        timedelta(minutes=60),
    ),
    Stage(
        "take_home_review",
        "Take-home review",
        (
            "take-home review",
            "take home review",
            "takehome review",
            "take-home debrief",
            "assignment review",
            "project review",
            "take-home",
            "take home",
            "takehome",
        ),
        timedelta(minutes=60),
    ),
    Stage(
        "system_design",
        "System design",
        (
            "system design",
            "systems design",
            "system-design",
            "architecture interview",
            "architecture round",
            "design interview",
        ),
        timedelta(minutes=60),
    ),
    Stage(
        "behavioural",
        "Behavioural",
        (
            "behavioural interview",
            "behavioral interview",
            "behavioural round",
            "behavioral round",
            "behavioural",
            "behavioral",
            "culture fit",
            "cultural fit",
            "culture interview",
            "values interview",
            "competency interview",
        ),
        timedelta(minutes=45),
    ),
    Stage(
        "onsite_final",
        "Onsite / final",
        (
            "final round",
            "final interview",
            "final stage",
            "last round",
            "final-round",
            "onsite",
            "on-site",
            "on site interview",
            "superday",
            "interview loop",
            "virtual onsite",
        ),
        timedelta(hours=3),
    ),
    Stage("other", "Other", (), timedelta(minutes=60)),
)

STAGE_KEYS: tuple[str, ...] = tuple(s.key for s in STAGES)

RESULTS: tuple[Result, ...] = (
    Result("advanced", "Advanced to the next step"),
    Result("offer", "Offer"),
    Result("rejected", "Rejected"),
    Result("ghosted", "Ghosted (no reply)"),
    Result("withdrew", "Withdrew"),
)

RESULT_KEYS: tuple[str, ...] = tuple(r.key for r in RESULTS)

_STAGE_BY_KEY = {s.key: s for s in STAGES}
_RESULT_BY_KEY = {r.key: r for r in RESULTS}


def stage(key: str) -> Stage:
    """Return the :class:`Stage` for ``key``; raise ``KeyError`` for an unknown key."""
    try:
        return _STAGE_BY_KEY[key]
    except KeyError:
        raise KeyError(f"unknown stage {key!r}; expected one of {', '.join(STAGE_KEYS)}") from None


def stage_label(key: str) -> str:
    """Return the label for a stage key ("technical" -> "Technical"); ``KeyError`` if unknown."""
    return stage(key).label


def result(key: str) -> Result:
    """Return the :class:`Result` for ``key``; raise ``KeyError`` for an unknown key."""
    try:
        return _RESULT_BY_KEY[key]
    except KeyError:
        raise KeyError(f"unknown result {key!r}; expected one of {', '.join(RESULT_KEYS)}") from None


def result_label(key: str) -> str:
    """Return the label for an outcome key ("ghosted" -> "Ghosted (no reply)")."""
    return result(key).label


@cache
def _synonym_patterns() -> tuple[tuple[re.Pattern[str], str, str], ...]:
    """All synonyms as word-bounded patterns, longest first (so "final round" beats "technical")."""
    pairs = [(syn, s.key) for s in STAGES for syn in s.synonyms]
    pairs.sort(key=lambda p: len(p[0]), reverse=True)
    out = []
    for syn, key in pairs:
        body = r"[\s-]+".join(re.escape(word) for word in re.split(r"[\s-]+", syn))
        out.append((re.compile(rf"(?<![\w-]){body}(?![\w-])", re.IGNORECASE), key, syn))
    return tuple(out)


def find_stage(text: str) -> str | None:
    """Return the stage key whose longest synonym occurs in ``text``, or None.

    Matching is case-insensitive, on whole words, and treats spaces and
    hyphens alike ("take home" == "take-home"). The longest matching synonym
    wins, so "final round technical" is an onsite/final stage.
    """
    for pattern, key, _syn in _synonym_patterns():
        if pattern.search(text):
            return key
    return None


#: The longest text :func:`stage_named` reads.
MAX_STAGE_TEXT = 100


def stage_named(text: str) -> str | None:
    """The stage a form field names: its label or key exactly (any case, "Other" included, which no
    sentence is read as), else the longest synonym found by :func:`find_stage`; None if neither."""
    if len(text) > MAX_STAGE_TEXT:
        return None  # a form's stage field holds 40 characters; longer is no stage name
    wanted = " ".join(text.split()).casefold()
    if not wanted:
        return None
    for s in STAGES:
        if wanted in (s.label.casefold(), s.key.casefold(), s.key.replace("_", " ").casefold()):
            return s.key
    return find_stage(wanted)
