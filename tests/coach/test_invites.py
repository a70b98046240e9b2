"""Reading an interview out of a calendar event (issue 16): the decision, with no calendar library."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.coach.invites import (
    ALL_DAY,
    CANCELLED,
    NOT_INTERVIEW,
    RECURRING,
    CalendarEvent,
    InviteEvent,
    Skipped,
    organizer_company,
    read_event,
)

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
BERLIN = ZoneInfo("Europe/Berlin")
#: A floating time (an .ics DTSTART with no zone) is a naive datetime.
FLOATING_END = datetime(2026, 12, 3, 15, 45, tzinfo=UTC).replace(tzinfo=None)


def event(summary: str, start=datetime(2026, 12, 3, 15, 0, tzinfo=UTC), **changes) -> CalendarEvent:
    fields = dict(
        uid="u-1",
        summary=summary,
        description="",
        organizer_email=None,
        start=start,
        end=None,
        duration=None,
        recurring=False,
    )
    fields.update(changes)
    return CalendarEvent(**fields)


@pytest.mark.parametrize(
    ("summary", "company"),
    [
        ("Interview with Acme", "Acme"),
        ("Acme - Technical interview", "Acme"),
        ("Technical interview: Acme", "Acme"),
        ("Phone screen | Globex Corp", "Globex Corp"),
        ("Onsite interview at Initech", "Initech"),
    ],
)
def test_the_company_is_read_from_the_title(summary, company):
    read = read_event(event(summary), now=NOW, tz=BERLIN)
    assert isinstance(read, InviteEvent)
    assert read.company == company


def test_the_organizers_domain_names_the_company_unless_it_is_a_mail_service():
    assert organizer_company("jane@recruiting.acme.co.uk") == "Acme"
    assert organizer_company("talent@big-corp.com") == "Big Corp"
    assert organizer_company("someone@gmail.com") is None
    assert organizer_company("notifications@calendly.com") is None
    assert organizer_company("no address") is None


def test_a_floating_start_is_read_in_the_users_zone_and_the_end_gives_the_length():
    read = read_event(
        event("Interview", start=datetime(2026, 12, 3, 15, 0, tzinfo=UTC).replace(tzinfo=None), end=FLOATING_END),
        now=NOW,
        tz=BERLIN,
    )
    assert isinstance(read, InviteEvent)
    assert read.starts_at == datetime(2026, 12, 3, 14, 0, tzinfo=UTC)
    assert read.length_min == 45


def test_a_duration_gives_the_length_and_an_implausible_one_the_stages():
    read = read_event(event("Recruiter call with Acme", duration=timedelta(minutes=30)), now=NOW, tz=BERLIN)
    assert isinstance(read, InviteEvent) and read.length_min == 30 and read.stage == "recruiter_screen"
    read = read_event(event("Interview with Acme", duration=timedelta(days=2)), now=NOW, tz=BERLIN)
    assert isinstance(read, InviteEvent) and read.length_min == 60


def test_recurring_all_day_and_other_events_are_skipped_with_a_reason():
    assert read_event(event("Interview with Acme", recurring=True), now=NOW, tz=BERLIN) == Skipped(
        "Interview with Acme", RECURRING
    )
    assert read_event(event("Interview with Acme", start=date(2026, 12, 3)), now=NOW, tz=BERLIN).reason == ALL_DAY
    assert read_event(event("Dentist"), now=NOW, tz=BERLIN).reason == NOT_INTERVIEW
    assert read_event(event("Team lunch", organizer_email="a@acme.com"), now=NOW, tz=BERLIN).reason == NOT_INTERVIEW


def test_a_call_with_a_company_counts_and_the_description_can_say_interview():
    read = read_event(event("Call", organizer_email="jane@acme.com"), now=NOW, tz=BERLIN)
    assert isinstance(read, InviteEvent) and read.company == "Acme"
    read = read_event(event("Acme / Sam", description="Your interview with the team"), now=NOW, tz=BERLIN)
    assert isinstance(read, InviteEvent)


def test_a_huge_title_is_cut_before_it_is_read():
    read = read_event(event("Interview with Acme " + "x" * 100_000), now=NOW, tz=BERLIN)
    assert isinstance(read, InviteEvent)


def test_a_cancelled_event_is_not_offered():
    assert read_event(event("Interview with Acme", cancelled=True), now=NOW, tz=BERLIN).reason == CANCELLED
