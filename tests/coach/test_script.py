"""Tests for bot.coach.script: the debrief script as data."""

from __future__ import annotations

import pytest

from bot.coach.script import (
    GROUPS,
    KINDS,
    STEPS,
    TOPIC_KEYS,
    TOPICS,
    YESNO,
    AnswerError,
    QuestionAnswer,
    Step,
    Summary,
    first_step,
    next_step,
    parse_typed_answer,
    previous_step,
    step,
    step_number,
    summarise,
    topic_label,
    validate_answer,
)

ORDER = (
    "recall",
    "questions",
    "strong",
    "stumbles",
    "prep_gaps",
    "soft_side",
    "confidence",
    "unsure_claims",
    "showed_interest",
    "topics",
    "company",
    "one_thing",
)


# --------------------------------------------------------------------------- shape


def test_order_and_kinds() -> None:
    assert tuple(s.key for s in STEPS) == ORDER
    kinds = {s.key: s.kind for s in STEPS}
    assert kinds["recall"] == "text"
    assert kinds["questions"] == "questions"
    assert kinds["strong"] == kinds["stumbles"] == kinds["prep_gaps"] == kinds["soft_side"] == "text"
    assert kinds["confidence"] == "scale"
    assert kinds["unsure_claims"] == kinds["showed_interest"] == "yesno"
    assert kinds["topics"] == "topics"
    assert kinds["company"] == "view"
    assert kinds["one_thing"] in ("text", "text_short")


def test_the_company_step_lets_not_for_me_be_a_conclusion() -> None:
    company = step("company")
    assert dict(company.options) == {"keen": "Keen", "unsure": "Not sure", "not_for_me": "Not for me"}
    assert "two-way" in company.hint and "'not for me' is a legitimate" in company.hint.lower()


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("keen", {"view": "keen", "note": ""}),
        ("Not for me: no on-call support", {"view": "not_for_me", "note": "no on-call support"}),
        ("not sure - the team seemed stretched", {"view": "unsure", "note": "the team seemed stretched"}),
        ("Keen \u2014 great people", {"view": "keen", "note": "great people"}),
        ("no", {"view": "not_for_me", "note": ""}),
        # no view said first: the words suggest one, all of them are the note, and unclear is "not sure"
        ("no on-call support at all", {"view": "unsure", "note": "no on-call support at all"}),
        ("The manager was a red flag", {"view": "not_for_me", "note": "The manager was a red flag"}),
        ("really liked the team", {"view": "keen", "note": "really liked the team"}),
    ],
)
def test_a_typed_company_view(typed: str, stored: dict[str, str]) -> None:
    assert parse_typed_answer(step("company"), typed) == stored


def test_a_company_view_is_checked() -> None:
    company = step("company")
    assert validate_answer(company, "not_for_me") == {"view": "not_for_me", "note": ""}
    assert validate_answer(company, {"view": "keen", "note": "  nice  "}) == {"view": "keen", "note": "nice"}
    for bad in ("love it", {"view": "maybe"}, {"view": "keen", "note": 5}, {"view": "keen", "note": "x" * 301}, 3):
        with pytest.raises(AnswerError):
            validate_answer(company, bad)
    summary = summarise({"company": {"view": "not_for_me", "note": "no on-call"}})
    assert (summary.company_view, summary.company_note) == ("not_for_me", "no on-call")
    assert "company" in summary.answered


def test_free_recall_first_and_one_thing_last() -> None:
    assert first_step().key == "recall"
    assert "arriv" in first_step().prompt.lower() and "goodbye" in first_step().prompt.lower()
    assert "intro" in first_step().prompt.lower()
    assert STEPS[-1].key == "one_thing"


@pytest.mark.parametrize("s", STEPS, ids=lambda s: s.key)
def test_step_fits_discord(s: Step) -> None:
    assert isinstance(s, Step)
    assert s.kind in KINDS
    assert 0 < len(s.title) <= 45, "modal titles and labels are limited to 45 characters"
    assert len(s.placeholder) <= 100
    assert s.prompt.strip() and s.hint.strip() and s.typed_help.strip()
    assert len(s.prompt) <= 400
    assert len(s.hint) <= 400
    assert s.group in GROUPS
    assert 0 < s.max_len <= 4000
    for value, label in s.options:
        assert value and 0 < len(label) <= 80


