"""Issue 13: the weekly DM, the cohort post and the retention warning go out exactly once across a crash.

The crash lands exactly between Discord storing the message and the bot recording the send: the fake
holds the send's answer, and the bot goes away with the prompt still ``claimed``. The fake forgets
nonces at once (``nonce_ttl=0``: a restart may take longer than Discord keeps them), so only the bot's
own look-up of what it posted may stop a second message.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.render.summaries import COHORT_TITLE
from tests.cogs.test_privacy_e2e import NOW as RETENTION_NOW
from tests.cogs.test_summaries_e2e import DUE, THURSDAY, berlin, feedback, log, settle, weekly

SEND = "/channels/{channel_id}/messages"
RUNAWAY = 30


async def states(world, user_id: int, kind: str) -> list[str]:
    every = ("pending", "claimed", "sent", "cancelled", "failed")
    return [p.state for p in await world.store.prompts.for_user(user_id, every) if p.kind == kind]


async def crash_and_restart(world, hold) -> None:
    """The bot goes away while Discord has stored the message and not yet answered; then it starts again."""
    await hold.wait_reached(RUNAWAY)
    await world.stop()
    hold.release(proceed=True)
    await world.start()
    await settle(world)


@pytest.mark.fake(nonce_ttl=0.0)
async def test_a_weekly_dm_posted_before_a_crash_is_found_after_the_restart_not_sent_again(world, fake):
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
    assert len(weekly(alice)) == 1 and await states(world, alice.id, "weekly") == ["claimed", "pending"]
    await crash_and_restart(world, hold)

    assert len(weekly(alice)) == 1
    assert await states(world, alice.id, "weekly") == ["sent", "pending"]  # this week's found; next week's waits


@pytest.mark.fake(nonce_ttl=0.0)
async def test_a_cohort_post_made_before_a_crash_is_found_after_the_restart_not_posted_again(world, fake):
    guild = world.guild
    general = guild.channel("general")
    world.clock.set(THURSDAY)
    h = await world.alice.slash("server summary-channel", guild=guild, options={"channel": general})
    await h.wait_message()
    h = await world.alice.slash("server summary-time", guild=guild, when="Sun 18:00", zone="Europe/Berlin")
    await h.wait_message()
    for user in (world.alice, world.bob, world.carol):
        await berlin(world, user)
        h = await user.slash("settings share", guild=guild, on=True)
        await h.wait_message()
        iid = await log(world, user, "Acme")
        await feedback(world, user, iid, "Communication: explain your thinking more clearly.")
    await settle(world)

    hold = fake.hold("POST", SEND, stage="after")
    world.clock.set(DUE + timedelta(seconds=1))
    await crash_and_restart(world, hold)

    posts = [m for m in world.alice.messages_in(general) if m.content.startswith(f"**{COHORT_TITLE}**")]
    assert len(posts) == 1 and "communication (3+)" in posts[0].content
    assert await states(world, guild.id, "cohort") == ["sent", "pending"]


@pytest.mark.fake(nonce_ttl=0.0)
@pytest.mark.privacy(retention="30d")
async def test_a_retention_warning_sent_before_a_crash_is_found_after_the_restart_not_sent_again(world, fake):
    alice = world.alice
    world.clock.set(RETENTION_NOW)
    h = await alice.slash("applications log", count=1)
    await h.wait_message()
    await settle(world)

    hold = fake.hold("POST", SEND, stage="after")
    world.clock.set(RETENTION_NOW + timedelta(days=23, hours=1))
    job = world.bot.scheduler.get_job("privacy-retention-sweep")
    job.modify(next_run_time=datetime.now(UTC))  # the sweep's next interval, now
    await crash_and_restart(world, hold)

    warnings = [m for m in alice.dm_messages if "will be deleted" in m.content]
    assert len(warnings) == 1
    assert await states(world, alice.id, "retention") == ["sent"]
    kept = await alice.click(warnings[0], label="Keep my data")  # its button still works after the restart
    await kept.response()
    assert "your data stays" in warnings[0].content
