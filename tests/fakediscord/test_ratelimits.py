"""Rate limits: per-channel send limits (advertised or shared) and the global limit."""

from __future__ import annotations

import time
from typing import Any

import discord
from discord import app_commands

from fakediscord import FakeDiscord
from tests.fakediscord.conftest import make_bot


def world(fake: FakeDiscord) -> dict[str, Any]:
    alice = fake.add_user("alice")
    guild = fake.add_guild("Bootcamp", members=[alice], channels=[f"c{i}" for i in range(5)])
    return {"alice": alice, "guild": guild}


def sends(fake: FakeDiscord) -> list[int]:
    return [r.status for r in fake.requests if r.method == "POST" and r.route == "/channels/{channel_id}/messages"]


async def test_advertised_channel_limit_is_obeyed_without_429s(run, no_violations) -> None:
    bot = make_bot()
    fake, w = await run(bot, setup=world, channel_rate=(5, 0.5))
    channel = bot.get_channel(w["guild"].channel("c0").id)
    started = time.monotonic()
    for i in range(12):
        await channel.send(f"message {i}")
    elapsed = time.monotonic() - started
    assert [m.content for m in w["guild"].channel("c0").messages] == [f"message {i}" for i in range(12)]
    assert sends(fake) == [200] * 12  # discord.py read X-RateLimit-* and waited before the window was full
    assert elapsed >= 0.9
    first = next(r for r in fake.requests if r.method == "POST")
    assert first.headers["X-RateLimit-Limit"] == "5" and first.headers["X-RateLimit-Remaining"] == "4"
    assert {"X-RateLimit-Reset", "X-RateLimit-Reset-After", "X-RateLimit-Bucket"} <= set(first.headers)
    no_violations(fake)


async def test_shared_channel_limit_serves_429s_that_discord_py_waits_out(run, no_violations) -> None:
    bot = make_bot()
    fake, w = await run(bot, setup=world, channel_rate=(5, 1.0), channel_rate_scope="shared")
    channel = bot.get_channel(w["guild"].channel("c1").id)
    started = time.monotonic()
    for i in range(30):
        await channel.send(f"burst {i}")
    elapsed = time.monotonic() - started
    assert [m.content for m in w["guild"].channel("c1").messages] == [f"burst {i}" for i in range(30)]
    statuses = sends(fake)
    assert statuses.count(200) == 30 and statuses.count(429) >= 5
    limited = next(r for r in fake.requests if r.status == 429)
    assert limited.headers["X-RateLimit-Scope"] == "shared" and "Retry-After" in limited.headers
    assert elapsed >= 4.5  # six windows of one second
    no_violations(fake)


def command_bot() -> discord.Client:
    bot = make_bot()

    @app_commands.command(name="ping", description="Are you there?")
    async def ping(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("pong")

    bot.tree.add_command(ping)

    async def setup_hook() -> None:
        await bot.tree.sync()

    bot.setup_hook = setup_hook
    return bot


async def test_global_limit_and_exempt_interaction_callbacks(run, no_violations) -> None:
    bot = command_bot()
    fake, w = await run(bot, setup=world, global_rate=8, channel_rate=(50, 1.0))
    await fake.wait_for_commands()
    channels = [bot.get_channel(c.id) for c in w["guild"].channels]
    for i in range(20):
        await channels[i % 5].send(f"g{i}")
    for c in w["guild"].channels:
        assert [m.content for m in c.messages] == [f"g{i}" for i in range(20) if i % 5 == int(c.name[1])]
    limited = [r for r in fake.requests if r.status == 429]
    assert limited and all(r.headers["X-RateLimit-Global"] == "true" for r in limited)
    assert all(r.headers["X-RateLimit-Scope"] == "global" for r in limited)

    while fake.limiter.global_window.remaining() > 0:  # use up the current global window
        await channels[0].send("filler")
    h = await w["alice"].slash("ping")
    assert (await h.response())[0] == 4
    callback = next(r for r in fake.requests if r.path.endswith("/callback"))
    assert callback.status == 200
    no_violations(fake)
