"""Issue 15: a debrief step's **Back** button, its question forms, and ``/debrief edit``'s buttons, select
and forms answer Discord first, then write, then show what comes next.

The click takes its message's components off at once, as the interaction's response, before the store
writes anything; the step before (Back) or the updated card (an edit) follows once the write has
committed. Shown with the store's write lock held by the test (the write waits; the response does not)
and with the store refusing writes (the components come back, and the user is told it was not saved).
A value the coaching refuses is still answered at once, as before, with nothing taken off.
"""

from __future__ import annotations

import asyncio

from tests.cogs._debrief_steps import at_step, first_step, tracked, wait_until
from tests.cogs.test_debrief_e2e import fields, has_card

UPDATE_MESSAGE = 7  # the interaction callback type that edits the clicked message
STRONG = "Explaining trade-offs out loud"


async def second_step(world, user):
    """Step 1 skipped: (the interview's id, the message showing step 2, which has a Back button)."""
    iid, first = await first_step(world, user)
    await user.click(first, label="Skip")
    second = await user.wait_for_dm(predicate=at_step(2))
    await tracked(world, user, iid, second)
    return iid, second


async def finished(world, user) -> int:
    """A debrief with every step skipped, finished: the interview's id."""
    iid, message = await first_step(world, user)
    for n in range(2, 13):
        await user.click(message, label="Skip")
        message = await user.wait_for_dm(predicate=at_step(n))
    await user.click(message, label="Skip")
    await user.wait_for_dm(predicate=has_card)
    assert (await world.store.debriefs.for_interview(user.id, iid)).state == "done"
    return iid


async def editing(user, iid: int, step: str):
    """The message ``/debrief edit`` shows for ``step`` (in the user's DM with the bot)."""
    return await (await user.slash("debrief edit", interview=str(iid), step=step)).wait_message()


async def answers(world, user, iid: int) -> dict:
    debrief = await world.store.debriefs.for_interview(user.id, iid)
    return {k: a.value for k, a in (await world.store.debriefs.answers(debrief.id)).items() if not a.skipped}


def answered_first(rtype: int, data: dict | None) -> bool:
    return rtype == UPDATE_MESSAGE and (data or {}).get("components") == []


async def test_back_is_answered_while_the_store_is_busy_and_shows_the_step_before_once_written(world):
    alice = world.alice
    iid, second = await second_step(world, alice)
    async with world.store.db.transaction():  # every write of the bot waits for this
        h = await alice.click(second, label="Back")
        assert answered_first(*await h.response())
        assert second.buttons == [] and "step 2 of 12" in second.content  # not moved before the write
    await wait_until(lambda: "step 1 of 12" in second.content and bool(second.buttons))
    assert (await world.store.debriefs.for_interview(alice.id, iid)).step == "recall"
    await tracked(world, alice, iid, second)  # the message is still the one showing the step

    await alice.click(second, label="Skip")  # and its buttons work
    await alice.wait_for_dm(predicate=at_step(2))


async def test_back_that_cannot_be_saved_says_so_and_gives_its_buttons_back(world):
    alice = world.alice
    iid, second = await second_step(world, alice)
    labels = [b[0] for b in second.buttons]
    await world.store.db.execute("PRAGMA query_only = ON")  # every write fails, as on a read-only disk
    try:
        h = await alice.click(second, label="Back")
        rtype, _ = await h.response()
        assert rtype == UPDATE_MESSAGE  # answered at once, before the write was tried
        said = await h.wait_followup()
        assert said.ephemeral and "not saved" in said.content and "try again" in said.content, said.content
        await wait_until(lambda: [b[0] for b in second.buttons] == labels)
    finally:
        await world.store.db.execute("PRAGMA query_only = OFF")
    assert "step 2 of 12" in second.content
    assert (await world.store.debriefs.for_interview(alice.id, iid)).step != "recall"

    await alice.click(second, label="Back")  # the buttons given back work
    await wait_until(lambda: "step 1 of 12" in second.content and bool(second.buttons))


async def test_a_question_form_is_answered_before_the_question_is_written(world):
    """The questions step's form in an open debrief: the step stays, and shows the question once saved."""
    alice = world.alice
    iid, second = await second_step(world, alice)
    form = await alice.click(second, label="Add a question")
    await form.response()
    async with world.store.db.transaction():
        added = await form.submit_modal({"The question": "How does a hash map work?"})
        assert answered_first(*await added.response())
        assert "How does a hash map work?" not in second.content
    await wait_until(lambda: "How does a hash map work?" in second.content and bool(second.buttons))
    assert "step 2 of 12" in second.content
    assert [q["question"] for q in (await answers(world, alice, iid))["questions"]] == ["How does a hash map work?"]
    await tracked(world, alice, iid, second)


