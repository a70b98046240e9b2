"""Issue 16: the message command "Log as interview" reads any message the user can see, like a DM, and
answers privately with the same buttons: in a server without the Message Content intent (the interaction
carries the message's text) and in a DM between people through the user install."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from fakediscord import CommandUnavailable
from tests.cogs._clicked import settled

MONDAY = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # Mon 10:00 Berlin
LOG = "Log as interview"


async def berlin(world, user) -> None:
    await world.store.users.ensure(user.id, world.clock.now())
    await world.store.users.set_timezone(user.id, "Europe/Berlin")


async def test_in_a_server_without_the_intent_it_reads_the_message_and_answers_privately(world):
    assert not world.fake.message_content_intent
    alice = world.alice
    world.clock.set(MONDAY)
    await berlin(world, alice)
    general = world.guild.channel("general")
    post = await world.bob.post(general, "Alice, your onsite at Acme is booked for tomorrow 3pm")
    h = await alice.message_command(LOG, post)
    offer = await h.wait_message()
    assert h.ephemeral
    assert offer.content.startswith("That sounds like an onsite / final with **Acme**, tomorrow 15:00"), offer.content
    assert await world.store.interviews.list(alice.id) == []  # nothing before the click
    click = await alice.click(offer, label="Yes, record it")
    await settled(click)
    [interview] = await world.store.interviews.list(alice.id)
    assert (interview.company, interview.starts_at) == ("Acme", datetime(2026, 11, 24, 14, 0, tzinfo=UTC))
    assert [m for m in general.messages if m.author.id == world.fake.bot_user_id and m.visible_to is None] == []


async def test_an_outcome_in_a_server_message_is_confirmed_and_recorded(world):
    alice = world.alice
    world.clock.set(MONDAY)
    await berlin(world, alice)
    h = await alice.slash("interview log", company="Globex", when="yesterday 10:00", stage="technical")
    await h.wait_message()
    general = world.guild.channel("general")
    post = await alice.post(general, "update: I got rejected by globex")
    h = await alice.message_command(LOG, post)
    asked = await h.wait_message()
    assert h.ephemeral and "Record **rejected**" in asked.content
    click = await alice.click(asked, label="Record it")
    await click.wait_followup()
    [interview] = await world.store.interviews.list(alice.id)
    assert interview.outcome == "rejected"
    assert (await world.store.prompts.find("checkin", interview.id)).state == "pending"


async def test_in_a_dm_between_people_through_the_user_install(world):
    alice, bob = world.alice, world.bob
    world.clock.set(MONDAY)
    await berlin(world, alice)
    chat = world.fake.state.private_channel(bob, alice)  # their DM, alice its other recipient
    said = world.fake.state.post_message(chat, bob, content="good luck with the phone screen at Initech tomorrow 10am")
    h = await alice.message_command(LOG, said)
    offer = await h.wait_message()
    assert h.ephemeral and "with **Initech**, tomorrow 10:00" in offer.content, offer.content
    assert [m for m in chat.messages if m.author.id == world.fake.bot_user_id and m.visible_to is None] == []


async def test_a_message_with_nothing_to_read_gets_a_clear_private_reply(world):
    general = world.guild.channel("general")
    post = await world.bob.post(general, "lunch anyone?")
    h = await world.alice.message_command(LOG, post)
    said = await h.wait_message()
    assert h.ephemeral and "couldn't read an interview or an outcome" in said.content


async def test_it_is_a_message_command_offered_everywhere_the_other_commands_are(world):
    registered = world.fake.state.commands.find(LOG, None, 3)
    assert registered is not None
    assert sorted(registered.data["contexts"]) == [0, 1, 2]
    assert sorted(registered.data["integration_types"]) == [0, 1]
    with pytest.raises(CommandUnavailable):
        await world.alice.slash(LOG)


DEBRIEF = "Debrief this"


async def test_debrief_this_offers_the_debrief_of_the_interview_the_message_names(world):
    alice = world.alice
    world.clock.set(MONDAY)
    await berlin(world, alice)
    h = await alice.slash("interview log", company="Acme", when="3 hours ago", stage="technical")
    await h.wait_message()
    h = await alice.slash("interview log", company="Globex", when="2 hours ago", stage="technical")
    await h.wait_message()
    [acme] = await world.store.interviews.search(alice.id, "Acme")
    general = world.guild.channel("general")
    post = await world.bob.post(general, "how did the acme interview go?")
    h = await alice.message_command(DEBRIEF, post)
    offer = await h.wait_message()
    assert h.ephemeral and "**Acme** — technical" in offer.content, offer.content
    assert [b[0] for b in offer.buttons] == ["Start debrief"]
    click = await alice.click(offer, label="Start debrief")
    await click.response()
    first = await alice.wait_for_dm(predicate=lambda m: "step 1 of 12" in m.content, timeout=15.0)
    assert "Acme" in first.content
    assert (await world.store.debriefs.for_interview(alice.id, acme.id)) is not None
    bot_id = world.fake.bot_user_id
    assert [m for m in general.messages if m.author.id == bot_id and m.visible_to is None] == []

    nothing = await world.bob.post(general, "lunch anyone?")
    h = await alice.message_command(DEBRIEF, nothing)
    said = await h.wait_message()
    assert h.ephemeral and "couldn't find one of your interviews" in said.content
