"""The prompt rows: unique per subject, atomic claims, snooze and skip only by their owner."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


async def schedule(store, subject, due, kind="debrief", user=1):
    async with store.transaction() as tx:
        return await store.prompts.schedule(tx, kind=kind, subject_id=subject, user_id=user, due_at=due, now=NOW)


async def test_scheduling_twice_moves_instead_of_adding(store):
    first = await schedule(store, 10, NOW + timedelta(hours=1))
    second = await schedule(store, 10, NOW + timedelta(hours=2))
    assert first == second
    prompt = await store.prompts.get(first)
    assert prompt.due_at == NOW + timedelta(hours=2)
    assert (await store.db.fetchone("SELECT COUNT(*) FROM prompts"))[0] == 1


async def test_a_sent_prompt_is_not_rescheduled(store):
    pid = await schedule(store, 10, NOW)
    [claimed] = await store.prompts.claim_due(NOW, 10)
    await store.prompts.mark_sent(claimed.id, 99, NOW)
    assert await schedule(store, 10, NOW + timedelta(hours=5)) is None
    assert (await store.prompts.get(pid)).state == "sent"


async def test_next_due_and_claim_order(store):
    await schedule(store, 1, NOW + timedelta(minutes=3))
    await schedule(store, 2, NOW + timedelta(minutes=1))
    await schedule(store, 3, NOW + timedelta(minutes=2))
    assert await store.prompts.next_due() == NOW + timedelta(minutes=1)
    claimed = await store.prompts.claim_due(NOW + timedelta(minutes=2), 10)
    assert [p.subject_id for p in claimed] == [2, 3]
    assert all(p.state == "claimed" and p.attempts == 1 for p in claimed)
    assert await store.prompts.next_due() == NOW + timedelta(minutes=3)


async def test_concurrent_claims_never_share_a_row(store):
    await store.prompts.schedule_many(("debrief", i, 1, int(NOW.timestamp()), int(NOW.timestamp())) for i in range(500))
    batches = await asyncio.gather(*(store.prompts.claim_due(NOW, 60) for _ in range(12)))
    ids = [p.id for batch in batches for p in batch]
    assert len(ids) == len(set(ids)) == 500


async def test_released_claim_is_claimed_again(store):
    await schedule(store, 1, NOW)
    [prompt] = await store.prompts.claim_due(NOW, 10)
    assert await store.prompts.claim_due(NOW, 10) == []
    await store.prompts.release(prompt.id)
    [again] = await store.prompts.claim_due(NOW, 10)
    assert again.id == prompt.id and again.attempts == 2


async def test_snooze_and_skip_only_by_owner(store):
    pid = await schedule(store, 1, NOW)
    [prompt] = await store.prompts.claim_due(NOW, 10)
    await store.prompts.mark_sent(prompt.id, 5, NOW)
    async with store.transaction() as tx:
        assert not await store.prompts.snooze(tx, pid, 2, NOW + timedelta(hours=1))
        assert await store.prompts.snooze(tx, pid, 1, NOW + timedelta(hours=1))
    snoozed = await store.prompts.get(pid)
    assert snoozed.state == "pending" and snoozed.snoozes == 1
    async with store.transaction() as tx:
        assert not await store.prompts.skip(tx, pid, 2)
        assert await store.prompts.skip(tx, pid, 1)
    assert (await store.prompts.get(pid)).state == "cancelled"


async def test_retry_keeps_the_original_due_time(store):
    pid = await schedule(store, 1, NOW)
    [prompt] = await store.prompts.claim_due(NOW, 10)
    await store.prompts.retry_later(prompt.id, NOW + timedelta(minutes=5), "closed", NOW)
    [again] = await store.prompts.claim_due(NOW + timedelta(minutes=5), 10)
    await store.prompts.retry_later(again.id, NOW + timedelta(minutes=15), "closed", again.due_at)
    final = await store.prompts.get(pid)
    assert final.late_since == NOW and final.due_at == NOW + timedelta(minutes=15)
    assert final.last_error == "closed"


async def test_a_cancelled_prompt_comes_back_only_when_revived(store):
    pid = await schedule(store, 1, NOW)
    async with store.transaction() as tx:
        assert await store.prompts.cancel(tx, "debrief", 1)
    assert await schedule(store, 1, NOW + timedelta(hours=1)) is None  # an edit doesn't revive a skipped prompt
    async with store.transaction() as tx:
        again = await store.prompts.schedule(
            tx, kind="debrief", subject_id=1, user_id=1, due_at=NOW + timedelta(hours=2), now=NOW, revive=True
        )
    assert again == pid
    prompt = await store.prompts.get(pid)
    assert prompt.state == "pending" and prompt.due_at == NOW + timedelta(hours=2)


async def test_claims_take_turns_across_users_and_cap_each_user_in_flight(store):
    """User 1 has 150 prompts due long ago, user 2 one due later: user 2's is in the first claim."""
    ts = int(NOW.timestamp())
    await store.prompts.schedule_many(("debrief", i, 1, ts - 3600 + i, ts) for i in range(150))
    await schedule(store, 1000, NOW, user=2)
    first = await store.prompts.claim_due(NOW, 50, per_user=2)
    assert sorted((p.user_id, p.subject_id) for p in first) == [(1, 0), (1, 1), (2, 1000)]
    # Nothing more for user 1 while two of theirs are in flight; one done, the next one goes.
    assert await store.prompts.claim_due(NOW, 50, per_user=2) == []
    await store.prompts.mark_sent(first[0].id, 1, NOW)
    [nxt] = await store.prompts.claim_due(NOW, 50, per_user=2)
    assert (nxt.user_id, nxt.subject_id) == (1, 2)


async def test_count_pending_counts_only_the_user_s_pending_prompts(store):
    for subject in range(3):
        await schedule(store, subject, NOW)
    await schedule(store, 10, NOW, user=2)
    await store.prompts.claim_due(NOW, 1)
    assert await store.prompts.count_pending(1) == 2
    assert await store.prompts.count_pending(2) == 1


async def test_a_claim_can_take_only_some_kinds_or_leave_them_out(store):
    """The dispatcher claims bulk kinds (weekly, cohort) apart from the rest (bot.prompts)."""
    await schedule(store, 1, NOW, kind="weekly")
    await schedule(store, 2, NOW, kind="debrief")
    await schedule(store, 3, NOW, kind="cohort", user=2)
    await schedule(store, 4, NOW, kind="checkin", user=2)
    others = await store.prompts.claim_due(NOW, 10, 2, skip={"weekly", "cohort"})
    assert sorted(p.kind for p in others) == ["checkin", "debrief"]
    assert await store.prompts.claim_due(NOW, 10, 2, skip={"weekly", "cohort"}) == []
    bulk = await store.prompts.claim_due(NOW, 10, 2, kinds={"weekly", "cohort"})
    assert sorted(p.kind for p in bulk) == ["cohort", "weekly"]
    assert await store.prompts.claim_due(NOW, 10, kinds=()) == []
