"""Operations: what an operator sees of a running bot — log lines, metrics, health — in one object.

:class:`Ops` is built by the bot and attached once (:meth:`Ops.attach`): it listens to discord.py's
documented events (``on_connect``, ``on_resumed``, ``on_disconnect``, ``on_ready``, ``on_interaction``,
``on_app_command_completion``), is told of every prompt the dispatcher handles and of every SQL
statement's duration, and serves ``/healthz``, ``/readyz`` and ``/metrics`` when ``[ops] http_port`` is
set. Nothing here holds a user's text; ids appear in log lines, never in metric labels.
"""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import discord

from bot.ops.metrics import Metrics
from bot.ops.settings import OpsSettings

if TYPE_CHECKING:
    from bot.app import DebriefBot
    from bot.ops.health import HealthServer
    from bot.store import Prompt

log = logging.getLogger("bot.ops")
prompt_log = logging.getLogger("bot.prompts.events")

__all__ = ["Ops", "OpsSettings"]

#: Started application commands remembered for their latency; the oldest are forgotten past this.
_MAX_STARTED = 1000
#: Counts of prompts still to send are read from the store at most this often (a read of two partial indexes).
PROMPT_COUNT_EVERY = 15.0
#: The start line counts pending prompts up to this many, so a huge queue costs a bounded read at start.
READY_COUNT_CAP = 100_000


