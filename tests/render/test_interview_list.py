"""A page of /interview list fits one embed description with room, even at its worst: every field at
its longest, every character one that must be escaped, every entry with several feedback notes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.render import limits
from bot.render.interviews import list_page, pick_label
from bot.services.interviews import PAGE_SIZE, Entry, ListPage
from bot.store import Interview
from bot.store.feedback import Feedback

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


def worst(n: int) -> Entry:
    interview = Interview(
        id=10**17 + n,
        user_id=1,
        company="*" * 100,
        role="_" * 100,
        stage="take_home_review",
        starts_at=NOW - timedelta(days=400 + n),
        length_min=600,
        source="command",
        guild_id=None,
        previous_id=None,
        outcome="advanced",
        outcome_at=NOW,
        debriefed_at=None,
        created_at=NOW,
    )
    feedback = [Feedback(k, interview.id, 1, "`" * 4000, "within_control", NOW, interview.company) for k in range(5)]
    return Entry(interview, NOW + timedelta(days=400), feedback)


def test_a_worst_case_page_fits_an_embed_with_room() -> None:
    page = ListPage([worst(n) for n in range(PAGE_SIZE)], page=1, pages=3, total=3 * PAGE_SIZE, upcoming=0)
    description, footer = list_page(page, ZoneInfo("UTC"), NOW)
    assert len(description) <= limits.EMBED_DESCRIPTION - 400, len(description)
    assert "more lines" not in description  # nothing cut: the page size is what fits
    assert description.count("`7.`") + description.count("`12.`") == 2
    assert len(footer) <= limits.EMBED_FOOTER
    assert all(len(pick_label(e.interview, ZoneInfo("UTC"), NOW)) <= limits.OPTION_LABEL for e in page.entries)
