"""The fake Discord's data model: users, roles, members, guilds, channels, messages.

Every model can render itself as the JSON payload Discord would send for it. The
models are plain data; behaviour that plays a user lives in :mod:`.harness`. Permission bits, channel types and
message flags are in :mod:`.flags`, attachments and reactions in :mod:`.attachments` (all importable
from here).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from . import components as comp
from .attachments import Attachment, Reaction
from .flags import ChannelType, MessageFlag, Perm
from .snowflake import iso, snowflake_time

if TYPE_CHECKING:
    from .interactions import FakeInteraction


@dataclass(eq=False)
class User:
    """A Discord user (a person or the bot)."""

    id: int
    username: str
    global_name: str | None = None
    bot: bool = False
    dms_open: bool = True
    locale: str = "en-US"
    avatar: str | None = None

    @property
    def mention(self) -> str:
        return f"<@{self.id}>"

    @property
    def display_name(self) -> str:
        return self.global_name or self.username

    def to_payload(self) -> dict[str, Any]:
        payload: dict[str, Any] = {
            "id": str(self.id),
            "username": self.username,
            "discriminator": "0",
            "global_name": self.global_name,
            "avatar": self.avatar,
            "avatar_decoration_data": None,
            "banner": None,
            "accent_color": None,
            "public_flags": 0,
            "flags": 0,
            "primary_guild": None,
            "collectibles": None,
        }
        if self.bot:
            payload["bot"] = True
        return payload

    def __repr__(self) -> str:
        return f"<{type(self).__name__} id={self.id} username={self.username!r}>"


@dataclass(eq=False)
class Role:
    """A guild role."""

    id: int
    name: str
    permissions: int
    position: int = 0
    managed: bool = False
    bot_id: int | None = None
    color: int = 0

    def to_payload(self) -> dict[str, Any]:
        payload: dict[str, Any] = {
            "id": str(self.id),
            "name": self.name,
            "description": None,
            "permissions": str(self.permissions),
            "position": self.position,
            "color": self.color,
            "colors": {"primary_color": self.color, "secondary_color": None, "tertiary_color": None},
            "hoist": False,
            "managed": self.managed,
            "mentionable": False,
            "icon": None,
            "unicode_emoji": None,
            "flags": 0,
        }
        if self.bot_id is not None:
            payload["tags"] = {"bot_id": str(self.bot_id)}
        return payload


@dataclass(eq=False)
class Member:
    """A user's membership of a guild."""

    user: User
    joined_at: datetime
    roles: list[int] = field(default_factory=list)
    nick: str | None = None

    def to_payload(self, *, with_user: bool = True) -> dict[str, Any]:
        payload: dict[str, Any] = {
            "roles": [str(r) for r in self.roles],
            "nick": self.nick,
            "avatar": None,
            "banner": None,
            "joined_at": iso(self.joined_at),
            "premium_since": None,
            "deaf": False,
            "mute": False,
            "flags": 0,
            "pending": False,
            "communication_disabled_until": None,
        }
        if with_user:
            payload["user"] = self.user.to_payload()
        return payload


@dataclass(eq=False)
class FakeChannel:
    """A guild text channel or a DM channel."""

    id: int
    type: int
    name: str | None = None
    guild: FakeGuild | None = None
    recipients: list[User] = field(default_factory=list)
    position: int = 0
    topic: str | None = None
    messages: list[FakeMessage] = field(default_factory=list)
    _last_public: tuple[FakeMessage | None, int] = field(default=(None, 0), repr=False)

    @property
    def is_dm(self) -> bool:
        return self.type in (ChannelType.DM, ChannelType.GROUP_DM)

    @property
    def mention(self) -> str:
        return f"<#{self.id}>"

    @property
    def last_message_id(self) -> int | None:
        # Remembered with how many messages it was found among, so a call looks only at the messages
        # since (a server channel can hold thousands of ephemerals and no public message at all).
        messages = self.messages
        last, seen = self._last_public
        count = len(messages)
        if seen > count:  # the list was replaced or cut: start again
            last, seen = None, 0
        for i in range(count - 1, seen - 1, -1):
            message = messages[i]
            if not message.deleted and message.visible_to is None:
                last = message
                break
        else:
            if last is not None and last.deleted:  # the last one is gone: look further back
                last = next((m for m in reversed(messages) if not m.deleted and m.visible_to is None), None)
        self._last_public = (last, count)
        return last.id if last is not None else None

    def visible_messages(self, viewer_id: int | None = None) -> list[FakeMessage]:
        """Messages that are not deleted and that ``viewer_id`` may see (ephemerals are per user)."""
        return [m for m in self.messages if not m.deleted and (m.visible_to is None or m.visible_to == viewer_id)]

    def to_payload(self) -> dict[str, Any]:
        last = self.last_message_id
        payload: dict[str, Any] = {
            "id": str(self.id),
            "type": self.type,
            "flags": 0,
            "last_message_id": str(last) if last else None,
        }
        if self.is_dm:
            payload["recipients"] = [u.to_payload() for u in self.recipients]
            return payload
        assert self.guild is not None
        payload.update(
            {
                "guild_id": str(self.guild.id),
                "name": self.name,
                "position": self.position,
                "parent_id": None,
                "topic": self.topic,
                "nsfw": False,
                "rate_limit_per_user": 0,
                "permission_overwrites": [],
                "last_pin_timestamp": None,
                "default_auto_archive_duration": 1440,
            }
        )
        return payload

    def __repr__(self) -> str:
        return f"<FakeChannel id={self.id} type={self.type} name={self.name!r}>"


