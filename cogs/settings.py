"""/settings: time zone, quiet hours, debrief delay, check-ins and the reset window."""

from __future__ import annotations

import re
from datetime import time, timedelta
from typing import ClassVar

import discord
from discord import app_commands
from discord.ext import commands

from bot.app import DebriefBot
from bot.coach.durations import format_duration
from bot.coach.summaries import parse_weekly_time
from bot.coach.waking import MIN_WAKING_HOURS, QuietHours, format_quiet_hours, parse_quiet_hours, waking_minutes
from bot.coach.zones import resolve_zone, suggest_zones, zone_label
from bot.services.settings import DELAYS
from bot.ui import ids
from bot.ui.components import persistent
from bot.ui.errors import guarded
from bot.ui.first import answered_first
from bot.ui.reply import private, reply

WINDOWS = [4, 8, 12, 14, 18, 24, 36, 48]


async def zone_autocomplete(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
    return [app_commands.Choice(name=name[:100], value=value) for name, value in suggest_zones(current)]


def _hours(value: int) -> str:
    return format_duration(timedelta(hours=value))


def quiet_set_text(quiet: QuietHours) -> str:
    shown = format_quiet_hours(quiet)
    return "No quiet hours: I may DM you at any hour." if shown == "off" else f"Quiet hours set to **{shown}**."


def few_waking_hours(quiet: QuietHours) -> str:
    awake = format_duration(timedelta(minutes=waking_minutes(quiet)))
    return (
        f"Quiet hours of **{format_quiet_hours(quiet)}** leave only {awake} a day when I may DM you "
        f"(fewer than {MIN_WAKING_HOURS}): debrief prompts and check-ins would all wait for that window. "
        "Set them anyway?"
    )


class QuietConfirmButton(discord.ui.DynamicItem[discord.ui.Button], template=ids.QUIET_CONFIRM):
    """Set quiet hours that leave few waking hours, or keep the current ones; the hours are in the id."""

    LOOKS: ClassVar[dict[str, tuple[str, discord.ButtonStyle]]] = {
        "set": ("Set them anyway", discord.ButtonStyle.danger),
        "keep": ("Keep my current ones", discord.ButtonStyle.secondary),
    }

    def __init__(self, action: str, start: str, end: str) -> None:
        label, style = self.LOOKS[action]
        super().__init__(discord.ui.Button(label=label, style=style, custom_id=ids.quiet_confirm(action, start, end)))
        self.action = action
        self.quiet = QuietHours(
            time(int(start[:2]) % 24, int(start[2:]) % 60), time(int(end[:2]) % 24, int(end[2:]) % 60)
        )

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str]):
        return cls(match["action"], match["start"], match["end"])

    @guarded
    async def callback(self, interaction: discord.Interaction[DebriefBot]) -> None:
        if self.action == "keep":
            text = f"Your quiet hours are unchanged; **{format_quiet_hours(self.quiet)}** was not set."
        else:
            await interaction.client.services.settings.set_quiet_hours(interaction.user.id, self.quiet)
            text = quiet_set_text(self.quiet)
        await interaction.response.edit_message(content=text, view=None)


def quiet_confirm_view(quiet: QuietHours) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    for action in ("set", "keep"):
        view.add_item(QuietConfirmButton(action, f"{quiet.start:%H%M}", f"{quiet.end:%H%M}"))
    return persistent(view)


