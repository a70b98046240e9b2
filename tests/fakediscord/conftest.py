"""Fixtures that run a real discord.py client against a FakeDiscord over real sockets."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from typing import Any

import discord
import pytest
import pytest_asyncio
import yarl
from discord.ext import commands

from fakediscord import FakeDiscord


class BotRun:
    """A discord.py client running against a fake, started and stopped by the fixture."""

    def __init__(self, fake: FakeDiscord, client: discord.Client) -> None:
        self.fake = fake
        self.client = client
        self.task: asyncio.Task[None] | None = None

    async def start(self, timeout: float = 10.0) -> None:
        discord.http.Route.BASE = self.fake.api_base
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(self.fake.gateway_url)
        self.task = asyncio.create_task(self.client.start(self.fake.token))
        ready = asyncio.create_task(self.client.wait_until_ready())
        done, _ = await asyncio.wait({self.task, ready}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
        if self.task in done:
            ready.cancel()
            self.task.result()
            raise RuntimeError("the bot stopped before it was ready")
        if ready not in done:
            ready.cancel()
            raise TimeoutError("the bot did not become ready")

    async def stop(self) -> None:
        await self.client.close()
        if self.task is None:
            return
        if self.task.done():
            if not self.task.cancelled():
                self.task.exception()  # already surfaced by start(); mark it retrieved
            return
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.wait_for(self.task, 5)


def make_bot(**kwargs: Any) -> commands.Bot:
    """A small commands.Bot that becomes ready quickly (no 2 s guild_ready_timeout)."""
    intents = kwargs.pop("intents", None) or discord.Intents.default()
    kwargs.setdefault("guild_ready_timeout", 0.05)
    return commands.Bot(command_prefix=kwargs.pop("command_prefix", "!"), intents=intents, **kwargs)


class Runner:
    """``fake, world = await run(bot, setup=..., **fake_kwargs)`` starts a fake and a bot against it."""

    def __init__(self) -> None:
        self.runs: list[BotRun] = []
        self.fakes: list[FakeDiscord] = []

    async def __call__(
        self,
        bot: discord.Client,
        *,
        setup: Callable[[FakeDiscord], Any] | None = None,
        **fake_kwargs: Any,
    ) -> tuple[FakeDiscord, Any]:
        fake_kwargs.setdefault("validate_responses", True)
        fake = FakeDiscord(**fake_kwargs)
        await fake.start()
        self.fakes.append(fake)
        world = setup(fake) if setup else None
        runner = BotRun(fake, bot)
        self.runs.append(runner)
        await runner.start()
        return fake, world

    async def restart(self, bot: discord.Client) -> None:
        """Stop the last bot and start ``bot`` against the same fake (a new process, same application)."""
        previous = self.runs[-1]
        await previous.stop()
        runner = BotRun(previous.fake, bot)
        self.runs.append(runner)
        await runner.start()

    async def close(self) -> None:
        for runner in self.runs:
            await runner.stop()
        for fake in self.fakes:
            await fake.close()


@pytest_asyncio.fixture
async def run() -> AsyncIterator[Runner]:
    """Start fakes and bots for a test; stop them all afterwards."""
    base, gateway = discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
    runner = Runner()
    yield runner
    await runner.close()
    discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = base, gateway


@pytest.fixture
def no_violations() -> Callable[[FakeDiscord], None]:
    def check(fake: FakeDiscord) -> None:
        assert fake.violations == []
        assert fake.response_problems == [], "\n".join(fake.response_problems)

    return check
