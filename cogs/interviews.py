"""Telling Debrief about interviews: /interview log and list, plain DMs, and notice-channel posts.

Everything here replies in DMs or ephemerally; nothing about a user's interview is posted in a server.
"""

from __future__ import annotations

import logging
import re
from datetime import datetime, timedelta
from typing import ClassVar
from zoneinfo import ZoneInfo

import discord
from discord import app_commands
from discord.ext import commands

from bot.app import DebriefBot, answer_error, guarded
from bot.coach.noticing import notice
from bot.coach.stages import STAGES, find_stage, stage_label
from bot.coach.text import clean_company, clean_role
from bot.coach.when import format_local, parse_when
from bot.delivery import DmsClosed
from bot.errors import UserError
from bot.interviews import DEFAULT_LENGTH, MAX_LENGTH, MIN_LENGTH
from bot.profile import Profile, load_profile
from bot.render import ids
from bot.render.interviews import ZONE_QUESTION, draft_text, fit, interview_list, logged
from bot.render.outcomes import feedback_lines
from bot.render.safe import inline
from bot.store import Draft, Interview
from cogs.common import private

log = logging.getLogger(__name__)

NOTICE_REACTION = "\N{MEMO}"

#: The zones offered on first contact (a select holds 25); every other zone is in /settings timezone.
COMMON_ZONES = [
    ("UTC", "UTC"),
    ("UK, Ireland, Portugal (London)", "Europe/London"),
    ("Central Europe (Berlin, Paris, Madrid)", "Europe/Berlin"),
    ("Eastern Europe (Athens, Kyiv)", "Europe/Athens"),
    ("West Africa (Lagos)", "Africa/Lagos"),
    ("South Africa (Johannesburg)", "Africa/Johannesburg"),
    ("East Africa (Nairobi)", "Africa/Nairobi"),
    ("Gulf (Dubai)", "Asia/Dubai"),
    ("Pakistan (Karachi)", "Asia/Karachi"),
    ("India (Kolkata, Bengaluru)", "Asia/Kolkata"),
    ("Bangladesh (Dhaka)", "Asia/Dhaka"),
    ("Indochina (Bangkok, Jakarta)", "Asia/Bangkok"),
    ("Singapore, Manila", "Asia/Singapore"),
    ("China (Shanghai)", "Asia/Shanghai"),
    ("Japan, Korea (Tokyo)", "Asia/Tokyo"),
    ("Australia East (Sydney)", "Australia/Sydney"),
    ("New Zealand (Auckland)", "Pacific/Auckland"),
    ("Brazil (São Paulo)", "America/Sao_Paulo"),
    ("Argentina (Buenos Aires)", "America/Argentina/Buenos_Aires"),
    ("US & Canada Eastern (New York, Toronto)", "America/New_York"),
    ("US Central (Chicago, Austin)", "America/Chicago"),
    ("Mexico (Mexico City)", "America/Mexico_City"),
    ("US Mountain (Denver)", "America/Denver"),
    ("US Pacific (Los Angeles, Seattle)", "America/Los_Angeles"),
    ("Hawaii (Honolulu)", "Pacific/Honolulu"),
]

STAGE_CHOICES = [app_commands.Choice(name=s.label, value=s.key) for s in STAGES]


def logged_view(interview: Interview, prompt_due: datetime | None, now: datetime) -> discord.ui.View:
    """Made of DynamicItems only, so discord.py keeps nothing in memory per message sent."""
    view = discord.ui.View(timeout=None)
    if prompt_due is not None:
        view.add_item(InterviewWhenSelect(interview.id))
    if interview.ends_at <= now:
        start = debrief_start_button(interview.id)
        start.item.label = "Debrief now"
        start.item.style = discord.ButtonStyle.primary
        view.add_item(start)
    view.add_item(InterviewButton("edit", interview.id))
    view.add_item(InterviewButton("delete", interview.id))
    return view


def debrief_start_button(interview_id: int) -> discord.ui.DynamicItem[discord.ui.Button]:
    from cogs.debrief import StartButton  # the debrief cog owns the button; imported late to avoid a cycle

    return StartButton(interview_id, False, ids.debrief_start(interview_id))


