"""The debrief prompt: sending it when due, and its Snooze and Skip buttons (persistent)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import discord
from discord.ext import commands

from bot.app import DebriefBot, guarded
from bot.coach.waking import is_quiet, out_of_quiet, tomorrow_morning
from bot.coach.when import format_local
from bot.delivery import DmsClosed
from bot.profile import Profile, load_profile
from bot.prompts import DropPrompt, HoldUntil, RetryLater, Sending
from bot.render import ids
from bot.render.prompts import GONE, SKIPPED, debrief_prompt, snoozed
from bot.store import Prompt

SNOOZES = {
    "1h": ("In 1 h", timedelta(hours=1)),
    "3h": ("In 3 h", timedelta(hours=3)),
    "morning": ("Tomorrow morning", None),
}


def prompt_view(interview_id: int, prompt: Prompt) -> discord.ui.View:
    """Made of DynamicItems only, so discord.py keeps nothing in memory per prompt sent."""
    from cogs.debrief import StartButton  # the debrief cog owns the button; imported late to avoid a cycle

    marker = ids.prompt_marker(prompt.id, prompt.snoozes)
    view = discord.ui.View(timeout=None)
    start = StartButton(interview_id, True, ids.debrief_start(interview_id, marker))
    start.item.style = discord.ButtonStyle.primary
    view.add_item(start)
    for choice in SNOOZES:
        view.add_item(SnoozeButton(choice, prompt.id, ids.prompt_snooze(choice, marker)))
    view.add_item(SkipButton(prompt.id, ids.prompt_skip(marker)))
    return view


async def hold_for_quiet_hours(bot: DebriefBot, prompt: Prompt, now: datetime) -> Profile:
    """Raise HoldUntil if ``now`` is inside the user's quiet hours (e.g. a late prompt at 3 am);
    otherwise return the user's profile, for the sender to use."""
    profile = await load_profile(bot.store, bot.settings, prompt.user_id, now)
    if is_quiet(now, profile.tz, profile.quiet):
        raise HoldUntil(out_of_quiet(now, profile.tz, profile.quiet), "quiet hours")
    return profile


async def send_prompt_dm(bot: DebriefBot, sending: Sending, **message: object) -> int:
    """Send a prompt's DM with its nonce; closed DMs and server errors become a retry."""
    try:
        sent = await bot.messenger.send(sending.prompt.user_id, nonce=sending.nonce, **message)
    except DmsClosed:
        raise RetryLater("dms closed") from None
    except discord.HTTPException as exc:
        if exc.status >= 500 or exc.status == 429:
            raise RetryLater(f"discord {exc.status}") from exc
        raise
    return sent.id


class SnoozeButton(discord.ui.DynamicItem[discord.ui.Button], template=ids.PROMPT_SNOOZE):
    def __init__(self, choice: str, prompt_id: int, custom_id: str) -> None:
        super().__init__(discord.ui.Button(label=SNOOZES[choice][0], custom_id=custom_id))
        self.choice = choice
        self.prompt_id = prompt_id

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str]):
        return cls(match["choice"], int(match["prompt_id"]), item.custom_id or "")

    @guarded
    async def callback(self, interaction: discord.Interaction[DebriefBot]) -> None:
        bot = interaction.client
        now = bot.clock.now()
        profile = await load_profile(bot.store, bot.settings, interaction.user.id, now)
        delta = SNOOZES[self.choice][1]
        due = tomorrow_morning(now, profile.tz, profile.quiet) if delta is None else now + delta
        due = out_of_quiet(due, profile.tz, profile.quiet)
        async with bot.store.transaction() as tx:
            moved = await bot.store.prompts.snooze(tx, self.prompt_id, interaction.user.id, due)
        if not moved:
            await interaction.response.send_message(GONE, ephemeral=True)
            return
        bot.queue.notify(due)
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
        bot = interaction.client
        async with bot.store.transaction() as tx:
            skipped = await bot.store.prompts.skip(tx, self.prompt_id, interaction.user.id)
        if not skipped:
            await interaction.response.send_message(GONE, ephemeral=True)
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

    async def send_debrief_prompt(self, sending: Sending) -> int:
        prompt = sending.prompt
        interview = await self.bot.store.interviews.get(prompt.user_id, prompt.subject_id)
        if interview is None:
            raise DropPrompt("interview deleted")
        if interview.debriefed_at is not None:
            raise DropPrompt("already debriefed")
        now = self.bot.clock.now()
        profile = await hold_for_quiet_hours(self.bot, prompt, now)
        text = debrief_prompt(
            interview.company, interview.stage, format_local(interview.starts_at, profile.tz, now), sending.late_by
        )
        return await send_prompt_dm(self.bot, sending, content=text, view=prompt_view(interview.id, prompt))

    async def find_prompt(self, prompt: Prompt) -> int | None:
        return await self.bot.messenger.find_posted(prompt.user_id, ids.prompt_marker(prompt.id, prompt.snoozes))


async def setup(bot: DebriefBot) -> None:
    await bot.add_cog(Prompts(bot))
