"""Issue 15: the plain-words interview's buttons and the first-contact zone menu answer Discord first (their
components come off at once), then write, then turn the message into the reply.

With the store's write lock held by the test, "Yes, record it", "Not an interview" and the zone menu are
acknowledged anyway, with their components off, and nothing is said to be done until the lock is released
(the bot can't write while the test holds it). A write that fails (the store
refuses writes) gives the components back and says it was not saved; the buttons given back work. A refusal
found with the write (the daily cap) gives them back too and says why. A saved change whose message can't be
edited is still shown, in a follow-up.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest

from tests.cogs._debrief_steps import refuse_every_try, wait_until

UPDATE_MESSAGE = 7  # the interaction callback type that edits the clicked message
MONDAY = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
SAID = "final round with Acme on Thursday at 3pm"


async def in_berlin(world, user) -> None:
    await world.store.users.ensure(user.id, world.clock.now())
    await world.store.users.set_timezone(user.id, "Europe/Berlin")


async def offer_to(world, user):
    """``user`` in Berlin tells the bot about an interview in plain words: the offer to record it."""
    world.clock.set(MONDAY)
    await in_berlin(world, user)
    await user.send_dm(SAID)
    offer = await user.wait_for_dm(predicate=lambda m: "Shall I record it" in m.content)
    assert [b[0] for b in offer.buttons] == ["Yes, record it", "Fix the details", "Not an interview"]
    return offer


def draft_id_of(offer) -> int:
    return int(offer.buttons[-1][1].rsplit(":d", 1)[1])


async def companies(world, user) -> list[str]:
    return [i.company for i in await world.store.interviews.list(user.id)]


async def test_yes_record_it_is_answered_while_the_store_is_busy_and_recorded_once_it_has_written(world):
    alice = world.alice
    offer = await offer_to(world, alice)
    async with world.store.db.transaction():  # every write of the bot waits for this
        h = await alice.click(offer, label="Yes, record it")
        rtype, data = await h.response()
        assert rtype == UPDATE_MESSAGE and (data or {}).get("components") == []
        await asyncio.sleep(0.2)  # the bot has every chance to say it is recorded early, if it would
        assert offer.buttons == [] and "Shall I record it" in offer.content  # not yet said to be recorded
    await wait_until(lambda: "Shall I record it" not in offer.content)
    assert await companies(world, alice) == ["Acme"]
    assert "Acme" in offer.content and [b[0] for b in offer.buttons][-3:] == ["Edit", "Delete", "Forget"]


async def test_not_an_interview_is_answered_while_the_store_is_busy_and_dropped_once_it_has_written(world):
    alice = world.alice
    offer = await offer_to(world, alice)
    draft = draft_id_of(offer)
    async with world.store.db.transaction():
        h = await alice.click(offer, label="Not an interview")
        rtype, data = await h.response()
        assert rtype == UPDATE_MESSAGE and (data or {}).get("components") == []
        await asyncio.sleep(0.2)
        assert offer.buttons == [] and "nothing recorded" not in offer.content
    await wait_until(lambda: "Understood, nothing recorded." in offer.content)
    assert await world.store.drafts.get(alice.id, draft) is None
    assert await companies(world, alice) == []


async def test_the_zone_menu_is_answered_while_the_store_is_busy_and_continues_the_draft_once_it_has_written(world):
    alice = world.alice
    world.clock.set(MONDAY)
    await alice.send_dm(SAID)
    asked = await alice.wait_for_dm(predicate=lambda m: "which time zone" in m.content)
    assert asked.selects
    async with world.store.db.transaction():
        h = await alice.select(asked, ["Europe/Berlin"])
        rtype, data = await h.response()
        assert rtype == UPDATE_MESSAGE and (data or {}).get("components") == []
        await asyncio.sleep(0.2)
        assert not asked.selects and "Time zone set" not in asked.content
    await wait_until(lambda: "Time zone set to **Europe/Berlin**" in asked.content)
    assert (await world.store.users.get(alice.id)).timezone == "Europe/Berlin"
    assert "Shall I record it" in asked.content and "Thu 26 Nov 15:00" in asked.content
    assert [b[0] for b in asked.buttons] == ["Yes, record it", "Fix the details", "Not an interview"]


async def test_a_record_that_fails_gives_the_buttons_back_says_not_saved_and_the_buttons_work(world):
    alice = world.alice
    offer = await offer_to(world, alice)
    await world.store.db.execute("PRAGMA query_only = ON")  # every write fails, as on a read-only disk
    try:
        h = await alice.click(offer, label="Yes, record it")
        rtype, _ = await h.response()
        assert rtype == UPDATE_MESSAGE
        said = await h.wait_followup()
        assert "not saved" in said.content, said.content
        await wait_until(
            lambda: [b[0] for b in offer.buttons] == ["Yes, record it", "Fix the details", "Not an interview"]
        )
        assert "Shall I record it" in offer.content
    finally:
        await world.store.db.execute("PRAGMA query_only = OFF")
    assert await companies(world, alice) == []

    # The buttons given back work.
    await alice.click(offer, label="Yes, record it")
    await wait_until(lambda: "Shall I record it" not in offer.content)
    assert await companies(world, alice) == ["Acme"]


async def test_a_dismissal_that_fails_gives_the_buttons_back_and_says_not_saved(world):
    alice = world.alice
    offer = await offer_to(world, alice)
    draft = draft_id_of(offer)
    await world.store.db.execute("PRAGMA query_only = ON")
    try:
        h = await alice.click(offer, label="Not an interview")
        await h.response()
        said = await h.wait_followup()
        assert "not saved" in said.content, said.content
        await wait_until(
            lambda: [b[0] for b in offer.buttons] == ["Yes, record it", "Fix the details", "Not an interview"]
        )
    finally:
        await world.store.db.execute("PRAGMA query_only = OFF")
    assert await world.store.drafts.get(alice.id, draft) is not None

    await alice.click(offer, label="Not an interview")
    await wait_until(lambda: "Understood, nothing recorded." in offer.content)
    assert await world.store.drafts.get(alice.id, draft) is None


async def test_a_zone_that_fails_gives_the_menu_back_and_says_so(world):
    alice = world.alice
    world.clock.set(MONDAY)
    await alice.send_dm(SAID)
    asked = await alice.wait_for_dm(predicate=lambda m: "which time zone" in m.content)
    await world.store.users.ensure(alice.id, world.clock.now())  # (the record exists before the writes fail)
    await world.store.db.execute("PRAGMA query_only = ON")
    try:
        h = await alice.select(asked, ["Europe/Berlin"])
        await h.response()
        said = await h.wait_followup()
        assert "may not have been saved completely" in said.content, said.content
        await wait_until(lambda: bool(asked.selects))
    finally:
        await world.store.db.execute("PRAGMA query_only = OFF")

    await alice.select(asked, ["Europe/Berlin"])
    await wait_until(lambda: "Shall I record it" in asked.content)
    assert (await world.store.users.get(alice.id)).timezone == "Europe/Berlin"


@pytest.mark.limits(interviews_per_day=1)
async def test_a_record_refused_by_the_daily_cap_gives_the_buttons_back_and_says_why(world):
    alice = world.alice
    offer = await offer_to(world, alice)
    logged = await alice.slash("interview log", company="Initech", when="tomorrow 10:00", stage="technical")
    await logged.wait_message()
    h = await alice.click(offer, label="Yes, record it")
    rtype, _ = await h.response()
    assert rtype == UPDATE_MESSAGE
    said = await h.wait_followup()
    assert "not saved" not in said.content and "the most I take in a day" in said.content, said.content
    await wait_until(lambda: [b[0] for b in offer.buttons] == ["Yes, record it", "Fix the details", "Not an interview"])
    assert await companies(world, alice) == ["Initech"]


async def test_a_recorded_interview_whose_message_cannot_be_edited_is_still_shown(world):
    """Discord refuses the edit of the clicked message into the record (5xx after discord.py's retries): the
    interview is recorded, so the user is told so in a follow-up, with its buttons."""
    alice = world.alice
    offer = await offer_to(world, alice)
    refusing = refuse_every_try(world, "PATCH", "/webhooks/{webhook_id}/{webhook_token}/messages/@original")
    h = await alice.click(offer, label="Yes, record it")
    rtype, _ = await h.response()
    assert rtype == UPDATE_MESSAGE
    await asyncio.wait_for(refusing, 60)
    said = await h.wait_followup(timeout=30.0)
    assert "Acme" in said.content and "not saved" not in said.content, said.content
    assert [b[0] for b in said.buttons][-3:] == ["Edit", "Delete", "Forget"]
    assert await companies(world, alice) == ["Acme"]


async def test_a_double_click_records_once_and_the_second_does_not_bring_the_buttons_back(world):
    alice = world.alice
    offer = await offer_to(world, alice)
    first, second = await asyncio.gather(
        alice.click(offer, label="Yes, record it"), alice.click(offer, label="Yes, record it")
    )
    await first.response()
    await second.response()
    said = await asyncio.wait_for(
        asyncio.wait(
            [asyncio.ensure_future(h.wait_followup()) for h in (first, second)], return_when="FIRST_COMPLETED"
        ),
        10,
    )
    assert said
    await wait_until(lambda: "Shall I record it" not in offer.content)
    await asyncio.sleep(0.3)  # the refused click has every chance to put the draft's buttons back, if it would
    assert await companies(world, alice) == ["Acme"]
    assert "Yes, record it" not in [b[0] for b in offer.buttons]
    assert any("already recorded" in f.content for h in (first, second) for f in h.followups)
