"""Issue 9.1 end to end: hostile text typed by one user never freezes the bot for another.

"Q:" followed by a long run of spaces and a long word once took the typed-questions pattern tens of
seconds on the event loop; every other user's interaction in that time failed. Through the real bot
and the fake Discord (which refuses an acknowledgement later than 3 s), the "Write them as a list"
form and a typed DM with that text are answered, and another user's command at the same moment
succeeds.
"""

from __future__ import annotations

import asyncio

from tests.cogs._debrief_steps import wait_until
from tests.cogs.test_debrief_e2e import NOW, RECALL, answers, at_step, past_interview, set_zone, start_in

# Took about 14 s to read with the old pattern (cubic in the run of spaces); a form holds 4,000.
HOSTILE = "Q:" + " " * 1500 + "a" * 1000


async def _bob_lists_his_interviews(world) -> str:
    await set_zone(world, world.bob)
    h = await world.bob.slash("interview list")
    return (await h.wait_message()).embeds[0]["description"]


async def test_hostile_list_form_is_answered_and_another_user_is_served_meanwhile(world):
    alice = world.alice
    world.clock.set(NOW)
    await set_zone(world, alice)
    iid = await past_interview(world, alice)
    await world.idle()
    await start_in(alice, iid)
    await alice.send_dm(RECALL)
    second = await alice.wait_for_dm(predicate=at_step(2))
    form = await alice.click(second, label="Write them as a list")
    await form.response()

    async def alice_submits():
        submitted = await form.submit_modal({"One question per line": HOSTILE})
        return await submitted.response()

    loop = asyncio.get_running_loop()
    started = loop.time()
    (kind, _data), bobs = await asyncio.gather(alice_submits(), _bob_lists_his_interviews(world))
    assert loop.time() - started < 30  # a runaway bound only; the old pattern took longer
    assert kind is not None  # acknowledged inside Discord's window
    assert "No interviews yet" in bobs
    await wait_until(lambda: "step 2 of 12" in second.content and bool(second.buttons))  # shown once saved
    [stored] = (await answers(world, alice, iid))["questions"]
    assert stored["question"] == "a" * 1000 and stored["answer"] == ""


async def test_hostile_typed_dm_is_answered_and_another_user_is_served_meanwhile(world):
    alice = world.alice
    world.clock.set(NOW)
    await set_zone(world, alice)
    iid = await past_interview(world, alice)
    await world.idle()
    await start_in(alice, iid)
    await alice.send_dm(RECALL)
    await alice.wait_for_dm(predicate=at_step(2))

    async def alice_types():
        await alice.send_dm(HOSTILE)
        return await alice.wait_for_dm(predicate=at_step(3), timeout=10)

    loop = asyncio.get_running_loop()
    started = loop.time()
    third, bobs = await asyncio.gather(alice_types(), _bob_lists_his_interviews(world))
    assert loop.time() - started < 30  # a runaway bound only; the old pattern took longer
    assert "No interviews yet" in bobs
    assert "Saved." in third.content
    [stored] = (await answers(world, alice, iid))["questions"]
    assert stored["question"] == "a" * 1000
