"""Tests for bot.coach.stages."""

from __future__ import annotations

import pytest

from bot.coach.stages import (
    RESULT_KEYS,
    RESULTS,
    STAGE_KEYS,
    STAGES,
    find_stage,
    result_label,
    stage,
    stage_label,
)


def test_stage_keys_and_labels() -> None:
    assert STAGE_KEYS == (
        "recruiter_screen",
        "technical",
        "take_home_review",
        "system_design",
        "behavioural",
        "onsite_final",
        "other",
    )
    assert [s.label for s in STAGES] == [
        "Recruiter screen",
        "Technical",
        "Take-home review",
        "System design",
        "Behavioural",
        "Onsite / final",
        "Other",
    ]


def test_result_keys_and_labels() -> None:
    assert RESULT_KEYS == ("advanced", "offer", "rejected", "ghosted", "withdrew")
    for r in RESULTS:
        assert r.label and len(r.label) <= 80
    assert result_label("rejected") == "Rejected"


def test_stage_label_lookup() -> None:
    assert stage_label("technical") == "Technical"
    assert stage_label("onsite_final") == "Onsite / final"
    with pytest.raises(KeyError):
        stage_label("lunch")
    with pytest.raises(KeyError):
        result_label("maybe")


def test_labels_fit_discord_choices() -> None:
    for s in STAGES:
        assert 0 < len(s.label) <= 100
        assert len(s.key) <= 100
        assert s.typical_length.total_seconds() > 0


def test_synonyms_unique_and_lowercase() -> None:
    seen: dict[str, str] = {}
    for s in STAGES:
        for syn in s.synonyms:
            assert syn == syn.lower()
            assert syn not in seen, f"{syn!r} is listed under {seen.get(syn)} and {s.key}"
            seen[syn] = s.key


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("final round with Acme", "onsite_final"),
        ("my ONSITE at Hooli", "onsite_final"),
        ("on-site tomorrow", "onsite_final"),
        ("just finished my phone screen", "recruiter_screen"),
        ("had a call with the recruiter", "recruiter_screen"),
        ("recruiter call at 3", "recruiter_screen"),
        ("tech interview with Initech", "technical"),
        ("coding interview", "technical"),
        ("technical round", "technical"),
        ("take home review on Friday", "take_home_review"),
        ("take-home review", "take_home_review"),
        ("system design round", "system_design"),
        ("system-design", "system_design"),
        ("behavioral interview", "behavioural"),
        ("behavioural", "behavioural"),
        ("culture fit chat", "behavioural"),
        ("final round technical", "onsite_final"),
        ("hello there", None),
        ("an interview at Acme", None),
        ("technicality", None),
        ("prerecruiter", None),
    ],
)
def test_find_stage(text: str, key: str | None) -> None:
    assert find_stage(text) == key


def test_stage_object() -> None:
    assert stage("recruiter_screen").typical_length.total_seconds() == 30 * 60


def test_stage_named_reads_every_label_including_other() -> None:
    from bot.coach.stages import STAGES, stage_named

    for s in STAGES:
        assert stage_named(s.label) == s.key
        assert stage_named(f"  {s.label.upper()} ") == s.key
    assert stage_named("other") == "other"
    assert stage_named("final round") == "onsite_final"  # synonyms still work
    assert stage_named("") is None and stage_named("tea party") is None
    assert stage_named("technical " * 20) is None  # longer than any form field holds
