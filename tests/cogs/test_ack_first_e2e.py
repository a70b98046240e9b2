"""Issue 15: the debrief's components answer Discord first, then write, then show what comes next.

A click (a button, the topics select, a submitted form, "Start debrief" on the prompt) takes the buttons
off its message at once, as the interaction's response, before the store writes anything; the record
("Saved: …") and the next step follow once the write has committed, so nothing is ever said to be saved
before it is. Shown here with the store's write lock held by the test (the write waits; the response
does not) and with the store refusing writes (the buttons come back, and the user is told it was not
saved).
"""

from __future__ import annotations

import asyncio

from tests.cogs._debrief_steps import at_step, first_step, logged, tracked, wait_until

UPDATE_MESSAGE = 7  # the interaction callback type that edits the clicked message
RECALL = "Joined five minutes early and talked through the capstone."


async def test_a_skip_is_answered_while_the_store_is_busy_and_recorded_once_it_has_written(world):
    alice = world.alice
    iid, first = await first_step(world, alice)
    async with world.store.db.transaction():  # every write of the bot waits for this
        h = await alice.click(first, label="Skip")
        rtype, data = await h.response()
        assert rtype == UPDATE_MESSAGE and (data or {}).get("components") == []
        assert first.buttons == [] and "step 1 of 12" in first.content  # buttons off at once, not yet a record
        assert "Skipped" not in first.content  # nothing said before the write
    second = await alice.wait_for_dm(predicate=at_step(2))
    assert "Skipped." in first.content and first.buttons == []
    assert (await world.store.debriefs.for_interview(alice.id, iid)).step != "recall"
    await tracked(world, alice, iid, second)


async def test_a_submitted_form_is_answered_before_its_answer_is_written(world):
    alice = world.alice
    iid, first = await first_step(world, alice)
    form = await alice.click(first, label="Write it")
    await form.response()
    async with world.store.db.transaction():
        submitted = await form.submit_modal({"Your answer": RECALL})
        rtype, data = await submitted.response()
        assert rtype == UPDATE_MESSAGE and (data or {}).get("components") == []
        assert "Saved" not in first.content
    await alice.wait_for_dm(predicate=at_step(2))
    assert "Saved" in first.content and RECALL[:30] in first.content
    debrief = await world.store.debriefs.for_interview(alice.id, iid)
    assert (await world.store.debriefs.answers(debrief.id))["recall"].value == RECALL


async def test_the_topics_select_is_answered_before_its_answer_is_written(world):
    alice = world.alice
    iid, first = await first_step(world, alice)
    debrief = await world.store.debriefs.for_interview(alice.id, iid)
    message = first  # skip to the topics step (10 of 12)
    for n in range(1, 10):
        await alice.click(message, label="Skip")
        message = await alice.wait_for_dm(predicate=at_step(n + 1))
    await tracked(world, alice, iid, message)
    assert message.selects
    async with world.store.db.transaction():
        h = await alice.select(message, ["coding", "nerves"])
        rtype, data = await h.response()
        assert rtype == UPDATE_MESSAGE and (data or {}).get("components") == []
    await alice.wait_for_dm(predicate=at_step(11))
    answers = await world.store.debriefs.answers(debrief.id)
    assert sorted(answers["topics"].value) == ["coding", "nerves"]
    assert "Saved" in message.content


async def test_start_debrief_on_the_prompt_takes_its_buttons_off_before_the_debrief_is_written(world):
    alice = world.alice
    iid = await logged(world, alice)
    prompt = await alice.wait_for_dm(predicate=lambda m: "How did it go" in m.content)
    async with world.store.db.transaction():
        h = await alice.click(prompt, label="Start debrief")
        rtype, data = await h.response()
        assert rtype == UPDATE_MESSAGE and (data or {}).get("components") == []
        assert prompt.buttons == []
        assert not any("step 1 of 12" in m.content for m in alice.dm_messages)
    first = await alice.wait_for_dm(predicate=at_step(1))
    await tracked(world, alice, iid, first)


async def test_a_click_that_cannot_be_saved_says_so_and_gives_its_buttons_back(world):
    alice = world.alice
    iid, first = await first_step(world, alice)
    await world.store.db.execute("PRAGMA query_only = ON")  # every write fails, as on a read-only disk
    try:
        h = await alice.click(first, label="Skip")
        rtype, _ = await h.response()
        assert rtype == UPDATE_MESSAGE  # answered at once, before the write was tried
        said = await h.wait_followup()
        assert said.ephemeral
        assert "not saved" in said.content and "try again" in said.content, said.content
        await wait_until(lambda: [b[0] for b in first.buttons] == ["Write it", "Skip"])
    finally:
        await world.store.db.execute("PRAGMA query_only = OFF")
    assert (await world.store.debriefs.for_interview(alice.id, iid)).step == "recall"  # nothing half-saved
    assert "Skipped" not in first.content

    # The buttons given back work.
    await alice.click(first, label="Skip")
    await alice.wait_for_dm(predicate=at_step(2))
    assert "Skipped." in first.content


