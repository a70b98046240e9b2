"""Reading an interview out of a calendar invite's event, as plain data (no calendar library here).

A parser elsewhere turns an ``.ics`` file into :class:`CalendarEvent` values; this module decides, for
each, whether it is an interview Debrief can offer to record, and with what:

- **Is it an interview?** Its title, or failing that its description, says "interview" or names a stage
  ("phone screen", "onsite", "recruiter call", ...), or the title says "call"/"chat"/"meeting" with a
  company. Anything else is skipped as not an interview.
- **Recurring events** (an RRULE or RDATE), **all-day events** and **cancelled events** (a cancellation
  notice, or STATUS:CANCELLED) are not offered: an interview happens once, at a time; the reply says why
  each was skipped.
- **When**: the event's real start and end. A start with a zone (TZID or UTC) is that instant; a
  floating start (no zone) is read in the user's zone. No end: a DURATION, else the stage's length.
- **Company**: from the title ("Interview with Acme", "Acme - Technical interview",
  "Technical interview: Acme"), else the organizer's e-mail domain (jane@acme.com gives Acme) unless
  it is a mail or scheduling service's domain.

Every step is linear in the length of the text, and each text is cut to a bound first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.coach.localtime import require_aware
from bot.coach.noticing import notice
from bot.coach.stages import find_stage, stage

__all__ = ["CalendarEvent", "InviteEvent", "Skipped", "read_event"]

#: The most of a title and a description read (longer text is cut first).
MAX_SUMMARY = 200
MAX_DESCRIPTION = 2000
#: An event's length is kept only within these bounds (else the stage's typical length is used).
MIN_MINUTES = 5
MAX_MINUTES = 600

#: Why an event was not offered (shown to the user).
RECURRING = "it repeats (an interview happens once)"
ALL_DAY = "it lasts all day, with no start time"
NOT_INTERVIEW = "it doesn't look like an interview"
NO_START = "it has no start time"
CANCELLED = "it is a cancellation (nothing was changed; delete the interview with `/interview list` if it's off)"


@dataclass(frozen=True, slots=True)
class CalendarEvent:
    """One VEVENT, as the parser read it."""

    uid: str | None
    summary: str
    description: str
    organizer_email: str | None
    start: datetime | date | None  # aware (TZID or UTC), naive (floating), or a date (all day)
    end: datetime | date | None
    duration: timedelta | None
    recurring: bool
    cancelled: bool = False  # STATUS:CANCELLED, or the calendar is a cancellation (METHOD:CANCEL)


@dataclass(frozen=True, slots=True)
class InviteEvent:
    """An event that reads as an interview: what would be recorded."""

    uid: str | None
    title: str
    company: str | None
    stage: str  # a stage key ("other" when none is named)
    starts_at: datetime  # aware UTC
    length_min: int


@dataclass(frozen=True, slots=True)
class Skipped:
    """An event not offered, and why (one of the reasons above)."""

    title: str
    reason: str


_INTERVIEW_WORDS = frozenset({"interview", "interviews", "interviewing"})
_MEETING_WORDS = frozenset({"call", "chat", "meeting", "conversation", "intro", "introduction", "screening"})
#: Words that are never a company on their own in a title.
_FILLER = frozenset(
    {
        "interview",
        "interviews",
        "call",
        "chat",
        "meeting",
        "invitation",
        "invite",
        "updated",
        "confirmed",
        "canceled",
        "cancelled",
        "with",
        "at",
        "for",
        "the",
        "a",
        "an",
        "and",
        "your",
        "our",
        "re",
        "fwd",
        "round",
        "stage",
        "video",
        "phone",
        "zoom",
        "teams",
        "meet",
        "google",
    }
)
#: Separators between a title's parts ("Acme - Technical interview", "Interview: Acme | Jane").
_SEPARATORS = ("|", " - ", " – ", " — ", ":", "/", "(", ")", "[", "]", ",", " x ", " <> ")
#: Mail and scheduling services: an organizer there says nothing about the company.
_SERVICE_DOMAINS = frozenset(
    {
        "gmail",
        "googlemail",
        "google",
        "outlook",
        "hotmail",
        "live",
        "msn",
        "yahoo",
        "icloud",
        "me",
        "mac",
        "aol",
        "proton",
        "protonmail",
        "gmx",
        "zoho",
        "calendly",
        "greenhouse",
        "lever",
        "workday",
        "myworkday",
        "ashbyhq",
        "smartrecruiters",
        "zoom",
        "teams",
        "microsoft",
        "goodtime",
        "modernloop",
        "example",
    }
)
#: The ends of domain names that are not the company's own label (acme.co.uk gives acme).
_SUFFIX_LABELS = frozenset(
    {"com", "co", "org", "net", "io", "ai", "uk", "de", "fr", "in", "us", "eu", "dev", "app", "tech", "ac", "gov"}
)


def _words(text: str) -> list[str]:
    return "".join(c.lower() if c.isalnum() else " " for c in text).split()


def _is_interview(summary: str, description: str) -> bool:
    for text in (summary, description):
        words = set(_words(text))
        if words & _INTERVIEW_WORDS or find_stage(text) is not None:
            return True
    return False


def _title_company(summary: str, now: datetime, tz: ZoneInfo) -> str | None:
    """The company a title names: after "with"/"at"/"from" (as a sentence is read), else the one part of
    the title that is neither interview words nor filler."""
    read = notice(summary if _is_interview(summary, "") else f"{summary} interview", now=now, tz=tz)
    if read is not None and read.company:
        return read.company
    parts = [summary]
    for sep in _SEPARATORS:
        parts = [piece for part in parts for piece in part.split(sep)]
    candidates = []
    for part in parts:
        kept = [w for w in part.split() if w.lower().strip(".,!?'\"") not in _FILLER]
        rest = " ".join(kept)
        if rest and find_stage(part) is None and find_stage(rest) is None:  # a part naming a stage is no company
            candidates.append(rest)
    return candidates[0] if len(candidates) == 1 else None


def organizer_company(email: str | None) -> str | None:
    """The company an organizer's address names: jane@recruiting.acme.co.uk gives "Acme"; None for a mail
    or scheduling service."""
    if not email or "@" not in email:
        return None
    domain = email.rpartition("@")[2].strip().lower()[:253]
    labels = [label for label in domain.split(".") if label]
    while len(labels) > 1 and labels[-1] in _SUFFIX_LABELS:
        labels.pop()
    if not labels:
        return None
    name = labels[-1]
    if name in _SERVICE_DOMAINS or not name.replace("-", "").isalnum():
        return None
    return name.replace("-", " ").title()


def _instant(value: datetime, tz: ZoneInfo) -> datetime:
    """A start or end as an aware UTC instant; a floating time is read in the user's zone."""
    if value.tzinfo is None or value.utcoffset() is None:
        value = value.replace(tzinfo=tz)
    return value.astimezone(UTC)