def test_steps_are_frozen() -> None:
    with pytest.raises(AttributeError):
        STEPS[0].title = "changed"  # type: ignore[misc]


def test_topics() -> None:
    assert TOPIC_KEYS == (
        "coding",
        "algorithms",
        "system_design",
        "behavioural",
        "domain",
        "take_home",
        "communication",
        "questions_for_them",
        "nerves",
        "logistics",
    )
    assert len(TOPICS) <= 25  # one select menu
    assert topic_label("questions_for_them") == "Questions for them"
    with pytest.raises(KeyError):
        topic_label("cooking")


def test_hints_carry_the_advice() -> None:
    hints = {s.key: s.hint.lower() for s in STEPS}
    assert "start" in hints["recall"] and "fresh" in hints["recall"]
    assert "friend" in hints["questions"] and "community" in hints["questions"]
    assert "star" in hints["questions"]
    assert "work alongside" in hints["soft_side"]
    assert "even-handed" in hints["strong"]


# --------------------------------------------------------------------------- navigation


def test_navigation() -> None:
    assert next_step("recall") == step("questions")
    assert previous_step("questions") == step("recall")
    assert previous_step("recall") is None
    assert next_step("one_thing") is None
    assert step_number("recall") == (1, len(STEPS))
    assert step_number("one_thing") == (len(STEPS), len(STEPS))
    walked = [first_step()]
    while (following := next_step(walked[-1].key)) is not None:
        walked.append(following)
    assert tuple(walked) == STEPS


def test_unknown_step() -> None:
    for fn in (step, next_step, previous_step, step_number):
        with pytest.raises(KeyError):
            fn("nope")


# --------------------------------------------------------------------------- validate_answer


@pytest.mark.parametrize("s", STEPS, ids=lambda s: s.key)
def test_every_step_is_skippable(s: Step) -> None:
    assert validate_answer(s, None) is None
    assert parse_typed_answer(s, "skip") is None
    assert parse_typed_answer(s, "Skip.") is None


def test_validate_text() -> None:
    assert validate_answer(step("recall"), "  walked in, said hi  ") == "walked in, said hi"
    with pytest.raises(AnswerError, match="empty"):
        validate_answer(step("recall"), "   ")
    with pytest.raises(AnswerError, match="emoji"):
        validate_answer(step("recall"), "😬😬")
    with pytest.raises(AnswerError, match="4,000"):
        validate_answer(step("recall"), "x" * 4001)
    with pytest.raises(AnswerError):
        validate_answer(step("recall"), 5)
    assert validate_answer(step("recall"), "x" * 4000) == "x" * 4000


def test_validate_short_text() -> None:
    one = step("one_thing")
    assert validate_answer(one, "Rehearse the conflict story") == "Rehearse the conflict story"
    with pytest.raises(AnswerError):
        validate_answer(one, "x" * (one.max_len + 1))


@pytest.mark.parametrize("value", [1, 2, 3, 4, 5])
def test_validate_scale_ok(value: int) -> None:
    assert validate_answer(step("confidence"), value) == value


@pytest.mark.parametrize("value", [0, 6, -1, 3.5, "3", True, [3]])
def test_validate_scale_rejects(value: object) -> None:
    with pytest.raises(AnswerError, match="1 to 5"):
        validate_answer(step("confidence"), value)


def test_validate_yesno() -> None:
    for value in YESNO:
        assert validate_answer(step("unsure_claims"), value) == value
    for bad in ("Yes", "maybe", True, 1, ""):
        with pytest.raises(AnswerError, match="yes, no, or not sure"):
            validate_answer(step("showed_interest"), bad)


def test_validate_topics() -> None:
    topics = step("topics")
    assert validate_answer(topics, []) == []
    assert validate_answer(topics, ["nerves", "coding", "nerves"]) == ["coding", "nerves"]
    assert validate_answer(topics, ("logistics",)) == ["logistics"]
    with pytest.raises(AnswerError) as err:
        validate_answer(topics, ["coding", "cooking"])
    assert "cooking" in str(err.value) and "Coding" in str(err.value)
    with pytest.raises(AnswerError):
        validate_answer(topics, "coding")


