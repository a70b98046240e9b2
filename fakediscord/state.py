"""Everything the fake Discord stores, and the operations that change it.

:class:`FakeState` owns users, guilds, channels, messages, attachments, commands and
interactions. Every change calls :meth:`ChangeFeed.notify`, which wakes the test-side
wait helpers, and gateway events go out through the ``emit`` hook the server installs.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable
from typing import TYPE_CHECKING, Any, TypeVar

from .commands import CommandRegistry
from .models import (
    Attachment,
    ChannelType,
    FakeChannel,
    FakeGuild,
    FakeMessage,
    Member,
    Perm,
    Role,
    User,
)
from .snowflake import SnowflakeFactory, utcnow

if TYPE_CHECKING:
    from .gateway import GatewaySession
    from .interactions import FakeInteraction

T = TypeVar("T")

# Gateway intents (https://discord.com/developers/docs/events/gateway#gateway-intents)
INTENT_GUILDS = 1 << 0
INTENT_GUILD_MEMBERS = 1 << 1
INTENT_GUILD_PRESENCES = 1 << 8
INTENT_GUILD_MESSAGES = 1 << 9
INTENT_GUILD_MESSAGE_REACTIONS = 1 << 10
INTENT_DIRECT_MESSAGES = 1 << 12
INTENT_MESSAGE_CONTENT = 1 << 15
PRIVILEGED_INTENTS = INTENT_GUILD_MEMBERS | INTENT_GUILD_PRESENCES | INTENT_MESSAGE_CONTENT

_MENTION_RE = re.compile(r"<@!?(\d+)>")

Emit = Callable[[str, Callable[["GatewaySession"], dict[str, Any] | None]], None]


#: The key of a change to the recorded requests (``FakeDiscord.requests``) and nothing else: it wakes
#: only the waiters that wait on everything.
REQUESTS = "requests"


class ChangeFeed:
    """Wakes waiters when the fake's state changes (event driven, no polling).

    A waiter waits either on everything (no keys) or on keys: the ids of the channels and
    interactions its condition reads (snowflakes, unique across kinds). ``notify()`` with no key
    wakes every waiter; ``notify(k1, k2)`` wakes the waiters on everything and those on ``k1`` or
    ``k2``. So a change must name every key whose waiters could see it: a message created, edited
    or deleted names its channel (and the interaction that made it, if any); an interaction's
    callback and follow-ups name the interaction and its channel. Anything else stays global.
    With a thousand people each waiting on their own DM, one message wakes one of them, not all.
    """

    def __init__(self) -> None:
        self._waiters: list[asyncio.Future[None]] = []
        self._keyed: dict[Hashable, set[asyncio.Future[None]]] = {}
        self.version = 0
        #: Waiters woken so far (each wakeup re-runs a condition): for tests and benchmarks.
        self.wakeups = 0

    def notify(self, *keys: Hashable) -> None:
        self.version += 1
        waiters, self._waiters = self._waiters, []
        if keys:
            for key in keys:
                waiters.extend(self._keyed.pop(key, ()))
        else:
            for keyed in self._keyed.values():
                waiters.extend(keyed)
            self._keyed.clear()
        for fut in waiters:
            if not fut.done():
                self.wakeups += 1
                fut.set_result(None)

    def _register(self, fut: asyncio.Future[None], keys: tuple[Hashable, ...]) -> None:
        if not keys:
            self._waiters.append(fut)
            return
        for key in keys:
            self._keyed.setdefault(key, set()).add(fut)

    def _unregister(self, fut: asyncio.Future[None], keys: tuple[Hashable, ...]) -> None:
        if not keys:
            with contextlib.suppress(ValueError):  # a woken waiter was already taken off the list
                self._waiters.remove(fut)
            return
        for key in keys:
            keyed = self._keyed.get(key)
            if keyed is not None:
                keyed.discard(fut)
                if not keyed:
                    del self._keyed[key]

    async def wait_until(self, predicate: Callable[[], T], timeout: float, *, keys: Iterable[Hashable] = ()) -> T:
        """Return the first truthy ``predicate()``; raise ``TimeoutError`` after ``timeout`` seconds.

        ``predicate`` runs now and again after each change that could matter: with ``keys``, only
        changes notified under one of them (or under no key); without, after every change. One
        timer covers the whole wait.
        """
        result = predicate()
        if result:
            return result
        keys = tuple(keys)
        loop = asyncio.get_running_loop()
        try:
            async with asyncio.timeout(max(timeout, 0.0)):
                while True:
                    fut: asyncio.Future[None] = loop.create_future()
                    self._register(fut, keys)
                    try:
                        await fut
                    finally:
                        self._unregister(fut, keys)
                    result = predicate()
                    if result:
                        return result
        except TimeoutError:
            result = predicate()  # a last look, as the timer may have beaten a wakeup
            if result:
                return result
            raise TimeoutError(f"condition not met within {timeout:.2f}s") from None


class FakeState:
    """The fake's data and the operations shared by the REST API and the user harness."""

    def __init__(
        self,
        *,
        ids: SnowflakeFactory,
        bot_user: User,
        application_id: int,
        attachment_base: Callable[[], str],
        nonce_ttl: float,
    ) -> None:
        self.ids = ids
        self.bot = bot_user
        self.application_id = application_id
        self._attachment_base = attachment_base
        self.nonce_ttl = nonce_ttl
        #: The clock of the nonce window (a test may replace it to move time on).
        self.clock: Callable[[], float] = time.monotonic
        self.users: dict[int, User] = {bot_user.id: bot_user}
        self.guilds: dict[int, FakeGuild] = {}
        self.channels: dict[int, FakeChannel] = {}
        self.messages: dict[int, FakeMessage] = {}
        self.attachments: dict[int, Attachment] = {}
        self.dm_channels: dict[int, FakeChannel] = {}
        self.interactions: dict[int, FakeInteraction] = {}
        self.interactions_by_token: dict[str, FakeInteraction] = {}
        self.commands = CommandRegistry(application_id, ids)
        self.changes = ChangeFeed()
        self.emit: Emit = lambda event, build: None
        #: (channel, author, nonce) -> (when, message), oldest first: expiry takes from the front.
        self._nonces: OrderedDict[tuple[int, int, str], tuple[float, FakeMessage]] = OrderedDict()

    # -- users, guilds, channels ---------------------------------------------------------------

    def register_user(self, user: User) -> User:
        self.users[user.id] = user
        self.changes.notify()
        return user

    def add_guild(
        self, name: str, *, members: list[User], channels: list[str], admins: list[User], owner: User | None
    ) -> FakeGuild:
        """Create a guild the bot is in, with @everyone, an Admin role (if any admins) and the bot's role."""
        gid = self.ids.next()
        owner_id = owner.id if owner else (members[0].id if members else self.bot.id)
        guild = FakeGuild(id=gid, name=name, owner_id=owner_id, created_at=utcnow())
        guild.roles.append(Role(id=gid, name="@everyone", permissions=Perm.EVERYONE_DEFAULT, position=0))
        bot_role = Role(
            id=self.ids.next(),
            name=self.bot.username,
            permissions=Perm.BOT_DEFAULT,
            position=1,
            managed=True,
            bot_id=self.bot.id,
        )
        guild.roles.append(bot_role)
        admin_role: Role | None = None
        if admins:
            admin_role = Role(id=self.ids.next(), name="Admin", permissions=Perm.ADMINISTRATOR, position=2)
            guild.roles.append(admin_role)
        now = utcnow()
        guild.members[self.bot.id] = Member(user=self.bot, joined_at=now, roles=[bot_role.id])
        for user in members + [a for a in admins if a not in members]:
            roles = [admin_role.id] if admin_role and user in admins else []
            guild.members[user.id] = Member(user=user, joined_at=now, roles=roles)
        for position, channel_name in enumerate(channels or ["general"]):
            self.add_channel(guild, channel_name, position=position)
        self.guilds[gid] = guild
        self.changes.notify()
        return guild

    def remove_guild(self, guild: FakeGuild) -> None:
        """The bot is no longer in ``guild``: it and its channels are gone from the bot's view."""
        self.guilds.pop(guild.id, None)
        for channel in guild.channels:
            self.channels.pop(channel.id, None)
        self.changes.notify()

    def add_channel(self, guild: FakeGuild, name: str, *, position: int = 0, topic: str | None = None) -> FakeChannel:
        channel = FakeChannel(
            id=self.ids.next(),
            type=ChannelType.GUILD_TEXT,
            name=name.lstrip("#"),
            guild=guild,
            position=position,
            topic=topic,
        )
        guild.channels.append(channel)
        self.channels[channel.id] = channel
        return channel

    def dm_channel(self, user: User) -> FakeChannel:
        """The DM channel between ``user`` and the bot (created on first use, like Discord)."""
        channel = self.dm_channels.get(user.id)
        if channel is None:
            channel = FakeChannel(id=self.ids.next(), type=ChannelType.DM, recipients=[user])
            self.dm_channels[user.id] = channel
            self.channels[channel.id] = channel
        return channel

    def private_channel(self, user: User, other: User) -> FakeChannel:
        """A DM between two people (the bot is not in it): interaction context 2."""
        channel = FakeChannel(id=self.ids.next(), type=ChannelType.DM, recipients=[other])
        self.channels[channel.id] = channel
        return channel

    def mutual_guilds(self, user_id: int) -> list[FakeGuild]:
        return [g for g in self.guilds.values() if user_id in g.members]

    # -- attachments --------------------------------------------------------------------------

    def new_attachment(
        self,
        filename: str,
        data: bytes,
        *,
        channel_id: int,
        content_type: str | None = None,
        description: str | None = None,
        ephemeral: bool = False,
    ) -> Attachment:
        aid = self.ids.next()
        url = f"{self._attachment_base()}/attachments/{channel_id}/{aid}/{filename}"
        attachment = Attachment(
            id=aid,
            filename=filename,
            data=data,
            url=url,
            content_type=content_type,
            description=description,
            ephemeral=ephemeral,
        )
        self.attachments[aid] = attachment
        return attachment

    # -- messages -----------------------------------------------------------------------------

    def mentions_in(self, content: str) -> list[User]:
        found: list[User] = []
        for match in _MENTION_RE.finditer(content or ""):
            user = self.users.get(int(match.group(1)))
            if user is not None and user not in found:
                found.append(user)
        return found

    def find_nonce(self, channel: FakeChannel, author: User, nonce: str | int) -> FakeMessage | None:
        """An earlier message by ``author`` in ``channel`` with this nonce, within the nonce window."""
        self._expire_nonces(self.clock())
        hit = self._nonces.get((channel.id, author.id, str(nonce)))
        return hit[1] if hit else None

    def _expire_nonces(self, now: float) -> None:
        """Forget nonces older than the window: the oldest are first, so this stops at the first young one."""
        nonces = self._nonces
        while nonces:
            key, (at, _) = next(iter(nonces.items()))
            if now - at <= self.nonce_ttl:
                break
            del nonces[key]

    def post_message(
        self,
        channel: FakeChannel,
        author: User,
        *,
        content: str = "",
        embeds: list[dict[str, Any]] | None = None,
        components: list[dict[str, Any]] | None = None,
        attachments: list[Attachment] | None = None,
        flags: int = 0,
        nonce: str | int | None = None,
        mtype: int = 0,
        visible_to: int | None = None,
        webhook_id: int | None = None,
        interaction: FakeInteraction | None = None,
        message_reference: dict[str, Any] | None = None,
        silent: bool = False,
    ) -> FakeMessage:
        """Store a new message and send MESSAGE_CREATE (unless it is ephemeral or ``silent``)."""
        message = FakeMessage(
            id=self.ids.next(),
            channel=channel,
            author=author,
            content=content or "",
            embeds=list(embeds or []),
            components=list(components or []),
            attachment_objs=list(attachments or []),
            flags=flags,
            type=mtype,
            nonce=nonce,
            mentions=self.mentions_in(content),
            visible_to=visible_to,
            webhook_id=webhook_id,
            application_id=self.application_id if author.id == self.bot.id else None,
            interaction=interaction,
            message_reference=message_reference,
        )
        channel.messages.append(message)
        self.messages[message.id] = message
        if nonce is not None:
            key = (channel.id, author.id, str(nonce))
            self._nonces[key] = (self.clock(), message)
            self._nonces.move_to_end(key)  # a reused nonce is young again: keep the order by time
        if visible_to is None and not silent:
            self.emit("MESSAGE_CREATE", lambda session: self.message_event(message, session))
        self.changes.notify(*self.message_keys(message))
        return message

    def edit_message(self, message: FakeMessage, changes: dict[str, Any]) -> FakeMessage:
        """Apply an edit (fields present in ``changes`` replace the old ones) and send MESSAGE_UPDATE."""
        message.history.append(message.to_payload(me_id=self.bot.id))
        for key in ("content", "embeds", "components"):
            if key in changes:
                value = changes[key]
                setattr(message, key, value if value is not None else ("" if key == "content" else []))
        if "attachment_objs" in changes:
            message.attachment_objs = list(changes["attachment_objs"])
        if "flags" in changes and changes["flags"] is not None:
            message.flags = int(changes["flags"])
        message.mentions = self.mentions_in(message.content)
        message.edited_at = utcnow()
        message.revision += 1
        if message.visible_to is None:
            self.emit("MESSAGE_UPDATE", lambda session: self.message_event(message, session))
        self.changes.notify(*self.message_keys(message))
        return message

    def delete_message(self, message: FakeMessage) -> None:
        message.deleted = True
        message.revision += 1
        if message.visible_to is None:
            payload: dict[str, Any] = {"id": str(message.id), "channel_id": str(message.channel.id)}
            if message.channel.guild is not None:
                payload["guild_id"] = str(message.channel.guild.id)
            self.emit("MESSAGE_DELETE", lambda session: payload if self._wants_message(message, session) else None)
        self.changes.notify(*self.message_keys(message))

    @staticmethod
    def message_keys(message: FakeMessage) -> tuple[int, ...]:
        """The change-feed keys a change to ``message`` touches: its channel, and the interaction that made it."""
        if message.interaction is not None:
            return (message.channel.id, message.interaction.id)
        return (message.channel.id,)

    def _wants_message(self, message: FakeMessage, session: GatewaySession) -> bool:
        intent = INTENT_DIRECT_MESSAGES if message.channel.guild is None else INTENT_GUILD_MESSAGES
        return bool(session.intents & intent)

    def message_event(self, message: FakeMessage, session: GatewaySession) -> dict[str, Any] | None:
        """The MESSAGE_CREATE/UPDATE payload for one gateway session, honouring intents.

        Guild message content is withheld unless the session has the Message Content intent
        (identified with it, and the app has it enabled), the bot wrote the message, or the
        bot is mentioned. DMs always carry content.
        """
        if not self._wants_message(message, session):
            return None
        guild = message.channel.guild
        readable = (
            guild is None
            or session.message_content
            or message.author.id == self.bot.id
            or any(u.id == self.bot.id for u in message.mentions)
        )
        payload = message.to_payload(me_id=self.bot.id, withhold_content=not readable)
        if guild is not None:
            payload["guild_id"] = str(guild.id)
            member = guild.members.get(message.author.id)
            if member is not None:
                payload["member"] = member.to_payload(with_user=False)
        return payload
