"""Two rejections' check-ins folded into one (``bot.services.outcomes``): the check-in belongs to the first
rejected interview. Deleting or forgetting that interview must not take the other rejection's check-in with
it: the check-in moves to the interview that remains, with its time and everything it names.

Through the real bot and the fake Discord; times as in ``test_outcomes_e2e``.
"""

from __future__ import annotations

from datetime import timedelta

from tests.cogs.test_outcomes_e2e import START, berlin, checkins, is_checkin, outcome

RUNAWAY = 15


async def log_with_reply(world, company: str):
    h = await world.alice.slash("interview log", company=company, when="5 hours ago", stage="technical")
    reply = await h.wait_message()
    return max(i.id for i in await world.store.interviews.list(world.alice.id)), reply


async def checkin_prompts(world) -> list:
    return [p for p in await world.store.prompts.for_user(world.alice.id) if p.kind == "checkin"]


async def two_folded_rejections(world):
    alice = world.alice
    world.clock.set(START)
    await berlin(world, alice)
    acme, acme_reply = await log_with_reply(world, "Acme")
    globex, _ = await log_with_reply(world, "Globex")
    await outcome(alice, acme, "rejected")
    world.advance(hours=1)
    await outcome(alice, globex, "rejected")
    [folded] = await checkin_prompts(world)
    assert folded.subject_id == acme  # one check-in, Acme's, names both
    return acme_reply, globex, folded


async def the_checkin_still_comes_for(world, globex: int, folded) -> None:
    [moved] = await checkin_prompts(world)
    assert (moved.subject_id, moved.due_at, moved.state) == (globex, folded.due_at, "pending")
    world.clock.set(folded.due_at + timedelta(seconds=1))
    message = await world.alice.wait_for_dm(predicate=is_checkin, timeout=RUNAWAY)
    assert "Globex" in message.content and "Acme" not in message.content
    assert len(checkins(world.alice)) == 1


async def test_deleting_the_interview_that_owns_a_folded_checkin_moves_it_to_the_other(world):
    acme_reply, globex, folded = await two_folded_rejections(world)
    ask = await world.alice.click(acme_reply, label="Delete")
    done = await world.alice.click(await ask.wait_message(), label="Delete it")
    await done.response()
    assert [i.id for i in await world.store.interviews.list(world.alice.id)] == [globex]
    await the_checkin_still_comes_for(world, globex, folded)


async def test_forgetting_the_interview_that_owns_a_folded_checkin_moves_it_to_the_other(world):
    acme_reply, globex, folded = await two_folded_rejections(world)
    ask = await world.alice.click(acme_reply, label="Forget")
    done = await world.alice.click(await ask.wait_message(), label="Forget it")
    await done.response()
    assert [i.id for i in await world.store.interviews.list(world.alice.id)] == [globex]
    await the_checkin_still_comes_for(world, globex, folded)


async def test_a_single_rejections_checkin_goes_with_its_interview(world):
    alice = world.alice
    world.clock.set(START)
    await berlin(world, alice)
    acme, acme_reply = await log_with_reply(world, "Acme")
    await log_with_reply(world, "Globex")  # not rejected: nothing to move the check-in to
    await outcome(alice, acme, "rejected")
    [checkin] = await checkin_prompts(world)
    ask = await alice.click(acme_reply, label="Delete")
    await (await alice.click(await ask.wait_message(), label="Delete it")).response()
    assert await checkin_prompts(world) == []
    world.clock.set(checkin.due_at + timedelta(seconds=1))
    await world.idle()
    assert checkins(alice) == []