class Settings(commands.GroupCog, group_name="settings", group_description="Your time zone, quiet hours and reminders"):
    def __init__(self, bot: DebriefBot) -> None:
        self.bot = bot

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(QuietConfirmButton)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(QuietConfirmButton)

    @app_commands.command(name="show", description="See your settings")
    async def show(self, interaction: discord.Interaction) -> None:
        profile = await self.bot.services.settings.profile(interaction.user.id)
        user = profile.user
        lines = [
            f"**Time zone:** {user.timezone or 'not set yet (set it with `/settings timezone`)'}",
            f"**Quiet hours:** {format_quiet_hours(profile.quiet)}" + ("" if user.quiet_start else " (the default)"),
            f"**Debrief prompt:** {format_duration(profile.debrief_delay)} after an interview ends",
            "**Check-in after a rejection:** "
            + (f"on, {format_duration(profile.reset_window)} later" if user.checkins else "off"),
            f"**Note the evening before an interview:** {'on' if user.pre_interview else 'off'}",
        ]
        if user.dms_closed_at:
            lines.append("**DMs:** I couldn't reach you by DM last time; I'll keep trying.")
        await interaction.response.send_message("\n".join(lines), ephemeral=private(interaction))

    @app_commands.command(name="timezone", description="Set your time zone, so prompts come at sensible hours")
    @app_commands.describe(zone="A city or region, e.g. Berlin, New York, Asia/Kolkata")
    @app_commands.autocomplete(zone=zone_autocomplete)
    async def timezone(self, interaction: discord.Interaction, zone: str) -> None:
        tz = resolve_zone(zone)  # a zone it can't read is answered at once, and nothing changes
        async with answered_first(interaction, ephemeral=True):
            await self.bot.services.settings.set_zone(interaction.user.id, tz.key)
        now = self.bot.clock.now().astimezone(tz)
        await reply(
            interaction,
            f"Time zone set to **{zone_label(tz.key)}**: it's {now:%a %H:%M} there now. "
            "If that's not your clock, set it again. Pending prompts follow it.",
            ephemeral=True,
        )

    @app_commands.command(name="quiet-hours", description="When I should never DM you, e.g. 22:00-08:00, or off")
    @app_commands.describe(hours="Start and end in your local time, like 22:00-08:00 or 10pm to 7am; or off")
    async def quiet_hours(self, interaction: discord.Interaction, hours: str) -> None:
        quiet = parse_quiet_hours(hours)
        if waking_minutes(quiet) < MIN_WAKING_HOURS * 60:  # likely a slip (am for pm): ask before setting
            await interaction.response.send_message(
                few_waking_hours(quiet), view=quiet_confirm_view(quiet), ephemeral=True
            )
            return
        async with answered_first(interaction, ephemeral=True):
            await self.bot.services.settings.set_quiet_hours(interaction.user.id, quiet)
        await reply(interaction, quiet_set_text(quiet), ephemeral=True)

    @app_commands.command(name="delay", description="How long after an interview ends the debrief prompt comes")
    @app_commands.describe(hours="Hours after the interview ends")
    @app_commands.choices(hours=[app_commands.Choice(name=_hours(h), value=h) for h in DELAYS])
    async def delay(self, interaction: discord.Interaction, hours: int) -> None:
        async with answered_first(interaction, ephemeral=True):
            await self.bot.services.settings.set_delay(interaction.user.id, hours)
        await reply(
            interaction,
            f"Debrief prompts will come {_hours(hours)} after an interview ends (for interviews you log from now on).",
            ephemeral=True,
        )

    @app_commands.command(name="check-ins", description="Turn the one check-in after a rejection on or off")
    async def checkins(self, interaction: discord.Interaction, on: bool) -> None:
        async with answered_first(interaction, ephemeral=True):
            cancelled = await self.bot.services.settings.set_checkins(interaction.user.id, on)
        if on:
            text = "Check-ins are on: after a rejection I'll check in once, when your reset window ends."
        else:
            text = "Check-ins are off. " + (
                "I cancelled the one that was waiting." if cancelled else "None was waiting."
            )
        await reply(interaction, text, ephemeral=True)

    @app_commands.command(
        name="pre-interview", description="Turn the short note the evening before an interview on or off"
    )
    @app_commands.describe(on="True: a note with your focus the evening before each logged interview")
    async def pre_interview(self, interaction: discord.Interaction, on: bool) -> None:
        async with answered_first(interaction, ephemeral=True):
            cancelled = await self.bot.services.settings.set_pre_interview(interaction.user.id, on)
        if on:
            text = (
                "Notes before interviews are on: the evening before each interview you log, "
                "your focus and a past note or two."
            )
        else:
            text = "Notes before interviews are off."
            if cancelled:
                text += f" I cancelled {cancelled} that {'was' if cancelled == 1 else 'were'} waiting."
        await reply(interaction, text, ephemeral=True)

    @app_commands.command(name="reset-window", description="How long after a rejection the check-in comes")
    @app_commands.describe(hours="Hours between the rejection and the check-in")
    @app_commands.choices(hours=[app_commands.Choice(name=_hours(h), value=h) for h in WINDOWS])
    async def reset_window(self, interaction: discord.Interaction, hours: int) -> None:
        async with answered_first(interaction, ephemeral=True):
            await self.bot.services.settings.set_reset_window(interaction.user.id, timedelta(hours=hours))
        await reply(
            interaction,
            f"After a rejection, the check-in will come {_hours(hours)} later (outside your quiet hours).",
            ephemeral=True,
        )

    @app_commands.command(name="weekly-summary", description="When your private weekly summary comes, or off")
    @app_commands.describe(when='A day and a time in your zone, like "Sun 18:00" or "Friday 5pm"; or "off"')
    async def weekly_summary(self, interaction: discord.Interaction, when: str) -> None:
        parse_weekly_time(when)  # a time it can't read is answered at once, and nothing changes
        async with answered_first(interaction, ephemeral=True):
            chosen, due, zone = await self.bot.services.summaries.set_weekly(interaction.user.id, when)
        if chosen is None:
            text = "Weekly summaries are off. Nothing is sent until you choose a day and time again."
        else:
            text = f"Your weekly summary comes **{chosen}** ({zone.key})" + (
                f", next on {due.astimezone(zone):%a %d %b}." if due else "."
            )
            text += " A week with nothing logged gets no message."
        await reply(interaction, text, ephemeral=True)

    @app_commands.command(name="share", description="Count you, anonymously, in this server's cohort summary")
    @app_commands.describe(on="On: counted in the weekly aggregate (never named). Off: not counted from now on")
    @app_commands.describe(channel="Which cohort summary, when the server has several")
    async def share(
        self, interaction: discord.Interaction, on: bool, channel: discord.TextChannel | None = None
    ) -> None:
        if interaction.guild is None:
            await interaction.response.send_message(
                "Run this in the server whose cohort summary you want to join or leave.", ephemeral=True
            )
            return
        summaries = self.bot.services.summaries
        async with answered_first(interaction, ephemeral=True):
            channels = await summaries.share(
                interaction.user.id, interaction.guild.id, channel.id if channel else None, on
            )
        if on:
            where = ", ".join(f"<#{c}>" for c in channels)
            text = (
                f"You're counted in the weekly cohort summary in {where}: only counts of members, in bands, "
                "never your name, your words or your companies. `/settings share on:False` stops it."
            )
        else:
            text = "You're no longer counted in this server's cohort summaries, from the next one on."
        await reply(interaction, text, ephemeral=True)


async def setup(bot: DebriefBot) -> None:
    await bot.add_cog(Settings(bot))
