"""Issue 13, the cohort summary end to end: it never stops for good, a server switched off posts nothing,
and what admins see (``/server show``, the preview, bad channels, several cohorts in one server).

Dates as in ``test_summaries_e2e``: Sunday 18:00 Berlin on 25 Oct 2026 is 17:00 UTC.
"""

from __future__ import annotations

from datetime import timedelta

from bot.render.summaries import COHORT_TITLE
from tests.cogs.test_summaries_e2e import DUE, THURSDAY, berlin, feedback, log, settle

WEEK = timedelta(days=7)


def posts(world, channel) -> list:
    return [m for m in world.alice.messages_in(channel) if m.content.startswith(f"**{COHORT_TITLE}**")]


async def cohort_prompts(world, state: str = "pending") -> list:
    return [p for p in await world.store.prompts.for_user(world.guild.id, (state,)) if p.kind == "cohort"]


async def summary_channel(world, channel, when: str = "Sun 18:00") -> None:
    alice, guild = world.alice, world.guild
    h = await alice.slash("server summary-channel", guild=guild, options={"channel": channel})
    assert "will be posted in" in (await h.wait_message()).content
    h = await alice.slash("server summary-time", guild=guild, when=when, zone="Europe/Berlin", channel=channel)
    assert when in (await h.wait_message()).content


async def share(world, users, channel=None) -> None:
    for user in users:
        await berlin(world, user)
        options = {"channel": channel} if channel is not None else {}
        h = await user.slash("settings share", guild=world.guild, on=True, options=options)
        assert "counted" in (await h.wait_message()).content


async def active(world, users, company: str = "Acme", text: str = "Communication: explain it more clearly.") -> None:
    for user in users:
        iid = await log(world, user, company)
        await feedback(world, user, iid, text)


async def run_sweep(world) -> None:
    """The summaries' sweep, as its loop runs it every six hours."""
    await world.bot.get_cog("Summaries").sweep()
    await settle(world)


async def test_a_week_dropped_while_the_bot_was_down_does_not_stop_the_cohort_summary(world):
    general = world.guild.channel("general")
    everyone = (world.alice, world.bob, world.carol)
    world.clock.set(THURSDAY)
    await summary_channel(world, general)
    await share(world, everyone)
    await active(world, everyone)
    await world.stop()
    world.clock.set(DUE + timedelta(hours=13))  # down past the post and past the queue's max lateness
    await world.start()
    await settle(world)
    assert posts(world, general) == []
    [dropped] = await cohort_prompts(world, "cancelled")
    assert dropped.last_error.startswith("too late")

    await run_sweep(world)
    assert [p.due_at for p in await cohort_prompts(world)] == [DUE + WEEK]
    await active(world, everyone, "Initech")
    world.clock.set(DUE + WEEK + timedelta(seconds=1))
    await settle(world)
    assert len(posts(world, general)) == 1


async def test_server_disable_stops_cohort_posts_and_turning_it_on_again_restarts_them(world):
    alice, guild = world.alice, world.guild
    general = guild.channel("general")
    everyone = (alice, world.bob, world.carol)
    world.clock.set(THURSDAY)
    await summary_channel(world, general)
    await share(world, everyone)
    await active(world, everyone)
    h = await alice.slash("server disable", guild=guild)
    await h.wait_message()
    assert await cohort_prompts(world) == []
    h = await alice.slash("server show", guild=guild)
    assert "**Paused**" in (await h.wait_message()).content

    world.clock.set(DUE + timedelta(seconds=1))
    await settle(world)
    await run_sweep(world)  # the sweep does not bring a switched-off server's summary back
    assert posts(world, general) == [] and await cohort_prompts(world) == []

    h = await alice.slash("server notice-channel", guild=guild, options={"channel": guild.channel("interviews")})
    await h.wait_message()
    assert [p.due_at for p in await cohort_prompts(world)] == [DUE + WEEK]
    await active(world, everyone, "Initech")
    world.clock.set(DUE + WEEK + timedelta(seconds=1))
    await settle(world)
    assert len(posts(world, general)) == 1
