"""Servers: the channels their admins chose."""

from __future__ import annotations

from datetime import datetime

from bot.store.db import Database
from bot.store.models import Guild, to_ts

_CHANNELS = {"notice_channel_id", "summary_channel_id"}


class Guilds:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def get(self, guild_id: int) -> Guild | None:
        row = await self.db.fetchone("SELECT * FROM guilds WHERE id = ?", (guild_id,))
        return Guild.from_row(row) if row else None

    async def ensure(self, guild_id: int, now: datetime) -> Guild:
        await self.db.execute(
            "INSERT INTO guilds (id, created_at) VALUES (?, ?) ON CONFLICT(id) DO NOTHING", (guild_id, to_ts(now))
        )
        guild = await self.get(guild_id)
        assert guild is not None
        return guild

    async def set_channel(self, guild_id: int, which: str, channel_id: int | None) -> None:
        if which not in _CHANNELS:
            raise ValueError(f"unknown channel setting {which}")
        await self.db.execute(f"UPDATE guilds SET {which} = ? WHERE id = ?", (channel_id, guild_id))

    async def set_summary_time(self, guild_id: int, when: str, zone: str) -> None:
        await self.db.execute("UPDATE guilds SET summary_time = ?, timezone = ? WHERE id = ?", (when, zone, guild_id))

    async def set_enabled(self, guild_id: int, enabled: bool) -> None:
        await self.db.execute("UPDATE guilds SET enabled = ? WHERE id = ?", (int(enabled), guild_id))

    async def notice_channels(self) -> set[int]:
        rows = await self.db.fetchall(
            "SELECT notice_channel_id FROM guilds WHERE notice_channel_id IS NOT NULL AND enabled = 1"
        )
        return {row[0] for row in rows}
