"""The user's side of a prompt: snoozing or skipping it, and what a due prompt is about.

The queue (:mod:`bot.prompts`) decides *when*; the senders in the cogs decide *how it looks*; this
decides *whether* a due prompt still makes sense (``DropPrompt``) and whether it must wait for the end
of the user's quiet hours (``HoldUntil``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.clock import Clock
from bot.coach.reset import APPLICATIONS_WINDOW
from bot.coach.waking import is_quiet, out_of_quiet, tomorrow_morning
from bot.config import Settings
from bot.prompts import DropPrompt, HoldUntil, PromptQueue
from bot.services.outcomes import OutcomeService
from bot.services.profile import Profile, profile_of
from bot.store import Interview, Prompt, Store

#: Snooze choices: key -> how long (None: tomorrow morning, out of quiet hours).
SNOOZES: dict[str, timedelta | None] = {"1h": timedelta(hours=1), "3h": timedelta(hours=3), "morning": None}


@dataclass(frozen=True, slots=True)
class Due:
    """A due prompt that is still worth sending: its interview and the user's profile."""

    interview: Interview
    profile: Profile
    now: datetime
    open_opportunities: int = 0
    recent_applications: int = 0  # logged with /applications log within the check-in's window
    #: The step key where the interview's debrief stands, when one was started and not finished.
    debrief_step: str | None = None
    #: For a check-in: the interviews rejected since it was scheduled, in the order they were recorded.
    rejected: tuple[Interview, ...] = ()


class PromptService:
    def __init__(
        self, store: Store, settings: Settings, clock: Clock, queue: PromptQueue, outcomes: OutcomeService
    ) -> None:
        self.store = store
        self.settings = settings
        self.clock = clock
        self.queue = queue
        self.outcomes = outcomes

    async def snooze(self, user_id: int, prompt_id: int, choice: str) -> tuple[datetime, Profile] | None:
        """Move the prompt to later; None if it is no longer the user's pending prompt."""
        now = self.clock.now()
        profile = profile_of(await self.store.users.ensure(user_id, now), self.settings)
        delta = SNOOZES[choice]
        due = tomorrow_morning(now, profile.tz, profile.quiet) if delta is None else now + delta
        due = out_of_quiet(due, profile.tz, profile.quiet)
        async with self.store.transaction() as tx:
            await self.store.prompts.delivered(tx, prompt_id, user_id, now)
            moved = await self.store.prompts.snooze(tx, prompt_id, user_id, due)
        if not moved:
            return None
        self.queue.notify(due)
        return due, profile

    async def skip(self, user_id: int, prompt_id: int) -> bool:
        async with self.store.transaction() as tx:
            await self.store.prompts.delivered(tx, prompt_id, user_id, self.clock.now())
            return await self.store.prompts.skip(tx, prompt_id, user_id)

    async def hold_for_quiet_hours(self, prompt: Prompt, now: datetime) -> Profile:
        """Raise HoldUntil if ``now`` is inside the user's quiet hours (e.g. a late prompt at 3 am);
        otherwise return the user's profile, for the sender to use."""
        profile = profile_of(await self.store.users.ensure(prompt.user_id, now), self.settings)
        if is_quiet(now, profile.tz, profile.quiet):
            raise HoldUntil(out_of_quiet(now, profile.tz, profile.quiet), "quiet hours")
        return profile

    async def _interview(self, prompt: Prompt) -> Interview:
        interview = await self.store.interviews.get(prompt.user_id, prompt.subject_id)
        if interview is None:
            raise DropPrompt("interview deleted")
        return interview

    async def debrief_due(self, prompt: Prompt) -> Due:
        """The interview as it is now: the sender words the prompt from it (an outcome recorded, how long
        ago it ended, a debrief already under way: "continue where you left off")."""
        interview = await self._interview(prompt)
        if interview.debriefed_at is not None:
            raise DropPrompt("already debriefed")
        now = self.clock.now()
        profile = await self.hold_for_quiet_hours(prompt, now)
        debrief = await self.store.debriefs.for_interview(prompt.user_id, interview.id)
        if debrief is not None and debrief.state == "done":
            raise DropPrompt("already debriefed")
        return Due(interview, profile, now, debrief_step=debrief.step if debrief is not None else None)

    async def checkin_due(self, prompt: Prompt) -> Due:
        """The check-in names every interview rejected since it was scheduled (several rejections fold into
        one check-in, see :mod:`bot.services.outcomes`); its buttons act on its own interview, the first."""
        interview = await self._interview(prompt)
        now = self.clock.now()
        rejected = await self.store.interviews.rejected_between(prompt.user_id, prompt.created_at, now)
        if interview.outcome == "rejected" and all(r.id != interview.id for r in rejected):
            rejected.insert(0, interview)
        if not rejected:
            raise DropPrompt("no longer a rejection")
        profile = await self.hold_for_quiet_hours(prompt, now)
        if not profile.checkins:
            raise DropPrompt("check-ins off")
        open_now = await self.store.interviews.open_opportunities(prompt.user_id)
        applications = await self.store.applications.total(prompt.user_id, now - APPLICATIONS_WINDOW)
        return Due(interview, profile, now, open_now, applications, rejected=tuple(rejected))

    async def ghosting_due(self, prompt: Prompt) -> Due:
        interview = await self._interview(prompt)
        if interview.outcome is not None:
            raise DropPrompt("outcome already recorded")
        if await self.outcomes.has_later_round(interview):
            raise DropPrompt("a later round was logged")
        now = self.clock.now()
        return Due(interview, await self.hold_for_quiet_hours(prompt, now), now)
