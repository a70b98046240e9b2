"""Turning an ``.ics`` file into plain :class:`~bot.coach.invites.CalendarEvent` values with ``icalendar``.

Synchronous and possibly slow on a large file: callers run it off the event loop, on bytes already
capped in size (:data:`MAX_BYTES`).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import icalendar

from bot.coach.invites import CalendarEvent

#: The largest calendar file read (an invite is a few KiB; a whole exported calendar is not an invite).
MAX_BYTES = 256 * 1024
#: The most events read from one file.
MAX_EVENTS = 20


class NotACalendar(ValueError):
    """The bytes are not an iCalendar file (or hold no calendar)."""


def _text(component: icalendar.cal.Component, name: str) -> str:
    value = component.get(name)
    return str(value) if value is not None else ""


def _when(component: icalendar.cal.Component, name: str) -> datetime | date | None:
    prop = component.get(name)
    if prop is None:
        return None
    value = getattr(prop, "dt", None)
    return value if isinstance(value, date) else None


def _organizer(component: icalendar.cal.Component) -> str | None:
    value = component.get("ORGANIZER")
    if value is None:
        return None
    address = str(value)
    if address.lower().startswith("mailto:"):
        address = address[len("mailto:") :]
    return address.strip() or None


def _duration(component: icalendar.cal.Component) -> timedelta | None:
    prop = component.get("DURATION")
    value = getattr(prop, "dt", None) if prop is not None else None
    return value if isinstance(value, timedelta) else None


def parse_calendar(data: bytes) -> tuple[list[CalendarEvent], int]:
    """The events of an iCalendar file (at most :data:`MAX_EVENTS`) and how many there were in all.
    Raises :class:`NotACalendar` for anything that is not a calendar."""
    if len(data) > MAX_BYTES:
        raise NotACalendar("too large")
    try:
        calendar = icalendar.Calendar.from_ical(data)
    except (ValueError, KeyError, IndexError, TypeError, UnicodeDecodeError) as error:
        raise NotACalendar(str(error)[:200]) from None
    if not isinstance(calendar, icalendar.Calendar) or calendar.name != "VCALENDAR":
        raise NotACalendar("no VCALENDAR")
    events = calendar.walk("VEVENT")
    cancelling = _text(calendar, "METHOD").strip().upper() == "CANCEL"
    read: list[CalendarEvent] = []
    for event in events[:MAX_EVENTS]:
        try:
            read.append(
                CalendarEvent(
                    uid=_text(event, "UID")[:500] or None,
                    summary=_text(event, "SUMMARY"),
                    description=_text(event, "DESCRIPTION"),
                    organizer_email=_organizer(event),
                    start=_when(event, "DTSTART"),
                    end=_when(event, "DTEND"),
                    duration=_duration(event),
                    recurring=event.get("RRULE") is not None or event.get("RDATE") is not None,
                    cancelled=cancelling or _text(event, "STATUS").strip().upper() == "CANCELLED",
                )
            )
        except (ValueError, KeyError, TypeError) as error:  # one unreadable event: the file is not usable
            raise NotACalendar(str(error)[:200]) from None
    return read, len(events)
