"""Outcomes: recording one (for ``/interview outcome`` and the ghosting nudge), the check-in after a
rejection and the ghosting nudge (senders for the prompt queue, and their buttons).

``/interview outcome`` itself is a command of the interview cog (:mod:`cogs.interviews._cog`), so the
``interview`` group is whole however the extensions are loaded. Every reply is in DMs or ephemeral.
"""

from __future__ import annotations

import logging
import re
from contextlib import nullcontext

import discord
from discord import app_commands
from discord.ext import commands

from bot.app import DebriefBot
from bot.coach.reset import NEXT_ACTIONS
from bot.coach.stages import RESULTS
from bot.coach.when import format_local
from bot.prompts import Sending
from bot.render.heard import CONFIRM, DISMISS, NOT_RECORDED, RECORD_ANYWAY, early_question
from bot.render.outcomes import (
    CHECK_IN_AGAIN,
    FEEDBACK_BUTTON,
    NEXT_STEP_PLACEHOLDER,
    OUTCOME_BUTTONS,
    checkin_prompt,
    checking_in_again,
    ghosting_prompt,
    next_step_reply,
    outcome_chosen,
    outcome_reply,
    step_chosen,
)
from bot.services import Prompt
from bot.services.outcomes import Early
from bot.ui import ids
from bot.ui.components import persistent, start_debrief_button
from bot.ui.errors import guarded
from bot.ui.first import answered_first
from bot.ui.ids import custom_ids, marker_of
from bot.ui.reply import private, reply, send_feedback_request

log = logging.getLogger(__name__)

#: Outcomes whose reply invites a debrief of the interview, when it has none yet.
DEBRIEF_INVITED = ("offer", "withdrew")
RESULT_CHOICES = [app_commands.Choice(name=r.label, value=r.key) for r in RESULTS]


# -- views (made of the persistent items below, so discord.py keeps nothing per sent message) --------


def rejection_view(interview_id: int) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(FeedbackRequestButton(interview_id))
    return persistent(view)


def ghosting_view(interview_id: int, prompt: Prompt) -> discord.ui.View:
    marker = ids.prompt_marker(prompt.id, prompt.snoozes)
    view = discord.ui.View(timeout=None)
    for result, _label in OUTCOME_BUTTONS:
        view.add_item(GhostOutcomeButton(result, interview_id, marker))
    return persistent(view)


def checkin_view(interview_id: int, marker: str, *, steps: bool = True, again: bool = True) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    if steps:
        view.add_item(CheckinStepSelect(interview_id, marker))
    if again:
        view.add_item(CheckinAgainButton(interview_id, marker))
    return persistent(view)


def debrief_view(interview_id: int) -> discord.ui.View:
    """The debrief cog's "Start debrief" button (its DynamicItem handles the click)."""
    view = discord.ui.View(timeout=None)
    view.add_item(start_debrief_button(interview_id))
    return persistent(view)


# -- recording an outcome --------------------------------------------------------------------------


def early_view(result: str, interview_id: int) -> discord.ui.View:
    """ "Record anyway" / "Don't record" under the question about an interview still ahead."""
    view = discord.ui.View(timeout=None)
    view.add_item(OutcomeConfirmButton(result, interview_id, sure=True, label=RECORD_ANYWAY))
    view.add_item(OutcomeDismissButton())
    return persistent(view)


async def record_and_reply(
    bot: DebriefBot,
    interaction: discord.Interaction,
    interview_id: int,
    result: str,
    *,
    edit_source: bool,
    sure: bool = False,
) -> None:
    """Record the outcome and answer: as a reply to a command, or (from a button) by editing its message and
    following up. An offer, advance or rejection for an interview still ahead is asked about first, unless
    the user already said yes to that (``sure``). The command answers first ("thinking…"), then writes."""
    now = bot.clock.now()
    outcomes = bot.services.outcomes
    command = interaction.type is discord.InteractionType.application_command
    async with answered_first(interaction, ephemeral=private(interaction)) if command else nullcontext():
        profile = await bot.services.settings.profile(interaction.user.id)  # after the defer: it may write
        checked = await (
            outcomes.record(profile, interview_id, result)
            if sure
            else outcomes.record_checked(profile, interview_id, result)
        )
    if isinstance(checked, Early):
        question = early_question(result, checked.interview, profile.tz, now)
        if edit_source:
            await interaction.response.edit_message(content=question, view=early_view(result, interview_id))
        else:
            await reply(interaction, question, view=early_view(result, interview_id), ephemeral=private(interaction))
        return
    recorded = checked
    checkin_at = format_local(recorded.checkin_due, profile.tz, now) if recorded.checkin_due else None
    text = outcome_reply(
        recorded.interview,
        recorded.rounds,
        profile.tz,
        previous=recorded.previous,
        checkin_at=checkin_at,
        checkins_on=recorded.checkins_on,
        zone_set=profile.zone is not None,
    )
    view = discord.utils.MISSING
    if result == "rejected":
        view = rejection_view(interview_id)
    elif result in DEBRIEF_INVITED and recorded.interview.debriefed_at is None:
        view = debrief_view(interview_id)  # lessons come from successes (and from walking away) too
    if edit_source:
        content = interaction.message.content if interaction.message else ""
        await interaction.response.edit_message(content=f"{content}\n\n{outcome_chosen(result)}", view=None)
        await interaction.followup.send(text, view=view, ephemeral=private(interaction))
    else:
        await reply(interaction, text, view=view, ephemeral=private(interaction))


