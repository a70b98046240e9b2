"""Targeted waking (the change feed's keys) and the nonce window, at the cost a thousand users need.

A wait on a channel or an interaction is woken by changes there, not by every change in the fake;
a change with no key still wakes everybody. Counted by how often each waiter's condition runs.
"""

from __future__ import annotations

import asyncio
from typing import Any

import discord
import pytest
from discord import app_commands

from fakediscord import FakeDiscord, FakeMessage
from tests.fakediscord.conftest import make_bot


def world(fake: FakeDiscord) -> dict[str, Any]:
    alice = fake.add_user("alice")
    bob = fake.add_user("bob")
    guild = fake.add_guild("Bootcamp", members=[alice, bob], channels=["general"])
    return {"alice": alice, "bob": bob, "guild": guild}


class Counted:
    """A message predicate that counts how often it runs."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.calls = 0

    def __call__(self, message: FakeMessage) -> bool:
        self.calls += 1
        return self.text in message.content


def echo_bot(release: asyncio.Event | None = None) -> discord.Client:
    """Answers a DM with "echo: ...", and ``/ping`` with "pong" (after ``release``, if given)."""
    bot = make_bot()

    @app_commands.command(name="ping", description="Answer")
    @app_commands.allowed_installs(guilds=True, users=True)
    @app_commands.allowed_contexts(guilds=True, dms=True)
    async def ping(interaction: discord.Interaction) -> None:
        if release is not None:
            await release.wait()
        await interaction.response.send_message("pong")

    bot.tree.add_command(ping)

    async def setup_hook() -> None:
        await bot.tree.sync()

    bot.setup_hook = setup_hook

    @bot.event
    async def on_message(message: discord.Message) -> None:
        if not message.author.bot:
            await message.channel.send(f"echo: {message.content}")

    return bot


async def test_a_dm_wakes_the_waiter_on_that_dm_and_no_other(run, no_violations) -> None:
    fake, w = await run(echo_bot(), setup=world)
    alice, bob = w["alice"], w["bob"]
    # A message bob's wait looks at (and passes over) each time it is woken.
    fake.state.post_message(bob.dm_channel, fake.bot_user, content="something else")
    bob_sees = Counted("never sent")
    bob_waits = asyncio.create_task(bob.wait_for_dm(30, predicate=bob_sees))
    await asyncio.sleep(0)
    assert bob_sees.calls == 1

    alice_sees = Counted("echo: one")
    await alice.send_dm("one")
    reply = await alice.wait_for_dm(5, predicate=alice_sees)
    assert reply.content == "echo: one"
    # Alice's condition ran on her DM's changes; bob's never ran: his DM did not change.
    assert alice_sees.calls >= 1 and bob_sees.calls == 1
    assert not bob_waits.done()

    # A message in bob's own DM wakes him, and only the new message is looked at.
    fake.state.post_message(bob.dm_channel, fake.bot_user, content="never sent, until now")
    message = await asyncio.wait_for(bob_waits, 5)
    assert message.content == "never sent, until now" and bob_sees.calls == 3  # both messages, once
    no_violations(fake)


async def test_a_change_with_no_key_still_wakes_every_waiter(run, no_violations) -> None:
    fake, w = await run(echo_bot(), setup=world)
    bob = w["bob"]
    seen = Counted("nothing")
    waiting = asyncio.create_task(bob.wait_for_dm(30, predicate=seen))
    bob.dm_channel  # noqa: B018 - the DM exists
    fake.state.post_message(bob.dm_channel, fake.bot_user, content="first")
    await asyncio.sleep(0.05)
    calls = seen.calls
    assert calls >= 1
    woken = fake.state.changes.wakeups
    fake.state.changes.notify()  # a change the fake does not key (a guild added, a role changed...)
    await asyncio.sleep(0.05)
    assert seen.calls == calls + 1 and fake.state.changes.wakeups > woken
    waiting.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiting
    no_violations(fake)


async def test_an_interaction_wait_is_woken_by_its_callback_not_by_others(run, no_violations) -> None:
    release = asyncio.Event()
    fake, w = await run(echo_bot(release), setup=world)
    alice, bob = w["alice"], w["bob"]
    first = await alice.slash("ping", wait=False)
    checks = {"first": 0}

    def answered() -> bool:
        checks["first"] += 1
        return first.acknowledged

    waiting = asyncio.create_task(fake.state.changes.wait_until(answered, 30, keys=(first.id,)))
    await asyncio.sleep(0)
    assert checks["first"] == 1
    # Bob's DM conversation (messages, requests) does not touch alice's interaction.
    await bob.send_dm("hello")
    await bob.wait_for_dm(5, predicate=lambda m: m.content == "echo: hello")
    assert checks["first"] == 1 and not waiting.done()
    # Its callback does: the wait ends on the first look after it.
    release.set()
    assert await asyncio.wait_for(waiting, 5) is True
    assert checks["first"] == 2
    # And the handle's own wait works the same way.
    assert (await first.wait_message(5)).content == "pong"
    no_violations(fake)


async def test_wait_for_dm_skips_what_is_before_the_cursor_hidden_or_deleted(run, no_violations) -> None:
    fake, w = await run(echo_bot(), setup=world)
    alice, bob = w["alice"], w["bob"]
    state, me = fake.state, fake.bot_user
    old = state.post_message(alice.dm_channel, me, content="match old")
    await alice.send_dm("cursor")  # moves alice's cursor past "match old"
    await alice.wait_for_dm(5, predicate=lambda m: m.content == "echo: cursor")
    state.post_message(alice.dm_channel, me, content="match hidden", visible_to=bob.id)
    state.delete_message(state.post_message(alice.dm_channel, me, content="match deleted"))
    state.edit_message(old, {"content": "match old, edited"})  # before the cursor: not new
    waiting = asyncio.create_task(alice.wait_for_dm(5, predicate=lambda m: m.content.startswith("match")))
    await asyncio.sleep(0.05)
    assert not waiting.done()
    state.post_message(alice.dm_channel, me, content="match mine", visible_to=alice.id)
    assert (await waiting).content == "match mine"
    no_violations(fake)


async def test_wait_times_out_once_and_takes_a_last_look() -> None:
    fake = FakeDiscord()
    feed = fake.state.changes
    with pytest.raises(TimeoutError):
        await feed.wait_until(lambda: False, 0.05, keys=(1,))
    with pytest.raises(TimeoutError):
        await feed.wait_until(lambda: False, 0.05)
    assert feed._keyed == {} and feed._waiters == []  # nothing left registered
    assert await feed.wait_until(lambda: "ready", 0) == "ready"


async def test_nonces_expire_in_order_and_deduplicate_within_the_window() -> None:
    fake = FakeDiscord(nonce_ttl=10.0)
    state = fake.state
    now = [1000.0]
    state.clock = lambda: now[0]
    alice = fake.add_user("alice")
    channel = alice.dm_channel
    first = state.post_message(channel, fake.bot_user, content="a", nonce="n1")
    now[0] += 6
    second = state.post_message(channel, fake.bot_user, content="b", nonce="n2")
    now[0] += 3  # n1 is 9 s old, n2 3 s: both within the window
    assert state.find_nonce(channel, fake.bot_user, "n1") is first
    assert state.find_nonce(channel, fake.bot_user, "n2") is second
    assert state.find_nonce(channel, alice, "n1") is None  # the author is part of the key
    now[0] += 2  # n1 is 11 s old: gone; n2 is 5 s old: still there
    assert state.find_nonce(channel, fake.bot_user, "n1") is None
    assert state.find_nonce(channel, fake.bot_user, "n2") is second
    assert list(state._nonces) == [(channel.id, fake.bot_user.id, "n2")]
    # A nonce used again after it expired is young again, behind the older ones.
    third = state.post_message(channel, fake.bot_user, content="c", nonce="n1")
    now[0] += 6  # n2 11 s old: gone; n1 (again) 6 s
    assert state.find_nonce(channel, fake.bot_user, "n2") is None
    assert state.find_nonce(channel, fake.bot_user, "n1") is third