def test_validate_questions() -> None:
    q = step("questions")
    value = [
        {"question": " What is a closure? ", "answer": " A function and its scope ", "check_later": False},
        {"question": "Why us?", "check_later": True},
        QuestionAnswer("Explain REST", "", False),
    ]
    assert validate_answer(q, value) == [
        {"question": "What is a closure?", "answer": "A function and its scope", "check_later": False},
        {"question": "Why us?", "answer": "", "check_later": True},
        {"question": "Explain REST", "answer": "", "check_later": False},
    ]
    assert validate_answer(q, []) == []


@pytest.mark.parametrize(
    "value",
    [
        "just a string",
        [{"answer": "no question"}],
        [{"question": ""}],
        [{"question": "ok", "answer": 5}],
        [{"question": "ok", "check_later": "yes"}],
        [{"question": "ok", "answer": "x" * 4001}],
        ["not a mapping"],
        [{"question": f"q{i}"} for i in range(26)],
    ],
)
def test_validate_questions_rejects(value: object) -> None:
    with pytest.raises(AnswerError):
        validate_answer(step("questions"), value)


# --------------------------------------------------------------------------- typed replies


def test_typed_text_is_taken_as_is() -> None:
    text = "Arrived early.\n- intro: talked about my **bootcamp** project"
    assert parse_typed_answer(step("recall"), text) == text
    assert parse_typed_answer(step("stumbles"), "nothing really") == "nothing really"


@pytest.mark.parametrize(
    ("text", "value"),
    [("4", 4), ("4/5", 4), ("4 / 5", 4), ("four", 4), ("Four.", 4), ("1", 1), ("5 out of 5", 5), (" 3 ", 3)],
)
def test_typed_scale(text: str, value: int) -> None:
    assert parse_typed_answer(step("confidence"), text) == value


@pytest.mark.parametrize("text", ["6", "0", "great", "4/10", "3.5", "1-5"])
def test_typed_scale_rejects(text: str) -> None:
    with pytest.raises(AnswerError, match="1 to 5"):
        parse_typed_answer(step("confidence"), text)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("yes", "yes"),
        ("Y", "yes"),
        ("yeah", "yes"),
        ("Yes, a couple of times", "yes"),
        ("no", "no"),
        ("n", "no"),
        ("Nope.", "no"),
        ("not sure", "unsure"),
        ("unsure", "unsure"),
        ("I don\u2019t know", "unsure"),
        ("purple", None),
        ("maybe", "unsure"),
    ],
)
def test_typed_yesno(text: str, value: str | None) -> None:
    if value is None:
        with pytest.raises(AnswerError):
            parse_typed_answer(step("unsure_claims"), text)
    else:
        assert parse_typed_answer(step("unsure_claims"), text) == value


def test_typed_yesno_rejects() -> None:
    with pytest.raises(AnswerError, match="yes, no, or not sure"):
        parse_typed_answer(step("showed_interest"), "purple")


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("coding", ["coding"]),
        ("Coding, nerves", ["coding", "nerves"]),
        ("nerves, coding", ["coding", "nerves"]),
        ("System design; behavioural stories", ["system_design", "behavioural"]),
        ("system_design, take_home", ["system_design", "take_home"]),
        ("Questions for them and logistics", ["questions_for_them", "logistics"]),
        ("behavioral", ["behavioural"]),
        ("algorithms\ncommunication", ["algorithms", "communication"]),
        ("none", []),
    ],
)
def test_typed_topics(text: str, value: list[str]) -> None:
    assert parse_typed_answer(step("topics"), text) == value


def test_typed_topics_unknown_lists_options() -> None:
    with pytest.raises(AnswerError) as err:
        parse_typed_answer(step("topics"), "coding, cooking")
    message = str(err.value)
    assert "'cooking'" in message
    for topic in TOPICS:
        assert topic.label in message


