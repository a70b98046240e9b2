"""Ids on buttons are never given to another row: a button left on an old message for a deleted or
forgotten record finds it gone, and never acts on a newer record that happens to be the newest."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.render.prompts import GONE

ASKED = "How did it go"


async def set_zone(user, zone: str) -> None:
    h = await user.slash("settings timezone", zone=zone)
    assert zone in (await h.wait_message()).content


async def log(user, **options):
    h = await user.slash("interview log", **options)
    return await h.wait_message()


async def test_an_old_delete_button_of_a_deleted_interview_leaves_the_next_one_alone(world):
    alice = world.alice
    await set_zone(alice, "UTC")
    world.clock.set(datetime(2026, 11, 23, 9, 0, tzinfo=UTC))
    reply = await log(alice, company="Hooli", when="today 10:00", stage="technical")
    first = await (await alice.click(reply, label="Delete")).wait_message()
    second = await (await alice.click(reply, label="Delete")).wait_message()  # asked twice: two confirms
    await (await alice.click(first, label="Delete it")).response()
    assert await world.store.interviews.list(alice.id) == []

    await log(alice, company="Globex", when="today 11:00", stage="technical")
    [globex] = await world.store.interviews.list(alice.id)
    stale = await alice.click(second, label="Delete it")  # the confirm left over from Hooli
    assert "no longer there" in (await stale.wait_message()).content
    for label in ("Delete", "Edit"):
        again = await alice.click(reply, label=label)  # Hooli's own reply
        assert "no longer there" in (await again.wait_message()).content
    assert await world.store.interviews.list(alice.id) == [globex]
    assert (await world.store.prompts.find("debrief", globex.id)).state == "pending"


async def test_an_old_prompt_button_of_a_forgotten_interview_leaves_the_next_prompt_alone(world):
    alice = world.alice
    await set_zone(alice, "UTC")
    world.clock.set(datetime(2026, 11, 23, 15, 0, tzinfo=UTC))
    reply = await log(alice, company="Acme", when="5 hours ago", stage="technical")
    prompt = await alice.wait_for_dm(predicate=lambda m: ASKED in m.content and "Acme" in m.content)
    ask = await alice.click(reply, label="Forget")
    await (await alice.click(await ask.wait_message(), label="Forget it")).response()
    assert await world.store.interviews.list(alice.id) == []

    await log(alice, company="Globex", when="tomorrow 10:00", stage="technical")
    [globex] = await world.store.interviews.list(alice.id)
    before = {p.id: p.state for p in await world.store.prompts.for_user(alice.id)}
    assert set(before.values()) == {"pending"}
    skip = await alice.click(prompt, label="Skip")  # Acme's prompt, forgotten with it
    assert GONE in (await skip.wait_message()).content
    after = {p.id: p.state for p in await world.store.prompts.for_user(alice.id)}
    assert after == before
    assert (await world.store.prompts.find("debrief", globex.id)).state == "pending"


async def test_an_old_debrief_step_of_a_deleted_interview_leaves_the_next_debrief_alone(world):
    alice = world.alice
    await set_zone(alice, "UTC")
    world.clock.set(datetime(2026, 11, 23, 15, 0, tzinfo=UTC))
    reply = await log(alice, company="Acme", when="5 hours ago", stage="technical")
    [acme] = await world.store.interviews.list(alice.id)
    step = await (await alice.slash("debrief start", interview=str(acme.id))).wait_message()
    assert "step 1 of" in step.content and "Skip" in [b[0] for b in step.buttons]
    ask = await alice.click(reply, label="Delete")
    await (await alice.click(await ask.wait_message(), label="Delete it")).response()

    await log(alice, company="Globex", when="4 hours ago", stage="technical")
    [globex] = await world.store.interviews.list(alice.id)
    fresh = await (await alice.slash("debrief start", interview=str(globex.id))).wait_message()
    assert "step 1 of" in fresh.content and "Globex" in fresh.content
    debrief = await world.store.debriefs.for_interview(alice.id, globex.id)
    stale = await alice.click(step, label="Skip")  # Acme's first step, its debrief deleted with it
    # Said in the response, or (the click answered first while the start still held alice's turn, its
    # buttons taken off) in a follow-up.
    await world.fake.state.changes.wait_until(
        lambda: any("can't find that debrief" in m.content for m in [stale.message, *stale.followups] if m), 5
    )
    assert await world.store.debriefs.answers(debrief.id) == {}
    assert (await world.store.debriefs.for_interview(alice.id, globex.id)).step == debrief.step
