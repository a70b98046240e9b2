"""The dispatcher with plain async senders (no Discord): once-only sends, waking, holds, backoff, recovery."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import timedelta

import pytest
from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.clock import Clock
from bot.prompts import DropPrompt, HoldUntil, PromptQueue, RetryLater
from bot.store import Store


class Recorder:
    def __init__(self):
        self.sent = []
        self.event = asyncio.Event()
        self.behaviour = None

    async def __call__(self, sending):
        if self.behaviour:
            result = self.behaviour(sending)
            if isinstance(result, BaseException):
                raise result
        self.sent.append(sending)
        self.event.set()
        return 1000 + sending.prompt.id

    async def wait_for(self, count, timeout=5.0):
        async def until():
            while len(self.sent) < count:
                self.event.clear()
                await self.event.wait()

        await asyncio.wait_for(until(), timeout)


@pytest.fixture
async def env(tmp_path):
    store = await Store.open(tmp_path / "q.db")
    clock = Clock()
    scheduler = AsyncIOScheduler(timezone="UTC")
    scheduler.start()
    queue = PromptQueue(
        store,
        scheduler,
        clock,
        rate=500,
        batch=50,
        max_lateness=timedelta(hours=12),
        retry_initial=timedelta(minutes=5),
        retry_max=timedelta(hours=6),
    )
    recorder = Recorder()
    queue.register("debrief", recorder)
    await store.users.ensure(1, clock.now())
    yield store, clock, queue, recorder
    await queue.stop()
    scheduler.shutdown(wait=False)
    await store.close()


async def add(store, queue, clock, subject, due):
    async with store.transaction() as tx:
        pid = await store.prompts.schedule(
            tx, kind="debrief", subject_id=subject, user_id=1, due_at=due, now=clock.now()
        )
    queue.notify(due)
    return pid


async def settle(queue):
    for _ in range(200):
        await asyncio.sleep(0.01)
        if queue.idle:
            return


async def test_due_prompts_are_sent_once_each(env):
    store, clock, queue, recorder = env
    await queue.start()
    for subject in range(120):
        await add(store, queue, clock, subject, clock.now() - timedelta(seconds=1))
    await recorder.wait_for(120)
    await settle(queue)
    assert sorted(s.prompt.subject_id for s in recorder.sent) == list(range(120))
    assert (await store.prompts.count_by_state()) == {"sent": 120}


async def test_future_prompt_waits_for_its_time(env):
    store, clock, queue, recorder = env
    await queue.start()
    pid = await add(store, queue, clock, 1, clock.now() + timedelta(hours=3))
    await settle(queue)
    assert recorder.sent == []
    clock.advance(timedelta(hours=3, seconds=1))
    await recorder.wait_for(1)
    assert recorder.sent[0].prompt.id == pid and recorder.sent[0].late_by is None


async def test_sooner_prompt_rearms_the_wakeup(env):
    store, clock, queue, recorder = env
    await queue.start()
    await add(store, queue, clock, 1, clock.now() + timedelta(hours=5))
    await add(store, queue, clock, 2, clock.now() + timedelta(milliseconds=300))
    await recorder.wait_for(1, timeout=3)
    assert recorder.sent[0].prompt.subject_id == 2


async def test_late_prompt_is_flagged_and_too_late_dropped(env):
    store, clock, queue, recorder = env
    late = await add(store, queue, clock, 1, clock.now() - timedelta(hours=1))
    dropped = await add(store, queue, clock, 2, clock.now() - timedelta(hours=13))
    await queue.start()
    await recorder.wait_for(1)
    await settle(queue)
    assert [s.prompt.id for s in recorder.sent] == [late]
    assert recorder.sent[0].late_by >= timedelta(hours=1)
    assert (await store.prompts.get(dropped)).state == "cancelled"


async def test_hold_moves_the_prompt_without_counting_as_sent(env):
    store, clock, queue, recorder = env
    target = (clock.now() + timedelta(hours=8)).replace(microsecond=0)
    recorder.behaviour = lambda s: HoldUntil(target, "quiet hours") if s.prompt.due_at < target else None
    pid = await add(store, queue, clock, 1, clock.now())
    await queue.start()
    await settle(queue)
    held = await store.prompts.get(pid)
    assert held.state == "pending" and held.due_at == target
    clock.advance(timedelta(hours=8, seconds=1))
    await recorder.wait_for(1)
    assert recorder.sent[0].late_by is not None  # it says it was held back


async def test_retry_backs_off_and_never_loops(env):
    store, clock, queue, recorder = env
    calls = []

    def closed(sending):
        calls.append(sending.prompt.attempts)
        return RetryLater("dms closed")

    recorder.behaviour = closed
    pid = await add(store, queue, clock, 1, clock.now())
    await queue.start()
    await settle(queue)
    await asyncio.sleep(0.2)
    assert calls == [1]
    first = await store.prompts.get(pid)
    assert first.state == "pending" and first.last_error == "dms closed"
    clock.advance(timedelta(minutes=5, seconds=1))
    await settle(queue)
    second = await store.prompts.get(pid)
    assert calls == [1, 2]
    assert second.due_at - first.due_at >= timedelta(minutes=10)  # doubled


async def test_drop_cancels(env):
    store, clock, queue, recorder = env
    recorder.behaviour = lambda s: DropPrompt("interview deleted")
    pid = await add(store, queue, clock, 1, clock.now())
    await queue.start()
    await settle(queue)
    prompt = await store.prompts.get(pid)
    assert prompt.state == "cancelled" and prompt.last_error == "interview deleted"


async def test_claims_left_by_a_crash_are_found_or_released(env):
    store, clock, queue, recorder = env
    posted = await add(store, queue, clock, 1, clock.now())
    lost = await add(store, queue, clock, 2, clock.now())
    await store.prompts.claim_due(clock.now(), 10)  # a process claimed both, then died

    async def finder(prompt):
        return 555 if prompt.id == posted else None

    queue.register("debrief", recorder, finder)
    await queue.start()
    await recorder.wait_for(1)
    await settle(queue)
    assert [s.prompt.id for s in recorder.sent] == [lost]
    assert (await store.prompts.get(posted)).message_id == 555
    assert (await store.prompts.count_by_state()) == {"sent": 2}


async def test_lateness_while_running_never_drops_a_prompt(env):
    """Only downtime makes a prompt too late: a prompt that falls behind while the bot runs is sent, flagged late."""
    store, clock, queue, recorder = env
    await queue.start()
    pid = await add(store, queue, clock, 1, clock.now() + timedelta(hours=1))
    clock.advance(timedelta(hours=14))  # e.g. a long backlog or a long store outage while running
    await recorder.wait_for(1)
    assert recorder.sent[0].prompt.id == pid and recorder.sent[0].late_by >= timedelta(hours=13)


async def test_a_send_whose_bookkeeping_fails_is_recovered_not_left_claimed(env):
    """The send went out but recording it failed once: the prompt is found in the DMs and marked sent."""
    store, clock, queue, recorder = env
    real_mark_sent = store.prompts.mark_sent
    failures = []

    async def mark_sent_failing_once(prompt_id, message_id, now):
        if not failures:
            failures.append(prompt_id)
            raise sqlite3.OperationalError("disk I/O error")
        await real_mark_sent(prompt_id, message_id, now)

    store.prompts.mark_sent = mark_sent_failing_once
    posted = {}

    async def finder(prompt):
        return posted.get(prompt.id)

    async def sender(sending):
        posted[sending.prompt.id] = 4242
        return await recorder(sending)

    queue.register("debrief", sender, finder)
    await queue.start()
    pid = await add(store, queue, clock, 1, clock.now())
    for _ in range(300):  # the re-armed wake-up comes after about a second
        await asyncio.sleep(0.05)
        if (await store.prompts.get(pid)).state == "sent":
            break
    assert failures == [pid]
    prompt = await store.prompts.get(pid)
    assert prompt.state == "sent" and prompt.message_id == 4242
    assert len(recorder.sent) == 1  # found, not sent twice


async def test_a_due_prompt_that_cannot_be_claimed_does_not_make_the_queue_spin(env):
    """The user's two in-flight slots are held by claims this process does not own: no tight loop."""
    store, clock, queue, recorder = env
    await queue.start()
    await settle(queue)
    for subject in (1, 2):
        async with store.transaction() as tx:
            await store.prompts.schedule(
                tx, kind="debrief", subject_id=subject, user_id=1, due_at=clock.now(), now=clock.now()
            )
    await store.prompts.claim_due(clock.now(), 10)  # held by "someone else"
    claims = []
    real_claim_due = store.prompts.claim_due

    async def counting_claim_due(*args, **kwargs):
        claims.append(args)
        return await real_claim_due(*args, **kwargs)

    store.prompts.claim_due = counting_claim_due
    await add(store, queue, clock, 3, clock.now())
    await asyncio.sleep(0.5)
    assert recorder.sent == []
    assert 1 <= len(claims) < 20  # a spinning queue claims hundreds of times in half a second
