"""The floor of bench/interactions.py: a minimal discord.py bot that only acknowledges.

Run as its own process, like Debrief (``python bench/floor_bot.py``), against the same fake Discord
(``DISCORD_TOKEN``, ``DISCORD_API_BASE``, ``DISCORD_GATEWAY_URL``). It does no work at all: ``/ping``
answers with a message carrying a button, a button that opens a form, and a select; a click edits
the message; a form submission edits it; a DM gets a one-word reply with the same components. So
whatever latency it shows is discord.py, the fake and the machine: the floor of this setup.

Its sends go through the same request pacer as Debrief's (``bot.delivery.RequestPacer``, hooked in the
same way, at Debrief's default rate): unpaced, the floor's own DM replies ran into Discord's global limit
(hundreds of 429s at 200 people, and discord.py's waits after them), so it measured the limit rather
than the floor.
"""

from __future__ import annotations

import os
import signal

import discord
import yarl
from discord import app_commands

from bot.delivery import RequestPacer

#: Debrief's default ``dispatch.rate`` (requests a second under the global limit of 50).
PACED_RATE = 48.0


class FloorForm(discord.ui.Modal, title="Form"):
    answer = discord.ui.TextInput(label="Answer", custom_id="floor:answer", required=False)

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await interaction.response.edit_message(content="saved")


class FloorView(discord.ui.View):
    def __init__(self) -> None:
        super().__init__(timeout=None)

    @discord.ui.button(label="Click", custom_id="floor:click")
    async def click(self, interaction: discord.Interaction, _button: discord.ui.Button) -> None:
        await interaction.response.edit_message(content="clicked")

    @discord.ui.button(label="Form", custom_id="floor:form")
    async def form(self, interaction: discord.Interaction, _button: discord.ui.Button) -> None:
        await interaction.response.send_modal(FloorForm())

    @discord.ui.select(
        custom_id="floor:select",
        options=[discord.SelectOption(label="a", value="a"), discord.SelectOption(label="b", value="b")],
        max_values=2,
    )
    async def choose(self, interaction: discord.Interaction, _select: discord.ui.Select) -> None:
        await interaction.response.edit_message(content="chosen")


class Floor(discord.Client):
    def __init__(self) -> None:
        self.pacer = RequestPacer(PACED_RATE)
        super().__init__(intents=discord.Intents.default(), http_trace=self.pacer.trace_config())
        self.tree = app_commands.CommandTree(self)

        @self.tree.command(name="ping", description="Acknowledge")
        @app_commands.allowed_contexts(guilds=True, dms=True, private_channels=True)
        @app_commands.allowed_installs(guilds=True, users=True)
        async def ping(interaction: discord.Interaction, text: str | None = None) -> None:
            await interaction.response.send_message("ok", view=FloorView(), ephemeral=interaction.guild is not None)

    async def setup_hook(self) -> None:
        self.add_view(FloorView())
        await self.tree.sync()

    async def on_message(self, message: discord.Message) -> None:
        if message.guild is None and not message.author.bot:
            await message.channel.send("ok", view=FloorView())


def main() -> None:
    discord.http.Route.BASE = os.environ["DISCORD_API_BASE"].rstrip("/")
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(os.environ["DISCORD_GATEWAY_URL"])
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        Floor().run(os.environ["DISCORD_TOKEN"], log_handler=None)
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