def draft_view(draft_id: int, can_save: bool) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    if can_save:
        view.add_item(DraftButton("save", draft_id))
    view.add_item(DraftButton("edit", draft_id, label="Fix the details" if can_save else "Add the details"))
    view.add_item(DraftButton("drop", draft_id))
    return view


def zone_view(draft_id: int | None) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(ZoneSelect(draft_id or 0))
    return view


def read_when(text: str, profile: Profile, now: datetime) -> datetime:
    return parse_when(text, now=now, tz=profile.tz)


def read_stage(text: str) -> str:
    stage = find_stage(text) if text.strip() else None
    if stage is None:
        names = ", ".join(s.label for s in STAGES)
        raise UserError(f'I don\'t know the stage "{text.strip()[:40]}". Use one of: {names}.')
    return stage


def read_length(text: str) -> int:
    raw = text.strip().lower().removesuffix("minutes").removesuffix("min").removesuffix("m").strip()
    if not raw:
        return DEFAULT_LENGTH
    if not raw.isdigit():
        raise UserError(f"Length is a number of minutes, between {MIN_LENGTH} and {MAX_LENGTH}.")
    return int(raw)


class InterviewModal(discord.ui.Modal):
    """Company, role, when, stage, length: for editing an interview or fixing a draft."""

    def __init__(
        self,
        title: str,
        *,
        company: str = "",
        role: str = "",
        when: str = "",
        stage: str = "",
        length: int = DEFAULT_LENGTH,
    ) -> None:
        super().__init__(title=title, timeout=900)
        self.company = discord.ui.TextInput(label="Company", default=company or None, max_length=100)
        self.when = discord.ui.TextInput(
            label="When (your time)",
            default=when or None,
            max_length=100,
            placeholder="e.g. Thu 3pm, tomorrow 10:30, 2 hours ago",
        )
        self.stage = discord.ui.TextInput(
            label="Stage", default=stage or None, max_length=40, placeholder="technical, onsite, recruiter screen, ..."
        )
        self.role = discord.ui.TextInput(label="Role (optional)", default=role or None, required=False, max_length=100)
        self.length = discord.ui.TextInput(label="Length in minutes", default=str(length), max_length=4, required=False)
        for item in (self.company, self.when, self.stage, self.role, self.length):
            self.add_item(item)
        self.result: tuple[str, str | None, str, datetime, int] | None = None

    def read(self, profile: Profile, now: datetime) -> tuple[str, str | None, str, datetime, int]:
        role = clean_role(self.role.value) if self.role.value.strip() else None
        return (
            clean_company(self.company.value),
            role,
            read_stage(self.stage.value),
            read_when(self.when.value, profile, now),
            read_length(self.length.value),
        )

    async def on_error(self, interaction: discord.Interaction, error: Exception) -> None:
        await answer_error(interaction, error)


class EditModal(InterviewModal):
    def __init__(self, interview: Interview, tz: ZoneInfo) -> None:
        local = interview.starts_at.astimezone(tz)
        super().__init__(
            "Edit interview",
            company=interview.company,
            role=interview.role or "",
            when=f"{local:%Y-%m-%d %H:%M}",
            stage=stage_label(interview.stage),
            length=interview.length_min,
        )
        self.interview_id = interview.id

    @guarded
    async def on_submit(self, interaction: discord.Interaction[DebriefBot]) -> None:
        bot = interaction.client
        now = bot.clock.now()
        profile = await load_profile(bot.store, bot.settings, interaction.user.id, now)
        company, role, stage, starts_at, length = self.read(profile, now)
        result = await bot.interviews.edit(
            profile, self.interview_id, company=company, role=role, stage=stage, starts_at=starts_at, length_min=length
        )
        await interaction.response.send_message(
            logged(result, profile.tz, now, profile.zone is not None),
            view=logged_view(result.interview, result.prompt_due, now),
            ephemeral=private(interaction),
        )


