"""The bot: a ``commands.Bot`` that owns the store, the clock and the prompt queue, and loads ``cogs/``."""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import pkgutil
from collections.abc import Awaitable, Callable
from typing import Any

import discord
import yarl
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from discord import app_commands
from discord.ext import commands

import cogs
from bot.clock import Clock
from bot.config import Settings
from bot.delivery import Messenger, RequestPacer
from bot.gateway import skip_own_messages
from bot.ops import Ops
from bot.prompts import PromptQueue
from bot.render.chart import ChartWorker
from bot.services import Services
from bot.services.patterns import fill_debrief_keys
from bot.store import Store
from bot.ui.errors import answer_dm_error, answer_error
from bot.ui.forms import FixFormButton

log = logging.getLogger(__name__)


def discover_extensions() -> list[str]:
    """Every extension in the ``cogs`` package (modules and packages; names starting with ``_`` are
    private helpers, not extensions). Sorted for a stable log, but nothing depends on the order."""
    return sorted(
        f"{cogs.__name__}.{info.name}" for info in pkgutil.iter_modules(cogs.__path__) if not info.name.startswith("_")
    )


#: Every extension the bot loads.
EXTENSIONS = tuple(discover_extensions())

#: Reads a DM; returns True if it dealt with it. Lower priority numbers are asked first.
DmHandler = Callable[[discord.Message], Awaitable[bool]]

OFFICIAL_API_BASE = discord.http.Route.BASE
OFFICIAL_GATEWAY = discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY


def point_discord_at(api_base: str, gateway_url: str) -> None:
    """Send discord.py's REST calls and gateway connection to another Discord-compatible server.

    Empty strings restore Discord's own addresses. These are discord.py's documented class-level
    defaults (``Route.BASE``, ``DiscordWebSocket.DEFAULT_GATEWAY``), not private state.
    """
    discord.http.Route.BASE = api_base.rstrip("/") if api_base else OFFICIAL_API_BASE
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway_url) if gateway_url else OFFICIAL_GATEWAY


def intents_for(settings: Settings) -> discord.Intents:
    """Only what Debrief uses: servers, messages in DMs and servers, reactions it adds.

    Message Content is privileged and optional: without it the bot still reads DMs and posts that
    mention it, and everything else works through slash commands.
    """
    intents = discord.Intents.none()
    intents.guilds = True
    intents.dm_messages = True
    intents.guild_messages = True
    intents.message_content = settings.discord.message_content
    intents.members = settings.discord.members_intent
    return intents


class DebriefTree(app_commands.CommandTree):
    """The command tree, with the one place app-command errors become replies."""

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        """Start the command's clock (bot/ops/); remember where a user last used Debrief in a server: where to
        tell them their DMs are closed."""
        bot = interaction.client
        if isinstance(bot, DebriefBot):
            bot.ops.command_started(interaction)
        if interaction.guild is not None and isinstance(bot, DebriefBot):
            await bot.services.servers.remember(interaction.user.id, interaction.guild.id, interaction.channel_id)
        return True

    async def on_error(self, interaction: discord.Interaction, error: app_commands.AppCommandError) -> None:
        await answer_error(interaction, error)


def shard_options(settings: Settings) -> dict[str, Any]:
    """discord.py's shard settings for this process: none unless the bot is sharded."""
    discord_ = settings.discord
    shards = discord_.shards
    if discord_.shard_count <= 1 and shards == (0,):
        return {}
    if len(shards) == 1:
        return {"shard_id": shards[0], "shard_count": discord_.shard_count}
    return {"shard_ids": list(shards), "shard_count": discord_.shard_count}


def bot_class(settings: Settings) -> type[DebriefBot]:
    """Several shards in one process need discord.py's AutoShardedBot; one shard (or none), the plain Bot."""
    return ShardedDebriefBot if "shard_ids" in shard_options(settings) else DebriefBot


