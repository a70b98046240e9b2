"""The retention sweep's store side: it never takes a server for a person, and never deletes someone who
came back between the sweep's read and its delete (found by the review of issue 14)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

START = datetime(2026, 11, 22, tzinfo=UTC)  # when the fixture's users 1 and 2 were last seen
GUILD = 900


async def test_a_server_s_own_row_is_never_an_inactive_person(store):
    await store.users.ensure(GUILD, START)  # the owner of the server's queued cohort posts
    await store.summaries.add_channel(901, GUILD, START)
    later = START + timedelta(days=400)
    assert sorted(await store.privacy.inactive_unwarned(later, 10)) == [1, 2]


async def test_a_user_who_came_back_after_the_sweep_read_them_keeps_their_data(store):
    warned_at = START + timedelta(days=180)
    await store.privacy.warn(1, warned_at, warned_at)
    await store.privacy.warn(2, warned_at, warned_at)
    now = warned_at + timedelta(days=8)
    seen_before, warned_before = now - timedelta(days=170), now - timedelta(days=7)
    assert sorted(await store.privacy.inactive_warned(seen_before, warned_before, 10)) == [1, 2]
    await store.privacy.touch(1, now, 3600)  # user 1 comes back before the delete runs
    assert await store.privacy.forget(1, if_inactive=(seen_before, warned_before)) == {}
    assert await store.users.get(1) is not None
    assert await store.privacy.forget(2, if_inactive=(seen_before, warned_before))
    assert await store.users.get(2) is None
