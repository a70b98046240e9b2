"""/export and /forget, the server clean-up, activity for the retention policy, and its warning.

- ``/export`` sends every record held about the user as JSON and Markdown: in the bot's DM as
  messages, anywhere else as ephemeral follow-ups only they see.
- ``/forget`` shows what goes and asks for a confirm button that only the same user can press.
- The bot removed from a server (``on_guild_remove``) forgets that server's settings and memberships.
- A member leaving (``on_raw_member_remove``) forgets their membership there. Discord sends that event
  only with the privileged Server Members intent (``discord.members_intent``); without it, a departed
  member's membership goes with the server, with /forget, or with the retention policy.
- Every interaction and DM counts as activity (``services.privacy.seen``); the retention sweep runs
  every ``privacy.sweep_every`` as an APScheduler job, and its warnings go through the prompt queue.
"""

from __future__ import annotations

import asyncio
import io
import logging
import re
from typing import ClassVar

import discord
from discord import app_commands
from discord.ext import commands

from bot.app import DebriefBot
from bot.coach.when import format_local
from bot.prompts import Sending
from bot.render.privacy import (
    export_files,
    export_message,
    forget_preview,
    forgotten,
    package,
    retention_warning,
)
from bot.ui import ids
from bot.ui.components import persistent
from bot.ui.cooldown import heavy
from bot.ui.errors import NOT_DELETED, guarded
from bot.ui.first import clicked_first, edit_clicked
from bot.ui.ids import marker_of
from bot.ui.reply import private, send_ephemeral

log = logging.getLogger(__name__)

SWEEP_JOB = "privacy-retention-sweep"
NOT_YOURS = "This button belongs to someone else's request; it does nothing for you."
CANCELLED = "Cancelled: nothing was deleted."
KEPT = "Thanks: your data stays, and the countdown starts again from today."


class ForgetButton(discord.ui.DynamicItem[discord.ui.Button], template=ids.FORGET_CONFIRM):
    """/forget's confirm and cancel. Only the user named in the id can press them."""

    LOOKS: ClassVar[dict[str, tuple[str, discord.ButtonStyle]]] = {
        "yes": ("Delete everything", discord.ButtonStyle.danger),
        "no": ("Cancel", discord.ButtonStyle.secondary),
    }

    def __init__(self, action: str, user_id: int) -> None:
        label, style = self.LOOKS[action]
        super().__init__(discord.ui.Button(label=label, style=style, custom_id=ids.forget_confirm(action, user_id)))
        self.action = action
        self.user_id = user_id

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str]):
        return cls(match["action"], int(match["user_id"]))

    @guarded
    async def callback(self, interaction: discord.Interaction[DebriefBot]) -> None:
        if interaction.user.id != self.user_id:
            await send_ephemeral(interaction, NOT_YOURS)
            return
        if self.action == "no":
            await interaction.response.edit_message(content=CANCELLED, view=None)
            return
        # Answered first (a user with much data may take long to delete): the buttons come off at once, so
        # nothing is pressed twice; a failed deletion (one transaction: nothing deleted) gives them back and
        # says so; once it is gone the message says what went (a follow-up if that edit is refused).
        async with clicked_first(interaction, unsaved_text=NOT_DELETED):
            counts = await interaction.client.services.privacy.forget(interaction.user.id)
        interaction.client.charts.forget(interaction.user.id)  # their last /patterns chart, held in memory
        interaction.client.weekly_charts.forget(interaction.user.id)  # and their last weekly DM's chart
        await edit_clicked(interaction, content=forgotten(counts))


class KeepButton(discord.ui.DynamicItem[discord.ui.Button], template=ids.RETENTION_KEEP):
    """ "Keep my data" on the retention warning: counts as activity, for the user it was sent to."""

    def __init__(self, user_id: int, marker: str = "") -> None:
        super().__init__(
            discord.ui.Button(
                label="Keep my data",
                style=discord.ButtonStyle.primary,
                custom_id=ids.retention_keep(user_id, marker),
            )
        )
        self.user_id = user_id

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str]):
        return cls(int(match["user_id"]), marker_of(match.string, ids.retention_keep(int(match["user_id"]))))

    @guarded
    async def callback(self, interaction: discord.Interaction[DebriefBot]) -> None:
        if interaction.user.id != self.user_id:
            await send_ephemeral(interaction, NOT_YOURS)
            return
        await interaction.client.services.privacy.seen(interaction.user.id)
        await interaction.response.edit_message(content=KEPT, view=None)


