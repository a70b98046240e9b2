"""Sending DMs the way a bot with many users must.

* The user's DM channel id is stored, and sends go through a partial messageable: discord.py caches
  only the 128 most recent DM channels, and opening many DMs quickly is itself rate limited.
* Closed DMs (403, code 50007) are remembered and raise :class:`DmsClosed`; the caller keeps its
  prompt. The user is told once, in the server channel where they last used Debrief, without a ping.
* Every REST request the bot makes that counts toward Discord's global limit (DM-channel opens, sends,
  edits, history reads: whatever it sends, from the dispatcher or a cog) waits its turn in one
  :class:`RequestPacer`, hooked into discord.py's HTTP session through its public ``http_trace``
  option. It counts requests, not prompts: a first prompt to a user is two requests (open the DM,
  send), and pacing prompts let a burst of those run at twice the limit. Interaction responses and
  follow-ups are exempt from the global limit and never wait here.
* :meth:`Messenger.find_posted` looks through the recent DMs for a message whose buttons carry a
  marker: after a crash between send and "mark sent", it tells whether the send went through.
  Prompts without buttons (the weekly summary, the cohort post) are found by their first line, which
  names their week: :meth:`Messenger.find_dm_starting` and :meth:`Messenger.find_post_starting`.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Callable
from typing import Any

import aiohttp
import discord

from bot.clock import Clock
from bot.prompts import DISPATCHING, RetryLater, Sending
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


#: Interaction callbacks and follow-ups (webhooks) do not count toward the global limit.
EXEMPT_ROUTES = ("/interactions/", "/webhooks/")


class RequestPacer:
    """Lets the bot's REST requests that count toward the global limit go at most ``rate`` a second.

    Two rules, both checked before a request leaves: requests are spaced ``1 / rate`` apart, on a
    cadence that a late timer does not shift (see ``CATCH_UP``: the request after a late one may follow
    it sooner, so ``rate`` holds on average, over any stretch longer than ``CATCH_UP``); and the
    requests in flight plus those that finished within the last ``WINDOW`` never exceed ``limit``.
    Spacing alone let a stall of the event loop bunch requests on the wire, so that Discord's
    one-second window (opened by its first request) caught a few more than the limit: a 429 every
    minute or so at 47/s. A request arrives at Discord after it leaves and before it finishes, so
    counting what is in flight and what finished within the window bounds what any window there sees.

    Two lanes: requests made while answering a person (a reply to a DM, an edit of its buttons) are let
    go before the dispatcher's (``background=True``: prompts, summaries, the look-up after a crash), which
    take the slots nobody is waiting for. The rules above hold for both together. Waiters hold futures;
    whoever arrives or a timer grants the next slot, so nothing waits on a lock held by a sleeper.
    """

    WINDOW = 1.0
    #: A grant this late on the spacing's cadence keeps the cadence; later than this, it starts afresh.
    CATCH_UP = 0.1
    #: Discord's global limit, per bot, per second.
    GLOBAL_LIMIT = 50

    def __init__(self, rate: float, limit: int | None = None) -> None:
        self.interval = 1.0 / rate
        self.limit = limit if limit is not None else self.GLOBAL_LIMIT
        self._next = 0.0
        self._inflight = 0
        self._finished: deque[float] = deque()
        self._people: deque[asyncio.Future[None]] = deque()
        self._background: deque[asyncio.Future[None]] = deque()
        self._timer: asyncio.TimerHandle | None = None
        self.paced = 0  # requests that waited their turn here

    @staticmethod
    def counts(path: str) -> bool:
        """True for a REST call of the API that is not an interaction's (``/api/v10/...``)."""
        marker = path.find("/api/v")
        if marker < 0:
            return False  # the gateway, a CDN: not the REST API
        route = path[path.find("/", marker + 5) :]
        return not route.startswith(EXEMPT_ROUTES)

    async def acquire(self, *, background: bool = False) -> None:
        """Wait until a request may leave, and count it as in flight."""
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        lane = self._background if background else self._people
        lane.append(future)
        if self._timer is None:
            self._grant()
        try:
            await future
        except asyncio.CancelledError:
            if future.done() and not future.cancelled():
                self.release()  # let go, but its owner gave up: the slot counts as used
            else:
                try:
                    lane.remove(future)
                except ValueError:
                    pass
            raise

    def _grant(self) -> None:
        """Let go as many waiters as the rules allow now, people first; set a timer for the rest."""
        self._timer = None
        loop = asyncio.get_running_loop()
        while self._people or self._background:
            now = loop.time()
            while self._finished and self._finished[0] <= now - self.WINDOW:
                self._finished.popleft()
            wait = self._next - now
            if self._inflight + len(self._finished) >= self.limit:
                if not self._finished:
                    return  # all in flight: release() grants again
                # a slot frees when the oldest finished request leaves the window
                wait = max(wait, self._finished[0] + self.WINDOW - now)
            if wait > 0:
                self._timer = loop.call_later(wait, self._grant)
                return
            future = (self._people or self._background).popleft()
            if future.done():
                continue  # its owner gave up waiting
            future.set_result(None)
            # The cadence is kept: a timer the loop wakes a little late (by about a millisecond in 21 on
            # a busy loop, issue 15) does not push the rest back. After a longer pause (nothing to send,
            # or a stall) the spacing starts again from now, so a pause is not made up in a bunch.
            start = self._next if now - self._next <= self.CATCH_UP else now
            self._next = start + self.interval
            self._inflight += 1
            self.paced += 1

    def release(self) -> None:
        """The request finished (answered or failed). It counts in the window from now: when the answer
        arrived, an upper bound of when Discord received it. (Counting from half way between leaving and
        the answer was measured, issue 15: 7 responses of 429 in a burst of 4,000 requests, so not kept.)"""
        self._inflight -= 1
        self._finished.append(asyncio.get_running_loop().time())
        if self._timer is None and (self._people or self._background):
            self._grant()

    def trace_config(self, config: aiohttp.TraceConfig | None = None) -> aiohttp.TraceConfig:
        """For ``discord.Client(http_trace=...)``: every request passes here before it is sent. Given
        ``config`` (another trace, the metrics' say), the pacer's hooks are added to it."""
        config = config or aiohttp.TraceConfig()
        config.on_request_start.append(self._on_request_start)
        config.on_request_end.append(self._on_request_done)
        config.on_request_exception.append(self._on_request_done)
        return config

    async def _on_request_start(
        self, _session: aiohttp.ClientSession, context: Any, params: aiohttp.TraceRequestStartParams
    ) -> None:
        if self.counts(params.url.path):
            await self.acquire(background=DISPATCHING.get())
            context.paced = True

    async def _on_request_done(self, _session: aiohttp.ClientSession, context: Any, _params: object) -> None:
        if getattr(context, "paced", False):
            context.paced = False
            self.release()


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

    async def remember_dm(self, user_id: int, channel_id: int) -> bool:
        """The user DMed the bot from ``channel_id``: keep it, so that the first prompt to them needs no
        DM channel opened first (two requests under the global limit, not one). One read; a write only
        when the stored id differs. False if the user is not known (yet): nothing is created for them."""
        user = await self.store.users.get(user_id)
        if user is None:
            return False
        if user.dm_channel_id != channel_id:
            await self.store.users.set_dm_channel(user_id, channel_id)
        return True

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
