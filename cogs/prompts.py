"""The debrief prompt: sending it when due, and its Snooze and Skip buttons (persistent)."""

from __future__ import annotations

import re

import discord
from discord.ext import commands

from bot.app import DebriefBot
from bot.coach.when import format_local
from bot.prompts import Sending
from bot.render.prompts import CONTINUE_LABEL, GONE, SKIPPED, debrief_prompt, snoozed
from bot.ui import ids
from bot.ui.components import persistent, start_debrief_button
from bot.ui.errors import guarded
from bot.ui.reply import send_ephemeral

SNOOZE_LABELS = {"1h": "In 1 h", "3h": "In 3 h", "morning": "Tomorrow morning"}


def prompt_view(interview_id: int, prompt_id: int, snoozes: int, *, underway: bool = False) -> discord.ui.View:
    """Made of DynamicItems only, so discord.py keeps nothing in memory per prompt sent. ``underway``: the
    debrief was started, so its button continues it."""
    marker = ids.prompt_marker(prompt_id, snoozes)
    view = discord.ui.View(timeout=None)
    label = CONTINUE_LABEL if underway else "Start debrief"
    view.add_item(start_debrief_button(interview_id, marker, label=label))
    for choice in SNOOZE_LABELS:
        view.add_item(SnoozeButton(choice, prompt_id, ids.prompt_snooze(choice, marker)))
    view.add_item(SkipButton(prompt_id, ids.prompt_skip(marker)))
    return persistent(view)


class SnoozeButton(discord.ui.DynamicItem[discord.ui.Button], template=ids.PROMPT_SNOOZE):
    def __init__(self, choice: str, prompt_id: int, custom_id: str) -> None:
        super().__init__(discord.ui.Button(label=SNOOZE_LABELS[choice], custom_id=custom_id))
        self.choice = choice
        self.prompt_id = prompt_id

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str]):
        return cls(match["choice"], int(match["prompt_id"]), item.custom_id or "")

    @guarded
    async def callback(self, interaction: discord.Interaction[DebriefBot]) -> None:
        bot = interaction.client
        now = bot.clock.now()
        moved = await bot.services.prompts.snooze(interaction.user.id, self.prompt_id, self.choice)
        if moved is None:
            await send_ephemeral(interaction, GONE)
            return
        due, profile = moved
        before = interaction.message.content if interaction.message else ""
        await interaction.response.edit_message(
            content=f"{before}\n\n{snoozed(format_local(due, profile.tz, now))}", view=None
        )


class SkipButton(discord.ui.DynamicItem[discord.ui.Button], template=ids.PROMPT_SKIP):
    def __init__(self, prompt_id: int, custom_id: str) -> None:
        super().__init__(discord.ui.Button(label="Skip", custom_id=custom_id))
        self.prompt_id = prompt_id

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str]):
        return cls(int(match["prompt_id"]), item.custom_id or "")

    @guarded
    async def callback(self, interaction: discord.Interaction[DebriefBot]) -> None:
        if not await interaction.client.services.prompts.skip(interaction.user.id, self.prompt_id):
            await send_ephemeral(interaction, GONE)
            return
        await interaction.response.edit_message(
            content=f"{interaction.message.content if interaction.message else ''}\n\n{SKIPPED}", view=None
        )


class Prompts(commands.Cog):
    """Sends debrief prompts for the queue."""

    def __init__(self, bot: DebriefBot) -> None:
        self.bot = bot

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(SnoozeButton, SkipButton)
        self.bot.queue.register("debrief", self.send_debrief_prompt, self.find_prompt)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(SnoozeButton, SkipButton)

    async def send_debrief_prompt(self, sending: Sending) -> int:
        prompt = sending.prompt
        due = await self.bot.services.prompts.debrief_due(prompt)
        interview = due.interview
        text = debrief_prompt(
            interview.company,
            interview.stage,
            format_local(interview.starts_at, due.profile.tz, due.now),
            sending.late_by,
            ago=due.now - interview.ends_at,
            outcome=interview.outcome,
            step_key=due.debrief_step,
        )
        view = prompt_view(interview.id, prompt.id, prompt.snoozes, underway=due.debrief_step is not None)
        return await self.bot.messenger.send_prompt(sending, content=text, view=view)

    async def find_prompt(self, prompt) -> int | None:
        return await self.bot.messenger.find_posted(prompt.user_id, ids.prompt_marker(prompt.id, prompt.snoozes))


async def setup(bot: DebriefBot) -> None:
    await bot.add_cog(Prompts(bot))
