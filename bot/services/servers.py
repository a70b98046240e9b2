"""What a server's admins choose, and where each user last used Debrief in a server.

The set of notice channels is kept here (loaded at start, refreshed on every change), so the cog that
reads notice-channel posts and the cog that configures them share it without knowing each other.
"""

from __future__ import annotations

from bot.clock import Clock
from bot.services.summaries import SummaryService
from bot.store import Guild, Store


class ServerService:
    def __init__(self, store: Store, clock: Clock, summaries: SummaryService) -> None:
        self.store = store
        self.clock = clock
        self.summaries = summaries  # a server switched off posts no cohort summary; back on, it does again
        self.notice_channels: set[int] = set()

    async def load(self) -> None:
        """Read the notice channels (at start)."""
        self.notice_channels = await self.store.guilds.notice_channels()

    def watches(self, channel_id: int) -> bool:
        return channel_id in self.notice_channels

    async def guild(self, guild_id: int) -> Guild:
        return await self.store.guilds.ensure(guild_id, self.clock.now())

    async def set_notice_channel(self, guild_id: int, channel_id: int | None) -> Guild:
        """Watch ``channel_id`` and turn the server features on; None watches no channel and leaves the
        features as they were (clearing a channel never switches a disabled server back on)."""
        await self.guild(guild_id)
        await self.store.guilds.set_channel(guild_id, "notice_channel_id", channel_id)
        if channel_id is not None:
            await self.store.guilds.set_enabled(guild_id, True)
        await self.load()
        if channel_id is not None:
            await self.summaries.server_switched(guild_id, on=True)
        return await self.guild(guild_id)

    async def disable(self, guild_id: int) -> None:
        await self.guild(guild_id)
        await self.store.guilds.set_enabled(guild_id, False)
        await self.load()
        await self.summaries.server_switched(guild_id, on=False)

    async def remember(self, user_id: int, guild_id: int, channel_id: int | None) -> None:
        """Where the user last used Debrief in a server: where to tell them their DMs are closed."""
        await self.store.users.seen_in(user_id, guild_id, channel_id, self.clock.now())
