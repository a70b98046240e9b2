"""Issue 13, the cohort summary end to end: it never stops for good, a server switched off posts nothing,
and what admins see (``/server show``, the preview, bad channels, several cohorts in one server).

Dates as in ``test_summaries_e2e``: Sunday 18:00 Berlin on 25 Oct 2026 is 17:00 UTC.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

from bot.coach.patterns import DebriefFact, InterviewFact
from bot.render.summaries import COHORT_TITLE
from fakediscord.flags import Perm
from tests.coach.patterns_season import Season
from tests.cogs.test_summaries_e2e import DUE, THURSDAY, berlin, feedback, log, settle
from tests.season_store import load_season

WEEK = timedelta(days=7)


def posts(world, channel) -> list:
    return [m for m in world.alice.messages_in(channel) if m.content.startswith(f"**{COHORT_TITLE}**")]


async def cohort_prompts(world, state: str = "pending") -> list:
    return [p for p in await world.store.prompts.for_user(world.guild.id, (state,)) if p.kind == "cohort"]


async def summary_channel(world, channel, when: str = "Sun 18:00") -> None:
    alice, guild = world.alice, world.guild
    h = await alice.slash("server summary-channel", guild=guild, options={"channel": channel})
    assert "will be posted in" in (await h.wait_message()).content
    h = await alice.slash(
        "server summary-time", guild=guild, when=when, zone="Europe/Berlin", options={"channel": channel}
    )
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
    shown = (await h.wait_message()).content
    assert "**Not working here:**" in shown and "the weekly cohort summary" in shown.split("**Still working:**")[0]

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


# -- what admins see ---------------------------------------------------------------------------------


def refused_posts(fake, channel) -> list:
    return [
        r
        for r in fake.requests
        if r.method == "POST" and r.path.endswith(f"/channels/{channel.id}/messages") and r.status == 403
    ]


async def server_show(world, guild=None) -> str:
    h = await world.alice.slash("server show", guild=guild or world.guild)
    return (await h.wait_message()).content


async def test_a_permission_lost_before_the_post_is_shown_in_server_show_and_not_retried(world, fake):
    general = world.guild.channel("general")
    everyone = (world.alice, world.bob, world.carol)
    world.clock.set(THURSDAY)
    await summary_channel(world, general)
    await share(world, everyone)
    await active(world, everyone)
    fake.revoke_bot_permissions(world.guild, Perm.SEND_MESSAGES)
    await asyncio.sleep(0.2)  # the role update reaches the bot
    assert "I can't post in that channel now" in await server_show(world)

    world.clock.set(DUE + timedelta(seconds=1))
    await settle(world)
    world.advance(hours=6)
    await settle(world)
    assert posts(world, general) == [] and len(refused_posts(fake, general)) == 1  # tried once, not again
    shown = await server_show(world)
    assert "Last post failed: I don't have permission to post there." in shown
    assert [p.due_at for p in await cohort_prompts(world)] == [DUE + WEEK]  # next week's still comes


async def test_a_channel_the_bot_cannot_post_in_is_refused_with_a_clear_reply_and_nothing_changes(world, fake):
    general = world.guild.channel("general")
    fake.revoke_bot_permissions(world.guild, Perm.SEND_MESSAGES)
    await asyncio.sleep(0.2)
    h = await world.alice.slash("server summary-channel", guild=world.guild, options={"channel": general})
    reply = await h.wait_message()
    assert h.ephemeral is not False
    assert "I can't post in" in reply.content and "Nothing was changed" in reply.content
    assert await world.store.summaries.channels_of(world.guild.id) == []
    assert "**Cohort summary:** none" in await server_show(world)


async def test_several_cohorts_in_one_server_each_count_only_their_own_members(world, fake):
    dave, erin, frank = (fake.add_user(name) for name in ("dave", "erin", "frank"))
    first, second = (world.alice, world.bob, world.carol), (dave, erin, frank)
    guild = fake.add_guild(
        "Two cohorts", members=[*first, *second], channels=["cohort-a", "cohort-b"], admins=[world.alice]
    )
    await asyncio.sleep(0.3)  # GUILD_CREATE reaches the bot
    a, b = guild.channel("cohort-a"), guild.channel("cohort-b")
    world.clock.set(THURSDAY)
    for channel in (a, b):
        h = await world.alice.slash("server summary-channel", guild=guild, options={"channel": channel})
        assert "will be posted in" in (await h.wait_message()).content
        h = await world.alice.slash(
            "server summary-time", guild=guild, when="Sun 18:00", zone="Europe/Berlin", options={"channel": channel}
        )
        assert "goes out Sun 18:00 (Europe/Berlin)" in (await h.wait_message()).content
    for users, channel, said in (
        (first, a, "Communication: explain it more clearly."),
        (second, b, "Your system design needs work."),
    ):
        for user in users:
            await berlin(world, user)
            h = await user.slash("settings share", guild=guild, on=True, options={"channel": channel})
            assert f"<#{channel.id}>" in (await h.wait_message()).content
        await active(world, users, text=said)
    shown = await server_show(world, guild)
    assert shown.count("3 member(s) opted in") == 2

    world.clock.set(DUE + timedelta(seconds=1))
    await settle(world)
    [post_a] = [m.content for m in posts(world, a)]
    [post_b] = [m.content for m in posts(world, b)]
    assert "communication (3+)" in post_a and "system design" not in post_a
    assert "system design (3+)" in post_b and "communication" not in post_b


async def seed_debriefs(world, user, topics: tuple[str, ...], stumbles: str) -> None:
    at = THURSDAY - timedelta(days=1)
    await load_season(
        world.store,
        user.id,
        Season(
            interviews=[InterviewFact(1, "Acme", "technical", at)],
            debriefs=[DebriefFact(1, at + timedelta(hours=3), topics=topics, stumbles=stumbles)],
        ),
    )


def stumbles_line(text: str) -> str:
    return next((line for line in text.splitlines() if line.startswith("**Common stumbles:**")), "")


async def test_stumble_topics_show_from_three_members_not_two_and_so_does_the_preview(world):
    """Three members stumbled on system design, two of them also on a behavioural story: the post and
    the admin's preview name system design and never the behavioural topic; the preview holds nothing
    of today."""
    everyone = (world.alice, world.bob, world.carol)
    general = world.guild.channel("general")
    world.clock.set(THURSDAY)
    await summary_channel(world, general)
    await share(world, everyone)
    design = "Ran out of time on the capacity estimates."
    for user in everyone:
        both = user is not world.carol
        topics = ("system_design", "behavioural") if both else ("system_design",)
        await seed_debriefs(world, user, topics, design + (" My conflict story had no clear result." if both else ""))

    h = await world.alice.slash("server summary-preview", guild=world.guild)
    preview = (await h.wait_message()).content
    assert h.ephemeral is not False
    assert "System design (3+)" in stumbles_line(preview) and "Behavioural" not in preview

    await active(world, everyone, text="Communication: explain it more clearly.")  # today: not in the preview
    world.advance(minutes=1)
    h = await world.alice.slash("server summary-preview", guild=world.guild)
    assert "communication" not in (await h.wait_message()).content

    world.clock.set(DUE + timedelta(seconds=1))
    await settle(world)
    [post] = [m.content for m in posts(world, general)]
    assert "System design (3+)" in stumbles_line(post) and "Behavioural" not in post
    assert "communication (3+)" in post  # in the post, which covers the week up to its time
