"""Issue 15: the /server commands that write answer first ("thinking…", ephemeral: only the admin sees it),
then write, then show their reply in its place.

With the store's write lock held by the test, each is acknowledged anyway as a deferred ephemeral
response; the reply and the change come only after the release. A bad time or zone is still answered at
once and changes nothing. A write that fails says the change may not have been saved completely (each of
these commands is several writes, some of which may have been kept) and that running it again is safe.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.cogs.test_commands_answer_first_e2e import (
    CHANNEL_MESSAGE,
    DEFERRED_CHANNEL_MESSAGE,
    EPHEMERAL,
    held_then_shown,
)

NOW = datetime(2026, 11, 23, 13, 0, tzinfo=UTC)


async def admin_here(world) -> None:
    """Alice (who manages the server) has used Debrief here, so the command's only write is its own."""
    world.clock.set(NOW)
    await world.store.users.seen_in(world.alice.id, world.guild.id, world.guild.channel("general").id, NOW)
    await world.store.guilds.ensure(world.guild.id, NOW)


async def guild_row(world):
    return await world.store.db.fetchone(
        "SELECT notice_channel_id, enabled FROM guilds WHERE id = ?", (world.guild.id,)
    )


async def slash(world, name: str, **options):
    return await world.alice.slash(name, guild=world.guild, **options)


async def test_server_notice_channel_is_answered_before_its_write(world):
    await admin_here(world)
    interviews = world.guild.channel("interviews")

    async def changed() -> bool:
        return (await guild_row(world))["notice_channel_id"] == interviews.id

    data, shown = await held_then_shown(
        world, lambda: slash(world, "server notice-channel", options={"channel": interviews}), changed
    )
    assert (data.get("flags") or 0) & EPHEMERAL
    assert shown.ephemeral and "I'll watch" in shown.content
    assert world.bot.services.servers.watches(interviews.id)


async def test_server_disable_is_answered_before_its_write(world):
    await admin_here(world)

    async def changed() -> bool:
        return not (await guild_row(world))["enabled"]

    data, shown = await held_then_shown(world, lambda: slash(world, "server disable"), changed)
    assert (data.get("flags") or 0) & EPHEMERAL
    assert shown.ephemeral and "features are off" in shown.content


async def test_server_summary_channel_and_time_are_answered_before_their_writes(world):
    await admin_here(world)
    general = world.guild.channel("general")

    async def added() -> bool:
        return [c.channel_id for c in await world.store.summaries.channels_of(world.guild.id)] == [general.id]

    _, shown = await held_then_shown(
        world, lambda: slash(world, "server summary-channel", options={"channel": general}), added
    )
    assert shown.ephemeral and "will be posted in" in shown.content

    async def timed() -> bool:
        [channel] = await world.store.summaries.channels_of(world.guild.id)
        return channel.summary_time is not None and "20:30" in channel.summary_time

    _, shown = await held_then_shown(
        world, lambda: slash(world, "server summary-time", when="Sun 20:30", zone="Europe/Berlin"), timed
    )
    assert shown.ephemeral and "20:30" in shown.content

    async def removed() -> bool:
        return await world.store.summaries.channels_of(world.guild.id) == []

    _, shown = await held_then_shown(
        world, lambda: slash(world, "server summary-channel", options={"channel": general, "remove": True}), removed
    )
    assert shown.ephemeral and "No cohort summary" in shown.content


@pytest.mark.parametrize(("when", "zone"), [("whenever", "UTC"), ("Sun 18:00", "Atlantis/Underwater")])
async def test_a_bad_summary_time_is_answered_at_once_and_changes_nothing(world, when, zone):
    await admin_here(world)
    general = world.guild.channel("general")
    h = await slash(world, "server summary-channel", options={"channel": general})
    await h.wait_message()
    [before] = await world.store.summaries.channels_of(world.guild.id)
    async with world.store.db.transaction():  # a refusal needs no write: it is not held up
        h = await slash(world, "server summary-time", when=when, zone=zone)
        rtype, data = await h.response()
        assert rtype == CHANNEL_MESSAGE, (rtype, data)
        assert (data or {}).get("flags", 0) & EPHEMERAL
        assert "went wrong" not in (data or {}).get("content", "")
    assert await world.store.summaries.channels_of(world.guild.id) == [before]


async def test_a_server_command_whose_write_fails_says_it_may_not_be_saved_and_to_run_it_again(world):
    await admin_here(world)
    await world.store.db.execute("PRAGMA query_only = ON")  # every write fails, as on a read-only disk
    try:
        h = await slash(world, "server disable")
        rtype, _ = await h.response()
        assert rtype == DEFERRED_CHANNEL_MESSAGE
        shown = await h.wait_message()
        assert shown.ephemeral and "may not have been saved" in shown.content, shown.content
        assert "run the command again" in shown.content
    finally:
        await world.store.db.execute("PRAGMA query_only = OFF")
    assert (await guild_row(world))["enabled"]


async def test_a_server_command_that_fails_after_a_first_write_never_says_not_saved(world):
    """`/server disable` is two writes (the server off, then its unsent cohort posts cancelled): the second
    failing must not tell the admin the first was not saved; running it again finishes the job."""
    await admin_here(world)
    summaries = world.bot.services.summaries
    real = summaries.server_switched

    async def failing(*args, **kwargs):
        raise RuntimeError("disk I/O error")  # the step after the committed write fails

    summaries.server_switched = failing
    try:
        shown = await (await slash(world, "server disable")).wait_message()
    finally:
        summaries.server_switched = real
    assert not (await guild_row(world))["enabled"]  # the first write was kept
    assert "not saved" not in shown.content and "may not have been saved completely" in shown.content
    shown = await (await slash(world, "server disable")).wait_message()  # again: safe, and done
    assert "went wrong" not in shown.content and not (await guild_row(world))["enabled"]
