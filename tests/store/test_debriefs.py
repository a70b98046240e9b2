"""The debrief rows: one open per user, conditional step moves, answers as JSON, focus."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.store import Conflict, Store

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


async def interview(store: Store, user: int = 1, company: str = "Acme", hours_ago: float = 5) -> int:
    async with store.transaction() as tx:
        return await store.interviews.add(
            tx, user_id=user, company=company, stage="technical", starts_at=NOW - timedelta(hours=hours_ago), now=NOW
        )


async def create(store: Store, interview_id: int, user: int = 1, step: str = "recall") -> int:
    async with store.transaction() as tx:
        return await store.debriefs.create(tx, user_id=user, interview_id=interview_id, step=step, now=NOW)


async def test_migration_adds_message_and_summary(store):
    columns = (await store.db.tables())["debriefs"][0]
    assert {"message_id", "summary", "step", "state"} <= columns
    assert await store.db.schema_version() >= 2


async def test_create_and_read_back(store):
    iid = await interview(store)
    did = await create(store, iid)
    debrief = await store.debriefs.get(1, did)
    assert (debrief.interview_id, debrief.step, debrief.state, debrief.started_at) == (iid, "recall", "open", NOW)
    assert debrief.message_id is None and debrief.summary is None
    assert (await store.debriefs.open_for(1)).id == did
    assert (await store.debriefs.for_interview(1, iid)).id == did


async def test_only_one_open_debrief_per_user(store):
    first, second = await interview(store), await interview(store, company="Globex")
    await create(store, first)
    with pytest.raises(Conflict):  # the store's own error, not the engine's
        await create(store, second)
    other = await interview(store, user=2)
    await create(store, other, user=2)  # another user is not affected


async def test_set_aside_frees_the_open_slot_and_keeps_answers(store):
    first, second = await interview(store), await interview(store, company="Globex")
    did = await create(store, first)
    async with store.transaction() as tx:
        await store.debriefs.save_answer(tx, did, "recall", "Arrived early", skipped=False, now=NOW)
        assert await store.debriefs.set_state(tx, 1, did, from_state="open", to_state="aside", now=NOW)
        assert not await store.debriefs.set_state(tx, 1, did, from_state="open", to_state="aside", now=NOW)
    await create(store, second)
    assert (await store.debriefs.answers(did))["recall"].value == "Arrived early"
    assert [d.id for d in await store.debriefs.of_user(1, ("aside",))] == [did]


async def test_move_only_from_the_expected_step(store):
    did = await create(store, await interview(store))
    async with store.transaction() as tx:
        assert await store.debriefs.move(tx, 1, did, from_step="recall", to_step="questions", now=NOW)
        assert not await store.debriefs.move(tx, 1, did, from_step="recall", to_step="questions", now=NOW)
        assert not await store.debriefs.move(tx, 2, did, from_step="questions", to_step="strong", now=NOW)
    assert (await store.debriefs.get(1, did)).step == "questions"


async def test_answers_are_upserted_as_json(store):
    did = await create(store, await interview(store))
    later = NOW + timedelta(minutes=5)
    async with store.transaction() as tx:
        await store.debriefs.save_answer(tx, did, "recall", "first", skipped=False, now=NOW)
        await store.debriefs.save_answer(tx, did, "recall", "Zweiter Versuch — ü", skipped=False, now=later)
        await store.debriefs.save_answer(tx, did, "confidence", 4, skipped=False, now=NOW)
        await store.debriefs.save_answer(tx, did, "topics", ["coding", "nerves"], skipped=False, now=NOW)
        await store.debriefs.save_answer(tx, did, "strong", "ignored", skipped=True, now=NOW)
    answers = await store.debriefs.answers(did)
    assert answers["recall"].value == "Zweiter Versuch — ü" and answers["recall"].updated_at == later
    assert answers["confidence"].value == 4
    assert answers["topics"].value == ["coding", "nerves"]
    assert answers["strong"].skipped and answers["strong"].value is None
    assert (await store.db.fetchone("SELECT COUNT(*) FROM answers"))[0] == 4


async def test_finish_only_once_and_only_from_open(store):
    did = await create(store, await interview(store))
    async with store.transaction() as tx:
        assert await store.debriefs.finish(tx, 1, did, {"one_thing": "x"}, NOW)
        assert not await store.debriefs.finish(tx, 1, did, {"one_thing": "y"}, NOW)
    debrief = await store.debriefs.get(1, did)
    assert debrief.state == "done" and debrief.finished_at == NOW and debrief.summary == {"one_thing": "x"}
    assert await store.debriefs.open_for(1) is None


async def test_a_user_only_reaches_their_own(store):
    did = await create(store, await interview(store))
    assert await store.debriefs.get(2, did) is None
    assert await store.debriefs.open_for(2) is None
    await store.debriefs.set_message(2, did, 99)
    assert (await store.debriefs.get(1, did)).message_id is None
    await store.debriefs.set_message(1, did, 99)
    assert (await store.debriefs.get(1, did)).message_id == 99


async def test_to_debrief_lists_past_interviews_without_a_finished_debrief(store):
    done = await interview(store, company="Done Co", hours_ago=10)
    half = await interview(store, company="Half Co", hours_ago=8)
    fresh = await interview(store, company="Fresh Co", hours_ago=2)
    await interview(store, company="Future Co", hours_ago=-5)
    did = await create(store, done)
    async with store.transaction() as tx:
        await store.debriefs.finish(tx, 1, did, {}, NOW)
        await store.interviews.mark_debriefed(tx, 1, done, NOW)
    await create(store, half)
    assert [i.id for i in await store.debriefs.to_debrief(1, NOW)] == [fresh, half]
    assert await store.debriefs.to_debrief(2, NOW) == []


async def test_focus_replaces_the_active_one_and_follows_edits(store):
    first, second = await interview(store), await interview(store, company="Globex")
    async with store.transaction() as tx:
        await store.debriefs.set_focus(tx, 1, "Slow down on system design", first, NOW)
        await store.debriefs.set_focus(tx, 1, "Prepare two questions for them", second, NOW + timedelta(hours=1))
    active = await store.debriefs.active_focus(1)
    assert (active.text, active.interview_id) == ("Prepare two questions for them", second)
    states = await store.db.fetchall("SELECT interview_id, state FROM focus ORDER BY id")
    assert [(r[0], r[1]) for r in states] == [(first, "dropped"), (second, "active")]
    async with store.transaction() as tx:
        assert not await store.debriefs.update_focus(tx, 1, first, "changed", NOW)  # no longer active
        assert await store.debriefs.update_focus(tx, 1, second, "Prepare three questions", NOW)
    assert (await store.debriefs.active_focus(1)).text == "Prepare three questions"
    async with store.transaction() as tx:
        assert await store.debriefs.update_focus(tx, 1, second, None, NOW)
    assert await store.debriefs.active_focus(1) is None
    assert await store.debriefs.active_focus(2) is None


async def test_deleting_the_interview_deletes_its_debrief_and_answers(store):
    iid = await interview(store)
    did = await create(store, iid)
    async with store.transaction() as tx:
        await store.debriefs.save_answer(tx, did, "recall", "x", skipped=False, now=NOW)
        await store.interviews.delete(tx, 1, iid)
    assert await store.debriefs.get(1, did) is None
    assert await store.debriefs.answers(did) == {}


async def reading(store: Store, debrief_id: int) -> tuple[str | None, str | None]:
    row = await store.db.fetchone("SELECT stumble_keys, topic_keys FROM debriefs WHERE id = ?", (debrief_id,))
    return row[0], row[1]


async def test_a_debriefs_stored_reading_is_cleared_by_any_answer_and_filled_only_where_missing(store):
    """Migration 0011: the reading is NULL until written, any answer written clears it, and the start-up
    pass's write never replaces one stored in between (an edit between its read and its write)."""
    done = []
    for n in range(3):  # one open at a time
        did = await create(store, await interview(store, company=f"Co{n}", hours_ago=5 + n))
        async with store.transaction() as tx:
            await store.debriefs.save_answer(tx, did, "stumbles", "froze on SQL", skipped=False, now=NOW)
            await store.debriefs.finish(tx, 1, did, {}, NOW)
        done.append(did)
    still_open = await create(store, await interview(store, user=2), user=2)
    async with store.transaction() as tx:
        await store.debriefs.save_answer(tx, still_open, "stumbles", "froze on SQL", skipped=False, now=NOW)
    assert [d for d, _answers in await store.debriefs.unkeyed(0, 10)] == done  # finished ones only, by id
    assert (await store.debriefs.unkeyed(done[0], 1))[0] == (done[1], {"stumbles": "froze on SQL"})

    async with store.transaction() as tx:
        await store.debriefs.set_keys(tx, done[0], {"nerves", "coding"}, ("coding",))
    assert await reading(store, done[0]) == ("coding nerves", "coding")
    async with store.transaction() as tx:  # an edit: the answer clears the reading, then stores its own
        await store.debriefs.save_answer(tx, done[0], "stumbles", "rambled", skipped=False, now=NOW)
        assert (await tx.fetchone("SELECT stumble_keys FROM debriefs WHERE id = ?", (done[0],)))[0] is None
        await store.debriefs.set_keys(tx, done[0], {"communication"}, ())
    async with store.transaction() as tx:  # the pass read it before the edit: its stale write changes nothing
        await store.debriefs.fill_keys(tx, [(done[0], {"nerves"}, ()), (done[1], {"coding"}, ("coding",))])
    assert await reading(store, done[0]) == ("communication", "")
    assert await reading(store, done[1]) == ("coding", "coding")
    assert await reading(store, done[2]) == (None, None)
    assert await reading(store, still_open) == (None, None)
    assert [d for d, _answers in await store.debriefs.unkeyed(0, 10)] == [done[2]]
