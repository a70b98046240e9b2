"""/server: what a server's admins choose. Needs Manage Server: Discord offers it only to those members by
default, and :meth:`Server.interaction_check` checks the member's real permissions on every call."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.app import DebriefBot
from bot.coach.summaries import parse_weekly_time
from bot.coach.zones import resolve_zone
from bot.render.summaries import cohort_text
from bot.services.servers import Guild
from bot.ui.errors import MAYBE_PARTLY_SAVED
from bot.ui.first import answered_first
from bot.ui.reply import reply


@app_commands.default_permissions(manage_guild=True)
@app_commands.allowed_contexts(guilds=True, dms=False, private_channels=False)
@app_commands.allowed_installs(guilds=True, users=False)
class Server(commands.GroupCog, group_name="server", group_description="Server settings for Debrief (admins)"):
    def __init__(self, bot: DebriefBot) -> None:
        self.bot = bot

    async def interaction_check(self, interaction: discord.Interaction) -> bool:  # type: ignore[override]
        """Run by discord.py before every /server subcommand. ``default_member_permissions`` only decides
        who Discord offers the command to, and a server can lift it; the member's real permissions come
        with the interaction, so they are checked here."""
        if interaction.guild is None:
            raise app_commands.NoPrivateMessage()
        if not interaction.permissions.manage_guild:
            raise app_commands.MissingPermissions(["manage_guild"])
        return True

    def _guild_id(self, interaction: discord.Interaction) -> int:
        if interaction.guild is None:
            raise app_commands.NoPrivateMessage()
        return interaction.guild.id

    @app_commands.command(name="show", description="How Debrief is set up in this server")
    async def show(self, interaction: discord.Interaction) -> None:
        guild = await self.bot.services.servers.guild(self._guild_id(interaction))
        if not guild.enabled:
            await interaction.response.send_message(await self._disabled_text(interaction, guild), ephemeral=True)
            return
        intent = self.bot.intents.message_content
        notice = f"<#{guild.notice_channel_id}>" if guild.notice_channel_id else "none"
        lines = [
            "**Debrief in this server:** on",
            f"**Notice channel:** {notice}",
            "**Message Content intent:** "
            + (
                "on: I read every post in the notice channel."
                if intent
                else "off: in the notice channel I only read posts that mention me. Slash commands and DMs work fully."
            ),
            "-# Members' debrief notes never appear in this server; only they see them.",
        ]
        lines[-1:-1] = await self._summary_lines(interaction)
        await interaction.response.send_message("\n".join(lines), ephemeral=True)

    @app_commands.command(
        name="notice-channel", description="A channel where posts about interviews get a debrief offer"
    )
    @app_commands.describe(channel="Leave empty to stop watching a channel")
    async def notice_channel(
        self, interaction: discord.Interaction, channel: discord.TextChannel | None = None
    ) -> None:
        guild_id = self._guild_id(interaction)
        async with answered_first(interaction, ephemeral=True, unsaved_text=MAYBE_PARTLY_SAVED):
            guild = await self.bot.services.servers.set_notice_channel(guild_id, channel.id if channel else None)
        if channel is None:
            text = "I no longer watch a notice channel here."
            if not guild.enabled:
                text += " Debrief's server features are still off here (`/server show` says what that means)."
            await reply(interaction, text, ephemeral=True)
            return
        how = (
            "every post that reports an interview gets"
            if self.bot.intents.message_content
            else "posts that mention me and report an interview (the Message Content intent is off) get"
        )
        await reply(
            interaction,
            f"I'll watch {channel.mention}: {how} a quiet {chr(0x1F4DD)} reaction and "
            "its author a private DM offering a debrief. Nothing about it is posted here.",
            ephemeral=True,
        )

    async def _disabled_text(self, interaction: discord.Interaction, guild: Guild) -> str:
        """After ``/server disable``: plainly, what no longer happens here and what still works."""
        views = await self.bot.services.summaries.server_views(guild.id)
        notice = f" (<#{guild.notice_channel_id}> is not watched)" if guild.notice_channel_id else ""
        summaries = ", ".join(f"<#{v.channel.channel_id}>" for v in views)
        summary = f" (nothing is posted in {summaries}; its settings and members' choices are kept)" if views else ""
        return "\n".join(
            [
                "**Debrief in this server:** off (turned off with `/server disable`).",
                f"**Not working here:** the notice channel{notice}, the weekly cohort summary{summary}, and the "
                "note I'd post here when I can't reach a member by DM.",
                "**Still working:** members' DMs with Debrief (prompts, debriefs, invites), and slash commands "
                "here, whose replies only the member who used them sees.",
                "To turn the server features back on, set a notice channel: `/server notice-channel` with a channel.",
            ]
        )

    async def _summary_lines(self, interaction: discord.Interaction) -> list[str]:
        views = await self.bot.services.summaries.server_views(self._guild_id(interaction))
        if not views:
            return ["**Cohort summary:** none (set a channel with `/server summary-channel`)"]
        lines = []
        for v in views:
            channel = interaction.guild.get_channel(v.channel.channel_id) if interaction.guild else None
            me = interaction.guild.me if interaction.guild else None
            can_post = channel is not None and me is not None and channel.permissions_for(me).send_messages
            line = (
                f"**Cohort summary:** <#{v.channel.channel_id}>, {v.when} ({v.zone.key}), next "
                f"{v.next_at:%a %d %b %H:%M}; {v.members} member(s) opted in. Posts counts of members in bands "
                f"(interviews, debriefs, stages, common stumbles and feedback), only where at least "
                f"{self.bot.services.summaries.min_group} members share them; never names or words."
            )
            if not can_post:
                line += " **I can't post in that channel now**: give me View Channel and Send Messages there."
            if v.channel.last_error:
                line += f" Last post failed: {v.channel.last_error}."
            lines.append(line)
        return lines

    @app_commands.command(name="summary-channel", description="Where the weekly cohort summary is posted")
    @app_commands.describe(channel="A channel I can post in", remove="Stop the summary in that channel")
    async def summary_channel(
        self, interaction: discord.Interaction, channel: discord.TextChannel, remove: bool = False
    ) -> None:
        guild_id = self._guild_id(interaction)
        summaries = self.bot.services.summaries
        if remove:
            async with answered_first(interaction, ephemeral=True, unsaved_text=MAYBE_PARTLY_SAVED):
                done = await summaries.remove_channel(guild_id, channel.id)
            text = f"No cohort summary in {channel.mention} any more." if done else "That channel had no summary."
            await reply(interaction, text, ephemeral=True)
            return
        resolved = interaction.guild.get_channel(channel.id) if interaction.guild else None
        me = interaction.guild.me if interaction.guild else None
        perms = resolved.permissions_for(me) if resolved is not None and me is not None else None
        if perms is None or not (perms.view_channel and perms.send_messages):
            await interaction.response.send_message(
                f"I can't post in {channel.mention}: give me View Channel and Send Messages there, then try again. "
                "Nothing was changed.",
                ephemeral=True,
            )
            return
        async with answered_first(interaction, ephemeral=True, unsaved_text=MAYBE_PARTLY_SAVED):
            view = await summaries.add_channel(guild_id, channel.id)
        await reply(
            interaction,
            f"The weekly cohort summary will be posted in {channel.mention}, {view.when} ({view.zone.key}). "
            "Members join with `/settings share` there; only counts of members are posted, and only where "
            f"at least {summaries.min_group} share a category. `/server summary-preview` shows the next one.",
            ephemeral=True,
        )

    @app_commands.command(name="summary-time", description="When the weekly cohort summary is posted")
    @app_commands.describe(when='A day and time, like "Sun 18:00"', zone="The server's time zone, e.g. Berlin")
    async def summary_time(
        self,
        interaction: discord.Interaction,
        when: str,
        zone: str = "UTC",
        channel: discord.TextChannel | None = None,
    ) -> None:
        tz = resolve_zone(zone)  # a zone or a time it can't read is answered at once, and nothing changes
        parse_weekly_time(when)
        guild_id = self._guild_id(interaction)
        async with answered_first(interaction, ephemeral=True, unsaved_text=MAYBE_PARTLY_SAVED):
            view = await self.bot.services.summaries.set_channel_time(
                guild_id, channel.id if channel else None, when, tz.key
            )
        await reply(
            interaction,
            f"The cohort summary in <#{view.channel.channel_id}> goes out {view.when} ({tz.key}), "
            f"next {view.next_at:%a %d %b %H:%M}.",
            ephemeral=True,
        )

    @app_commands.command(name="summary-preview", description="See the next cohort summary now (only you see it)")
    async def summary_preview(
        self, interaction: discord.Interaction, channel: discord.TextChannel | None = None
    ) -> None:
        summaries = self.bot.services.summaries
        due = await summaries.preview(self._guild_id(interaction), channel.id if channel else None)
        text = cohort_text(due.summary, due.start, due.end, due.zone, summaries.min_group)
        await interaction.response.send_message(
            f"Preview for <#{due.channel_id}> (the seven days up to the start of today; the post itself covers "
            f"the week up to its time):\n\n{text}",
            ephemeral=True,
            allowed_mentions=discord.AllowedMentions.none(),
        )

    @app_commands.command(name="disable", description="Stop Debrief's server features here (DMs keep working)")
    async def disable(self, interaction: discord.Interaction) -> None:
        guild_id = self._guild_id(interaction)
        async with answered_first(interaction, ephemeral=True, unsaved_text=MAYBE_PARTLY_SAVED):
            await self.bot.services.servers.disable(guild_id)
        await reply(
            interaction,
            "Debrief's server features are off here: no notice channel and no cohort summary posts. Members "
            "can still use Debrief in DMs and its slash commands here. Set a notice channel again "
            "(`/server notice-channel` with a channel) to turn them back on.",
            ephemeral=True,
        )


async def setup(bot: DebriefBot) -> None:
    await bot.add_cog(Server(bot))
