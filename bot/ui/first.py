"""Answering a command before its write: Discord sees the interaction acknowledged at once (the user sees
"thinking…"), whatever the store is doing; the reply replaces the thinking state once the change is saved.

Used by the slash commands that write before they answer (issue 15: "anything that may take long
defers first"). Their input is checked first, before the defer, so a bad one is still answered at once
and changes nothing; only a checked change is deferred and written.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import discord

from bot.ui.errors import saving
from bot.ui.reply import THINKING


async def thinking(interaction: discord.Interaction, *, ephemeral: bool) -> None:
    """Defer ``interaction`` ("thinking…", ephemeral as its reply will be) unless it is answered already;
    :func:`bot.ui.reply.reply` then edits that response into the reply."""
    if not interaction.response.is_done():
        await interaction.response.defer(ephemeral=ephemeral, thinking=True)
        interaction.extras[THINKING] = True


@asynccontextmanager
async def answered_first(
    interaction: discord.Interaction, *, ephemeral: bool, unsaved_text: str | None = None
) -> AsyncIterator[None]:
    """``async with answered_first(interaction, ephemeral=...):`` the write. The interaction is deferred
    ("thinking…", ephemeral as the reply would have been) before the block runs; :func:`bot.ui.reply.reply`
    then edits that response into the reply. A failure inside the block is
    :class:`~bot.ui.errors.NotSaved`, which the one error path turns into "that was not saved" in the same
    place (a refused input, :class:`~bot.errors.UserError`, keeps its own words); ``unsaved_text`` says
    something else instead, where "not saved" may not be true (a change of several writes)."""
    await thinking(interaction, ephemeral=ephemeral)
    async with saving(True, text=unsaved_text):
        yield
