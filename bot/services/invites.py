"""Calendar invites sent to the bot: each file read off the event loop, each event that reads as an
interview kept as a draft for the user to confirm (nothing is recorded here), the rest explained.

The same invite sent again (same event UID) is offered as an update of the interview recorded from it;
confirming it goes through :meth:`InterviewService.save_draft`, which updates rather than duplicates. Its
cancellation (METHOD:CANCEL or STATUS:CANCELLED) offers to remove that interview (the cog's buttons call
:meth:`InterviewService.delete`, as ``Delete`` does); a cancellation of nothing recorded is only explained.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from bot.clock import Clock
from bot.coach.invites import CalendarEvent, InviteEvent, Skipped, read_event
from bot.coach.text import clean_company
from bot.config import Settings
from bot.services.ical import MAX_BYTES, NotACalendar, parse_calendar
from bot.services.profile import load_profile
from bot.store import Interview, Store

__all__ = ["MAX_BYTES", "MAX_OFFERS", "InviteOffer", "InviteService", "InvitesRead"]

#: The most events offered from one message (each is one message with buttons); the rest are counted.
MAX_OFFERS = 5
#: Calendar files parsed at once, whoever sent them: the threads they run on are shared with other work.
PARALLEL_PARSES = 2


@dataclass(frozen=True, slots=True)
class InviteOffer:
    """An event read as an interview, kept as draft ``draft_id`` until the user confirms it."""

    draft_id: int
    event: InviteEvent
    company: str | None
    replaces: Interview | None  # recorded from the same invite before: confirming updates it

    @property
    def can_save(self) -> bool:
        return self.company is not None


@dataclass(slots=True)
class InvitesRead:
    """What the files of one message held."""

    offers: list[InviteOffer] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    not_calendars: list[str] = field(default_factory=list)  # file names
    left_out: int = 0  # interview events beyond :data:`MAX_OFFERS`, or events past a file's cap
    ask_zone: bool = False  # first contact: the zone is asked before anything is read
    #: Cancellations of invites recorded before: (the event's title, the interview), offered for removal.
    cancellations: list[tuple[str, Interview]] = field(default_factory=list)


class InviteService:
    def __init__(self, store: Store, settings: Settings, clock: Clock) -> None:
        self.store = store
        self.settings = settings
        self.clock = clock
        self._parsing = asyncio.Semaphore(PARALLEL_PARSES)

    async def read(self, user_id: int, files: list[tuple[str, bytes]]) -> InvitesRead:
        """Read the calendar files ``(name, bytes)`` a user sent; drafts for the interviews in them."""
        now = self.clock.now()
        profile = await load_profile(self.store, self.settings, user_id, now)
        result = InvitesRead()
        if profile.zone is None:
            await self.store.users.mark_zone_asked(user_id, now)
            result.ask_zone = True
            return result
        events: list[CalendarEvent] = []
        for name, data in files:
            try:
                async with self._parsing:
                    found, total = await asyncio.to_thread(parse_calendar, data)
            except NotACalendar:
                result.not_calendars.append(name)
                continue
            if not total:
                result.not_calendars.append(name)
            events += found
            result.left_out += total - len(found)
        for event in events:
            read = read_event(event, now=now, tz=profile.tz)
            known = await self.store.interviews.by_uid(user_id, event.uid) if event.cancelled and event.uid else None
            if isinstance(read, Skipped) and known is not None:
                result.cancellations.append((read.title, known))
            elif isinstance(read, Skipped):
                result.skipped.append(read)
            elif len(result.offers) >= MAX_OFFERS:
                result.left_out += 1
            else:
                result.offers.append(await self._offer(user_id, read, now))
        return result

    async def _offer(self, user_id: int, event: InviteEvent, now) -> InviteOffer:
        company = None
        if event.company:
            try:
                company = clean_company(event.company)
            except ValueError:
                company = None
        replaces = await self.store.interviews.by_uid(user_id, event.uid) if event.uid else None
        if company is None and replaces is not None:
            company = replaces.company
        draft_id = await self.store.drafts.add(
            user_id=user_id,
            source="invite",
            now=now,
            company=company,
            stage=event.stage,
            starts_at=event.starts_at,
            length_min=event.length_min,
            ical_uid=event.uid,
        )
        return InviteOffer(draft_id, event, company, replaces)
