"""After a rejection: a careful reply, a short bounded window, then one check-in.

The policy, in brief: disappointment after a no is normal and is given a
short window (an evening, not weeks). Many reasons for a no have nothing to
do with the candidate and are rarely disclosed, so the bot doesn't let the
worst explanation become the default. After the window the bot sends one
check-in that helps the person take a next step; if the rest of their
search is thin, it says so and points at logging or sending applications.

The window the user can choose is 4-48 hours; the delay before a debrief
prompt is 1-12 hours.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.coach.durations import format_duration
from bot.coach.localtime import require_aware
from bot.coach.waking import QuietHours, out_of_quiet

__all__ = [
    "DEBRIEF_DELAY_DEFAULT",
    "DEBRIEF_DELAY_MAX",
    "DEBRIEF_DELAY_MIN",
    "NEXT_ACTIONS",
    "RESET_LIST",
    "THIN_PIPELINE",
    "WINDOW_DEFAULT",
    "WINDOW_MAX",
    "WINDOW_MIN",
    "NextAction",
    "checkin_due",
    "checkin_message",
    "clamp_debrief_delay",
    "clamp_window",
    "next_action",
    "rejection_reply",
    "reset_list_text",
]

WINDOW_MIN = timedelta(hours=4)
WINDOW_MAX = timedelta(hours=48)
WINDOW_DEFAULT = timedelta(hours=18)
DEBRIEF_DELAY_MIN = timedelta(hours=1)
DEBRIEF_DELAY_MAX = timedelta(hours=12)
DEBRIEF_DELAY_DEFAULT = timedelta(hours=1)
THIN_PIPELINE = 2
"""Fewer active opportunities (open processes plus recent applications) than this is a thin pipeline."""
APPLICATIONS_WINDOW = timedelta(days=28)
"""Applications logged within this long count as still open in the check-in."""


@dataclass(frozen=True)
class NextAction:
    """A concrete next step offered after a rejection (button or select option)."""

    key: str
    label: str  # <= 80 characters (button / select label)
    detail: str  # one line shown as the select option's description (<= 100 characters)


NEXT_ACTIONS: tuple[NextAction, ...] = (
    NextAction(
        "send_application",
        "Send one application today",
        "Keeps the search moving so no single answer carries it.",
    ),
    NextAction(
        "feedback_request",
        "Ask for feedback",
        "A short note you can copy to the recruiter.",
    ),
    NextAction(
        "debrief",
        "Debrief this interview",
        "Ten minutes on what happened, while you still remember it.",
    ),
    NextAction(
        "practice",
        "Practise the weak spot for 30 min",
        "One focused session on the area that gave you trouble.",
    ),
    NextAction(
        "talk",
        "Talk it through with someone",
        "A friend, mentor or your cohort, rather than replaying it alone.",
    ),
)
_ACTION_BY_KEY = {a.key: a for a in NEXT_ACTIONS}

RESET_LIST: tuple[str, ...] = (
    "Keep other applications moving, so that no single outcome has to carry your whole search.",
    "Talk it over with someone you trust instead of running it back in your head on your own.",
    "This result isn't a measure of your worth: it's one company's call, made for its own reasons.",
    "Notice the story you're telling yourself about it, and check it against what actually happened.",
)


def next_action(key: str) -> NextAction:
    """The :class:`NextAction` for ``key``; ``KeyError`` if unknown."""
    try:
        return _ACTION_BY_KEY[key]
    except KeyError:
        raise KeyError(f"unknown next action {key!r}") from None


def reset_list_text() -> str:
    """:data:`RESET_LIST` as a Discord bullet list."""
    return "\n".join(f"- {line}" for line in RESET_LIST)


def _subject(company: str, role: str | None) -> str:
    company = company.strip()
    role = (role or "").strip()
    return f"the {role} role at {company}" if role else company


def rejection_reply(company: str, role: str | None, *, checkin_at: str | None = None) -> str:
    """The reply when someone records a rejection.

    ``checkin_at`` is a time already formatted for the user (for example
    "tomorrow 09:00"); when given, the reply says the check-in will come then.
    """
    lines = [
        f"Sorry about {_subject(company, role)}. Feeling flat or annoyed after a no is normal, "
        "especially when you'd put real work into the process.",
        "",
        "Keep in mind how many noes have nothing to do with the candidate: the role gets filled "
        "internally, a budget changes, the level shifts, someone else fits a fraction more closely, "
        "or the team has no room to mentor someone new right now. You rarely find out which it was, "
        "so try not to fill that gap with the harshest explanation.",
        "",
        "Give it an evening rather than a couple of weeks, then pick things back up.",
        "",
        "**For this evening**",
        reset_list_text(),
    ]
    tail = []
    if checkin_at:
        tail.append(f"I'll check in {checkin_at.strip()} with one small next step.")
    tail.append("If you'd like to ask them for feedback, `/feedback request` drafts a short note you can send.")
    lines += ["", " ".join(tail)]
    return "\n".join(lines)


def _opportunities(n: int) -> str:
    if n <= 0:
        return "nothing else open"
    return f"{n} other {'opportunity' if n == 1 else 'opportunities'} open"


def _distinct(companies: Sequence[str]) -> list[str]:
    """Each company once (any case), in the order given."""
    seen: dict[str, str] = {}
    for company in companies:
        seen.setdefault(company.strip().casefold(), company.strip())
    return list(seen.values())


def _joined(names: Sequence[str]) -> str:
    """ "Acme", "Acme and Globex", "Acme, Globex and Initech"."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def checkin_message(company: str | Sequence[str], active_opportunities: int, recent_applications: int = 0) -> str:
    """The single check-in sent after the reset window, with next actions attached by the caller.

    ``company`` may be several companies: rejections recorded while a check-in was pending fold into it, and
    it names them all. ``recent_applications`` are applications logged with ``/applications log`` in the
    last :data:`APPLICATIONS_WINDOW`: each is a live chance, so they count towards the pipeline."""
    n = max(0, int(active_opportunities))
    apps = max(0, int(recent_applications))
    companies = [company] if isinstance(company, str) else list(company)
    if not companies:
        raise ValueError("a check-in names at least one company")
    names = _distinct(companies)
    lines = [f"Checking in after {_joined(names)}. When you're ready, pick one small step below."]
    one_of = "these weren't your only chances" if len(names) > 1 else "this was one of several"
    sent = f"{apps} {'application' if apps == 1 else 'applications'} out from the last four weeks"
    if n + apps < THIN_PIPELINE:
        have = f"{_opportunities(n)} and {sent}" if apps else _opportunities(n)
        lines.append(
            f"Right now you have {have}, which is a thin pipeline to carry a search. "
            "A couple of new applications spread the weight, so no single reply decides how your week "
            "goes. Record them with `/applications log` so your picture stays accurate."
        )
    elif apps:
        have = f"{_opportunities(n)} and {sent}" if n else sent
        lines.append(f"You have {have}, so {one_of}. Keeping those moving is the best use of today.")
    else:
        lines.append(f"You have {_opportunities(n)}, so {one_of}. Keeping those moving is the best use of today.")
    return "\n\n".join(lines)