class DraftModal(InterviewModal):
    def __init__(self, draft: Draft, tz: ZoneInfo) -> None:
        when = f"{draft.starts_at.astimezone(tz):%Y-%m-%d %H:%M}" if draft.starts_at else ""
        super().__init__(
            "Interview details",
            company=draft.company or "",
            role=draft.role or "",
            when=when,
            stage=stage_label(draft.stage) if draft.stage else "",
            length=draft.length_min or DEFAULT_LENGTH,
        )
        self.draft_id = draft.id

    @guarded
    async def on_submit(self, interaction: discord.Interaction[DebriefBot]) -> None:
        bot = interaction.client
        now = bot.clock.now()
        profile = await load_profile(bot.store, bot.settings, interaction.user.id, now)
        draft = await bot.store.drafts.get(interaction.user.id, self.draft_id)
        if draft is None:
            await interaction.response.send_message("That one is already recorded or dismissed.", ephemeral=True)
            return
        company, role, stage, starts_at, length = self.read(profile, now)
        result = await bot.interviews.log(
            profile,
            company=company,
            stage=stage,
            starts_at=starts_at,
            role=role,
            length_min=length,
            source=draft.source,
            guild_id=draft.guild_id,
            draft_id=draft.id,
        )
        await interaction.response.send_message(
            logged(result, profile.tz, now, profile.zone is not None),
            view=logged_view(result.interview, result.prompt_due, now),
            ephemeral=private(interaction),
        )


class InterviewButton(discord.ui.DynamicItem[discord.ui.Button], template=ids.INTERVIEW_BUTTON):
    """Edit or delete a logged interview (on the reply to /interview log)."""

    LOOKS: ClassVar[dict[str, tuple[str, discord.ButtonStyle]]] = {
        "edit": ("Edit", discord.ButtonStyle.secondary),
        "delete": ("Delete", discord.ButtonStyle.danger),
        "delete-yes": ("Delete it", discord.ButtonStyle.danger),
        "keep": ("Keep it", discord.ButtonStyle.secondary),
    }

    def __init__(self, action: str, interview_id: int) -> None:
        label, style = self.LOOKS[action]
        super().__init__(
            discord.ui.Button(label=label, style=style, custom_id=ids.interview_action(action, interview_id))
        )
        self.action = action
        self.interview_id = interview_id

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str]):
        return cls(match["action"], int(match["interview_id"]))

    @guarded
    async def callback(self, interaction: discord.Interaction[DebriefBot]) -> None:
        bot = interaction.client
        now = bot.clock.now()
        interview = await bot.store.interviews.get(interaction.user.id, self.interview_id)
        if interview is None:
            await interaction.response.send_message("That interview is no longer there.", ephemeral=True)
            return
        if self.action == "edit":
            profile = await load_profile(bot.store, bot.settings, interaction.user.id, now)
            await interaction.response.send_modal(EditModal(interview, profile.tz))
        elif self.action == "delete":
            view = discord.ui.View(timeout=None)
            view.add_item(InterviewButton("delete-yes", interview.id))
            view.add_item(InterviewButton("keep", interview.id))
            await interaction.response.send_message(
                f"Delete **{inline(interview.company)}** with its notes and reminders? This can't be undone.",
                view=view,
                ephemeral=True,
            )
        elif self.action == "keep":
            await interaction.response.edit_message(content="Kept.", view=None)
        else:
            await bot.interviews.delete(interaction.user.id, interview.id)
            await interaction.response.edit_message(
                content=f"Deleted **{inline(interview.company)}** and cancelled its reminders.", view=None
            )


