"""Components that several cogs put on their messages but one cog answers."""

from __future__ import annotations

import discord

from bot.ui import ids


def start_debrief_button(
    interview_id: int, marker: str = "", *, label: str = "Start debrief", primary: bool = True
) -> discord.ui.Button:
    """The "Start debrief" button (on a prompt, a logged interview, a check-in). The debrief cog's
    DynamicItem answers the click by its custom id, so this is a plain button: a view made of such
    buttons is stopped before it is sent, and discord.py keeps nothing per message."""
    style = discord.ButtonStyle.primary if primary else discord.ButtonStyle.secondary
    return discord.ui.Button(label=label, style=style, custom_id=ids.debrief_start(interview_id, marker))


def persistent(view: discord.ui.View) -> discord.ui.View:
    """A view whose every component is answered by a registered DynamicItem: stopped, so discord.py
    doesn't store it per message sent."""
    view.stop()
    return view
