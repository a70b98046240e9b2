"""/focus set|show|done, the debrief's "make it my focus" offer, and the note the evening before an interview."""

from __future__ import annotations

import re

import discord
from discord import app_commands
from discord.ext import commands

from bot.app import DebriefBot
from bot.prompts import Sending
from bot.render.patterns import focus_done, focus_list, focus_set, pre_interview_note
from bot.ui import ids
from bot.ui.components import persistent
from bot.ui.errors import guarded
from bot.ui.first import answered_first
from bot.ui.reply import private, reply


class MakeFocusButton(discord.ui.DynamicItem[discord.ui.Button], template=ids.FOCUS_FROM_DEBRIEF):
    """Under a finished debrief: take its one thing to change on as a focus (nothing is replaced)."""

    def __init__(self, interview_id: int) -> None:
        super().__init__(
            discord.ui.Button(
                label="Make it a focus",
                style=discord.ButtonStyle.primary,
                custom_id=ids.focus_from_debrief(interview_id),
            )
        )
        self.interview_id = interview_id

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str]):
        return cls(int(match["interview_id"]))

    @guarded
    async def callback(self, interaction: discord.Interaction[DebriefBot]) -> None:
        active = await interaction.client.services.patterns.focus_from_debrief(interaction.user.id, self.interview_id)
        await interaction.response.edit_message(view=None)
        await reply(interaction, focus_set(active[-1].text, len(active)), ephemeral=private(interaction))


class ShowFocusButton(discord.ui.DynamicItem[discord.ui.Button], template=ids.FOCUS_SHOW):
    """On the note before an interview: the focus and how it's going, privately."""

    def __init__(self, custom_id: str) -> None:
        super().__init__(discord.ui.Button(label="How's my focus going?", custom_id=custom_id))

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str]):
        return cls(item.custom_id or "")

    @guarded
    async def callback(self, interaction: discord.Interaction[DebriefBot]) -> None:
        views = await interaction.client.services.patterns.focuses(interaction.user.id)
        await reply(interaction, focus_list(views), ephemeral=private(interaction))


class Focus(
    commands.GroupCog, group_name="focus", group_description="One or two things to work on, and how it's going"
):
    def __init__(self, bot: DebriefBot) -> None:
        self.bot = bot

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(MakeFocusButton, ShowFocusButton)
        self.bot.queue.register("pre_interview", self.send_pre_interview, self.find_prompt)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(MakeFocusButton, ShowFocusButton)

    async def suggest(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        texts = await self.bot.services.patterns.suggestions(interaction.user.id)
        typed = current.strip()
        choices = [t for t in texts if typed.casefold() in t.casefold()]
        if typed and typed not in choices:
            choices.insert(0, typed[:100])
        return [app_commands.Choice(name=t[:100], value=t[:100]) for t in choices[:25]]

    async def current(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        views = await self.bot.services.patterns.focuses(interaction.user.id)
        return [app_commands.Choice(name=v.focus.text[:100], value=str(v.focus.id)) for v in views]

    @app_commands.command(name="set", description="Take on one thing to work on: your words or a suggestion")
    @app_commands.describe(focus="What to work on; suggestions from your patterns appear as you type")
    async def set_(self, interaction: discord.Interaction, focus: app_commands.Range[str, 1, 200]) -> None:
        async with answered_first(interaction, ephemeral=private(interaction)):
            active = await self.bot.services.patterns.set_focus(interaction.user.id, focus)
        await reply(interaction, focus_set(active[-1].text, len(active)), ephemeral=private(interaction))

    set_.autocomplete("focus")(suggest)

    @app_commands.command(name="show", description="Your focus and whether it's changing anything")
    async def show(self, interaction: discord.Interaction) -> None:
        views = await self.bot.services.patterns.focuses(interaction.user.id)
        await reply(interaction, focus_list(views), ephemeral=private(interaction))

    @app_commands.command(name="done", description="Close a focus you're finished with")
    @app_commands.describe(focus="Which focus; pick from the list")
    async def done(self, interaction: discord.Interaction, focus: str) -> None:
        async with answered_first(interaction, ephemeral=private(interaction)):
            closed = await self.bot.services.patterns.done(interaction.user.id, int(focus) if focus.isdigit() else 0)
        await reply(interaction, focus_done(closed.text), ephemeral=private(interaction))

    done.autocomplete("focus")(current)

    # -- the note the evening before an interview ----------------------------------------------------

    async def send_pre_interview(self, sending: Sending) -> int:
        note = await self.bot.services.patterns.pre_interview_due(
            sending.prompt, self.bot.services.prompts.hold_for_quiet_hours
        )
        view = discord.ui.View(timeout=None)
        view.add_item(ShowFocusButton(ids.focus_show(ids.prompt_marker(sending.prompt.id, sending.prompt.snoozes))))
        return await self.bot.messenger.send_prompt(sending, content=pre_interview_note(note), view=persistent(view))

    async def find_prompt(self, prompt) -> int | None:
        return await self.bot.messenger.find_posted(prompt.user_id, ids.prompt_marker(prompt.id, prompt.snoozes))


async def setup(bot: DebriefBot) -> None:
    await bot.add_cog(Focus(bot))
