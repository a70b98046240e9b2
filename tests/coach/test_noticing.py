"""Tests for bot.coach.noticing: reading an interview out of a sentence."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.coach import noticing
from bot.coach.noticing import Noticed, notice
from bot.coach.stages import stage

from .conftest import BERLIN, NEW_YORK, NOW, local

# NOW is Tuesday 24 November 2026, 13:00 in Berlin.


def read(text: str, *, now: datetime = NOW) -> Noticed | None:
    return notice(text, now=now, tz=BERLIN)


# --------------------------------------------------------------------------- the brief's examples


def test_final_round_on_thursday() -> None:
    assert read("final round with Acme on Thursday at 3pm") == Noticed(
        company="Acme", when=local(BERLIN, 2026, 11, 26, 15, 0), stage="onsite_final", finished=False
    )


def test_just_finished_phone_screen() -> None:
    n = read("just finished my phone screen with Globex")
    assert n is not None
    assert (n.company, n.stage, n.finished) == ("Globex", "recruiter_screen", True)
    assert n.when == NOW - timedelta(minutes=30)  # the typical length of a recruiter screen


def test_onsite_tomorrow() -> None:
    assert read("onsite at Acme tomorrow 2pm") == Noticed(
        company="Acme", when=local(BERLIN, 2026, 11, 25, 14, 0), stage="onsite_final", finished=False
    )


def test_technical_next_monday() -> None:
    assert read("I have a technical interview at Initech next monday 10am") == Noticed(
        company="Initech", when=local(BERLIN, 2026, 11, 30, 10, 0), stage="technical", finished=False
    )


def test_recruiter_call_an_hour_ago() -> None:
    assert read("had a call with the recruiter from Hooli an hour ago") == Noticed(
        company="Hooli", when=NOW - timedelta(hours=1), stage="recruiter_screen", finished=True
    )


def test_interview_today_at_4() -> None:
    assert read("Interview with Stark Industries today at 4") == Noticed(
        company="Stark Industries", when=local(BERLIN, 2026, 11, 24, 16, 0), stage=None, finished=False
    )


@pytest.mark.parametrize(
    "text",
    [
        "hello",
        "thanks",
        "Thanks!",
        "what can you do",
        "what can you do?",
        "",
        "   ",
        "see you tomorrow at 3pm",
        "I had lunch with Sam at Noon",
        "how do I prepare for a technical interview?",
        "what should I ask at the end of an interview?",
        "any tips for system design?",
        "I have a technical question about Python",
    ],
)
def test_not_about_an_interview(text: str) -> None:
    assert read(text) is None


def test_non_text_is_ignored() -> None:
    assert notice(None, now=NOW, tz=BERLIN) is None  # type: ignore[arg-type]


# --------------------------------------------------------------------------- company


@pytest.mark.parametrize(
    ("text", "company"),
    [
        ("interview with Sam from Acme tomorrow at 11", "Acme"),  # "from" beats "with"
        ("interview at Acme with Sam tomorrow at 11", "Acme"),  # "at" beats "with"
        ("got out of my interview at Procter & Gamble.", "Procter & Gamble"),
        ("system design round with Bank of America on Friday 10:30", "Bank of America"),
        ("Interview for Frontend Developer at Wayne Enterprises tomorrow 2pm", "Wayne Enterprises"),
        ("tech screen with 3M at 4pm", "3M"),
        ("interview with eBay tomorrow 3pm", "eBay"),
        ("Interview at Acme's office in 3 hours", "Acme"),
        ("interview with Acme, tomorrow 3pm", "Acme"),
        ("phone screen with Globex!", "Globex"),
        ('phone screen with "Globex" tomorrow 10am', "Globex"),
        ("final round at Acme Corp Europe on Thursday 3pm", "Acme Corp Europe"),
        ("interview for Umbrella tomorrow 10am", "Umbrella"),
        ("my interview with The Guardian tomorrow 10am", None),  # "The" first is not trusted
        ("interview at acme tomorrow 3pm", "acme"),  # lower case is read too (issue 16); the user confirms
        ("interview with the recruiter tomorrow 3pm", None),
        ("interview for a Senior Engineer role tomorrow", None),
        ("interview for Junior Developer tomorrow 10am", None),  # looks like a job title
        ("technical interview at 3pm tomorrow", None),
        ("interview on Zoom with Initech tomorrow 9am", "Initech"),
        ("interview at Initech I think tomorrow 9am", "Initech"),
    ],
)
def test_company(text: str, company: str | None) -> None:
    n = read(text)
    assert n is not None
    assert n.company == company


def test_company_length_is_bounded() -> None:
    n = read("interview with " + " ".join(["Alpha"] * 20) + " tomorrow 3pm")
    assert n is not None and n.company is not None
    assert len(n.company.split()) <= 5
    assert len(n.company) <= 100


def test_company_does_not_swallow_time_words() -> None:
    n = read("Interview with Acme Tomorrow at 3pm")
    assert n is not None
    assert n.company == "Acme"
    assert n.when == local(BERLIN, 2026, 11, 25, 15, 0)


# --------------------------------------------------------------------------- when and finished


def test_day_without_time_is_kept_as_day() -> None:
    n = read("final round with Acme on Thursday")
    assert n is not None
    assert n.when is None
    assert n.day == date(2026, 11, 26)
    assert n.finished is False


def test_past_day_without_time_is_finished() -> None:
    n = read("Had my behavioural interview with Initech yesterday")
    assert n is not None
    assert (n.company, n.stage, n.finished, n.when, n.day) == (
        "Initech",
        "behavioural",
        True,
        None,
        date(2026, 11, 23),
    )


def test_ambiguous_short_words_are_not_dates() -> None:
    n = read("I sat the technical interview with Acme")
    assert n is not None and n.day is None and n.finished is True
    n = read("I may have an interview with Acme soon")
    assert n is not None and n.day is None and n.when is None and n.finished is False


def test_short_day_names_still_work_with_a_marker() -> None:
    n = read("my onsite with Hooli is on Sat")
    assert n is not None and n.day == date(2026, 11, 28) and n.finished is False
    n = read("phone screen with Acme on Sat at 10")
    assert n is not None and n.when == local(BERLIN, 2026, 11, 28, 10, 0)


def test_future_time_beats_past_tense() -> None:
    n = read("I had to move my interview with Acme to tomorrow 3pm")
    assert n is not None
    assert n.finished is False
    assert n.when == local(BERLIN, 2026, 11, 25, 15, 0)


def test_past_time_means_finished() -> None:
    n = read("interview with Acme this morning at 9")
    assert n is not None
    assert n.finished is True
    assert n.when == local(BERLIN, 2026, 11, 24, 9, 0)


@pytest.mark.parametrize(
    "text",
    [
        "just finished my interview with Acme",
        "just had my onsite with Acme",
        "did the take-home review with Acme",
        "got out of the final round at Acme",
        "came out of my tech interview at Acme",
        "wrapped up the interview with Acme",
    ],
)
def test_finished_markers(text: str) -> None:
    n = read(text)
    assert n is not None
    assert n.finished is True
    assert n.when is not None and n.when < NOW


def test_finished_default_uses_stage_length() -> None:
    n = read("just got out of my onsite at Acme")
    assert n is not None and n.when == NOW - timedelta(hours=3)
    n = read("just finished an interview with Acme")
    assert n is not None and n.when == NOW - timedelta(hours=1)


def test_upcoming_without_time_has_no_when() -> None:
    n = read("I have an interview with Acme")
    assert n is not None
    assert (n.company, n.when, n.day, n.finished) == ("Acme", None, None, False)


def test_bare_mention_is_noticed_with_nothing_filled() -> None:
    assert read("I have an interview") == Noticed(company=None, when=None, stage=None, finished=False)


def test_question_with_details_is_still_noticed() -> None:
    n = read("Can you log my interview with Acme tomorrow 3pm?")
    assert n is not None and n.company == "Acme"


def test_uses_the_users_zone() -> None:
    n = notice("interview with Acme tomorrow 10am", now=NOW, tz=NEW_YORK)
    assert n is not None and n.when == local(NEW_YORK, 2026, 11, 25, 10, 0)


def test_unreadable_time_is_ignored_not_raised() -> None:
    n = read("interview with Acme on Feb 30 at 25:00")
    assert n is not None
    assert n.company == "Acme"
    assert n.when is None


def test_when_is_utc() -> None:
    n = read("onsite at Acme tomorrow 2pm")
    assert n is not None and n.when is not None
    assert n.when.utcoffset() == timedelta(0)


def test_naive_now_is_refused() -> None:
    with pytest.raises(ValueError):
        notice("interview with Acme", now=datetime(2026, 11, 24), tz=BERLIN)  # noqa: DTZ001


def test_long_text_is_cheap() -> None:
    text = "interview with Acme " + "and then some more words " * 60
    assert notice(text, now=NOW, tz=BERLIN) is not None


def test_pathological_filler_is_fast() -> None:
    import time as _time

    text = "interview with Acme " + "at the a on in the next " * 80
    start = _time.perf_counter()
    notice(text, now=NOW, tz=BERLIN)
    assert _time.perf_counter() - start < 1.0  # a runaway bound; the work itself is counted below


@pytest.mark.parametrize(
    ("text", "most"),
    [
        ("interview with Acme " + "at the a on in the next " * 80, 0),  # filler alone is never tried
        ("interview with Acme " + "1 " * 990, noticing.MAX_WHEN_TRIES),
        ("onsite at Acme " + "tomorrow 2pm " * 150, noticing.MAX_WHEN_TRIES),
    ],
)
def test_one_message_tries_a_bounded_number_of_time_phrases(
    monkeypatch: pytest.MonkeyPatch, text: str, most: int
) -> None:
    calls = []
    real = noticing.parse_when_or_day

    def counting(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(noticing, "parse_when_or_day", counting)
    notice(text, now=NOW, tz=BERLIN)
    assert len(calls) <= most


@pytest.mark.parametrize(
    ("said", "stage_key"),
    [
        ("Just had my phone screen with Globex", "recruiter_screen"),
        ("just finished my onsite", "onsite_final"),
        ("just got out of the technical interview at Hooli", "technical"),
    ],
)
def test_just_had_ended_now_with_the_stages_length(said: str, stage_key: str) -> None:
    noticed = notice(said, now=NOW, tz=BERLIN)
    assert noticed is not None and noticed.finished and noticed.stage == stage_key
    typical = stage(stage_key).typical_length
    assert noticed.length == typical
    assert noticed.when == NOW - typical
    assert noticed.when + noticed.length == NOW


def test_a_stated_time_leaves_the_length_to_the_default() -> None:
    noticed = notice("had my phone screen with Globex at 10am", now=NOW, tz=BERLIN)
    assert noticed is not None and noticed.when is not None and noticed.length is None


def test_a_bare_time_already_past_offers_tomorrow_unless_told_as_past_news():
    late = datetime(2026, 11, 23, 21, 12, tzinfo=UTC)  # 22:12 Berlin
    read = notice("final round with Acme at 3pm", now=late, tz=BERLIN)
    assert read.when == datetime(2026, 11, 23, 14, 0, tzinfo=UTC)
    assert read.tomorrow == datetime(2026, 11, 24, 14, 0, tzinfo=UTC)
    assert notice("had my final round with Acme at 3pm", now=late, tz=BERLIN).tomorrow is None
    assert notice("final round with Acme today at 3pm", now=late, tz=BERLIN).tomorrow is None
    assert notice("phone screen with Acme 2 hours ago", now=late, tz=BERLIN).tomorrow is None
    assert notice("final round with Acme at 11pm", now=late, tz=BERLIN).tomorrow is None  # still ahead


def test_an_ambiguous_next_weekday_is_asked_not_guessed():
    thursday = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
    read = notice("final round with Acme next Saturday 10am", now=thursday, tz=BERLIN)
    assert read.company == "Acme" and read.when is None and read.day is None and not read.finished
    assert "Sat 28 Nov" in read.question and "Sat 5 Dec" in read.question


@pytest.mark.parametrize(
    ("text", "company"),
    [
        ("onsite at google tomorrow 3pm", "google"),
        ("phone screen with the recruiter from stripe tomorrow 10am", "stripe"),
        ("just had my phone screen with goldman sachs", "goldman sachs"),
        ("interview at home tomorrow 3pm", None),
        ("interview with them tomorrow 3pm", None),
        ("technical interview for backend tomorrow 2pm", None),  # "for" + lower case is not read
        ("final round with sam from Acme tomorrow", "Acme"),  # a capitalised name wins
    ],
)
def test_company_in_lower_case(text, company):
    assert notice(text, now=NOW, tz=BERLIN).company == company


def test_the_name_that_starts_outcome_news_is_the_company():
    read = notice("Initech moved me to the final round on Friday 3pm", now=NOW, tz=BERLIN)
    assert read.company == "Initech" and read.stage == "onsite_final"
