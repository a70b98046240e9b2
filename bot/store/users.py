"""Users: time zone, quiet hours, delays, switches and the DM channel."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from bot.store.db import Database
from bot.store.models import User, to_ts

#: A membership seen again in the same channel within this long is not written again.
SEEN_REFRESH = timedelta(hours=1)

_SWITCHES = {"checkins", "weekly_summary", "share_cohort", "pre_interview"}


class Users:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def get(self, user_id: int) -> User | None:
        row = await self.db.fetchone("SELECT * FROM users WHERE id = ?", (user_id,))
        return User.from_row(row) if row else None

    async def ensure(self, user_id: int, now: datetime) -> User:
        """The user's record, created with defaults the first time they reach the bot.

        Nearly every command asks, so a known user costs one read (no write, no lock); only first
        contact writes, with one upsert that returns the row whoever created it."""
        user = await self.get(user_id)
        return user if user is not None else await self.create(user_id, now)

    async def create(self, user_id: int, now: datetime) -> User:
        """The record of a user :meth:`get` did not find, with defaults: one upsert that returns the row
        whoever created it (two first contacts at once both get it)."""
        row = await self.db.fetchone(
            "INSERT INTO users (id, created_at, last_seen_at) VALUES (?, ?, ?) "
            "ON CONFLICT(id) DO UPDATE SET created_at = users.created_at RETURNING *",
            (user_id, to_ts(now), to_ts(now)),
        )
        assert row is not None
        return User.from_row(row)

    async def set_timezone(self, user_id: int, zone: str) -> None:
        await self.db.execute("UPDATE users SET timezone = ? WHERE id = ?", (zone, user_id))

    async def set_quiet_hours(self, user_id: int, start: time, end: time) -> None:
        await self.db.execute(
            "UPDATE users SET quiet_start = ?, quiet_end = ? WHERE id = ?",
            (start.strftime("%H:%M"), end.strftime("%H:%M"), user_id),
        )

    async def set_debrief_delay(self, user_id: int, delay: timedelta) -> None:
        await self.db.execute(
            "UPDATE users SET debrief_delay_s = ? WHERE id = ?", (int(delay.total_seconds()), user_id)
        )

    async def set_reset_window(self, user_id: int, window: timedelta) -> None:
        await self.db.execute(
            "UPDATE users SET reset_window_s = ? WHERE id = ?", (int(window.total_seconds()), user_id)
        )

    async def set_switch(self, user_id: int, name: str, on: bool) -> None:
        if name not in _SWITCHES:
            raise ValueError(f"unknown switch {name}")
        await self.db.execute(f"UPDATE users SET {name} = ? WHERE id = ?", (int(on), user_id))

    async def mark_zone_asked(self, user_id: int, now: datetime) -> None:
        await self.db.execute("UPDATE users SET zone_asked_at = ? WHERE id = ?", (to_ts(now), user_id))

    async def set_dm_channel(self, user_id: int, channel_id: int | None) -> None:
        await self.db.execute("UPDATE users SET dm_channel_id = ? WHERE id = ?", (channel_id, user_id))

    async def set_dms_closed(self, user_id: int, when: datetime | None) -> None:
        await self.db.execute(
            "UPDATE users SET dms_closed_at = ? WHERE id = ?", (to_ts(when) if when else None, user_id)
        )

    async def dms_reopened(self, user_id: int) -> None:
        """A DM went through: forget an earlier "DMs closed" (one statement, a no-op when open)."""
        await self.db.execute(
            "UPDATE users SET dms_closed_at = NULL WHERE id = ? AND dms_closed_at IS NOT NULL", (user_id,)
        )

    async def remember_membership(self, user_id: int, guild_id: int, channel_id: int | None, now: datetime) -> None:
        await self.db.execute(
            "INSERT INTO memberships (user_id, guild_id, channel_id, seen_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(user_id, guild_id) DO UPDATE SET "
            "channel_id = COALESCE(excluded.channel_id, memberships.channel_id), seen_at = excluded.seen_at",
            (user_id, guild_id, channel_id, to_ts(now)),
        )

    async def seen_in(self, user_id: int, guild_id: int, channel_id: int | None, now: datetime) -> None:
        """The user used Debrief in this server and channel: remember it, writing only when it changed.

        Every server interaction says so, so the usual case (same channel, seen within
        ``SEEN_REFRESH``) is one read and no write. Otherwise one transaction creates the user if
        needed and upserts the membership. ``seen_at`` is therefore exact to ``SEEN_REFRESH``, which is
        enough for its one use: which server the user was in most recently.
        """
        row = await self.db.fetchone(
            "SELECT channel_id, seen_at FROM memberships WHERE user_id = ? AND guild_id = ?", (user_id, guild_id)
        )
        ts = to_ts(now)
        if (
            row is not None
            and (channel_id is None or row["channel_id"] == channel_id)
            and 0 <= ts - row["seen_at"] < SEEN_REFRESH.total_seconds()
        ):
            return
        async with self.db.transaction() as tx:
            await tx.execute(
                "INSERT INTO users (id, created_at, last_seen_at) VALUES (?, ?, ?) ON CONFLICT(id) DO NOTHING",
                (user_id, ts, ts),
            )
            await tx.execute(
                "INSERT INTO memberships (user_id, guild_id, channel_id, seen_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT(user_id, guild_id) DO UPDATE SET "
                "channel_id = COALESCE(excluded.channel_id, memberships.channel_id), seen_at = excluded.seen_at",
                (user_id, guild_id, channel_id, ts),
            )

    async def memberships(self, user_id: int) -> list[tuple[int, int | None]]:
        """(guild id, last channel id) of the servers the user was seen in, most recent first."""
        rows = await self.db.fetchall(
            "SELECT guild_id, channel_id FROM memberships WHERE user_id = ? ORDER BY seen_at DESC", (user_id,)
        )
        return [(row["guild_id"], row["channel_id"]) for row in rows]

    async def delete(self, user_id: int) -> None:
        """Everything held about the user goes: the foreign keys cascade to every table."""
        await self.db.execute("DELETE FROM users WHERE id = ?", (user_id,))
