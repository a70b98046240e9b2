"""A user's settings with the operator's defaults filled in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from zoneinfo import ZoneInfo

from bot.coach.waking import QuietHours
from bot.config import Settings
from bot.store import Store, User

UTC_ZONE = ZoneInfo("UTC")


@dataclass(frozen=True, slots=True)
class Profile:
    user: User
    zone: ZoneInfo | None  # None until the user chose one
    quiet: QuietHours
    debrief_delay: timedelta
    reset_window: timedelta

    @property
    def tz(self) -> ZoneInfo:
        """The user's zone, or UTC while they haven't chosen one."""
        return self.zone or UTC_ZONE

    @property
    def checkins(self) -> bool:
        return self.user.checkins


def profile_of(user: User, settings: Settings) -> Profile:
    coaching = settings.coaching
    quiet = (
        QuietHours(user.quiet_start, user.quiet_end)
        if user.quiet_start is not None and user.quiet_end is not None
        else coaching.default_quiet_hours
    )
    return Profile(
        user=user,
        zone=ZoneInfo(user.timezone) if user.timezone else None,
        quiet=quiet,
        debrief_delay=user.debrief_delay or coaching.debrief_delay,
        reset_window=user.reset_window or coaching.reset_window,
    )


async def load_profile(store: Store, settings: Settings, user_id: int, now) -> Profile:
    """The user's profile, creating their record with defaults on first contact."""
    return profile_of(await store.users.ensure(user_id, now), settings)
