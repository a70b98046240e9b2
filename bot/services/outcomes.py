"""Outcomes and the check-in after a rejection. No Discord here: cogs call this.

Recording an outcome is one transaction that also keeps the interview's prompts in step:

* any outcome cancels the pending ghosting nudge (the question it would ask has been answered);
* "rejected" schedules exactly one check-in (kind ``checkin``, subject = the interview) at the end of
  the user's reset window, moved out of their quiet hours, unless they turned check-ins off. Recording
  "rejected" again for the same interview does not move or add a check-in.
* Several rejections fold into one check-in: a rejection recorded while another check-in of the user's
  is still pending (not yet sent) schedules none of its own; the pending one moves to the later of the
  two window ends (every rejection gets its evening), and when it is sent it names every company
  rejected since it was scheduled (:meth:`bot.services.prompting.PromptService.checkin_due`).

A check-in whose interview is no longer "rejected" when it comes due is dropped by its sender, so
changing an outcome needs no cleanup here. A second check-in comes only when the user asks for one
(:meth:`OutcomeService.checkin_again`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.clock import Clock
from bot.coach.reset import NEXT_ACTIONS, checkin_due
from bot.coach.stages import RESULT_KEYS
from bot.coach.waking import out_of_quiet, tomorrow_morning
from bot.config import Settings
from bot.errors import UserError
from bot.prompts import PromptQueue
from bot.services.profile import Profile
from bot.store import Interview, Store

NOT_YOURS = "I can't find that interview among yours. Pick one from the list that appears as you type."


@dataclass(frozen=True, slots=True)
class Recorded:
    interview: Interview  # as it is now, outcome set
    previous: str | None  # the outcome it had before
    rounds: list[Interview]  # earlier rounds with the same company, oldest first, this one last
    checkin_due: datetime | None  # when the check-in comes; None when none is planned
    checkins_on: bool

    @property
    def repeat(self) -> bool:
        return self.previous == self.interview.outcome


class OutcomeService:
    def __init__(self, store: Store, settings: Settings, clock: Clock, queue: PromptQueue) -> None:
        self.store = store
        self.settings = settings
        self.clock = clock
        self.queue = queue

    async def own(self, user_id: int, interview_id: int) -> Interview:
        interview = await self.store.interviews.get(user_id, interview_id)
        if interview is None:
            raise UserError(NOT_YOURS)
        return interview

    # -- outcomes -----------------------------------------------------------------------------------

    async def record(self, profile: Profile, interview_id: int, result: str) -> Recorded:
        """Record ``result`` for the user's interview, cancel its ghosting nudge, plan the check-in."""
        if result not in RESULT_KEYS:
            raise UserError("Pick the result from the list: advanced, offer, rejected, ghosted or withdrew.")
        user_id = profile.user.id
        interview = await self.own(user_id, interview_id)
        now = self.clock.now()
        repeat = interview.outcome == result
        existing = await self.store.prompts.find("checkin", interview_id)
        due: datetime | None = None
        async with self.store.transaction() as tx:
            if not repeat:
                await self.store.interviews.set_outcome(tx, user_id, interview_id, result, now)
            await self.store.prompts.cancel(tx, "ghosting", interview_id)
            if result == "rejected" and profile.checkins:
                # A repeat finds its check-in, its own or the one it was folded into, and moves nothing.
                held = (
                    existing
                    if existing is not None
                    else await self.store.prompts.pending_of_kind(tx, user_id, "checkin")
                )
                if repeat and held is not None:
                    due = held.due_at if held.state == "pending" else None
                else:
                    # The user's window was bounded (4-48 h) when they chose it; the operator's default is
                    # taken as configured, so a short one ("10s") works for trying the bot out.
                    wanted = checkin_due(now, profile.reset_window, profile.tz, profile.quiet).replace(microsecond=0)
                    pending = await self.store.prompts.pending_of_kind(tx, user_id, "checkin")
                    if pending is not None and pending.subject_id != interview_id:
                        # Folded: the pending check-in names this company too, and moves to the later window
                        # end so that every rejection gets its evening.
                        subject_id, wanted = pending.subject_id, max(pending.due_at, wanted)
                    else:
                        subject_id = interview_id
                    scheduled = await self.store.prompts.schedule(
                        tx,
                        kind="checkin",
                        subject_id=subject_id,
                        user_id=user_id,
                        due_at=wanted,
                        now=now,
                        revive=True,  # a new rejection after check-ins were off (and on again) gets its check-in
                    )
                    due = wanted if scheduled is not None else None
        if due is not None:
            self.queue.notify(due)
        return Recorded(
            interview=await self.own(user_id, interview_id),
            previous=interview.outcome,
            rounds=await self.store.interviews.rounds(user_id, interview_id),
            checkin_due=due,
            checkins_on=profile.checkins,
        )

    async def has_later_round(self, interview: Interview) -> bool:
        """Whether a later round was logged that links back to ``interview`` (the process moved on)."""
        same_company = await self.store.interviews.search(interview.user_id, interview.company, limit=50)
        return any(other.previous_id == interview.id for other in same_company)

    # -- the check-in -------------------------------------------------------------------------------

    async def choose_next_step(self, user_id: int, interview_id: int, action: str) -> Interview:
        if action not in {a.key for a in NEXT_ACTIONS}:
            raise UserError("Pick one of the steps in the list.")
        interview = await self.own(user_id, interview_id)
        await self.store.next_steps.add(user_id=user_id, interview_id=interview_id, action=action, now=self.clock.now())
        return interview

    async def checkin_again(self, profile: Profile, prompt_id: int, interview_id: int) -> datetime:
        """The user asked for one more check-in: tomorrow morning, out of quiet hours."""
        if not profile.checkins:
            raise UserError("Check-ins are off. Turn them on with `/settings check-ins` if you'd like one.")
        await self.own(profile.user.id, interview_id)
        prompt = await self.store.prompts.get(prompt_id)
        if prompt is None or prompt.kind != "checkin" or prompt.subject_id != interview_id:
            raise UserError("That check-in is no longer around.")
        now = self.clock.now()
        due = out_of_quiet(tomorrow_morning(now, profile.tz, profile.quiet), profile.tz, profile.quiet)
        due = due.replace(microsecond=0)
        async with self.store.transaction() as tx:
            moved = await self.store.prompts.snooze(tx, prompt_id, profile.user.id, due)
        if not moved:
            raise UserError("That check-in is no longer around.")
        self.queue.notify(due)
        return due
