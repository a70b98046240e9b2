"""Issue 15: dispatch stays under Discord's global limit whatever it sends.

A first prompt to a user whose DM channel is not stored takes two requests (open the DM, send). The
bot paces requests, not prompts: every REST request that counts toward the global limit waits its
turn in one pacer, so a burst of such prompts gets no 429. Interaction responses are exempt and are
not paced. The fake's limit is lowered to 10/s so the burst is short; the bot aims at 8 requests/s.
"""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import UTC, datetime, timedelta

import pytest

from bot.clock import Clock
from fakediscord import FakeDiscord
from tests import conftest

NOON = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
HOW = "How did it go"
LIMIT = 10
USERS = 24
RUNAWAY = 120  # about 20 times what the burst takes at 8 requests/s


@pytest.fixture
async def paced_world(tmp_path):
    fake = FakeDiscord(token=conftest.TOKEN, ack_timeout=3.0, global_rate=LIMIT)
    await fake.start()
    settings = conftest.test_settings(fake, tmp_path / "data")
    settings = dataclasses.replace(settings, dispatch=dataclasses.replace(settings.dispatch, rate=LIMIT * 0.8))
    alice = fake.add_user("alice")
    world = conftest.World(fake, settings, Clock(), None, None, None, alice, None, None, None)  # type: ignore[arg-type]
    await world.start()
    try:
        yield world
    finally:
        await world.stop()
        await fake.close()
        assert fake.violations == []


async def due_prompts_for_new_users(world, n: int) -> list:
    world.clock.set(NOON)
    now = world.clock.now()
    users = [world.fake.add_user(f"user{i}") for i in range(n)]
    async with world.store.transaction() as tx:
        for user in users:
            await tx.execute(
                "INSERT INTO users (id, timezone, created_at) VALUES (?, 'UTC', 0)", (user.id,)
            )  # no DM channel stored: the bot must open one
            interview = await world.store.interviews.add(
                tx, user_id=user.id, company="Acme", stage="technical", starts_at=now - timedelta(hours=6), now=now
            )
            await world.store.prompts.schedule(
                tx, kind="debrief", subject_id=interview, user_id=user.id, due_at=now - timedelta(minutes=1), now=now
            )
    return users


async def test_a_burst_of_first_prompts_opens_dms_and_sends_without_a_single_429(paced_world):
    world = paced_world
    await asyncio.sleep(1.5)  # let the start-up requests' rate-limit window close
    users = await due_prompts_for_new_users(world, USERS)
    world.bot.queue.wake()
    for user in users:
        await user.wait_for_dm(predicate=lambda m: HOW in m.content, timeout=RUNAWAY)
    await world.idle(timeout=RUNAWAY)

    for user in users:
        assert sum(HOW in m.content for m in user.dm_messages) == 1
    opened = [
        r for r in world.fake.requests if r.method == "POST" and r.route == "/users/@me/channels" and r.status == 200
    ]
    assert len(opened) == USERS
    limited = [(r.method, r.route) for r in world.fake.requests if r.status == 429]
    assert limited == []


async def test_a_reply_to_a_person_goes_before_the_prompts_waiting_their_turn(paced_world):
    """While a burst of prompts waits its turn under the limit, the reply to a person's DM is not queued
    behind it: at most the requests already let go are served first."""
    world = paced_world
    await asyncio.sleep(1.5)
    users = await due_prompts_for_new_users(world, USERS)
    world.bot.queue.wake()
    await users[0].wait_for_dm(predicate=lambda m: HOW in m.content, timeout=RUNAWAY)  # the burst is under way
    before = len(world.fake.requests)
    await world.alice.send_dm("onsite at Acme tomorrow 2pm")
    await world.alice.wait_for_dm(timeout=RUNAWAY)

    alice_dm = str(world.alice.dm_channel.id)
    later = world.fake.requests[before:]
    reply = next(i for i, r in enumerate(later) if r.method == "POST" and alice_dm in r.path)
    prompts_first = [r for r in later[:reply] if r.method == "POST"]
    assert len(prompts_first) <= 3, [(r.method, r.route) for r in prompts_first]
    for user in users[1:]:  # the burst goes on, every prompt delivered, still without a 429
        await user.wait_for_dm(predicate=lambda m: HOW in m.content, timeout=RUNAWAY)
    await world.idle(timeout=RUNAWAY)
    assert [(r.method, r.route) for r in world.fake.requests if r.status == 429] == []