def test_typed_questions_formats() -> None:
    text = "\n".join(
        [
            "Q: What is a closure? A: a function with its scope",
            "How does HTTP caching work? [check]",
            "Q: Tell me about a conflict",
            "A: the story about the group project (check later)",
            "- Why do you want to work here?",
            "1. What's the difference between let and const?",
            "",
        ]
    )
    assert parse_typed_answer(step("questions"), text) == [
        {"question": "What is a closure?", "answer": "a function with its scope", "check_later": False},
        {"question": "How does HTTP caching work?", "answer": "", "check_later": True},
        {
            "question": "Tell me about a conflict",
            "answer": "the story about the group project",
            "check_later": True,
        },
        {"question": "Why do you want to work here?", "answer": "", "check_later": False},
        {"question": "What's the difference between let and const?", "answer": "", "check_later": False},
    ]


def test_typed_questions_rejects_empty() -> None:
    with pytest.raises(AnswerError):
        parse_typed_answer(step("questions"), "\n [check] \n")


def test_typed_empty_reply() -> None:
    with pytest.raises(AnswerError, match="skip"):
        parse_typed_answer(step("recall"), "   ")


@pytest.mark.parametrize("s", STEPS, ids=lambda s: s.key)
def test_typed_answers_validate(s: Step) -> None:
    samples = {
        "text": "Something specific happened",
        "text_short": "Rehearse one story",
        "questions": "Q: Why us? A: mission",
        "scale": "3",
        "yesno": "yes",
        "topics": "coding",
        "view": "not for me: too much on-call",
    }
    value = parse_typed_answer(s, samples[s.kind])
    assert validate_answer(s, value) == value


# --------------------------------------------------------------------------- summarise


FULL = {
    "recall": "Arrived, intro, two questions, goodbye",
    "questions": [
        {"question": "Closures?", "answer": "scope", "check_later": False},
        {"question": "Big-O of a hash lookup?", "answer": "O(n)?", "check_later": True},
    ],
    "strong": "Project walkthrough",
    "stumbles": "Hash maps",
    "prep_gaps": "Conflict story ran long",
    "soft_side": "Warm welcome, nervous start",
    "confidence": 3,
    "unsure_claims": "yes",
    "showed_interest": "no",
    "topics": ["nerves", "algorithms"],
    "company": {"view": "unsure", "note": "Nice people, vague roadmap"},
    "one_thing": "Rehearse the conflict story with a timer",
}


def test_summarise_full() -> None:
    s = summarise(FULL)
    assert isinstance(s, Summary)
    assert s.recall == FULL["recall"]
    assert s.strong == "Project walkthrough"
    assert s.stumbles == "Hash maps"
    assert s.prep_gaps == "Conflict story ran long"
    assert s.soft_side == "Warm welcome, nervous start"
    assert s.confidence == 3
    assert s.topics == ("Algorithms", "Nerves")
    assert s.topic_keys == ("algorithms", "nerves")
    assert s.check_later == ("Big-O of a hash lookup?",)
    assert s.questions[1] == QuestionAnswer("Big-O of a hash lookup?", "O(n)?", True)
    assert s.one_thing == "Rehearse the conflict story with a timer"
    assert (s.company_view, s.company_note) == ("unsure", "Nice people, vague roadmap")
    assert s.soft_notes[0] == "Warm welcome, nervous start"
    assert len(s.soft_notes) == 3
    assert s.answered == ORDER
    assert s.skipped == ()
    assert not s.is_empty


def test_summarise_empty() -> None:
    s = summarise({})
    assert s.is_empty
    assert s.skipped == ORDER
    assert (s.recall, s.strong, s.confidence, s.one_thing) == (None, None, None, None)
    assert s.questions == () and s.topics == () and s.check_later == () and s.soft_notes == ()


def test_summarise_partial_and_tolerant() -> None:
    s = summarise({"recall": "x", "confidence": 9, "topics": [], "questions": [], "bogus": 1, "strong": None})
    assert s.recall == "x"
    assert s.confidence is None  # invalid stored value is treated as skipped
    assert s.topics == ()
    assert "topics" in s.answered  # no topics ticked is an answer
    assert "questions" in s.skipped  # an empty question list is not
    assert "strong" in s.skipped and "confidence" in s.skipped


def test_summarise_soft_notes_follow_answers() -> None:
    assert summarise({"showed_interest": "yes"}).soft_notes == ("You showed interest and asked your own questions.",)
    assert summarise({"unsure_claims": "no"}).soft_notes == ()
    notes = summarise({"unsure_claims": "unsure", "showed_interest": "unsure"}).soft_notes
    assert len(notes) == 2
