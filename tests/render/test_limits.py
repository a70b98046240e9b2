"""Fitting text inside Discord's limits: cut at a line, honest about what was left out."""

from __future__ import annotations

from bot.render import limits
from bot.render.safe import inline


def test_short_text_is_untouched():
    assert limits.fit("a\nb") == "a\nb"


def test_long_text_is_cut_at_a_line_and_counts_the_rest():
    text = "\n".join(f"line {n} " + "x" * 90 for n in range(100))
    cut = limits.fit(text)
    kept = cut.splitlines()[:-1]
    assert len(cut) <= limits.CONTENT
    assert kept == text.splitlines()[: len(kept)]
    assert cut.splitlines()[-1] == f"… and {100 - len(kept)} more lines"


def test_one_long_line_is_clipped_with_an_ellipsis():
    cut = limits.fit("word " * 1000)
    assert len(cut) <= limits.CONTENT and cut.endswith("…")


def test_a_clip_never_leaves_half_an_escape():
    escaped = inline("*" * 300)
    for limit in range(2, 60):
        cut = limits.clip(escaped, limit)
        assert len(cut) <= limit
        body = cut.removesuffix("…")
        assert (len(body) - len(body.rstrip("\\"))) % 2 == 0


def test_an_embed_is_fitted_to_every_limit():
    fields = [(f"name {n} " + "n" * 300, "v" * 2000) for n in range(40)]
    title, description, kept, footer = limits.fit_embed("t" * 300, "d\n" * 3000, fields, "f")
    assert len(title) <= limits.EMBED_TITLE and len(description) <= limits.EMBED_DESCRIPTION
    assert all(len(n) <= limits.FIELD_NAME and len(v) <= limits.FIELD_VALUE for n, v in kept)
    assert len(kept) <= limits.EMBED_FIELDS
    total = len(title) + len(description) + len(footer) + sum(len(n) + len(v) for n, v in kept)
    assert total <= limits.EMBED_TOTAL
    assert footer.endswith(f"{40 - len(kept)} more parts left out")
