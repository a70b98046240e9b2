"""/patterns: what a user's debriefs, outcomes and feedback say across the whole search."""

from __future__ import annotations

import asyncio
import io

import discord
from discord import app_commands
from discord.ext import commands

from bot.app import DebriefBot
from bot.render.patterns import CHART_NAME, chart_png, patterns_card, too_little
from bot.ui.cooldown import heavy
from bot.ui.reply import private, reply


class Patterns(commands.Cog):
    def __init__(self, bot: DebriefBot) -> None:
        self.bot = bot

    @app_commands.command(name="patterns", description="What keeps coming back across your interviews, with a chart")
    @heavy()
    async def patterns(self, interaction: discord.Interaction) -> None:
        hidden = private(interaction)
        await interaction.response.defer(ephemeral=hidden, thinking=True)
        report = await self.bot.services.patterns.report(interaction.user.id)
        if not report.enough:
            await reply(interaction, too_little(report), ephemeral=hidden)
            return
        png = await asyncio.to_thread(chart_png, report.patterns, report.now)
        card = patterns_card(report)
        embed = discord.Embed(title=card.title, description=card.description, colour=0x5B7DB1)
        for name, value in card.fields:
            embed.add_field(name=name, value=value, inline=False)
        embed.set_footer(text=card.footer)
        embed.set_image(url=f"attachment://{CHART_NAME}")
        chart = discord.File(
            io.BytesIO(png), filename=CHART_NAME, description="Stumbles by topic per week; your funnel"
        )
        await reply(interaction, embed=embed, file=chart, ephemeral=hidden)


async def setup(bot: DebriefBot) -> None:
    await bot.add_cog(Patterns(bot))
