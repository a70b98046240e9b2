"""Common words that follow "at", "from" or "with" in a sentence without being a company ("with them",
"at least", "from home"). :mod:`bot.coach.noticing` reads a name written in lower case ("onsite at
google") only when its words are not among these."""

from __future__ import annotations

_COMMON_TEXT = (
    "them him her us someone somebody anyone everyone people person friend friends my our your their his "
    "the a an this that these those some any one two three all both each least last first once length "
    "then later again soon video phone camera zoom meet google-meet hiring hr engineering product sales "
    "panel company startup startup's agency firm bank recruiting talent ceo cto founder founders boss "
    "director vp head staff senior junior principal my-team team manager managers interviewers interviewer "
    "questions question code coding whiteboard pairing home work school university college uni lunch "
    "dinner coffee breakfast nerves anxiety"
)

COMMON_LOWER = frozenset(_COMMON_TEXT.split())
