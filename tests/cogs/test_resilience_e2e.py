"""The bot through Discord's rough edges: a dropped gateway, rate limits, a burst of prompts."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

import pytest


async def test_dropped_gateway_resumes_and_nothing_is_missed(world):
    await world.fake.drop_gateway(hold=0.3)
    # Sent while the bot is disconnected: delivered when it resumes.
    await world.alice.send_dm("hello")
    reply = await world.alice.wait_for_dm(timeout=10)
    assert "/help" in reply.content
    await world.fake.wait_for_resume()
    h = await world.alice.slash("help")
    await h.wait_message()


@pytest.mark.fake(channel_rate=(5, 1.0))
async def test_a_burst_to_one_channel_is_paced_not_lost_or_doubled(world):
    """Eight prompts due at once for one user: the per-channel limit makes them wait, each arrives once."""
    await world.store.users.ensure(world.alice.id, world.clock.now())
    await world.store.users.set_timezone(world.alice.id, "UTC")
    world.clock.set(datetime(2026, 11, 23, 12, 0, tzinfo=UTC))
    await world.bot.queue.stop()  # log them all first, then let the queue see them at once
    for n in range(8):
        h = await world.alice.slash("interview log", company=f"Company {n}", when="6 hours ago", stage="technical")
        await h.wait_message()
    await world.bot.queue.start()
    await world.alice.wait_for_dm(
        predicate=lambda m: "Company 7" in m.content and "How did it go" in m.content, timeout=15
    )
    await world.idle(timeout=15)
    asked = Counter(m.content.split("**")[1] for m in world.alice.dm_messages if "How did it go" in m.content)
    assert asked == Counter({f"How did it go at Company {n}?": 1 for n in range(8)})
    assert await world.store.prompts.count_by_state() == {"sent": 8, "pending": 8}  # 8 ghosting nudges wait


@pytest.mark.fake(global_rate=10)
async def test_global_rate_limit_is_obeyed(world):
    """With a low global limit the bot's sends get 429s, which discord.py waits out; nothing is lost."""
    await world.store.users.ensure(world.alice.id, world.clock.now())
    await world.store.users.set_timezone(world.alice.id, "UTC")
    world.clock.set(datetime(2026, 11, 23, 12, 0, tzinfo=UTC))
    users = [world.alice, world.bob, world.carol]
    for user in users[1:]:
        await world.store.users.ensure(user.id, world.clock.now())
        await world.store.users.set_timezone(user.id, "UTC")
    await world.bot.queue.stop()  # log them all first, so 15 prompts fall due at once whatever the machine's speed
    for user in users:
        for n in range(5):
            h = await user.slash("interview log", company=f"Co{n}", when="6 hours ago", stage="technical")
            await h.wait_message()
    await world.bot.queue.start()
    for user in users:
        await user.wait_for_dm(predicate=lambda m: "Co4" in m.content and "How did it go" in m.content, timeout=20)
    await world.idle(timeout=20)
    for user in users:
        assert sum("How did it go" in m.content for m in user.dm_messages) == 5
    assert any(r.status == 429 for r in world.fake.requests)  # the limit was really hit