# -- persistent components ----------------------------------------------------------------------------


class GhostOutcomeButton(discord.ui.DynamicItem[discord.ui.Button], template=ids.GHOST_OUTCOME):
    """An outcome button on the ghosting nudge."""

    def __init__(self, result: str, interview_id: int, marker: str) -> None:
        style = discord.ButtonStyle.primary if result == "ghosted" else discord.ButtonStyle.secondary
        super().__init__(
            discord.ui.Button(
                label=dict(OUTCOME_BUTTONS)[result],
                style=style,
                custom_id=ids.ghost_outcome(result, interview_id, marker),
            )
        )
        self.result = result
        self.interview_id = interview_id

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str]):
        result, interview_id = match["result"], int(match["interview_id"])
        return cls(result, interview_id, marker_of(match.string, ids.ghost_outcome(result, interview_id, "")))

    @guarded
    async def callback(self, interaction: discord.Interaction[DebriefBot]) -> None:
        await record_and_reply(interaction.client, interaction, self.interview_id, self.result, edit_source=True)


class OutcomeConfirmButton(discord.ui.DynamicItem[discord.ui.Button], template=ids.OUTCOME_CONFIRM):
    """Records an outcome the user was asked about: one told in words, or one for an interview still ahead
    (``sure``: they already said yes to that)."""

    def __init__(self, result: str, interview_id: int, *, sure: bool = False, label: str = CONFIRM) -> None:
        super().__init__(
            discord.ui.Button(
                label=label,
                style=discord.ButtonStyle.primary if sure or label == CONFIRM else discord.ButtonStyle.secondary,
                custom_id=ids.outcome_confirm(result, interview_id, sure=sure),
            )
        )
        self.result = result
        self.interview_id = interview_id
        self.sure = sure

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str]):
        return cls(match["result"], int(match["interview_id"]), sure=bool(match["sure"]))

    @guarded
    async def callback(self, interaction: discord.Interaction[DebriefBot]) -> None:
        await record_and_reply(
            interaction.client, interaction, self.interview_id, self.result, edit_source=True, sure=self.sure
        )


class OutcomeDismissButton(discord.ui.DynamicItem[discord.ui.Button], template=ids.OUTCOME_DISMISS):
    """ "Don't record" under an outcome the user was asked about."""

    def __init__(self) -> None:
        super().__init__(
            discord.ui.Button(label=DISMISS, style=discord.ButtonStyle.secondary, custom_id=ids.outcome_dismiss())
        )

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str]):
        return cls()

    @guarded
    async def callback(self, interaction: discord.Interaction[DebriefBot]) -> None:
        content = interaction.message.content if interaction.message else ""
        await interaction.response.edit_message(content=f"{content}\n\n{NOT_RECORDED}", view=None)


class CheckinStepSelect(discord.ui.DynamicItem[discord.ui.Select], template=ids.CHECKIN_STEP):
    """The check-in's "pick one next step"."""

    def __init__(self, interview_id: int, marker: str) -> None:
        super().__init__(
            discord.ui.Select(
                custom_id=ids.checkin_step(interview_id, marker),
                placeholder=NEXT_STEP_PLACEHOLDER,
                options=[discord.SelectOption(label=a.label, value=a.key, description=a.detail) for a in NEXT_ACTIONS],
            )
        )
        self.interview_id = interview_id
        self.marker = marker

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Select, match: re.Match[str]):
        interview_id = int(match["interview_id"])
        return cls(interview_id, marker_of(match.string, ids.checkin_step(interview_id, "")))

    @guarded
    async def callback(self, interaction: discord.Interaction[DebriefBot]) -> None:
        bot = interaction.client
        action = ((interaction.data or {}).get("values") or [""])[0]  # type: ignore[union-attr]
        interview = await bot.services.outcomes.choose_next_step(interaction.user.id, self.interview_id, action)
        again = ids.checkin_again(self.interview_id, self.marker) in custom_ids(interaction.message)
        content = interaction.message.content if interaction.message else ""
        await interaction.response.edit_message(
            content=f"{content}\n\n{step_chosen(action)}",
            view=checkin_view(self.interview_id, self.marker, steps=False, again=again),
        )
        if action == "feedback_request":
            await send_feedback_request(interaction, interview)
            return
        follow = debrief_view(interview.id) if action == "debrief" else discord.utils.MISSING
        await interaction.followup.send(next_step_reply(action, interview), view=follow, ephemeral=private(interaction))


