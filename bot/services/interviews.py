"""Recording interviews and keeping their prompts in step. No Discord here: cogs call this.

Logging an interview schedules, in the same transaction:

* its debrief prompt, ``debrief_delay`` after the interview ends (at once if that moment has passed),
  moved out of the user's quiet hours;
* its ghosting nudge, ``ghosting_wait`` after it ends, cancelled as soon as an outcome is recorded.

Moving the interview moves its pending prompts; deleting it cancels them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.clock import Clock
from bot.coach.noticing import Noticed, notice
from bot.coach.text import clean_company
from bot.coach.waking import out_of_quiet
from bot.coach.when import parse_when
from bot.config import Settings
from bot.errors import UserError
from bot.prompts import PromptQueue
from bot.services.profile import UTC_ZONE, Profile, load_profile, profile_of
from bot.store import Draft, Interview, Store, Tx
from bot.store.feedback import Feedback

MIN_LENGTH = 5
MAX_LENGTH = 600
DEFAULT_LENGTH = 60
DRAFT_GONE = "That one is already recorded or dismissed."
DRAFT_EXPIRED = (
    "That draft expired: I keep an unconfirmed interview for {hours} hours. Nothing was recorded; "
    "tell me about it again, or use `/interview log`."
)
NOT_YOURS = "I can't find that interview among yours. Pick one from the list as you type."


@dataclass(frozen=True, slots=True)
class Logged:
    interview: Interview
    prompt_id: int | None
    prompt_due: datetime | None  # None when no prompt will come (already sent or debriefed)
    held_for_quiet: bool = False  # the prompt was moved to the end of the user's quiet hours
    already: bool = False  # the same interview was logged moments ago (a retry): nothing new was recorded


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

    @property
    def can_save(self) -> bool:
        return bool(self.company and self.when)


#: A draft's message, read again once the zone is known, turned out not to be about an interview.
NOT_AN_INTERVIEW = "not an interview"


def _wanted(profile: Profile, ends_at: datetime, now: datetime, delay: timedelta | None = None) -> datetime:
    """When the debrief prompt should come before quiet hours: ``delay`` after the end, not before now."""
    return max(ends_at + (profile.debrief_delay if delay is None else delay), now)


def too_many_today(cap: int) -> str:
    return (
        f"You've logged {cap} interviews in the last 24 hours, the most I take in a day, so this one "
        "was not recorded. Try again tomorrow."
    )


def too_many_pending(cap: int) -> str:
    return (
        f"You have {cap} reminders waiting, the most I keep for one person, so this interview was not "
        "recorded. Record outcomes (`/interview outcome`) or delete interviews you no longer need."
    )


def check_length(length_min: int) -> int:
    if not MIN_LENGTH <= length_min <= MAX_LENGTH:
        raise UserError(f"Interview length should be between {MIN_LENGTH} and {MAX_LENGTH} minutes.")
    return length_min


class InterviewService:
    def __init__(self, store: Store, settings: Settings, clock: Clock, queue: PromptQueue) -> None:
        self.store = store
        self.settings = settings
        self.clock = clock
        self.queue = queue

    async def profile(self, user_id: int) -> Profile:
        return await load_profile(self.store, self.settings, user_id, self.clock.now())

    async def find(self, user_id: int, interview_id: int) -> Interview | None:
        return await self.store.interviews.get(user_id, interview_id)

    async def search(self, user_id: int, text: str, limit: int = 25) -> tuple[ZoneInfo, list[Interview]]:
        """The user's interviews whose company or role matches ``text``, and the zone to show them in."""
        user = await self.store.users.get(user_id)
        tz = ZoneInfo(user.timezone) if user and user.timezone else UTC_ZONE
        return tz, await self.store.interviews.search(user_id, text, limit=limit)

    async def listing(self, user_id: int, limit: int = 20) -> list[tuple[Interview, str | None, list[Feedback]]]:
        """The user's recent interviews, each with its debrief prompt's state and the feedback on it."""
        rows = []
        for interview in await self.store.interviews.list(user_id, limit=limit):
            prompt = await self.store.prompts.find("debrief", interview.id)
            feedback = await self.store.feedback.for_interview(user_id, interview.id)
            rows.append((interview, prompt.state if prompt else None, feedback))
        return rows

    # -- first contact and drafts --------------------------------------------------------------------

    async def log_command(
        self,
        profile: Profile,
        *,
        company: str,
        when: str,
        stage: str,
        role: str | None,
        length_min: int,
        guild_id: int | None,
    ) -> Logged | AskZone:
        """``/interview log``: recorded at once, or (no zone yet) kept as a draft while the zone is asked."""
        now = self.clock.now()
        if profile.zone is None:
            draft_id = await self.store.drafts.add(
                user_id=profile.user.id,
                source="command",
                now=now,
                company=company,
                role=role,
                stage=stage,
                when_text=when,
                length_min=length_min,
                guild_id=guild_id,
            )
            await self.store.users.mark_zone_asked(profile.user.id, now)
            return AskZone(draft_id)
        starts_at = parse_when(when, now=now, tz=profile.tz)
        return await self.log(
            profile,
            company=company,
            stage=stage,
            starts_at=starts_at,
            role=role,
            length_min=length_min,
            guild_id=guild_id,
        )

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
        self, profile: Profile, noticed: Noticed, source: str, guild_id: int | None, now: datetime
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
        )
        return Offer(draft_id, company, noticed.stage, noticed.when, noticed.finished)

    async def reads_as_interview(self, user_id: int, text: str) -> bool:
        """Whether ``text`` reads as news of an interview (then noticing, not an open debrief, takes it)."""
        now = self.clock.now()
        profile = await load_profile(self.store, self.settings, user_id, now)
        return notice(text, now=now, tz=profile.tz) is not None

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

    async def save_draft(self, profile: Profile, draft: Draft) -> Logged:
        """Record a confirmed draft that has a company and a time."""
        assert draft.company and draft.starts_at
        return await self.log(
            profile,
            company=draft.company,
            stage=draft.stage or "other",
            starts_at=draft.starts_at,
            role=draft.role,
            length_min=draft.length_min or DEFAULT_LENGTH,
            source=draft.source,
            guild_id=draft.guild_id,
            draft_id=draft.id,
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

    async def log(
        self,
        profile: Profile,
        *,
        company: str,
        stage: str,
        starts_at: datetime,
        role: str | None = None,
        length_min: int = DEFAULT_LENGTH,
        source: str = "command",
        guild_id: int | None = None,
        draft_id: int | None = None,
    ) -> Logged:
        """Record an interview. From a draft, the draft is taken in the same transaction, so a double
        click records it once: the second finds the draft gone and records nothing. The same interview
        logged again within ``limits.retry_window`` (a retry after "This interaction failed": the first
        was saved, its reply lost) is returned as ``already`` instead of recorded twice.

        Refused, with nothing written, past ``limits.interviews_per_day`` in 24 hours or
        ``limits.pending_prompts_per_user`` waiting prompts."""
        now = self.clock.now()
        limits = self.settings.limits
        user_id = profile.user.id
        check_length(length_min)
        async with self.store.transaction() as tx:
            if draft_id is not None and not await self.store.drafts.take(tx, user_id, draft_id):
                raise UserError(DRAFT_GONE)
            same = await self.store.interviews.same_logged_since(
                tx, user_id=user_id, company=company, stage=stage, starts_at=starts_at, since=now - limits.retry_window
            )
            if same is not None:
                prompt = await self.store.prompts.find("debrief", same.id, tx=tx)
                due = prompt.due_at if prompt is not None and prompt.state == "pending" else None
                return Logged(same, prompt.id if prompt else None, due, already=True)
            if await self.store.interviews.count_logged_since(tx, user_id, now - timedelta(days=1)) >= (
                limits.interviews_per_day
            ):
                raise UserError(too_many_today(limits.interviews_per_day))
            if await self.store.prompts.count_pending(user_id, tx) + 2 > limits.pending_prompts_per_user:
                raise UserError(too_many_pending(limits.pending_prompts_per_user))
            interview_id = await self.store.interviews.add(
                tx,
                user_id=profile.user.id,
                company=company,
                stage=stage,
                starts_at=starts_at,
                now=now,
                role=role,
                length_min=length_min,
                source=source,
                guild_id=guild_id,
            )
            ends_at = starts_at + timedelta(minutes=length_min)
            prompt_id, due, held = await self._schedule_debrief(tx, profile, interview_id, ends_at, now)
            ghost_due = await self._schedule_ghosting(tx, profile, interview_id, ends_at, now)
            previous = await self.store.interviews.previous_round(tx, interview_id)
            if previous is not None:  # a new round is news: the earlier round needs no ghosting nudge
                await self.store.prompts.cancel(tx, "ghosting", previous)
        self.queue.notify(due)
        self.queue.notify(ghost_due)
        interview = await self.store.interviews.get(profile.user.id, interview_id)
        assert interview is not None
        return Logged(interview, prompt_id, due, held)

    async def _schedule_debrief(
        self,
        tx: Tx,
        profile: Profile,
        interview_id: int,
        ends_at: datetime,
        now: datetime,
        *,
        delay: timedelta | None = None,
        revive: bool = False,
    ) -> tuple[int | None, datetime, bool]:
        """Schedule (or move) the debrief prompt: (prompt id or None if it already went, due, held for quiet)."""
        wanted = _wanted(profile, ends_at, now, delay)
        due = out_of_quiet(wanted, profile.tz, profile.quiet)
        prompt_id = await self.store.prompts.schedule(
            tx, kind="debrief", subject_id=interview_id, user_id=profile.user.id, due_at=due, now=now, revive=revive
        )
        return prompt_id, due, due > wanted

    async def _schedule_ghosting(
        self, tx: Tx, profile: Profile, interview_id: int, ends_at: datetime, now: datetime
    ) -> datetime:
        due = out_of_quiet(max(ends_at + self.settings.coaching.ghosting_wait, now), profile.tz, profile.quiet)
        await self.store.prompts.schedule(
            tx, kind="ghosting", subject_id=interview_id, user_id=profile.user.id, due_at=due, now=now
        )
        return due

    async def edit(
        self,
        profile: Profile,
        interview_id: int,
        *,
        company: str,
        role: str | None,
        stage: str,
        starts_at: datetime,
        length_min: int,
    ) -> Logged:
        """Change the interview; its pending debrief prompt and ghosting nudge move with it."""
        now = self.clock.now()
        check_length(length_min)
        interview = await self._own(profile.user.id, interview_id)
        async with self.store.transaction() as tx:
            await self.store.interviews.update(
                tx,
                profile.user.id,
                interview_id,
                company=company,
                role=role,
                stage=stage,
                starts_at=starts_at,
                length_min=length_min,
            )
            ends_at = starts_at + timedelta(minutes=length_min)
            prompt_id, due, held = await self._schedule_debrief(tx, profile, interview_id, ends_at, now)
            ghost_due = None
            if interview.outcome is None:
                ghost_due = await self._schedule_ghosting(tx, profile, interview_id, ends_at, now)
        self.queue.notify(due)
        if ghost_due is not None:
            self.queue.notify(ghost_due)
        changed = await self._own(profile.user.id, interview_id)
        return Logged(changed, prompt_id, due if prompt_id else None, held)

    async def move_prompt(self, profile: Profile, interview_id: int, delay: timedelta) -> datetime | None:
        """Have the debrief prompt come ``delay`` after the interview ends; None if it already came."""
        now = self.clock.now()
        interview = await self._own(profile.user.id, interview_id)
        async with self.store.transaction() as tx:
            prompt_id, due, _ = await self._schedule_debrief(
                tx, profile, interview_id, interview.ends_at, now, delay=delay, revive=True
            )
        if prompt_id is None:
            return None
        self.queue.notify(due)
        return due

    async def cancel_prompt(self, user_id: int, interview_id: int) -> bool:
        await self._own(user_id, interview_id)
        async with self.store.transaction() as tx:
            return await self.store.prompts.cancel(tx, "debrief", interview_id)

    async def delete(self, user_id: int, interview_id: int) -> Interview:
        """Delete the interview with everything hanging off it, and cancel its prompts."""
        interview = await self._own(user_id, interview_id)
        async with self.store.transaction() as tx:
            for kind in ("debrief", "checkin", "ghosting"):
                await self.store.prompts.cancel(tx, kind, interview_id)
            await self.store.interviews.delete(tx, user_id, interview_id)
        return interview

    async def requeue_user(self, user_id: int) -> int:
        """After a zone or quiet-hours change: move the user's pending prompts out of their quiet hours."""
        now = self.clock.now()
        user = await self.store.users.get(user_id)
        if user is None:
            return 0
        profile = profile_of(user, self.settings)
        moved = 0
        pending = await self.store.prompts.for_user(user_id)  # read before the transaction takes the lock
        async with self.store.transaction() as tx:
            for prompt in pending:
                due = out_of_quiet(prompt.due_at, profile.tz, profile.quiet)
                if due != prompt.due_at:
                    await self.store.prompts.schedule(
                        tx, kind=prompt.kind, subject_id=prompt.subject_id, user_id=user_id, due_at=due, now=now
                    )
                    moved += 1
        self.queue.wake()
        return moved

    async def cancel_kind(self, user_id: int, kind: str) -> int:
        """Cancel every pending prompt of ``kind`` for the user; returns how many."""
        cancelled = 0
        pending = await self.store.prompts.for_user(user_id)
        async with self.store.transaction() as tx:
            for prompt in pending:
                if prompt.kind == kind and await self.store.prompts.cancel(tx, kind, prompt.subject_id):
                    cancelled += 1
        return cancelled

    async def _own(self, user_id: int, interview_id: int) -> Interview:
        interview = await self.store.interviews.get(user_id, interview_id)
        if interview is None:
            raise UserError(NOT_YOURS)
        return interview
