"""REST route handlers: users, applications, commands, channels, messages, guilds.

Interaction callbacks and the interaction webhook routes are in :mod:`.interaction_routes`.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from . import components as comp
from .limits import FieldError, check_commands
from .models import Attachment, FakeChannel, FakeGuild, FakeMessage, MessageFlag, Perm, Reaction
from .rest import ApiError, Reply, RequestContext, RestApi, UploadedFile, invalid_form

if TYPE_CHECKING:
    from .server import FakeDiscord

_FILE_FIELD = re.compile(r"^files\[(\d+)\]$")
GLOBAL_COMMANDS_MAX = 100


def unknown(what: str, code: int) -> ApiError:
    return ApiError(404, code, f"Unknown {what}")


class MessageBuilder:
    """Turns message bodies (JSON or multipart) into stored fields, shared by every send/edit route."""

    def __init__(self, fake: FakeDiscord) -> None:
        self.fake = fake

    def changes(
        self,
        body: dict[str, Any],
        files: list[UploadedFile],
        channel: FakeChannel,
        *,
        existing: FakeMessage | None = None,
        ephemeral: bool = False,
    ) -> dict[str, Any]:
        """Fields to store for a create (``existing`` None) or an edit."""
        changes: dict[str, Any] = {}
        if "content" in body:
            changes["content"] = "" if body["content"] is None else str(body["content"])
        if "embeds" in body:
            changes["embeds"] = [self._embed(e) for e in body["embeds"] or []]
        if "components" in body:
            components = comp.json_copy(body["components"] or [])
            comp.assign_ids(components)
            changes["components"] = components
        if body.get("flags") is not None:
            changes["flags"] = int(body["flags"])
        if files or "attachments" in body:
            changes["attachment_objs"] = self._attachments(body, files, channel, existing, ephemeral)
        return changes

    @staticmethod
    def _embed(embed: dict[str, Any]) -> dict[str, Any]:
        stored = {k: v for k, v in embed.items() if v is not None}
        stored.setdefault("type", "rich")
        stored["content_scan_version"] = 0
        return stored

    def _attachments(
        self,
        body: dict[str, Any],
        files: list[UploadedFile],
        channel: FakeChannel,
        existing: FakeMessage | None,
        ephemeral: bool,
    ) -> list[Attachment]:
        by_index: dict[int, UploadedFile] = {}
        for position, upload in enumerate(files):
            match = _FILE_FIELD.match(upload.field)
            by_index[int(match.group(1)) if match else position] = upload
        entries = body.get("attachments")
        old = {a.id: a for a in (existing.attachment_objs if existing else [])}
        result: list[Attachment] = []
        used: set[int] = set()
        if entries is None:
            result.extend(old.values())
            entries = []
        for i, entry in enumerate(entries):
            try:
                aid = int(entry.get("id"))
            except (TypeError, ValueError):
                raise invalid_form([_field(("attachments", i, "id"), "Invalid attachment id")]) from None
            if aid in old:
                result.append(old[aid])
            elif aid in by_index:
                upload = by_index[aid]
                used.add(aid)
                result.append(self._store(upload, channel, entry.get("filename"), entry.get("description"), ephemeral))
            else:
                raise invalid_form([_field(("attachments", i, "id"), "Unknown attachment")])
        for index, upload in by_index.items():
            if index not in used:
                result.append(self._store(upload, channel, None, None, ephemeral))
        return result

    def _store(
        self, upload: UploadedFile, channel: FakeChannel, filename: str | None, description: str | None, ephemeral: bool
    ) -> Attachment:
        ctype = upload.content_type if upload.content_type not in (None, "application/octet-stream") else None
        return self.fake.state.new_attachment(
            filename or upload.filename,
            upload.data,
            channel_id=channel.id,
            content_type=ctype,
            description=description,
            ephemeral=ephemeral,
        )


def _field(path: tuple[str | int, ...], message: str) -> FieldError:
    return FieldError(path, "BASE_TYPE_INVALID", message)


def is_empty(fields: dict[str, Any]) -> bool:
    return not (
        fields.get("content") or fields.get("embeds") or fields.get("components") or fields.get("attachment_objs")
    )


class Routes:
    """Handlers for the non-interaction REST routes."""

    def __init__(self, fake: FakeDiscord) -> None:
        self.fake = fake
        self.state = fake.state
        self.builder = MessageBuilder(fake)

    def register(self, api: RestApi) -> None:
        add = api.add
        add("GET", "/users/@me", self.get_me)
        add("GET", "/users/{user_id}", self.get_user)
        add("GET", "/users/@me/guilds", self.get_my_guilds)
        add("POST", "/users/@me/channels", self.create_dm)
        add("GET", "/applications/@me", self.get_application)
        add("GET", "/oauth2/applications/@me", self.get_application)
        add("GET", "/gateway", self.get_gateway)
        add("GET", "/gateway/bot", self.get_gateway_bot)
        for prefix in ("/applications/{application_id}", "/applications/{application_id}/guilds/{guild_id}"):
            add("GET", prefix + "/commands", self.list_commands)
            add("PUT", prefix + "/commands", self.put_commands)
            add("POST", prefix + "/commands", self.post_command)
            add("GET", prefix + "/commands/{command_id}", self.get_command)
            add("PATCH", prefix + "/commands/{command_id}", self.patch_command)
            add("DELETE", prefix + "/commands/{command_id}", self.delete_command)
        add("GET", "/channels/{channel_id}", self.get_channel)
        add("GET", "/channels/{channel_id}/messages", self.list_messages)
        add("POST", "/channels/{channel_id}/messages", self.create_message)
        add("GET", "/channels/{channel_id}/messages/{message_id}", self.get_message)
        add("PATCH", "/channels/{channel_id}/messages/{message_id}", self.edit_message)
        add("DELETE", "/channels/{channel_id}/messages/{message_id}", self.delete_message)
        add("PUT", "/channels/{channel_id}/messages/{message_id}/reactions/{emoji_name}/@me", self.add_reaction)
        add("DELETE", "/channels/{channel_id}/messages/{message_id}/reactions/{emoji_name}/@me", self.remove_reaction)
        add("POST", "/channels/{channel_id}/typing", self.typing)
        add("GET", "/guilds/{guild_id}", self.get_guild)
        add("GET", "/guilds/{guild_id}/channels", self.get_guild_channels)
        add("GET", "/guilds/{guild_id}/members", self.list_members)
        add("GET", "/guilds/{guild_id}/members/{user_id}", self.get_member)
        add("GET", "/guilds/{guild_id}/roles", self.get_roles)

    # -- lookups ------------------------------------------------------------------------------

    def channel(self, ctx: RequestContext) -> FakeChannel:
        channel = self.state.channels.get(ctx.param_int("channel_id"))
        if channel is None:
            raise unknown("Channel", 10003)
        if channel.is_dm and channel not in self.state.dm_channels.values():
            raise ApiError(403, 50001, "Missing Access")
        return channel

    def message(self, channel: FakeChannel, ctx: RequestContext) -> FakeMessage:
        message = self.state.messages.get(ctx.param_int("message_id"))
        if message is None or message.channel is not channel or message.deleted or message.visible_to is not None:
            raise unknown("Message", 10008)
        return message

    def guild(self, ctx: RequestContext) -> FakeGuild:
        guild = self.state.guilds.get(ctx.param_int("guild_id"))
        if guild is None:
            raise unknown("Guild", 10004)
        return guild

    def _require_app(self, ctx: RequestContext) -> None:
        if ctx.param_int("application_id") != self.fake.application_id:
            raise ApiError(403, 50001, "Missing Access", violation=True, detail="wrong application id")

    # -- users and application ----------------------------------------------------------------

    async def get_me(self, ctx: RequestContext) -> Reply:
        payload = self.fake.bot_user.to_payload()
        payload.update({"verified": True, "mfa_enabled": False, "locale": "en-US", "email": None, "bot": True})
        return Reply(200, payload)

    async def get_user(self, ctx: RequestContext) -> Reply:
        user = self.state.users.get(ctx.param_int("user_id"))
        if user is None:
            raise unknown("User", 10013)
        return Reply(200, user.to_payload())

    async def get_my_guilds(self, ctx: RequestContext) -> Reply:
        guilds = [
            {
                "id": str(g.id),
                "name": g.name,
                "icon": None,
                "banner": None,
                "owner": g.owner_id == self.fake.bot_user_id,
                "permissions": str(g.permissions_for(self.fake.bot_user_id)),
                "features": [],
            }
            for g in self.state.guilds.values()
        ]
        return Reply(200, guilds)

    async def create_dm(self, ctx: RequestContext) -> Reply:
        body = ctx.body or {}
        try:
            user = self.state.users.get(int(body.get("recipient_id")))
        except (TypeError, ValueError):
            user = None
        if user is None:
            raise unknown("User", 10013)
        channel = self.state.dm_channel(user)
        return Reply(200, channel.to_payload())

    async def get_application(self, ctx: RequestContext) -> Reply:
        return Reply(200, self.fake.application_payload())

    async def get_gateway(self, ctx: RequestContext) -> Reply:
        return Reply(200, {"url": self.fake.gateway_url})

    async def get_gateway_bot(self, ctx: RequestContext) -> Reply:
        return Reply(
            200,
            {
                "url": self.fake.gateway_url,
                "shards": 1,
                "session_start_limit": {
                    "total": 1000,
                    "remaining": 999,
                    "reset_after": 86_400_000,
                    "max_concurrency": 1,
                },
            },
        )

    # -- application commands -----------------------------------------------------------------

    def _command_guild(self, ctx: RequestContext) -> int | None:
        self._require_app(ctx)
        if "guild_id" not in ctx.params:
            return None
        guild = self.state.guilds.get(ctx.param_int("guild_id"))
        if guild is None:
            raise ApiError(403, 50001, "Missing Access", violation=True, detail="the bot is not in that guild")
        return guild.id

    async def list_commands(self, ctx: RequestContext) -> Reply:
        guild_id = self._command_guild(ctx)
        return Reply(200, [c.to_payload() for c in self.state.commands.all(guild_id)])

    async def put_commands(self, ctx: RequestContext) -> Reply:
        guild_id = self._command_guild(ctx)
        body = ctx.body if isinstance(ctx.body, list) else []
        errors = []
        if guild_id is None and sum(1 for c in body if (c.get("type") or 1) == 1) > GLOBAL_COMMANDS_MAX:
            errors.append(FieldError((), "BASE_TYPE_MAX_LENGTH", f"Must be {GLOBAL_COMMANDS_MAX} or fewer in length."))
        if errors:
            raise invalid_form(errors)
        commands = self.state.commands.replace(guild_id, body)
        self.state.changes.notify()
        return Reply(200, [c.to_payload() for c in commands])

    async def post_command(self, ctx: RequestContext) -> Reply:
        guild_id = self._command_guild(ctx)
        body = ctx.body if isinstance(ctx.body, dict) else {}
        command = self.state.commands.upsert(guild_id, body)
        self.state.changes.notify()
        return Reply(201, command.to_payload())

    async def get_command(self, ctx: RequestContext) -> Reply:
        guild_id = self._command_guild(ctx)
        command = self.state.commands.by_id(guild_id, ctx.param_int("command_id"))
        if command is None:
            raise unknown("application command", 10063)
        return Reply(200, command.to_payload())

    async def patch_command(self, ctx: RequestContext) -> Reply:
        guild_id = self._command_guild(ctx)
        command = self.state.commands.by_id(guild_id, ctx.param_int("command_id"))
        if command is None:
            raise unknown("application command", 10063)
        data = {**command.data, **(ctx.body or {})}
        errors = check_commands([data])
        if errors:
            raise invalid_form(errors)
        self.state.commands.delete(guild_id, command.id)
        updated = self.state.commands.upsert(guild_id, data)
        updated.id = command.id
        return Reply(200, updated.to_payload())

    async def delete_command(self, ctx: RequestContext) -> Reply:
        guild_id = self._command_guild(ctx)
        if not self.state.commands.delete(guild_id, ctx.param_int("command_id")):
            raise unknown("application command", 10063)
        return Reply(204)

    # -- channels and messages ----------------------------------------------------------------

    async def get_channel(self, ctx: RequestContext) -> Reply:
        return Reply(200, self.channel(ctx).to_payload())

    async def list_messages(self, ctx: RequestContext) -> Reply:
        channel = self.channel(ctx)
        self._require(channel, Perm.VIEW_CHANNEL | Perm.READ_MESSAGE_HISTORY)
        messages = [m for m in channel.visible_messages(None)]
        limit = max(1, min(100, int(ctx.query.get("limit", 50))))
        if "before" in ctx.query:
            messages = [m for m in messages if m.id < int(ctx.query["before"])]
        if "after" in ctx.query:
            messages = [m for m in messages if m.id > int(ctx.query["after"])][:limit]
        messages = list(reversed(messages))[:limit]
        return Reply(200, [m.to_payload(me_id=self.fake.bot_user_id) for m in messages])

    def _require(self, channel: FakeChannel, perms: int) -> None:
        if channel.guild is not None:
            have = channel.guild.permissions_for(self.fake.bot_user_id)
            if have & perms != perms:
                raise ApiError(403, 50013, "Missing Permissions")

    def check_can_send(self, channel: FakeChannel) -> None:
        """Discord's refusal to deliver: closed DMs (50007) or missing permissions (50013)."""
        if channel.is_dm:
            recipient = channel.recipients[0]
            if not recipient.dms_open:
                raise ApiError(403, 50007, "Cannot send messages to this user")
        self._require(channel, Perm.VIEW_CHANNEL | Perm.SEND_MESSAGES)

    async def create_message(self, ctx: RequestContext) -> Reply:
        channel = self.channel(ctx)
        body = ctx.body if isinstance(ctx.body, dict) else {}
        self.check_can_send(channel)
        bot = self.fake.bot_user
        nonce = body.get("nonce")
        if nonce is not None and body.get("enforce_nonce"):
            earlier = self.state.find_nonce(channel, bot, nonce)
            if earlier is not None:
                return Reply(200, earlier.to_payload(me_id=bot.id))
        reference = self._reference(channel, body.get("message_reference"))
        fields = self.builder.changes(body, ctx.files, channel)
        if is_empty(fields) and not body.get("sticker_ids") and not body.get("poll"):
            raise ApiError(400, 50006, "Cannot send an empty message", violation=True)
        flags = fields.get("flags", 0) & ~MessageFlag.EPHEMERAL
        message = self.state.post_message(
            channel,
            bot,
            content=fields.get("content", ""),
            embeds=fields.get("embeds"),
            components=fields.get("components"),
            attachments=fields.get("attachment_objs"),
            flags=flags,
            nonce=nonce,
            mtype=19 if reference else 0,
            message_reference=reference,
        )
        return Reply(200, message.to_payload(me_id=bot.id))

    def _reference(self, channel: FakeChannel, ref: Any) -> dict[str, Any] | None:
        if not isinstance(ref, dict) or ref.get("message_id") is None:
            return None
        target = self.state.messages.get(int(ref["message_id"]))
        if target is None or target.deleted:
            if ref.get("fail_if_not_exists", True):
                raise invalid_form([_field(("message_reference",), "Unknown message")])
            return None
        reference = {"type": 0, "message_id": str(target.id), "channel_id": str(target.channel.id)}
        if target.channel.guild is not None:
            reference["guild_id"] = str(target.channel.guild.id)
        return reference

    async def get_message(self, ctx: RequestContext) -> Reply:
        channel = self.channel(ctx)
        self._require(channel, Perm.VIEW_CHANNEL | Perm.READ_MESSAGE_HISTORY)
        return Reply(200, self.message(channel, ctx).to_payload(me_id=self.fake.bot_user_id))

    async def edit_message(self, ctx: RequestContext) -> Reply:
        channel = self.channel(ctx)
        message = self.message(channel, ctx)
        if message.author.id != self.fake.bot_user_id:
            raise ApiError(403, 50005, "Cannot edit a message authored by another user", violation=True)
        body = ctx.body if isinstance(ctx.body, dict) else {}
        changes = self.builder.changes(body, ctx.files, channel, existing=message)
        changes.pop("flags", None)
        merged = {
            "content": changes.get("content", message.content),
            "embeds": changes.get("embeds", message.embeds),
            "components": changes.get("components", message.components),
            "attachment_objs": changes.get("attachment_objs", message.attachment_objs),
        }
        if is_empty(merged):
            raise ApiError(400, 50006, "Cannot send an empty message", violation=True)
        self.state.edit_message(message, changes)
        return Reply(200, message.to_payload(me_id=self.fake.bot_user_id))

    async def delete_message(self, ctx: RequestContext) -> Reply:
        channel = self.channel(ctx)
        message = self.message(channel, ctx)
        if message.author.id != self.fake.bot_user_id:
            if channel.is_dm:
                raise ApiError(403, 50003, "Cannot execute action on a DM channel", violation=True)
            self._require(channel, Perm.MANAGE_MESSAGES)
        self.state.delete_message(message)
        return Reply(204)

    def _emoji(self, ctx: RequestContext) -> tuple[str, int | None]:
        raw = ctx.params["emoji_name"]
        if ":" in raw:
            name, _, emoji_id = raw.rpartition(":")
            raise ApiError(400, 10014, "Unknown Emoji", violation=True, detail=f"custom emoji {name}:{emoji_id}")
        if not raw.strip():
            raise ApiError(400, 10014, "Unknown Emoji", violation=True)
        return raw, None

    async def add_reaction(self, ctx: RequestContext) -> Reply:
        channel = self.channel(ctx)
        message = self.message(channel, ctx)
        self._require(channel, Perm.ADD_REACTIONS | Perm.READ_MESSAGE_HISTORY)
        name, emoji_id = self._emoji(ctx)
        reaction = next((r for r in message.reaction_objs if r.emoji_name == name and r.emoji_id == emoji_id), None)
        if reaction is None:
            reaction = Reaction(emoji_name=name, emoji_id=emoji_id)
            message.reaction_objs.append(reaction)
        reaction.user_ids.add(self.fake.bot_user_id)
        message.revision += 1
        return Reply(204)

    async def remove_reaction(self, ctx: RequestContext) -> Reply:
        channel = self.channel(ctx)
        message = self.message(channel, ctx)
        name, emoji_id = self._emoji(ctx)
        for reaction in message.reaction_objs:
            if reaction.emoji_name == name and reaction.emoji_id == emoji_id:
                reaction.user_ids.discard(self.fake.bot_user_id)
        message.revision += 1
        return Reply(204)

    async def typing(self, ctx: RequestContext) -> Reply:
        channel = self.channel(ctx)
        self.check_can_send(channel)
        self.fake.typing_in.add(channel.id)
        return Reply(204)

    # -- guilds ---------------------------------------------------------------------------------

    async def get_guild(self, ctx: RequestContext) -> Reply:
        return Reply(200, self.guild(ctx).to_payload(with_counts=ctx.flag("with_counts")))

    async def get_guild_channels(self, ctx: RequestContext) -> Reply:
        return Reply(200, [c.to_payload() for c in self.guild(ctx).channels])

    async def list_members(self, ctx: RequestContext) -> Reply:
        guild = self.guild(ctx)
        limit = max(1, min(1000, int(ctx.query.get("limit", 1))))
        after = int(ctx.query.get("after", 0))
        members = sorted((m for m in guild.members.values() if m.user.id > after), key=lambda m: m.user.id)
        return Reply(200, [m.to_payload() for m in members[:limit]])

    async def get_member(self, ctx: RequestContext) -> Reply:
        guild = self.guild(ctx)
        member = guild.members.get(ctx.param_int("user_id"))
        if member is None:
            raise unknown("Member", 10007)
        return Reply(200, member.to_payload())

    async def get_roles(self, ctx: RequestContext) -> Reply:
        return Reply(200, [r.to_payload() for r in self.guild(ctx).roles])