class InterviewWhenSelect(discord.ui.DynamicItem[discord.ui.Select], template=ids.INTERVIEW_WHEN):
    """Change when the debrief prompt of a logged interview comes."""

    def __init__(self, interview_id: int) -> None:
        super().__init__(
            discord.ui.Select(
                custom_id=f"dbf:iv:when:i{interview_id}",
                placeholder="Change when the debrief prompt comes",
                options=[
                    discord.SelectOption(label=f"{h} h after it ends", value=str(h)) for h in (1, 2, 3, 4, 6, 8, 12)
                ]
                + [discord.SelectOption(label="No prompt for this one", value="none")],
            )
        )
        self.interview_id = interview_id

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Select, match: re.Match[str]):
        return cls(int(match["interview_id"]))

    @guarded
    async def callback(self, interaction: discord.Interaction[DebriefBot]) -> None:
        bot = interaction.client
        now = bot.clock.now()
        value = (interaction.data or {}).get("values", [""])[0]  # type: ignore[union-attr]
        profile = await load_profile(bot.store, bot.settings, interaction.user.id, now)
        if value == "none":
            cancelled = await bot.interviews.cancel_prompt(interaction.user.id, self.interview_id)
            text = (
                "No debrief prompt for this one. `/debrief start` works any time."
                if cancelled
                else ("There was no prompt waiting for this one.")
            )
        elif value.isdigit() and 1 <= int(value) <= 12:
            due = await bot.interviews.move_prompt(profile, self.interview_id, timedelta(hours=int(value)))
            text = (
                f"The debrief prompt will come **{format_local(due, profile.tz, now)}**."
                if due
                else "That prompt has already gone out; `/debrief start` works any time."
            )
        else:
            raise UserError("Pick one of the options in the list.")
        await interaction.response.send_message(text, ephemeral=True)


class DraftButton(discord.ui.DynamicItem[discord.ui.Button], template=ids.DRAFT_ACTION):
    """Confirm, fix or dismiss an interview read from a message."""

    LOOKS: ClassVar[dict[str, tuple[str, discord.ButtonStyle]]] = {
        "save": ("Yes, record it", discord.ButtonStyle.primary),
        "edit": ("Fix the details", discord.ButtonStyle.secondary),
        "drop": ("Not an interview", discord.ButtonStyle.secondary),
    }

    def __init__(self, action: str, draft_id: int, *, label: str | None = None) -> None:
        default, style = self.LOOKS[action]
        super().__init__(
            discord.ui.Button(label=label or default, style=style, custom_id=ids.draft_action(action, draft_id))
        )
        self.action = action
        self.draft_id = draft_id

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str]):
        return cls(match["action"], int(match["draft_id"]))

    @guarded
    async def callback(self, interaction: discord.Interaction[DebriefBot]) -> None:
        bot = interaction.client
        now = bot.clock.now()
        draft = await bot.store.drafts.get(interaction.user.id, self.draft_id)
        if draft is None:
            await interaction.response.send_message("That one is already recorded or dismissed.", ephemeral=True)
            return
        profile = await load_profile(bot.store, bot.settings, interaction.user.id, now)
        if self.action == "edit" or (self.action == "save" and not (draft.company and draft.starts_at)):
            await interaction.response.send_modal(DraftModal(draft, profile.tz))
            return
        if self.action == "drop":
            await bot.store.drafts.delete(interaction.user.id, draft.id)
            await interaction.response.edit_message(content="Understood, nothing recorded.", view=None)
            return
        assert draft.company and draft.starts_at
        result = await bot.interviews.log(
            profile,
            company=draft.company,
            stage=draft.stage or "other",
            starts_at=draft.starts_at,
            role=draft.role,
            length_min=draft.length_min or DEFAULT_LENGTH,
            source=draft.source,
            guild_id=draft.guild_id,
            draft_id=draft.id,
        )
        await interaction.response.edit_message(
            content=logged(result, profile.tz, now, profile.zone is not None),
            view=logged_view(result.interview, result.prompt_due, now),
        )


