"""The one place an error becomes a reply, for commands (the tree's ``on_error``), components and forms."""

from __future__ import annotations

import functools
import logging
import math
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

import discord
from discord import app_commands

from bot.coach.script import AnswerError
from bot.errors import ReadBackFailed, UserError
from bot.render.limits import clip, fit
from bot.render.safe import inline
from bot.ui.reply import UNKNOWN_INTERACTION, send_ephemeral

log = logging.getLogger(__name__)


def is_user_error(error: BaseException) -> bool:
    """Errors whose message is written for the user: ours, and the coaching's validation errors."""
    return isinstance(error, UserError) or (
        isinstance(error, ValueError) and type(error).__module__.startswith("bot.coach.")
    )


class NotSaved(Exception):
    """A change answered first (a click whose components came off, a command that deferred) that could not
    be written: nothing of it was kept. Its ``__cause__`` is the store's error. ``text``: what to tell the
    user instead of "not saved", where that is not the truth (a change of several writes, some of which
    may have been kept)."""

    def __init__(self, *args: object, text: str | None = None) -> None:
        super().__init__(*args)
        self.text = text


@asynccontextmanager
async def saving(acked: bool, *, text: str | None = None) -> AsyncIterator[None]:
    """Around the reads and the write of a change answered first: a failure there is :class:`NotSaved`
    (a refused answer stays an :class:`AnswerError`, a refused input a :class:`UserError`), carrying
    ``text`` if given. Not answered first, errors pass as they are."""
    try:
        yield
    except (AnswerError, UserError, ReadBackFailed):
        raise  # refused before anything was written, or written and only not read back: not "not saved"
    except Exception as error:
        if not acked:
            raise
        raise NotSaved(str(error), text=text) from error


#: A click answered at once (its buttons taken off) whose change then could not be written.
SAVED_NOT_SHOWN = (
    "That was saved, but I couldn't show what comes next just now (it has been logged). "
    "`/debrief start` picks up right where you are."
)
NOT_SAVED_CLICK = (
    "That was **not saved**: something went wrong on my side (it has been logged), perhaps with my storage. "
    "The buttons are back: please try again in a moment."
)
#: The time-zone menu, answered first, whose zone may have been saved but not what followed it (the draft).
#: Picking the zone again is safe: it sets the zone, and the draft is still there to continue.
MAYBE_PARTLY_SAVED_ZONE = (
    "That **may not have been saved completely**: something went wrong on my side (it has been logged), perhaps "
    "with my storage. The menu is back: please pick your zone again in a moment (picking it twice does no harm)."
)
#: /forget's confirm, answered first (its buttons taken off), whose deletion then failed.
NOT_DELETED = (
    "**Nothing was deleted**: something went wrong on my side (it has been logged), perhaps with my storage. "
    "The buttons are back: please try again in a moment."
)
#: An admin command of several writes, answered first, one of which failed: the earlier ones may be kept,
#: so "not saved" would not be the truth. Running it again is safe (each write sets, never adds).
MAYBE_PARTLY_SAVED = (
    "That **may not have been saved completely**: something went wrong on my side (it has been logged), perhaps "
    "with my storage. Please run the command again in a moment: running it twice does no harm."
)
#: A command answered first ("thinking…", see :func:`bot.ui.first.answered_first`) whose change then could
#: not be written.
NOT_SAVED_COMMAND = (
    "That was **not saved**: something went wrong on my side (it has been logged), perhaps with my storage. "
    "Please run the command again in a moment."
)


