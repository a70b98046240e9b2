"""Interviews told in plain words: noticing one in a DM or a post, the draft it becomes, the zone asked on
first contact, and a report held while a debrief is open. A part of :class:`InterviewService`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bot.coach.noticing import Noticed, notice
from bot.coach.text import clean_company
from bot.coach.when import parse_when
from bot.errors import UserError
from bot.services.profile import Profile, load_profile
from bot.store import Draft, Interview

DRAFT_EXPIRED = (
    "That draft expired: I keep an unconfirmed interview for {hours} hours. Nothing was recorded; "
    "tell me about it again, or use `/interview log`."
)
#: An interview's length when nobody said (minutes).
DEFAULT_LENGTH = 60


@dataclass(frozen=True, slots=True)
class Logged:
    interview: Interview
    prompt_id: int | None
    prompt_due: datetime | None  # None when no prompt will come (already sent or debriefed)
    held_for_quiet: bool = False  # the prompt was moved to the end of the user's quiet hours
    already: bool = False  # the same interview was logged moments ago (a retry): nothing new was recorded
    updated: bool = False  # an invite sent again: the interview recorded from it took the new details


@dataclass(frozen=True, slots=True)
class AskZone:
    """First contact: the user has no zone yet; the interview waits as draft ``draft_id``."""

    draft_id: int


@dataclass(frozen=True, slots=True)
class Offer:
    """An interview read from a message, kept as a draft for the user to confirm, fix or dismiss."""

    draft_id: int
    company: str | None
    stage: str | None
    when: datetime | None
    finished: bool
    tomorrow: datetime | None = None  # "at 3pm" sent after 3pm: the same time tomorrow, which may be meant
    question: str | None = None  # the time read two ways ("next Saturday" on a Thursday): which one?

    @property
    def can_save(self) -> bool:
        return bool(self.company and self.when)


#: A draft's message, read again once the zone is known, turned out not to be about an interview.
NOT_AN_INTERVIEW = "not an interview"


class Drafting:
    """The draft half of :class:`bot.services.interviews.InterviewService` (it uses the service's store,
    settings, clock and :meth:`log`)."""

    async def notice(
        self, user_id: int, text: str, *, source: str, guild_id: int | None = None, channel_id: int | None = None
    ) -> Offer | AskZone | None:
        """Read a DM (or a notice-channel post) for an interview: None if it isn't about one; else a draft
        to confirm, or (no zone yet) the zone question with the message kept for later."""
        now = self.clock.now()
        profile = await load_profile(self.store, self.settings, user_id, now)
        noticed = notice(text, now=now, tz=profile.tz)
        if noticed is None:
            return None
        if guild_id is not None:
            await self.store.users.remember_membership(user_id, guild_id, channel_id, now)
        if profile.zone is None:
            draft_id = await self.store.drafts.add(
                user_id=user_id, source=source, now=now, when_text=text, guild_id=guild_id
            )
            if source == "dm":
                await self.store.users.mark_zone_asked(user_id, now)
            return AskZone(draft_id)
        return await self._offer(profile, noticed, source, guild_id, now)

    async def _offer(
        self,
        profile: Profile,
        noticed: Noticed,
        source: str,
        guild_id: int | None,
        now: datetime,
        *,
        text: str | None = None,
    ) -> Offer:
        company = None
        if noticed.company:
            try:
                company = clean_company(noticed.company)
            except ValueError:
                company = None
        draft_id = await self.store.drafts.add(
            user_id=profile.user.id,
            source=source,
            now=now,
            company=company,
            stage=noticed.stage,
            starts_at=noticed.when,
            length_min=noticed.length // timedelta(minutes=1) if noticed.length else None,
            guild_id=guild_id,
            when_text=text,
        )
        return Offer(
            draft_id,
            company,
            noticed.stage,
            noticed.when,
            noticed.finished,
            tomorrow=noticed.tomorrow,
            question=noticed.question,
        )

    async def draft_company(self, user_id: int, company: str | None, source: str) -> int:
        """A draft holding only a company, for the user to fill in (an outcome told about an interview that
        was never logged)."""
        now = self.clock.now()
        await self.store.users.ensure(user_id, now)
        try:
            name = clean_company(company) if company else None
        except ValueError:
            name = None
        return await self.store.drafts.add(user_id=user_id, source=source, now=now, company=name)

    async def reads_as_interview(self, user_id: int, text: str) -> bool:
        """Whether ``text`` reads as news of an interview (then noticing, not an open debrief, takes it)."""
        now = self.clock.now()
        profile = await load_profile(self.store, self.settings, user_id, now)
        return notice(text, now=now, tz=profile.tz) is not None

    async def hold_report(self, user_id: int, text: str) -> Offer | None:
        """A DM typed while a debrief is open: if it reads as an interview report (a company *and* a
        time), keep it as a draft, the text with it, until the user says whether it is an answer or a new
        interview; else None (it is an answer)."""
        now = self.clock.now()
        profile = await load_profile(self.store, self.settings, user_id, now)
        noticed = notice(text, now=now, tz=profile.tz)
        if noticed is None or not noticed.company or noticed.when is None:
            return None
        return await self._offer(profile, noticed, "dm", None, now, text=text)

    async def take_report(self, user_id: int, draft_id: int) -> str | None:
        """The text of a held report, removing it (the user said it was an answer); None if it is gone
        (already answered, or recorded as an interview)."""
        draft = await self.store.drafts.get(user_id, draft_id)
        if draft is None or draft.when_text is None:
            return None
        async with self.store.transaction() as tx:
            if not await self.store.drafts.take(tx, user_id, draft_id):
                return None
        return draft.when_text

    async def draft(self, user_id: int, draft_id: int) -> Draft | None:
        """The user's draft; None if it is gone. A draft older than ``limits.draft_ttl`` is deleted and
        refused with a message that says it expired."""
        draft = await self.store.drafts.get(user_id, draft_id) if draft_id else None
        ttl = self.settings.limits.draft_ttl
        if draft is not None and self.clock.now() - draft.created_at > ttl:
            await self.store.drafts.delete(user_id, draft.id)
            raise UserError(DRAFT_EXPIRED.format(hours=round(ttl.total_seconds() / 3600)))
        return draft

    async def drop_draft(self, user_id: int, draft_id: int) -> None:
        await self.store.drafts.delete(user_id, draft_id)

    async def save_draft(self, profile: Profile, draft: Draft, *, next_day: bool = False) -> Logged:
        """Record a confirmed draft that has a company and a time; ``next_day``: at the same local time a day
        later (the user meant tomorrow)."""
        assert draft.company and draft.starts_at
        starts_at = draft.starts_at
        if next_day:
            starts_at = (starts_at.astimezone(profile.tz) + timedelta(days=1)).astimezone(UTC)
        return await self.log(
            profile,
            company=draft.company,
            stage=draft.stage or "other",
            starts_at=starts_at,
            role=draft.role,
            length_min=draft.length_min or DEFAULT_LENGTH,
            source=draft.source,
            guild_id=draft.guild_id,
            draft_id=draft.id,
            ical_uid=draft.ical_uid,
        )

    async def continue_draft(self, profile: Profile, draft: Draft) -> Logged | Offer | str:
        """After the zone is known: a command's draft is recorded, a message's draft is read and offered
        (or, if it turns out not to be about an interview, dropped: :data:`NOT_AN_INTERVIEW`)."""
        now = self.clock.now()
        if draft.source == "command" and draft.company and draft.stage and draft.when_text:
            return await self.log(
                profile,
                company=draft.company,
                stage=draft.stage,
                starts_at=parse_when(draft.when_text, now=now, tz=profile.tz),
                role=draft.role,
                length_min=draft.length_min or DEFAULT_LENGTH,
                guild_id=draft.guild_id,
                draft_id=draft.id,
            )
        noticed = notice(draft.when_text or "", now=now, tz=profile.tz)
        await self.store.drafts.delete(profile.user.id, draft.id)
        if noticed is None:
            return NOT_AN_INTERVIEW
        return await self._offer(profile, noticed, draft.source, draft.guild_id, now)

    # -- recording -----------------------------------------------------------------------------------
