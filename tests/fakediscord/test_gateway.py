"""The gateway: compression, heartbeats, authentication, and RESUME after a dropped connection."""

from __future__ import annotations

import asyncio
import json
import zlib
from typing import Any

import aiohttp
import discord
from discord import app_commands

from fakediscord import FakeDiscord
from fakediscord.testing import running_fake
from tests.fakediscord.conftest import make_bot


def world(fake: FakeDiscord) -> dict[str, Any]:
    alice = fake.add_user("alice")
    guild = fake.add_guild("Bootcamp", members=[alice], channels=["general"])
    return {"alice": alice, "guild": guild}


def echo_bot(inbox: asyncio.Queue[str]) -> discord.Client:
    bot = make_bot()

    @bot.event
    async def on_message(message: discord.Message) -> None:
        if not message.author.bot:
            inbox.put_nowait(message.content)

    @app_commands.command(name="ping", description="Are you there?")
    @app_commands.allowed_contexts(guilds=True, dms=True)
    async def ping(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("pong")

    bot.tree.add_command(ping)

    async def setup_hook() -> None:
        await bot.tree.sync()

    bot.setup_hook = setup_hook
    return bot


async def test_dropped_connection_resumes_and_replays(run, no_violations) -> None:
    inbox: asyncio.Queue[str] = asyncio.Queue()
    fake, w = await run(echo_bot(inbox), setup=world)
    alice = w["alice"]
    await alice.send_dm("before")
    assert await asyncio.wait_for(inbox.get(), 5) == "before"

    assert await fake.drop_gateway(hold=0.3) == 1
    await alice.send_dm("while you were away")  # buffered: the bot has no connection now
    await fake.wait_for_resume(timeout=5)
    assert await asyncio.wait_for(inbox.get(), 5) == "while you were away"
    assert fake.gateway.identify_count == 1 and fake.gateway.resumed_count == 1

    h = await alice.slash("ping")
    assert (await h.wait_message()).content == "pong"
    no_violations(fake)


async def test_zlib_stream_and_heartbeats(run, no_violations) -> None:
    inbox: asyncio.Queue[str] = asyncio.Queue()
    bot = echo_bot(inbox)
    fake, _ = await run(bot, setup=world, heartbeat_interval=0.1)
    assert fake.gateway.connects[0] == {"v": "10", "encoding": "json", "compress": "zlib-stream"}
    await fake.state.changes.wait_until(lambda: fake.gateway.heartbeat_count >= 3, 5)
    assert bot.latency < 1.0
    no_violations(fake)


async def _raw_identify(
    fake: FakeDiscord, payload: dict[str, Any], until: str = "READY"
) -> tuple[int | None, list[dict[str, Any]]]:
    frames: list[dict[str, Any]] = []
    inflate = zlib.decompressobj()
    async with (
        aiohttp.ClientSession() as session,
        session.ws_connect(fake.gateway_url + "?v=10&encoding=json&compress=zlib-stream") as ws,
    ):
        async for msg in ws:
            if msg.type is not aiohttp.WSMsgType.BINARY:
                break
            frame = json.loads(inflate.decompress(msg.data))
            frames.append(frame)
            if frame["op"] == 10:
                await ws.send_json(payload)
            elif frame.get("t") == until:
                await ws.close()
        return ws.close_code, frames


async def test_identify_with_a_wrong_token_closes_4004() -> None:
    async with running_fake(token="right", check_violations=True) as fake:
        code, frames = await _raw_identify(fake, {"op": 2, "d": {"token": "wrong", "intents": 513, "properties": {}}})
        assert code == 4004 and frames[0]["op"] == 10


async def test_ready_payload_shape() -> None:
    async with FakeDiscord(token="right") as fake:
        fake.add_guild("Bootcamp", members=[fake.add_user("alice")])
        _, frames = await _raw_identify(
            fake, {"op": 2, "d": {"token": "right", "intents": 513, "properties": {}}}, "GUILD_CREATE"
        )
        ready = frames[1]
        assert ready["t"] == "READY" and ready["s"] == 1
        data = ready["d"]
        assert data["resume_gateway_url"] == fake.gateway_url
        assert data["application"] == {"id": str(fake.application_id), "flags": fake.application_flags}
        assert data["guilds"][0]["unavailable"] is True
        guild = frames[2]
        assert guild["t"] == "GUILD_CREATE" and guild["s"] == 2
        assert {m["user"]["username"] for m in guild["d"]["members"]} == {"alice", "Debrief"}
