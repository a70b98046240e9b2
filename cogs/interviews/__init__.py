"""The interview area: logging and listing interviews, reading them from DMs and notice channels,
outcomes, and the check-in and ghosting nudge that follow them.

- ``_cog.py`` — the ``/interview`` commands and the DM and notice-channel readers;
- ``_components.py`` — the persistent buttons, selects and forms of logged interviews and drafts;
- ``_invites.py`` — calendar invites (``.ics`` files) sent in a DM, offered with the draft buttons;
- ``_list.py`` — ``/interview list``: its pages, picking one interview, and that interview's card;
- ``_outcomes.py`` — recording an outcome, and the check-in and ghosting-nudge senders with their buttons;
- ``_noticed_outcomes.py`` — outcomes told in plain words ("Heard back from Acme, it's a no");
- ``_context_menu.py`` — the message command "Log as interview", which reads any message like a DM.
"""

from __future__ import annotations

from bot.app import DebriefBot
from cogs.interviews._cog import Interviews
from cogs.interviews._components import (
    DraftButton,
    InterviewButton,
    InterviewWhenSelect,
    ZoneSelect,
)
from cogs.interviews._context_menu import ContextMenus
from cogs.interviews._invites import Invites
from cogs.interviews._list import ListPageButton, ListPickSelect, OutcomeSelect
from cogs.interviews._noticed_outcomes import NoticedOutcomes
from cogs.interviews._outcomes import Outcomes

DYNAMIC_ITEMS = (
    InterviewButton,
    InterviewWhenSelect,
    DraftButton,
    ZoneSelect,
    ListPageButton,
    ListPickSelect,
    OutcomeSelect,
)


async def setup(bot: DebriefBot) -> None:
    bot.add_dynamic_items(*DYNAMIC_ITEMS)
    await bot.add_cog(Interviews(bot))
    await bot.add_cog(Outcomes(bot))
    await bot.add_cog(Invites(bot))
    await bot.add_cog(NoticedOutcomes(bot))
    await bot.add_cog(ContextMenus(bot))


async def teardown(bot: DebriefBot) -> None:
    bot.remove_dynamic_items(*DYNAMIC_ITEMS)
