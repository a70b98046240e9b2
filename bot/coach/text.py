"""Validation of text that people type: company names, roles, answers, feedback.

The rules are simple and the messages name the field and the limit:

- Leading and trailing whitespace is removed.
- Empty text, whitespace only, or text made only of emoji, punctuation
  and symbols is refused: there has to be at least one letter or digit.
  Discord custom emoji (``<:name:123>``) and ``:shortcodes:`` don't count
  as words.
- Text longer than the field's limit is refused, with the number of
  characters to cut.

Otherwise the text is returned as given (after stripping): markdown and
mentions are kept as plain text. The bot never pings, so nothing is escaped
here; escaping for display belongs to the rendering layer.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = [
    "MAX_ANSWER",
    "MAX_COMPANY",
    "MAX_FEEDBACK",
    "MAX_ROLE",
    "TextError",
    "clean_answer",
    "clean_company",
    "clean_feedback",
    "clean_role",
    "clean_text",
    "has_words",
]

MAX_COMPANY = 100
MAX_ROLE = 100
MAX_ANSWER = 4000
MAX_FEEDBACK = 4000

_CUSTOM_EMOJI = re.compile(r"<a?:[A-Za-z0-9_~]{1,32}:\d{5,25}>")
_SHORTCODE = re.compile(r":[A-Za-z0-9_+\-]{1,40}:")


class TextError(ValueError):
    """Typed text can't be used; ``str(err)`` is a message fit to show the user."""

    def __init__(self, message: str, *, field: str, reason: str) -> None:
        super().__init__(message)
        self.field = field
        self.reason = reason  # "empty" | "no_words" | "too_long" | "not_text"


def has_words(text: str) -> bool:
    """True if ``text`` contains at least one letter or digit (in any script).

    Emoji, punctuation, symbols, Discord custom emoji and ``:shortcodes:``
    don't count.
    """
    if not isinstance(text, str):
        return False
    stripped = _SHORTCODE.sub(" ", _CUSTOM_EMOJI.sub(" ", text))
    return any(ch.isalnum() and unicodedata.category(ch)[0] in ("L", "N") for ch in stripped)


def clean_text(text: str, *, max_len: int, field: str, skippable: bool = True) -> str:
    """Strip ``text`` and check it for the field ``field`` (e.g. "company name").

    ``skippable`` says the user may leave the field out (a debrief step, a role), so the message for
    empty text offers that; a company name or feedback can't be skipped, and their messages don't say so.

    Returns the stripped text. Raises :class:`TextError` if it's empty, has no
    words, or is longer than ``max_len`` characters.
    """
    if not isinstance(text, str):
        raise TextError(f"The {field} needs to be text.", field=field, reason="not_text")
    stripped = text.strip()
    if not stripped:
        ask = "Type a few words, or skip it." if skippable else "Type a few words."
        raise TextError(f"The {field} is empty. {ask}", field=field, reason="empty")
    if not has_words(stripped):
        raise TextError(f"The {field} needs some words, not only emoji or punctuation.", field=field, reason="no_words")
    if len(stripped) > max_len:
        over = len(stripped) - max_len
        raise TextError(
            f"The {field} is {len(stripped):,} characters; the limit is {max_len:,}. "
            f"Please cut about {over:,} {'character' if over == 1 else 'characters'}.",
            field=field,
            reason="too_long",
        )
    return stripped


def clean_company(text: str) -> str:
    """A company name: 1-100 characters with at least one letter or digit."""
    return clean_text(text, max_len=MAX_COMPANY, field="company name", skippable=False)


def clean_role(text: str) -> str:
    """A role title: 1-100 characters with at least one letter or digit."""
    return clean_text(text, max_len=MAX_ROLE, field="role")


def clean_answer(text: str) -> str:
    """A debrief answer: 1-4000 characters with at least one letter or digit."""
    return clean_text(text, max_len=MAX_ANSWER, field="answer")


def clean_feedback(text: str) -> str:
    """Feedback received from a company: 1-4000 characters with at least one letter or digit."""
    return clean_text(text, max_len=MAX_FEEDBACK, field="feedback", skippable=False)
