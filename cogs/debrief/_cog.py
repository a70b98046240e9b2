"""The guided debrief in DM: /debrief start|show|edit, its persistent buttons, selects and forms, and
typed replies; all four inputs become an :class:`Action` that :meth:`Debriefs.apply` applies.

The cog adapts; :class:`bot.services.debriefs.DebriefService` keeps the state. Every component carries
what it needs in its custom id (see :mod:`bot.ui.ids`), so a step's buttons keep working after a
restart. Forms (modals) are read from the interaction itself by :meth:`Debriefs.on_interaction`, so a
form opened before a restart is still saved when it is sent after it.

The debrief always happens in the DM with the bot: used in a server (or another private channel), the
command sends the step to the user's DMs and says so privately.
"""

from __future__ import annotations

import functools
import logging
import re
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.app import DebriefBot
from bot.coach import script
from bot.coach.script import STEPS, AnswerError, Step
from bot.errors import ReadBackFailed
from bot.render import debrief as text
from bot.render.debrief import step_at, step_index
from bot.services.debriefs import Begun, DebriefState, Moved, is_back_word, is_show_word
from bot.services.interviews import Offer
from bot.ui import ids
from bot.ui.components import persistent
from bot.ui.errors import answer_error
from bot.ui.first import restore_components, thinking
from bot.ui.forms import FIX_LABEL, reopen_view
from bot.ui.picker import PickedInterview
from bot.ui.reply import private, send_ephemeral
from cogs.debrief._actions import FORMS, Action, NotSaved, acks_first, form_questions, is_stale, saving
from cogs.debrief._components import ChoiceButton, ReportAnswerButton, StartButton, StepButton, TopicsSelect
from cogs.debrief._handles import Chores, StepHandles
from cogs.debrief._starting import Starting
from cogs.debrief._turns import ANSWERED_WAIT, Turns
from cogs.debrief._views import (
    Outgoing,
    answer_value,
    checked_first,
    edit_value,
    list_modal,
    modal_values,
    question_modal,
    text_modal,
)

log = logging.getLogger(__name__)

FORM_BUILDERS = {"write": text_modal, "addq": question_modal, "list": list_modal}
#: A submitted form's kind -> the button action that opens it.
FORM_OF_KIND = {"text": "write", "view": "write", "addq": "addq", "list": "list"}
FORM_FIXED = "Fixed and saved."
FORM_KEEPS = f"Press **{FIX_LABEL}** to correct it: the form keeps what you typed."
STEP_CHOICES = [app_commands.Choice(name=f"{n}. {s.title}", value=s.key) for n, s in enumerate(STEPS, 1)]
DYNAMIC_ITEMS = (StartButton, StepButton, TopicsSelect, ChoiceButton, ReportAnswerButton)
_STEP_MODAL = re.compile(ids.STEP_MODAL)
_START = re.compile(ids.DEBRIEF_START)
_ANY_STEP = re.compile(ids.ANY_DEBRIEF_STEP)