class DebriefBot(commands.Bot):
    def __init__(self, settings: Settings, store: Store, *, clock: Clock | None = None, **options: Any) -> None:
        """``options`` go to ``commands.Bot`` (tests shorten ``guild_ready_timeout``)."""
        ops = Ops(settings.ops)  # logs, metrics, health (bot/ops/)
        #: One pacer for every request that counts toward Discord's global limit (bot.delivery); with
        #: several processes, each has its fixed share of the bot's rate and of the limit.
        processes = settings.dispatch.processes
        self.pacer = RequestPacer(settings.dispatch.rate / processes, RequestPacer.GLOBAL_LIMIT // processes)
        # No message cache: Debrief never reads one (and its own messages are not parsed: bot/gateway.py).
        options = {"max_messages": None, **shard_options(settings), **options}
        trace = self.pacer.trace_config(ops.metrics.http_trace())  # one trace: the metrics, then the pacer
        super().__init__(
            command_prefix=commands.when_mentioned,
            http_trace=trace,
            intents=intents_for(settings),
            help_command=None,
            allowed_mentions=discord.AllowedMentions.none(),
            tree_cls=DebriefTree,
            allowed_contexts=app_commands.AppCommandContext(guild=True, dm_channel=True, private_channel=True),
            allowed_installs=app_commands.AppInstallationType(guild=True, user=True),
            **options,
        )
        skip_own_messages(self)
        self.settings = settings
        self.store = store
        self.clock = clock or Clock()
        self.scheduler = AsyncIOScheduler(timezone="UTC")
        dispatch = settings.dispatch
        self.queue = PromptQueue(
            store,
            self.scheduler,
            self.clock,
            rate=None,  # requests are paced where they are made (self.pacer), not prompts here
            batch=dispatch.batch,
            max_lateness=settings.coaching.max_lateness,
            retry_initial=dispatch.retry_initial,
            retry_max=dispatch.retry_max,
            reclaim_every=dispatch.reclaim_every,
        )
        self.messenger = Messenger(self, store, self.clock)
        self.services = Services.build(store, settings, self.clock, self.queue)
        self.charts = ChartWorker()  # the /patterns chart, drawn in its own process (started on first use)
        #: The weekly DMs' charts, in a second process: a Sunday burst of them never queues ahead of a
        #: person's /patterns (each worker is one process, ~50-75 MiB resident, started on first use).
        self.weekly_charts = ChartWorker()
        self._dm_handlers: list[tuple[int, DmHandler]] = []
        self.ops = ops
        self._filling: asyncio.Task[None] | None = None
        ops.attach(self)

    def add_dm_handler(self, priority: int, handler: DmHandler) -> None:
        """Cogs that read plain DMs register here, so exactly one of them answers each DM."""
        self._dm_handlers.append((priority, handler))
        self._dm_handlers.sort(key=lambda pair: pair[0])

    async def on_message(self, message: discord.Message) -> None:
        if message.author.bot or message.guild is not None:
            return
        # Keep the DM channel's id (a first prompt is then one request); a user not yet known is known
        # once their DM has been answered, so they are looked at again then.
        private = message.channel.type is discord.ChannelType.private
        known = private and await self.messenger.remember_dm(message.author.id, message.channel.id)
        try:
            for _priority, handler in self._dm_handlers:
                try:
                    if await handler(message):
                        return
                except Exception as error:  # a DM that failed is answered, never dropped in silence
                    await answer_dm_error(message, error)
                    return
        finally:
            if private and not known:
                await self.messenger.remember_dm(message.author.id, message.channel.id)

    async def setup_hook(self) -> None:
        self.scheduler.start()
        await self.services.servers.load()
        self.add_dynamic_items(FixFormButton)  # shared by every form (bot/ui/forms.py)
        for extension in EXTENSIONS:
            await self.load_extension(extension)
        await self.sync_commands()
        await self.queue.start()
        await self.ops.start()
        # Finished debriefs stored before their reading was kept (migration 0011) get it, a page at a time,
        # beside the bot serving: until then the weekly summary reads those debriefs' answers instead.
        self._filling = asyncio.get_running_loop().create_task(self._fill_debrief_keys(), name="debrief-keys")

    async def _fill_debrief_keys(self) -> None:
        try:
            filled = await fill_debrief_keys(self.store)
        except Exception:
            log.exception("storing the readings of earlier debriefs failed; the weekly summary reads their answers")
            return
        if filled:
            log.info("stored the pattern reading of %d earlier debriefs", filled)

    async def sync_commands(self) -> bool:
        """Sync the global command tree as the ``discord.sync_commands`` setting says.

        "auto" syncs only when the tree differs from the one last synced to this application at this
        API address, so restarts don't spend Discord's command-update limit.
        """
        mode = self.settings.discord.sync_commands
        if mode == "never":
            return False
        payload = [command.to_dict(self.tree) for command in self.tree.get_commands()]
        digest = hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()
        key = f"commands:{self.application_id}:{discord.http.Route.BASE}"
        if mode == "auto" and await self.store.get_meta(key) == digest:
            log.info("command tree unchanged; not syncing")
            return False
        synced = await self.tree.sync()
        await self.store.set_meta(key, digest)
        log.info("synced %d commands", len(synced))
        return True

    async def close(self) -> None:
        if self._filling is not None:
            self._filling.cancel()
            await asyncio.gather(self._filling, return_exceptions=True)
        await self.ops.stop()
        await self.queue.stop()
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        self.charts.close()
        self.weekly_charts.close()
        await super().close()


class ShardedDebriefBot(DebriefBot, commands.AutoShardedBot):
    """Debrief running several shards in one process (``discord.shard_ids`` names more than one)."""