class ZoneSelect(discord.ui.DynamicItem[discord.ui.Select], template=ids.ZONE_PICK):
    """The time-zone question on first contact; continues the draft that was waiting for it."""

    def __init__(self, draft_id: int) -> None:
        super().__init__(
            discord.ui.Select(
                custom_id=ids.zone_pick(draft_id),
                placeholder="Your time zone",
                options=[discord.SelectOption(label=label, value=value) for label, value in COMMON_ZONES],
            )
        )
        self.draft_id = draft_id

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Select, match: re.Match[str]):
        return cls(int(match["draft_id"]))

    @guarded
    async def callback(self, interaction: discord.Interaction[DebriefBot]) -> None:
        bot = interaction.client
        value = (interaction.data or {}).get("values", [""])[0]  # type: ignore[union-attr]
        if value not in {zone for _, zone in COMMON_ZONES}:
            raise UserError("Pick a zone from the list, or use `/settings timezone` to search them all.")
        now = bot.clock.now()
        await bot.store.users.ensure(interaction.user.id, now)
        await bot.store.users.set_timezone(interaction.user.id, value)
        await bot.interviews.requeue_user(interaction.user.id)
        profile = await load_profile(bot.store, bot.settings, interaction.user.id, now)
        draft = await bot.store.drafts.get(interaction.user.id, self.draft_id) if self.draft_id else None
        done = f"Time zone set to **{value}**."
        if draft is None:
            await interaction.response.edit_message(
                content=f"{done} Change it any time with `/settings timezone`.", view=None
            )
            return
        cog = bot.get_cog("Interviews")
        assert isinstance(cog, Interviews)
        content, view = await cog.continue_draft(profile, draft, now)
        await interaction.response.edit_message(content=f"{done}\n\n{content}", view=view)


