"""Issue 9.8: a typed DM that fails gets a clear reply, and the user is told their words were not saved.

The read-only disk is the store's own connection switched to ``query_only``: every write then fails in
SQLite exactly as on a read-only file (the tests run as root, who can write a read-only file).
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

NOW = datetime(2026, 11, 23, 13, 0, tzinfo=UTC)  # 14:00 in Berlin
RECALL = "Joined five minutes early. Intro round: I talked about my bootcamp capstone and why backend."


async def debrief_open(world, user) -> int:
    world.clock.set(NOW)
    await world.store.users.ensure(user.id, NOW)
    await world.store.users.set_timezone(user.id, "Europe/Berlin")
    h = await user.slash("interview log", company="Acme", when="5 hours ago", stage="technical")
    await h.wait_message()
    [interview] = await world.store.interviews.list(user.id)
    start = await user.slash("debrief start", interview=str(interview.id))
    first = await start.wait_message()
    for _ in range(250):  # until the bot has noted which message shows the step (its last write)
        debrief = await world.store.debriefs.for_interview(user.id, interview.id)
        if debrief.message_id == first.id:
            return interview.id
        await asyncio.sleep(0.02)
    raise TimeoutError("the step message was not recorded")


async def test_an_answer_typed_while_the_disk_is_read_only_is_not_lost_silently(world):
    alice = world.alice
    iid = await debrief_open(world, alice)
    await world.store.db.execute("PRAGMA query_only = ON")
    try:
        sent = await alice.send_dm(RECALL)
        said = await alice.wait_for_dm(predicate=lambda m: m.id > sent.id)
    finally:
        await world.store.db.execute("PRAGMA query_only = OFF")
    assert "not saved" in said.content, said.content
    assert "Joined five minutes early" in said.content  # the start of their words, quoted back
    assert "send it again" in said.content
    debrief = await world.store.debriefs.for_interview(alice.id, iid)
    assert debrief.step == "recall"  # nothing half-saved

    # Once the disk is back, the same words go in.
    again = await alice.send_dm(RECALL)
    await alice.wait_for_dm(predicate=lambda m: m.id > again.id)
    answers = await world.store.debriefs.answers(debrief.id)
    assert answers["recall"].value == RECALL


async def test_a_reply_to_the_prompt_of_a_deleted_interview_says_so(world):
    alice = world.alice
    world.clock.set(NOW)
    await world.store.users.ensure(alice.id, NOW)
    await world.store.users.set_timezone(alice.id, "Europe/Berlin")
    h = await alice.slash("interview log", company="Acme", when="5 hours ago", stage="technical")
    await h.wait_message()
    prompt = await alice.wait_for_dm(predicate=lambda m: m.content.startswith("**How did it go"))
    [interview] = await world.store.interviews.list(alice.id)
    await world.bot.services.interviews.delete(alice.id, interview.id)
    reply = world.fake.state.post_message(
        alice.dm_channel,
        alice,
        content="It went fine, they asked about caching",
        mtype=19,
        message_reference={"type": 0, "message_id": str(prompt.id), "channel_id": str(alice.dm_channel.id)},
    )
    said = await alice.wait_for_dm(predicate=lambda m: m.id > reply.id)
    assert "can't find that interview" in said.content, said.content
    assert "not saved" in said.content and "It went fine" in said.content


async def test_an_answer_typed_after_its_interview_was_deleted_is_said_to_be_unsaved(world):
    alice = world.alice
    iid = await debrief_open(world, alice)
    await world.bot.services.interviews.delete(alice.id, iid)  # from another message's Delete button
    sent = await alice.send_dm(RECALL)
    said = await alice.wait_for_dm(predicate=lambda m: m.id > sent.id)
    assert "not saved" in said.content, said.content
    assert "Joined five minutes early" in said.content
    assert await world.store.interviews.list(alice.id) == []
