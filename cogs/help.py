"""/help: what Debrief does and the commands it has."""

from __future__ import annotations

from collections.abc import Iterator

import discord
from discord import app_commands
from discord.ext import commands

from bot.app import DebriefBot
from bot.render.help import HOW_TO_START, INTRO, command_lines
from bot.render.privacy import policy_link


def walk(tree: app_commands.CommandTree) -> Iterator[tuple[str, str]]:
    """(qualified name, description) of every slash command a user can run."""
    for command in tree.walk_commands():
        if isinstance(command, app_commands.Command):
            yield command.qualified_name, command.description


class Help(commands.Cog):
    def __init__(self, bot: DebriefBot) -> None:
        self.bot = bot

    @app_commands.command(name="help", description="What Debrief does and how to use it")
    async def help(self, interaction: discord.Interaction) -> None:
        privacy = policy_link(self.bot.settings.privacy.policy_url)
        embed = discord.Embed(title="Debrief", description=f"{INTRO}\n\n{HOW_TO_START}\n\n{privacy}", colour=0x5B7DB1)
        lines = command_lines(walk(self.bot.tree))
        chunk: list[str] = []
        for line in lines:
            if sum(len(part) + 1 for part in chunk) + len(line) > 1000:
                embed.add_field(name="Commands" if not embed.fields else "\u200b", value="\n".join(chunk), inline=False)
                chunk = []
            chunk.append(line)
        if chunk:
            embed.add_field(name="Commands" if not embed.fields else "\u200b", value="\n".join(chunk), inline=False)
        await interaction.response.send_message(embed=embed, ephemeral=True)


async def setup(bot: DebriefBot) -> None:
    await bot.add_cog(Help(bot))
