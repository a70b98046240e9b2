"""Issue 15: `/debrief start` and the "one debrief at a time" choice answer Discord first, then write.

With the store's write lock held by the test, `/debrief start` is acknowledged anyway as Discord's
"thinking…" state (ephemeral in a server, where the step goes to the DM; in the bot's DM not ephemeral, as
the step itself replaces it and stays the step message, with the interaction's token kept for what
follows); the step comes only once the debrief is written. The choice's buttons come off at once, and the
chosen debrief follows the write. A write that fails says it was not saved.
"""

from __future__ import annotations

import asyncio

from tests.cogs._debrief_steps import NOW, at_step, logged, refuse_every_try, tracked, wait_until

CHANNEL_MESSAGE = 4
DEFERRED_CHANNEL_MESSAGE = 5  # the "thinking" response
UPDATE_MESSAGE = 7  # the callback that edits the clicked message
EPHEMERAL = 1 << 6
RECALL = "Joined five minutes early and talked through the capstone."


async def held_start(world, start) -> tuple:
    """Run ``start()`` with the store's write lock held: acknowledged as "thinking", no debrief written,
    nothing shown. Returns the interaction and its response's data, after the release."""
    async with world.store.db.transaction():  # every write of the bot waits for this
        h = await start()
        rtype, data = await h.response(timeout=2.0)
        assert rtype == DEFERRED_CHANNEL_MESSAGE, "acknowledged before the write, as a deferred response"
        await asyncio.sleep(0.2)  # the bot has every chance to show something early, if it would
        assert h.message is None or not h.message.has_visible_content
        assert not any("step 1 of 12" in m.content for m in world.alice.dm_messages)
    return h, data or {}


async def step_sent_to_dms(world, alice, h, interview_id: int) -> None:
    """Outside the bot's DM: the thinking response (ephemeral) says the step went to the DM, and it did."""
    said = await h.wait_message()
    assert said.ephemeral and "sent it to your DMs" in said.content
    first = await alice.wait_for_dm(predicate=at_step(1))
    await tracked(world, alice, interview_id, first)


async def test_debrief_start_in_the_dm_is_answered_before_the_debrief_is_written(world):
    alice = world.alice
    iid = await logged(world, alice)
    await world.idle()
    h, data = await held_start(world, lambda: alice.slash("debrief start", interview=str(iid)))
    assert not (data.get("flags") or 0) & EPHEMERAL  # the step stays in the conversation
    first = await h.wait_message()
    assert "step 1 of 12" in first.content and first.buttons and not first.ephemeral
    assert h.followups == []  # the thinking response became the step itself
    await tracked(world, alice, iid, first)  # the step message, by the id Discord gave the response

    # The step was sent through the interaction: a typed answer goes on through its token.
    await alice.send_dm(RECALL)
    second = await h.wait_followup()
    assert "step 2 of 12" in second.content
    await wait_until(lambda: first.buttons == [])
    debrief = await world.store.debriefs.for_interview(alice.id, iid)
    assert (await world.store.debriefs.answers(debrief.id))["recall"].value == RECALL


async def test_debrief_start_in_a_server_is_answered_privately_before_the_write(world):
    alice = world.alice
    iid = await logged(world, alice)
    await world.idle()
    await world.store.users.seen_in(alice.id, world.guild.id, world.guild.channel("general").id, NOW)
    h, data = await held_start(world, lambda: alice.slash("debrief start", interview=str(iid), guild=world.guild))
    assert (data.get("flags") or 0) & EPHEMERAL  # private in a server, from the first moment
    await step_sent_to_dms(world, alice, h, iid)


async def test_debrief_start_with_nothing_to_debrief_still_says_so(world):
    alice = world.alice
    world.clock.set(NOW)
    await world.store.users.ensure(alice.id, NOW)
    h = await alice.slash("debrief start")
    said = await h.wait_message()
    assert "no past interview waiting for a debrief" in said.content
    assert await world.store.debriefs.open_for(alice.id) is None


