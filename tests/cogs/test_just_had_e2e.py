"""Issue 11.3 end to end: "just had my X" records an interview that ended at the moment it was told."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.coach.stages import stage
from tests.cogs._clicked import settled

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("said", "company", "stage_key"),
    [
        ("Just had my phone screen with Globex", "Globex", "recruiter_screen"),
        ("just finished my onsite at Initech", "Initech", "onsite_final"),
    ],
)
async def test_just_had_records_an_interview_that_ends_now_and_offers_debrief_now(world, said, company, stage_key):
    alice = world.alice
    h = await alice.slash("settings timezone", zone="Europe/Berlin")
    await h.wait_message()
    world.clock.set(NOW)
    await alice.send_dm(said)
    offer = await alice.wait_for_dm(predicate=lambda m: company in m.content)
    saved = await alice.click(offer, label="Yes, record it")
    await settled(saved)
    [interview] = await world.store.interviews.list(alice.id)
    typical = stage(stage_key).typical_length
    assert interview.stage == stage_key
    assert interview.starts_at == NOW - typical
    assert interview.length_min == typical // timedelta(minutes=1)
    assert interview.ends_at == NOW
    assert "Debrief now" in [label for label, *_ in offer.buttons]
