"""One reply helper for every interaction state: not answered yet, answered or deferred, or expired."""

from __future__ import annotations

import logging
from typing import Any

import discord

from bot.render.outcomes import feedback_request_reply
from bot.services import Interview

log = logging.getLogger(__name__)

#: Discord's codes for an interaction (or its follow-up webhook) that can no longer be answered.
UNKNOWN_INTERACTION = 10062
UNKNOWN_WEBHOOK = 10015
#: In ``interaction.extras``: the interaction was deferred with Discord's "thinking…" state
#: (:func:`bot.ui.first.answered_first`) and nothing has replaced it yet.
THINKING = "debrief.thinking"


def in_bot_dm(interaction: discord.Interaction) -> bool:
    """The interaction comes from the user's own DM with the bot (not a server, not a group DM or a DM
    between two people, where a user-installed command also works)."""
    return interaction.guild_id is None and interaction.context.dm_channel


def private(interaction: discord.Interaction) -> bool:
    """Replies are ephemeral everywhere but the user's DM with the bot, where they stay in the
    conversation: a server, a group DM or a DM between two people is public for a user's notes."""
    return not in_bot_dm(interaction)


async def reply(interaction: discord.Interaction, content: str | None = None, **kwargs: Any) -> bool:
    """Answer ``interaction``: a response if none was sent yet; an edit of the original response if it is
    still "thinking…" (Discord documents that edit for a deferred response, and deprecates a follow-up
    standing in for it, used only if the edit fails; the response stays as ephemeral as the defer made
    it); else a follow-up. An
    interaction that expired (3 s without a response, or 15 min for follow-ups) or another HTTP failure is
    logged, not raised: the user can't be told anything through it any more. Returns True if the reply
    was sent."""
    try:
        if interaction.extras.get(THINKING):
            kwargs.pop("ephemeral", None)  # chosen by the defer: a message's ephemeral state can't change
            try:
                await interaction.edit_original_response(content=content, **kwargs)
            except discord.HTTPException as exc:
                if isinstance(exc, discord.NotFound) and exc.code in (UNKNOWN_INTERACTION, UNKNOWN_WEBHOOK):
                    raise
                # The change is saved: the user must not be left with "thinking…". The first follow-up
                # after a deferred response takes its place (Discord's older way, still honoured).
                log.warning("could not edit the deferred response of user %s; a follow-up instead", interaction.user.id)
                await interaction.followup.send(content, **kwargs)
            interaction.extras.pop(THINKING, None)
        elif interaction.response.is_done():
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


def signature(user: discord.abc.User) -> str | None:
    """The name the user shows (a server nickname, else the display name they set); None when only their
    username is known, which is no name to sign a letter with."""
    shown = user.display_name
    return shown if shown and shown != user.name else None


async def send_feedback_request(interaction: discord.Interaction, interview: Interview) -> None:
    """The feedback request: the reply, then the note alone in a second message (so it copies cleanly)."""
    text, note = feedback_request_reply(interview, signature(interaction.user))
    ephemeral = private(interaction)
    if await reply(interaction, text, ephemeral=ephemeral):
        await interaction.followup.send(note, ephemeral=ephemeral)
