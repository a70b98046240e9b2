"""Outcomes told in plain words: "Heard back from Acme, it's a no" in a DM (or through the message command)
is read, matched to the user's own interviews and offered with buttons; nothing is recorded until the user
clicks. A click goes through :func:`cogs.interviews._outcomes.record_and_reply`, the path of
``/interview outcome``, so a rejection starts the same reset window and its one check-in."""

from __future__ import annotations

from datetime import datetime

import discord
from discord.ext import commands

from bot.app import DebriefBot
from bot.render.heard import LOG_IT, choice_label, heard_none, heard_one, heard_several
from bot.services.outcomes import Heard
from bot.services.profile import Profile
from bot.ui.components import persistent
from cogs.interviews._components import DraftButton
from cogs.interviews._outcomes import OutcomeConfirmButton, OutcomeDismissButton

#: Read before noticing (50), which would take "Initech moved me to the final round" as a new interview.
PRIORITY = 40


async def heard_reply(
    bot: DebriefBot, user_id: int, heard: Heard, profile: Profile, now: datetime, *, source: str
) -> tuple[str, discord.ui.View]:
    """The question for an outcome read from a message: confirm it, pick the interview, or log one first."""
    view = discord.ui.View(timeout=None)
    if not heard.fits:
        draft_id = await bot.services.interviews.draft_company(user_id, heard.company, source)
        view.add_item(DraftButton("edit", draft_id, label=LOG_IT))
        view.add_item(OutcomeDismissButton())
        return heard_none(heard.result, heard.company), persistent(view)
    if len(heard.fits) == 1:
        (interview,) = heard.fits
        view.add_item(OutcomeConfirmButton(heard.result, interview.id))
        view.add_item(OutcomeDismissButton())
        return heard_one(heard.result, interview, profile.tz, now), persistent(view)
    for interview in heard.fits:
        view.add_item(OutcomeConfirmButton(heard.result, interview.id, label=choice_label(interview, profile.tz, now)))
    view.add_item(OutcomeDismissButton())
    company = heard.company or heard.fits[0].company
    return heard_several(heard.result, company, len(heard.fits)), persistent(view)


class NoticedOutcomes(commands.Cog):
    """Reads DMs for outcomes told in words."""

    def __init__(self, bot: DebriefBot) -> None:
        self.bot = bot

    async def cog_load(self) -> None:
        self.bot.add_dm_handler(PRIORITY, self.outcome_in_dm)

    async def outcome_in_dm(self, message: discord.Message) -> bool:
        user_id = message.author.id
        heard = await self.bot.services.outcomes.hear(user_id, message.content or "")
        if heard is None:
            return False
        now = self.bot.clock.now()
        profile = await self.bot.services.settings.profile(user_id)
        text, view = await heard_reply(self.bot, user_id, heard, profile, now, source="dm")
        await message.channel.send(text, view=view)
        return True