async def test_a_start_that_cannot_be_saved_gives_the_prompt_its_buttons_back(world):
    alice = world.alice
    iid = await logged(world, alice)
    prompt = await alice.wait_for_dm(predicate=lambda m: "How did it go" in m.content)
    labels = [b[0] for b in prompt.buttons]
    await world.store.db.execute("PRAGMA query_only = ON")
    try:
        h = await alice.click(prompt, label="Start debrief")
        rtype, _ = await h.response()
        assert rtype == UPDATE_MESSAGE
        said = await h.wait_followup()
        assert said.ephemeral and "not saved" in said.content, said.content
        await wait_until(lambda: [b[0] for b in prompt.buttons] == labels)
    finally:
        await world.store.db.execute("PRAGMA query_only = OFF")
    assert await world.store.debriefs.for_interview(alice.id, iid) is None
    await alice.click(prompt, label="Start debrief")
    await alice.wait_for_dm(predicate=at_step(1))


def failing_read_back(monkeypatch, fail_on: int) -> None:
    """The debrief's ``fail_on``-th read from now fails (as a dropped connection would): the read that
    shows the change right after its transaction committed."""
    from bot.services.debriefs import DebriefService
    from bot.store import StoreError

    real = DebriefService.load
    calls = {"n": 0}

    async def load(self, user_id, debrief_id):
        calls["n"] += 1
        if calls["n"] == fail_on:
            raise StoreError("the connection dropped after the commit")
        return await real(self, user_id, debrief_id)

    monkeypatch.setattr(DebriefService, "load", load)


async def test_a_click_saved_whose_next_step_cannot_be_read_says_it_was_saved(world, monkeypatch):
    """From the review: a read failing after the commit was reported as "not saved", with the clicked
    step's buttons given back though the debrief had moved on."""
    alice = world.alice
    iid, first = await first_step(world, alice)
    failing_read_back(monkeypatch, fail_on=2)  # 1: the click's own look at the debrief; 2: after the write
    h = await alice.click(first, label="Skip")
    await h.response()
    said = await h.wait_followup()
    monkeypatch.undo()
    assert said.ephemeral
    assert "not saved" not in said.content and "saved" in said.content, said.content
    assert "/debrief start" in said.content
    assert (await world.store.debriefs.for_interview(alice.id, iid)).step != "recall"  # it was saved
    await asyncio.sleep(0.2)
    assert first.buttons == []  # the step it moved on from does not get its buttons back

    resumed = await alice.slash("debrief start", interview=str(iid))
    assert "step 2 of 12" in (await resumed.wait_message()).content


async def test_a_start_saved_whose_first_step_cannot_be_read_says_it_was_saved(world, monkeypatch):
    alice = world.alice
    iid = await logged(world, alice)
    prompt = await alice.wait_for_dm(predicate=lambda m: "How did it go" in m.content)
    failing_read_back(monkeypatch, fail_on=1)  # begin reads the debrief only after creating it
    h = await alice.click(prompt, label="Start debrief")
    await h.response()
    said = await h.wait_followup()
    monkeypatch.undo()
    assert "not saved" not in said.content and "/debrief start" in said.content, said.content
    assert await world.store.debriefs.for_interview(alice.id, iid) is not None
    resumed = await alice.slash("debrief start", interview=str(iid))
    assert "step 1 of 12" in (await resumed.wait_message()).content


async def test_a_typed_answer_saved_whose_next_step_cannot_be_read_is_not_asked_for_again(world, monkeypatch):
    """Asking to send it again (the reply to a typed answer that was not saved) would save it twice."""
    alice = world.alice
    iid, _first = await first_step(world, alice)
    failing_read_back(monkeypatch, fail_on=1)  # the DM handler finds the open debrief without it
    await alice.send_dm(RECALL)
    said = await alice.wait_for_dm(predicate=lambda m: "was saved, but" in m.content or "not saved" in m.content)
    monkeypatch.undo()
    assert "not saved" not in said.content and "/debrief start" in said.content, said.content
    debrief = await world.store.debriefs.for_interview(alice.id, iid)
    assert (await world.store.debriefs.answers(debrief.id))["recall"].value == RECALL
