"""Issue 17: /healthz, /readyz and /metrics of the real bot, connected to the fake Discord."""

from __future__ import annotations

import asyncio
import dataclasses
import re
import socket
from collections.abc import Callable
from datetime import UTC, datetime

import aiohttp
import pytest

from bot.ops.metrics import route_label
from bot.ops.settings import OpsSettings
from tests.cogs.test_debrief_e2e import is_prompt, past_interview, set_zone

NOW = datetime(2026, 11, 23, 13, 0, tzinfo=UTC)  # 14:00 in Berlin: outside quiet hours


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
async def ops_world(world):
    """The world, restarted with the operations port on."""
    world.settings = dataclasses.replace(world.settings, ops=OpsSettings(http_port=free_port()))
    await world.restart()
    async with aiohttp.ClientSession() as http:
        world.http = http
        world.base = f"http://127.0.0.1:{world.bot.ops.server.port}"
        yield world


async def get(world, path: str) -> tuple[int, str]:
    async with world.http.get(world.base + path) as response:
        return response.status, await response.text()


async def eventually(check: Callable[[], object], timeout: float = 10.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not await check():
        if loop.time() > deadline:
            raise TimeoutError("condition not met")
        await asyncio.sleep(0.05)


def sample(text: str, name: str, **labels: str) -> float:
    """The value of one series in Prometheus' text format (0 if absent)."""
    for line in text.splitlines():
        if line.startswith("#") or not line.startswith(name):
            continue
        series, _, value = line.rpartition(" ")
        found = dict(re.findall(r'(\w+)="([^"]*)"', series))
        if series.split("{", 1)[0] == name and found == labels:
            return float(value)
    return 0.0


async def test_the_port_is_off_by_default(world):
    assert world.settings.ops.http_port == 0
    assert world.bot.ops.server is None


async def test_healthz_and_readyz_answer_when_all_is_well(ops_world):
    assert await get(ops_world, "/healthz") == (200, '{"ok": true}')
    status, body = await get(ops_world, "/readyz")
    assert status == 200, body
    assert '"gateway": true' in body and '"store_writable": true' in body


async def test_readyz_fails_while_the_gateway_is_down_and_recovers(ops_world):
    await ops_world.fake.drop_gateway(hold=1.5)

    async def down() -> bool:
        status, body = await get(ops_world, "/readyz")
        return status == 503 and '"gateway": false' in body

    await eventually(down)
    assert (await get(ops_world, "/healthz"))[0] == 200  # the process is still up

    async def up() -> bool:
        return (await get(ops_world, "/readyz"))[0] == 200

    await eventually(up)
    _, metrics = await get(ops_world, "/metrics")
    assert sample(metrics, "debrief_gateway_reconnects_total") >= 1
    assert sample(metrics, "debrief_gateway_connected") == 1


async def test_readyz_fails_while_the_store_refuses_writes(ops_world):
    # What a read-only file system or a read-only database file does to the bot's connection.
    await ops_world.store.db.execute("PRAGMA query_only = 1")
    status, body = await get(ops_world, "/readyz")
    assert status == 503
    assert '"store_writable": false' in body and '"gateway": true' in body
    await ops_world.store.db.execute("PRAGMA query_only = 0")
    assert (await get(ops_world, "/readyz"))[0] == 200


async def test_metrics_change_as_a_prompt_is_sent(ops_world):
    world = ops_world
    world.clock.set(NOW)
    await set_zone(world, world.alice)
    _, before = await get(world, "/metrics")
    assert sample(before, "debrief_prompt_events_total", kind="debrief", event="sent") == 0

    h = await world.alice.slash("interview log", company="Acme", when="not a time at all", stage="technical")
    await h.wait_message()  # a mistake of the user's: told so, counted as user_error
    await past_interview(world, world.alice)  # ended 4 h ago: its debrief prompt is already due
    await world.alice.wait_for_dm(predicate=is_prompt)
    await world.idle()
    world.bot.ops.expire_prompt_counts()
    _, after = await get(world, "/metrics")

    assert sample(after, "debrief_prompt_events_total", kind="debrief", event="sent") == 1
    assert sample(after, "debrief_prompt_lateness_seconds_count", kind="debrief") == 1
    assert sample(after, "debrief_prompts", kind="debrief", state="pending") == 0  # gone out
    assert sample(after, "debrief_interactions_total", command="interview log", outcome="ok") == 1
    assert sample(after, "debrief_interactions_total", command="interview log", outcome="user_error") == 1
    assert sample(after, "debrief_interaction_seconds_count", command="interview log") == 2
    assert sample(after, "debrief_discord_messages_sent_total") > sample(before, "debrief_discord_messages_sent_total")
    assert sample(after, "debrief_store_statement_seconds_count", verb="UPDATE") > sample(
        before, "debrief_store_statement_seconds_count", verb="UPDATE"
    )
    assert re.search(r"^debrief_gateway_latency_seconds \d", after, flags=re.MULTILINE)
    # Never an id or a user's words in a label.
    labels = " ".join(re.findall(r"\{[^}]*\}", after))
    assert not re.search(r"\d{6,}", labels)
    assert "Acme" not in after


@pytest.mark.fake(global_rate=4)  # low enough that even a slow machine's sends run into it
async def test_429s_from_discord_are_counted(ops_world):
    """A low global limit: the bot's sends get 429s (discord.py waits them out), and each is counted."""
    world = ops_world
    world.clock.set(NOW)
    users = [world.alice, world.bob, world.carol]
    for user in users:
        await world.store.users.ensure(user.id, world.clock.now())
        await world.store.users.set_timezone(user.id, "UTC")
    for user in users:
        for n in range(5):
            h = await user.slash("interview log", company=f"Co{n}", when="6 hours ago", stage="technical")
            await h.wait_message()
    for user in users:
        await user.wait_for_dm(predicate=lambda m: "Co4" in m.content and "How did it go" in m.content, timeout=20)
    await world.idle(timeout=20)
    seen_before = sum(r.status == 429 for r in world.fake.requests)
    _, text = await get(world, "/metrics")
    limited = sum(
        float(line.rpartition(" ")[2])
        for line in text.splitlines()
        if line.startswith("debrief_discord_rate_limited_total")
    )
    seen_after = sum(r.status == 429 for r in world.fake.requests)
    assert seen_before > 0
    assert seen_before <= limited <= seen_after  # every 429 the fake gave is counted, and nothing else
    assert sample(text, "debrief_prompt_events_total", kind="debrief", event="sent") == 15


def test_route_labels_hold_no_ids_tokens_or_emoji():
    assert route_label("/api/v10/channels/123456789012345678/messages") == "/channels/{id}/messages"
    assert (
        route_label("/api/v10/interactions/1234567890/aW50ZXJhY3Rpb246MTIz.abc/callback")
        == "/interactions/{id}/{x}/callback"
    )
    assert route_label("/api/v10/channels/1/messages/2/reactions/%F0%9F%91%8D/@me") == (
        "/channels/{id}/messages/{id}/reactions/{x}/@me"
    )
