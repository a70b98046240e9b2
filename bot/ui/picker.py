"""The interview picker: one ``app_commands.Transformer`` for every option that names one of the
user's own interviews. It autocompletes from their interviews and turns the choice into the
:class:`~bot.store.Interview`, refusing anything that isn't theirs, in this one place."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands

from bot.coach.stages import stage_label
from bot.coach.when import format_local
from bot.errors import UserError

if TYPE_CHECKING:
    from bot.services import Services
    from bot.store import Interview

NOT_CHOSEN = "Pick the interview from the list that appears as you type."
NOT_YOURS = "I can't find that interview among yours. Pick one from the list that appears as you type."


def services_of(interaction: discord.Interaction) -> Services:
    return interaction.client.services  # type: ignore[attr-defined]


#: Row ids are SQLite integers: 64-bit, signed.
MAX_ID = 2**63 - 1


def typed_id(value: Any) -> int:
    """An id as the bot wrote it: ASCII digits only (``str.isdigit`` and ``int`` also take "١٢" or
    "１", which would name another row) and within the store's integers; else the picker's message."""
    raw = str(value).strip()
    if not (raw.isascii() and raw.isdigit()) or len(raw) > len(str(MAX_ID)) or int(raw) > MAX_ID:
        raise UserError(NOT_CHOSEN)
    return int(raw)


class InterviewPicker(app_commands.Transformer):
    async def transform(self, interaction: discord.Interaction, value: Any) -> Interview:
        interview = await services_of(interaction).interviews.find(interaction.user.id, typed_id(value))
        if interview is None:
            raise UserError(NOT_YOURS)
        return interview

    async def autocomplete(self, interaction: discord.Interaction, value: Any) -> list[app_commands.Choice[str]]:
        """The user's own interviews whose company or role matches what they typed."""
        services = services_of(interaction)
        tz, found = await services.interviews.search(interaction.user.id, str(value), limit=25)
        now = services.interviews.clock.now()
        return [
            app_commands.Choice(
                name=f"{i.company} — {stage_label(i.stage)}, {format_local(i.starts_at, tz, now)}"[:100],
                value=str(i.id),
            )
            for i in found
        ]


#: The annotation of an interview option: ``interview: PickedInterview``.
PickedInterview = app_commands.Transform["Interview", InterviewPicker]