class CheckinAgainButton(discord.ui.DynamicItem[discord.ui.Button], template=ids.CHECKIN_AGAIN):
    """The check-in's "Check in again tomorrow": the only way a second check-in is sent."""

    def __init__(self, interview_id: int, marker: str) -> None:
        super().__init__(
            discord.ui.Button(
                label=CHECK_IN_AGAIN,
                style=discord.ButtonStyle.secondary,
                custom_id=ids.checkin_again(interview_id, marker),
            )
        )
        self.interview_id = interview_id
        self.marker = marker

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str]):
        interview_id = int(match["interview_id"])
        return cls(interview_id, marker_of(match.string, ids.checkin_again(interview_id, "")))

    @property
    def prompt_id(self) -> int:
        return int(self.marker.removeprefix(":p").split(".")[0])

    @guarded
    async def callback(self, interaction: discord.Interaction[DebriefBot]) -> None:
        bot = interaction.client
        now = bot.clock.now()
        profile = await bot.services.settings.profile(interaction.user.id)
        due = await bot.services.outcomes.checkin_again(profile, self.prompt_id, self.interview_id)
        steps = ids.checkin_step(self.interview_id, self.marker) in custom_ids(interaction.message)
        content = interaction.message.content if interaction.message else ""
        await interaction.response.edit_message(
            content=f"{content}\n\n{checking_in_again(format_local(due, profile.tz, now))}",
            view=checkin_view(self.interview_id, self.marker, steps=steps, again=False),
        )


class FeedbackRequestButton(discord.ui.DynamicItem[discord.ui.Button], template=ids.FEEDBACK_REQUEST):
    """ "Draft a feedback request" under a rejection: the template, filled in for that interview."""

    def __init__(self, interview_id: int) -> None:
        super().__init__(
            discord.ui.Button(
                label=FEEDBACK_BUTTON, style=discord.ButtonStyle.secondary, custom_id=ids.feedback_request(interview_id)
            )
        )
        self.interview_id = interview_id

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str]):
        return cls(int(match["interview_id"]))

    @guarded
    async def callback(self, interaction: discord.Interaction[DebriefBot]) -> None:
        interview = await interaction.client.services.outcomes.own(interaction.user.id, self.interview_id)
        await send_feedback_request(interaction, interview)


DYNAMIC_ITEMS = (
    GhostOutcomeButton,
    OutcomeConfirmButton,
    OutcomeDismissButton,
    CheckinStepSelect,
    CheckinAgainButton,
    FeedbackRequestButton,
)


# -- the cog: senders for the prompt queue -----------------------------------------------------------


class Outcomes(commands.Cog):
    """Sends check-ins and ghosting nudges for the queue."""

    def __init__(self, bot: DebriefBot) -> None:
        self.bot = bot

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(*DYNAMIC_ITEMS)
        self.bot.queue.register("checkin", self.send_checkin, self.find_prompt)
        self.bot.queue.register("ghosting", self.send_ghosting, self.find_prompt)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(*DYNAMIC_ITEMS)

    async def send_checkin(self, sending: Sending) -> int:
        prompt = sending.prompt
        due = await self.bot.services.prompts.checkin_due(prompt)
        marker = ids.prompt_marker(prompt.id, prompt.snoozes)
        return await self.bot.messenger.send_prompt(
            sending,
            content=checkin_prompt(
                due.rejected or due.interview, due.open_opportunities, sending.late_by, due.recent_applications
            ),
            view=checkin_view(due.interview.id, marker),
        )

    async def send_ghosting(self, sending: Sending) -> int:
        prompt = sending.prompt
        due = await self.bot.services.prompts.ghosting_due(prompt)
        return await self.bot.messenger.send_prompt(
            sending,
            content=ghosting_prompt(due.interview, due.now, sending.late_by),
            view=ghosting_view(due.interview.id, prompt),
        )

    async def find_prompt(self, prompt: Prompt) -> int | None:
        return await self.bot.messenger.find_posted(prompt.user_id, ids.prompt_marker(prompt.id, prompt.snoozes))
