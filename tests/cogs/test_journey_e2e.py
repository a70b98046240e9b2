"""Issue 11 end to end: the journey knows what the user already did (points 1, 2, 7 and 8).

Through the real bot and the fake Discord. Monday 23 Nov 2026 13:00 UTC is 14:00 in Berlin; the default
quiet hours are 22:00-08:00 local.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from fakediscord import FakeMessage

NOW = datetime(2026, 11, 23, 13, 0, tzinfo=UTC)  # 14:00 in Berlin
SEND = "/channels/{channel_id}/messages"
HOW = "How did it go"
#: A runaway bound, about 100 times what these steps normally take.
RUNAWAY = 30


def at_step(n: int) -> Callable[[FakeMessage], bool]:
    return lambda m: f"step {n} of 11" in m.content and bool(m.buttons or m.selects)


def is_prompt(message: FakeMessage) -> bool:
    return HOW in message.content


async def berlin(world, user) -> None:
    await world.store.users.ensure(user.id, world.clock.now())
    await world.store.users.set_timezone(user.id, "Europe/Berlin")


async def log(world, user, company: str = "Acme", when: str = "5 hours ago", stage: str = "technical") -> int:
    h = await user.slash("interview log", company=company, when=when, stage=stage)
    await h.wait_message()
    return max(i.id for i in await world.store.interviews.list(user.id))


async def prompt_state(world, kind: str, interview_id: int) -> str:
    prompt = await world.store.prompts.find(kind, interview_id)
    assert prompt is not None
    return prompt.state


async def wait_until(check: Callable[[], bool], timeout: float = RUNAWAY) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not check():
        if loop.time() > deadline:
            raise TimeoutError("condition not met")
        await asyncio.sleep(0.02)


# -- 11.7: a prompt being sent accepts its own buttons ------------------------------------------------


async def held_prompt(world, fake):
    """Log a past interview and freeze the prompt's send after Discord stored it: the prompt is in the
    user's DM, and the dispatcher has not heard back yet, so the row is still ``claimed``."""
    hold = fake.hold("POST", SEND, stage="after")
    iid = await log(world, world.alice)
    await hold.wait_reached(RUNAWAY)
    await wait_until(lambda: any(is_prompt(m) for m in world.alice.dm_messages))
    assert await prompt_state(world, "debrief", iid) == "claimed"
    [prompt] = [m for m in world.alice.dm_messages if is_prompt(m)]
    return hold, iid, prompt


@pytest.mark.parametrize("order", ["clicked while the send is in flight", "clicked after the send is recorded"])
async def test_skip_works_on_a_prompt_being_sent_and_the_send_does_not_revive_it(world, fake, order):
    world.clock.set(NOW)
    await berlin(world, world.alice)
    hold, iid, prompt = await held_prompt(world, fake)
    if order.startswith("clicked after"):
        hold.release()
        await world.idle(RUNAWAY)
        assert await prompt_state(world, "debrief", iid) == "sent"
    h = await world.alice.click(prompt, label="Skip")
    _kind, data = await h.response()
    hold.release()
    assert "already been dealt with" not in str(data)
    assert "Skipped." in prompt.content and prompt.buttons == []
    await world.idle(RUNAWAY)
    assert await prompt_state(world, "debrief", iid) == "cancelled"  # mark_sent did not bring it back


async def test_snooze_works_on_a_prompt_being_sent(world, fake):
    world.clock.set(NOW)
    await berlin(world, world.alice)
    hold, iid, prompt = await held_prompt(world, fake)
    h = await world.alice.click(prompt, label="In 1 h")
    _kind, data = await h.response()
    hold.release()
    assert "already been dealt with" not in str(data)
    assert "Snoozed." in prompt.content and prompt.buttons == []
    await world.idle(RUNAWAY)
    row = await world.store.prompts.find("debrief", iid)
    assert (row.state, row.snoozes) == ("pending", 1)  # still snoozed: the finished send did not mark it sent
    world.advance(hours=1, minutes=1)
    again = await world.alice.wait_for_dm(predicate=lambda m: is_prompt(m) and m.id != prompt.id, timeout=RUNAWAY)
    assert again.buttons  # the snoozed prompt comes back, with its buttons


async def test_start_works_on_a_prompt_being_sent_and_the_prompt_is_done_with(world, fake):
    world.clock.set(NOW)
    await berlin(world, world.alice)
    hold, iid, prompt = await held_prompt(world, fake)
    await world.alice.click(prompt, label="Start debrief")
    try:
        await world.alice.wait_for_dm(predicate=at_step(1), timeout=RUNAWAY)
    finally:
        hold.release()
    await world.idle(RUNAWAY)
    assert await prompt_state(world, "debrief", iid) == "cancelled"
    world.advance(hours=4)
    await world.idle(RUNAWAY)
    assert [m for m in world.alice.dm_messages if is_prompt(m)] == [prompt]
