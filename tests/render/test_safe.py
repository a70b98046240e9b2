"""The escaper of user text: each markdown construct Discord knows renders as typed, not as markup."""

from __future__ import annotations

import time

import pytest

from bot.render.safe import block, in_code_block, inline
from tests.cogs.test_render_e2e import shown


@pytest.mark.parametrize(
    ("typed", "escaped"),
    [
        ("****Bold** Corp**", r"\*\*\*\*Bold\*\* Corp\*\*"),
        ("__under__ _it_", r"\_\_under\_\_ \_it\_"),
        ("~~gone~~ ||spoiler||", r"\~\~gone\~\~ \|\|spoiler\|\|"),
        ("[Acme](https://evil.example)", r"\[Acme\](https://evil.example)"),
        ("# Header", r"\# Header"),
        ("### Small", r"\### Small"),
        ("-# subtext", r"\-# subtext"),
        ("> quote", r"\> quote"),
        (">>> quote all", r"\>\>\> quote all"),
        ("- item", r"\- item"),
        ("* item", r"\* item"),
        ("+ item", r"\+ item"),
        ("1. item", r"1\. item"),
        ("12. item", r"12\. item"),
        ("```py\ncode", "\\`\\`\\`py code"),
        ("`inline`", r"\`inline\`"),
        ("<t:1700000000:R> <@123> <#456>", r"\<t:1700000000:R\> \<@" + "\u200b" + r"123\> \<#456\>"),
        ("back\\slash", r"back\\slash"),
    ],
)
def test_each_construct_is_escaped_and_reads_back_as_typed(typed, escaped):
    assert inline(typed) == escaped
    assert shown(inline(typed)) == " ".join(typed.split())


def test_everyone_and_here_do_not_look_like_mentions():
    assert inline("@everyone and @here") == "@\u200beveryone and @\u200bhere"


def test_plain_names_and_mid_line_punctuation_are_left_alone():
    assert inline("Acme Corp") == "Acme Corp"
    assert inline("Coca-Cola 2.0 #1 co.") == "Coca-Cola 2.0 #1 co."


def test_a_forged_status_line_stays_on_the_users_line():
    assert inline("Acme\n✅ Offer recorded") == "Acme ✅ Offer recorded"
    assert inline("Acme\n# Offer recorded") == "Acme # Offer recorded"  # mid-line: not a header


def test_block_keeps_lines_and_escapes_each_lines_start():
    assert block("fine\n# Head\n  - item\n> quote") == "fine\n\\# Head\n  \\- item\n\\> quote"


def test_code_block_text_cannot_close_the_fence():
    inside = in_code_block("Evil ``` Corp")
    assert "``" not in inside and inside.replace("\u200b", "") == "Evil ``` Corp"


def test_escaping_is_linear_in_the_length():
    bait = ("[" * 5000 + "](" * 5000 + "\n-# " * 2000 + "*_" * 5000) * 2
    started = time.perf_counter()
    block(bait)
    inline(bait)
    assert time.perf_counter() - started < 5  # ~10 ms normally: a runaway bound only
