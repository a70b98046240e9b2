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


def make_focus_button(interview_id: int) -> discord.ui.Button:
    """ "Make it a focus" under a finished debrief whose one thing did not become the focus. The focus
    cog's DynamicItem answers the click by its custom id."""
    return discord.ui.Button(
        label="Make it a focus", style=discord.ButtonStyle.primary, custom_id=ids.focus_from_debrief(interview_id)
    )


def persistent(view: discord.ui.View) -> discord.ui.View:
    """A view whose every component is answered by a registered DynamicItem: stopped, so discord.py
    doesn't store it per message sent."""
    view.stop()
    return view
