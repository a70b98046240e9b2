"""The per-user line of debrief actions (cogs/debrief/_turns.py): arrival order, answering while waiting,
a bounded wait, and no memory left behind."""

from __future__ import annotations

import asyncio

from cogs.debrief._turns import Turns


async def test_actions_run_in_arrival_order_and_those_that_wait_are_answered_before_waiting():
    turns = Turns()
    events: list[str] = []
    release = asyncio.Event()

    async def action(name: str, hold: bool = False) -> None:
        async def answer() -> None:
            events.append(f"answered {name}")

        async with turns.turn(7, 60, first=answer):
            events.append(f"ran {name}")
            if hold:
                await release.wait()

    tasks = [asyncio.create_task(action("a", hold=True))]
    await asyncio.sleep(0)
    tasks += [asyncio.create_task(action(name)) for name in ("b", "c")]
    for _ in range(5):
        await asyncio.sleep(0)
    assert events == ["ran a", "answered b", "answered c"]  # a held the turn: b and c answered, waiting
    release.set()
    await asyncio.gather(*tasks)
    assert events == ["ran a", "answered b", "answered c", "ran b", "ran c"]
    assert len(turns) == 0 and 7 not in turns


async def test_a_bounded_wait_goes_ahead_and_the_line_still_passes_the_turn_on():
    turns = Turns()
    release = asyncio.Event()
    ran: list[str] = []

    async def holder() -> None:
        async with turns.turn(7):
            await release.wait()
            ran.append("holder")

    async def impatient() -> None:
        async with turns.turn(7, 0.05):
            ran.append("impatient")

    async def patient() -> None:
        async with turns.turn(7):
            ran.append("patient")

    first = asyncio.create_task(holder())
    await asyncio.sleep(0)
    second = asyncio.create_task(impatient())
    await asyncio.sleep(0)
    third = asyncio.create_task(patient())
    await second  # went ahead without the turn
    assert ran == ["impatient"]
    await asyncio.sleep(0.01)
    assert ran == ["impatient"]  # the patient one still waits for the holder
    release.set()
    await asyncio.gather(first, third)
    assert ran == ["impatient", "holder", "patient"]
    assert len(turns) == 0


async def test_a_cancelled_waiter_leaves_the_line():
    turns = Turns()
    release = asyncio.Event()

    async def holder() -> None:
        async with turns.turn(7):
            await release.wait()

    async def waiter() -> None:
        async with turns.turn(7):
            pass

    first = asyncio.create_task(holder())
    await asyncio.sleep(0)
    cancelled = asyncio.create_task(waiter())
    await asyncio.sleep(0)
    cancelled.cancel()
    await asyncio.gather(cancelled, return_exceptions=True)
    release.set()
    await first
    assert len(turns) == 0
    waited: list[bool] = []

    async def note() -> None:
        waited.append(True)

    async with turns.turn(7, 0.5, first=note):
        assert 7 in turns
    assert waited == []  # the turn was free again: nothing to wait for
