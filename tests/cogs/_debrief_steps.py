"""Shared steps of the debrief e2e tests: a user with an interview, its debrief started in DM, and waits."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime

from fakediscord import FakeMessage

NOW = datetime(2026, 11, 23, 13, 0, tzinfo=UTC)  # 14:00 in Berlin


def at_step(n: int) -> Callable[[FakeMessage], bool]:
    """A message showing step ``n`` with something still to click."""
    return lambda m: f"step {n} of 12" in m.content and bool(m.buttons or m.selects)


async def wait_until(check: Callable[[], bool], timeout: float = 5.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not check():
        if loop.time() > deadline:
            raise TimeoutError("condition not met")
        await asyncio.sleep(0.01)


def refuse_every_try(world, method: str, template: str, tries: int = 5) -> asyncio.Task[None]:
    """Discord answers the next ``tries`` ``method`` requests to ``template`` with a server error, without
    doing them (discord.py retries a 5xx up to 5 times): await the task once they have all been refused."""
    holds = [world.fake.hold(method, template, stage="before") for _ in range(tries)]

    async def refuse() -> None:
        for hold in holds:
            await hold.wait_reached(60)
            hold.release(proceed=False)

    return asyncio.create_task(refuse())


async def logged(world, user) -> int:
    """``user`` in Berlin with one technical interview at Acme, five hours ago: its id."""
    world.clock.set(NOW)
    await world.store.users.ensure(user.id, NOW)
    await world.store.users.set_timezone(user.id, "Europe/Berlin")
    h = await user.slash("interview log", company="Acme", when="5 hours ago", stage="technical")
    await h.wait_message()
    [interview] = await world.store.interviews.list(user.id)
    return interview.id


async def tracked(world, user, interview_id: int, message: FakeMessage) -> None:
    """Wait until the bot has recorded ``message`` as the one showing the step (its last write)."""
    for _ in range(500):
        debrief = await world.store.debriefs.for_interview(user.id, interview_id)
        if debrief is not None and debrief.message_id == message.id:
            return
        await asyncio.sleep(0.01)
    raise TimeoutError("the step message was not recorded")


async def first_step(world, user) -> tuple[int, FakeMessage]:
    """The interview of :func:`logged`, its debrief started with `/debrief start`: (its id, step 1)."""
    interview_id = await logged(world, user)
    first = await (await user.slash("debrief start", interview=str(interview_id))).wait_message()
    await tracked(world, user, interview_id, first)
    return interview_id, first
