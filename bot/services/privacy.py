"""Privacy and data rights: export, forget, the server clean-up and the retention policy.

- :meth:`PrivacyService.export` — every row held about the user (the store's documented sections);
- :meth:`PrivacyService.forget` — all of it deleted in one transaction, pending prompts included;
- :meth:`PrivacyService.forget_interview` — one interview with its debrief, feedback and prompts;
- :meth:`PrivacyService.server_removed` / :meth:`member_left` — a server's settings and memberships;
- :meth:`PrivacyService.seen` and :meth:`sweep` — the operator's retention setting. A user is
  *inactive* when they have used no command, button, form or DM to the bot for ``privacy.retention``;
  prompts the bot sends don't count. They are warned by DM (a ``retention`` prompt, through the queue,
  out of their quiet hours) at ``retention - 7 days``, and deleted when both ``retention`` has passed
  and the warning is a week old. Any use of Debrief in between takes the warning back.

The sweep reads inactive users through an index in batches of :data:`SWEEP_BATCH`, so its memory does
not grow with the number of users.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.clock import Clock
from bot.coach.waking import out_of_quiet
from bot.config import RETENTION_NOTICE, Settings
from bot.errors import UserError
from bot.prompts import DropPrompt, PromptQueue
from bot.services._checkins import keep_folded_checkin
from bot.services.profile import Profile, profile_of
from bot.services.servers import ServerService
from bot.store import Prompt, Store

log = logging.getLogger(__name__)

#: The export format's version (docs/privacy.md describes it); raise it when a section changes meaning.
EXPORT_VERSION = 1

#: How many users one sweep warns or deletes at most (the next sweep continues).
SWEEP_BATCH = 200

#: Activity is written at most this often per user (a read per interaction, a write per hour).
SEEN_EVERY = timedelta(hours=1)

NOT_YOURS = "I can't find that interview among yours; it may already be gone."


@dataclass(frozen=True, slots=True)
class Export:
    user_id: int
    exported_at: datetime
    version: int
    sections: dict[str, list[dict[str, object]]]

    @property
    def records(self) -> int:
        return sum(len(rows) for rows in self.sections.values())


@dataclass(frozen=True, slots=True)
class RetentionWarning:
    """A due retention warning: the user's profile, when they were last seen, when deletion comes."""

    profile: Profile
    last_seen: datetime
    deletes_on: datetime


@dataclass(frozen=True, slots=True)
class Swept:
    warned: int
    deleted: int


class PrivacyService:
    def __init__(
        self, store: Store, settings: Settings, clock: Clock, queue: PromptQueue, servers: ServerService
    ) -> None:
        self.store = store
        self.settings = settings
        self.clock = clock
        self.queue = queue
        self.servers = servers

    # -- the user's own data ------------------------------------------------------------------------

    async def export(self, user_id: int) -> Export:
        now = self.clock.now()
        sections = await self.store.privacy.export(user_id)
        return Export(user_id=user_id, exported_at=now, version=EXPORT_VERSION, sections=sections)

    async def held(self, user_id: int) -> dict[str, int]:
        """How many records each table holds about the user (what /forget would delete)."""
        return await self.store.privacy.count(user_id)

    async def forget(self, user_id: int) -> dict[str, int]:
        """Delete everything of the user in one transaction. Returns the records deleted, per table."""
        counts = await self.store.privacy.forget(user_id)
        log.info("forgot user %s: %d records", user_id, sum(counts.values()))
        return counts

    async def forget_interview(self, user_id: int, interview_id: int) -> dict[str, int]:
        async with self.store.transaction() as tx:  # first, so other rejections keep their check-in
            await keep_folded_checkin(self.store, tx, user_id, interview_id, self.clock.now())
        counts = await self.store.privacy.forget_interview(user_id, interview_id)
        if counts is None:
            raise UserError(NOT_YOURS)
        return counts

    # -- servers ------------------------------------------------------------------------------------

    async def server_removed(self, guild_id: int) -> int:
        """The bot was removed from a server: its settings and memberships go (members' notes stay)."""
        removed = await self.store.privacy.forget_guild(guild_id)
        await self.servers.load()  # its notice channel is no longer watched
        log.info("removed from server %s: %d records deleted", guild_id, removed)
        return removed

    async def member_left(self, user_id: int, guild_id: int) -> bool:
        return await self.store.privacy.forget_membership(user_id, guild_id)

    # -- retention ----------------------------------------------------------------------------------

    @property
    def retention(self) -> timedelta:
        return self.settings.privacy.retention

    async def seen(self, user_id: int) -> None:
        """The user used Debrief (a command, a button, a form, a DM)."""
        if await self.store.privacy.touch(user_id, self.clock.now(), int(SEEN_EVERY.total_seconds())):
            log.info("user %s came back; retention warning taken back", user_id)

    async def sweep(self) -> Swept:
        """Warn users who will reach the retention limit in a week; delete those past it and warned a
        week ago. Does nothing while retention is off."""
        if not self.retention:
            return Swept(0, 0)
        now = self.clock.now()
        warned = deleted = 0
        for user_id in await self.store.privacy.inactive_unwarned(
            now - (self.retention - RETENTION_NOTICE), SWEEP_BATCH
        ):
            user = await self.store.users.get(user_id)
            if user is None:
                continue
            profile = profile_of(user, self.settings)
            due = out_of_quiet(now, profile.tz, profile.quiet)
            if await self.store.privacy.warn(user_id, now, due) is not None:
                warned += 1
                self.queue.notify(due)
        for user_id in await self.store.privacy.inactive_warned(
            now - self.retention, now - RETENTION_NOTICE, SWEEP_BATCH
        ):
            if await self.store.privacy.forget(user_id, if_inactive=(now - self.retention, now - RETENTION_NOTICE)):
                deleted += 1
        if warned or deleted:
            log.info("retention sweep: %d users warned, %d users' data deleted", warned, deleted)
        return Swept(warned, deleted)

    async def retention_due(self, prompt: Prompt) -> RetentionWarning:
        """What a due retention warning says; dropped if the user came back since."""
        user = await self.store.users.get(prompt.user_id)
        warned = await self.store.privacy.warned_at(prompt.user_id)
        if user is None or warned is None or not self.retention:
            raise DropPrompt("the user came back, or retention is off")
        last_seen = await self.store.privacy.last_seen(prompt.user_id) or user.created_at
        deletes_on = max(last_seen + self.retention, warned + RETENTION_NOTICE)
        return RetentionWarning(profile_of(user, self.settings), last_seen, deletes_on)
