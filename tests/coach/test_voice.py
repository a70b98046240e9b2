"""The coach's voice and its faithfulness to the source articles.

Every user-facing string in bot.coach -- script prompts and hints, labels,
reset texts, feedback, ghosting, and the error messages people see -- is
collected here and checked: no exclamation marks, no banned platitudes or
therapy words, and no sentence (or run of seven words) copied from the seed
articles in ../shared/seeds (beside the checkout).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from bot.coach import durations, feedback, ghosting, reset, script, stages, text, waking, when, zones
from bot.coach.voice import BANNED_PHRASES, plural, voice_problems

from .conftest import BERLIN, NOW

SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"  # ../shared beside the checkout


def _step_strings() -> Iterator[str]:
    for s in script.STEPS:
        yield from (s.title, s.prompt, s.hint, s.typed_help)
        if s.placeholder:
            yield s.placeholder
        yield from (label for _value, label in s.options)
    yield from (t.label for t in script.TOPICS)
    yield from script.YESNO.values()
    yield from script.GROUPS.values()
    full = (
        script.summarise({"soft_side": "ok", "unsure_claims": "yes", "showed_interest": "no"}).soft_notes
        + script.summarise({"unsure_claims": "unsure", "showed_interest": "unsure"}).soft_notes
    )
    yield from full
    yield from script.summarise({"showed_interest": "yes"}).soft_notes


def _message_strings() -> Iterator[str]:
    yield from (s.label for s in stages.STAGES)
    yield from (r.label for r in stages.RESULTS)
    yield from reset.RESET_LIST
    yield reset.reset_list_text()
    for a in reset.NEXT_ACTIONS:
        yield a.label
        yield a.detail
    yield reset.rejection_reply("Acme", "Junior Developer", checkin_at="tomorrow 09:00")
    yield reset.rejection_reply("Acme", None)
    for n in (0, 1, 2, 5):
        yield reset.checkin_message("Acme", n)
    yield feedback.feedback_request("Acme", "Junior Developer", "Sam")
    yield feedback.feedback_request("Acme", None)
    yield feedback.feedback_note()
    for n in (1, 2, 3, 11):
        yield feedback.one_data_point_note(n)
    yield from (c.label for c in feedback.CONTROL_CHOICES)
    yield ghosting.ghosting_message("Acme", "Technical", timedelta(days=10))
    yield ghosting.ghosting_message("Acme", "Other", timedelta(hours=4))


def _errors(fn: Callable[[str], object], inputs: list[str]) -> Iterator[str]:
    for value in inputs:
        try:
            fn(value)
        except ValueError as err:
            yield str(err)
        else:  # pragma: no cover - a helpful failure if an input stops being an error
            raise AssertionError(f"{value!r} was expected to fail")


def _error_strings() -> Iterator[str]:
    yield from _errors(
        lambda t: when.parse_when(t, now=NOW, tz=BERLIN),
        [
            "",
            "hello",
            "Feb 30 2pm",
            "Feb 29 2027 10am",
            "2026-13-01 10:00",
            "25:00",
            "13pm",
            "0am",
            "12:75",
            "tomorrow",
            "nov",
            "03/04 2pm",
            "tomorrow 3pm 4pm",
            "tomorrow friday 3pm",
            "tomorrow morning evening 3",
            "Fri 26 Nov 3pm",
            "3 hours",
            "2028-01-01 10:00",
            "2025-01-01 10:00",
            "2026-11-24T14:00+19:00",
            "x" * 300,
        ],
    )
    yield from _errors(lambda t: when.parse_when(t, now=NOW, tz=zones.resolve_zone("London")), ["2027-03-28 01:30"])
    yield from _errors(waking.parse_clock, ["", "7", "x"])
    yield from _errors(waking.parse_quiet_hours, ["22:00"])
    yield from _errors(durations.parse_duration, ["", "-3h", "3x", "30", "h", "9" * 30 + "h", "1h" * 100])
    yield from _errors(zones.resolve_zone, ["", "Atlantis", "Atlanti", "IST", "UTC+15", "x" * 200])
    yield from _errors(lambda t: text.clean_text(t, max_len=10, field="company name"), ["", "🙂", "x" * 11])
    yield from _errors(lambda t: script.parse_typed_answer(script.step("confidence"), t), ["9"])
    yield from _errors(lambda t: script.parse_typed_answer(script.step("unsure_claims"), t), ["purple"])
    yield from _errors(lambda t: script.parse_typed_answer(script.step("topics"), t), ["coding, cooking", ","])
    yield from _errors(lambda t: script.parse_typed_answer(script.step("questions"), t), ["[check]"])
    yield from _errors(lambda t: script.parse_typed_answer(script.step("recall"), t), [" "])
    yield from _errors(lambda _t: script.validate_answer(script.step("confidence"), 7), ["-"])
    yield from _errors(lambda _t: script.validate_answer(script.step("topics"), ["cooking"]), ["-"])
    yield from _errors(lambda _t: script.validate_answer(script.step("questions"), [{}] * 30), ["-"])
    yield from _errors(lambda _t: reset.clamp_window(timedelta(hours=1)), ["-"])
    yield from _errors(lambda _t: reset.clamp_debrief_delay(timedelta(days=1)), ["-"])


def all_strings() -> list[str]:
    """Every user-facing string the coach produces, with its origin."""
    return [*_step_strings(), *_message_strings(), *_error_strings()]


def test_collection_is_substantial() -> None:
    strings = all_strings()
    assert len(strings) > 120
    assert all(isinstance(s, str) and s.strip() for s in strings)


@pytest.mark.parametrize("s", all_strings())
def test_voice(s: str) -> None:
    assert voice_problems(s) == []


@pytest.mark.parametrize(
    ("sample", "problem"),
    [
        ("Great job!", "exclamation"),
        ("Don't worry, it happens.", "don't worry"),
        ("Don\u2019t worry about it.", "don't worry"),
        ("Everything happens for a reason.", "everything happens for a reason"),
        ("You've got this.", "you've got this"),
        ("Every interview is part of the journey.", "journey"),
        ("Make time for self-care.", "self-care"),
        ("Rejection can feel like trauma.", "trauma"),
        ("Give yourself time to heal.", "heal"),
        ("Healing takes time.", "heal"),
        ("That was amazing.", "amazing"),
        ("Awesome answer.", "awesome"),
    ],
)
def test_voice_check_catches(sample: str, problem: str) -> None:
    problems = voice_problems(sample)
    assert problems, sample
    assert any(problem in p for p in problems)


def test_voice_check_has_no_false_alarms() -> None:
    assert voice_problems("Keep your health and sleep in mind; the journal helps.") == []
    assert voice_problems("Amaze nobody; just be clear.") == []
    assert voice_problems("") == []


def test_banned_list_matches_brief() -> None:
    for phrase in (
        "everything happens for a reason",
        "don't worry",
        "you've got this",
        "journey",
        "self-care",
        "trauma",
        "heal",
        "amazing",
        "awesome",
    ):
        assert phrase in BANNED_PHRASES


def test_plural() -> None:
    assert plural(1, "day") == "1 day"
    assert plural(2, "day") == "2 days"
    assert plural(0, "opportunity", "opportunities") == "0 opportunities"


# --------------------------------------------------------------------------- faithfulness to the seeds


def _words(value: str) -> list[str]:
    value = value.lower().replace("\u2019", "'").replace("\u2018", "'")
    return re.findall(r"[a-z0-9']+", value)


def _seed_texts() -> list[str]:
    if not SEEDS.is_dir():
        pytest.skip(f"{SEEDS} is missing")
    files = sorted(SEEDS.glob("*.txt"))
    if not files:
        pytest.skip(f"no seed files in {SEEDS}")
    return [f.read_text(encoding="utf-8", errors="replace") for f in files]


def _coach_corpus() -> str:
    return " " + " ".join(" ".join(_words(s)) for s in all_strings()) + " "


def test_no_seed_sentence_is_copied() -> None:
    corpus = _coach_corpus()
    copied = []
    for seed in _seed_texts():
        for sentence in re.split(r"(?<=[.!?])\s+|\n+", seed):
            words = _words(sentence)
            if len(words) >= 8 and f" {' '.join(words)} " in corpus:
                copied.append(sentence.strip())
    assert copied == []


def test_no_seven_word_run_is_copied() -> None:
    corpus = _coach_corpus()
    copied = set()
    for seed in _seed_texts():
        words = _words(seed)
        for i in range(len(words) - 6):
            run = " ".join(words[i : i + 7])
            if f" {run} " in corpus:
                copied.add(run)
    assert copied == set()


def test_faithfulness_check_would_catch_a_copy(monkeypatch: pytest.MonkeyPatch) -> None:
    seeds = _seed_texts()
    sentence = next(s for seed in seeds for s in re.split(r"(?<=[.!?])\s+|\n+", seed) if len(_words(s)) >= 12)
    assert f" {' '.join(_words(sentence))} " not in _coach_corpus()
    monkeypatch.setattr(feedback, "feedback_note", lambda: sentence)
    assert f" {' '.join(_words(sentence))} " in _coach_corpus()
