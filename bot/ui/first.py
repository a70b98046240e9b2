"""Answering a command before its write: Discord sees the interaction acknowledged at once (the user sees
"thinking…"), whatever the store is doing; the reply replaces the thinking state once the change is saved.

Used by the slash commands that write before they answer (issue 15: "anything that may take long
defers first"). Their input is checked first, before the defer, so a bad one is still answered at once
and changes nothing; only a checked change is deferred and written.

Components answer first the same way (:func:`clicked_first`): the clicked message's components come off
at once, as the interaction's response; the write follows; then :func:`edit_clicked` turns the message
into the reply. A write that fails or is refused gives the components back (:func:`restore_components`).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import discord

from bot.errors import Gone
from bot.ui.components import persistent
from bot.ui.errors import saving
from bot.ui.reply import THINKING, UNKNOWN_INTERACTION, UNKNOWN_WEBHOOK, private

log = logging.getLogger(__name__)


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


async def restore_components(interaction: discord.Interaction) -> None:
    """The clicked message's components, taken off by :func:`clicked_first` (or the debrief's ``ack_click``),
    put back as they were: from the message as clicked, not from the store (the store may be what failed).
    A refused edit is logged, not raised: the user is still told what happened."""
    message = interaction.message
    if message is not None and message.components:
        view = persistent(discord.ui.View.from_message(message, timeout=None))
        try:
            await interaction.edit_original_response(view=view)
        except discord.HTTPException:
            log.warning("could not give the components back to message %s", message.id, exc_info=True)


@asynccontextmanager
async def clicked_first(interaction: discord.Interaction, *, unsaved_text: str | None = None) -> AsyncIterator[None]:
    """``async with clicked_first(interaction):`` the write of a click. The clicked message's components come
    off at once (the interaction's response, so it can't be clicked twice), before the block runs; after it,
    :func:`edit_clicked` shows the reply. A failure inside the block gives the components back and is
    :class:`~bot.ui.errors.NotSaved` (the one error path says "not saved", privately); a refusal
    (:class:`~bot.errors.UserError`, a daily cap, say) gives them back too and keeps its own words, except
    :class:`~bot.errors.Gone`: what the components act on is no longer there (a double click recorded it), so
    they stay off (given back, they could overwrite what the other click showed). ``unsaved_text``: what to
    say instead of "not saved" where that may not be the truth (several writes). Checks that need no write,
    and a form (a modal can't follow an answer), belong before this block."""
    if not interaction.response.is_done():
        await interaction.response.edit_message(view=None)
    try:
        async with saving(True, text=unsaved_text):
            yield
    except Gone:
        raise
    except Exception:
        await restore_components(interaction)
        raise


async def edit_clicked(interaction: discord.Interaction, **kwargs: Any) -> None:
    """The clicked message edited into ``kwargs``: the response, or, answered first already
    (:func:`clicked_first`), an edit of it. The change is saved by then, so if Discord refuses that edit (a
    server error after discord.py's retries), the reply is sent as a follow-up instead: the user must see it."""
    if not interaction.response.is_done():
        await interaction.response.edit_message(**kwargs)
        return
    try:
        await interaction.edit_original_response(**kwargs)
    except discord.HTTPException as error:
        if isinstance(error, discord.NotFound) and error.code in (UNKNOWN_INTERACTION, UNKNOWN_WEBHOOK):
            raise  # the interaction is gone: nothing can be sent through it
        log.warning("could not edit the clicked message of user %s; a follow-up instead", interaction.user.id)
        kwargs = {k: v for k, v in kwargs.items() if v is not None}
        await interaction.followup.send(**kwargs, ephemeral=private(interaction))