async def answer_error(
    interaction: discord.Interaction, error: BaseException, *, unsaved: bool = False, unsaved_text: str | None = None
) -> None:
    """Private, human, and the traceback in the log. Used by the command tree, by every component
    callback (through :func:`guarded`) and by forms. ``unsaved``: the interaction was answered before
    its change was written, and the write failed; the user is told it was not saved (a :class:`NotSaved`
    says so by itself); ``unsaved_text``: what to say then, when "not saved" is not the word (a deletion)."""
    original = getattr(error, "original", error)
    if isinstance(original, NotSaved):
        unsaved = True
        unsaved_text = original.text or unsaved_text
        original = original.__cause__ or original
    if isinstance(original, discord.NotFound) and original.code == UNKNOWN_INTERACTION:
        # The reply came too late (Discord showed "This interaction failed"); nothing can be said through
        # it any more, and a second try would be refused the same way. What was saved stays saved.
        log.warning("interaction of user %s expired before it was answered", interaction.user.id)
        return
    if isinstance(error, app_commands.TransformerError) and error.__cause__ is not None:
        original = error.__cause__  # an option's transformer (the interview picker) said why
    outcome = "user_error"  # for the metrics (bot/ops/)
    if is_user_error(original):
        text = str(original)
    elif isinstance(original, ReadBackFailed):
        log.error("user %s: a change was saved but could not be read back", interaction.user.id, exc_info=original)
        text = SAVED_NOT_SHOWN
        outcome = "error"
    elif isinstance(error, app_commands.MissingPermissions):
        text = "This command is for server admins: it needs the Manage Server permission."
    elif isinstance(error, app_commands.CommandOnCooldown):
        wait = max(1, math.ceil(error.retry_after))
        text = (
            f"That one takes some work, and you've run it a few times just now. "
            f"Try again in {wait} second{'s' if wait != 1 else ''}."
        )
    elif isinstance(error, app_commands.NoPrivateMessage):
        text = "This command works inside a server."
    elif isinstance(error, app_commands.CheckFailure):
        text = str(error) or "You can't use this command here."
    elif isinstance(error, app_commands.CommandNotFound):
        text = "That command is out of date. Discord will refresh it shortly; try again in a minute."
    else:
        command = interaction.command.qualified_name if interaction.command else None
        what = f"command {command}" if command else f"component {(interaction.data or {}).get('custom_id')}"
        log.error("%s failed for user %s", what, interaction.user.id, exc_info=original)
        text = (
            (unsaved_text or (NOT_SAVED_COMMAND if interaction.command is not None else NOT_SAVED_CLICK))
            if unsaved
            else "Something went wrong on my side and it has been logged. What you saved earlier is safe."
        )
        outcome = "error"
    ops = getattr(interaction.client, "ops", None)
    if ops is not None:
        ops.interaction_failed(interaction, outcome)
    await send_ephemeral(interaction, text)


#: How much of a failed DM is quoted back, so the user can tell which words were lost.
QUOTED = 80


def unsaved_dm(error: BaseException, content: str) -> str:
    """The reply to a typed DM whose handling failed: why (the user's error, or ours), that it was not
    saved, and the start of their words, so nothing is lost without them knowing. A change that was
    saved but not read back says so instead (asking to send it again would save it twice)."""
    if isinstance(error, ReadBackFailed):
        return SAVED_NOT_SHOWN
    why = (
        str(error)
        if is_user_error(error)
        else "Something went wrong on my side (it has been logged), perhaps with my storage."
    )
    words = inline(clip(content, QUOTED)) if content.strip() else ""
    quoted = f" (“{words}”)" if words else ""
    return fit(f"{why}\nWhat you just sent{quoted} was **not saved**: please send it again in a few minutes.")


async def answer_dm_error(message: discord.Message, error: BaseException) -> None:
    """For plain DMs, which no interaction carries: reply in the DM, the traceback in the log."""
    if not is_user_error(error):
        log.error("a DM from user %s failed", message.author.id, exc_info=error)
    try:
        await message.channel.send(unsaved_dm(error, message.content or ""))
    except discord.HTTPException:
        log.warning("could not tell user %s that their DM was not saved", message.author.id, exc_info=True)


def guarded(
    callback: Callable[[Any, discord.Interaction], Awaitable[None]],
) -> Callable[[Any, discord.Interaction], Awaitable[None]]:
    """For component and form callbacks, which the command tree's handler doesn't cover."""

    @functools.wraps(callback)
    async def wrapper(self: Any, interaction: discord.Interaction) -> None:
        try:
            await callback(self, interaction)
        except Exception as error:
            await answer_error(interaction, error)

    return wrapper
