"""kill -9 at the worst moments: no prompt is lost and none is sent twice.

The bot runs as its own process (``python -m bot``) against the fake Discord. The fake holds the
prompt's send request so the kill lands exactly between the claim and the end of the send.
"""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest

from fakediscord import FakeDiscord
from tests.procs import BotProcess

TOKEN = "fake-bot-token"
SEND = "/channels/{channel_id}/messages"


def prompt_row(data_dir: Path) -> tuple[str, int]:
    with sqlite3.connect(data_dir / "debrief.db") as conn:
        return conn.execute("SELECT state, attempts FROM prompts WHERE kind = 'debrief'").fetchone()


async def wait_for_state(data_dir: Path, state: str, timeout: float = 15.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while prompt_row(data_dir)[0] != state:
        if loop.time() > deadline:
            raise TimeoutError(f"prompt stayed {prompt_row(data_dir)}")
        await asyncio.sleep(0.05)


def prompts(user) -> list:
    return [m for m in user.dm_messages if "How did it go" in m.content]


@pytest.fixture
async def crash_world(tmp_path):
    # nonce_ttl=0: Discord forgets nonces after a few minutes and a restart may take longer, so here
    # only the bot's own look-up of its DMs may stop a double send.
    fake = FakeDiscord(token=TOKEN, nonce_ttl=0.0)
    await fake.start()
    alice = fake.add_user("alice")
    bot = BotProcess(fake, tmp_path / "data", TOKEN)
    await bot.start()
    h = await alice.slash("settings timezone", zone="UTC")
    await h.wait_message()
    h = await alice.slash("settings quiet-hours", hours="off")  # the process runs on the real clock
    await h.wait_message()
    try:
        yield fake, bot, alice
    finally:
        await bot.stop()
        await fake.close()
        assert fake.violations == []


async def log_past_interview(alice) -> None:
    h = await alice.slash("interview log", company="Acme", when="5 hours ago", stage="technical")
    await h.wait_message()


@pytest.mark.parametrize("moment", ["after Discord stored it", "before it reached Discord"])
async def test_kill9_between_claim_and_send_neither_loses_nor_doubles(crash_world, moment):
    fake, bot, alice = crash_world
    stage = "after" if moment.startswith("after") else "before"
    hold = fake.hold("POST", SEND, stage=stage)
    await log_past_interview(alice)
    await hold.wait_reached()
    await bot.kill9()
    hold.release(proceed=stage == "after")
    assert prompt_row(bot.data_dir)[0] == "claimed"  # the crash left it claimed, mid-send
    assert len(prompts(alice)) == (1 if stage == "after" else 0)

    await bot.start()
    await wait_for_state(bot.data_dir, "sent")
    await asyncio.sleep(0.3)
    assert len(prompts(alice)) == 1
    sends = [r for r in fake.requests if r.method == "POST" and r.route == SEND and r.status == 200]
    assert len(sends) == 1
    # The buttons of the one prompt work in the restarted process.
    skip = await alice.click(prompts(alice)[0], label="Skip")
    await skip.response()
    assert prompt_row(bot.data_dir)[0] == "cancelled"


async def test_kill9_while_idle_loses_no_scheduled_prompt(crash_world):
    _fake, bot, alice = crash_world
    h = await alice.slash("interview log", company="Globex", when="tomorrow 10:00", stage="technical")
    await h.wait_message()
    await bot.kill9()
    assert prompt_row(bot.data_dir) == ("pending", 0)
    await bot.start()
    assert prompt_row(bot.data_dir) == ("pending", 0)
    assert prompts(alice) == []


async def test_kill9_after_the_user_started_the_debrief_from_an_unrecorded_prompt_sends_no_second_prompt(crash_world):
    """Issue 15 (found by the soak): the prompt reached the user, who started the debrief from it (its
    buttons come off), and the bot died before recording the send. After the restart the look-up of
    the DMs finds no prompt buttons; the started debrief shows the prompt arrived: no second prompt."""
    fake, bot, alice = crash_world
    hold = fake.hold("POST", SEND, stage="after")
    await log_past_interview(alice)
    await hold.wait_reached()  # posted at Discord; the bot still waits for the answer
    [prompt] = prompts(alice)
    start = await alice.click(prompt, label="Start debrief")
    await start.response()
    await alice.wait_for_dm(predicate=lambda m: "step 1 of 11" in m.content)
    await bot.kill9()
    hold.release(proceed=True)
    assert prompt_row(bot.data_dir)[0] == "claimed"

    await bot.start()
    await wait_for_state(bot.data_dir, "sent")
    await asyncio.sleep(0.5)
    assert len(prompts(alice)) == 1
