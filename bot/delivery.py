"""Sending DMs the way a bot with many users must.

* The user's DM channel id is stored, and sends go through a partial messageable: discord.py caches
  only the 128 most recent DM channels, and opening many DMs quickly is itself rate limited.
* Closed DMs (403, code 50007) are remembered and raise :class:`DmsClosed`; the caller keeps its
  prompt. The user is told once, in the server channel where they last used Debrief, without a ping.
* :meth:`Messenger.find_posted` looks through the recent DMs for a message whose buttons carry a
  marker: after a crash between send and "mark sent", it tells whether the send went through.
  Prompts without buttons (the weekly summary, the cohort post) are found by their first line, which
  names their week: :meth:`Messenger.find_dm_starting` and :meth:`Messenger.find_post_starting`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import discord

from bot.clock import Clock
from bot.prompts import RetryLater, Sending
from bot.store import Store
from bot.ui.ids import custom_ids

log = logging.getLogger(__name__)

CANNOT_DM = 50007
UNKNOWN_CHANNEL = 10003

DMS_CLOSED_NOTE = (
    "<@{user}> I tried to send you something private from Debrief, but I can't DM you. If you'd like "
    "it, allow direct messages from this server (Server menu → Privacy Settings → Direct Messages) or "
    "add Debrief to your apps; I'll try again later either way."
)


class DmsClosed(Exception):
    """The user doesn't accept DMs from the bot."""


class Messenger:
    """Needs only a discord.py client, the store and the clock (not the bot: no import cycle)."""

    def __init__(self, client: discord.Client, store: Store, clock: Clock) -> None:
        self.client = client
        self.store = store
        self.clock = clock

    async def channel(self, user_id: int) -> discord.abc.Messageable:
        """The user's DM channel, opened (and its id stored) the first time."""
        user = await self.store.users.get(user_id)
        if user is not None and user.dm_channel_id is not None:
            return self.client.get_partial_messageable(user.dm_channel_id, type=discord.ChannelType.private)
        dm = await self.client.create_dm(discord.Object(user_id))
        await self.store.users.ensure(user_id, self.clock.now())
        await self.store.users.set_dm_channel(user_id, dm.id)
        return dm

    async def send(self, user_id: int, **kwargs: Any) -> discord.Message:
        """Send a DM; raises :class:`DmsClosed` if the user can't be reached."""
        for attempt in range(2):
            channel = await self.channel(user_id)
            try:
                message = await channel.send(**kwargs)
            except discord.Forbidden as exc:
                if exc.code == CANNOT_DM:
                    await self._closed(user_id)
                    raise DmsClosed from exc
                raise
            except discord.NotFound as exc:
                if exc.code == UNKNOWN_CHANNEL and attempt == 0:
                    await self.store.users.set_dm_channel(user_id, None)
                    continue
                raise
            await self.store.users.dms_reopened(user_id)
            return message
        raise AssertionError("unreachable")

    async def find_posted(self, user_id: int, marker: str, limit: int = 25) -> int | None:
        """The id of a recent bot DM with a component whose custom_id ends with ``marker``."""
        return await self._find_dm(
            user_id, lambda m: any(custom_id.endswith(marker) for custom_id in custom_ids(m)), marker, limit
        )

    async def find_dm_starting(self, user_id: int, first_line: str, limit: int = 25) -> int | None:
        """The id of a recent bot DM whose text starts with ``first_line`` (a prompt without buttons)."""
        return await self._find_dm(user_id, lambda m: m.content.startswith(first_line), first_line, limit)

    async def find_post_starting(self, channel_id: int, first_line: str, limit: int = 25) -> int | None:
        """The id of a recent bot message in a server channel whose text starts with ``first_line``. The bot
        always sees its own messages' text; reading the history needs Read Message History there."""
        channel = self.client.get_partial_messageable(channel_id)
        return await self._find_in(channel, lambda m: m.content.startswith(first_line), first_line, limit)

    async def _find_dm(
        self, user_id: int, match: Callable[[discord.Message], bool], what: str, limit: int
    ) -> int | None:
        user = await self.store.users.get(user_id)
        if user is None or user.dm_channel_id is None:
            return None
        channel = self.client.get_partial_messageable(user.dm_channel_id, type=discord.ChannelType.private)
        return await self._find_in(channel, match, what, limit)

    async def _find_in(
        self, channel: discord.PartialMessageable, match: Callable[[discord.Message], bool], what: str, limit: int
    ) -> int | None:
        try:
            async for message in channel.history(limit=limit):
                if self.client.user is None or message.author.id != self.client.user.id:
                    continue
                if match(message):
                    return message.id
        except discord.HTTPException:
            log.warning("could not read channel %s to look for %r", channel.id, what[:80], exc_info=True)
        return None

    async def send_prompt(self, sending: Sending, **message: Any) -> int:
        """Send a prompt's DM with its nonce; closed DMs and server errors become a retry."""
        try:
            sent = await self.send(sending.prompt.user_id, nonce=sending.nonce, **message)
        except DmsClosed:
            raise RetryLater("dms closed") from None
        except discord.HTTPException as exc:
            if exc.status >= 500 or exc.status == 429:
                raise RetryLater(f"discord {exc.status}") from exc
            raise
        return sent.id

    async def _closed(self, user_id: int) -> None:
        user = await self.store.users.get(user_id)
        if user is None or user.dms_closed_at is not None:
            return  # already told them
        await self.store.users.set_dms_closed(user_id, self.clock.now())
        for guild_id, channel_id in await self.store.users.memberships(user_id):
            guild = await self.store.guilds.get(guild_id) if channel_id is not None else None
            if channel_id is None or (guild is not None and not guild.enabled):
                continue  # no channel known, or the server turned Debrief's posts off (/server disable)
            channel = self.client.get_partial_messageable(channel_id)
            try:
                await channel.send(
                    DMS_CLOSED_NOTE.format(user=user_id), allowed_mentions=discord.AllowedMentions.none()
                )
            except discord.HTTPException:
                continue
            return
