"""How a debrief starts: `/debrief start`, "Start debrief" on the prompt or check-in, "Debrief now" on a
logged interview, the "one debrief at a time" choice, and a click on a debrief set aside.

All but the last are answered before the debrief is written (issue 15: anything that may take long defers
first): `/debrief start` and "Debrief now" with "thinking…" (in the bot's DM the step replaces it;
elsewhere it is ephemeral and becomes "sent to your DMs"), the prompt's Start in the DM and the choice
by taking the clicked message's buttons off. A write that fails says it was not saved (and gives taken
buttons back); a refusal (the interview deleted meanwhile) says why. "Set it aside, start X" is one
transaction, so "not saved" is true of both halves. A step's button clicked on a debrief set aside
(:meth:`Starting._clicked_state`) still picks it up before the click is answered, unless the click was
answered while it waited its turn.

A mixin of :class:`cogs.debrief._cog.Debriefs`, on top of :class:`cogs.debrief._sending.Sending`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord

from bot.errors import UserError
from bot.render import debrief as text
from bot.services.debriefs import Begun, DebriefState
from bot.ui.errors import answer_error
from bot.ui.first import answered_first, restore_components, thinking
from bot.ui.reply import in_bot_dm, private, send_ephemeral
from cogs.debrief._actions import NotSaved, saving
from cogs.debrief._sending import Sending

if TYPE_CHECKING:
    from cogs.debrief._components import ChoiceButton


class Starting(Sending):
    async def start_answered(self, interaction: discord.Interaction, interview_id: int | None) -> None:
        """`/debrief start`: "thinking…" first (ephemeral in a server, where the step goes to the DM; in the
        bot's DM the step itself replaces it, see :meth:`deliver`), then the write, then the step."""
        user_id = interaction.user.id
        async with answered_first(interaction, ephemeral=private(interaction)):
            begun = await (self.service.begin(user_id, interview_id) if interview_id else self.service.pick(user_id))
        if begun is None:
            await send_ephemeral(interaction, text.NOTHING_TO_DEBRIEF)
            return
        out, track = await self.begun_out(begun)
        await self.deliver(interaction, out, track)

    async def ack_start(self, interaction: discord.Interaction, from_prompt: bool) -> None:
        """Answer a start click at once, before anything is written. The prompt's (or check-in's) Start in
        the bot's DM: its buttons come off (it can't be clicked twice), the step follows below it. Any other
        start click ("Debrief now" on a logged interview, a card or the context menu; a Start outside the
        bot's DM): "thinking…", as `/debrief start` is answered (the clicked message keeps its buttons). In
        the bot's DM the step itself replaces the thinking (:meth:`deliver`); elsewhere it is ephemeral, the
        step goes to the DM and "sent to your DMs" replaces it. Answered already (while it waited its
        turn), nothing more."""
        if interaction.response.is_done():
            return
        if from_prompt and in_bot_dm(interaction):
            await self.ack_click(interaction)
        else:
            await thinking(interaction, ephemeral=private(interaction))

    async def start_from_button(self, interaction: discord.Interaction, interview_id: int, from_prompt: bool) -> None:
        """ "Start debrief" on the prompt and the check-in, "Debrief now" on a logged interview: answered first
        (:meth:`ack_start`), then the write, then the step (in the DM, below the clicked message)."""
        await self.ack_start(interaction, from_prompt)
        try:
            async with saving(True):
                begun = await self.service.begin(interaction.user.id, interview_id)
        except (NotSaved, UserError) as error:
            took_off = from_prompt and in_bot_dm(interaction)
            await self.refused_start(interaction, error.__cause__ if isinstance(error, NotSaved) else error, took_off)
            return
        out, track = await self.begun_out(begun)
        await self.deliver(interaction, out, track, close_source=from_prompt)

    async def refused_start(self, interaction: discord.Interaction, error: BaseException, took_off: bool) -> None:
        """A start answered first that was not written (or was refused): the clicked message gets back the
        buttons :meth:`ack_start` took off (``took_off``), and the user is told why, privately (in place of
        the "thinking…" outside the DM)."""
        if took_off:
            await restore_components(interaction)
        await answer_error(interaction, error, unsaved=not isinstance(error, UserError))

    async def on_choice(self, interaction: discord.Interaction, item: ChoiceButton) -> None:
        """Continue the open debrief, or set it aside and start the other: the choice's buttons come off
        first, the change is written after the response (a failure gives them back, saying not saved)."""
        user_id = interaction.user.id
        await self.ack_click(interaction)
        note = ""
        try:
            async with saving(True):
                if item.action == "aside":
                    before = await self.service.load(user_id, item.debrief_id)
                    begun = await self.service.set_aside_and_begin(user_id, item.debrief_id, item.interview_id)
                    note = text.set_aside(before.interview.company) if before.debrief.state == "open" else ""
                else:
                    kept = await self.service.load(user_id, item.debrief_id)
                    begun = await self.service.begin(user_id, kept.interview.id)
        except NotSaved as error:
            await self.give_back(interaction, error.__cause__ or error)
            return
        except UserError as error:  # the interview deleted meanwhile, say: nothing written, the user told why
            await restore_components(interaction)
            await answer_error(interaction, error)
            return
        out, track = await self.begun_out(begun, note=note if begun.kind != "conflict" else "")
        await self.deliver(interaction, out, track, close_source=True)

    async def _clicked_state(self, interaction: discord.Interaction, debrief_id: int) -> DebriefState | None:
        """The debrief a step button names; a debrief set aside is picked up (or the user is asked)."""
        state = await self.service.load(interaction.user.id, debrief_id)
        if state.debrief.state != "aside":
            return state
        begun: Begun = await self.service.begin(interaction.user.id, state.interview.id)
        if begun.kind == "conflict":
            out, track = await self.begun_out(begun)
            await self.deliver(interaction, out, track, close_source=True)
            return None
        return begun.state
