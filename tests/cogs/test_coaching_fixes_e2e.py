"""Issue 12's coaching fixes, end to end: the check-in counts logged applications; an offer or a
withdrawal invites a debrief too; the debrief asks what the candidate made of the company."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.cogs.test_outcomes_e2e import berlin, is_checkin, log, outcome

START = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)  # 13:00 Berlin


@pytest.mark.coaching(reset_window=timedelta(hours=14))
async def test_the_checkin_counts_applications_logged_with_applications_log(world):
    await berlin(world, world.alice)
    world.clock.set(START)
    for count in (5, 4, 3):  # twelve applications sent and logged
        h = await world.alice.slash("applications log", count=count)
        await h.wait_message()
    iid = await log(world, world.alice, "Acme")
    await outcome(world.alice, iid, "rejected")
    prompt = await world.store.prompts.find("checkin", iid)
    world.clock.set(prompt.due_at + timedelta(seconds=1))
    checkin = await world.alice.wait_for_dm(predicate=is_checkin)
    assert "nothing else open" not in checkin.content and "thin pipeline" not in checkin.content
    assert "12 applications" in checkin.content


@pytest.mark.coaching(reset_window=timedelta(hours=14))
async def test_without_applications_the_checkin_still_says_the_pipeline_is_thin(world):
    await berlin(world, world.alice)
    world.clock.set(START)
    iid = await log(world, world.alice, "Acme")
    await outcome(world.alice, iid, "rejected")
    prompt = await world.store.prompts.find("checkin", iid)
    world.clock.set(prompt.due_at + timedelta(seconds=1))
    checkin = await world.alice.wait_for_dm(predicate=is_checkin)
    assert "nothing else open" in checkin.content and "thin pipeline" in checkin.content


@pytest.mark.parametrize("result", ["offer", "withdrew"])
async def test_an_offer_or_a_withdrawal_invites_a_debrief_with_a_button(world, result):
    await berlin(world, world.alice)
    world.clock.set(START)
    iid = await log(world, world.alice, "Acme")
    _, reply = await outcome(world.alice, iid, result)
    assert "Start debrief" in [b[0] for b in reply.buttons]
    assert "debrief" in reply.content.lower()
    started = await world.alice.click(reply, label="Start debrief")
    await started.response()
    first = await world.alice.wait_for_dm(
        predicate=lambda m: "From arrival to goodbye" in m.content or "arrived" in m.content
    )
    assert first is not None
    assert (await world.store.debriefs.open_for(world.alice.id)).interview_id == iid
