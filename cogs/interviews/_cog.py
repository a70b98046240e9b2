"""Telling Debrief about interviews: /interview log, list and outcome, plain DMs, and notice-channel posts.

Everything here replies in DMs or ephemerally; nothing about a user's interview is posted in a server.
"""

from __future__ import annotations

import logging
import re

import discord
from discord import app_commands
from discord.ext import commands

from bot.app import DebriefBot
from bot.coach.stages import RESULT_KEYS, STAGES
from bot.coach.text import clean_company, clean_role
from bot.coach.when import parse_when
from bot.delivery import DmsClosed
from bot.errors import UserError
from bot.render.interviews import ZONE_QUESTION, logged
from bot.render.limits import clip
from bot.render.safe import inline
from bot.services.interviews import DEFAULT_LENGTH, MAX_LENGTH, MIN_LENGTH, AskZone
from bot.services.outcomes import Heard
from bot.ui.cooldown import heavy
from bot.ui.first import answered_first
from bot.ui.picker import PickedInterview
from bot.ui.reply import private, reply
from cogs.interviews._components import STAGE_CHOICES, logged_view, offer_reply, zone_view
from cogs.interviews._list import list_reply
from cogs.interviews._noticed_outcomes import heard_reply
from cogs.interviews._outcomes import RESULT_CHOICES, record_and_reply

log = logging.getLogger(__name__)

NOTICE_REACTION = "\N{MEMO}"
#: A DM nobody took with at least this many words may have been meant as an answer: the reply says it
#: was not saved (its debrief may have been deleted, or finished, meanwhile).
UNSAVED_WORDS = 5


class Interviews(commands.GroupCog, group_name="interview", group_description="Log and review your interviews"):
    def __init__(self, bot: DebriefBot) -> None:
        self.bot = bot
        self.interviews = bot.services.interviews

    async def cog_load(self) -> None:
        self.bot.add_dm_handler(50, self.notice_in_dm)
        self.bot.add_dm_handler(100, self.fallback_dm)

    # -- commands -------------------------------------------------------------------------------

    @app_commands.command(name="log", description="Tell me about an interview, past or upcoming")
    @app_commands.describe(
        company="Who the interview is with",
        when='When, in your time: "today 2pm", "Thu 15:00", "2 hours ago"',
        stage="What kind of interview",
        role="The role you applied for",
        length="How long it lasts, in minutes",
    )
    @app_commands.choices(stage=STAGE_CHOICES)
    async def log_interview(
        self,
        interaction: discord.Interaction,
        company: str,
        when: str,
        stage: str,
        role: str | None = None,
        length: app_commands.Range[int, MIN_LENGTH, MAX_LENGTH] = DEFAULT_LENGTH,
    ) -> None:
        now = self.bot.clock.now()
        company = clean_company(company)
        role = clean_role(role) if role else None
        if stage not in {s.key for s in STAGES}:
            raise UserError("Pick the stage from the list.")
        settings = self.bot.services.settings
        known = await settings.known_profile(interaction.user.id)  # a read: first contact writes after the defer
        if known is not None and known.zone is not None:
            parse_when(when, now=now, tz=known.tz)  # a time it can't read is answered at once, unsaved
        async with answered_first(interaction, ephemeral=private(interaction)):
            profile = known or await settings.new_profile(interaction.user.id)
            result = await self.interviews.log_command(
                profile,
                company=company,
                when=when,
                stage=stage,
                role=role,
                length_min=length,
                guild_id=interaction.guild_id,
            )
        if isinstance(result, AskZone):
            await reply(interaction, ZONE_QUESTION, view=zone_view(result.draft_id), ephemeral=private(interaction))
            return
        await reply(
            interaction,
            logged(result, profile.tz, now, True),
            view=logged_view(result.interview, result.prompt_due, now),
            ephemeral=private(interaction),
        )

    @app_commands.command(name="list", description="Your interviews, a page at a time; pick one to change it")
    @heavy()
    async def list_interviews(self, interaction: discord.Interaction) -> None:
        now = self.bot.clock.now()
        profile = await self.bot.services.settings.profile(interaction.user.id)
        page = await self.interviews.page(interaction.user.id, 0)
        embed, view = list_reply(page, profile, now)
        await interaction.response.send_message(embed=embed, view=view, ephemeral=private(interaction))

    @app_commands.command(name="outcome", description="Record how an interview turned out")
    @app_commands.describe(interview="The interview: start typing the company", result="How it turned out")
    @app_commands.choices(result=RESULT_CHOICES)
    async def outcome(self, interaction: discord.Interaction, interview: PickedInterview, result: str) -> None:
        if result not in RESULT_KEYS:  # answered at once, nothing recorded (the choices make it rare)
            raise UserError("Pick the result from the list: advanced, offer, rejected, ghosted or withdrew.")
        await record_and_reply(self.bot, interaction, interview.id, result, edit_source=False)

    # -- plain DMs ------------------------------------------------------------------------------

    async def notice_in_dm(self, message: discord.Message) -> bool:
        now = self.bot.clock.now()
        read = await self.interviews.notice(message.author.id, message.content, source="dm")
        if read is None:
            return False
        if isinstance(read, AskZone):
            await message.channel.send(ZONE_QUESTION, view=zone_view(read.draft_id))
            return True
        profile = await self.bot.services.settings.profile(message.author.id)
        text, view = offer_reply(read, profile, now)
        await message.channel.send(text, view=view)
        return True

    async def fallback_dm(self, message: discord.Message) -> bool:
        hint = (
            'I read DMs about interviews, like "onsite at Acme tomorrow 2pm" or "just finished my phone '
            'screen with Globex". For everything else, `/help` lists what I can do.'
        )
        content = message.content or ""
        if len(content.split()) >= UNSAVED_WORDS:  # it may be an answer whose debrief is gone: say so
            hint = (
                f"No debrief is open, so what you sent (“{inline(clip(content, 80))}”) was **not saved**. "
                "`/debrief start` opens one.\n" + hint
            )
        await message.channel.send(hint)
        return True

    # -- notice channels ------------------------------------------------------------------------

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        if message.guild is None or message.author.bot or not self.bot.services.servers.watches(message.channel.id):
            return
        text = re.sub(r"<@!?\d+>", " ", message.content).strip()
        if not text:
            return  # no Message Content intent and no mention: nothing to read
        now = self.bot.clock.now()
        heard = await self.bot.services.outcomes.hear(message.author.id, text)  # news of an outcome comes first
        read = (
            heard
            if heard is not None
            else await self.interviews.notice(
                message.author.id, text, source="notice", guild_id=message.guild.id, channel_id=message.channel.id
            )
        )
        if read is None:
            return
        try:
            await message.add_reaction(NOTICE_REACTION)
        except discord.HTTPException:
            log.info("could not react in channel %s", message.channel.id)
        where = f"I saw your post in **#{getattr(message.channel, 'name', 'a channel')}** ({message.guild.name})."
        if isinstance(read, Heard):
            profile = await self.bot.services.settings.profile(message.author.id)
            heard_text, view = await heard_reply(self.bot, message.author.id, read, profile, now, source="notice")
            content = f"{where} {heard_text}"
        elif isinstance(read, AskZone):
            content, view = f"{where} {ZONE_QUESTION}", zone_view(read.draft_id)
        else:
            profile = await self.bot.services.settings.profile(message.author.id)
            offer, view = offer_reply(read, profile, now)
            content = f"{where} {offer}"
        try:
            await self.bot.messenger.send(message.author.id, content=content, view=view)
        except DmsClosed:
            log.info("user %s has DMs closed; the reaction is all they get", message.author.id)
