"""/feedback request and /feedback add, /applications log, and the feedback buttons. DMs or ephemeral only."""

from __future__ import annotations

import re

import discord
from discord import app_commands
from discord.ext import commands

from bot.app import DebriefBot
from bot.coach.feedback import CONTROL_CHOICES, control_label
from bot.coach.text import clean_feedback
from bot.render.outcomes import (
    applications_logged,
    applications_undone,
    control_chosen,
    feedback_saved,
)
from bot.services.feedback import check_applications
from bot.ui import ids
from bot.ui.components import persistent
from bot.ui.cooldown import heavy
from bot.ui.errors import guarded
from bot.ui.first import answered_first
from bot.ui.picker import PickedInterview
from bot.ui.reply import private, reply, send_feedback_request


class FeedbackControlButton(discord.ui.DynamicItem[discord.ui.Button], template=ids.FEEDBACK_CONTROL):
    """Whether a piece of feedback is within the user's control."""

    def __init__(self, control: str, feedback_id: int) -> None:
        super().__init__(
            discord.ui.Button(
                label=control_label(control),
                style=discord.ButtonStyle.secondary,
                custom_id=ids.feedback_control(control, feedback_id),
            )
        )
        self.control = control
        self.feedback_id = feedback_id

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str]):
        return cls(match["control"], int(match["feedback_id"]))

    @guarded
    async def callback(self, interaction: discord.Interaction[DebriefBot]) -> None:
        await interaction.client.services.feedback.set_control(interaction.user.id, self.feedback_id, self.control)
        content = interaction.message.content if interaction.message else ""
        await interaction.response.edit_message(content=f"{content}\n\n{control_chosen(self.control)}", view=None)


class ApplicationsUndoButton(discord.ui.DynamicItem[discord.ui.Button], template=ids.APPLICATIONS_UNDO):
    """Undo on the reply to /applications log: takes back exactly that entry (the clicker's own only)."""

    def __init__(self, entry_id: int) -> None:
        super().__init__(
            discord.ui.Button(
                label="Undo", style=discord.ButtonStyle.secondary, custom_id=ids.applications_undo(entry_id)
            )
        )
        self.entry_id = entry_id

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str]):
        return cls(int(match["entry_id"]))

    @guarded
    async def callback(self, interaction: discord.Interaction[DebriefBot]) -> None:
        bot = interaction.client
        profile = await bot.services.settings.profile(interaction.user.id)
        total = await bot.services.feedback.undo_applications(profile, self.entry_id)
        await interaction.response.edit_message(content=applications_undone(total), view=None)


class Feedback(commands.Cog):
    """Feedback from companies, and applications sent."""

    feedback = app_commands.Group(name="feedback", description="Ask a company for feedback, and keep what comes back")
    applications = app_commands.Group(name="applications", description="Keep count of the applications you send")

    def __init__(self, bot: DebriefBot) -> None:
        self.bot = bot
        self.service = bot.services.feedback

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(FeedbackControlButton, ApplicationsUndoButton)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(FeedbackControlButton, ApplicationsUndoButton)

    @feedback.command(name="request", description="A short, gracious feedback request you can copy to the recruiter")
    @app_commands.describe(interview="The interview (your latest rejection if you leave it out)")
    async def request(self, interaction: discord.Interaction, interview: PickedInterview | None = None) -> None:
        chosen = interview.id if interview else None
        target = await self.service.feedback_target(interaction.user.id, chosen)
        await send_feedback_request(interaction, target)

    @feedback.command(name="add", description="Record feedback a company gave you")
    @heavy()
    @app_commands.describe(interview="The interview it is about", text="What they said, in their words or yours")
    async def add(self, interaction: discord.Interaction, interview: PickedInterview, text: str) -> None:
        clean_feedback(text)  # checked before the answer: a bad one is answered at once, privately
        async with answered_first(interaction, ephemeral=private(interaction)):  # the write may wait (issue 15)
            added = await self.service.add_feedback(interaction.user.id, interview.id, text)
        await reply(
            interaction,
            feedback_saved(added.interview, added.similar, added.shared_topics),
            view=control_view(added.feedback.id),
            ephemeral=private(interaction),
        )

    @applications.command(name="log", description="Record applications you sent; shows this week's total")
    @app_commands.describe(count="How many applications you sent")
    async def log(self, interaction: discord.Interaction, count: int) -> None:
        check_applications(count)  # checked before the answer: a bad one is answered at once, privately
        async with answered_first(interaction, ephemeral=private(interaction)):  # the write may wait (issue 15)
            profile = await self.bot.services.settings.profile(interaction.user.id)
            logged = await self.service.log_applications(profile, count)
        view = discord.ui.View(timeout=None)
        view.add_item(ApplicationsUndoButton(logged.entry_id))
        await reply(
            interaction,
            applications_logged(count, logged.week_total),
            view=persistent(view),
            ephemeral=private(interaction),
        )


def control_view(feedback_id: int) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    for choice in CONTROL_CHOICES:
        view.add_item(FeedbackControlButton(choice.key, feedback_id))
    return view


async def setup(bot: DebriefBot) -> None:
    await bot.add_cog(Feedback(bot))
