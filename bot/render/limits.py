"""Discord's size limits, and fitting text inside them: the one place replies are kept deliverable.

A reply Discord refuses reaches the user as "Something went wrong" even though their data was saved, so
every render function whose text can grow with the user's data ends in :func:`fit` (message content) or
:func:`fit_embed` (an embed's parts). Cuts happen at a line break where there is one, and say how much
was left out ("… and 12 more lines"); a cut never leaves half of a backslash escape behind.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = [
    "BUTTON_LABEL",
    "CONTENT",
    "EMBED_DESCRIPTION",
    "EMBED_FIELDS",
    "EMBED_FOOTER",
    "EMBED_TITLE",
    "EMBED_TOTAL",
    "FIELD_NAME",
    "FIELD_VALUE",
    "MODAL_LABEL",
    "MODAL_TITLE",
    "OPTION_DESCRIPTION",
    "OPTION_LABEL",
    "PLACEHOLDER",
    "SELECT_OPTIONS",
    "clip",
    "fit",
    "fit_embed",
]

CONTENT = 2000
EMBED_TITLE = 256
EMBED_DESCRIPTION = 4096
FIELD_NAME = 256
FIELD_VALUE = 1024
EMBED_FIELDS = 25
EMBED_FOOTER = 2048
EMBED_TOTAL = 6000
SELECT_OPTIONS = 25
OPTION_LABEL = 100
OPTION_DESCRIPTION = 100
BUTTON_LABEL = 80
MODAL_TITLE = 45
MODAL_LABEL = 45
PLACEHOLDER = 100

ELLIPSIS = "…"


def _whole_escapes(text: str) -> str:
    """``text`` without a trailing lone backslash (half of an escape cut in two)."""
    trailing = len(text) - len(text.rstrip("\\"))
    return text[:-1] if trailing % 2 else text


def clip(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, ending in "…" when cut (at a space when one is near)."""
    text = text.strip()
    if len(text) <= limit:
        return text
    if limit <= 1:
        return ELLIPSIS[:limit]
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > (limit * 3) // 4:
        cut = cut[:space]
    return _whole_escapes(cut.rstrip()) + ELLIPSIS


def _more(n: int) -> str:
    return f"… and {n} more {'line' if n == 1 else 'lines'}"


def fit(text: str, limit: int = CONTENT) -> str:
    """``text`` cut at a line break to fit in ``limit`` characters, ending in "… and N more lines".

    When even the first line is too long, it is clipped on its own.
    """
    if len(text) <= limit:
        return text
    lines = text.split("\n")
    if len(lines) == 1:
        return clip(text, limit)
    kept: list[str] = []
    used = -1  # no newline before the first line
    for i, line in enumerate(lines):
        marker = _more(len(lines) - i)
        if used + 1 + len(line) + 1 + len(_more(len(lines) - i - 1)) > limit:
            if not kept:
                marker = _more(len(lines) - 1)
                kept.append(clip(line, max(limit - len(marker) - 1, 1)))
            return "\n".join([*kept, marker])[:limit]
        kept.append(line)
        used += 1 + len(line)
    return "\n".join(kept)  # pragma: no cover - the text was longer than the limit


def fit_embed(
    title: str, description: str, fields: Sequence[tuple[str, str]], footer: str
) -> tuple[str, str, list[tuple[str, str]], str]:
    """An embed's parts fitted to every limit: each part's own, 25 fields, and 6,000 characters in all.

    Fields that don't fit in the total are left out and the footer says how many.
    """
    title = clip(title, EMBED_TITLE)
    description = fit(description, EMBED_DESCRIPTION)
    fitted = [(clip(n, FIELD_NAME), fit(v, FIELD_VALUE)) for n, v in fields if n.strip() and v.strip()]
    footer = clip(footer, EMBED_FOOTER - 40)
    used = len(title) + len(description) + len(footer) + 40  # room for the "N more" note in the footer
    kept: list[tuple[str, str]] = []
    for name, value in fitted:
        if len(kept) == EMBED_FIELDS or used + len(name) + len(value) > EMBED_TOTAL:
            break
        kept.append((name, value))
        used += len(name) + len(value)
    left = len(fitted) - len(kept)
    if left:
        footer += f" · {left} more {'part' if left == 1 else 'parts'} left out"
    return title, description, kept, footer