def checkin_due(rejected_at_utc: datetime, window: timedelta, tz: ZoneInfo, quiet: QuietHours) -> datetime:
    """When the check-in is due: the end of the window, moved out of quiet hours (aware UTC)."""
    require_aware(rejected_at_utc, "rejected_at_utc")
    return out_of_quiet((rejected_at_utc + window).astimezone(UTC), tz, quiet)


def _bounded(td: timedelta, low: timedelta, high: timedelta, what: str, strict: bool) -> timedelta:
    if low <= td <= high:
        return td
    if strict:
        raise ValueError(
            f"The {what} can be between {format_duration(low)} and {format_duration(high)} (got {format_duration(td)})."
        )
    return min(max(td, low), high)


def clamp_window(td: timedelta, *, strict: bool = True) -> timedelta:
    """Check a reset window against :data:`WINDOW_MIN`-:data:`WINDOW_MAX` (4-48 h).

    With ``strict`` (the default, for user input) a value outside the range
    raises ``ValueError`` with a message fit to show the user; with
    ``strict=False`` (operator defaults, stored values) it is clamped.
    """
    return _bounded(td, WINDOW_MIN, WINDOW_MAX, "reset window", strict)


def clamp_debrief_delay(td: timedelta, *, strict: bool = True) -> timedelta:
    """Check a debrief delay against :data:`DEBRIEF_DELAY_MIN`-:data:`DEBRIEF_DELAY_MAX` (1-12 h).

    Same ``strict`` behaviour as :func:`clamp_window`.
    """
    return _bounded(td, DEBRIEF_DELAY_MIN, DEBRIEF_DELAY_MAX, "debrief delay", strict)