async def test_debrief_start_whose_write_fails_says_it_was_not_saved(world):
    alice = world.alice
    iid = await logged(world, alice)
    await world.idle()
    await world.store.db.execute("PRAGMA query_only = ON")  # every write fails, as on a read-only disk
    try:
        h = await alice.slash("debrief start", interview=str(iid))
        rtype, _ = await h.response()
        assert rtype == DEFERRED_CHANNEL_MESSAGE
        said = await h.wait_message()
        assert "not saved" in said.content and "again" in said.content, said.content
    finally:
        await world.store.db.execute("PRAGMA query_only = OFF")
    assert await world.store.debriefs.for_interview(alice.id, iid) is None


async def conflict(world, alice):
    """Acme's debrief open at step 1, Globex logged, and `/debrief start` for Globex: the choice message."""
    acme = await logged(world, alice)
    h = await alice.slash("interview log", company="Globex", when="2 hours ago", stage="technical")
    await h.wait_message()
    await world.idle()
    globex = next(i.id for i in await world.store.interviews.list(alice.id) if i.company == "Globex")
    first = await (await alice.slash("debrief start", interview=str(acme))).wait_message()
    await tracked(world, alice, acme, first)
    choice = await (await alice.slash("debrief start", interview=str(globex))).wait_message()
    assert [b[0] for b in choice.buttons] == ["Continue Acme", "Set it aside, start Globex"]
    return acme, globex, choice


async def test_the_choice_takes_its_buttons_off_before_the_debrief_is_set_aside(world):
    alice = world.alice
    acme, globex, choice = await conflict(world, alice)
    async with world.store.db.transaction():
        h = await alice.click(choice, label="Set it aside, start Globex")
        rtype, data = await h.response()
        assert rtype == UPDATE_MESSAGE and (data or {}).get("components") == []
        assert choice.buttons == []
        await asyncio.sleep(0.2)
        assert not any("is set aside" in m.content for m in alice.dm_messages)
    started = await alice.wait_for_dm(predicate=lambda m: at_step(1)(m) and "is set aside" in m.content)
    assert "Globex" in started.content and "is set aside with every answer kept" in started.content
    assert (await world.store.debriefs.for_interview(alice.id, acme)).state == "aside"
    await tracked(world, alice, globex, started)


async def aside_not_saved(alice, choice) -> None:
    """Click "Set it aside, start Globex" while its write fails: its buttons come off at once, then the user
    is told privately it was not saved, and the buttons come back as they were."""
    labels = [b[0] for b in choice.buttons]
    h = await alice.click(choice, label="Set it aside, start Globex")
    rtype, _ = await h.response()
    assert rtype == UPDATE_MESSAGE
    said = await h.wait_followup()
    assert said.ephemeral and "not saved" in said.content, said.content
    await wait_until(lambda: [b[0] for b in choice.buttons] == labels)


async def test_a_choice_that_cannot_be_saved_says_so_and_gives_its_buttons_back(world):
    alice = world.alice
    acme, _, choice = await conflict(world, alice)
    await world.store.db.execute("PRAGMA query_only = ON")
    try:
        await aside_not_saved(alice, choice)
    finally:
        await world.store.db.execute("PRAGMA query_only = OFF")
    assert (await world.store.debriefs.for_interview(alice.id, acme)).state == "open"


async def test_a_set_aside_whose_start_fails_keeps_the_open_debrief_open(world):
    """The set-aside and the start are one change: when the start can't be written, nothing was set aside,
    so "not saved" is true, and the open debrief is still the one open."""
    alice = world.alice
    acme, globex, choice = await conflict(world, alice)
    debriefs = world.store.debriefs
    real_create = debriefs.create

    async def failing_create(*args, **kwargs):
        raise RuntimeError("disk I/O error")  # the insert of the new debrief fails, after the set-aside

    debriefs.create = failing_create
    try:
        await aside_not_saved(alice, choice)
    finally:
        debriefs.create = real_create
    assert (await world.store.debriefs.for_interview(alice.id, acme)).state == "open"
    assert await world.store.debriefs.for_interview(alice.id, globex) is None
    # The buttons given back work: the choice can be made again.
    again = await alice.click(choice, label="Set it aside, start Globex")
    started = await again.wait_followup()
    assert "step 1 of 12" in started.content and "Globex" in started.content
    assert (await world.store.debriefs.for_interview(alice.id, acme)).state == "aside"