@dataclass(eq=False)
class FakeGuild:
    """A guild (server) with its roles, members and channels."""

    id: int
    name: str
    owner_id: int
    roles: list[Role] = field(default_factory=list)
    members: dict[int, Member] = field(default_factory=dict)
    channels: list[FakeChannel] = field(default_factory=list)
    locale: str = "en-US"
    created_at: datetime | None = None
    #: Command permission overrides set in the server's Integrations settings: command name -> ids of the
    #: users or roles allowed (the guild id is @everyone). An override replaces the command's
    #: ``default_member_permissions`` for this server, as on Discord.
    command_overrides: dict[str, set[int]] = field(default_factory=dict)

    def allow_command(self, name: str, *who: int) -> None:
        """An admin lets ``who`` (user or role ids; none: @everyone) use the top-level command ``name``,
        whatever its default member permissions say. Discord still sends the member's real permissions."""
        self.command_overrides.setdefault(name, set()).update(who or (self.id,))

    def overridden_for(self, name: str, user_id: int) -> bool:
        """Whether an override lets ``user_id`` use ``name`` here."""
        allowed = self.command_overrides.get(name)
        if not allowed:
            return False
        member = self.members.get(user_id)
        return bool(allowed & {self.id, user_id, *(member.roles if member else [])})

    def channel(self, name: str) -> FakeChannel:
        """The channel called ``name`` (a leading ``#`` is ignored)."""
        wanted = name.lstrip("#")
        for channel in self.channels:
            if channel.name == wanted:
                return channel
        raise KeyError(f"guild {self.name!r} has no channel {name!r}")

    def get_channel(self, channel_id: int) -> FakeChannel | None:
        return next((c for c in self.channels if c.id == channel_id), None)

    def role(self, role_id: int) -> Role | None:
        return next((r for r in self.roles if r.id == role_id), None)

    def permissions_for(self, user_id: int) -> int:
        """The member's permissions (no channel overwrites are modelled)."""
        if user_id == self.owner_id:
            return Perm.ALL
        member = self.members.get(user_id)
        if member is None:
            return 0
        perms = 0
        for role_id in [self.id, *member.roles]:
            role = self.role(role_id)
            if role is not None:
                perms |= role.permissions
        if perms & Perm.ADMINISTRATOR:
            return Perm.ALL
        return perms

    def to_payload(self, *, with_counts: bool = False) -> dict[str, Any]:
        """The REST guild object."""
        payload: dict[str, Any] = {
            "id": str(self.id),
            "name": self.name,
            "icon": None,
            "description": None,
            "home_header": None,
            "splash": None,
            "discovery_splash": None,
            "features": [],
            "banner": None,
            "owner_id": str(self.owner_id),
            "application_id": None,
            "region": "deprecated",
            "afk_channel_id": None,
            "afk_timeout": 300,
            "system_channel_id": str(self.channels[0].id) if self.channels else None,
            "system_channel_flags": 0,
            "widget_enabled": False,
            "widget_channel_id": None,
            "verification_level": 0,
            "roles": [r.to_payload() for r in self.roles],
            "default_message_notifications": 0,
            "mfa_level": 0,
            "explicit_content_filter": 0,
            "max_presences": None,
            "max_members": 500000,
            "max_stage_video_channel_users": 50,
            "max_video_channel_users": 25,
            "vanity_url_code": None,
            "premium_tier": 0,
            "premium_subscription_count": 0,
            "preferred_locale": self.locale,
            "rules_channel_id": None,
            "safety_alerts_channel_id": None,
            "public_updates_channel_id": None,
            "premium_progress_bar_enabled": False,
            "nsfw": False,
            "nsfw_level": 0,
            "emojis": [],
            "stickers": [],
            "incidents_data": None,
        }
        if with_counts:
            payload["approximate_member_count"] = len(self.members)
            payload["approximate_presence_count"] = 0
        return payload

    def to_gateway_payload(self) -> dict[str, Any]:
        """The GUILD_CREATE payload: the guild plus members, channels and extras."""
        payload = self.to_payload()
        payload.update(
            {
                "joined_at": iso(self.created_at),
                "large": False,
                "unavailable": False,
                "member_count": len(self.members),
                "voice_states": [],
                "members": [m.to_payload() for m in self.members.values()],
                "channels": [c.to_payload() for c in self.channels],
                "threads": [],
                "presences": [],
                "stage_instances": [],
                "guild_scheduled_events": [],
                "soundboard_sounds": [],
                "lazy": True,
            }
        )
        for channel in payload["channels"]:
            channel.pop("guild_id", None)
        return payload

    def __repr__(self) -> str:
        return f"<FakeGuild id={self.id} name={self.name!r}>"


