"""The fake Discord server: configuration, lifecycle and the test-facing API.

>>> fake = FakeDiscord(token="fake-token")
>>> await fake.start()              # binds 127.0.0.1 on an ephemeral port
>>> alice = fake.add_user("alice")
>>> guild = fake.add_guild("Bootcamp", members=[alice], channels=["general"])
"""

from __future__ import annotations

import contextlib
import secrets
import time
from typing import Any

from aiohttp import web

from .gateway import GatewayManager, GatewaySession
from .harness import FakeUser
from .holds import Hold, Holds
from .interaction_routes import InteractionRoutes
from .interactions import Context, FakeInteraction, InteractionFailed
from .models import FakeChannel, FakeGuild, FakeMessage, User
from .openapi import OpenAPIChecker, checker
from .ratelimit import RateLimiter
from .rest import RecordedRequest, RestApi
from .routes import Routes
from .snowflake import SnowflakeFactory, new_token
from .state import INTENT_GUILD_MEMBERS, INTENT_GUILD_PRESENCES, INTENT_GUILDS, INTENT_MESSAGE_CONTENT, FakeState

APP_FLAG_GATEWAY_PRESENCE_LIMITED = 1 << 13
APP_FLAG_GATEWAY_GUILD_MEMBERS_LIMITED = 1 << 15
APP_FLAG_GATEWAY_MESSAGE_CONTENT_LIMITED = 1 << 19
APP_FLAG_APPLICATION_COMMAND_BADGE = 1 << 23


