"""/server: what a server's admins choose. Needs Manage Server: Discord offers it only to those members by
default, and :meth:`Server.interaction_check` checks the member's real permissions on every call."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.app import DebriefBot


@app_commands.default_permissions(manage_guild=True)
@app_commands.allowed_contexts(guilds=True, dms=False, private_channels=False)
@app_commands.allowed_installs(guilds=True, users=False)
class Server(commands.GroupCog, group_name="server", group_description="Server settings for Debrief (admins)"):
    def __init__(self, bot: DebriefBot) -> None:
        self.bot = bot

    async def interaction_check(self, interaction: discord.Interaction) -> bool:  # type: ignore[override]
        """Run by discord.py before every /server subcommand. ``default_member_permissions`` only decides
        who Discord offers the command to, and a server can lift it; the member's real permissions come
        with the interaction, so they are checked here."""
        if interaction.guild is None:
            raise app_commands.NoPrivateMessage()
        if not interaction.permissions.manage_guild:
            raise app_commands.MissingPermissions(["manage_guild"])
        return True

    def _guild_id(self, interaction: discord.Interaction) -> int:
        if interaction.guild is None:
            raise app_commands.NoPrivateMessage()
        return interaction.guild.id

    @app_commands.command(name="show", description="How Debrief is set up in this server")
    async def show(self, interaction: discord.Interaction) -> None:
        guild = await self.bot.services.servers.guild(self._guild_id(interaction))
        intent = self.bot.intents.message_content
        notice = f"<#{guild.notice_channel_id}>" if guild.notice_channel_id else "none"
        lines = [
            f"**Debrief in this server:** {'on' if guild.enabled else 'off (members can still use it in DMs)'}",
            f"**Notice channel:** {notice}",
            "**Message Content intent:** "
            + (
                "on: I read every post in the notice channel."
                if intent
                else "off: in the notice channel I only read posts that mention me. Slash commands and DMs work fully."
            ),
            "-# Members' debrief notes never appear in this server; only they see them.",
        ]
        await interaction.response.send_message("\n".join(lines), ephemeral=True)

    @app_commands.command(
        name="notice-channel", description="A channel where posts about interviews get a debrief offer"
    )
    @app_commands.describe(channel="Leave empty to stop watching a channel")
    async def notice_channel(
        self, interaction: discord.Interaction, channel: discord.TextChannel | None = None
    ) -> None:
        await self.bot.services.servers.set_notice_channel(self._guild_id(interaction), channel.id if channel else None)
        if channel is None:
            await interaction.response.send_message("I no longer watch a notice channel here.", ephemeral=True)
            return
        how = (
            "every post that reports an interview gets"
            if self.bot.intents.message_content
            else "posts that mention me and report an interview (the Message Content intent is off) get"
        )
        await interaction.response.send_message(
            f"I'll watch {channel.mention}: {how} a quiet {chr(0x1F4DD)} reaction and "
            "its author a private DM offering a debrief. Nothing about it is posted here.",
            ephemeral=True,
        )

    @app_commands.command(name="disable", description="Stop Debrief's server features here (DMs keep working)")
    async def disable(self, interaction: discord.Interaction) -> None:
        await self.bot.services.servers.disable(self._guild_id(interaction))
        await interaction.response.send_message(
            "Debrief's server features are off here. Members can still use it in DMs. "
            "Set a notice channel again to turn them back on.",
            ephemeral=True,
        )


async def setup(bot: DebriefBot) -> None:
    await bot.add_cog(Server(bot))
