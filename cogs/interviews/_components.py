"""The components of the interview area: the logged interview's buttons and select, the draft's
buttons, the first-contact zone select, and the forms to fix an interview's details."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import ClassVar
from zoneinfo import ZoneInfo

import discord
from discord import app_commands

from bot.app import DebriefBot
from bot.coach.stages import STAGES, stage_label, stage_named
from bot.coach.text import clean_company, clean_role
from bot.coach.when import format_local, parse_when
from bot.errors import UserError
from bot.render.interviews import draft_text, goes_now, logged
from bot.render.privacy import forget_interview_preview, interview_forgotten
from bot.render.safe import inline
from bot.services import Draft, Interview
from bot.services.interviews import (
    DEFAULT_LENGTH,
    DRAFT_GONE,
    MAX_LENGTH,
    MIN_LENGTH,
    NOT_AN_INTERVIEW,
    Logged,
    Offer,
)
from bot.services.profile import Profile
from bot.ui import ids
from bot.ui.components import persistent, start_debrief_button
from bot.ui.errors import answer_error, guarded
from bot.ui.reply import private, send_ephemeral

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
    """Made of DynamicItems only, so discord.py keeps nothing in memory per message sent. The menu to
    change the prompt's time is there only while the prompt waits (not when it is going out now)."""
    view = discord.ui.View(timeout=None)
    if prompt_due is not None and not goes_now(prompt_due, now):
        view.add_item(InterviewWhenSelect(interview.id))
    if interview.ends_at <= now:
        view.add_item(start_debrief_button(interview.id, label="Debrief now"))
    view.add_item(InterviewButton("edit", interview.id))
    view.add_item(InterviewButton("delete", interview.id))
    view.add_item(InterviewButton("forget", interview.id))
    return persistent(view)


def offer_reply(offer: Offer, profile: Profile, now: datetime) -> tuple[str, discord.ui.View]:
    """An interview read from a message, shown for the user to confirm, fix or dismiss."""
    text = draft_text(
        offer.company,
        offer.stage,
        offer.when,
        profile.tz,
        now,
        offer.finished,
        tomorrow=offer.tomorrow,
        question=offer.question,
    )
    if offer.tomorrow is not None and offer.when is not None:
        return text, draft_view(
            offer.draft_id,
            offer.can_save,
            later=f"Tomorrow {offer.tomorrow.astimezone(profile.tz):%H:%M}",
            today=f"Yes, today {offer.when.astimezone(profile.tz):%H:%M}",
        )
    return text, draft_view(offer.draft_id, offer.can_save)


def continued_reply(result: Logged | Offer | str, profile: Profile, now: datetime) -> tuple[str, discord.ui.View]:
    """What follows the zone question: the interview recorded, the draft offered, or nothing to record."""
    if isinstance(result, Logged):
        return logged(result, profile.tz, now, True), logged_view(result.interview, result.prompt_due, now)
    if isinstance(result, Offer):
        return offer_reply(result, profile, now)
    assert result == NOT_AN_INTERVIEW
    return "Tell me about an interview whenever you like, or use `/interview log`.", discord.ui.View()


def draft_view(draft_id: int, can_save: bool, *, later: str | None = None, today: str | None = None) -> discord.ui.View:
    """Save, fix or drop a draft; with ``later``, first a button that records it a day later (the user
    meant tomorrow), and ``today`` as the save button's label."""
    view = discord.ui.View(timeout=None)
    if can_save and later:
        view.add_item(DraftButton("later", draft_id, label=later))
    if can_save:
        view.add_item(DraftButton("save", draft_id, label=today))
    view.add_item(DraftButton("edit", draft_id, label="Fix the details" if can_save else "Add the details"))
    view.add_item(DraftButton("drop", draft_id))
    return persistent(view)


def zone_view(draft_id: int | None) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(ZoneSelect(draft_id or 0))
    return persistent(view)


def read_when(text: str, profile: Profile, now: datetime) -> datetime:
    return parse_when(text, now=now, tz=profile.tz)


