"""Every parser of user text runs in linear time, even on hostile input.

Each parser is fed adversarial text up to its length cap (and well past it, which the cap must
refuse quickly): long whitespace runs, repeated separators, "Q:" + spaces + "a" * n, runs of
digits that never meet a unit, nested-quantifier bait, non-ASCII digits. A single call taking more
than a second is a runaway (normal calls take well under 10 ms), so the bound is generous and
only catches backtracking blow-ups, never ordinary slowness.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

import pytest

from bot.coach import durations, feedback, noticing, outcome_words, script, stages, text, waking, when, zones
from tests.coach.conftest import BERLIN, NOW

RUNAWAY_SECONDS = 1.0


def _fill(unit: str, length: int, *, head: str = "", tail: str = "") -> str:
    """``head`` + ``unit`` repeated + ``tail``, exactly ``length`` characters long."""
    room = max(0, length - len(head) - len(tail))
    body = (unit * (room // len(unit) + 1))[:room]
    return head + body + tail


def hostile_inputs(length: int) -> Iterator[tuple[str, str]]:
    """(label, text) pairs of ``length`` characters built to provoke backtracking."""
    half = length // 2
    yield "Q: spaces then a", "Q:" + " " * half + "a" * (length - half - 2)
    yield "q: repeated ' a'", _fill(" a", length, head="q:")
    yield "q: repeated ' a '", _fill(" a ", length, head="Q:")
    yield "q: a- tabs", _fill("\t a\t", length, head="q)")
    yield "q/a separators", _fill("q: a: ", length)
    yield "spaces", " " * length
    yield "spaces then x", _fill(" ", length, tail="x")
    yield "mixed whitespace", _fill("\t \u00a0\u2003", length, tail="!")
    yield "digits then bang", _fill("1", length, tail="!")
    yield "digits dots", _fill("1.", length, tail="x")
    yield "digit space", _fill("1 ", length, tail="!")
    yield "dots then x", _fill(".", length, tail="x")
    yield "bangs then x", _fill("!", length, tail="x")
    yield "colons", ":" * length
    yield "dashes", _fill("-", length, tail="x")
    yield "dash spaces", _fill(" - ", length, tail="x")
    yield "letters", "a" * length
    yield "letters then bang", _fill("a", length, tail="!")
    yield "brackets", _fill("[(", length, tail="x")
    yield "check marks", _fill(" [check later]", length)
    yield "bullets", _fill("- ", length, tail="x")
    yield "numbered", _fill("1", length, head="", tail=")")
    yield "and runs", _fill(" and", length)
    yield "to runs", _fill("1 to ", length)
    yield "am pm", _fill("1 p", length)
    yield "hour and a", _fill("hour and a ", length)
    yield "couple of", _fill("a couple of ", length)
    yield "o'clock", _fill("o'clock ", length)
    yield "sentence", _fill("final round with Acme on Thursday 3pm ", length)
    yield "just had", _fill("just had my phone screen with Globex ", length)
    yield "interview words", _fill("interview ", length)
    yield "capitals", _fill("Acme ", length, head="interview with ")
    yield "apostrophes", _fill("'s", length, head="onsite at Acme")
    yield "arabic digits", "\u0661" * length
    yield "fullwidth digits", _fill("\uff11", length, tail="h")
    yield "slashes", _fill("1/", length, tail="x")
    yield "plus signs", _fill("+", length, tail="x")
    yield "utc plus", _fill("utc+", length)
    yield "gmt offsets", _fill("GMT+1 ", length)
    yield "emoji shortcodes", _fill(":a", length)
    yield "custom emoji bait", _fill("<a:x:1", length)
    yield "newlines", _fill("q:\n", length)
    yield "blank lines", _fill(" \n", length, tail="x")
    yield "hyphen words", _fill("phone- ", length, tail="x")
    yield "word hyphens", _fill("a'-", length)
    yield "outcome words", _fill("it's a no from Acme ", length)
    yield "outcome phrase prefixes", _fill("not moving not ", length)


def _question_step() -> script.Step:
    return next(s for s in script.STEPS if s.kind == "questions")


def _parsers() -> Iterator[tuple[str, Callable[[str], object], int]]:
    """(name, call, length cap) for every parser that reads user text."""
    yield "typed questions list", lambda s: script.parse_typed_answer(_question_step(), s), script.MAX_TYPED
    for step in script.STEPS:
        if step.kind != "questions":
            yield (
                f"typed answer {step.key}",
                (lambda st: lambda s: script.parse_typed_answer(st, s))(step),
                (script.MAX_TYPED),
            )
    yield "when", lambda s: when.parse_when(s, now=NOW, tz=BERLIN), when.MAX_WHEN_TEXT
    yield "when or day", lambda s: when.parse_when_or_day(s, now=NOW, tz=BERLIN), when.MAX_WHEN_TEXT
    yield "clock time", when.parse_clock_time, when.MAX_WHEN_TEXT
    yield "duration", durations.parse_duration, durations.MAX_DURATION_TEXT
    yield "zone", zones.resolve_zone, zones.MAX_ZONE_TEXT
    yield "zone suggestions", zones.suggest_zones, zones.MAX_ZONE_TEXT
    yield "quiet hours", waking.parse_quiet_hours, waking.MAX_QUIET_TEXT
    yield "settings clock", waking.parse_clock, waking.MAX_QUIET_TEXT
    yield "noticing", lambda s: noticing.notice(s, now=NOW, tz=BERLIN), noticing.MAX_NOTICE_TEXT
    yield "stage", stages.find_stage, noticing.MAX_NOTICE_TEXT
    yield "outcome", outcome_words.hear_outcome, outcome_words.MAX_TEXT
    yield (
        "outcome matching",
        lambda s: outcome_words.matching(outcome_words.HeardOutcome("rejected", s[:200]), s, [s[:100]] * 500),
        outcome_words.MAX_TEXT,
    )
    yield "feedback similarity", lambda s: feedback.similarity(s, s[::-1]), text.MAX_FEEDBACK
    yield "feedback topics", feedback.feedback_topics, text.MAX_FEEDBACK
    yield "clean answer", text.clean_answer, text.MAX_ANSWER


PARSERS = list(_parsers())


def _timed(call: Callable[[str], object], value: str) -> float:
    started = time.perf_counter()
    try:
        call(value)
    except (ValueError, script.AnswerError):
        pass  # refusing hostile text is fine; taking long over it is not
    return time.perf_counter() - started


@pytest.mark.parametrize(("name", "call", "cap"), PARSERS, ids=[p[0] for p in PARSERS])
def test_parser_stays_linear_on_hostile_input(name: str, call: Callable[[str], object], cap: int) -> None:
    slow: list[str] = []
    for length in (cap, cap * 10):
        for label, value in hostile_inputs(length):
            took = _timed(call, value)
            if took > RUNAWAY_SECONDS:
                slow.append(f"{label} ({len(value)} chars): {took:.1f} s")
    assert not slow, f"{name} ran away on: {'; '.join(slow)}"


def test_every_cap_is_a_real_bound() -> None:
    """Past its cap a parser refuses with a message that says so, rather than parsing."""
    step = _question_step()
    with pytest.raises(script.AnswerError, match="characters"):
        script.parse_typed_answer(step, "Q: fine A: yes\n" * 1000)
    with pytest.raises(when.WhenError, match="too long"):
        when.parse_when("tomorrow 3pm " + " " * when.MAX_WHEN_TEXT, now=NOW, tz=BERLIN)
    with pytest.raises(ValueError, match="characters"):
        durations.parse_duration("1h" * durations.MAX_DURATION_TEXT)
    with pytest.raises(zones.ZoneError, match="characters"):
        zones.resolve_zone("Berlin" * zones.MAX_ZONE_TEXT)
    assert zones.suggest_zones("Berlin" * zones.MAX_ZONE_TEXT) == []
    with pytest.raises(ValueError, match="characters"):
        waking.parse_quiet_hours("22:00-08:00" + " " * waking.MAX_QUIET_TEXT)
    assert noticing.notice("final round with Acme tomorrow 3pm " * 100, now=NOW, tz=BERLIN) is None


def test_typed_questions_still_read_inline_pairs() -> None:
    """The hand-written scanner reads what the old pattern read."""
    step = _question_step()
    parsed = script.parse_typed_answer(
        step,
        "Q: Tell me about yourself A: the two-minute version\n"
        "- q) Why us?   a- product [check]\n"
        "Q:A: no space\n"
        "Q: reverse a linked list\n"
        "A: iteratively\n"
        "What's a bad day at work? (?)\n"
        "Q: Design a cache a: LRU with a map",
    )
    assert parsed == [
        {"question": "Tell me about yourself", "answer": "the two-minute version", "check_later": False},
        {"question": "Why us?", "answer": "product", "check_later": True},
        {"question": "A: no space", "answer": "", "check_later": False},
        {"question": "reverse a linked list", "answer": "iteratively", "check_later": False},
        {"question": "What's a bad day at work?", "answer": "", "check_later": True},
        {"question": "Design a cache", "answer": "LRU with a map", "check_later": False},
    ]
