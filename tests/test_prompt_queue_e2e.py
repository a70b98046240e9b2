"""The prompt queue through the real bot and the fake Discord: fairness (issue 9.4), no sleeping for good (9.7)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests import pg

NOON = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
HOW = "How did it go"
#: These run on both engines (tests/pg.py).
engine = pytest.fixture(params=pg.ENGINES)(lambda request: request.param)

#: (on, off): the engine refuses every write on the store's writing connection, as on a read-only disk.
READ_ONLY = {
    "sqlite": ("PRAGMA query_only = ON", "PRAGMA query_only = OFF"),
    "postgresql": ("SET default_transaction_read_only = on", "SET default_transaction_read_only = off"),
}

#: A runaway bound, about 100 times what these prompts normally take to arrive.
RUNAWAY = 30


async def utc_user(world, user):
    await world.store.users.ensure(user.id, world.clock.now())
    await world.store.users.set_timezone(user.id, "UTC")


async def test_one_user_s_backlog_does_not_hold_up_another_user_s_prompt(world):
    """Alice has 150 past interviews whose prompts are draining (a DM channel takes ~1 a second); Bob's
    prompt goes out among the first few, not after hers."""
    world.clock.set(NOON)
    await utc_user(world, world.alice)
    await utc_user(world, world.bob)
    now = world.clock.now()
    async with world.store.transaction() as tx:
        for n in range(150):
            started = now - timedelta(hours=7, minutes=150 - n)
            interview = await world.store.interviews.add(
                tx, user_id=world.alice.id, company=f"Backlog {n}", stage="technical", starts_at=started, now=now
            )
            await world.store.prompts.schedule(
                tx,
                kind="debrief",
                subject_id=interview,
                user_id=world.alice.id,
                due_at=started + timedelta(hours=1),
                now=now,
            )
    world.bot.queue.wake()
    await world.alice.wait_for_dm(predicate=lambda m: HOW in m.content, timeout=RUNAWAY)  # her backlog is draining

    h = await world.bob.slash("interview log", company="Bobco", when="6 hours ago", stage="technical")
    await h.wait_message()
    await world.bob.wait_for_dm(predicate=lambda m: HOW in m.content and "Bobco" in m.content, timeout=RUNAWAY)

    sends = sorted(
        (m for user in (world.alice, world.bob) for m in user.dm_messages if HOW in m.content), key=lambda m: m.id
    )
    position = next(i for i, m in enumerate(sends) if "Bobco" in m.content)
    assert position < 10, f"Bob's prompt was send number {position + 1}"
    assert sum("Backlog" in m.content for m in sends) < 150  # Alice's backlog was still being sent


async def test_a_failed_store_call_does_not_put_the_queue_to_sleep(world):
    """The store refuses writes (read-only) just when a prompt falls due; once it recovers, the prompt comes."""
    world.clock.set(NOON)
    await utc_user(world, world.alice)
    h = await world.alice.slash("interview log", company="Acme", when="in 2 hours", stage="technical")
    await h.wait_message()
    await world.idle()
    assert not any(HOW in m.content for m in world.alice.dm_messages)

    await world.store.db.execute(READ_ONLY[world.store.db.engine][0])  # every write now fails in the engine
    world.advance(hours=6)  # the prompt is due: the queue wakes and its claim fails
    await world.idle()
    assert await world.store.prompts.count_by_state() == {"pending": 2}  # nothing claimed, nothing lost
    await world.store.db.execute(READ_ONLY[world.store.db.engine][1])

    prompt = await world.alice.wait_for_dm(predicate=lambda m: HOW in m.content, timeout=RUNAWAY)
    assert "Acme" in prompt.content


async def test_a_user_who_dms_the_bot_gets_their_first_prompt_in_one_request(world):
    """A user who has DMed the bot has their DM channel stored, so the prompt needs no DM opening first
    (issue 15: a first prompt was two requests under the global limit)."""
    world.clock.set(NOON)
    alice = world.alice
    h = await alice.slash("settings timezone", guild=world.guild, zone="UTC")
    await h.wait_message()  # known, in a server: no DM yet
    await alice.send_dm("hello there")
    await alice.wait_for_dm(timeout=RUNAWAY)
    user = await world.store.users.get(alice.id)
    assert user is not None and user.dm_channel_id == alice.dm_channel.id
    before = len(world.fake.requests)
    h = await alice.slash("interview log", guild=world.guild, company="Acme", when="1 hour ago", stage="technical")
    await h.wait_message()
    world.advance(hours=4)
    await alice.wait_for_dm(predicate=lambda m: HOW in m.content, timeout=RUNAWAY)
    await world.idle(RUNAWAY)
    opened = [r for r in world.fake.requests[before:] if r.route == "/users/@me/channels"]
    assert opened == []
