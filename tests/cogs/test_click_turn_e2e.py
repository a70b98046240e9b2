"""Issue 15: a click is answered without waiting for the same user's previous action.

A debrief click that is answered before its write (its components taken off) and arrives while the
user's previous action (here a typed reply, whose write the test holds up with the store's write lock)
still holds their turn is answered at once; it keeps its place in the line and is applied after the
previous action, never beside it: the step check then refuses it if its step was answered meanwhile.
"""

from __future__ import annotations

import logging

from fakediscord import FakeMessage
from tests.cogs._debrief_steps import at_step, wait_until
from tests.cogs._debrief_steps import first_step as shown_first_step

UPDATE_MESSAGE = 7  # the interaction callback type that edits the clicked message
RECALL = "Joined five minutes early and talked through the capstone."
RUNAWAY = 30.0  # seconds: only a bound for a bot that never answers, not a timing check
WENT_AHEAD = "went ahead without waiting its turn"


async def first_step(world, user) -> tuple[int, FakeMessage]:
    """Step 1 shown and recorded, and the start's turn over."""
    interview_id, first = await shown_first_step(world, user)
    await wait_until(lambda: user.id not in world.bot.get_cog("Debriefs").turns, RUNAWAY)
    return interview_id, first


async def test_a_click_behind_the_users_typed_reply_is_answered_at_once_and_applied_after_it(world, caplog):
    caplog.set_level(logging.INFO, logger="cogs.debrief._turns")
    alice = world.alice
    iid, first = await first_step(world, alice)
    turns = world.bot.get_cog("Debriefs").turns
    async with world.store.db.transaction():  # the typed reply's write waits for this, holding alice's turn
        await alice.send_dm(RECALL)
        await wait_until(lambda: alice.id in turns, RUNAWAY)
        h = await alice.click(first, label="Skip")
        rtype, data = await h.response(timeout=RUNAWAY)
        assert rtype == UPDATE_MESSAGE and (data or {}).get("components") == []
        assert first.buttons == [] and "Skipped" not in first.content  # taken off; nothing said yet
        assert alice.id in turns  # the typed reply still holds the turn: the answer did not wait for it
        assert not any(at_step(2)(m) for m in alice.dm_messages)
    second = await alice.wait_for_dm(predicate=at_step(2))  # the typed reply, first
    # Then the click, in its turn: its step was answered meanwhile, so nothing of it is applied; alice is
    # told and shown where she is.
    await wait_until(lambda: len(h.followups) >= 1 and alice.id not in turns, RUNAWAY)
    assert "step 2 of 12" in h.followups[0].content
    debrief = await world.store.debriefs.for_interview(alice.id, iid)
    assert (await world.store.debriefs.answers(debrief.id))["recall"].value == RECALL  # answered, not skipped
    assert debrief.step != "recall" and h.followups[0].buttons  # step 2, shown again below the click
    assert second.id < h.followups[0].id  # the typed reply's message came first
    assert WENT_AHEAD not in caplog.text  # it waited its turn: it was never applied beside the typed reply


async def test_two_quick_answers_are_applied_in_arrival_order_the_second_answered_at_once(world, caplog):
    caplog.set_level(logging.INFO, logger="cogs.debrief._turns")
    alice = world.alice
    iid, first = await first_step(world, alice)
    turns = world.bot.get_cog("Debriefs").turns
    form = await alice.click(first, label="Write it")  # opens the form: nothing written
    await form.response()
    async with world.store.db.transaction():
        skip = await alice.click(first, label="Skip")  # first: it holds the turn while its write waits
        assert (await skip.response(timeout=RUNAWAY))[0] == UPDATE_MESSAGE
        await wait_until(lambda: alice.id in turns, RUNAWAY)
        submitted = await form.submit_modal({"Your answer": RECALL})  # second: the same step, by the form
        rtype, data = await submitted.response(timeout=RUNAWAY)
        assert rtype == UPDATE_MESSAGE and (data or {}).get("components") == []
        assert alice.id in turns  # answered while the skip still held the turn
    await wait_until(lambda: alice.id not in turns and len(submitted.followups) >= 1, RUNAWAY)
    # Applied in arrival order: the skip, then the form, which found its step gone and gave the words back.
    debrief = await world.store.debriefs.for_interview(alice.id, iid)
    assert debrief.step != "recall"
    recall = (await world.store.debriefs.answers(debrief.id)).get("recall")
    assert recall is None or recall.value != RECALL
    assert any(RECALL[:20] in m.content for m in submitted.followups), [m.content for m in submitted.followups]
    assert "Skipped" in first.content
    assert WENT_AHEAD not in caplog.text