class Debriefs(
    Starting, commands.GroupCog, group_name="debrief", group_description="The guided debrief of an interview"
):
    def __init__(self, bot: DebriefBot) -> None:
        self.bot = bot
        self.service = bot.services.debriefs
        self.turns = Turns()
        self.handles = StepHandles()
        self.chores = Chores()

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(*DYNAMIC_ITEMS)
        self.bot.add_dm_handler(10, self.typed_reply)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(*DYNAMIC_ITEMS)
        await self.chores.close()

    async def after_move(self, interaction: discord.Interaction, moved: Moved, *, typed_text: str = "") -> None:
        if moved.stale:
            await self.stale(interaction, moved.state, typed_text=typed_text)
            return
        assert moved.saved is not None
        value = moved.state.value(moved.saved.key)
        kept = moved.kept and moved.saved.kind != "questions"  # "That's all" ends a list saved as it grew
        closing = text.saved_line(moved.saved, value, kept=kept, skipped=value is None)
        out, track = await self.after_out(moved.state)
        await self.close_and_follow(interaction, closing, out, track)

    async def stale(self, interaction: discord.Interaction, state: DebriefState, *, typed_text: str = "") -> None:
        """A click (or form) for a step that isn't current: nothing changes; say so, show where they are."""
        note = text.stale_modal_note(typed_text) if typed_text else text.stale_note(state.done)
        if state.done or state.debrief.state != "open":
            await self.close_and_follow(interaction, None, Outgoing(note), None)
            return
        out = await self.step_out(state, note=note)
        await self.close_and_follow(interaction, None, out, state.debrief.id)

    async def invalid(
        self,
        interaction: discord.Interaction,
        error: AnswerError,
        state: DebriefState,
        step: Step,
        action: Action | None = None,
    ) -> None:
        """A refused answer. From a form, the reply's button re-opens it with what was typed."""
        content = text.invalid_answer(str(error), state.has_answer(step.key))
        if action is None or action.source != "form":
            await send_ephemeral(interaction, content)
            return
        form = FORM_OF_KIND[action.kind]
        reopen = functools.partial(FORM_BUILDERS[form], state, step, edit=action.edit, typed=dict(action.form))
        opener = ids.step_button(form, action.debrief_id, action.index, edit=action.edit)
        await send_ephemeral(interaction, f"{content} {FORM_KEEPS}", view=reopen_view(interaction, reopen, opener))

    # -- commands ----------------------------------------------------------------------------------

    @app_commands.command(name="start", description="Debrief an interview, step by step, in DMs")
    @app_commands.describe(interview="Which interview (any past one; leave out for the latest)")
    async def start(self, interaction: discord.Interaction, interview: PickedInterview | None = None) -> None:
        # Answered ("thinking…") at once, even while the user's previous action holds the turn.
        first = functools.partial(thinking, interaction, ephemeral=private(interaction))
        async with self.turns.turn(interaction.user.id, ANSWERED_WAIT, first=first):
            await self.start_answered(interaction, interview.id if interview else None)

    @app_commands.command(name="show", description="The summary card of a debrief")
    @app_commands.describe(interview="Which interview (leave out for your latest debrief)")
    async def show(self, interaction: discord.Interaction, interview: PickedInterview | None = None) -> None:
        chosen = interview.id if interview else None
        state = await self.service.of_interview(interaction.user.id, chosen)
        note = "" if state.done else text.in_progress_note(state.step)
        out = await self.card_out(state, "", note=note)
        hidden = private(interaction)
        await interaction.response.send_message(embed=out.embed, ephemeral=hidden)
        for embed in out.more:
            await interaction.followup.send(embed=embed, ephemeral=hidden)

    @app_commands.command(name="edit", description="Answer one step of a finished debrief again")
    @app_commands.describe(interview="Which interview's debrief", step="The step to answer again")
    @app_commands.choices(step=STEP_CHOICES)
    async def edit(self, interaction: discord.Interaction, interview: PickedInterview, step: str) -> None:
        state = await self.service.for_edit(interaction.user.id, interview.id, step)
        out = await self.step_out(state, edit=True, step=script.step(step))
        await self.deliver(interaction, out, None)

    # -- buttons -----------------------------------------------------------------------------------

    # -- buttons, selects, forms and typed DMs: one apply(action) --------------------------------------

    async def apply(
        self, source: discord.Interaction | discord.Message, action: Action, state: DebriefState | None = None
    ) -> None:
        """Every click, form and typed answer on a debrief step comes here: one staleness check, then the
        change (:meth:`_change`), then the reply, in the interaction or, for a typed DM, in the DM.

        A click or form that changes the debrief (:func:`acks_first`: an answer, a skip, **Back**, and every
        change ``/debrief edit`` makes) is answered before it is written: its components come off at once,
        and what follows (the record and the next step, the step before, the updated card) comes after the
        write (a write that fails gives them back, saying it was not saved). Only a value already checked
        (the coaching's rules, pure) is answered this way, so a refused one is still answered as before.
        ``state``: the debrief as a typed reply read it, in the same turn (not read again)."""
        typed = isinstance(source, discord.Message)
        user_id = source.author.id if isinstance(source, discord.Message) else source.user.id
        step = step_at(action.index)
        answered = isinstance(source, discord.Interaction) and source.response.is_done()  # see click_turn
        try:  # state given: a typed reply's, read a moment ago in the same turn
            async with saving(answered):  # answered while it waited: a failed read gives the buttons back
                if state is None and (typed or action.edit or action.source == "form"):
                    state = await self.service.load(user_id, action.debrief_id)
                elif state is None:  # a click on a debrief set aside picks it up again (or asks)
                    assert isinstance(source, discord.Interaction)
                    state = await self._clicked_state(source, action.debrief_id)
        except NotSaved as error:
            await self.give_back(source, error.__cause__ or error)  # type: ignore[arg-type]
            return
        if state is None:
            return
        if is_stale(state, step, action):
            await self._stale(source, state, action)
            return
        assert step is not None
        acked = False
        try:
            if isinstance(source, discord.Message):
                moved = await self._change(user_id, action, state, step)
                await self._typed_after(source, action, state, step, moved)
            elif action.kind in FORMS and action.source == "button":
                await source.response.send_modal(FORM_BUILDERS[action.kind](state, step, edit=action.edit))
            else:
                if acks_first(action):
                    acked = source.response.is_done()  # answered while it waited its turn: a refusal gives back
                    checked_first(action, state, step)  # a refused value is answered as before, nothing taken off
                    await self.ack_click(source)  # the write and its fsync come after the response
                    acked = True
                if action.edit:
                    await self._apply_edit(source, action, state, step, acked)
                    return
                async with saving(acked):
                    moved = await self._change(user_id, action, state, step)
                if action.kind == "back":
                    await self._show_moved(source, moved)
                elif action.source == "form" and action.kind in ("addq", "list"):
                    await self._show_moved(source, moved, note=text.QUESTION_ADDED, typed_text=action.written)
                else:
                    await self.after_move(source, moved, typed_text=action.written)
        except AnswerError as error:
            if isinstance(source, discord.Message):
                await source.channel.send(text.invalid_answer(str(error), state.has_answer(step.key), step))
                return
            if acked:
                await restore_components(source)
            await self.invalid(source, error, state, step, action)
        except NotSaved as error:
            assert isinstance(source, discord.Interaction)
            await self.give_back(source, error.__cause__ or error)

    async def _change(self, user_id: int, action: Action, state: DebriefState, step: Step) -> Moved:
        """The one place a step of an open debrief changes, whatever the input was."""
        debrief_id = state.debrief.id
        if action.kind == "back":
            return await self.service.back(user_id, debrief_id, step.key)
        if action.source == "typed":  # "skip" skips; questions are added to
            return await self.service.answer_typed(user_id, state, action.value or "")
        if action.kind in ("ans", "topics") or (action.source == "form" and action.kind in ("view", "text")):
            return await self.service.answer(user_id, debrief_id, step.key, answer_value(action, state, step))
        if action.source == "form":  # addq, list
            items = form_questions(action, step)
            return await self.service.add_questions(user_id, debrief_id, step.key, items, replace=action.kind == "list")
        return await self.service.skip(user_id, debrief_id, step.key)  # skip, next

    async def _stale(self, source: discord.Interaction | discord.Message, state: DebriefState, action: Action) -> None:
        """Nothing changed: say so and show where the debrief is (a typed DM gets its words back)."""
        if isinstance(source, discord.Interaction) and action.source != "typed":
            await self.stale(source, state, typed_text=action.written)
            return
        note = text.stale_modal_note(action.written, typed=True)
        if isinstance(source, discord.Interaction):  # "Save as answer" on a held message, too late
            out = (
                Outgoing(note) if state.done or state.debrief.state != "open" else await self.step_out(state, note=note)
            )
            await self.close_and_follow(source, None, out, None if state.done else state.debrief.id)
            return
        if state.done or state.debrief.state != "open":
            await self._send_step(source, Outgoing(note), None, None)
            return
        out = await self.step_out(state, note=note)
        await self._send_step(source, out, state.debrief.id, state.debrief.message_id)

    async def _typed_after(
        self, message: discord.Message, action: Action, state: DebriefState, step: Step, moved: Moved
    ) -> None:
        """After a typed answer (or "back"): a short note, then the next step or the card, in the DM."""
        if moved.stale:
            await self._stale(message, moved.state, action)
            return
        saved = "Saved." if moved.state.has_answer(step.key) else "Skipped."
        note = "" if action.kind == "back" else "-# " + ("Kept your earlier answer." if moved.kept else saved)
        try:  # the change is committed: a failure from here on is "saved, not shown", never "not saved"
            out, track = await self.after_out(moved.state, note=note)
            await self._send_step(message, out, track, state.debrief.message_id)
        except Exception as error:
            raise error if isinstance(error, ReadBackFailed) else ReadBackFailed(str(error)) from error

    async def _show_moved(
        self, interaction: discord.Interaction, moved: Moved, *, note: str = "", typed_text: str = ""
    ) -> None:
        """The clicked message becomes the (new) current step, and is remembered as showing it."""
        if moved.stale:
            await self.stale(interaction, moved.state, typed_text=typed_text)
            return
        out = await self.step_out(moved.state, note=note)
        tracked = await self.service.message_id(interaction.user.id, moved.state.debrief.id)
        if interaction.message is not None and tracked is not None and interaction.message.id != tracked:
            # a form re-opened from the reply that refused it: that reply is closed, the step shown anew
            await self.close_and_follow(interaction, FORM_FIXED, out, moved.state.debrief.id)
            return
        await self.edit_clicked(interaction, **out.kwargs())
        if interaction.message is not None:
            await self.service.set_message(interaction.user.id, moved.state.debrief.id, interaction.message.id)

    async def _apply_edit(
        self, interaction: discord.Interaction, action: Action, state: DebriefState, step: Step, acked: bool
    ) -> None:
        """A step of a finished debrief answered again (``acked``: answered first, its components off)."""
        if action.source == "button" and action.kind not in ("ans", "skip"):  # Done, or leave as is: no write
            if step.kind == "questions" and action.kind == "next":  # Done
                out = await self.card_out(state, text.EDIT_DONE)
                await self.edit_clicked(interaction, content=text.saved_line(step, state.value(step.key)), view=None)
                await interaction.followup.send(**out.kwargs())
                for embed in out.more:
                    await interaction.followup.send(embed=embed)
                return
            content = f"{text.saved_line(step, state.value(step.key))}\n{text.NO_CHANGE}"
            await self.edit_clicked(interaction, content=content, view=None)
            return
        async with saving(acked):  # a failed write gives the components back, saying not saved
            new = await self.service.edit(
                interaction.user.id, state.debrief.id, step.key, edit_value(action, state, step)
            )
        if action.source == "form" and action.kind in ("addq", "list"):
            out = await self.step_out(new, note=text.QUESTION_ADDED, edit=True, step=step)
            await self.edit_clicked(interaction, **out.kwargs())
            return
        await self.edited(interaction, new, step)

    async def edited(self, interaction: discord.Interaction, state: DebriefState, step: Step) -> None:
        """After an edit: the message becomes the updated card."""
        out = await self.card_out(state, text.edited_text(step))
        await self.edit_clicked(interaction, **out.kwargs(), view=None)
        for embed in out.more:
            await interaction.followup.send(embed=embed)

    @commands.Cog.listener()
    async def on_interaction(self, interaction: discord.Interaction) -> None:
        """Forms are read here, from the interaction itself, so one opened before a restart still counts."""
        if interaction.type is not discord.InteractionType.modal_submit:
            return
        data: dict[str, Any] = dict(interaction.data or {})  # type: ignore[arg-type]
        match = _STEP_MODAL.fullmatch(str(data.get("custom_id", "")))
        if match is None:
            return
        action = Action(
            "form",
            match["kind"],
            int(match["debrief_id"]),
            int(match["index"]),
            bool(match["edit"]),
            form=modal_values(data),
        )
        try:
            async with self.click_turn(interaction, acks_first(action)):
                await self.apply(interaction, action)
        except Exception as error:
            await answer_error(interaction, error)

    # -- typed replies in DM -----------------------------------------------------------------------

    async def typed_reply(self, message: discord.Message) -> bool:
        """A DM: the answer to the current step if a debrief is open; "debrief" or a reply to a prompt
        starts one; anything else is left to the other DM handlers."""
        async with self.turns.turn(message.author.id):
            return await self._typed_reply(message)

    async def _typed_reply(self, message: discord.Message) -> bool:
        user_id = message.author.id
        content = message.content or ""
        state = await self.service.current(user_id)
        referred = await self._referred_interview(message)
        if state is None or (referred is not None and referred != state.interview.id):
            # Nothing open (or a reply to another interview's debrief message): start, or leave it.
            if referred is not None:
                begun: Begun | None = await self.service.begin(user_id, referred)
            elif is_show_word(content):
                begun = await self.service.pick(user_id)
                if begun is None:
                    await message.channel.send(text.NOTHING_TO_DEBRIEF_DM)
                    return True
            else:
                return False
            assert begun is not None
            out, track = await self.begun_out(begun)
            await self._send_step(message, out, track, None)
            return True
        step = state.step
        now = self.bot.clock.now()
        if not is_show_word(content) and not is_back_word(content) and state.paused(now):
            # Hours later, a DM may be about something else: show the step again rather than save blind.
            if await self.bot.services.interviews.reads_as_interview(user_id, content):
                return False  # a new interview: noticing reads it, and the open debrief waits
            await self.service.touch(user_id, state.debrief.id)
            out = await self.step_out(state, note=text.RESUMED_AFTER_PAUSE)
            await self._send_step(message, out, state.debrief.id, state.debrief.message_id)
            return True
        if is_show_word(content):
            out = await self.step_out(state, note=text.RESUMED)
            await self._send_step(message, out, state.debrief.id, state.debrief.message_id)
            return True
        if not is_back_word(content):
            report = await self.bot.services.interviews.hold_report(user_id, content)
            if report is not None:  # news of an interview, or an answer? The user says which.
                await self._ask_report(message, state, report)
                return True
        kind = "back" if is_back_word(content) else "text"
        await self.apply(message, Action("typed", kind, state.debrief.id, step_index(step.key), value=content), state)
        return True

    async def _ask_report(self, message: discord.Message, state: DebriefState, report: Offer) -> None:
        """Ask whether a DM that reads as an interview report is the answer to the step or a new interview."""
        tz, now = await self._tz(message.author.id)
        step = state.step
        view = discord.ui.View(timeout=None)
        view.add_item(
            discord.ui.Button(
                label=text.RECORD_AS_NEW,
                style=discord.ButtonStyle.primary,
                custom_id=ids.draft_action("save", report.draft_id),
            )
        )
        view.add_item(
            ReportAnswerButton(
                state.debrief.id, STEPS.index(step), report.draft_id, label=text.report_answer_label(step)
            )
        )
        content = text.report_question(step, report.company, report.stage, report.when, tz, now)
        await message.channel.send(content, view=persistent(view))

    async def answer_report(self, interaction: discord.Interaction, debrief_id: int, index: int, draft_id: int) -> None:
        """ "Save as answer": the held message becomes the typed answer to its step, through :meth:`apply`
        (which says so, and gives the words back, if the step is no longer the current one)."""
        typed = await self.bot.services.interviews.take_report(interaction.user.id, draft_id)
        if typed is None:
            await send_ephemeral(interaction, text.REPORT_GONE)
            return
        await self.apply(interaction, Action("typed", "text", debrief_id, index, value=typed))

    async def _referred_interview(self, message: discord.Message) -> int | None:
        """The interview whose debrief prompt (or step) this DM replies to, if it replies to one."""
        reference = message.reference
        if reference is None or reference.message_id is None or self.bot.user is None:
            return None
        referred = reference.resolved if isinstance(reference.resolved, discord.Message) else None
        if referred is None:
            try:
                referred = await message.channel.fetch_message(reference.message_id)
            except discord.HTTPException:
                return None
        if referred.author.id != self.bot.user.id:
            return None
        for custom_id in ids.custom_ids(referred):
            start = _START.fullmatch(custom_id)
            if start:
                return int(start["interview_id"])
            step = _ANY_STEP.fullmatch(custom_id)
            if step:
                return await self.service.interview_of(message.author.id, int(step["debrief_id"]))
        return None
