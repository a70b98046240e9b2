"""What the debrief cog sends: the step, the card, the choice; and how it reaches the user's DM.

A mixin of :class:`cogs.debrief._cog.Debriefs` (it uses the cog's ``bot`` and ``service``), kept apart
so the cog itself holds the commands and the one path every input takes.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager
from typing import TYPE_CHECKING, Any

import discord

from bot.coach.script import Step
from bot.delivery import DmsClosed
from bot.prompts import dispatching
from bot.render import debrief as text
from bot.services.debriefs import Begun, DebriefState
from bot.ui.components import make_focus_button, persistent
from bot.ui.errors import answer_error
from bot.ui.first import restore_components, thinking
from bot.ui.reply import THINKING, UNKNOWN_INTERACTION, UNKNOWN_WEBHOOK, in_bot_dm, reply
from cogs.debrief._handles import Chores, StepHandles, began
from cogs.debrief._turns import ANSWERED_WAIT, CLICK_WAIT, Turns
from cogs.debrief._views import Outgoing, choice_view, embed_of, view_for

if TYPE_CHECKING:
    from bot.app import DebriefBot
    from bot.services.debriefs import DebriefService

log = logging.getLogger(__name__)


class Sending:
    bot: DebriefBot
    service: DebriefService
    handles: StepHandles
    chores: Chores
    turns: Turns

    async def _tz(self, user_id: int):
        now = self.bot.clock.now()
        return (await self.bot.services.settings.profile(user_id)).tz, now

    # -- what to send ----------------------------------------------------------------------------

    async def step_out(
        self, state: DebriefState, *, note: str = "", edit: bool = False, step: Step | None = None
    ) -> Outgoing:
        tz, now = await self._tz(state.debrief.user_id)
        shown = step or state.step
        content = text.step_message(shown, state.value(shown.key), state.interview, tz, now, note=note, edit=edit)
        return Outgoing(content, view=view_for(state, shown, edit=edit))

    async def card_out(self, state: DebriefState, content: str, *, note: str = "") -> Outgoing:
        tz, now = await self._tz(state.debrief.user_id)
        first, *rest = text.cards(
            state.interview, state.summary(), tz, now, finished_at=state.debrief.finished_at, note=note
        )
        return Outgoing(content, embed=embed_of(first), more=tuple(embed_of(card) for card in rest))

    async def begun_out(self, begun: Begun, note: str = "") -> tuple[Outgoing, int | None]:
        """The message for a start: the step (tracked as the current one), the card, or the choice."""
        state = begun.state
        if begun.kind == "done":
            tz, now = await self._tz(state.debrief.user_id)
            done = text.already_done(state.interview, state.debrief.finished_at, tz, now)
            return await self.card_out(state, done), None
        if begun.kind == "conflict":
            tz, now = await self._tz(state.debrief.user_id)
            keep, aside = text.choice_labels(state.interview, begun.interview)
            view = choice_view(state.debrief.id, begun.interview.id, keep, aside)
            content = text.conflict_text(state.interview, state.step, begun.interview, tz, now)
            return Outgoing(content, view=view), None
        opening = text.STARTED if begun.kind == "started" else text.RESUMED
        note = f"{note}\n{opening}" if note else opening
        return await self.step_out(state, note=note), state.debrief.id

    async def after_out(self, state: DebriefState, note: str = "") -> tuple[Outgoing, int | None]:
        """What follows an answer: the next step, or the finished card."""
        if state.done:
            summary = state.summary()
            kept = None
            if summary.one_thing:
                kept = await self.bot.services.patterns.kept_instead(state.debrief.user_id, state.interview.id)
            out = await self.card_out(state, text.finished_text(summary.one_thing, kept.text if kept else None))
            if kept is not None:
                view = discord.ui.View(timeout=None)
                view.add_item(make_focus_button(state.interview.id))
                out = Outgoing(out.content, embed=out.embed, view=persistent(view), more=out.more)
            return out, None
        return await self.step_out(state, note=note), state.debrief.id

    # -- answering first ---------------------------------------------------------------------------

    async def ack_click(self, interaction: discord.Interaction) -> None:
        """Answer a click at once, before anything is written: its message's components come off (so it
        can't be clicked twice); the record of the answer and the next step follow once it is saved.
        Answered already (while it waited its turn, :meth:`click_turn`), nothing more is sent."""
        if not interaction.response.is_done():
            await interaction.response.edit_message(view=None)

    async def edit_clicked(self, interaction: discord.Interaction, **kwargs: Any) -> None:
        """The clicked message edited into ``kwargs``: as the interaction's response, or, answered first
        already (:meth:`ack_click`), as an edit of that response (the same message)."""
        if interaction.response.is_done():
            await interaction.edit_original_response(**kwargs)
        else:
            await interaction.response.edit_message(**kwargs)

    def click_turn(
        self,
        interaction: discord.Interaction,
        answers_first: bool,
        first: Callable[[], Awaitable[None]] | None = None,
    ) -> AbstractAsyncContextManager[None]:
        """A click's (or form's) turn among the user's debrief actions. One that is answered before its
        write (``answers_first``: :func:`cogs.debrief._actions.acks_first`, "Start debrief" on the prompt)
        and finds the user's previous action still running is answered at once, keeps its place in the
        line, and then waits (up to ``ANSWERED_WAIT``): its acknowledgement never waits for another action.
        Any other click waits at most ``CLICK_WAIT``, as it must still be answered within Discord's 3 s.
        ``first``: how it is answered, when not by :meth:`ack_click` (a start click, see ``ack_start``)."""
        if answers_first:
            first = first or functools.partial(self.ack_click, interaction)
            return self.turns.turn(interaction.user.id, ANSWERED_WAIT, first=first)
        return self.turns.turn(interaction.user.id, CLICK_WAIT)

    async def give_back(self, interaction: discord.Interaction, error: BaseException) -> None:
        """After :meth:`ack_click`, the change could not be saved: the clicked message gets its components
        back (from the message itself: the store may be what failed) and the user is told, privately."""
        await restore_components(interaction)
        await answer_error(interaction, error, unsaved=True)

    # -- sending -----------------------------------------------------------------------------------

    async def deliver(
        self, interaction: discord.Interaction, out: Outgoing, track: int | None, *, close_source: bool = False
    ) -> None:
        """Answer ``interaction`` with ``out`` in the DM with the bot; elsewhere, send it there and say so."""
        user_id = interaction.user.id
        if in_bot_dm(interaction):
            if close_source:
                if not interaction.response.is_done():
                    await interaction.response.edit_message(view=None)
                message_id = (await interaction.followup.send(**out.kwargs(), wait=True)).id
            elif interaction.extras.get(THINKING):  # answered first: the thinking response becomes the step
                message_id = (await self._replace_thinking(interaction, out)).id
                interaction.extras.pop(THINKING, None)
            else:
                callback = await interaction.response.send_message(**out.kwargs())
                message_id = callback.message_id
            if track is not None and message_id is not None:
                self.handles.remember(user_id, message_id, interaction.token, at=began(interaction.created_at))
            for embed in out.more:
                await interaction.followup.send(embed=embed)
        else:
            await thinking(interaction, ephemeral=True)  # unless answered first already
            try:
                message_id = (await self.bot.messenger.send(user_id, **out.kwargs())).id
                for embed in out.more:
                    await self.bot.messenger.send(user_id, embed=embed)
            except DmsClosed:
                await reply(interaction, text.DMS_CLOSED, ephemeral=True)
                return
            await reply(interaction, text.SENT_TO_DMS, ephemeral=True)
        if track is not None and message_id is not None:
            await self.track(user_id, track, message_id, interaction.message.id if interaction.message else None)

    async def _replace_thinking(self, interaction: discord.Interaction, out: Outgoing) -> discord.Message:
        """The "thinking…" response edited into ``out``; if Discord refuses that edit (a server error after
        discord.py's retries), ``out`` as a follow-up instead, as :func:`bot.ui.reply.reply` does: the change is
        saved, so the user must see it. The message returned is the one showing ``out``."""
        try:
            return await interaction.edit_original_response(**out.kwargs())
        except discord.HTTPException as error:
            if isinstance(error, discord.NotFound) and error.code in (UNKNOWN_INTERACTION, UNKNOWN_WEBHOOK):
                raise  # the interaction is gone: nothing can be sent through it
            log.warning("could not edit the deferred response of user %s; a follow-up instead", interaction.user.id)
            return await interaction.followup.send(**out.kwargs(), wait=True)

    async def close_and_follow(
        self, interaction: discord.Interaction, closing: str | None, out: Outgoing, track: int | None
    ) -> None:
        """Turn the clicked message into a record (no buttons), then send what comes next below it. Answered
        already (:meth:`ack_click`), the record is an edit of the original response."""
        if interaction.response.is_done():
            if closing is not None:
                await interaction.edit_original_response(content=closing)
        elif closing is None:
            await interaction.response.edit_message(view=None)
        else:
            await interaction.response.edit_message(content=closing, view=None)
        sent = await interaction.followup.send(**out.kwargs(), wait=True)
        for embed in out.more:
            await interaction.followup.send(embed=embed)
        if track is not None:
            self.handles.remember(interaction.user.id, sent.id, interaction.token, at=began(interaction.created_at))
            source = interaction.message.id if interaction.message else None
            await self.track(interaction.user.id, track, sent.id, source)

    async def track(self, user_id: int, debrief_id: int, message_id: int, closed: int | None = None) -> None:
        """Remember the message showing the current step; an older one still showing buttons (a start
        from a second place, say) has them taken off, so only one message answers for the step."""
        previous = await self.service.message_id(user_id, debrief_id)
        if previous is not None and previous not in (message_id, closed):
            await self.take_off_buttons(user_id, previous, None)
        await self.service.set_message(user_id, debrief_id, message_id)

    async def take_off_buttons(
        self, user_id: int, message_id: int, channel: discord.abc.Messageable | None, *, token: str | None = None
    ) -> None:
        """Take the buttons off an earlier step message: through the interaction that sent it while its
        token lasts (exempt from the global limit, see :mod:`cogs.debrief._handles`), else through REST."""
        token = token or self.handles.take(user_id, message_id)
        if token is not None and self.bot.application_id is not None:
            webhook = discord.Webhook.partial(self.bot.application_id, token, client=self.bot)
            try:
                await webhook.edit_message(message_id, view=None)
                return
            except discord.HTTPException as error:  # the token refused: through REST instead
                log.info("an interaction's token was refused (%s); the buttons come off through REST", error.status)
        try:
            if channel is None:
                channel = await self.bot.messenger.channel(user_id)
            await channel.get_partial_message(message_id).edit(view=None)  # type: ignore[attr-defined]
        except discord.HTTPException:
            log.info("could not take the buttons off debrief message %s", message_id)

    async def _tidy(self, user_id: int, message_id: int, channel: discord.abc.Messageable) -> None:
        """The REST edit of an old step's buttons, after the reply and behind it: in the pacer's background
        lane (with the dispatcher's work), so what a person waits for goes first."""
        with dispatching():
            await self.take_off_buttons(user_id, message_id, channel)

    async def _send_step(
        self, message: discord.Message, out: Outgoing, track: int | None, previous: int | None
    ) -> None:
        """Send the next message in the DM, taking the buttons off the step message it replaces. When that
        step was sent through an interaction whose token still lasts, both go through its webhook, which
        the global limit does not count (see :mod:`cogs.debrief._handles`): no counted request at all.
        Otherwise the send is one counted request, and the old step's edit (if it was itself sent that
        way) follows the reply, in the background."""
        user_id = message.author.id
        shown = self.handles.take_shown(user_id, previous) if previous is not None else None
        sent: discord.Message | None = None
        if previous is not None and shown is not None:  # both exempt from the limit: at the same time
            _, sent = await asyncio.gather(
                self.take_off_buttons(user_id, previous, message.channel, token=shown.token),
                self._follow_up(shown.token, out),
            )
            if sent is not None and track is not None:
                self.handles.remember(user_id, sent.id, shown.token, at=shown.at)
        if sent is None:
            sent = await message.channel.send(**out.kwargs())
            for embed in out.more:
                await message.channel.send(embed=embed)
        if previous is not None and shown is None:  # a counted request: after the reply, in the background
            self.chores.start(self._tidy(user_id, previous, message.channel))
        if track is not None:
            await self.service.set_message(message.author.id, track, sent.id)

    async def _follow_up(self, token: str, out: Outgoing) -> discord.Message | None:
        """``out`` as a follow-up of the interaction with ``token``; None if Discord refuses the token
        (then nothing was sent, and the caller sends through REST)."""
        if self.bot.application_id is None:
            return None
        webhook = discord.Webhook.partial(self.bot.application_id, token, client=self.bot)
        try:
            sent = await webhook.send(**out.kwargs(), wait=True)
        except discord.HTTPException as error:
            if error.status >= 500:
                raise  # Discord's own failure: it may have been sent; the caller's error path says so
            log.info("an interaction's token was refused (%s); the step goes through REST", error.status)
            return None
        for embed in out.more:
            await webhook.send(embed=embed)
        return sent
