"""The text of ``/help``."""

from __future__ import annotations

from collections.abc import Iterable

INTRO = (
    "Debrief helps you learn from each interview while it is fresh, and from the rejections too.\n"
    "Tell me about an interview and I'll check in a few hours after it ends (never in your quiet hours) "
    "to walk you through a short debrief: what they asked, what went well, where you stumbled, and one "
    "thing to change next time. After a rejection I give you a short reset window, check in once, and "
    "help you ask for feedback."
)

HOW_TO_START = (
    "**Start here:** `/interview log` with the company and when it is, or just DM me in plain words, "
    'like "onsite at Acme tomorrow 2pm", or send me the calendar invite (an `.ics` file). Your notes stay '
    "private: they only appear in our DMs or in "
    "replies only you can see."
)


def command_lines(commands: Iterable[tuple[str, str]]) -> list[str]:
    """One line per command: ``/name`` — description, sorted by name."""
    return [f"`/{name}` — {description}" for name, description in sorted(commands)]
