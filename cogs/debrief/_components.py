"""The debrief's persistent components. Each carries its whole state in its custom id (see
:mod:`bot.ui.ids`), so a step's buttons keep working after a restart; each hands its click to the cog."""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING

import discord

from bot.app import DebriefBot
from bot.coach.script import TOPICS
from bot.render import debrief as text
from bot.ui import ids
from bot.ui.errors import guarded
from cogs.debrief._actions import Action, acks_first

if TYPE_CHECKING:
    from cogs.debrief._cog import Debriefs

MODAL_TIMEOUT = 30 * 60  # the form's object only; a later submission is still read by the listener


class StepModal(discord.ui.Modal):
    """A step's form. Submissions are handled by :meth:`Debriefs.on_interaction` (they may come after a
    restart, when this object is long gone), so ``on_submit`` does nothing."""

    def __init__(self, title: str, custom_id: str) -> None:
        super().__init__(title=title[:45], custom_id=custom_id, timeout=MODAL_TIMEOUT)


def cog_of(interaction: discord.Interaction) -> Debriefs:
    """The debrief cog, which answers every component of the debrief (one per bot, loaded with them)."""
    return interaction.client.get_cog("Debriefs")  # type: ignore[union-attr,return-value]


class StartButton(discord.ui.DynamicItem[discord.ui.Button], template=ids.DEBRIEF_START):
    """ "Start debrief" on the prompt DM and "Debrief now" on a logged interview."""

    def __init__(self, interview_id: int, from_prompt: bool, custom_id: str) -> None:
        super().__init__(discord.ui.Button(label="Start debrief", custom_id=custom_id))
        self.interview_id = interview_id
        self.from_prompt = from_prompt

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str]):
        return cls(int(match["interview_id"]), match["prompt_id"] is not None, item.custom_id or "")

    @guarded
    async def callback(self, interaction: discord.Interaction[DebriefBot]) -> None:
        cog = cog_of(interaction)
        first = functools.partial(cog.ack_start, interaction, self.from_prompt)
        async with cog.click_turn(interaction, True, first):  # answered first, see ack_start
            await cog.start_from_button(interaction, self.interview_id, self.from_prompt)


class StepButton(discord.ui.DynamicItem[discord.ui.Button], template=ids.STEP_BUTTON):
    """Every button of a step: answer, open a form, skip, go on, go back."""

    def __init__(
        self,
        action: str,
        debrief_id: int,
        index: int,
        value: str | None,
        edit: bool,
        *,
        label: str = "-",
        style: discord.ButtonStyle = discord.ButtonStyle.secondary,
        row: int | None = None,
    ) -> None:
        custom_id = ids.step_button(action, debrief_id, index, value, edit)
        super().__init__(discord.ui.Button(label=label, style=style, custom_id=custom_id), row=row)
        self.action = action
        self.debrief_id = debrief_id
        self.index = index
        self.value = value
        self.edit = edit

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str]):
        return cls(
            match["action"],
            int(match["debrief_id"]),
            int(match["index"]),
            match["value"],
            bool(match["edit"]),
            label=item.label or "-",
            style=item.style,
        )

    @guarded
    async def callback(self, interaction: discord.Interaction[DebriefBot]) -> None:
        cog = cog_of(interaction)
        action = Action("button", self.action, self.debrief_id, self.index, self.edit, self.value)
        async with cog.click_turn(interaction, acks_first(action)):
            await cog.apply(interaction, action)


class TopicsSelect(discord.ui.DynamicItem[discord.ui.Select], template=ids.TOPICS_SELECT):
    """The topics of a step, several at once."""

    def __init__(self, debrief_id: int, index: int, edit: bool, *, chosen: set[str] | None = None) -> None:
        chosen = chosen or set()
        options = [discord.SelectOption(label=t.label, value=t.key, default=t.key in chosen) for t in TOPICS]
        super().__init__(
            discord.ui.Select(
                custom_id=ids.topics_select(debrief_id, index, edit),
                placeholder=text.TOPICS_PLACEHOLDER,
                min_values=1,
                max_values=len(options),
                options=options,
            ),
            row=0,
        )
        self.debrief_id = debrief_id
        self.index = index
        self.edit = edit

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Select, match: re.Match[str]):
        return cls(int(match["debrief_id"]), int(match["index"]), bool(match["edit"]))

    @guarded
    async def callback(self, interaction: discord.Interaction[DebriefBot]) -> None:
        values = list((interaction.data or {}).get("values", []))  # type: ignore[union-attr]
        cog = cog_of(interaction)
        action = Action("select", "topics", self.debrief_id, self.index, self.edit, chosen=values)
        async with cog.click_turn(interaction, acks_first(action)):
            await cog.apply(interaction, action)


class ChoiceButton(discord.ui.DynamicItem[discord.ui.Button], template=ids.CHOICE_BUTTON):
    """Another debrief is open: continue it, or set it aside and start the new one."""

    def __init__(
        self,
        action: str,
        debrief_id: int,
        interview_id: int,
        *,
        label: str = "-",
        style: discord.ButtonStyle = discord.ButtonStyle.secondary,
    ) -> None:
        super().__init__(
            discord.ui.Button(label=label, style=style, custom_id=ids.choice_button(action, debrief_id, interview_id))
        )
        self.action = action
        self.debrief_id = debrief_id
        self.interview_id = interview_id

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str]):
        return cls(match["action"], int(match["debrief_id"]), int(match["interview_id"]))

    @guarded
    async def callback(self, interaction: discord.Interaction[DebriefBot]) -> None:
        cog = cog_of(interaction)
        async with cog.click_turn(interaction, True):  # answered first (see on_choice)
            await cog.on_choice(interaction, self)


class ReportAnswerButton(discord.ui.DynamicItem[discord.ui.Button], template=ids.REPORT_ANSWER):
    """A DM typed during a debrief read like a new interview: "it was my answer to this step after all"."""

    def __init__(self, debrief_id: int, index: int, draft_id: int, *, label: str = "-") -> None:
        super().__init__(
            discord.ui.Button(
                label=label,
                style=discord.ButtonStyle.secondary,
                custom_id=ids.report_answer(debrief_id, index, draft_id),
            )
        )
        self.debrief_id = debrief_id
        self.index = index
        self.draft_id = draft_id

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str]):
        return cls(int(match["debrief_id"]), int(match["index"]), int(match["draft_id"]), label=item.label or "-")

    @guarded
    async def callback(self, interaction: discord.Interaction[DebriefBot]) -> None:
        cog = cog_of(interaction)
        async with cog.click_turn(interaction, False):
            await cog.answer_report(interaction, self.debrief_id, self.index, self.draft_id)
