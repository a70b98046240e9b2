"""Reading an outcome out of a plain sentence (issue 16), and matching it to the user's companies."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.coach.outcome_words import HeardOutcome, asks_first, company_key, hear_outcome, matching

COMPANIES = ["Acme", "Globex", "Initech", "Umbrella", "Hooli", "Google", "Acme Corp"]


@pytest.mark.parametrize(
    ("text", "result", "company"),
    [
        ("Heard back from Acme, it's a no", "rejected", "Acme"),
        ("I got rejected by Globex", "rejected", "Globex"),
        ("Initech moved me to the final round", "advanced", "Initech"),
        ("got the offer from Umbrella!", "offer", "Umbrella"),
        ("heard back from acme corp it\u2019s a no", "rejected", "acme corp"),
        ("Got rejected from Hooli after the onsite", "rejected", "Hooli"),
        ("Acme said no", "rejected", "Acme"),
        ("no offer from Globex sadly", "rejected", "Globex"),  # "no offer" is a rejection, not an offer
        ("Globex is not moving forward with me", "rejected", "Globex"),  # not an advance
        ("I withdrew from Initech", "withdrew", "Initech"),
        ("I turned down the offer from Umbrella", "withdrew", "Umbrella"),
        ("Hooli ghosted me", "ghosted", "Hooli"),
        ("I didn't get the job at google", "rejected", "google"),
        ("Update: It's a no from Globex.", "rejected", "Globex"),
        ("Acme's recruiter called: it's a no", "rejected", None),
        ("made it to the onsite at Initech", "advanced", "Initech"),
        # An offer taken back is a rejection; declining to do something is not withdrawing.
        ("Acme withdrew the offer", "rejected", "Acme"),
        ("Acme pulled the offer", "rejected", "Acme"),
        ("Globex rescinded my offer", "rejected", "Globex"),
        ("I declined to comment but Acme rejected me", "rejected", None),
        ("I declined their offer from Umbrella", "withdrew", "Umbrella"),
    ],
)
def test_reads_the_result_and_the_company(text, result, company):
    assert hear_outcome(text) == HeardOutcome(result, company)


@pytest.mark.parametrize(
    "text",
    [
        "final round with Acme on Thursday 3pm",
        "just finished my phone screen with Globex",
        "how do I handle a rejection?",
        "what should I say when they make an offer?",
        "",
        "   ",
        "thanks",
        "x" * 5000 + " it's a no",
        # Hoping or waiting for good news is not good news.
        "Still waiting on an offer from Acme",
        "No news from Acme yet, hoping for an offer",
        "expecting to hear if Globex moved me to the next round",
    ],
)
def test_reads_nothing_where_no_outcome_is_told(text):
    assert hear_outcome(text) is None


def test_matching_is_case_insensitive_and_finds_longer_names_and_mentions():
    assert matching(HeardOutcome("rejected", "acme"), "it's a no from acme", COMPANIES) == ["Acme"]
    assert matching(HeardOutcome("rejected", "GLOBEX"), "", COMPANIES) == ["Globex"]
    assert matching(HeardOutcome("rejected", "umbrella"), "", ["Umbrella Corp", "Umbrellas Ltd"]) == ["Umbrella Corp"]
    said = "Acme's recruiter called: it's a no"
    assert matching(HeardOutcome("rejected", None), said, COMPANIES) == ["Acme"]
    assert matching(HeardOutcome("rejected", "Initrode"), "it's a no from Initrode", COMPANIES) == []
    assert matching(HeardOutcome("rejected", "acme"), "", ["Acme", "ACME", "acme"]) == ["Acme"]


def test_company_key_ignores_case_and_punctuation():
    assert company_key("Acme, Inc.") == company_key("acme inc") == "acme inc"


def test_asks_first_only_for_news_that_needs_the_interview_to_have_happened():
    now = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
    ahead, past = now + timedelta(days=1), now - timedelta(hours=1)
    assert [r for r in ("advanced", "offer", "rejected", "ghosted", "withdrew") if asks_first(r, ahead, now)] == [
        "advanced",
        "offer",
        "rejected",
    ]
    assert not any(asks_first(r, past, now) for r in ("advanced", "offer", "rejected"))