class FakeDiscord:
    """A Discord REST v10 + gateway v10 server on 127.0.0.1 for one bot application.

    Parameters mirror the parts of Discord a bot can trip over: the Message Content
    intent setting, request validation, the interaction acknowledgement window, the
    follow-up token lifetime and the rate limits. All timings are in seconds.
    """

    def __init__(
        self,
        token: str = "fake-token",
        *,
        message_content_intent: bool = False,
        members_intent: bool = False,
        presences_intent: bool = False,
        validate: bool = True,
        validate_responses: bool = False,
        ack_timeout: float = 3.0,
        followup_ttl: float = 900.0,
        global_rate: int = 50,
        channel_rate: tuple[int, float] = (5, 5.0),
        channel_rate_scope: str = "user",
        route_rate: tuple[int, float] = (50, 1.0),
        nonce_ttl: float = 300.0,
        attachment_limit: int = 10 * 1024 * 1024,
        heartbeat_interval: float = 41.25,
        heartbeat_ack_delay: float = 0.0,
        bot_name: str = "Debrief",
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        self.token = token
        self.message_content_intent = message_content_intent
        self.members_intent = members_intent
        self.presences_intent = presences_intent
        self.validate = validate
        self.validate_responses = validate_responses
        self.ack_timeout = ack_timeout
        self.followup_ttl = followup_ttl
        self.heartbeat_interval = heartbeat_interval
        self.attachment_limit = attachment_limit
        # Seconds before a heartbeat is acknowledged, as a network round trip would take. discord.py's
        # keep-alive thread notes a heartbeat's send time only after the send returns; an ACK heard before
        # that is measured from the heartbeat before, and past 10 s discord.py warns "Can't keep up".
        self.heartbeat_ack_delay = heartbeat_ack_delay
        self.host = host
        self.port = port
        self.ids = SnowflakeFactory()
        self.application_id = self.ids.next()
        self.bot_user = User(id=self.application_id, username=bot_name, global_name=None, bot=True)
        self.owner_user = User(id=self.ids.next(), username=f"{bot_name.lower()}-owner")
        self.verify_key = secrets.token_hex(32)
        self.state = FakeState(
            ids=self.ids,
            bot_user=self.bot_user,
            application_id=self.application_id,
            attachment_base=lambda: self.base_url,
            nonce_ttl=nonce_ttl,
        )
        self.state.register_user(self.owner_user)
        self.limiter = RateLimiter(
            global_rate=global_rate,
            channel_rate=channel_rate,
            route_rate=route_rate,
            channel_rate_scope=channel_rate_scope,
        )
        self.violations: list[str] = []
        self.holds = Holds()
        self.response_problems: list[str] = []
        self.requests: list[RecordedRequest] = []
        self.typing_in: set[int] = set()
        self.gateway = GatewayManager(self)
        self.state.emit = self.gateway.dispatch
        self.rest = RestApi(self)
        Routes(self).register(self.rest)
        InteractionRoutes(self).register(self.rest)
        self._runner: web.AppRunner | None = None
        self._checker: OpenAPIChecker | None = None

    # -- lifecycle ------------------------------------------------------------------------------

    async def start(self) -> FakeDiscord:
        """Bind the server (``port=0`` picks a free port) and start serving."""
        if self._runner is not None:
            raise RuntimeError("FakeDiscord is already started")
        if self.validate or self.validate_responses:
            self._checker = checker()
        app = web.Application(client_max_size=32 * 1024 * 1024)
        app.router.add_route("*", "/api/v10/{tail:.*}", self.rest.handle)
        app.router.add_get("/gateway", self.gateway.handle)
        app.router.add_get("/attachments/{channel_id}/{attachment_id}/{filename}", self._serve_attachment)
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        self.port = int(self._runner.addresses[0][1])
        return self

    async def close(self) -> None:
        """Close every gateway connection and stop the server."""
        if self._runner is None:
            return
        await self.gateway.close_all()
        await self._runner.cleanup()
        self._runner = None

    async def __aenter__(self) -> FakeDiscord:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def api_base(self) -> str:
        """What to put in ``discord.http.Route.BASE``."""
        return f"{self.base_url}/api/v10"

    @property
    def gateway_url(self) -> str:
        """What to put in ``discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY``."""
        return f"ws://{self.host}:{self.port}/gateway"

    @property
    def bot_user_id(self) -> int:
        return self.bot_user.id

    @property
    def checker(self) -> OpenAPIChecker:
        if self._checker is None:
            self._checker = checker()
        return self._checker

    @property
    def enabled_privileged_intents(self) -> int:
        enabled = 0
        if self.message_content_intent:
            enabled |= INTENT_MESSAGE_CONTENT
        if self.members_intent:
            enabled |= INTENT_GUILD_MEMBERS
        if self.presences_intent:
            enabled |= INTENT_GUILD_PRESENCES
        return enabled

    def violation(self, text: str) -> None:
        """Record something Discord would have rejected."""
        self.violations.append(text)
        self.state.changes.notify()

    # -- world building --------------------------------------------------------------------------

    def add_user(
        self, name: str, *, dms_open: bool = True, global_name: str | None = None, locale: str = "en-US"
    ) -> FakeUser:
        """A person who can DM the bot, post in guilds and use its commands and components."""
        user = FakeUser(id=self.ids.next(), username=name, global_name=global_name, dms_open=dms_open, locale=locale)
        user.attach(self)
        self.state.register_user(user)
        return user

    def add_guild(
        self,
        name: str,
        *,
        members: list[FakeUser] | tuple[FakeUser, ...] = (),
        channels: list[str] | tuple[str, ...] = ("general",),
        admins: list[FakeUser] | tuple[FakeUser, ...] = (),
        owner: FakeUser | None = None,
    ) -> FakeGuild:
        """A guild the bot has joined (GUILD_CREATE is sent if a bot is already connected)."""
        guild = self.state.add_guild(
            name, members=list(members), channels=list(channels), admins=list(admins), owner=owner
        )
        self.gateway.dispatch("GUILD_CREATE", lambda session: guild.to_gateway_payload())
        return guild

    def add_channel(self, guild: FakeGuild, name: str, *, topic: str | None = None) -> FakeChannel:
        channel = self.state.add_channel(guild, name, position=len(guild.channels), topic=topic)
        self.gateway.dispatch(
            "CHANNEL_CREATE",
            lambda session: channel.to_payload() if session.intents & INTENT_GUILDS else None,
        )
        return channel

    def remove_bot_from_guild(self, guild: FakeGuild) -> None:
        """The bot is kicked from ``guild`` (or the guild is deleted): GUILD_DELETE without
        ``unavailable``, which is how Discord tells a bot it is no longer in a guild."""
        self.state.remove_guild(guild)
        self.gateway.dispatch(
            "GUILD_DELETE", lambda session: {"id": str(guild.id)} if session.intents & INTENT_GUILDS else None
        )

    def revoke_bot_permissions(self, guild: FakeGuild, permissions: int) -> None:
        """An admin takes ``permissions`` away from the bot in ``guild``: the bits go from @everyone and
        from the bot's roles, each change sent as GUILD_ROLE_UPDATE (as Discord does)."""
        member = guild.members[self.state.bot.id]
        for role_id in [guild.id, *member.roles]:
            role = guild.role(role_id)
            if role is None or not role.permissions & permissions:
                continue
            role.permissions &= ~permissions
            self.gateway.dispatch(
                "GUILD_ROLE_UPDATE",
                lambda session, role=role: (
                    {"guild_id": str(guild.id), "role": role.to_payload()} if session.intents & INTENT_GUILDS else None
                ),
            )
        self.state.changes.notify()

    def remove_member(self, guild: FakeGuild, user: User) -> None:
        """``user`` leaves ``guild``: GUILD_MEMBER_REMOVE, which Discord sends only to bots that
        identified with the privileged Server Members intent (and the application has it enabled)."""
        guild.members.pop(user.id, None)
        self.state.changes.notify()
        self.gateway.dispatch(
            "GUILD_MEMBER_REMOVE",
            lambda session: (
                {"guild_id": str(guild.id), "user": user.to_payload()}
                if session.intents & INTENT_GUILD_MEMBERS
                else None
            ),
        )

    def hold(self, method: str, template: str, *, stage: str = "after") -> Hold:
        """Hold the next ``method`` request to route ``template`` (see :mod:`.holds`)."""
        return self.holds.add(method, template, stage=stage)

    # -- waiting ---------------------------------------------------------------------------------

    async def wait_for_ready(self, timeout: float = 10.0) -> None:
        """Wait until a bot has identified and been sent READY and its GUILD_CREATEs."""
        await self.state.changes.wait_until(lambda: self.gateway.ready_count > 0, timeout)

    async def wait_for_commands(self, timeout: float = 10.0, *, syncs: int = 1) -> None:
        """Wait until the bot has synced (PUT/POST) its application commands ``syncs`` times."""
        await self.state.changes.wait_until(lambda: self.state.commands.syncs >= syncs, timeout)

    async def wait_for_resume(self, timeout: float = 10.0, *, count: int = 1) -> None:
        """Wait until the bot has resumed ``count`` sessions in total."""
        await self.state.changes.wait_until(lambda: self.gateway.resumed_count >= count, timeout)

    async def wait_for_request(
        self, method: str, path_contains: str = "", *, status: int | None = None, timeout: float = 5.0
    ) -> RecordedRequest:
        """Wait for the first recorded request matching method, path fragment and (optional) status."""

        def found() -> RecordedRequest | None:
            for req in self.requests:
                if req.method == method and path_contains in req.path and (status is None or req.status == status):
                    return req
            return None

        return await self.state.changes.wait_until(found, timeout)

    async def drop_gateway(self, *, hold: float = 0.0) -> int:
        """Abruptly drop the bot's gateway connection(s); the bot must RESUME.

        Events dispatched while it is away are buffered and replayed on RESUME. ``hold``
        keeps new connections waiting that long before HELLO.
        """
        if hold > 0:
            self.gateway.hold(hold)
        return self.gateway.drop()

    # -- commands --------------------------------------------------------------------------------

    @property
    def commands(self) -> list[dict[str, Any]]:
        """Every registered command (global first) as Discord returns it."""
        registry = self.state.commands
        found = [c.to_payload() for c in registry.all(None)]
        for guild_id in registry.guild_commands:
            found += [c.to_payload() for c in registry.all(guild_id)]
        return found

    # -- payloads --------------------------------------------------------------------------------

    @property
    def application_flags(self) -> int:
        flags = APP_FLAG_APPLICATION_COMMAND_BADGE
        if self.message_content_intent:
            flags |= APP_FLAG_GATEWAY_MESSAGE_CONTENT_LIMITED
        if self.members_intent:
            flags |= APP_FLAG_GATEWAY_GUILD_MEMBERS_LIMITED
        if self.presences_intent:
            flags |= APP_FLAG_GATEWAY_PRESENCE_LIMITED
        return flags

    def application_payload(self) -> dict[str, Any]:
        install = {"scopes": ["applications.commands", "bot"], "permissions": "2147534912"}
        return {
            "id": str(self.application_id),
            "name": self.bot_user.username,
            "icon": None,
            "description": "",
            "summary": "",
            "type": None,
            "bot_public": True,
            "bot_require_code_grant": False,
            "verify_key": self.verify_key,
            "flags": self.application_flags,
            "flags_new": str(self.application_flags),
            "eligible_oauth2_scopes": ["applications.commands", "bot"],
            "owner": self.owner_user.to_payload(),
            "team": None,
            "bot": self.bot_user.to_payload(),
            "rpc_origins": [],
            "redirect_uris": [],
            "interactions_endpoint_url": None,
            "role_connections_verification_url": None,
            "tags": [],
            "install_params": install,
            "integration_types_config": {
                "0": {"oauth2_install_params": install},
                "1": {"oauth2_install_params": {"scopes": ["applications.commands"], "permissions": "0"}},
            },
            "approximate_guild_count": len(self.state.guilds),
            "approximate_user_install_count": 0,
            "approximate_user_authorization_count": 0,
            "explicit_content_filter": 0,
            "hook": True,
            "is_monetized": False,
        }

    def ready_payload(self, session: GatewaySession) -> dict[str, Any]:
        user = self.bot_user.to_payload()
        user.update({"verified": True, "mfa_enabled": False, "email": None, "bot": True})
        payload: dict[str, Any] = {
            "v": 10,
            "user": user,
            "user_settings": {},
            "guilds": [{"id": str(g.id), "unavailable": True} for g in self.state.guilds.values()],
            "session_id": session.session_id,
            "session_type": "normal",
            "resume_gateway_url": self.gateway_url,
            "application": {"id": str(self.application_id), "flags": self.application_flags},
            "private_channels": [],
            "relationships": [],
            "presences": [],
            "guild_join_requests": [],
            "geo_ordered_rtc_regions": ["fake"],
            "auth": {},
            "_trace": ['["fake-discord-gateway",{"micros":0}]'],
        }
        if session.shard is not None:
            payload["shard"] = session.shard
        return payload

    # -- interactions (used by the harness) -------------------------------------------------------

    async def dispatch_interaction(
        self,
        *,
        user: FakeUser,
        itype: int,
        channel: FakeChannel,
        guild: FakeGuild | None,
        context: int,
        owners: dict[str, str],
        data: dict[str, Any],
        source_message: FakeMessage | None = None,
        parent: FakeInteraction | None = None,
        command_name: str | None = None,
        wait: bool = True,
    ) -> FakeInteraction:
        """Create an interaction, send INTERACTION_CREATE and (with ``wait``) await its acknowledgement."""
        inter = FakeInteraction(
            fake=self,
            id=self.ids.next(),
            token=new_token(),
            type=itype,
            user=user,
            channel=channel,
            guild=guild,
            context=context,
            data=data,
            owners=owners,
            source_message=source_message,
            command_name=command_name,
            parent=parent,
            created=time.monotonic(),
        )
        self.state.interactions[inter.id] = inter
        self.state.interactions_by_token[inter.token] = inter
        payload = inter.payload()
        self.gateway.dispatch("INTERACTION_CREATE", lambda session: payload)
        self.state.changes.notify(inter.id, channel.id)
        if wait:
            # A failed or slow acknowledgement is reported by the handle (h.failed, h.response()).
            with contextlib.suppress(InteractionFailed, TimeoutError):
                await inter.response(timeout=self.ack_timeout + 1.0)
        return inter

    async def _serve_attachment(self, request: web.Request) -> web.Response:
        try:
            attachment = self.state.attachments.get(int(request.match_info["attachment_id"]))
        except ValueError:
            attachment = None
        if attachment is None:
            return web.Response(status=404, text="attachment not found")
        return web.Response(body=attachment.data, content_type=attachment.content_type or "application/octet-stream")


__all__ = ["Context", "FakeDiscord"]
