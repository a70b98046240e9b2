"""Forms that keep what was typed: every field is read, every bad one reported at once, and the reply's
**Fix the form** button re-opens the same form filled in with what the user typed.

What was typed lives in memory for as long as Discord keeps a form's interaction worth answering
(:data:`REOPEN_TIMEOUT`); after a restart, or later, the button says so and offers the form afresh.
"""

from __future__ import annotations

import re
import secrets
import time
import weakref
from collections.abc import Callable
from typing import Any

import discord

from bot.errors import UserError
from bot.render.limits import clip
from bot.render.safe import inline
from bot.ui import ids
from bot.ui.errors import is_user_error
from bot.ui.reply import send_ephemeral

#: How long the "Fix the form" button keeps what was typed (Discord's follow-up window for an interaction).
REOPEN_TIMEOUT = 15 * 60
#: Forms with errors kept per user (the oldest goes first).
KEPT_PER_USER = 5
FIX_LABEL = "Fix the form"
OPEN_LABEL = "Open the form"
FORM_LOST = (
    f"I've restarted since, or it's been over 15 minutes, so I no longer have what you typed in that form. "
    f"Press **{OPEN_LABEL}** to fill it in again."
)


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


class _Typed:
    """What was typed into this process's forms that came back with errors, by the token their **Fix the
    form** button carries: kept for :data:`REOPEN_TIMEOUT`, at most :data:`KEPT_PER_USER` per user (one
    person's many bad submissions drop their own oldest, never anyone else's). Memory only: after a
    restart, or later, the button's click gets :data:`FORM_LOST` and a button opening the form afresh."""

    def __init__(self) -> None:
        self._kept: dict[str, tuple[float, int, Callable[[], discord.ui.Modal]]] = {}

    def keep(self, user_id: int, reopen: Callable[[], discord.ui.Modal]) -> str:
        now = time.monotonic()
        for token in [t for t, (until, _, _) in self._kept.items() if until <= now]:
            del self._kept[token]
        mine = [t for t, (_, owner, _) in self._kept.items() if owner == user_id]
        for token in mine[: max(len(mine) - KEPT_PER_USER + 1, 0)]:  # (insertion order: oldest first)
            del self._kept[token]
        token = secrets.token_hex(4)
        while token in self._kept:  # 32 bits shared by every user: a clash must not replace someone's form
            token = secrets.token_hex(4)
        self._kept[token] = (now + REOPEN_TIMEOUT, user_id, reopen)
        return token

    def get(self, token: str, user_id: int) -> Callable[[], discord.ui.Modal] | None:
        kept = self._kept.get(token)
        if kept is None or kept[1] != user_id or kept[0] <= time.monotonic():
            return None
        return kept[2]


#: One per running bot (a restarted bot starts with none, as a new process does).
_TYPED: weakref.WeakKeyDictionary[discord.Client, _Typed] = weakref.WeakKeyDictionary()


def _typed(client: discord.Client) -> _Typed:
    return _TYPED.setdefault(client, _Typed())


class FixFormButton(discord.ui.DynamicItem[discord.ui.Button], template=ids.FIX_FORM):
    """**Fix the form**: re-opens the form as typed while this process holds it; otherwise says so and
    offers the form afresh through ``opener`` (the custom id of the button that opens it in the first
    place, answered by its own cog, which checks again that it is the user's and still there)."""

    def __init__(self, token: str, opener: str) -> None:
        super().__init__(
            discord.ui.Button(label=FIX_LABEL, style=discord.ButtonStyle.primary, custom_id=ids.fix_form(token, opener))
        )
        self.token = token
        self.opener = opener

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str]):
        return cls(match["token"], match["opener"])

    async def callback(self, interaction: discord.Interaction) -> None:  # type: ignore[override]
        reopen = _typed(interaction.client).get(self.token, interaction.user.id)
        if reopen is not None:
            await interaction.response.send_modal(reopen())
            return
        view = discord.ui.View(timeout=None)
        view.add_item(discord.ui.Button(label=OPEN_LABEL, style=discord.ButtonStyle.primary, custom_id=self.opener))
        view.stop()  # answered by the opener's own DynamicItem: nothing kept per message
        await send_ephemeral(interaction, FORM_LOST, view=view)


def reopen_view(
    interaction: discord.Interaction, reopen: Callable[[], discord.ui.Modal], opener: str
) -> discord.ui.View:
    """A **Fix the form** button that re-opens ``reopen()`` (for the interaction's user only); ``opener`` is
    the custom id of the button that opens the form afresh (offered when what was typed is no longer held)."""
    view = discord.ui.View(timeout=None)
    view.add_item(FixFormButton(_typed(interaction.client).keep(interaction.user.id, reopen), opener))
    view.stop()
    return view


async def report_field_errors(
    interaction: discord.Interaction, errors: FieldErrors, reopen: Callable[[], discord.ui.Modal], opener: str
) -> None:
    """Answer a form's submission with every bad field and a button that re-opens it as typed."""
    await interaction.response.send_message(str(errors), view=reopen_view(interaction, reopen, opener), ephemeral=True)
