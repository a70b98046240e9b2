"""Forms that keep what was typed: every field is read, every bad one reported at once, and the reply's
**Fix the form** button re-opens the same form filled in with what the user typed.

The re-opened form lives in memory for as long as Discord keeps a form's interaction worth answering
(:data:`REOPEN_TIMEOUT`); after a restart the button says to open the form again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import discord

from bot.errors import UserError
from bot.render.limits import clip
from bot.render.safe import inline
from bot.ui.errors import is_user_error

#: How long the "Fix the form" button works (Discord's follow-up window for an interaction).
REOPEN_TIMEOUT = 15 * 60
FIX_LABEL = "Fix the form"


class FieldErrors(UserError):
    """Some fields of a form can't be read: ``errors`` maps each bad field's label to why."""

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = errors
        super().__init__(fields_message(errors))


def fields_message(errors: dict[str, str]) -> str:
    count = len(errors)
    head = f"{count} field needs fixing" if count == 1 else f"{count} fields need fixing"
    lines = [f"{head}; nothing was saved, and the form keeps everything you typed:"]
    lines += [f"- **{inline(label)}**: {clip(why, 300)}" for label, why in errors.items()]
    lines.append(f"Press **{FIX_LABEL}** to correct {'it' if count == 1 else 'them'}.")
    return "\n".join(lines)


def read_fields(readers: dict[str, Callable[[], Any]]) -> dict[str, Any]:
    """Run every field's reader (label -> reader); the values by label, or :class:`FieldErrors` naming
    every field whose reader refused its text (with the reader's own message)."""
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for label, reader in readers.items():
        try:
            values[label] = reader()
        except (UserError, ValueError) as error:
            if not is_user_error(error):
                raise
            errors[label] = str(error)
    if errors:
        raise FieldErrors(errors)
    return values


class _Reopen(discord.ui.View):
    def __init__(self, reopen: Callable[[], discord.ui.Modal], user_id: int) -> None:
        super().__init__(timeout=REOPEN_TIMEOUT)
        self.reopen = reopen
        self.user_id = user_id

    async def interaction_check(self, interaction: discord.Interaction) -> bool:  # type: ignore[override]
        return interaction.user.id == self.user_id

    @discord.ui.button(label=FIX_LABEL, style=discord.ButtonStyle.primary)
    async def fix(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        await interaction.response.send_modal(self.reopen())


def reopen_view(reopen: Callable[[], discord.ui.Modal], user_id: int) -> discord.ui.View:
    """A **Fix the form** button that re-opens ``reopen()`` (for ``user_id`` only)."""
    return _Reopen(reopen, user_id)


async def report_field_errors(
    interaction: discord.Interaction, errors: FieldErrors, reopen: Callable[[], discord.ui.Modal]
) -> None:
    """Answer a form's submission with every bad field and a button that re-opens it as typed."""
    await interaction.response.send_message(str(errors), view=_Reopen(reopen, interaction.user.id), ephemeral=True)