def read_stage(text: str) -> str:
    stage = stage_named(text)
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
        profile = await bot.services.settings.profile(interaction.user.id)
        company, role, stage, starts_at, length = self.read(profile, now)
        result = await bot.services.interviews.edit(
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
        profile = await bot.services.settings.profile(interaction.user.id)
        draft = await bot.services.interviews.draft(interaction.user.id, self.draft_id)
        if draft is None:
            await send_ephemeral(interaction, DRAFT_GONE)
            return
        company, role, stage, starts_at, length = self.read(profile, now)
        result = await bot.services.interviews.log(
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
        "forget": ("Forget", discord.ButtonStyle.secondary),
        "forget-yes": ("Forget it", discord.ButtonStyle.danger),
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
        interview = await bot.services.interviews.find(interaction.user.id, self.interview_id)
        if interview is None:
            await send_ephemeral(interaction, "That interview is no longer there.")
            return
        if self.action == "edit":
            profile = await bot.services.settings.profile(interaction.user.id)
            await interaction.response.send_modal(EditModal(interview, profile.tz))
        elif self.action == "delete":
            view = discord.ui.View(timeout=None)
            view.add_item(InterviewButton("delete-yes", interview.id))
            view.add_item(InterviewButton("keep", interview.id))
            persistent(view)
            await interaction.response.send_message(
                f"Delete **{inline(interview.company)}** with its notes and reminders? This can't be undone.",
                view=view,
                ephemeral=True,
            )
        elif self.action == "keep":
            await interaction.response.edit_message(content="Kept.", view=None)
        elif self.action == "forget":
            view = discord.ui.View(timeout=None)
            view.add_item(InterviewButton("forget-yes", interview.id))
            view.add_item(InterviewButton("keep", interview.id))
            persistent(view)
            text = forget_interview_preview(inline(interview.company))
            await interaction.response.send_message(text, view=view, ephemeral=True)
        elif self.action == "forget-yes":
            counts = await bot.services.privacy.forget_interview(interaction.user.id, interview.id)
            text = interview_forgotten(inline(interview.company), counts)
            await interaction.response.edit_message(content=text, view=None)
        else:
            await bot.services.interviews.delete(interaction.user.id, interview.id)
            await interaction.response.edit_message(
                content=f"Deleted **{inline(interview.company)}** and cancelled its reminders.", view=None
            )


class InterviewWhenSelect(discord.ui.DynamicItem[discord.ui.Select], template=ids.INTERVIEW_WHEN):
    """Change when the debrief prompt of a logged interview comes."""

    def __init__(self, interview_id: int) -> None:
        super().__init__(
            discord.ui.Select(
                custom_id=ids.interview_when(interview_id),
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
        profile = await bot.services.settings.profile(interaction.user.id)
        if value == "none":
            cancelled = await bot.services.interviews.cancel_prompt(interaction.user.id, self.interview_id)
            text = (
                "No debrief prompt for this one. `/debrief start` works any time."
                if cancelled
                else ("There was no prompt waiting for this one.")
            )
        elif value.isdigit() and 1 <= int(value) <= 12:
            due = await bot.services.interviews.move_prompt(profile, self.interview_id, timedelta(hours=int(value)))
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
        "later": ("Tomorrow", discord.ButtonStyle.primary),
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
        interviews = bot.services.interviews
        draft = await interviews.draft(interaction.user.id, self.draft_id)
        if draft is None:
            await send_ephemeral(interaction, DRAFT_GONE)
            return
        profile = await bot.services.settings.profile(interaction.user.id)
        if self.action == "edit" or (self.action in ("save", "later") and not (draft.company and draft.starts_at)):
            await interaction.response.send_modal(DraftModal(draft, profile.tz))
            return
        if self.action == "drop":
            await interviews.drop_draft(interaction.user.id, draft.id)
            await interaction.response.edit_message(content="Understood, nothing recorded.", view=None)
            return
        result = await interviews.save_draft(profile, draft, next_day=self.action == "later")
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
        profile = await bot.services.settings.set_zone(interaction.user.id, value)
        draft = await bot.services.interviews.draft(interaction.user.id, self.draft_id)
        done = f"Time zone set to **{value}**."
        if draft is None:
            await interaction.response.edit_message(
                content=f"{done} Change it any time with `/settings timezone`.", view=None
            )
            return
        result = await bot.services.interviews.continue_draft(profile, draft)
        content, view = continued_reply(result, profile, now)
        await interaction.response.edit_message(content=f"{done}\n\n{content}", view=view)
