"""The guided debrief, without Discord: start, resume, answer, skip, go back, finish, edit.

All state lives in the store, so a debrief interrupted at any moment (a crash, a restart, a user who
walks away) resumes at the step it stopped with every earlier answer intact. The steps and the rules
for answers are :mod:`bot.coach.script`; this module only keeps them in the store.

Every change names the step it answers. An answer is taken only if that step is the debrief's current
step, checked and written in one transaction, so a stale or doubled click cannot corrupt anything:
it comes back as ``Moved(stale=True)`` and nothing changes.

Finishing (answering or skipping the last step) marks the debrief done with its summary card, marks
the interview debriefed, cancels its pending debrief prompt and makes the one thing to change the
user's active focus when they have none (a focus they hold is not replaced; the card offers it instead)
-- all in the same transaction.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from typing import Any

from bot.clock import Clock
from bot.coach import script
from bot.coach.script import Step, Summary
from bot.errors import ReadBackFailed, UserError
from bot.services.patterns import debrief_keys
from bot.store import Conflict, Interview, Store, Tx
from bot.store.debriefs import Answer, Debrief

#: Typed DM replies that mean "show me where I am" rather than an answer.
SHOW_WORDS = frozenset({"debrief", "start debrief", "debrief now", "continue", "resume", "where was i", "where was i?"})
#: Typed DM replies that go back one step.
BACK_WORDS = frozenset({"back", "go back", "previous", "undo"})


def _norm(text: str) -> str:
    return " ".join(text.strip().lower().rstrip(".").split())


def is_show_word(text: str) -> bool:
    return _norm(text) in SHOW_WORDS


def is_back_word(text: str) -> bool:
    return _norm(text) in BACK_WORDS


#: After this long untouched, a typed DM is no longer taken as the answer to the open step: the step is
#: shown again first (and a DM about a new interview is left to noticing), so nothing is saved blind.
PAUSE = timedelta(hours=6)


@dataclass(frozen=True, slots=True)
class DebriefState:
    """A debrief as the user sees it: where it stands and what has been said."""

    debrief: Debrief
    interview: Interview
    answers: dict[str, Answer] = field(default_factory=dict)

    @property
    def step(self) -> Step:
        """The current step (for a finished debrief, the last one)."""
        return script.step(self.debrief.step)

    @property
    def done(self) -> bool:
        return self.debrief.state == "done"

    def value(self, key: str) -> Any:
        """The stored answer to ``key``; None if unanswered or skipped."""
        answer = self.answers.get(key)
        return None if answer is None or answer.skipped else answer.value

    def has_answer(self, key: str) -> bool:
        return self.value(key) is not None

    def paused(self, now: datetime) -> bool:
        """Untouched for longer than :data:`PAUSE`."""
        return now - self.debrief.updated_at > PAUSE

    def summary(self) -> Summary:
        return script.summarise({key: self.value(key) for key in self.answers})


@dataclass(frozen=True, slots=True)
class Begun:
    """What starting a debrief for an interview led to.

    ``kind`` is ``started`` (new), ``resumed`` (it was open or set aside), ``done`` (already finished),
    or ``conflict``: another debrief is open, and ``state`` is that one; the user chooses.
    """

    kind: str
    state: DebriefState
    interview: Interview  # the interview asked for


@dataclass(frozen=True, slots=True)
class Moved:
    """The result of an answer, a skip or a step back."""

    state: DebriefState  # after the change
    saved: Step | None = None  # the step just answered or skipped
    stale: bool = False  # the step named was not the current one: nothing changed
    finished: bool = False  # this change finished the debrief
    kept: bool = False  # a skip on an answered step: the answer was kept


def summary_record(summary: Summary) -> dict[str, Any]:
    """The summary as stored with the debrief (JSON-ready)."""
    return asdict(summary)


def _given(answers: dict[str, Answer]) -> dict[str, Any]:
    """The answers given (skipped steps left out), as the pattern engine reads them."""
    return {k: a.value for k, a in answers.items() if not a.skipped}


class DebriefService:
    def __init__(self, store: Store, clock: Clock) -> None:
        self.store = store
        self.clock = clock

    # -- reading ----------------------------------------------------------------------------------

    async def load(self, user_id: int, debrief_id: int) -> DebriefState:
        debrief = await self.store.debriefs.get(user_id, debrief_id)
        if debrief is None:
            raise UserError("I can't find that debrief among yours.")
        return await self._state(debrief)

    async def _state(self, debrief: Debrief) -> DebriefState:
        interview = await self.store.interviews.get(debrief.user_id, debrief.interview_id)
        if interview is None:  # deleted: the debrief goes with it (cascade), so this is a race
            raise UserError("That interview has been deleted, and its debrief with it.")
        answers = await self.store.debriefs.answers(debrief.id)
        return DebriefState(debrief, interview, answers)

    async def current(self, user_id: int) -> DebriefState | None:
        """The debrief in progress, if any."""
        debrief = await self.store.debriefs.open_for(user_id)
        return await self._state(debrief) if debrief else None

    async def of_interview(self, user_id: int, interview_id: int | None) -> DebriefState:
        """The debrief of an interview (or, without one, the user's most recent debrief)."""
        if interview_id is None:
            found = await self.store.debriefs.of_user(user_id, limit=1)
            if not found:
                raise UserError("You haven't started a debrief yet. `/debrief start` begins one for a past interview.")
            return await self._state(found[0])
        await self._interview(user_id, interview_id)
        debrief = await self.store.debriefs.for_interview(user_id, interview_id)
        if debrief is None:
            raise UserError("That interview has no debrief yet. `/debrief start` begins one.")
        return await self._state(debrief)

    async def _interview(self, user_id: int, interview_id: int) -> Interview:
        interview = await self.store.interviews.get(user_id, interview_id)
        if interview is None:
            raise UserError("I can't find that interview among yours. Pick one from the list as you type.")
        return interview

    async def interview_of(self, user_id: int, debrief_id: int) -> int | None:
        """The interview a debrief of the user's is about (None if it isn't theirs)."""
        debrief = await self.store.debriefs.get(user_id, debrief_id)
        return debrief.interview_id if debrief else None

    async def message_id(self, user_id: int, debrief_id: int) -> int | None:
        """The message showing the debrief's current step."""
        debrief = await self.store.debriefs.get(user_id, debrief_id)
        return debrief.message_id if debrief else None

    async def set_message(self, user_id: int, debrief_id: int, message_id: int) -> None:
        """Remember the message showing the current step."""
        await self.store.debriefs.set_message(user_id, debrief_id, message_id)

    async def touch(self, user_id: int, debrief_id: int) -> None:
        """The user came back to a paused debrief: it is no longer paused."""
        await self.store.debriefs.touch(user_id, debrief_id, self.clock.now())

    # -- starting ---------------------------------------------------------------------------------

    async def _read_back(self, user_id: int, debrief_id: int) -> DebriefState:
        """The debrief just after a change to it committed: a failure here is :class:`ReadBackFailed`,
        so no caller mistakes it for a change that was not saved."""
        try:
            return await self.load(user_id, debrief_id)
        except UserError:
            raise  # not the user's, or deleted meanwhile: nothing of theirs to show, whatever was written
        except Exception as error:
            raise ReadBackFailed(str(error)) from error

    async def begin(self, user_id: int, interview_id: int, *, set_aside: int | None = None) -> Begun:
        """Start (or resume) the debrief of an interview that has started.

        Late debriefs are welcome: any past interview, any time. If another debrief is open, nothing
        changes and the result is a ``conflict`` for the user to settle. ``set_aside``: the open debrief
        the user chose to set aside for this one; it is set aside in the same transaction as the start,
        so either both are written or neither (nothing to start, a debrief done meanwhile, keeps it open).
        """
        interview = await self._interview(user_id, interview_id)
        now = self.clock.now()
        if interview.starts_at > now:
            raise UserError(
                f"Your interview with {interview.company} hasn't happened yet. The debrief prompt comes after it; "
                "`/debrief start` works then too."
            )
        for _attempt in range(2):
            existing = await self.store.debriefs.for_interview(user_id, interview_id)
            if existing is not None and existing.state == "done":
                return Begun("done", await self._state(existing), interview)
            open_ = await self.store.debriefs.open_for(user_id)
            aside = set_aside if open_ is not None and open_.id == set_aside else None
            if open_ is not None and aside is None and (existing is None or open_.id != existing.id):
                return Begun("conflict", await self._state(open_), interview)
            if existing is not None and existing.state == "open":
                return Begun("resumed", await self._state(existing), interview)
            try:
                async with self.store.transaction() as tx:
                    if aside is not None:  # first, so the one-open-debrief rule holds at the start below
                        await self.store.debriefs.set_state(
                            tx, user_id, aside, from_state="open", to_state="aside", now=now
                        )
                    # The debrief is under way: its prompt ("How did it go?") has nothing left to ask.
                    await self.store.prompts.cancel(tx, "debrief", interview_id)
                    if existing is not None:  # set aside earlier: pick it up where it stopped
                        moved = await self.store.debriefs.set_state(
                            tx, user_id, existing.id, from_state="aside", to_state="open", now=now
                        )
                        if not moved:  # picked up meanwhile: all of this rolled back, then look again
                            raise Conflict("the debrief set aside was picked up meanwhile")
                        debrief_id = existing.id
                        kind = "resumed"
                    else:
                        debrief_id = await self.store.debriefs.create(
                            tx, user_id=user_id, interview_id=interview_id, step=script.first_step().key, now=now
                        )
                        kind = "started"
            except Conflict:
                continue  # another debrief was opened (or this one created) in between: look again
            return Begun(kind, await self._read_back(user_id, debrief_id), interview)
        raise UserError("That debrief changed while I was starting it. Try once more.")

    async def set_aside_and_begin(self, user_id: int, open_id: int, interview_id: int) -> Begun:
        """Set the open debrief aside (answers kept) and start or resume the one for ``interview_id``."""
        return await self.begin(user_id, interview_id, set_aside=open_id)

    async def pick(self, user_id: int) -> Begun | None:
        """What "debrief" with no interview named means: the one in progress, else the most recent one
        set aside, else the most recent past interview without a debrief. None if there is nothing."""
        open_ = await self.store.debriefs.open_for(user_id)
        if open_ is not None:
            state = await self._state(open_)
            return Begun("resumed", state, state.interview)
        aside = await self.store.debriefs.of_user(user_id, ("aside",), limit=1)
        if aside:
            return await self.begin(user_id, aside[0].interview_id)
        waiting = await self.store.debriefs.to_debrief(user_id, self.clock.now(), limit=1)
        if waiting:
            return await self.begin(user_id, waiting[0].id)
        return None

    # -- moving through the steps -----------------------------------------------------------------

    async def answer(self, user_id: int, debrief_id: int, step_key: str, value: object) -> Moved:
        """Store ``value`` for the current step ``step_key`` and go to the next step (or finish).

        The value is checked first (``AnswerError`` with a message for the user); a bad value changes
        nothing, so an earlier answer stays.
        """
        step = script.step(step_key)
        if value is None:
            return await self.skip(user_id, debrief_id, step_key)
        clean = script.validate_answer(step, value)
        return await self._advance(user_id, debrief_id, step, clean, skipped=False)

    async def skip(self, user_id: int, debrief_id: int, step_key: str) -> Moved:
        """Move past the current step. A step answered earlier (the user went back) keeps its answer."""
        step = script.step(step_key)
        return await self._advance(user_id, debrief_id, step, None, skipped=True)

    async def _advance(self, user_id: int, debrief_id: int, step: Step, value: object, *, skipped: bool) -> Moved:
        now = self.clock.now()
        following = script.next_step(step.key)
        kept = False
        async with self.store.transaction() as tx:
            debrief = await self._current_in(tx, user_id, debrief_id, step.key)
            if debrief is None:
                stale = True
            else:
                stale = False
                answers = await self.store.debriefs.answers(debrief_id, tx)
                earlier = answers.get(step.key)
                if skipped and earlier is not None and not earlier.skipped:
                    kept = True
                else:
                    await self.store.debriefs.save_answer(tx, debrief_id, step.key, value, skipped=skipped, now=now)
                if following is not None:
                    await self.store.debriefs.move(
                        tx, user_id, debrief_id, from_step=step.key, to_step=following.key, now=now
                    )
                else:
                    await self._finish(tx, debrief, now)
        state = await self._read_back(user_id, debrief_id)
        if stale:
            return Moved(state, stale=True)
        return Moved(state, saved=step, finished=following is None, kept=kept)

    async def add_questions(
        self, user_id: int, debrief_id: int, step_key: str, items: list[dict[str, object]], *, replace: bool = False
    ) -> Moved:
        """Add questions to the current questions step (or, with ``replace``, rewrite its list); the step
        stays current so more can follow. A list that doesn't validate changes nothing."""
        step = script.step(step_key)
        if step.kind != "questions":
            raise UserError("Questions go in the questions step.")
        now = self.clock.now()
        async with self.store.transaction() as tx:
            debrief = await self._current_in(tx, user_id, debrief_id, step_key)
            if debrief is not None:
                listed: list[object] = []
                if not replace:
                    earlier = (await self.store.debriefs.answers(debrief_id, tx)).get(step_key)
                    listed = list(earlier.value) if earlier is not None and not earlier.skipped else []
                clean = script.validate_answer(step, [*listed, *items])  # AnswerError rolls back
                await self.store.debriefs.save_answer(tx, debrief_id, step_key, clean, skipped=False, now=now)
        state = await self._read_back(user_id, debrief_id)
        return Moved(state, stale=True) if debrief is None else Moved(state, saved=step)

    async def back(self, user_id: int, debrief_id: int, step_key: str) -> Moved:
        """Go back one step from the current step ``step_key``; its answer stays until replaced."""
        previous = script.previous_step(step_key)
        now = self.clock.now()
        async with self.store.transaction() as tx:
            debrief = await self._current_in(tx, user_id, debrief_id, step_key)
            if debrief is not None and previous is not None:
                await self.store.debriefs.move(
                    tx, user_id, debrief_id, from_step=step_key, to_step=previous.key, now=now
                )
        state = await self._read_back(user_id, debrief_id)
        return Moved(state, stale=debrief is None)

    async def answer_typed(self, user_id: int, state: DebriefState, text: str) -> Moved:
        """A typed DM reply as the answer to the current step ("skip" skips; questions are added to)."""
        step = state.step
        value = script.parse_typed_answer(step, text)
        if value is None:
            return await self.skip(user_id, state.debrief.id, step.key)
        if step.kind == "questions":
            listed = list(state.value(step.key) or [])
            known = {str(item["question"]).casefold() for item in listed}
            value = listed + [item for item in value if str(item["question"]).casefold() not in known]
        return await self.answer(user_id, state.debrief.id, step.key, value)

    async def _current_in(self, tx: Tx, user_id: int, debrief_id: int, step_key: str) -> Debrief | None:
        """The debrief, if it is the user's, open and on ``step_key``; else None (stale)."""
        debrief = await self.store.debriefs.get(user_id, debrief_id, tx)
        if debrief is None or debrief.state != "open" or debrief.step != step_key:
            return None
        return debrief

    async def _finish(self, tx: Tx, debrief: Debrief, now) -> None:
        answers = await self.store.debriefs.answers(debrief.id, tx)
        summary = script.summarise({k: (None if a.skipped else a.value) for k, a in answers.items()})
        await self.store.debriefs.finish(tx, debrief.user_id, debrief.id, summary_record(summary), now)
        await self.store.debriefs.set_keys(tx, debrief.id, *debrief_keys(_given(answers)))
        await self.store.interviews.mark_debriefed(tx, debrief.user_id, debrief.interview_id, now)
        await self.store.prompts.cancel(tx, "debrief", debrief.interview_id)
        if summary.one_thing and not await self.store.debriefs.active_focuses(debrief.user_id, tx, limit=1):
            # With no focus yet, the one thing becomes it. A focus the user already holds is never replaced
            # silently: the finished card offers "Make it a focus" instead (issue 12).
            await self.store.debriefs.set_focus(tx, debrief.user_id, summary.one_thing, debrief.interview_id, now)

    # -- editing a finished debrief ---------------------------------------------------------------

    async def for_edit(self, user_id: int, interview_id: int, step_key: str) -> DebriefState:
        """The finished debrief of an interview, ready to answer ``step_key`` again."""
        script.step(step_key)
        state = await self.of_interview(user_id, interview_id)
        if not state.done:
            raise UserError(
                "That debrief is still in progress. `/debrief start` picks it up, and Back on any step goes "
                "one step back."
            )
        return state

    async def edit(self, user_id: int, debrief_id: int, step_key: str, value: object) -> DebriefState:
        """Answer a step of a finished debrief again (``None`` clears it); the summary follows."""
        step = script.step(step_key)
        clean = script.validate_answer(step, value)
        now = self.clock.now()
        async with self.store.transaction() as tx:
            debrief = await self.store.debriefs.get(user_id, debrief_id, tx)
            if debrief is None:
                raise UserError("I can't find that debrief among yours.")
            if debrief.state != "done":
                raise UserError("That debrief is still in progress; answer the step there.")
            await self.store.debriefs.save_answer(tx, debrief_id, step_key, clean, skipped=clean is None, now=now)
            answers = await self.store.debriefs.answers(debrief_id, tx)
            summary = script.summarise({k: (None if a.skipped else a.value) for k, a in answers.items()})
            await self.store.debriefs.set_summary(tx, user_id, debrief_id, summary_record(summary), now)
            await self.store.debriefs.set_keys(tx, debrief_id, *debrief_keys(_given(answers)))
            if step_key == "one_thing":
                await self._refocus(tx, debrief, summary.one_thing, now)
        return await self._read_back(user_id, debrief_id)

    async def _refocus(self, tx: Tx, debrief: Debrief, text: str | None, now) -> None:
        """After the one thing is edited: follow it if it is still the focus, or make it the focus if
        there is none; a newer focus the user has since taken on is left alone."""
        updated = await self.store.debriefs.update_focus(tx, debrief.user_id, debrief.interview_id, text, now)
        if not updated and text and await self.store.debriefs.active_focus(debrief.user_id, tx) is None:
            await self.store.debriefs.set_focus(tx, debrief.user_id, text, debrief.interview_id, now)
