"""One reply helper for every interaction state: not answered yet, answered or deferred, or expired."""

from __future__ import annotations

import logging
from typing import Any

import discord

log = logging.getLogger(__name__)

#: Discord's codes for an interaction (or its follow-up webhook) that can no longer be answered.
UNKNOWN_INTERACTION = 10062
UNKNOWN_WEBHOOK = 10015


def private(interaction: discord.Interaction) -> bool:
    """Whether a reply with the user's own records must be ephemeral: everywhere but their DM with the bot.

    Decided by the interaction's context (0 server, 1 the bot's DM, 2 a private channel), not by
    ``guild_id``: a group DM, or a DM between two people reached through the user install, has no guild
    and is seen by everyone in it. An interaction that carries no context is treated as public."""
    return not (interaction.context.dm_channel and interaction.guild_id is None)


async def reply(interaction: discord.Interaction, content: str | None = None, **kwargs: Any) -> bool:
    """Answer ``interaction``: a response if none was sent yet, else a follow-up. An interaction that
    expired (3 s without a response, or 15 min for follow-ups) or another HTTP failure is logged, not
    raised: the user can't be told anything through it any more. Returns True if the reply was sent."""
    try:
        if interaction.response.is_done():
            await interaction.followup.send(content, **kwargs)
        else:
            await interaction.response.send_message(content, **kwargs)
    except discord.NotFound as exc:
        if exc.code not in (UNKNOWN_INTERACTION, UNKNOWN_WEBHOOK):
            raise
        log.warning("interaction of user %s expired before it was answered", interaction.user.id)
        return False
    except discord.HTTPException:
        log.warning("could not answer user %s", interaction.user.id, exc_info=True)
        return False
    return True


async def send_ephemeral(interaction: discord.Interaction, text: str, **kwargs: Any) -> bool:
    """Answer ``interaction`` privately, whether or not it was already answered or deferred."""
    return await reply(interaction, text, ephemeral=True, **kwargs)
