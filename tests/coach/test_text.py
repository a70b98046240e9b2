"""Tests for bot.coach.text."""

from __future__ import annotations

import pytest

from bot.coach.text import (
    MAX_ANSWER,
    MAX_COMPANY,
    MAX_FEEDBACK,
    MAX_ROLE,
    TextError,
    clean_answer,
    clean_company,
    clean_feedback,
    clean_role,
    clean_text,
    has_words,
)


def test_limits() -> None:
    assert (MAX_COMPANY, MAX_ROLE, MAX_ANSWER, MAX_FEEDBACK) == (100, 100, 4000, 4000)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("hello", True),
        ("a", True),
        ("42", True),
        ("Ünïcödé", True),
        ("東京", True),
        ("🙂 ok", True),
        ("", False),
        ("   ", False),
        ("🙂🙂🙂", False),
        ("?!...", False),
        ("-- ** __", False),
        ("<:party:123456789012345678>", False),
        ("<a:dance:123456789012345678> :smile:", False),
        ("👍🏽", False),
    ],
)
def test_has_words(text: str, expected: bool) -> None:
    assert has_words(text) is expected


def test_has_words_non_text() -> None:
    assert has_words(None) is False  # type: ignore[arg-type]


def test_clean_text_strips_and_keeps_content() -> None:
    text = "  **Acme** <@123> `code` _x_  "
    assert clean_text(text, max_len=100, field="company name") == "**Acme** <@123> `code` _x_"


def test_clean_text_keeps_inner_newlines() -> None:
    assert clean_text("\n line one\nline two \n", max_len=100, field="answer") == "line one\nline two"


@pytest.mark.parametrize(
    ("text", "reason"), [("", "empty"), ("  \n\t ", "empty"), ("🙂🙂", "no_words"), ("!!!", "no_words")]
)
def test_clean_text_rejects(text: str, reason: str) -> None:
    with pytest.raises(TextError) as err:
        clean_text(text, max_len=100, field="company name")
    assert err.value.reason == reason
    assert err.value.field == "company name"
    assert "company name" in str(err.value)
    assert isinstance(err.value, ValueError)


def test_clean_text_length_limit_message() -> None:
    assert clean_text("x" * 100, max_len=100, field="role") == "x" * 100
    with pytest.raises(TextError) as err:
        clean_text("x" * 4010, max_len=4000, field="answer")
    message = str(err.value)
    assert "answer" in message and "4,000" in message and "4,010" in message and "10" in message
    assert err.value.reason == "too_long"


def test_length_is_measured_after_stripping() -> None:
    assert clean_text("  " + "x" * 100 + "  ", max_len=100, field="role") == "x" * 100


def test_clean_text_rejects_non_text() -> None:
    with pytest.raises(TextError):
        clean_text(None, max_len=10, field="role")  # type: ignore[arg-type]


def test_field_helpers() -> None:
    assert clean_company(" Acme ") == "Acme"
    assert clean_role("Junior Developer") == "Junior Developer"
    assert clean_answer("fine") == "fine"
    assert clean_feedback("Needs more SQL") == "Needs more SQL"
    with pytest.raises(TextError, match="company name"):
        clean_company("x" * 101)
    with pytest.raises(TextError, match="role"):
        clean_role("x" * 101)
    with pytest.raises(TextError, match="feedback"):
        clean_feedback("x" * 4001)
    with pytest.raises(TextError, match="answer"):
        clean_answer("🙂")
