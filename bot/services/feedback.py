"""Feedback from companies and applications sent. No Discord here: cogs call this."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from bot.clock import Clock
from bot.coach.feedback import CONTROL_CHOICES, similarity
from bot.coach.text import clean_feedback
from bot.errors import UserError
from bot.services.outcomes import NOT_YOURS
from bot.services.profile import Profile
from bot.store import Interview, Store
from bot.store.feedback import Feedback

#: How many applications one /applications log may record (a typo guard, not a judgement).
MAX_APPLICATIONS = 200
ALREADY_UNDONE = "That entry isn't among your applications any more: it was already undone."


@dataclass(frozen=True, slots=True)
class LoggedApplications:
    entry_id: int  # what Undo takes back
    count: int
    week_total: int


@dataclass(frozen=True, slots=True)
class AddedFeedback:
    feedback: Feedback
    interview: Interview
    similar: list[Feedback]  # earlier feedback on other interviews that reads alike
    shared_topics: list[str]  # topic labels the similar ones share with this one


def week_start(now: datetime, profile: Profile) -> datetime:
    """Monday 00:00 of this week in the user's zone, as aware UTC."""
    local = now.astimezone(profile.tz)
    monday = local.date() - timedelta(days=local.weekday())
    return datetime.combine(monday, time(0, 0), tzinfo=profile.tz).astimezone(now.tzinfo)


class FeedbackService:
    def __init__(self, store: Store, clock: Clock) -> None:
        self.store = store
        self.clock = clock

    async def own(self, user_id: int, interview_id: int) -> Interview:
        interview = await self.store.interviews.get(user_id, interview_id)
        if interview is None:
            raise UserError(NOT_YOURS)
        return interview

    async def feedback_target(self, user_id: int, interview_id: int | None) -> Interview:
        """The interview a feedback request is about: the one given, else the latest rejection, else the latest."""
        if interview_id is not None:
            return await self.own(user_id, interview_id)
        recent = await self.store.interviews.list(user_id, limit=25)
        now = self.clock.now()
        past = [i for i in recent if i.starts_at <= now] or recent
        for interview in past:
            if interview.outcome == "rejected":
                return interview
        if past:
            return past[0]
        raise UserError("You haven't logged any interviews yet. Log one with `/interview log` first.")

    async def add_feedback(self, user_id: int, interview_id: int, text: str) -> AddedFeedback:
        """Save feedback that came back (validated first, so bad input changes nothing)."""
        text = clean_feedback(text)
        interview = await self.own(user_id, interview_id)
        earlier = await self.store.feedback.for_user(user_id)
        feedback_id = await self.store.feedback.add(
            user_id=user_id, interview_id=interview_id, text=text, now=self.clock.now()
        )
        if feedback_id is None:
            raise UserError(NOT_YOURS)
        saved = await self.store.feedback.get(user_id, feedback_id)
        assert saved is not None
        similar: list[Feedback] = []
        topics: set[str] = set()
        for other in earlier:
            if other.interview_id == interview_id:
                continue  # a second note on the same interview is not a second opinion
            alike, shared = similarity(text, other.text)
            if alike:
                similar.append(other)
                topics |= shared
        return AddedFeedback(saved, interview, similar, sorted(topics))

    async def set_control(self, user_id: int, feedback_id: int, control: str) -> Feedback:
        if control not in {c.key for c in CONTROL_CHOICES}:
            raise UserError("Pick one of the three buttons.")
        if not await self.store.feedback.set_control(user_id, feedback_id, control):
            raise UserError("I can't find that feedback among yours.")
        feedback = await self.store.feedback.get(user_id, feedback_id)
        assert feedback is not None
        return feedback

    # -- applications -------------------------------------------------------------------------------

    async def log_applications(self, profile: Profile, count: int) -> LoggedApplications:
        """Record ``count`` applications sent; with this week's total (Monday to Sunday, local)."""
        check_applications(count)
        now = self.clock.now()
        entry_id = await self.store.applications.add(profile.user.id, count, now)
        return LoggedApplications(
            entry_id, count, await self.store.applications.total(profile.user.id, week_start(now, profile))
        )

    async def undo_applications(self, profile: Profile, entry_id: int) -> int:
        """Take back one ``/applications log`` entry (the user's own only); returns this week's total."""
        if not await self.store.applications.remove(profile.user.id, entry_id):
            raise UserError(ALREADY_UNDONE)
        return await self.store.applications.total(profile.user.id, week_start(self.clock.now(), profile))


def check_applications(count: int) -> None:
    """A count of applications to log, checked (pure: a command checks it before it answers)."""
    if not 1 <= count <= MAX_APPLICATIONS:
        raise UserError(f"Log between 1 and {MAX_APPLICATIONS} applications at a time.")
