"""A user's settings: reading them (with the operator's defaults) and changing them.

A change of zone or quiet hours moves the user's pending prompts out of their new quiet hours; that
rule lives here, once, for every place a zone can be chosen.
"""

from __future__ import annotations

from datetime import timedelta

from bot.clock import Clock
from bot.coach.durations import format_duration
from bot.coach.reset import WINDOW_MAX, WINDOW_MIN
from bot.coach.waking import QuietHours
from bot.config import Settings
from bot.errors import UserError
from bot.services.interviews import InterviewService
from bot.services.profile import Profile, profile_of
from bot.store import Store

#: The debrief delays a user may choose, in hours.
DELAYS = [1, 2, 3, 4, 6, 8, 12]


class SettingsService:
    def __init__(self, store: Store, settings: Settings, clock: Clock, interviews: InterviewService) -> None:
        self.store = store
        self.settings = settings
        self.clock = clock
        self.interviews = interviews

    async def profile(self, user_id: int) -> Profile:
        """The user's profile, creating their record with defaults on first contact."""
        return profile_of(await self.store.users.ensure(user_id, self.clock.now()), self.settings)

    async def known_profile(self, user_id: int) -> Profile | None:
        """The profile of a user who has a record; None at first contact. A read, never a write: a command
        can look before it answers, and leave the first contact's write (:meth:`new_profile`) until after."""
        user = await self.store.users.get(user_id)
        return profile_of(user, self.settings) if user is not None else None

    async def new_profile(self, user_id: int) -> Profile:
        """The record of a user :meth:`known_profile` did not find, created with defaults (one upsert)."""
        return profile_of(await self.store.users.create(user_id, self.clock.now()), self.settings)

    async def set_zone(self, user_id: int, zone: str) -> Profile:
        """Set the user's IANA zone and move their pending prompts to follow it."""
        await self.profile(user_id)
        await self.store.users.set_timezone(user_id, zone)
        await self.interviews.requeue_user(user_id)
        return await self.profile(user_id)

    async def set_quiet_hours(self, user_id: int, quiet: QuietHours) -> None:
        await self.profile(user_id)
        await self.store.users.set_quiet_hours(user_id, quiet.start, quiet.end)
        await self.interviews.requeue_user(user_id)

    async def set_delay(self, user_id: int, hours: int) -> None:
        if hours not in DELAYS:
            raise UserError("Pick a delay between 1 and 12 hours from the list.")
        await self.profile(user_id)
        await self.store.users.set_debrief_delay(user_id, timedelta(hours=hours))

    async def set_checkins(self, user_id: int, on: bool) -> int:
        """Turn check-ins on or off; off cancels the one waiting. Returns how many were cancelled."""
        await self.profile(user_id)
        await self.store.users.set_switch(user_id, "checkins", on)
        return 0 if on else await self.interviews.cancel_kind(user_id, "checkin")

    async def set_pre_interview(self, user_id: int, on: bool) -> int:
        """Turn the note the evening before an interview on or off; off cancels the ones waiting.
        Returns how many were cancelled. Turning it on applies to interviews logged or moved from now."""
        await self.profile(user_id)
        await self.store.users.set_switch(user_id, "pre_interview", on)
        return 0 if on else await self.interviews.cancel_kind(user_id, "pre_interview")

    async def set_reset_window(self, user_id: int, window: timedelta) -> None:
        if not WINDOW_MIN <= window <= WINDOW_MAX:
            raise UserError(f"Pick a window between {format_duration(WINDOW_MIN)} and {format_duration(WINDOW_MAX)}.")
        await self.profile(user_id)
        await self.store.users.set_reset_window(user_id, window)
