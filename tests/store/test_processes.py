"""Several bot processes on one PostgreSQL database (issue 18): a claim is safe across processes, and a
process taking back claims at start takes only those of processes that died, never a live one's."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest

from bot.store import Store
from tests import pg

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
TS = int(NOW.timestamp())


@pytest.fixture
async def url(request):
    async with pg.database(request) as url:
        yield url


async def process(url: str) -> Store:
    """A store as one bot process holds it: its own connections."""
    return await Store.open(url)


async def test_a_starting_process_takes_back_only_a_dead_process_s_claims(url):
    first, second = await process(url), await process(url)
    try:
        for user in (1, 2):
            await first.users.ensure(user, NOW)
        await first.prompts.schedule_many(("debrief", i, 1 + i % 2, TS, TS) for i in range(6))
        mine = await first.prompts.claim_due(NOW, 4)
        assert len(mine) == 4

        # The first process is alive and sending: a second one starting leaves its claims alone.
        assert await second.prompts.claimed() == []
        theirs = await second.prompts.claim_due(NOW, 10)
        assert {p.id for p in theirs}.isdisjoint(p.id for p in mine) and len(theirs) == 2
        await first.prompts.mark_sent(mine[0].id, 1, NOW)

        # The first process dies (its connections end, as on SIGKILL): its three unsettled claims are
        # now anyone's to take back, and only once.
        await first.close()
        third = await process(url)
        try:
            recovered = await second.prompts.claimed()
            assert sorted(p.id for p in recovered) == sorted(p.id for p in mine[1:])
            assert await third.prompts.claimed() == []  # the second process holds them now
            for prompt in recovered:
                await second.prompts.release(prompt.id)
            again = await third.prompts.claim_due(NOW, 10)
            assert sorted(p.id for p in again) == sorted(p.id for p in mine[1:])
        finally:
            await third.close()
    finally:
        await second.close()


async def test_processes_claiming_at_once_never_share_a_row_and_keep_each_user_s_bound(url):
    stores = [await process(url) for _ in range(3)]
    try:
        for user in range(1, 11):
            await stores[0].users.ensure(user, NOW)
        await stores[0].prompts.schedule_many(("debrief", i, 1 + i % 10, TS, TS) for i in range(600))
        batches = await asyncio.gather(*(s.prompts.claim_due(NOW, 50, per_user=2) for s in stores for _ in range(4)))
        claimed = [p for batch in batches for p in batch]
        assert len(claimed) == len({p.id for p in claimed}) == 20  # 10 users, 2 in flight each, whoever claimed
        per_user: dict[int, int] = {}
        for prompt in claimed:
            per_user[prompt.user_id] = per_user.get(prompt.user_id, 0) + 1
        assert set(per_user.values()) == {2}
    finally:
        for store in stores:
            await store.close()


async def test_a_prompt_another_live_process_still_holds_is_left_for_later_not_waited_for(url):
    """A snoozed prompt that falls due again while the process that claimed it is still sending it: a
    second process's claim passes over it (waiting would block every process's claims behind it)."""
    first, second = await process(url), await process(url)
    try:
        await first.users.ensure(1, NOW)
        await first.prompts.schedule_many(("debrief", i, 1, TS, TS) for i in range(2))
        [held, _other] = await first.prompts.claim_due(NOW, 10)
        async with first.transaction() as tx:  # the user snoozes it mid-send, to a moment already past
            assert await first.prompts.snooze(tx, held.id, 1, NOW)

        claimed = await asyncio.wait_for(second.prompts.claim_due(NOW, 10), 30)
        assert claimed == []
        assert (await second.prompts.get(held.id)).state == "pending"
        await first.prompts.mark_sent(held.id, 1, NOW)  # the first process's send ends: it lets go
        [again] = await second.prompts.claim_due(NOW, 10)
        assert again.id == held.id and again.attempts == 1  # the claim passed over did not count
    finally:
        await first.close()
        await second.close()
