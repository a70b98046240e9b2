"""Calendar invites sent in a DM: the files are downloaded (each capped in size), read by the invite
service, and every event that reads as an interview is offered with the draft buttons. Nothing is
recorded until the user confirms.

It answers before the other DM readers (an invite sent during an open debrief is an invite, not an
answer), and only for messages that carry files: a text-only DM never reaches it.
"""

from __future__ import annotations

import logging
from datetime import datetime

import discord
from discord.ext import commands

from bot.app import DebriefBot
from bot.render.interviews import ZONE_QUESTION
from bot.render.invites import cancellation_text, offer_text, summary_text, too_big
from bot.services.invites import MAX_BYTES, InviteOffer
from bot.services.profile import Profile
from cogs.interviews._components import cancellation_view, draft_view, zone_view

log = logging.getLogger(__name__)

#: Asked before the debrief's typed answers (10) and the plain-words reader (50).
PRIORITY = 5
CALENDAR_SUFFIXES = (".ics", ".ical", ".icalendar", ".ifb")
#: The most files of one message read (Discord allows 10 a message).
MAX_FILES = 10
NOT_A_CALENDAR = (
    "I can read calendar invites (`.ics` files) and messages about interviews; that file is neither, so I "
    "left it. `/help` lists what I can do."
)
ASK_ZONE_FIRST = "{question}\nThen send the invite again and I'll read it in your time."


def is_calendar(attachment: discord.Attachment) -> bool:
    content_type = (attachment.content_type or "").split(";")[0].strip().lower()
    return attachment.filename.lower().endswith(CALENDAR_SUFFIXES) or content_type == "text/calendar"


def invite_offer_reply(offer: InviteOffer, profile: Profile, now: datetime) -> tuple[str, discord.ui.View]:
    return offer_text(offer, profile.tz, now), draft_view(offer.draft_id, offer.can_save)


class Invites(commands.Cog):
    def __init__(self, bot: DebriefBot) -> None:
        self.bot = bot

    async def cog_load(self) -> None:
        self.bot.add_dm_handler(PRIORITY, self.invite_in_dm)

    async def invite_in_dm(self, message: discord.Message) -> bool:
        if not message.attachments:
            return False
        calendars = [a for a in message.attachments if is_calendar(a)][:MAX_FILES]
        if not calendars:
            if (message.content or "").strip():
                return False  # a file with words: the words are read as usual
            await message.channel.send(NOT_A_CALENDAR)
            return True
        files: list[tuple[str, bytes]] = []
        for attachment in calendars:
            if attachment.size > MAX_BYTES:
                await message.channel.send(too_big(attachment.filename, attachment.size))
                continue
            data = await attachment.read()
            if len(data) > MAX_BYTES:  # the size announced was wrong
                await message.channel.send(too_big(attachment.filename, len(data)))
                continue
            files.append((attachment.filename, data))
        if not files:
            return True
        read = await self.bot.services.invites.read(message.author.id, files)
        read.not_calendars += [a.filename for a in message.attachments if not is_calendar(a)]
        if read.ask_zone:
            await message.channel.send(ASK_ZONE_FIRST.format(question=ZONE_QUESTION), view=zone_view(None))
            return True
        now = self.bot.clock.now()
        profile = await self.bot.services.settings.profile(message.author.id)
        for offer in read.offers:
            text, view = invite_offer_reply(offer, profile, now)
            await message.channel.send(text, view=view)
        for title, interview in read.cancellations:
            await message.channel.send(
                cancellation_text(title, interview, profile.tz, now), view=cancellation_view(interview)
            )
        summary = summary_text(read)
        if summary:
            await message.channel.send(summary)
        return True
