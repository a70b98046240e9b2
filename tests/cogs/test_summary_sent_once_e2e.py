"""A weekly summary that went out is recorded as sent, whatever the user or an admin did while it was being
sent, so turning it off and on again, or moving its time later in the same ISO week, never sends that week
twice (one post per (channel, ISO week), one DM per (user, ISO week)).

The fake holds the send's answer (Discord has stored the message), the user or admin acts, then the answer
goes back. Dates as in ``test_summaries_e2e``: Sunday 18:00 Berlin on 25 Oct 2026 is 17:00 UTC.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.cogs.test_cohort_e2e import active, posts, server_show, share, summary_channel
from tests.cogs.test_summaries_crash_e2e import RUNAWAY, SEND, states
from tests.cogs.test_summaries_e2e import DUE, THURSDAY, berlin, log, settle, weekly

WEEK = timedelta(days=7)
LATER = DUE + timedelta(hours=2)  # Sun 20:00 Berlin, the same ISO week


async def cohort_ready(world):
    general = world.guild.channel("general")
    everyone = (world.alice, world.bob, world.carol)
    world.clock.set(THURSDAY)
    await summary_channel(world, general)
    await share(world, everyone)
    await active(world, everyone)
    await settle(world)
    return general


async def admin(world, name: str, **options) -> str:
    h = await world.alice.slash(name, guild=world.guild, **options)
    return (await h.wait_message()).content


@pytest.mark.fake(nonce_ttl=0.0)  # Discord keeps a nonce minutes, not hours
async def test_a_cohort_post_sent_while_the_server_is_disabled_is_recorded_and_not_posted_again(world, fake):
    general = await cohort_ready(world)
    hold = fake.hold("POST", SEND, stage="after")
    world.clock.set(DUE + timedelta(seconds=1))
    await hold.wait_reached(RUNAWAY)
    assert "features are off" in await admin(world, "server disable")
    hold.release(proceed=True)
    await settle(world)
    assert len(posts(world, general)) == 1
    assert await states(world, world.guild.id, "cohort") == [
        "sent",
        "cancelled",
    ]  # this week's went out; next week's is off

    # Later the same Sunday the admin moves the time to 20:00 and turns the server on again: that week
    # has had its post, so the next one is next week's.
    assert "Sun 20:00" in await admin(world, "server summary-time", when="Sun 20:00", zone="Europe/Berlin")
    await admin(world, "server notice-channel", options={"channel": world.guild.channel("interviews")})
    world.clock.set(LATER + timedelta(seconds=1))
    await settle(world)
    assert len(posts(world, general)) == 1
    pending = [p for p in await world.store.prompts.for_user(world.guild.id) if p.kind == "cohort"]
    assert [p.due_at for p in pending] == [LATER + WEEK]
    pending = [p for p in await world.store.prompts.for_user(world.guild.id) if p.kind == "cohort"]
    assert [p.due_at for p in pending] == [LATER + WEEK]
    assert "Last post failed" not in await server_show(world)


@pytest.mark.fake(nonce_ttl=0.0)  # Discord keeps a nonce minutes, not hours
async def test_a_cohort_post_sent_while_its_time_changes_is_not_posted_again_that_week(world, fake):
    general = await cohort_ready(world)
    hold = fake.hold("POST", SEND, stage="after")
    world.clock.set(DUE + timedelta(seconds=1))
    await hold.wait_reached(RUNAWAY)
    assert "Sun 20:00" in await admin(world, "server summary-time", when="Sun 20:00", zone="Europe/Berlin")
    hold.release(proceed=True)
    await settle(world)
    world.clock.set(LATER + timedelta(seconds=1))
    await settle(world)
    assert len(posts(world, general)) == 1
    pending = [p for p in await world.store.prompts.for_user(world.guild.id) if p.kind == "cohort"]
    assert [p.due_at for p in pending] == [LATER + WEEK]
    assert await states(world, world.guild.id, "cohort") == ["sent", "pending"]
    pending = [p for p in await world.store.prompts.for_user(world.guild.id) if p.kind == "cohort"]
    assert [p.due_at for p in pending] == [LATER + WEEK]


@pytest.mark.fake(nonce_ttl=0.0)  # Discord keeps a nonce minutes, not hours
async def test_a_cohort_post_sent_while_its_channel_is_removed_and_added_back_is_not_posted_again(world, fake):
    general = await cohort_ready(world)
    hold = fake.hold("POST", SEND, stage="after")
    world.clock.set(DUE + timedelta(seconds=1))
    await hold.wait_reached(RUNAWAY)
    await admin(world, "server summary-channel", options={"channel": general, "remove": True})
    hold.release(proceed=True)
    await settle(world)
    assert len(posts(world, general)) == 1
    await summary_channel(world, general, "Sun 20:00")  # back the same Sunday, later
    await share(world, (world.alice, world.bob, world.carol))  # (removing the channel removed who shared)
    world.clock.set(LATER + timedelta(seconds=1))
    await settle(world)
    assert len(posts(world, general)) == 1
    pending = [p for p in await world.store.prompts.for_user(world.guild.id) if p.kind == "cohort"]
    assert [p.due_at for p in pending] == [LATER + WEEK]


@pytest.mark.fake(nonce_ttl=0.0)  # Discord keeps a nonce minutes, not hours
async def test_a_weekly_dm_sent_while_the_user_turns_it_off_and_on_is_recorded_and_not_sent_again(world, fake):
    alice = world.alice
    world.clock.set(THURSDAY)
    await berlin(world, alice)
    await log(world, alice, "Acme")
    h = await alice.slash("settings weekly-summary", when="Sun 18:00")
    await h.wait_message()
    await settle(world)

    hold = fake.hold("POST", SEND, stage="after")
    world.clock.set(DUE + timedelta(seconds=1))
    await hold.wait_reached(RUNAWAY)
    h = await alice.slash("settings weekly-summary", when="off")
    await h.wait_message()
    h = await alice.slash("settings weekly-summary", when="Sun 20:00")
    assert "Sun 20:00" in (await h.wait_message()).content
    hold.release(proceed=True)
    await settle(world)
    world.clock.set(LATER + timedelta(seconds=1))
    await settle(world)
    assert len(weekly(alice)) == 1
    assert await states(world, alice.id, "weekly") == ["sent", "pending"]
    waiting = [p for p in await world.store.prompts.for_user(alice.id) if p.kind == "weekly"]
    assert [p.due_at for p in waiting] == [LATER + WEEK]
