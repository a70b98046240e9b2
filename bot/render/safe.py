"""Showing what a user typed exactly as they typed it, never as the bot's own formatting.

Every render function that puts a user's words (company, role, answers, feedback) into a message or an
embed passes them through :func:`inline` (one line: a name, a role) or :func:`block` (free text that may
span lines). Text going inside a code block (the feedback request template) goes through
:func:`in_code_block` instead, since backslashes are shown literally there.

``discord.utils.escape_markdown`` is not used: it leaves headers (``## x``), subtext (``-# x``), numbered
lists and ``<t:…>``/``<@…>`` markup alone, and its masked-link pattern can backtrack on user text. This
escaper is one pass over the characters, no regular expressions, so it is linear in the text's length.

Discord drops a backslash before any ASCII punctuation when it renders, so an escaped character is shown
as typed. A zero-width space after ``@`` keeps ``@everyone``/``@here`` from looking like a mention (the bot
never pings anyway: ``AllowedMentions.none()``).
"""

from __future__ import annotations

__all__ = ["block", "in_code_block", "inline"]

#: Characters that are markup wherever they appear.
_ANYWHERE = frozenset("\\*_~`|[]<>")
#: Characters that are markup at the start of a line (headers, subtext, quotes, lists).
_LINE_START = frozenset("#->+")
_ZWSP = "\u200b"


def _escape_line(line: str) -> str:
    out: list[str] = []
    at_start = True  # only whitespace so far: a list marker, header or quote would start here
    for i, ch in enumerate(line):
        if ch in _ANYWHERE or (at_start and ch in _LINE_START):
            out.append("\\" + ch)
        elif ch == "@":
            out.append("@" + _ZWSP)
        elif at_start and ch == "." and i > 0 and line[i - 1].isdigit():
            out.append("\\.")  # "1. item" as a numbered list
        else:
            out.append(ch)
        if not (ch.isspace() or ch.isdigit()):
            at_start = False
    return "".join(out)


def block(text: str) -> str:
    """``text`` with its lines kept, escaped so that nothing in it renders as markdown."""
    return "\n".join(_escape_line(line) for line in text.splitlines())


def inline(text: str) -> str:
    """``text`` on one line (line breaks become spaces), escaped so that nothing renders as markdown.

    For names and short fields interpolated into a sentence: a line break there could forge a line of the
    bot's own (a "✅ Offer recorded" status line).
    """
    return _escape_line(" ".join(text.split()))


def in_code_block(text: str) -> str:
    """``text`` made safe to put inside a fenced code block: its backticks can't close the block.

    A zero-width space follows every backtick, so no run of them forms a fence; the text looks the same.
    """
    return text.replace("`", "`" + _ZWSP)
