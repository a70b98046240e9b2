"""Patterns, focus and the note before an interview: the pattern engine fed from the store.

The engine (:mod:`bot.coach.patterns`) is pure; this service builds its input facts from the user's
own rows (a handful of index-backed reads), runs it, and keeps the user's focus. Reading never writes:
``/patterns`` and ``/focus show`` only select.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.clock import Clock
from bot.coach.patterns import (
    ApplicationFact,
    DebriefFact,
    FeedbackFact,
    FocusProgress,
    InterviewFact,
    Patterns,
    QuestionFact,
    UpcomingNote,
    company_reminder,
    find_patterns,
    focus_progress,
    focus_topic,
    notes_for_upcoming,
)
from bot.coach.patterns.readiness import company_view, missing
from bot.coach.patterns.recurring import READING_VERSION, stumble_topics
from bot.coach.script import TOPIC_KEYS
from bot.config import Settings
from bot.errors import UserError
from bot.prompts import DropPrompt
from bot.services.profile import Profile, load_profile, profile_of
from bot.store import Interview, Prompt, Store
from bot.store.debriefs import Focus

#: Focuses held at once: one or two things at a time, never a list of ten.
MAX_FOCUSES = 2
#: A focus in the user's own words, at most this long.
MAX_FOCUS_LEN = 200
UNKNOWN_FOCUS = "I can't find that focus among your current ones. `/focus show` lists them."
#: Focus suggestions are kept per user while they type: reused while a cheap mark of their data
#: (:meth:`DebriefStore.patterns_mark`) is unchanged, for at most this long, ...
SUGGESTIONS_TTL = timedelta(minutes=2)
#: ... for at most this many users at once (the least recently used go first), so memory stays flat.
SUGGESTION_USERS = 512


@dataclass(frozen=True, slots=True)
class Facts:
    interviews: tuple[InterviewFact, ...]
    debriefs: tuple[DebriefFact, ...]
    feedback: tuple[FeedbackFact, ...]
    applications: tuple[ApplicationFact, ...]


@dataclass(frozen=True, slots=True)
class FocusView:
    focus: Focus
    progress: FocusProgress


@dataclass(frozen=True, slots=True)
class PatternsReport:
    patterns: Patterns
    focuses: tuple[FocusView, ...]
    missing: tuple[str, ...]  # what more is needed before a chart; empty when there is enough
    profile: Profile
    now: datetime

    @property
    def enough(self) -> bool:
        return not self.missing


@dataclass(frozen=True, slots=True)
class PreInterview:
    """A due note before an interview: what to send."""

    interview: Interview
    profile: Profile
    focuses: tuple[Focus, ...]
    notes: tuple[UpcomingNote, ...]
    now: datetime
    company: str | None = None  # what the user made of this company after an earlier round, if they said


_NO_TIME = datetime(1970, 1, 1, tzinfo=UTC)


def _text(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def debrief_fact(interview_id: int, at: datetime, answers: Mapping[str, Any]) -> DebriefFact:
    """One finished debrief's stored answers (step key -> stored value) as the engine's input.

    A value of the wrong shape (an old or damaged row) is read as skipped, never raised."""
    topics = answers.get("topics")
    questions = answers.get("questions")
    confidence = answers.get("confidence")
    view, note = company_view(answers.get("company"))
    return DebriefFact(
        interview_id=interview_id,
        at=at,
        topics=tuple(t for t in topics if t in TOPIC_KEYS) if isinstance(topics, list) else (),
        stumbles=_text(answers.get("stumbles")),
        prep_gaps=_text(answers.get("prep_gaps")),
        strong=_text(answers.get("strong")),
        confidence=confidence if isinstance(confidence, int) and not isinstance(confidence, bool) else None,
        unsure_claims=_text(answers.get("unsure_claims")),
        showed_interest=_text(answers.get("showed_interest")),
        questions=tuple(
            QuestionFact(str(q.get("question", "")), str(q.get("answer", "")), bool(q.get("check_later")))
            for q in (questions if isinstance(questions, list) else ())
            if isinstance(q, dict) and q.get("question")
        ),
        one_thing=_text(answers.get("one_thing")),
        company_view=view,
        company_note=note,
    )


#: Debriefs read per page by the start-up pass that stores each finished debrief's reading: a page is read
#: and read again by the coach on the loop (a few milliseconds), then written in one short transaction.
KEYS_PAGE = 200
#: Where the store keeps the version of the readings it holds (see :data:`READING_VERSION`).
READING_META = "debrief_reading_version"


def debrief_keys(answers: Mapping[str, Any]) -> tuple[frozenset[str], tuple[str, ...]]:
    """The engine's reading of one debrief's stored answers, as the store keeps it beside the debrief
    (migration 0011): the topics and question types it notes a stumble on, and the topics it covered."""
    fact = debrief_fact(0, _NO_TIME, answers)
    return frozenset(stumble_topics(fact)), fact.topics


async def fill_debrief_keys(store: Store, page: int = KEYS_PAGE) -> int:
    """Store the reading of every finished debrief that has none (rows written before migration 0011):
    a page at a time, so it runs beside the bot serving; each page is read outside any transaction and
    written in a short one. Idempotent (a second pass finds nothing); a reading written meanwhile (a
    debrief edited between the read and the write) is never overwritten. Returns how many it read.

    Readings stored by another :data:`READING_VERSION` are cleared first (a page at a time), so they
    are all read again; the version is recorded once they are cleared (a crash before that clears again).
    A database with none recorded has only readings of the first version."""
    stored = await store.get_meta(READING_META)
    if stored is not None and stored != str(READING_VERSION):
        cleared: int | None = 0
        while cleared is not None:
            cleared = await store.debriefs.clear_keys(cleared, page)
            await asyncio.sleep(0)  # others' work goes between pages
    if stored != str(READING_VERSION):
        await store.set_meta(READING_META, str(READING_VERSION))
    after, done = 0, 0
    while True:
        rows = await store.debriefs.unkeyed(after, page)
        keys = [(debrief_id, *debrief_keys(answers)) for debrief_id, answers in rows]
        async with store.transaction() as tx:
            await store.debriefs.fill_keys(tx, keys)
        done += len(rows)
        if len(rows) < page:
            return done
        after = rows[-1][0]
        await asyncio.sleep(0)  # others' work goes between pages


def interview_fact(i: Interview) -> InterviewFact:
    return InterviewFact(i.id, i.company, i.stage, i.starts_at, i.outcome, i.previous_id)


class PatternsService:
    def __init__(self, store: Store, settings: Settings, clock: Clock) -> None:
        self.store = store
        self.settings = settings
        self.clock = clock
        # user -> (data mark, good until, suggestion texts); and the computations under way, so keystrokes
        # that arrive while one runs wait for it instead of starting their own.
        self._suggested: OrderedDict[int, tuple[tuple[Any, ...], datetime, tuple[str, ...]]] = OrderedDict()
        self._suggesting: dict[int, asyncio.Future[tuple[str, ...]]] = {}

    async def facts(self, user_id: int) -> Facts:
        """Everything the engine reads about one user, from their own rows only."""
        interviews = await self.store.interviews.history(user_id)
        debriefs = await self.store.debriefs.finished_answers(user_id)
        feedback = await self.store.feedback.for_user(user_id, limit=2000)
        applications = await self.store.applications.history(user_id)
        return Facts(
            interviews=tuple(interview_fact(i) for i in interviews),
            debriefs=tuple(debrief_fact(iid, at, answers) for iid, at, answers in debriefs),
            feedback=tuple(
                FeedbackFact(f.id, f.interview_id, f.text, f.created_at, f.control) for f in reversed(feedback)
            ),
            applications=tuple(ApplicationFact(count, at) for count, at in applications),
        )

    async def report(self, user_id: int) -> PatternsReport:
        """``/patterns``: the engine's findings, the user's focuses with progress, and what is missing."""
        now = self.clock.now()
        user = await self.store.users.get(user_id)
        profile = (
            profile_of(user, self.settings) if user else await load_profile(self.store, self.settings, user_id, now)
        )
        facts = await self.facts(user_id)
        found = await asyncio.to_thread(
            find_patterns, facts.interviews, facts.debriefs, facts.feedback, facts.applications, now
        )
        focuses = await self.store.debriefs.active_focuses(user_id)
        return PatternsReport(found, self._progress(focuses, facts.debriefs), missing(found), profile, now)

    # -- focus ---------------------------------------------------------------------------------------

    @staticmethod
    def _progress(focuses: Sequence[Focus], debriefs: Sequence[DebriefFact]) -> tuple[FocusView, ...]:
        return tuple(FocusView(f, focus_progress(focus_topic(f.text), f.created_at, debriefs)) for f in focuses)

    async def focuses(self, user_id: int) -> tuple[FocusView, ...]:
        """The user's current focuses, each with its progress (honest about small samples)."""
        focuses = await self.store.debriefs.active_focuses(user_id)
        if not focuses:
            return ()
        debriefs = await self.store.debriefs.finished_answers(user_id)
        return self._progress(focuses, [debrief_fact(iid, at, a) for iid, at, a in debriefs])

    async def suggestions(self, user_id: int) -> tuple[str, ...]:
        """Focus texts to offer as the user types: the engine's suggestions.

        Asked on every keystroke of ``/focus set``, so the report is not run each time: the texts are kept
        while the user's data is unchanged (a one-statement, index-backed mark), for a short while, for a
        bounded number of users; and keystrokes that come while they are being worked out share the work."""
        mark = await self.store.debriefs.patterns_mark(user_id)
        now = self.clock.now()
        cached = self._suggested.get(user_id)
        if cached is not None and cached[0] == mark and now < cached[1]:
            self._suggested.move_to_end(user_id)
            return cached[2]
        running = self._suggesting.get(user_id)
        if running is None:
            running = asyncio.ensure_future(self._suggest(user_id, mark, now))
            self._suggesting[user_id] = running
            running.add_done_callback(lambda _done: self._suggesting.pop(user_id, None))
        return await asyncio.shield(running)

    async def _suggest(self, user_id: int, mark: tuple[Any, ...], now: datetime) -> tuple[str, ...]:
        report = await self.report(user_id)
        out = tuple(f"{s.label}: {s.practice.text}"[:MAX_FOCUS_LEN] for s in report.patterns.suggestions)
        self._suggested[user_id] = (mark, now + SUGGESTIONS_TTL, out)
        self._suggested.move_to_end(user_id)
        while len(self._suggested) > SUGGESTION_USERS:
            self._suggested.popitem(last=False)
        return out

    async def set_focus(self, user_id: int, text: str, interview_id: int | None = None) -> tuple[Focus, ...]:
        """Take ``text`` on as a focus (one or two at a time); returns the focuses now active."""
        text = " ".join((text or "").split())
        if not text:
            raise UserError("Say what the focus is, in a few words, or pick a suggestion as you type.")
        if len(text) > MAX_FOCUS_LEN:
            raise UserError(f"Keep a focus short: {MAX_FOCUS_LEN} characters at most.")
        now = self.clock.now()
        await self.store.users.ensure(user_id, now)
        if interview_id is not None and await self.store.interviews.get(user_id, interview_id) is None:
            raise UserError("I can't find that interview among yours.")
        async with self.store.transaction() as tx:
            active = await self.store.debriefs.active_focuses(user_id, tx)
            if any(f.text.casefold() == text.casefold() for f in active):
                raise UserError("That is already one of your focuses. `/focus show` shows how it's going.")
            if len(active) >= MAX_FOCUSES:
                raise UserError(
                    "You have two focuses already, and one or two at a time is what works. "
                    "Close one with `/focus done` first."
                )
            await self.store.debriefs.add_focus(tx, user_id, text, interview_id, now)
        return tuple(await self.store.debriefs.active_focuses(user_id))

    async def focus_from_debrief(self, user_id: int, interview_id: int) -> tuple[Focus, ...]:
        """The debrief's "one thing to change" becomes a focus, when the user says so."""
        debriefs = await self.store.debriefs.for_interview(user_id, interview_id)
        if debriefs is None or debriefs.state != "done":
            raise UserError("I can't find that finished debrief among yours.")
        answer = (await self.store.debriefs.answers(debriefs.id)).get("one_thing")
        text = _text(answer.value) if answer and not answer.skipped else None
        if not text:
            raise UserError("That debrief has no one thing to change; `/focus set` takes one in your words.")
        return await self.set_focus(user_id, text, interview_id)

    async def kept_instead(self, user_id: int, interview_id: int) -> Focus | None:
        """After a debrief: the focus the user holds that its one thing did not replace; None when the one
        thing is itself a focus (or there is no focus)."""
        active = await self.store.debriefs.active_focuses(user_id)
        if not active or any(f.interview_id == interview_id for f in active):
            return None
        return active[0]

    async def done(self, user_id: int, focus_id: int) -> Focus:
        """Close a focus the user is done with."""
        active = {f.id: f for f in await self.store.debriefs.active_focuses(user_id)}
        if focus_id not in active or not await self.store.debriefs.finish_focus(user_id, focus_id, self.clock.now()):
            raise UserError(UNKNOWN_FOCUS)
        return active[focus_id]

    # -- the note before an interview ----------------------------------------------------------------

    async def pre_interview_due(self, prompt: Prompt, hold) -> PreInterview:
        """What the evening-before note says, or DropPrompt when it no longer makes sense.

        ``hold`` is the prompt service's quiet-hours check (raises HoldUntil, returns the profile)."""
        interview = await self.store.interviews.get(prompt.user_id, prompt.subject_id)
        if interview is None:
            raise DropPrompt("interview deleted")
        now = self.clock.now()
        if interview.starts_at <= now:
            raise DropPrompt("the interview has started")
        if interview.outcome is not None and interview.outcome != "advanced":
            raise DropPrompt("the process is over")
        profile: Profile = await hold(prompt, now)
        if not profile.user.pre_interview:
            raise DropPrompt("notes before interviews are off")
        facts = await self.facts(prompt.user_id)
        found = await asyncio.to_thread(
            find_patterns, facts.interviews, facts.debriefs, facts.feedback, facts.applications, now
        )
        focuses = tuple(await self.store.debriefs.active_focuses(prompt.user_id))
        notes = notes_for_upcoming(interview.stage, found.stumbles)
        by_id = {i.id: i for i in facts.interviews}
        company = company_reminder(interview.company, facts.debriefs, by_id, interview.starts_at)
        if not focuses and not notes and not company:
            raise DropPrompt("nothing from earlier debriefs to remind of")
        return PreInterview(interview, profile, focuses, notes, now, company)