def forget_view(user_id: int) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(ForgetButton("yes", user_id))
    view.add_item(ForgetButton("no", user_id))
    return persistent(view)


class Privacy(commands.Cog):
    def __init__(self, bot: DebriefBot) -> None:
        self.bot = bot

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(ForgetButton, KeepButton)
        self.bot.queue.register("retention", self.send_retention_warning, self.find_retention_warning)
        privacy = self.bot.settings.privacy
        if privacy.retention:
            self.bot.scheduler.add_job(
                self.sweep,
                "interval",
                seconds=privacy.sweep_every.total_seconds(),
                id=SWEEP_JOB,
                replace_existing=True,
                coalesce=True,
                max_instances=1,
                misfire_grace_time=None,
            )

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(ForgetButton, KeepButton)
        if self.bot.scheduler.get_job(SWEEP_JOB) is not None:
            self.bot.scheduler.remove_job(SWEEP_JOB)

    # -- commands -----------------------------------------------------------------------------------

    @app_commands.command(name="export", description="Get a copy of everything Debrief holds about you")
    @heavy()
    async def export(self, interaction: discord.Interaction) -> None:
        hidden = private(interaction)
        await interaction.response.defer(ephemeral=hidden, thinking=True)
        export = await self.bot.services.privacy.export(interaction.user.id)
        parts = await asyncio.to_thread(lambda: package(export_files(export)))  # JSON, Markdown, zip: off the loop
        for number, files in enumerate(parts, start=1):
            await interaction.followup.send(
                export_message(export, number, len(parts)),
                files=[discord.File(io.BytesIO(data), filename=name) for name, data in files],
                ephemeral=hidden,
            )

    @app_commands.command(name="forget", description="Delete everything Debrief holds about you")
    async def forget(self, interaction: discord.Interaction) -> None:
        counts = await self.bot.services.privacy.held(interaction.user.id)
        text = forget_preview(counts)
        if not sum(counts.values()):
            await interaction.response.send_message(text, ephemeral=private(interaction))
            return
        await interaction.response.send_message(
            text, view=forget_view(interaction.user.id), ephemeral=private(interaction)
        )

    # -- events -------------------------------------------------------------------------------------

    @commands.Cog.listener()
    async def on_interaction(self, interaction: discord.Interaction) -> None:
        await self.bot.services.privacy.seen(interaction.user.id)

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        if message.guild is None and not message.author.bot:
            await self.bot.services.privacy.seen(message.author.id)

    @commands.Cog.listener()
    async def on_guild_remove(self, guild: discord.Guild) -> None:
        await self.bot.services.privacy.server_removed(guild.id)

    @commands.Cog.listener()
    async def on_raw_member_remove(self, payload: discord.RawMemberRemoveEvent) -> None:
        await self.bot.services.privacy.member_left(payload.user.id, payload.guild_id)

    # -- retention ----------------------------------------------------------------------------------

    async def sweep(self) -> None:
        try:
            await self.bot.services.privacy.sweep()
        except Exception:
            log.exception("the retention sweep failed; it runs again at the next interval")

    async def send_retention_warning(self, sending: Sending) -> int:
        warning = await self.bot.services.privacy.retention_due(sending.prompt)
        now = self.bot.clock.now()
        tz = warning.profile.tz
        text = retention_warning(
            format_local(warning.last_seen, tz, now), f"{warning.deletes_on.astimezone(tz):%a %d %b %Y}"
        )
        view = discord.ui.View(timeout=None)
        marker = ids.prompt_marker(sending.prompt.id, sending.prompt.snoozes)
        view.add_item(KeepButton(sending.prompt.user_id, marker))
        return await self.bot.messenger.send_prompt(sending, content=text, view=persistent(view))

    async def find_retention_warning(self, prompt) -> int | None:
        """After a crash between the send and its record: the warning, found by its button's marker."""
        return await self.bot.messenger.find_posted(prompt.user_id, ids.prompt_marker(prompt.id, prompt.snoozes))


async def setup(bot: DebriefBot) -> None:
    await bot.add_cog(Privacy(bot))
