"""/interview list: its pages, picking one interview, and that interview's card with every action."""

from __future__ import annotations

import re
from datetime import datetime

import discord

from bot.app import DebriefBot
from bot.errors import UserError
from bot.render.interviews import LIST_TITLE, card_text, goes_now, list_page, pick_label
from bot.services.interviews import (
    NOT_YOURS,
    Entry,
    ListPage,
)
from bot.services.profile import Profile
from bot.ui import ids
from bot.ui.components import persistent, start_debrief_button
from bot.ui.errors import guarded
from bot.ui.reply import private
from cogs.interviews._components import InterviewButton, InterviewWhenSelect
from cogs.interviews._outcomes import RESULT_CHOICES, FeedbackRequestButton, record_and_reply

# -- /interview list: pages, picking one, its card ------------------------------------------------------


def list_reply(page: ListPage, profile: Profile, now: datetime) -> tuple[discord.Embed, discord.ui.View]:
    """A page of the list as an embed, with the select of its interviews and, when there are more pages,
    Previous and Next (DynamicItems carrying the page to show, so they work after a restart)."""
    description, footer = list_page(page, profile.tz, now)
    embed = discord.Embed(title=LIST_TITLE, description=description)
    if footer:
        embed.set_footer(text=footer)
    view = discord.ui.View(timeout=None)
    if page.entries:
        view.add_item(
            ListPickSelect(
                page.page, [(e.interview.id, pick_label(e.interview, profile.tz, now)) for e in page.entries]
            )
        )
    if page.pages > 1:
        view.add_item(ListPageButton("prev", max(page.page - 1, 0), disabled=page.page == 0))
        view.add_item(ListPageButton("next", min(page.page + 1, page.pages - 1), disabled=page.page >= page.pages - 1))
    return embed, persistent(view)


def card_view(entry: Entry, now: datetime) -> discord.ui.View:
    """Every action on one interview: change the prompt's time (only while it waits), the outcome (once
    it has started), Debrief now and a feedback request (once it has ended), Edit, Delete."""
    interview = entry.interview
    view = discord.ui.View(timeout=None)
    if entry.prompt_due is not None and not goes_now(entry.prompt_due, now):
        view.add_item(InterviewWhenSelect(interview.id))
    if interview.starts_at <= now:
        view.add_item(OutcomeSelect(interview.id))
    if interview.ends_at <= now:
        view.add_item(start_debrief_button(interview.id, label="Debrief now"))
    view.add_item(InterviewButton("edit", interview.id))
    view.add_item(InterviewButton("delete", interview.id))
    if interview.ends_at <= now:
        view.add_item(FeedbackRequestButton(interview.id))
    return persistent(view)


class ListPageButton(discord.ui.DynamicItem[discord.ui.Button], template=ids.LIST_PAGE):
    """Previous or Next on the list: shows that page of the clicker's own interviews."""

    def __init__(self, direction: str, page: int, *, disabled: bool = False) -> None:
        super().__init__(
            discord.ui.Button(
                label="Previous" if direction == "prev" else "Next",
                style=discord.ButtonStyle.secondary,
                custom_id=ids.list_page(direction, page),
                disabled=disabled,
            )
        )
        self.page = page

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str]):
        return cls(match["direction"], int(match["page"]))

    @guarded
    async def callback(self, interaction: discord.Interaction[DebriefBot]) -> None:
        bot = interaction.client
        now = bot.clock.now()
        profile = await bot.services.settings.profile(interaction.user.id)
        page = await bot.services.interviews.page(interaction.user.id, self.page)
        embed, view = list_reply(page, profile, now)
        await interaction.response.edit_message(embed=embed, view=view)


class ListPickSelect(discord.ui.DynamicItem[discord.ui.Select], template=ids.LIST_PICK):
    """The select of a page's interviews: the chosen one's card, with every action. The value is an
    interview id, checked to be the clicker's own."""

    def __init__(self, page: int, choices: list[tuple[int, str]] | None = None) -> None:
        super().__init__(
            discord.ui.Select(
                custom_id=ids.list_pick(page),
                placeholder="Open an interview: edit, delete, debrief, outcome",
                options=[discord.SelectOption(label=label, value=str(iid)) for iid, label in choices or []]
                or [discord.SelectOption(label="-", value="0")],
            )
        )
        self.page = page

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Select, match: re.Match[str]):
        return cls(int(match["page"]))

    @guarded
    async def callback(self, interaction: discord.Interaction[DebriefBot]) -> None:
        bot = interaction.client
        value = ((interaction.data or {}).get("values") or [""])[0]  # type: ignore[union-attr]
        if not value.isdigit():
            raise UserError(NOT_YOURS)
        now = bot.clock.now()
        profile = await bot.services.settings.profile(interaction.user.id)
        entry = await bot.services.interviews.entry(interaction.user.id, int(value))
        await interaction.response.send_message(
            card_text(entry, profile.tz, now), view=card_view(entry, now), ephemeral=private(interaction)
        )


class OutcomeSelect(discord.ui.DynamicItem[discord.ui.Select], template=ids.INTERVIEW_OUTCOME):
    """Record the outcome from an interview's card (as ``/interview outcome`` does)."""

    def __init__(self, interview_id: int) -> None:
        super().__init__(
            discord.ui.Select(
                custom_id=ids.interview_outcome(interview_id),
                placeholder="Record the outcome",
                options=[discord.SelectOption(label=c.name, value=c.value) for c in RESULT_CHOICES],
            )
        )
        self.interview_id = interview_id

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Select, match: re.Match[str]):
        return cls(int(match["interview_id"]))

    @guarded
    async def callback(self, interaction: discord.Interaction[DebriefBot]) -> None:
        value = ((interaction.data or {}).get("values") or [""])[0]  # type: ignore[union-attr]
        if value not in {c.value for c in RESULT_CHOICES}:
            raise UserError("Pick one of the outcomes in the list.")
        await record_and_reply(interaction.client, interaction, self.interview_id, value, edit_source=False)
