"""Issue 13's weekly sweep reads each finished debrief's stored reading (its stumble topics and its topics,
migration 0011) instead of its answers. End to end through the real bot: finishing a debrief stores the
reading, editing a step stores it again, and a debrief stored without one (a row from before the
migration) gets it from the pass the bot runs at start. On both engines."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest

from bot.services.patterns import debrief_keys
from tests import pg
from tests.cogs._debrief_steps import wait_until
from tests.cogs.test_debrief_e2e import click_to, has_card, past_interview, set_zone, type_to

engine = pytest.fixture(params=pg.ENGINES)(lambda request: request.param)

NOW = datetime(2026, 11, 23, 13, 0, tzinfo=UTC)


async def stored_reading(world, user_id: int, interview_id: int) -> tuple[str | None, str | None]:
    """The debrief's stored reading, read from its row (not through the bot's own reads)."""
    row = await world.store.db.fetchone(
        "SELECT stumble_keys, topic_keys FROM debriefs WHERE user_id = ? AND interview_id = ?",
        (user_id, interview_id),
    )
    return row[0], row[1]


async def given_answers(world, user_id: int, interview_id: int) -> dict:
    debrief = await world.store.debriefs.for_interview(user_id, interview_id)
    return {k: a.value for k, a in (await world.store.debriefs.answers(debrief.id)).items() if not a.skipped}


async def finished_debrief(world, user) -> int:
    """A debrief walked through in DM: typed stumbles, "no" to showing interest, the coding topic."""
    await set_zone(world, user)
    iid = await past_interview(world, user)
    await world.idle()
    h = await user.slash("debrief start", interview=str(iid))
    await h.wait_message()
    message = await type_to(user, "Joined early; a friendly panel.", 2)
    message = await click_to(user, message, "Skip", 3)
    message = await type_to(user, "Walking through my capstone.", 4)
    message = await type_to(user, "Froze on the SQL join question, then rambled.", 5)
    for n in (6, 7):
        message = await click_to(user, message, "Skip", n)
    message = await click_to(user, message, "3", 8)
    message = await click_to(user, message, "No", 9)
    message = await click_to(user, message, "No", 10)
    await user.select(message, ["coding"])
    await user.wait_for_dm(15.0, predicate=lambda m: "step 11 of 12" in m.content)
    await type_to(user, "keen - the team lead was great", 12)
    await user.send_dm("Rehearse the SQL joins")
    await user.wait_for_dm(15.0, predicate=has_card)
    return iid


async def test_finishing_and_editing_a_debrief_store_its_reading(world):
    alice = world.alice
    world.clock.set(NOW)
    iid = await finished_debrief(world, alice)
    # froze -> nerves, SQL/join -> coding, rambled -> communication, no interest shown -> questions for them
    assert await stored_reading(world, alice.id, iid) == ("coding communication nerves questions_for_them", "coding")
    stumbles, topics = debrief_keys(await given_answers(world, alice.id, iid))  # the coach's reading of the answers
    assert (" ".join(sorted(stumbles)), " ".join(topics)) == await stored_reading(world, alice.id, iid)

    h = await alice.slash("debrief edit", interview=str(iid), step="stumbles")
    editing = await h.wait_message()
    form = await alice.click(editing, label="Change it")
    await form.response()
    await (await form.submit_modal({"Your answer": "Ran short of time on the capacity estimates."})).response()
    await wait_until(lambda: has_card(editing))  # the buttons off at once; the card once the edit is written
    assert await stored_reading(world, alice.id, iid) == ("estimation questions_for_them system_design", "coding")

    h = await alice.slash("debrief edit", interview=str(iid), step="topics")
    editing = await h.wait_message()
    await (await alice.select(editing, ["system_design", "communication"])).response()
    await wait_until(lambda: has_card(editing))
    assert await stored_reading(world, alice.id, iid) == (
        "estimation questions_for_them system_design",
        "system_design communication",
    )

    h = await alice.slash("debrief edit", interview=str(iid), step="stumbles")
    editing = await h.wait_message()
    await (await alice.click(editing, label="Clear answer")).response()
    await wait_until(lambda: has_card(editing))
    assert await stored_reading(world, alice.id, iid) == ("questions_for_them", "system_design communication")
    stumbles, topics = debrief_keys(await given_answers(world, alice.id, iid))
    assert (" ".join(sorted(stumbles)), " ".join(topics)) == await stored_reading(world, alice.id, iid)


async def test_a_debrief_stored_without_its_reading_gets_it_from_the_pass_at_start(world):
    alice = world.alice
    world.clock.set(NOW)
    iid = await finished_debrief(world, alice)
    expected = await stored_reading(world, alice.id, iid)
    assert expected == ("coding communication nerves questions_for_them", "coding")
    async with world.store.transaction() as tx:  # as a row written before migration 0011 has it
        await tx.execute("UPDATE debriefs SET stumble_keys = NULL, topic_keys = NULL WHERE user_id = ?", (alice.id,))
    assert await stored_reading(world, alice.id, iid) == (None, None)

    await world.restart()

    loop = asyncio.get_running_loop()
    deadline = loop.time() + 15.0  # a runaway bound: the pass reads one debrief
    while await stored_reading(world, alice.id, iid) != expected:
        assert loop.time() < deadline, "the pass at start did not store the debrief's reading"
        await asyncio.sleep(0.05)
