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
from bot.coach.zone_names import COMMON_ZONES
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
from bot.ui.errors import MAYBE_PARTLY_SAVED_ZONE, answer_error, guarded
from bot.ui.first import clicked_first, edit_clicked
from bot.ui.forms import FieldErrors, read_fields, report_field_errors
from bot.ui.reply import private, send_ephemeral

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


def cancellation_view(interview: Interview) -> discord.ui.View:
    """A calendar cancellation of a recorded interview: remove it (as /interview delete does) or keep it."""
    view = discord.ui.View(timeout=None)
    view.add_item(InterviewButton("remove", interview.id))
    view.add_item(InterviewButton("keep", interview.id))
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
    if not raw.isdigit() or not MIN_LENGTH <= int(raw) <= MAX_LENGTH:
        raise UserError(f"Length is a number of minutes, between {MIN_LENGTH} and {MAX_LENGTH}.")
    return int(raw)


#: What a form's fields hold, by name: company, when, stage, role, length (all as typed).
Typed = dict[str, str]
#: Each field's label (the name a bad field is reported by).
LABELS = {
    "company": "Company",
    "when": "When (your time)",
    "stage": "Stage",
    "role": "Role (optional)",
    "length": "Length in minutes",
}


class InterviewModal(discord.ui.Modal):
    """Company, role, when, stage, length: for editing an interview or fixing a draft. Every field is
    read; a submission with bad fields is answered with all of them and a button that re-opens the form
    with what was typed (:meth:`reopened`)."""

    opener: str  # the custom id of the button that opens this form afresh

    def __init__(self, title: str, typed: Typed) -> None:
        super().__init__(title=title, timeout=900)
        self.company = discord.ui.TextInput(
            label=LABELS["company"], default=typed.get("company") or None, max_length=100
        )
        self.when = discord.ui.TextInput(
            label=LABELS["when"],
            default=typed.get("when") or None,
            max_length=100,
            placeholder="e.g. Thu 3pm, tomorrow 10:30, 2 hours ago",
        )
        self.stage = discord.ui.TextInput(
            label=LABELS["stage"],
            default=typed.get("stage") or None,
            max_length=40,
            placeholder="technical, onsite, recruiter screen, ...",
        )
        self.role = discord.ui.TextInput(
            label=LABELS["role"], default=typed.get("role") or None, required=False, max_length=100
        )
        self.length = discord.ui.TextInput(
            label=LABELS["length"], default=typed.get("length") or None, max_length=4, required=False
        )
        for item in (self.company, self.when, self.stage, self.role, self.length):
            self.add_item(item)

    def typed(self) -> Typed:
        return {
            "company": self.company.value,
            "when": self.when.value,
            "stage": self.stage.value,
            "role": self.role.value,
            "length": self.length.value,
        }

    def reopened(self) -> InterviewModal:
        """The same form again, filled in with what was typed."""
        raise NotImplementedError

    def read(self, profile: Profile, now: datetime) -> tuple[str, str | None, str, datetime, int]:
        """Every field read; :class:`FieldErrors` names every one that can't be."""
        fields = read_fields(
            {
                LABELS["company"]: lambda: clean_company(self.company.value),
                LABELS["when"]: lambda: read_when(self.when.value, profile, now),
                LABELS["stage"]: lambda: read_stage(self.stage.value),
                LABELS["role"]: lambda: clean_role(self.role.value) if self.role.value.strip() else None,
                LABELS["length"]: lambda: read_length(self.length.value),
            }
        )
        company, when, stage, role, length = fields.values()
        return company, role, stage, when, length

    async def on_error(self, interaction: discord.Interaction, error: Exception) -> None:
        if isinstance(error, FieldErrors):
            await report_field_errors(interaction, error, self.reopened, self.opener)
            return
        await answer_error(interaction, error)


class EditModal(InterviewModal):
    def __init__(self, interview_id: int, typed: Typed) -> None:
        super().__init__("Edit interview", typed)
        self.interview_id = interview_id
        self.opener = ids.interview_action("edit", interview_id)

    @classmethod
    def of(cls, interview: Interview, tz: ZoneInfo) -> EditModal:
        local = interview.starts_at.astimezone(tz)
        return cls(
            interview.id,
            {
                "company": interview.company,
                "role": interview.role or "",
                "when": f"{local:%Y-%m-%d %H:%M}",
                "stage": stage_label(interview.stage),
                "length": str(interview.length_min),
            },
        )

    def reopened(self) -> EditModal:
        return EditModal(self.interview_id, self.typed())

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
    def __init__(self, draft_id: int, typed: Typed) -> None:
        super().__init__("Interview details", typed)
        self.draft_id = draft_id
        self.opener = ids.draft_action("edit", draft_id)

    @classmethod
    def of(cls, draft: Draft, tz: ZoneInfo) -> DraftModal:
        return cls(
            draft.id,
            {
                "company": draft.company or "",
                "role": draft.role or "",
                "when": f"{draft.starts_at.astimezone(tz):%Y-%m-%d %H:%M}" if draft.starts_at else "",
                "stage": stage_label(draft.stage) if draft.stage else "",
                "length": str(draft.length_min or DEFAULT_LENGTH),
            },
        )

    def reopened(self) -> DraftModal:
        return DraftModal(self.draft_id, self.typed())

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
            ical_uid=draft.ical_uid,
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
        "remove": ("Remove it", discord.ButtonStyle.danger),  # on a calendar cancellation: as "Delete it"
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
            await interaction.response.send_modal(EditModal.of(interview, profile.tz))
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
            await interaction.response.edit_message(
                content=f"Kept **{inline(interview.company)}**; nothing changed.", view=None
            )
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
            await interaction.response.send_modal(DraftModal.of(draft, profile.tz))  # a form can't follow an answer
            return
        async with clicked_first(interaction):  # answered first (issue 15): the buttons off, then the write
            if self.action == "drop":
                await interviews.drop_draft(interaction.user.id, draft.id)
            else:
                result = await interviews.save_draft(profile, draft, next_day=self.action == "later")
        if self.action == "drop":
            await edit_clicked(interaction, content="Understood, nothing recorded.", view=None)
            return
        content = logged(result, profile.tz, now, profile.zone is not None)
        await edit_clicked(interaction, content=content, view=logged_view(result.interview, result.prompt_due, now))


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
        done = f"Time zone set to **{value}**."
        # Answered first (issue 15). Two writes (the zone, the draft): a failure may keep the zone, so "may not".
        async with clicked_first(interaction, unsaved_text=MAYBE_PARTLY_SAVED_ZONE):
            profile = await bot.services.settings.set_zone(interaction.user.id, value)
            draft = await bot.services.interviews.draft(interaction.user.id, self.draft_id)
            result = None if draft is None else await bot.services.interviews.continue_draft(profile, draft)
        if result is None:
            await edit_clicked(interaction, content=f"{done} Change it any time with `/settings timezone`.", view=None)
            return
        content, view = continued_reply(result, profile, now)
        await edit_clicked(interaction, content=f"{done}\n\n{content}", view=view)