class Interviews(commands.GroupCog, group_name="interview", group_description="Log and review your interviews"):
    def __init__(self, bot: DebriefBot) -> None:
        self.bot = bot
        self.notice_channels: set[int] = set()

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(InterviewButton, InterviewWhenSelect, DraftButton, ZoneSelect)
        self.bot.add_dm_handler(50, self.notice_in_dm)
        self.bot.add_dm_handler(100, self.fallback_dm)
        self.notice_channels = await self.bot.store.guilds.notice_channels()

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
        profile = await load_profile(self.bot.store, self.bot.settings, interaction.user.id, now)
        if profile.zone is None:
            draft_id = await self.bot.store.drafts.add(
                user_id=interaction.user.id,
                source="command",
                now=now,
                company=company,
                role=role,
                stage=stage,
                when_text=when,
                length_min=length,
                guild_id=interaction.guild_id,
            )
            await self.bot.store.users.mark_zone_asked(interaction.user.id, now)
            await interaction.response.send_message(
                ZONE_QUESTION, view=zone_view(draft_id), ephemeral=private(interaction)
            )
            return
        starts_at = read_when(when, profile, now)
        result = await self.bot.interviews.log(
            profile,
            company=company,
            stage=stage,
            starts_at=starts_at,
            role=role,
            length_min=length,
            guild_id=interaction.guild_id,
        )
        await interaction.response.send_message(
            logged(result, profile.tz, now, True),
            view=logged_view(result.interview, result.prompt_due, now),
            ephemeral=private(interaction),
        )

    @app_commands.command(name="list", description="Your upcoming and recent interviews")
    async def list_interviews(self, interaction: discord.Interaction) -> None:
        now = self.bot.clock.now()
        profile = await load_profile(self.bot.store, self.bot.settings, interaction.user.id, now)
        interviews = await self.bot.store.interviews.list(interaction.user.id, limit=20)
        rows = []
        for interview in interviews:
            prompt = await self.bot.store.prompts.find("debrief", interview.id)
            feedback = await self.bot.store.feedback.for_interview(interaction.user.id, interview.id)
            rows.append((interview, prompt.state if prompt else None, feedback_lines(feedback)))
        await interaction.response.send_message(
            fit(interview_list(rows, profile.tz, now)), ephemeral=private(interaction)
        )

    # -- drafts ---------------------------------------------------------------------------------

    async def continue_draft(self, profile: Profile, draft: Draft, now: datetime) -> tuple[str, discord.ui.View]:
        """After the zone is known: a command's draft is recorded, a message's draft is read and shown."""
        if draft.source == "command" and draft.company and draft.stage and draft.when_text:
            starts_at = read_when(draft.when_text, profile, now)
            result = await self.bot.interviews.log(
                profile,
                company=draft.company,
                stage=draft.stage,
                starts_at=starts_at,
                role=draft.role,
                length_min=draft.length_min or DEFAULT_LENGTH,
                guild_id=draft.guild_id,
                draft_id=draft.id,
            )
            return (
                logged(result, profile.tz, now, True),
                logged_view(result.interview, result.prompt_due, now),
            )
        noticed = notice(draft.when_text or "", now=now, tz=profile.tz)
        await self.bot.store.drafts.delete(profile.user.id, draft.id)
        if noticed is None:
            return "Tell me about an interview whenever you like, or use `/interview log`.", discord.ui.View()
        return await self._offer(profile, noticed, draft.source, draft.guild_id, now)

    async def _offer(self, profile: Profile, noticed, source: str, guild_id: int | None, now: datetime):
        company = None
        if noticed.company:
            try:
                company = clean_company(noticed.company)
            except ValueError:
                company = None
        draft_id = await self.bot.store.drafts.add(
            user_id=profile.user.id,
            source=source,
            now=now,
            company=company,
            stage=noticed.stage,
            starts_at=noticed.when,
            length_min=noticed.length // timedelta(minutes=1) if noticed.length else None,
            guild_id=guild_id,
        )
        text = draft_text(company, noticed.stage, noticed.when, profile.tz, now, noticed.finished)
        return text, draft_view(draft_id, bool(company and noticed.when))

    # -- plain DMs ------------------------------------------------------------------------------

    async def notice_in_dm(self, message: discord.Message) -> bool:
        now = self.bot.clock.now()
        profile = await load_profile(self.bot.store, self.bot.settings, message.author.id, now)
        noticed = notice(message.content, now=now, tz=profile.tz)
        if noticed is None:
            return False
        if profile.zone is None:
            draft_id = await self.bot.store.drafts.add(
                user_id=message.author.id, source="dm", now=now, when_text=message.content
            )
            await self.bot.store.users.mark_zone_asked(message.author.id, now)
            await message.channel.send(ZONE_QUESTION, view=zone_view(draft_id))
            return True
        text, view = await self._offer(profile, noticed, "dm", None, now)
        await message.channel.send(text, view=view)
        return True

    async def fallback_dm(self, message: discord.Message) -> bool:
        await message.channel.send(
            'I read DMs about interviews, like "onsite at Acme tomorrow 2pm" or "just finished my phone '
            'screen with Globex". For everything else, `/help` lists what I can do.'
        )
        return True

    # -- notice channels ------------------------------------------------------------------------

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        if message.guild is None or message.author.bot or message.channel.id not in self.notice_channels:
            return
        text = re.sub(r"<@!?\d+>", " ", message.content).strip()
        if not text:
            return  # no Message Content intent and no mention: nothing to read
        now = self.bot.clock.now()
        profile = await load_profile(self.bot.store, self.bot.settings, message.author.id, now)
        noticed = notice(text, now=now, tz=profile.tz)
        if noticed is None:
            return
        await self.bot.store.users.remember_membership(message.author.id, message.guild.id, message.channel.id, now)
        try:
            await message.add_reaction(NOTICE_REACTION)
        except discord.HTTPException:
            log.info("could not react in channel %s", message.channel.id)
        where = f"I saw your post in **#{getattr(message.channel, 'name', 'a channel')}** ({message.guild.name})."
        if profile.zone is None:
            draft_id = await self.bot.store.drafts.add(
                user_id=message.author.id, source="notice", now=now, when_text=text, guild_id=message.guild.id
            )
            content, view = f"{where} {ZONE_QUESTION}", zone_view(draft_id)
        else:
            offer, view = await self._offer(profile, noticed, "notice", message.guild.id, now)
            content = f"{where} {offer}"
        try:
            await self.bot.messenger.send(message.author.id, content=content, view=view)
        except DmsClosed:
            log.info("user %s has DMs closed; the reaction is all they get", message.author.id)


async def setup(bot: DebriefBot) -> None:
    await bot.add_cog(Interviews(bot))
