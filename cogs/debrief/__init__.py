"""The guided debrief: ``_cog.py`` (commands, the four input paths, sending), ``_components.py``
(the persistent buttons and selects), ``_views.py`` (what a step shows, its forms, the card), ``_turns.py``
(one action at a time per user)."""

from __future__ import annotations

from bot.app import DebriefBot
from cogs.debrief._cog import Debriefs


async def setup(bot: DebriefBot) -> None:
    await bot.add_cog(Debriefs(bot))