@dataclass(eq=False)
class FakeMessage:
    """A message in a channel, as stored by the fake (and shown to tests)."""

    id: int
    channel: FakeChannel
    author: User
    content: str = ""
    embeds: list[dict[str, Any]] = field(default_factory=list)
    components: list[dict[str, Any]] = field(default_factory=list)
    attachment_objs: list[Attachment] = field(default_factory=list)
    flags: int = 0
    type: int = 0
    nonce: str | int | None = None
    mentions: list[User] = field(default_factory=list)
    reaction_objs: list[Reaction] = field(default_factory=list)
    edited_at: datetime | None = None
    deleted: bool = False
    visible_to: int | None = None
    webhook_id: int | None = None
    application_id: int | None = None
    interaction: FakeInteraction | None = None
    message_reference: dict[str, Any] | None = None
    revision: int = 0
    history: list[dict[str, Any]] = field(default_factory=list)
    #: Copies of ``embeds`` and ``components`` that payloads share while they are unchanged.
    _copies: tuple[list[dict[str, Any]], list[dict[str, Any]]] | None = field(default=None, repr=False)

    # -- convenient read-only views for tests --------------------------------------------------------

    @property
    def created_at(self) -> datetime:
        return snowflake_time(self.id)

    @property
    def attachments(self) -> list[dict[str, Any]]:
        return [a.to_payload() for a in self.attachment_objs]

    @property
    def reactions(self) -> list[str]:
        """Emoji (names, or ``name:id`` for custom emoji) that have reactions."""
        return [r.key for r in self.reaction_objs if r.user_ids]

    @property
    def ephemeral(self) -> bool:
        return bool(self.flags & MessageFlag.EPHEMERAL)

    @property
    def loading(self) -> bool:
        return bool(self.flags & MessageFlag.LOADING)

    @property
    def buttons(self) -> list[tuple[str, str | None, bool]]:
        """``(label, custom_id, disabled)`` for every button, in order."""
        return [(comp.label_of(b), b.get("custom_id"), bool(b.get("disabled"))) for b in comp.buttons(self.components)]

    @property
    def selects(self) -> list[dict[str, Any]]:
        """Every select menu as ``{custom_id, type, placeholder, options, min_values, max_values, disabled}``."""
        return [
            {
                "custom_id": s.get("custom_id"),
                "type": s.get("type"),
                "placeholder": s.get("placeholder"),
                "options": [(o.get("label"), o.get("value")) for o in s.get("options") or []],
                "min_values": s.get("min_values", 1),
                "max_values": s.get("max_values", 1),
                "disabled": bool(s.get("disabled")),
            }
            for s in comp.selects(self.components)
        ]

    @property
    def has_visible_content(self) -> bool:
        return bool(self.content or self.embeds or self.components or self.attachment_objs) and not self.loading

    def text(self) -> str:
        """A readable plain-text rendering (content, embeds, attachments, numbered buttons, selects)."""
        from .render import render_message

        return render_message(self)

    # -- payloads ---------------------------------------------------------------------------------

    def to_payload(self, *, me_id: int = 0, withhold_content: bool = False) -> dict[str, Any]:
        """The message object as the REST API returns it.

        ``me_id`` is the user the payload is for (for ``reactions[].me``); ``withhold_content``
        empties the fields the Message Content intent guards.

        Payloads share one copy of the embeds and components while they are equal to the
        message's (compared, not assumed: a test may change a message's components in place),
        so a payload is not to be changed; copying them for every payload was a fifth of the
        fake's time with a thousand users.
        """
        copies = self._copies
        if copies is None or copies[0] != self.embeds or copies[1] != self.components:
            copies = self._copies = (comp.json_copy(self.embeds), comp.json_copy(self.components))
        embeds, components = copies
        payload: dict[str, Any] = {
            "id": str(self.id),
            "channel_id": str(self.channel.id),
            "type": self.type,
            "author": self.author.to_payload(),
            "content": "" if withhold_content else self.content,
            "timestamp": iso(self.created_at),
            "edited_timestamp": iso(self.edited_at),
            "tts": False,
            "mention_everyone": False,
            "mentions": [u.to_payload() for u in self.mentions],
            "mention_roles": [],
            "attachments": [] if withhold_content else self.attachments,
            "embeds": [] if withhold_content else embeds,
            "components": [] if withhold_content else components,
            "pinned": False,
            "flags": self.flags,
        }
        reactions = [r.to_payload(me_id) for r in self.reaction_objs if r.user_ids]
        if reactions:
            payload["reactions"] = reactions
        if self.nonce is not None:
            payload["nonce"] = self.nonce
        if self.webhook_id is not None:
            payload["webhook_id"] = str(self.webhook_id)
        if self.application_id is not None:
            payload["application_id"] = str(self.application_id)
        if self.message_reference is not None:
            payload["message_reference"] = dict(self.message_reference)
        if self.interaction is not None:
            payload["interaction_metadata"] = self.interaction.metadata_payload()
        return payload

    def __repr__(self) -> str:
        return f"<FakeMessage id={self.id} author={self.author.username!r} content={self.content[:40]!r}>"
