"""The message commands (right-click a message → Apps). "Log as interview" reads any message the user can see
as if they had sent it in a DM (an outcome first, then an interview) and answers privately with the same
buttons; "Debrief this" finds the user's interview the message names and offers its debrief. The interaction
carries the message's text, so both work in servers that did not grant the bot the Message Content intent,
and in DMs through the user install."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.app import DebriefBot
from bot.render.heard import choice_label
from bot.render.interviews import ZONE_QUESTION, describe
from bot.render.limits import clip
from bot.services.interviews import AskZone
from bot.ui.components import persistent, start_debrief_button
from cogs.interviews._components import offer_reply, zone_view
from cogs.interviews._noticed_outcomes import heard_reply

LOG_AS_INTERVIEW = "Log as interview"
DEBRIEF_THIS = "Debrief this"
NONE_TO_DEBRIEF = (
    "I couldn't find one of your interviews that has started among the companies that message names. "
    "`/debrief start` lets you pick one."
)
NOTHING_READ = (
    "I couldn't read an interview or an outcome in that message. I read messages like "
    '"onsite at Acme tomorrow 2pm", "just finished my phone screen with Globex" or "heard back from Initech, '
    "it's a no\". `/interview log` takes the details directly."
)
NO_TEXT = "That message has no text for me to read. `/interview log` takes the details directly."


class ContextMenus(commands.Cog):
    """Message commands of the interview area."""

    def __init__(self, bot: DebriefBot) -> None:
        self.bot = bot
        self.log_menu = app_commands.ContextMenu(
            name=LOG_AS_INTERVIEW,
            callback=self.log_as_interview,
            allowed_contexts=app_commands.AppCommandContext(guild=True, dm_channel=True, private_channel=True),
            allowed_installs=app_commands.AppInstallationType(guild=True, user=True),
        )

        self.debrief_menu = app_commands.ContextMenu(
            name=DEBRIEF_THIS,
            callback=self.debrief_this,
            allowed_contexts=app_commands.AppCommandContext(guild=True, dm_channel=True, private_channel=True),
            allowed_installs=app_commands.AppInstallationType(guild=True, user=True),
        )

    async def cog_load(self) -> None:
        self.bot.tree.add_command(self.log_menu)
        self.bot.tree.add_command(self.debrief_menu)

    async def cog_unload(self) -> None:
        for menu in (self.log_menu, self.debrief_menu):
            self.bot.tree.remove_command(menu.name, type=menu.type)

    async def debrief_this(self, interaction: discord.Interaction, message: discord.Message) -> None:
        user_id = interaction.user.id
        fits = await self.bot.services.interviews.named_in(user_id, message.content or "")
        if not fits:
            await interaction.response.send_message(NONE_TO_DEBRIEF, ephemeral=True)
            return
        now = self.bot.clock.now()
        profile = await self.bot.services.settings.profile(user_id)
        view = discord.ui.View(timeout=None)
        if len(fits) == 1:
            content = f"Debrief {describe(fits[0], profile.tz, now)}? It runs in your DMs with me."
            view.add_item(start_debrief_button(fits[0].id))
        else:
            content = "Which interview? Each button starts its debrief in your DMs with me."
            for interview in fits:
                view.add_item(start_debrief_button(interview.id, label=choice_label(interview, profile.tz, now)))
        await interaction.response.send_message(clip(content, 2000), view=persistent(view), ephemeral=True)

    async def log_as_interview(self, interaction: discord.Interaction, message: discord.Message) -> None:
        user_id = interaction.user.id
        text = message.content or ""
        if not text.strip():
            await interaction.response.send_message(NO_TEXT, ephemeral=True)
            return
        now = self.bot.clock.now()
        heard = await self.bot.services.outcomes.hear(user_id, text)
        if heard is not None:
            profile = await self.bot.services.settings.profile(user_id)
            content, view = await heard_reply(self.bot, user_id, heard, profile, now, source="dm")
            await interaction.response.send_message(content, view=view, ephemeral=True)
            return
        read = await self.bot.services.interviews.notice(
            user_id, text, source="dm", guild_id=interaction.guild_id, channel_id=interaction.channel_id
        )
        if read is None:
            await interaction.response.send_message(NOTHING_READ, ephemeral=True)
            return
        if isinstance(read, AskZone):
            await interaction.response.send_message(ZONE_QUESTION, view=zone_view(read.draft_id), ephemeral=True)
            return
        profile = await self.bot.services.settings.profile(user_id)
        content, view = offer_reply(read, profile, now)
        await interaction.response.send_message(content, view=view, ephemeral=True)