class Ops:
    def __init__(self, settings: OpsSettings | None = None) -> None:
        self.settings = settings or OpsSettings()
        self.metrics = Metrics()
        self.bot: DebriefBot | None = None
        self.connected = False
        self._connects = 0
        self._ready_logged = False
        self._started: OrderedDict[int, float] = OrderedDict()
        self._counted_at = -PROMPT_COUNT_EVERY
        self.server: HealthServer | None = None

    # -- wiring -------------------------------------------------------------------------------------

    def attach(self, bot: DebriefBot) -> None:
        self.bot = bot
        for event in ("on_connect", "on_resumed", "on_disconnect", "on_ready", "on_interaction"):
            bot.add_listener(getattr(self, event), event)
        bot.add_listener(self.on_app_command_completion, "on_app_command_completion")
        bot.queue.observer = self.prompt_event
        bot.store.db.observe_statements(self.metrics.statement)
        self.metrics.watch_latency(lambda: bot.latency)

    async def start(self) -> None:
        """Serve the operations port if one is set (called from the bot's ``setup_hook``)."""
        if self.settings.http_port and self.bot is not None and self.server is None:
            from bot.ops.health import HealthServer

            self.server = HealthServer(self, self.settings.http_host, self.settings.http_port)
            await self.server.start()
            log.info("health and metrics on http://%s:%d/", self.settings.http_host, self.server.port)

    async def stop(self) -> None:
        if self.server is not None:
            await self.server.stop()
            self.server = None
        if self._ready_logged:
            sent = sum(
                sample.value
                for metric in self.metrics.prompt_events.collect()
                for sample in metric.samples
                if sample.name.endswith("_total") and sample.labels.get("event") == "sent"
            )
            log.info("stopped: %d prompts sent since start", sent)
            self._ready_logged = False

    # -- the gateway --------------------------------------------------------------------------------

    async def on_connect(self) -> None:
        self._connects += 1
        if self._connects > 1:
            self.metrics.gateway_reconnects.inc()
            log.info("gateway reconnected (new session)")
        self._set_connected(True)

    async def on_resumed(self) -> None:
        self.metrics.gateway_reconnects.inc()
        log.info("gateway resumed")
        self._set_connected(True)

    async def on_disconnect(self) -> None:
        if self.connected:
            log.info("gateway disconnected")
        self._set_connected(False)

    def _set_connected(self, up: bool) -> None:
        self.connected = up
        self.metrics.gateway_connected.set(1 if up else 0)

    async def on_ready(self) -> None:
        bot = self.bot
        if bot is None or self._ready_logged:
            return
        self._ready_logged = True
        pending = await bot.store.prompts.count_waiting(READY_COUNT_CAP + 1)
        log.info(
            "ready as %s (id %s), %d servers, %s pending prompts; %s",
            bot.user,
            bot.user.id if bot.user else "?",
            len(bot.guilds),
            f"{READY_COUNT_CAP:,}+" if pending > READY_COUNT_CAP else pending,
            f"data directory {bot.store.db.path.parent}" if bot.store.db.path else "store on PostgreSQL",
        )

    # -- interactions -------------------------------------------------------------------------------

    def command_started(self, interaction: discord.Interaction) -> None:
        """Called by the command tree before anything else runs for the command (``interaction_check``).

        Not from the ``on_interaction`` event: discord.py schedules that after the tree's own task, and a
        command that fails without waiting for anything (a reply made from reads on the event loop) has
        finished before the event's listener runs, so its time would go unobserved."""
        if interaction.type is discord.InteractionType.application_command:
            self._started[interaction.id] = time.perf_counter()
            while len(self._started) > _MAX_STARTED:
                self._started.popitem(last=False)

    async def on_interaction(self, interaction: discord.Interaction) -> None:
        if interaction.type is not discord.InteractionType.application_command:
            self.metrics.interactions.labels(_type_label(interaction), "received").inc()

    async def on_app_command_completion(self, interaction: discord.Interaction, command: Any) -> None:
        self._finish(interaction, "ok")

    def interaction_failed(self, interaction: discord.Interaction, outcome: str) -> None:
        """Called from the one place errors become replies (``bot.app.answer_error``)."""
        if interaction.type is discord.InteractionType.application_command:
            self._finish(interaction, outcome)
        else:
            self.metrics.interactions.labels(_type_label(interaction), outcome).inc()

    def _finish(self, interaction: discord.Interaction, outcome: str) -> None:
        command = interaction.command.qualified_name if interaction.command else "unknown"
        self.metrics.interactions.labels(command, outcome).inc()
        started = self._started.pop(interaction.id, None)
        if started is not None:
            self.metrics.interaction_seconds.labels(command).observe(time.perf_counter() - started)

    # -- prompts ------------------------------------------------------------------------------------

    def prompt_event(self, event: str, prompt: Prompt, **details: Any) -> None:
        """The dispatcher's report of one prompt: one INFO line (ids and reasons only) and the metrics."""
        self.metrics.prompt_events.labels(prompt.kind, event).inc()
        late_by: timedelta | None = details.get("late_by")
        if event == "sent" and late_by is not None:
            self.metrics.prompt_lateness.labels(prompt.kind).observe(max(late_by.total_seconds(), 0.0))
        parts = [f"prompt {prompt.id} {event}: kind={prompt.kind} user={prompt.user_id}"]
        for key in ("message_id", "reason", "until", "attempt"):
            if details.get(key) is not None:
                value = details[key]
                parts.append(f"{key}={value.isoformat() if hasattr(value, 'isoformat') else value}")
        if late_by is not None:
            parts.append(f"late_by={late_by.total_seconds():.1f}s")
        prompt_log.info(" ".join(parts))

    async def refresh_prompt_counts(self) -> None:
        """Read prompt counts by kind and state from the store, at most every ``PROMPT_COUNT_EVERY`` s."""
        now = time.monotonic()
        if self.bot is None or now - self._counted_at < PROMPT_COUNT_EVERY:
            return
        self._counted_at = now
        self.metrics.set_prompt_counts(await self.bot.store.prompts.count_unsent_by_kind())

    def expire_prompt_counts(self) -> None:
        """The next scrape reads the counts afresh (tests, and an operator who just changed something)."""
        self._counted_at = -PROMPT_COUNT_EVERY


def _type_label(interaction: discord.Interaction) -> str:
    kind = interaction.type
    if kind is discord.InteractionType.component:
        return "component"
    if kind is discord.InteractionType.modal_submit:
        return "modal"
    if kind is discord.InteractionType.autocomplete:
        return "autocomplete"
    return "other"
