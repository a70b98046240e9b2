"""The one calm nudge after a long silence from a company.

The caller attaches outcome buttons (advanced, offer, rejected, ghosted,
withdrew); this module only writes the words.
"""

from __future__ import annotations

from datetime import timedelta

from bot.coach.durations import spoken_span

__all__ = ["ghosting_message"]


def ghosting_message(company: str, stage_label: str, since: timedelta) -> str:
    """A DM asking for news about an interview nobody has heard back from for ``since`` (said as it
    really is: "4 hours", "10 days", never a day rounded up from a few hours)."""
    span = spoken_span(since)
    stage = stage_label.strip()
    about = f"your interview with {company.strip()}"
    if stage and stage.lower() != "other":
        about += f" ({stage})"
    return (
        f"It's been {span} since {about}, and nothing has been logged since. Any news?\n\n"
        "Long silences after an interview are common and usually say more about a company's process "
        "than about you. If it has gone quiet, marking it as ghosted keeps your picture of the search "
        "accurate, and you can still change it if they get back to you."
    )
