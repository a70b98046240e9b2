"""The summary card's long sections are split into fields without losing a character."""

from __future__ import annotations

from bot.render import limits


def test_card_pieces_lose_nothing_and_never_split_an_escape() -> None:
    from bot.render.debrief import _pieces
    from bot.render.safe import block

    for text in (block("*" * 3000), block("a*" * 1500), block("word " * 900), "x" * 5000, block("@" * 2000)):
        pieces = _pieces(text)
        assert "".join(pieces) == text
        assert all(0 < len(p) <= limits.FIELD_VALUE for p in pieces)
        assert all((len(p) - len(p.rstrip("\\"))) % 2 == 0 for p in pieces)
