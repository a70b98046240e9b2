"""Playing a Discord user against the bot: DMs, channel posts, slash commands, components.

Everything a :class:`FakeUser` does goes through the same state and gateway the bot sees,
so the bot receives exactly what Discord would send. The user cannot do what Discord's
client would not let them (unknown options, disabled buttons, commands not offered in
that context): those raise before anything is sent.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from . import components as comp
from .commands import CommandUnavailable, OptionBuilder, RegisteredCommand, nest_options, resolve_path
from .interactions import Context, FakeInteraction, InteractionType, owners_for
from .models import Attachment, FakeChannel, FakeGuild, FakeMessage, Perm, User

if TYPE_CHECKING:
    from .server import FakeDiscord

MessagePredicate = Callable[[FakeMessage], bool]


def _message_id(message: FakeMessage) -> int:
    return message.id


@dataclass(eq=False, repr=False)
class FakeUser(User):
    """A person. Create with :meth:`FakeDiscord.add_user`."""

    def attach(self, fake: FakeDiscord) -> None:
        self._fake = fake
        self._cursors: dict[int, int] = {}

    @property
    def fake(self) -> FakeDiscord:
        return self._fake

    # -- channels and messages ------------------------------------------------------------------

    @property
    def dm_channel(self) -> FakeChannel:
        """This user's DM channel with the bot."""
        return self._fake.state.dm_channel(self)

    @property
    def dm_messages(self) -> list[FakeMessage]:
        """Every message in the DM with the bot that this user can see, oldest first."""
        return self.dm_channel.visible_messages(self.id)

    def messages_in(self, channel: FakeChannel) -> list[FakeMessage]:
        """Every message in ``channel`` that this user can see (incl. their ephemerals), oldest first."""
        return channel.visible_messages(self.id)

    def _files(self, channel: FakeChannel, files: dict[str, bytes] | None) -> list[Attachment]:
        state = self._fake.state
        return [state.new_attachment(name, data, channel_id=channel.id) for name, data in (files or {}).items()]

    async def send_dm(self, content: str = "", *, files: dict[str, bytes] | None = None) -> FakeMessage:
        """DM the bot (MESSAGE_CREATE in the DM channel, content always visible to the bot)."""
        channel = self.dm_channel
        message = self._fake.state.post_message(channel, self, content=content, attachments=self._files(channel, files))
        self._cursors[channel.id] = message.id
        return message

    async def post(
        self,
        channel: FakeChannel,
        content: str = "",
        *,
        mention_bot: bool = False,
        files: dict[str, bytes] | None = None,
        reply_to: FakeMessage | None = None,
    ) -> FakeMessage:
        """Post in a guild channel; the bot sees the content only with the Message Content intent or a mention."""
        guild = channel.guild
        if guild is None:
            if channel is not self.dm_channel:
                raise PermissionError(f"{self.username} cannot post in {channel!r}")
            return await self.send_dm(content, files=files)
        if self.id not in guild.members:
            raise PermissionError(f"{self.username} is not a member of {guild.name}")
        if mention_bot:
            content = f"{self._fake.bot_user.mention} {content}".strip()
        reference = None
        if reply_to is not None:
            reference = {
                "type": 0,
                "message_id": str(reply_to.id),
                "channel_id": str(channel.id),
                "guild_id": str(guild.id),
            }
        message = self._fake.state.post_message(
            channel,
            self,
            content=content,
            attachments=self._files(channel, files),
            message_reference=reference,
            mtype=19 if reference else 0,
        )
        self._cursors[channel.id] = message.id
        return message

    async def wait_for_message(
        self, channel: FakeChannel, timeout: float = 5.0, predicate: MessagePredicate | None = None
    ) -> FakeMessage:
        """The next new message from the bot in ``channel`` that this user can see.

        "New" means after this user's last message there and after the message the
        previous wait returned. Messages still "thinking" (deferred, empty) are skipped
        until they show something.
        """
        bot_id = self._fake.bot_user_id

        me = self.id

        def found() -> FakeMessage | None:
            # Messages are kept in id order: look only at those after the cursor, not the whole channel.
            after = self._cursors.get(channel.id, 0)
            messages = channel.messages
            for i in range(bisect.bisect_right(messages, after, key=_message_id), len(messages)):
                message = messages[i]
                if message.deleted or message.visible_to not in (None, me):
                    continue
                if message.author.id != bot_id or not message.has_visible_content:
                    continue
                if predicate is None or predicate(message):
                    return message
            return None

        message = await self._fake.state.changes.wait_until(found, timeout, keys=(channel.id,))
        self._cursors[channel.id] = message.id
        return message

    async def wait_for_dm(self, timeout: float = 5.0, predicate: MessagePredicate | None = None) -> FakeMessage:
        """The next new message from the bot in this user's DM (see :meth:`wait_for_message`)."""
        return await self.wait_for_message(self.dm_channel, timeout, predicate)

    # -- application commands -----------------------------------------------------------------------

    def _where(
        self, guild: FakeGuild | None, channel: FakeChannel | None, private_with: User | None
    ) -> tuple[FakeChannel, int]:
        if guild is not None:
            if self.id not in guild.members:
                raise PermissionError(f"{self.username} is not a member of {guild.name}")
            target = channel or guild.channels[0]
            if target.guild is not guild:
                raise ValueError(f"{target!r} is not in {guild!r}")
            return target, Context.GUILD
        if private_with is not None:
            return self._fake.state.private_channel(self, private_with), Context.PRIVATE_CHANNEL
        return self.dm_channel, Context.BOT_DM

    def _command(self, name: str, guild: FakeGuild | None, context: int, ctype: int = 1) -> RegisteredCommand:
        registry = self._fake.state.commands
        command = registry.find(name, guild, ctype)
        if command is None:
            known = sorted(
                {c.name for c in registry.all(None) if c.type == ctype}
                | {c.name for c in registry.all(guild.id if guild else None) if c.type == ctype}
            )
            raise CommandUnavailable(f"no {name!r} command of type {ctype} is registered here (known: {known})")
        data = command.data
        if command.guild_id is None:
            contexts = data.get("contexts")
            if contexts is not None and context not in contexts:
                raise CommandUnavailable(f"/{name} is not offered in context {context} (contexts={contexts})")
            installs = data.get("integration_types") or [0]
            if context == Context.PRIVATE_CHANNEL and 1 not in installs:
                raise CommandUnavailable(f"/{name} is not user-installable, so it is not offered in private channels")
            if context == Context.BOT_DM and data.get("dm_permission") is False and contexts is None:
                raise CommandUnavailable(f"/{name} has dm_permission=false")
        required = data.get("default_member_permissions")
        if guild is not None and required is not None and not guild.overridden_for(command.name, self.id):
            needed = int(required) or Perm.ADMINISTRATOR
            if guild.permissions_for(self.id) & needed != needed:
                raise CommandUnavailable(f"{self.username} lacks the permissions /{name} requires ({required})")
        return command

    def _lookup_user(self, value: Any) -> User:
        if isinstance(value, User):
            return value
        user = self._fake.state.users.get(int(value))
        if user is None:
            raise ValueError(f"unknown user {value!r}")
        return user

    def _lookup_channel(self, value: Any) -> FakeChannel:
        if isinstance(value, FakeChannel):
            return value
        channel = self._fake.state.channels.get(int(value))
        if channel is None:
            raise ValueError(f"unknown channel {value!r}")
        return channel

    def _command_data(
        self, command_line: str, guild: FakeGuild | None, context: int, values: dict[str, Any], focused: str | None
    ) -> tuple[RegisteredCommand, dict[str, Any]]:
        parts = command_line.strip().lstrip("/").split()
        if not parts:
            raise ValueError("empty command")
        command = self._command(parts[0], guild, context)
        chain, leaf = resolve_path(command, parts[1:])
        builder = OptionBuilder(guild, self, self._lookup_user, self._lookup_channel)
        options = nest_options(chain, builder.build(leaf, values, focused=focused))
        data: dict[str, Any] = {"id": str(command.id), "name": command.name, "type": 1}
        if options:
            data["options"] = options
        if command.guild_id is not None:
            data["guild_id"] = str(command.guild_id)
        if builder.resolved:
            data["resolved"] = builder.resolved
        return command, data

    async def slash(
        self,
        command: str,
        *,
        guild: FakeGuild | None = None,
        channel: FakeChannel | None = None,
        private_with: User | None = None,
        options: dict[str, Any] | None = None,
        wait: bool = True,
        **values: Any,
    ) -> FakeInteraction:
        """Run a slash command, e.g. ``await alice.slash("interview log", company="Acme")``.

        ``guild=None`` runs it in the DM with the bot (context 1); ``private_with=bob`` runs
        it in a DM between this user and bob (context 2, needs a user install). Option
        names that clash with these keywords go in ``options``. With ``wait`` the call
        returns once the bot acknowledged (or the acknowledgement window closed).
        """
        where, context = self._where(guild, channel, private_with)
        values = {**(options or {}), **values}
        registered, data = self._command_data(command, guild, context, values, None)
        return await self._fake.dispatch_interaction(
            user=self,
            itype=InteractionType.APPLICATION_COMMAND,
            channel=where,
            guild=guild,
            context=context,
            owners=owners_for(
                registered.data if registered.guild_id is None else None, context=context, guild=guild, user=self
            ),
            data=data,
            command_name=" ".join(command.strip().lstrip("/").split()),
            wait=wait,
        )

    async def message_command(
        self,
        name: str,
        message: FakeMessage,
        *,
        wait: bool = True,
    ) -> FakeInteraction:
        """Right-click ``message`` → Apps → ``name``: a message command (type 3) run where the message is.

        Discord offers it only on a message this user can see, in a context the command allows; the
        interaction carries the message in ``data.resolved.messages`` with its content, whether or not
        the bot has the Message Content intent.
        """
        if message.deleted or (message.visible_to is not None and message.visible_to != self.id):
            raise LookupError(f"{self.username} cannot see {message!r}")
        channel = message.channel
        guild = channel.guild
        if guild is not None:
            where, context = self._where(guild, channel, None)
        elif channel is self.dm_channel:
            where, context = channel, Context.BOT_DM
        else:  # a DM between people (or a group DM): the user's if they wrote there or are a recipient
            if message.author is not self and self not in (channel.recipients or []):
                raise LookupError(f"{self.username} cannot see {message!r}")
            where, context = channel, Context.PRIVATE_CHANNEL
        command = self._command(name, guild, context, ctype=3)
        data: dict[str, Any] = {
            "id": str(command.id),
            "name": command.name,
            "type": 3,
            "target_id": str(message.id),
            "resolved": {"messages": {str(message.id): message.to_payload(me_id=self._fake.bot_user_id)}},
        }
        if command.guild_id is not None:
            data["guild_id"] = str(command.guild_id)
        return await self._fake.dispatch_interaction(
            user=self,
            itype=InteractionType.APPLICATION_COMMAND,
            channel=where,
            guild=guild,
            context=context,
            owners=owners_for(
                command.data if command.guild_id is None else None, context=context, guild=guild, user=self
            ),
            data=data,
            command_name=name,
            wait=wait,
        )

    async def autocomplete(
        self,
        command: str,
        *,
        focused: str,
        value: str,
        guild: FakeGuild | None = None,
        channel: FakeChannel | None = None,
        options: dict[str, Any] | None = None,
        timeout: float = 5.0,
        **values: Any,
    ) -> list[dict[str, Any]]:
        """Type ``value`` into option ``focused`` and return the bot's suggestions (``[{name, value}]``)."""
        where, context = self._where(guild, channel, None)
        values = {**(options or {}), **values, focused: value}
        registered, data = self._command_data(command, guild, context, values, focused)
        inter = await self._fake.dispatch_interaction(
            user=self,
            itype=InteractionType.AUTOCOMPLETE,
            channel=where,
            guild=guild,
            context=context,
            owners=owners_for(
                registered.data if registered.guild_id is None else None, context=context, guild=guild, user=self
            ),
            data=data,
            wait=False,
        )
        await inter.response(timeout)
        return list(inter.choices or [])

    # -- message components ------------------------------------------------------------------------

    def _component_context(self, message: FakeMessage) -> tuple[FakeGuild | None, int, dict[str, str]]:
        if message.deleted or (message.visible_to is not None and message.visible_to != self.id):
            raise LookupError(f"{self.username} cannot see {message!r}")
        channel = message.channel
        guild = channel.guild
        if guild is not None:
            context = Context.GUILD
        elif any(self._fake.state.dm_channels.get(u.id) is channel for u in channel.recipients):  # not a scan
            context = Context.BOT_DM
        else:
            context = Context.PRIVATE_CHANNEL
        if message.interaction is not None:
            owners = dict(message.interaction.owners)
        else:
            owners = owners_for(None, context=context, guild=guild, user=self)
        return guild, context, owners

    async def click(
        self,
        message: FakeMessage,
        *,
        label: str | None = None,
        custom_id: str | None = None,
        index: int | None = None,
        wait: bool = True,
    ) -> FakeInteraction:
        """Click a button found by ``label``, ``custom_id`` or 1-based ``index`` (as numbered in ``text()``)."""
        buttons = comp.buttons(message.components)
        if index is not None:
            button = buttons[index - 1] if 0 < index <= len(buttons) else None
        else:
            button = next(
                (
                    b
                    for b in buttons
                    if (custom_id is not None and b.get("custom_id") == custom_id)
                    or (label is not None and comp.label_of(b) == label)
                ),
                None,
            )
        if button is None:
            raise LookupError(f"no such button; the message has {message.buttons}")
        if button.get("disabled"):
            raise RuntimeError(f"button {comp.label_of(button)!r} is disabled")
        if button.get("style") in (comp.LINK_STYLE, comp.PREMIUM_STYLE):
            raise RuntimeError(f"button {comp.label_of(button)!r} is a link, not an interaction")
        guild, context, owners = self._component_context(message)
        data = {"custom_id": button["custom_id"], "component_type": comp.BUTTON, "id": button.get("id")}
        return await self._fake.dispatch_interaction(
            user=self,
            itype=InteractionType.MESSAGE_COMPONENT,
            channel=message.channel,
            guild=guild,
            context=context,
            owners=owners,
            data=data,
            source_message=message,
            wait=wait,
        )

    async def select(
        self,
        message: FakeMessage,
        values: list[Any],
        *,
        custom_id: str | None = None,
        wait: bool = True,
    ) -> FakeInteraction:
        """Choose ``values`` in a select menu (the first one, or the one with ``custom_id``).

        String selects take option values (or labels); user/channel selects take users/channels or ids.
        """
        selects = comp.selects(message.components)
        menu = next((s for s in selects if custom_id is None or s.get("custom_id") == custom_id), None)
        if menu is None:
            raise LookupError(f"no such select; the message has {message.selects}")
        if menu.get("disabled"):
            raise RuntimeError(f"select {menu.get('custom_id')!r} is disabled")
        low, high = menu.get("min_values", 1), menu.get("max_values", 1)
        if not low <= len(values) <= high:
            raise ValueError(f"select {menu.get('custom_id')!r} takes {low}-{high} values, got {len(values)}")
        guild, context, owners = self._component_context(message)
        data: dict[str, Any] = {"custom_id": menu["custom_id"], "component_type": menu["type"], "id": menu.get("id")}
        if menu["type"] == comp.STRING_SELECT:
            data["values"] = [self._option_value(menu, v) for v in values]
        else:
            builder = OptionBuilder(guild, self, self._lookup_user, self._lookup_channel)
            chosen: list[str] = []
            for value in values:
                if menu["type"] == comp.CHANNEL_SELECT:
                    channel = self._lookup_channel(value)
                    builder.resolved.setdefault("channels", {})[str(channel.id)] = builder._channel_payload(channel)
                    chosen.append(str(channel.id))
                elif menu["type"] in (comp.USER_SELECT, comp.MENTIONABLE_SELECT):
                    user = self._lookup_user(value)
                    builder._resolve_user(user)
                    chosen.append(str(user.id))
                else:
                    raise NotImplementedError("role selects are not supported by the fake")
            data["values"] = chosen
            data["resolved"] = builder.resolved
        return await self._fake.dispatch_interaction(
            user=self,
            itype=InteractionType.MESSAGE_COMPONENT,
            channel=message.channel,
            guild=guild,
            context=context,
            owners=owners,
            data=data,
            source_message=message,
            wait=wait,
        )

    @staticmethod
    def _option_value(menu: dict[str, Any], value: Any) -> str:
        for option in menu.get("options") or []:
            if value in (option.get("value"), option.get("label")):
                return str(option["value"])
        raise ValueError(f"{value!r} is not an option of select {menu.get('custom_id')!r}")