async def test_a_set_aside_for_an_interview_deleted_meanwhile_says_why_and_gives_the_buttons_back(world):
    alice = world.alice
    acme, globex, choice = await conflict(world, alice)
    labels = [b[0] for b in choice.buttons]
    async with world.store.transaction() as tx:  # Globex deleted after the choice was shown
        await world.store.interviews.delete(tx, alice.id, globex)
    h = await alice.click(choice, label="Set it aside, start Globex")
    rtype, _ = await h.response()
    assert rtype == UPDATE_MESSAGE
    said = await h.wait_followup()
    assert said.ephemeral and "can't find that interview" in said.content, said.content
    await wait_until(lambda: [b[0] for b in choice.buttons] == labels)
    assert (await world.store.debriefs.for_interview(alice.id, acme)).state == "open"


async def debrief_now_offer(world, alice, guild=None):
    """A logged interview's reply, with its "Debrief now" button (in the DM, or ephemeral in ``guild``)."""
    world.clock.set(NOW)
    await world.store.users.ensure(alice.id, NOW)
    await world.store.users.set_timezone(alice.id, "Europe/Berlin")
    kwargs = {"guild": guild} if guild is not None else {}
    h = await alice.slash("interview log", company="Acme", when="5 hours ago", stage="technical", **kwargs)
    offer = await h.wait_message()
    assert "Debrief now" in [b[0] for b in offer.buttons]
    await world.idle()
    [interview] = await world.store.interviews.list(alice.id)
    return offer, interview.id


async def test_debrief_now_in_the_dm_is_answered_before_the_write(world):
    alice = world.alice
    offer, iid = await debrief_now_offer(world, alice)
    h, data = await held_start(world, lambda: alice.click(offer, label="Debrief now"))
    assert not (data.get("flags") or 0) & EPHEMERAL
    first = await h.wait_message()  # the thinking response became the step itself
    assert "step 1 of 12" in first.content and "Acme" in first.content and first.buttons
    assert "Edit" in [b[0] for b in offer.buttons]  # the logged reply keeps its own buttons
    await tracked(world, alice, iid, first)


async def test_debrief_now_in_a_server_is_answered_privately_before_the_write(world):
    alice = world.alice
    await world.store.users.seen_in(alice.id, world.guild.id, world.guild.channel("general").id, NOW)
    offer, iid = await debrief_now_offer(world, alice, guild=world.guild)
    h, data = await held_start(world, lambda: alice.click(offer, label="Debrief now"))
    assert (data.get("flags") or 0) & EPHEMERAL  # private in a server, from the first moment
    await step_sent_to_dms(world, alice, h, iid)


async def test_debrief_now_whose_write_fails_says_it_was_not_saved(world):
    alice = world.alice
    await world.store.users.seen_in(alice.id, world.guild.id, world.guild.channel("general").id, NOW)
    offer, iid = await debrief_now_offer(world, alice, guild=world.guild)
    await world.store.db.execute("PRAGMA query_only = ON")
    try:
        h = await alice.click(offer, label="Debrief now")
        rtype, _ = await h.response()
        assert rtype == DEFERRED_CHANNEL_MESSAGE
        said = await h.wait_message()
        assert said.ephemeral and "not saved" in said.content, said.content
    finally:
        await world.store.db.execute("PRAGMA query_only = OFF")
    assert await world.store.debriefs.for_interview(alice.id, iid) is None


async def test_debrief_start_in_the_dm_whose_step_edit_is_refused_sends_the_step_instead(world):
    """Discord refuses every try of the edit of "thinking…" into the step: the step comes as a follow-up,
    and that message is the step message (tracked, its token kept for what follows)."""
    alice = world.alice
    iid = await logged(world, alice)
    await world.idle()
    original = "/webhooks/{webhook_id}/{webhook_token}/messages/@original"
    refusing = refuse_every_try(world, "PATCH", original)
    h = await alice.slash("debrief start", interview=str(iid))
    assert (await h.response())[0] == DEFERRED_CHANNEL_MESSAGE
    await asyncio.wait_for(refusing, 60)
    first = await alice.wait_for_dm(predicate=at_step(1), timeout=20.0)
    assert (await world.store.debriefs.for_interview(alice.id, iid)).state == "open"
    assert first.buttons
    await tracked(world, alice, iid, first)
    await alice.send_dm(RECALL)  # the step answers: the typed reply moves it on
    await alice.wait_for_dm(predicate=at_step(2))
    await wait_until(lambda: first.buttons == [])
