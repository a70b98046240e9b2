"""End-to-end fixtures: the fake Discord on loopback and the real Debrief bot against it.

``world`` gives a running fake with three users and one server, and the bot connected to it::

    async def test_something(world):
        h = await world.alice.slash("help")
        await h.wait_message()

Nothing of discord.py is mocked: the bot talks HTTP and the gateway to ``fakediscord``.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.app import DebriefBot, point_discord_at
from bot.clock import Clock
from bot.coach.durations import parse_duration
from bot.config import Settings, StorageSettings
from bot.store import Store
from fakediscord import FakeDiscord

#: Every statement the store runs in a test is checked for full scans (issue 9.5).
pytest_plugins = ["tests.query_plans", "tests.pg"]

TOKEN = "fake-bot-token"


def test_settings(fake: FakeDiscord, data_dir: Path, limits: dict[str, Any] | None = None, **coaching: Any) -> Settings:
    """Settings pointing at ``fake``, with data under ``data_dir``."""
    base = Settings()
    return dataclasses.replace(
        base,
        discord=dataclasses.replace(
            base.discord, token=TOKEN, api_base=fake.api_base, gateway_url=fake.gateway_url, sync_commands="always"
        ),
        storage=StorageSettings(data_dir=data_dir),
        coaching=dataclasses.replace(base.coaching, **coaching),
        limits=dataclasses.replace(base.limits, **(limits or {})),
    )


@dataclass
class World:
    fake: FakeDiscord
    settings: Settings
    clock: Clock
    bot: DebriefBot
    store: Store
    task: asyncio.Task[None]
    alice: Any
    bob: Any
    carol: Any
    guild: Any

    async def start(self) -> None:
        point_discord_at(self.fake.api_base, self.fake.gateway_url)
        self.store = await Store.open(self.settings.storage.database_target)
        self.bot = DebriefBot(self.settings, self.store, clock=self.clock, guild_ready_timeout=0.05)
        self.task = asyncio.create_task(self.bot.start(TOKEN), name="debrief-bot")
        ready = asyncio.create_task(self.bot.wait_until_ready())
        done, _ = await asyncio.wait({ready, self.task}, timeout=20, return_when=asyncio.FIRST_COMPLETED)
        if self.task in done:
            ready.cancel()
            self.task.result()  # raises the start-up error
        if ready not in done:
            ready.cancel()
            raise TimeoutError("the bot did not become ready")

    async def stop(self) -> None:
        """A clean shutdown, as on Ctrl-C."""
        await self.bot.close()
        try:
            await asyncio.wait_for(self.task, 10)
        finally:
            await self.store.close()

    async def restart(self) -> None:
        await self.stop()
        await self.start()

    async def idle(self, timeout: float = 5.0) -> None:
        """Wait until the prompt queue has nothing in flight."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        await asyncio.sleep(0.05)
        while not self.bot.queue.idle:
            if loop.time() > deadline:
                raise TimeoutError("the prompt queue stayed busy")
            await asyncio.sleep(0.02)

    def advance(self, **delta: float) -> None:
        """Move the bot's clock forward (the queue wakes up and looks at what is due)."""
        self.clock.advance(timedelta(**delta))


@pytest.fixture
async def fake(request: pytest.FixtureRequest) -> AsyncIterator[FakeDiscord]:
    """The fake Discord; ``@pytest.mark.fake(channel_rate=(5, 1.0))`` passes options to it."""
    marker = request.node.get_closest_marker("fake")
    fake = FakeDiscord(token=TOKEN, **{"ack_timeout": 3.0, **(marker.kwargs if marker else {})})
    await fake.start()
    try:
        yield fake
    finally:
        await fake.close()
        point_discord_at("", "")


@pytest.fixture
def engine() -> str:
    """The store's engine for ``world``: SQLite. A module runs its tests on both engines by overriding it::

    engine = pytest.fixture(params=tests.pg.ENGINES)(lambda request: request.param)
    """
    return "sqlite"


@pytest.fixture
async def world(fake: FakeDiscord, tmp_path: Path, request: pytest.FixtureRequest, engine: str) -> AsyncIterator[World]:
    """The fake with alice, bob and carol, a "Bootcamp" server (alice is an admin), and the bot."""
    from tests import pg  # not at the top: pytest loads tests.pg as a plugin after this file

    async with contextlib.AsyncExitStack() as stack:
        database = await stack.enter_async_context(pg.database(request)) if engine == "postgresql" else None
        async for world in _world(fake, tmp_path, request, database):
            yield world


async def _world(
    fake: FakeDiscord, tmp_path: Path, request: pytest.FixtureRequest, database: str | None
) -> AsyncIterator[World]:
    alice = fake.add_user("alice")
    bob = fake.add_user("bob")
    carol = fake.add_user("carol")
    guild = fake.add_guild("Bootcamp", members=[alice, bob, carol], channels=["general", "interviews"], admins=[alice])
    marker = request.node.get_closest_marker("coaching")
    limits = request.node.get_closest_marker("limits")
    settings = test_settings(
        fake, tmp_path / "data", limits=limits.kwargs if limits else None, **(marker.kwargs if marker else {})
    )
    if database is not None:
        settings = dataclasses.replace(settings, storage=dataclasses.replace(settings.storage, database=database))
    privacy = request.node.get_closest_marker("privacy")  # e.g. @pytest.mark.privacy(retention="30d")
    if privacy:
        changes = {k: parse_duration(v) if k in ("retention", "sweep_every") else v for k, v in privacy.kwargs.items()}
        settings = dataclasses.replace(settings, privacy=dataclasses.replace(settings.privacy, **changes))
    world = World(fake, settings, Clock(), None, None, None, alice, bob, carol, guild)  # type: ignore[arg-type]
    await world.start()
    try:
        yield world
    finally:
        await world.stop()
        assert fake.violations == [], "the bot made requests Discord would reject"
