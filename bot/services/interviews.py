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
from bot.coach.noticing import notice
from bot.coach.outcome_words import HeardOutcome, company_key, hear_outcome, matching
from bot.coach.patterns.readiness import pre_interview_due
from bot.coach.waking import out_of_quiet
from bot.coach.when import parse_when
from bot.config import Settings
from bot.errors import Gone, UserError
from bot.prompts import PromptQueue
from bot.services._checkins import keep_folded_checkin
from bot.services._drafts import DEFAULT_LENGTH as DEFAULT_LENGTH
from bot.services._drafts import NOT_AN_INTERVIEW as NOT_AN_INTERVIEW
from bot.services._drafts import AskZone as AskZone
from bot.services._drafts import Drafting
from bot.services._drafts import Logged as Logged
from bot.services._drafts import Offer as Offer
from bot.services.profile import UTC_ZONE, Profile, load_profile, profile_of
from bot.store import Interview, Store, Tx
from bot.store.feedback import Feedback

MIN_LENGTH = 5
MAX_LENGTH = 600
#: Interviews per page of ``/interview list``: a page's worst case (every field at its longest, every
#: character escaped) stays well inside one embed description (4,096), and its select holds them all.
PAGE_SIZE = 6
#: How many of the user's most recent interviews a message is matched against.
HEARD_SEARCH = 500
DRAFT_GONE = "That one is already recorded or dismissed."
#: The most prompts one interview schedules: the debrief prompt, the ghosting nudge, the evening-before note.
PROMPTS_PER_INTERVIEW = 3
INVITE_JUST_RECORDED = "That invite was just recorded; `/interview list` shows it."
INVITE_TARGET_GONE = (
    "The interview this invite updates was deleted a moment ago, so nothing changed. Press **Yes, record it** "
    "again to record the invite as a new interview, or **Not an interview** to let it go."
)
NOT_YOURS = "I can't find that interview among yours. Pick one from the list as you type."


@dataclass(frozen=True, slots=True)
class Entry:
    """An interview as the list and its card show it."""

    interview: Interview
    prompt_due: datetime | None  # when its debrief prompt comes, while one waits to go out; else None
    feedback: list[Feedback]


@dataclass(frozen=True, slots=True)
class ListPage:
    entries: list[Entry]
    page: int  # from 0
    pages: int  # at least 1
    total: int
    upcoming: int  # how many of all the user's interviews are still ahead


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