def read_event(event: CalendarEvent, *, now: datetime, tz: ZoneInfo) -> InviteEvent | Skipped:
    """What ``event`` would be recorded as, or why it is not offered."""
    require_aware(now)
    title = " ".join(event.summary[:MAX_SUMMARY].split()) or "(untitled event)"
    description = event.description[:MAX_DESCRIPTION]
    if event.cancelled:
        return Skipped(title, CANCELLED)
    if event.recurring:
        return Skipped(title, RECURRING)
    if event.start is None:
        return Skipped(title, NO_START)
    if not isinstance(event.start, datetime):
        return Skipped(title, ALL_DAY)
    company = _title_company(title, now, tz) or organizer_company(event.organizer_email)
    meeting = bool(set(_words(title)) & _MEETING_WORDS) and company is not None
    if not (_is_interview(title, description) or meeting):
        return Skipped(title, NOT_INTERVIEW)
    key = find_stage(title) or find_stage(description) or "other"
    starts_at = _instant(event.start, tz)
    length = _length(event, starts_at, tz, key)
    return InviteEvent(event.uid, title, company, key, starts_at, length)


def _length(event: CalendarEvent, starts_at: datetime, tz: ZoneInfo, key: str) -> int:
    typical = round(stage(key).typical_length / timedelta(minutes=1))
    if isinstance(event.end, datetime):
        span = _instant(event.end, tz) - starts_at
    elif event.duration is not None:
        span = event.duration
    else:
        return typical
    minutes = round(span / timedelta(minutes=1))
    return minutes if MIN_MINUTES <= minutes <= MAX_MINUTES else typical
