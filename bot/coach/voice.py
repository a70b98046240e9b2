"""Keeping the bot's voice calm and plain.

The voice is a calm, experienced peer: brief, warm, direct and specific. It
doesn't shout (no exclamation marks), doesn't reach for platitudes, doesn't
use therapy language, and always points at a next step. :func:`voice_problems`
checks a string against the mechanical part of that; the test suite runs it
over every user-facing string in :mod:`bot.coach`.
"""

from __future__ import annotations

import re

__all__ = ["BANNED_PHRASES", "plural", "voice_problems"]

BANNED_PHRASES: tuple[str, ...] = (
    "everything happens for a reason",
    "don't worry",
    "dont worry",
    "do not worry",
    "you've got this",
    "you got this",
    "journey",
    "self-care",
    "self care",
    "trauma",
    "heal",
    "amazing",
    "awesome",
    "stay positive",
    "good vibes",
    "believe in yourself",
    "no worries",
    "it's all good",
    "failure is not an option",
    "rockstar",
    "ninja",
    "crush it",
    "hang in there",
)

_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (
        phrase,
        re.compile(
            r"(?<![a-z])" + re.escape(phrase).replace("'", "['\u2019]") + (r"(?:s|ed|ing|er)?(?![a-z])"),
            re.IGNORECASE,
        ),
    )
    for phrase in BANNED_PHRASES
)


def voice_problems(text: str) -> list[str]:
    """Return what's wrong with ``text`` in the bot's voice; an empty list means it's fine."""
    problems: list[str] = []
    if "!" in text.replace("<!", "").replace("!=", ""):
        problems.append("contains an exclamation mark")
    for phrase, pattern in _PATTERNS:
        if pattern.search(text):
            problems.append(f"uses the phrase {phrase!r}")
    return problems


def plural(n: int, one: str, many: str | None = None) -> str:
    """``plural(1, "day")`` -> "1 day"; ``plural(3, "day")`` -> "3 days"."""
    return f"{n} {one if n == 1 else (many or one + 's')}"
