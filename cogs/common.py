"""What several cogs share: reply privacy and picking one of the user's own interviews."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import discord
from discord import app_commands

from bot.app import DebriefBot
from bot.coach.stages import stage_label
from bot.coach.when import format_local
from bot.errors import UserError


def private(interaction: discord.Interaction) -> bool:
    """Replies in a server are ephemeral; in DMs they stay in the conversation."""
    return interaction.guild_id is not None


async def interview_autocomplete(
    interaction: discord.Interaction[DebriefBot], current: str
) -> list[app_commands.Choice[str]]:
    """The user's own interviews whose company or role matches what they typed."""
    bot = interaction.client
    now = bot.clock.now()
    user = await bot.store.users.get(interaction.user.id)
    tz = ZoneInfo(user.timezone) if user and user.timezone else ZoneInfo("UTC")
    found = await bot.store.interviews.search(interaction.user.id, current, limit=25)
    return [
        app_commands.Choice(
            name=f"{i.company} — {stage_label(i.stage)}, {format_local(i.starts_at, tz, now)}"[:100], value=str(i.id)
        )
        for i in found
    ]


def parse_interview_choice(value: str) -> int:
    if not value.isdigit():
        raise UserError("Pick the interview from the list that appears as you type.")
    return int(value)
