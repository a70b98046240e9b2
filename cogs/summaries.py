"""Weekly summaries: the senders of the private DM and the cohort post, and the scheduling sweep."""

from __future__ import annotations

import io
import logging

import discord
from discord.ext import commands, tasks

from bot.app import DebriefBot
from bot.prompts import DropPrompt, RetryLater, Sending
from bot.render.chart import CHART_NAME, chart_data
from bot.render.summaries import cohort_heading, cohort_text, private_heading, private_text

log = logging.getLogger(__name__)

#: Discord's codes for "the bot can't see or post in this channel".
NO_ACCESS = {
    50001: "I can't see that channel",
    50013: "I don't have permission to post there",
    10003: "the channel is gone",
}


class Summaries(commands.Cog):
    """Sends weekly summaries for the queue; schedules users who have none waiting."""

    def __init__(self, bot: DebriefBot) -> None:
        self.bot = bot

    async def cog_load(self) -> None:
        # Bulk: thousands fall due at one minute; they may hold only a share of the dispatcher's slots.
        self.bot.queue.register("weekly", self.send_weekly, self.find_weekly, bulk=True)
        self.bot.queue.register("cohort", self.send_cohort, self.find_cohort, bulk=True)

    async def cog_unload(self) -> None:
        self.sweep.cancel()

    @tasks.loop(hours=6)
    async def sweep(self) -> None:
        scheduled = await self.bot.services.summaries.schedule_missing()
        if scheduled:
            log.info("scheduled %s weekly summaries", scheduled)

    @commands.Cog.listener()
    async def on_ready(self) -> None:
        """Schedule once connected (and every six hours): a user who logged something gets a weekly prompt."""
        if not self.sweep.is_running():
            self.sweep.start()

    async def send_weekly(self, sending: Sending) -> int:
        due = await self.bot.services.summaries.weekly_due(sending.prompt)
        text = private_text(due.summary, due.zone, due.focus_text, late=sending.late_by is not None)
        chart = await self._chart(sending.prompt.user_id)
        return await self.bot.messenger.send_prompt(sending, content=text, **({"file": chart} if chart else {}))

    async def _chart(self, user_id: int) -> discord.File | None:
        """The ``/patterns`` chart, drawn the way ``/patterns`` draws it, but by the weekly DMs' own worker
        process (``bot.weekly_charts``, cached per user), so a burst of weekly DMs never holds back anyone's
        ``/patterns``; None while there is too little for one, or if the worker died drawing it."""
        report = await self.bot.services.patterns.report(user_id)
        if not report.enough:
            return None
        png = await self.bot.weekly_charts.png(user_id, chart_data(report.patterns, report.now))
        if png is None:
            return None
        return discord.File(io.BytesIO(png), filename=CHART_NAME, description="Stumbles by topic per week; your funnel")

    async def find_weekly(self, prompt) -> int | None:
        """After a crash between the send and its record: the DM of that week, if it went out."""
        window = await self.bot.services.summaries.weekly_window(prompt)
        if window is None:
            return None
        return await self.bot.messenger.find_dm_starting(prompt.user_id, private_heading(*window))

    async def find_cohort(self, prompt) -> int | None:
        """The same for a cohort post: that week's post in its channel."""
        window = await self.bot.services.summaries.cohort_window(prompt)
        if window is None:
            return None
        channel_id, start, end, zone = window
        return await self.bot.messenger.find_post_starting(channel_id, cohort_heading(start, end, zone))

    async def send_cohort(self, sending: Sending) -> int:
        summaries = self.bot.services.summaries
        due = await summaries.cohort_due(sending.prompt)
        channel = self.bot.get_partial_messageable(due.channel_id)
        text = cohort_text(due.summary, due.start, due.end, due.zone, summaries.min_group)
        try:
            message = await channel.send(text, nonce=sending.nonce, allowed_mentions=discord.AllowedMentions.none())
        except (discord.Forbidden, discord.NotFound) as exc:
            # Reported in /server show; not retried: the next week's post is already scheduled.
            await summaries.cohort_failed(due.channel_id, NO_ACCESS.get(exc.code, f"Discord refused ({exc.code})"))
            raise DropPrompt("cannot post in the summary channel") from None
        except discord.HTTPException as exc:
            if exc.status >= 500 or exc.status == 429:
                raise RetryLater(f"discord {exc.status}") from exc
            raise
        await summaries.cohort_posted(due.channel_id)
        return message.id


async def setup(bot: DebriefBot) -> None:
    await bot.add_cog(Summaries(bot))
