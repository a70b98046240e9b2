"""Feedback, applications and next steps: each user reaches only their own rows; deleting cascades."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.store.db import available_migrations

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


async def interview(store, user=1, company="Acme"):
    async with store.transaction() as tx:
        return await store.interviews.add(
            tx, user_id=user, company=company, stage="technical", starts_at=NOW - timedelta(days=1), now=NOW
        )


async def test_migration_3_is_shipped_and_applied(store):
    assert 3 in available_migrations()
    assert await store.db.schema_version() == max(available_migrations())
    assert "next_steps" in await store.db.tables()


async def test_feedback_is_saved_for_own_interviews_only(store):
    mine = await interview(store)
    theirs = await interview(store, user=2, company="Globex")
    fid = await store.feedback.add(user_id=1, interview_id=mine, text="More depth on trade-offs", now=NOW)
    assert fid is not None
    assert await store.feedback.add(user_id=1, interview_id=theirs, text="sneaky", now=NOW) is None
    [saved] = await store.feedback.for_interview(1, mine)
    assert (saved.text, saved.company, saved.control) == ("More depth on trade-offs", "Acme", None)
    assert saved.created_at == NOW
    assert await store.feedback.for_interview(2, mine) == []
    assert await store.feedback.get(2, fid) is None
    assert (await store.db.fetchone("SELECT COUNT(*) FROM feedback"))[0] == 1


async def test_control_is_set_only_by_the_owner_and_only_to_known_values(store):
    fid = await store.feedback.add(user_id=1, interview_id=await interview(store), text="Too junior", now=NOW)
    assert not await store.feedback.set_control(2, fid, "outside_control")
    assert (await store.feedback.get(1, fid)).control is None
    assert await store.feedback.set_control(1, fid, "outside_control")
    assert (await store.feedback.get(1, fid)).control == "outside_control"
    with pytest.raises(ValueError):
        await store.feedback.set_control(1, fid, "nonsense")


async def test_for_user_is_newest_first(store):
    a = await interview(store, company="Acme")
    b = await interview(store, company="Globex")
    await store.feedback.add(user_id=1, interview_id=a, text="first", now=NOW)
    await store.feedback.add(user_id=1, interview_id=b, text="second", now=NOW + timedelta(hours=1))
    assert [f.text for f in await store.feedback.for_user(1)] == ["second", "first"]
    assert await store.feedback.for_user(2) == []


async def test_applications_total_in_a_range_per_user(store):
    await store.applications.add(1, 3, NOW - timedelta(days=8))
    await store.applications.add(1, 2, NOW - timedelta(days=1))
    await store.applications.add(1, 4, NOW)
    await store.applications.add(2, 10, NOW)
    assert await store.applications.total(1, NOW - timedelta(days=7)) == 6
    assert await store.applications.total(1, NOW - timedelta(days=7), NOW) == 2
    assert await store.applications.total(2, NOW - timedelta(days=7)) == 10
    assert await store.applications.total(1, NOW + timedelta(days=1)) == 0


async def test_next_steps_for_own_interviews(store):
    mine = await interview(store)
    theirs = await interview(store, user=2)
    assert await store.next_steps.add(user_id=1, interview_id=mine, action="talk", now=NOW) is not None
    assert await store.next_steps.add(user_id=1, interview_id=theirs, action="talk", now=NOW) is None
    [step] = await store.next_steps.for_user(1)
    assert (step.interview_id, step.action, step.chosen_at) == (mine, "talk", NOW)


async def test_deleting_the_interview_or_the_user_removes_everything(store):
    iid = await interview(store)
    await store.feedback.add(user_id=1, interview_id=iid, text="x1", now=NOW)
    await store.next_steps.add(user_id=1, interview_id=iid, action="debrief", now=NOW)
    async with store.transaction() as tx:
        await store.interviews.delete(tx, 1, iid)
    assert await store.feedback.for_user(1) == []
    assert await store.next_steps.for_user(1) == []
    await store.applications.add(1, 2, NOW)
    await store.feedback.add(user_id=1, interview_id=await interview(store), text="x2", now=NOW)
    await store.users.delete(1)
    for table in ("feedback", "applications", "next_steps"):
        assert (await store.db.fetchone(f"SELECT COUNT(*) FROM {table} WHERE user_id = 1"))[0] == 0
