"""Issue 15: no 429 when requests bunch on the way to Discord.

The bot's requests are spaced, but spacing alone does not keep Discord's one-second window under its
limit: when the requests' way to Discord stalls (a busy network, a busy server, a paused process), the
ones sent during the stall arrive together, on top of the next ones. The request pacer counts a request
from the moment it leaves until a second after its answer, so what may arrive in any one window never
exceeds the limit, however long the way takes.

Here the bot runs as its own process (``python -m bot``) and the fake Discord, in the test's process,
stops answering for a moment, five times during a burst of prompts (its event loop blocked, as a
stalled server): the bot's requests queue in the sockets meanwhile, and reach the fake all at once
afterwards. The limit is Discord's (50 requests/s) and the bot's rate its default: the configuration it
runs with. The dispatcher has at most 16 sends in flight, so one stall bunches at most 16 requests, and
whether they overflow a window depends on where the window falls: with the pacer's window rule taken
out, two stalls in a burst of 150 gave 11 responses of 429 in one run and none in another; five stalls
in 300, 54 and 55 (checked).
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest

from bot.store.db import available_migrations
from fakediscord import FakeDiscord
from tests.procs import BotProcess

TOKEN = "stall-token"
USERS = 300
STALL = 1.5  # seconds the fake Discord does not answer: requests sent meanwhile arrive together
RUNAWAY = 600.0  # about 40 times what the burst and its stalls take (6 s + 7.5 s)
HOW = "How did it go"


def due_prompts(path: Path, users: list[tuple[int, int]]) -> None:
    """A store with one debrief prompt due a minute ago for each (user id, DM channel id)."""
    now = int(time.time())
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=WAL")
    for version, sql in sorted(available_migrations().items()):
        conn.executescript(f"BEGIN;\n{sql}\nPRAGMA user_version = {version};\nCOMMIT;")
    with conn:
        for n, (user_id, channel_id) in enumerate(users):
            conn.execute(
                "INSERT INTO users (id, timezone, quiet_start, quiet_end, dm_channel_id, created_at) "
                "VALUES (?, 'UTC', '00:00', '00:00', ?, ?)",
                (user_id, channel_id, now),
            )
            interview = conn.execute(
                "INSERT INTO interviews (user_id, company, stage, starts_at, length_min, created_at) "
                "VALUES (?, ?, 'technical', ?, 60, ?)",
                (user_id, f"Company {n}", now - 5 * 3600, now),
            ).lastrowid
            conn.execute(
                "INSERT INTO prompts (kind, subject_id, user_id, due_at, created_at) VALUES ('debrief', ?, ?, ?, ?)",
                (interview, user_id, now - 60, now),
            )
    conn.close()


def prompts_sent(fake: FakeDiscord) -> int:
    return sum(1 for r in fake.requests if r.method == "POST" and r.route == "/channels/{channel_id}/messages")


@pytest.fixture
async def stalling_world(tmp_path):
    fake = FakeDiscord(token=TOKEN, global_rate=50)
    await fake.start()
    users = [fake.add_user(f"user{i}") for i in range(USERS)]
    data = tmp_path / "data"
    data.mkdir()
    due_prompts(data / "debrief.db", [(u.id, u.dm_channel.id) for u in users])
    bot = BotProcess(fake, data, TOKEN)
    try:
        yield fake, bot, users
    finally:
        await bot.stop()
        await fake.close()
        assert fake.violations == []


async def test_a_burst_stays_under_the_global_limit_while_discord_stalls_again_and_again(stalling_world):
    fake, bot, users = stalling_world
    await bot.start()
    for mark in range(20, USERS - 20, 60):  # five times during the burst, Discord stops answering a moment
        await fake.state.changes.wait_until(lambda mark=mark: prompts_sent(fake) >= mark, RUNAWAY)
        time.sleep(STALL)  # noqa: ASYNC251 - the point: the fake's loop (a stalled server) answers nothing
    for user in users:
        await user.wait_for_dm(predicate=lambda m: HOW in m.content, timeout=RUNAWAY)

    assert [
        (r.method, r.route, r.status, r.headers.get("X-RateLimit-Scope"), round(r.at, 3))
        for r in fake.requests
        if r.status == 429
    ] == []
    for user in users:
        assert sum(HOW in m.content for m in user.dm_messages) == 1