class InterviewService(Drafting):
    """Interviews: logging, editing, listing and deleting them, and what to schedule for each."""

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

    async def named_in(self, user_id: int, text: str, limit: int = 5) -> list[Interview]:
        """The user's interviews that have started and whose company ``text`` names (the company read as in
        a DM, or any of theirs named anywhere in it), those not yet debriefed first, newest first."""
        now = self.clock.now()
        profile = await self.profile(user_id)
        noticed = notice(text, now=now, tz=profile.tz)
        heard = hear_outcome(text)
        company = (noticed.company if noticed else None) or (heard.company if heard else None)
        started = [i for i in await self.store.interviews.list(user_id, limit=HEARD_SEARCH) if i.starts_at <= now]
        names = matching(HeardOutcome("", company), text, [i.company for i in started])
        keys = {company_key(name) for name in names}
        fits = [i for i in started if company_key(i.company) in keys]
        fits.sort(key=lambda i: i.debriefed_at is not None)  # stable: newest first within each group
        return fits[:limit]

    async def page(self, user_id: int, page: int) -> ListPage:
        """One page of the user's interviews: upcoming first (soonest first), then past (newest first).
        A page number past the end shows the last page."""
        now = self.clock.now()
        upcoming, past = await self.store.interviews.count_split(user_id, now)
        total = upcoming + past
        pages = max(1, -(-total // PAGE_SIZE))
        page = min(max(page, 0), pages - 1)
        start, end = page * PAGE_SIZE, (page + 1) * PAGE_SIZE
        found: list[Interview] = []
        if start < upcoming:
            found += await self.store.interviews.upcoming(user_id, now, start, min(end, upcoming) - start)
        if end > upcoming:
            skip = max(start - upcoming, 0)
            found += await self.store.interviews.past(user_id, now, skip, end - upcoming - skip)
        entries = [await self._entry(user_id, interview) for interview in found]
        return ListPage(entries, page, pages, total, upcoming)

    async def entry(self, user_id: int, interview_id: int) -> Entry:
        """One of the user's interviews with what its card shows; "not among yours" for anyone else's id."""
        return await self._entry(user_id, await self._own(user_id, interview_id))

    async def _entry(self, user_id: int, interview: Interview) -> Entry:
        prompt = await self.store.prompts.find("debrief", interview.id)
        waiting = prompt.due_at if prompt is not None and prompt.state == "pending" else None
        feedback = await self.store.feedback.for_interview(user_id, interview.id)
        return Entry(interview, waiting, feedback)

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
        ical_uid: str | None = None,
    ) -> Logged:
        """Record an interview. From a draft, the draft is taken in the same transaction, so a double
        click records it once: the second finds the draft gone and records nothing. The same interview
        logged again within ``limits.retry_window`` (a retry after "This interaction failed": the first
        was saved, its reply lost) is returned as ``already`` instead of recorded twice.

        Refused, with nothing written, past ``limits.interviews_per_day`` in 24 hours or
        ``limits.pending_prompts_per_user`` waiting prompts.

        From a calendar invite (``ical_uid``), an interview already recorded from the same event is
        updated instead (``updated``): an invite sent again never records a second interview."""
        now = self.clock.now()
        limits = self.settings.limits
        user_id = profile.user.id
        check_length(length_min)
        if ical_uid is not None and await self.store.interviews.by_uid(user_id, ical_uid) is not None:
            return await self._update_from_invite(
                profile,
                draft_id,
                ical_uid=ical_uid,
                company=company,
                stage=stage,
                starts_at=starts_at,
                role=role,
                length=length_min,
            )
        async with self.store.transaction() as tx:
            if draft_id is not None and not await self.store.drafts.take(tx, user_id, draft_id):
                raise Gone(DRAFT_GONE)
            if ical_uid is not None and await self.store.interviews.by_uid(user_id, ical_uid, tx) is not None:
                raise UserError(INVITE_JUST_RECORDED)  # the same invite, confirmed twice at the same moment
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
            if (
                await self.store.prompts.count_pending(user_id, tx) + PROMPTS_PER_INTERVIEW
                > limits.pending_prompts_per_user
            ):
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
                ical_uid=ical_uid,
            )
            ends_at = starts_at + timedelta(minutes=length_min)
            prompt_id, due, held = await self._schedule_debrief(tx, profile, interview_id, ends_at, now)
            ghost_due = await self._schedule_ghosting(tx, profile, interview_id, ends_at, now)
            pre_due = await self._schedule_pre_interview(tx, profile, interview_id, starts_at, now)
            previous = await self.store.interviews.previous_round(tx, interview_id)
            if previous is not None:  # a new round is news: the earlier round needs no ghosting nudge
                await self.store.prompts.cancel(tx, "ghosting", previous)
        self.queue.notify(due)
        self.queue.notify(ghost_due)
        if pre_due is not None:
            self.queue.notify(pre_due)
        interview = await self.store.interviews.get(profile.user.id, interview_id)
        assert interview is not None
        return Logged(interview, prompt_id, due, held)

    async def _update_from_invite(
        self,
        profile: Profile,
        draft_id: int | None,
        *,
        ical_uid: str,
        company: str,
        stage: str,
        starts_at: datetime,
        role: str | None,
        length: int,
    ) -> Logged:
        """An invite sent again: the interview recorded from the first one takes the new details and its
        prompts move with it. The draft is taken in the same transaction (so a double click updates once),
        and only if the interview is still there: deleted meanwhile, nothing changes, the draft is kept,
        and the user is told that confirming again records the invite as a new interview."""
        now = self.clock.now()
        check_length(length)
        async with self.store.transaction() as tx:
            if draft_id is not None and not await self.store.drafts.take(tx, profile.user.id, draft_id):
                raise Gone(DRAFT_GONE)
            current = await self.store.interviews.by_uid(profile.user.id, ical_uid, tx)
            if current is None:
                raise UserError(INVITE_TARGET_GONE)  # (the transaction is undone: the draft stays)
            due, ghost_due, pre_due, prompt_id, held = await self._apply_edit(
                tx,
                profile,
                current,
                now,
                company=company,
                role=role or current.role,
                stage=stage if stage != "other" else current.stage,
                starts_at=starts_at,
                length_min=length,
            )
        self._notify(due, ghost_due, pre_due)
        changed = await self._own(profile.user.id, current.id)
        return Logged(changed, prompt_id, due if prompt_id else None, held, updated=True)

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

    async def _schedule_pre_interview(
        self, tx: Tx, profile: Profile, interview_id: int, starts_at: datetime, now: datetime
    ) -> datetime | None:
        """The note the evening before (issue 12): scheduled for a future interview, moved with it, and
        cancelled when the new time leaves no evening before or the user turned the notes off."""
        due = pre_interview_due(starts_at, now, profile.tz, profile.quiet) if profile.user.pre_interview else None
        if due is None:
            await self.store.prompts.cancel(tx, "pre_interview", interview_id)
            return None
        scheduled = await self.store.prompts.schedule(
            tx, kind="pre_interview", subject_id=interview_id, user_id=profile.user.id, due_at=due, now=now
        )
        return due if scheduled is not None else None

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
            due, ghost_due, pre_due, prompt_id, held = await self._apply_edit(
                tx,
                profile,
                interview,
                now,
                company=company,
                role=role,
                stage=stage,
                starts_at=starts_at,
                length_min=length_min,
            )
        self._notify(due, ghost_due, pre_due)
        changed = await self._own(profile.user.id, interview_id)
        return Logged(changed, prompt_id, due if prompt_id else None, held)

    async def _apply_edit(
        self,
        tx: Tx,
        profile: Profile,
        interview: Interview,
        now: datetime,
        *,
        company: str,
        role: str | None,
        stage: str,
        starts_at: datetime,
        length_min: int,
    ) -> tuple[datetime, datetime | None, datetime | None, int | None, bool]:
        """The edit inside ``tx``: (debrief due, ghosting due, evening-before due, prompt id, held)."""
        await self.store.interviews.update(
            tx,
            profile.user.id,
            interview.id,
            company=company,
            role=role,
            stage=stage,
            starts_at=starts_at,
            length_min=length_min,
        )
        ends_at = starts_at + timedelta(minutes=length_min)
        prompt_id, due, held = await self._schedule_debrief(tx, profile, interview.id, ends_at, now)
        ghost_due = None
        if interview.outcome is None:
            ghost_due = await self._schedule_ghosting(tx, profile, interview.id, ends_at, now)
        pre_due = await self._schedule_pre_interview(tx, profile, interview.id, starts_at, now)
        return due, ghost_due, pre_due, prompt_id, held

    def _notify(self, *dues: datetime | None) -> None:
        for due in filter(None, dues):
            self.queue.notify(due)

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
            await keep_folded_checkin(self.store, tx, user_id, interview_id, self.clock.now())
            await self.store.prompts.release_interview(tx, user_id, interview_id)
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