async def test_an_edit_button_is_answered_while_the_store_is_busy_and_shows_the_card_once_written(world):
    alice = world.alice
    iid = await finished(world, alice)
    message = await editing(alice, iid, "confidence")
    async with world.store.db.transaction():
        h = await alice.click(message, label="5")
        assert answered_first(*await h.response())
        assert not message.embeds  # the card only once the edit is written
    await wait_until(lambda: has_card(message))
    assert "Confidence 5 of 5." in fields(message)["The human side"] and message.buttons == []
    assert (await answers(world, alice, iid))["confidence"] == 5


async def test_the_edit_topics_select_is_answered_before_the_edit_is_written(world):
    alice = world.alice
    iid = await finished(world, alice)
    message = await editing(alice, iid, "topics")
    async with world.store.db.transaction():
        h = await alice.select(message, ["system_design", "communication"])
        assert answered_first(*await h.response())
        assert not message.embeds
    await wait_until(lambda: has_card(message))
    assert fields(message)["Topics"] == "System design, Communication"
    assert (await answers(world, alice, iid))["topics"] == ["system_design", "communication"]


async def test_an_edit_form_is_answered_before_the_edit_is_written(world):
    alice = world.alice
    iid = await finished(world, alice)
    message = await editing(alice, iid, "strong")
    form = await alice.click(message, label="Write it")
    await form.response()
    async with world.store.db.transaction():
        submitted = await form.submit_modal({"Your answer": STRONG})
        assert answered_first(*await submitted.response())
        assert not message.embeds
    await wait_until(lambda: has_card(message))
    assert fields(message)["What felt strong"] == STRONG
    assert (await answers(world, alice, iid))["strong"] == STRONG


async def test_an_edit_question_form_is_answered_before_the_question_is_written(world):
    alice = world.alice
    iid = await finished(world, alice)
    message = await editing(alice, iid, "questions")
    form = await alice.click(message, label="Add a question")
    await form.response()
    async with world.store.db.transaction():
        added = await form.submit_modal({"The question": "Design a URL shortener"})
        assert answered_first(*await added.response())
        assert "Added." not in message.content
    await wait_until(lambda: "Added." in message.content and bool(message.buttons))
    assert "Design a URL shortener" in message.content
    assert [q["question"] for q in (await answers(world, alice, iid))["questions"]] == ["Design a URL shortener"]


async def test_an_edit_that_cannot_be_saved_says_so_and_gives_its_buttons_back(world):
    alice = world.alice
    iid = await finished(world, alice)
    message = await editing(alice, iid, "confidence")
    labels = [b[0] for b in message.buttons]
    await world.store.db.execute("PRAGMA query_only = ON")
    try:
        h = await alice.click(message, label="5")
        rtype, _ = await h.response()
        assert rtype == UPDATE_MESSAGE
        said = await h.wait_followup()
        assert said.ephemeral and "not saved" in said.content and "try again" in said.content, said.content
        await wait_until(lambda: [b[0] for b in message.buttons] == labels)
    finally:
        await world.store.db.execute("PRAGMA query_only = OFF")
    assert not message.embeds and "confidence" not in await answers(world, alice, iid)

    await alice.click(message, label="5")  # the buttons given back work
    await wait_until(lambda: has_card(message))
    assert (await answers(world, alice, iid))["confidence"] == 5


async def test_a_refused_edit_is_answered_at_once_with_nothing_taken_off(world):
    """An empty answer is refused before anything is answered or written: the form's message keeps its
    buttons, and the refusal is the response."""
    alice = world.alice
    iid = await finished(world, alice)
    message = await editing(alice, iid, "strong")
    labels = [b[0] for b in message.buttons]
    form = await alice.click(message, label="Write it")
    await form.response()
    async with world.store.db.transaction():  # a refusal writes nothing, so it does not wait
        empty = await form.submit_modal({"Your answer": "   "})
        rtype, _ = await empty.response()
        assert rtype != UPDATE_MESSAGE and empty.ephemeral and "empty" in empty.message.content
    assert [b[0] for b in message.buttons] == labels and not message.embeds
    assert "strong" not in await answers(world, alice, iid)


async def test_an_edit_saved_whose_card_cannot_be_read_says_it_was_saved(world, monkeypatch):
    """A read failing after the edit committed is not "not saved": the buttons stay off, the edit is kept."""
    from tests.cogs.test_ack_first_e2e import failing_read_back

    alice = world.alice
    iid = await finished(world, alice)
    message = await editing(alice, iid, "confidence")
    failing_read_back(monkeypatch, fail_on=2)  # 1: the click's own look at the debrief; 2: after the write
    h = await alice.click(message, label="5")
    assert answered_first(*await h.response())
    said = await h.wait_followup()
    monkeypatch.undo()
    assert said.ephemeral and "not saved" not in said.content and "was saved" in said.content, said.content
    assert (await answers(world, alice, iid))["confidence"] == 5
    await asyncio.sleep(0.2)
    assert message.buttons == []  # not given back: the edit is saved
