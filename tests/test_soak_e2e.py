"""Issue 15: a soak. Many people go through their flows while the bot is killed with SIGKILL at random
moments and restarted; afterwards nothing acknowledged is lost and no prompt went out twice.

Each simulated user sets a time zone, logs a past interview with ``/interview log``, waits for the
prompt, starts the debrief with its button and answers it through forms and buttons to the end. An
interaction that the dead bot never answered is tried again once the bot is back, as a person would;
a debrief interrupted anywhere is picked up again with the prompt's "Start debrief" button. Meanwhile
a killer sends SIGKILL at random moments and starts the bot again.

Afterwards:
* every answer whose form submission the bot acknowledged is in the store, word for word;
* every interview whose ``/interview log`` the bot acknowledged is in the store;
* every prompt went out at most once (counted by the nonce each prompt's message carries): a sent prompt
  exactly once, a pending one never; a cancelled one (its debrief was started, e.g. with its button while
  its send was in flight — a legitimate end) at most once, and only if its debrief exists;
* no user got a duplicate prompt (never two prompt DMs for one interview).

Short form by default (a dozen users, a few kills); ``DEBRIEF_FULL=1`` runs the full form (1,000 users,
kills every 20-60 s), by hand: its result is in docs/reliability.md.
"""

from __future__ import annotations

import asyncio
import os
import random
import re
import sqlite3
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from bot.coach.script import STEPS
from fakediscord import FakeDiscord, FakeInteraction, FakeMessage, InteractionFailed
from tests.procs import BotProcess

TOKEN = "fake-bot-token"
FULL = os.environ.get("DEBRIEF_FULL") == "1"
USERS = int(os.environ.get("DEBRIEF_SOAK_USERS", 1000 if FULL else 12))
KILLS = 10_000 if FULL else 3  # the full form kills until the flows are done
KILL_EVERY = (20.0, 60.0) if FULL else (1.0, 4.0)
#: A person whose click went unanswered tries again after a while, not all at the same instant: a
#: thousand instant retries after each restart kept the bot answering interactions already expired.
RETRY_AFTER = (1.0, 10.0) if FULL else (0.2, 1.0)
#: Runaway bound for the whole soak (not a timing: the short form takes well under a minute).
DEADLINE = 3600.0 if FULL else 600.0
HOW = "How did it go"
LAST = len(STEPS)
STEP = re.compile(rf"step (\d+) of {LAST}")
#: Steps answered in a form (their words are checked afterwards); the others are skipped.
FORM_STEPS = {1: "recall", [s.key for s in STEPS].index("one_thing") + 1: "one_thing"}

pytestmark = pytest.mark.slow


@dataclass
class Soak:
    fake: FakeDiscord
    bot: BotProcess
    up: asyncio.Event = field(default_factory=asyncio.Event)
    acked_answers: list[tuple[int, str, str]] = field(default_factory=list)  # (user id, step key, words)
    acked_logs: set[int] = field(default_factory=set)  # user ids
    kills: int = 0
    retries: int = 0
    done: int = 0

    def db(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.bot.data_dir / "debrief.db", timeout=30)
        conn.row_factory = sqlite3.Row
        return conn

    def interviews_of(self, user_id: int) -> int:
        with self.db() as conn:
            return conn.execute("SELECT COUNT(*) FROM interviews WHERE user_id = ?", (user_id,)).fetchone()[0]

    def debrief_done(self, user_id: int) -> bool:
        with self.db() as conn:
            row = conn.execute("SELECT state FROM debriefs WHERE user_id = ?", (user_id,)).fetchone()
        return row is not None and row["state"] == "done"


def answered(h: FakeInteraction) -> bool:
    return h.acked_at is not None


async def retry_later(soak: Soak) -> None:
    soak.retries += 1
    await asyncio.sleep(random.uniform(*RETRY_AFTER))


async def slash_until_answered(soak: Soak, user, command: str, **options) -> FakeMessage:
    while True:
        await soak.up.wait()
        h = await user.slash(command, **options)
        try:
            return await h.wait_message(10)
        except (InteractionFailed, TimeoutError):
            await retry_later(soak)


def current_step(user) -> FakeMessage | None:
    """The newest DM from the bot that shows a debrief step with its buttons."""
    for message in reversed(user.dm_messages):
        if message.author.bot and STEP.search(message.content) and message.buttons:
            return message
    return None


async def debrief(soak: Soak, user, prompt: FakeMessage, words: dict[int, str]) -> None:
    """Answer the debrief to its end, picking it up again with the prompt's button after any failure."""
    resume = True
    while not soak.debrief_done(user.id):
        await soak.up.wait()
        if resume:
            h = await user.click(prompt, label="Start debrief") if prompt.buttons else None
            if h is None:  # the prompt's buttons are gone once the debrief started: ask in a DM
                await user.send_dm("debrief")
            await asyncio.sleep(0.5)
            resume = False
        step = current_step(user)
        if step is None:
            resume = True
            await retry_later(soak)
            continue
        number = int(STEP.search(step.content).group(1))
        try:
            if number in FORM_STEPS:
                form = await user.click(step, label="Write it")
                await form.response(5)
                submitted = await form.submit_modal({"Your answer": words[number]})
                await submitted.response(5)
                if answered(submitted):
                    soak.acked_answers.append((user.id, FORM_STEPS[number], words[number]))
            else:
                clicked = await user.click(step, label="Skip")
                await clicked.response(5)
            if number < LAST:
                await user.wait_for_dm(10, predicate=lambda m, n=number: f"step {n + 1} of {LAST}" in m.content)
        except (InteractionFailed, TimeoutError, LookupError, RuntimeError):
            resume = True
            await retry_later(soak)


async def flow(soak: Soak, user, n: int) -> None:
    await asyncio.sleep(random.uniform(0, USERS / 50))  # people arrive over a while, not in one instant
    await slash_until_answered(soak, user, "settings timezone", zone="UTC")
    await slash_until_answered(soak, user, "settings quiet-hours", hours="off")
    while soak.interviews_of(user.id) == 0:  # (a log the dead bot never saw is logged again)
        await soak.up.wait()
        h = await user.slash("interview log", company=f"Soak{n}", when="5 hours ago", stage="technical")
        try:
            await h.wait_message(10)
            soak.acked_logs.add(user.id)
        except (InteractionFailed, TimeoutError):
            await retry_later(soak)
    prompt = await user.wait_for_dm(DEADLINE, predicate=lambda m: HOW in m.content)
    words = {number: f"{key} of user {n}: {random.random():.6f}" for number, key in FORM_STEPS.items()}
    await debrief(soak, user, prompt, words)
    soak.done += 1


async def killer(soak: Soak, rng: random.Random) -> None:
    while soak.kills < KILLS:
        await asyncio.sleep(rng.uniform(*KILL_EVERY) / (2 if soak.kills == 0 else 1))
        soak.up.clear()
        await soak.bot.kill9()
        soak.kills += 1
        await asyncio.sleep(rng.uniform(0.0, 1.0))
        await soak.bot.start(timeout=120)
        soak.up.set()


async def test_kill9_at_random_moments_loses_nothing_acknowledged_and_doubles_no_prompt(tmp_path: Path):
    # nonce_ttl=0: Discord forgets nonces after minutes, and here only the bot's own look-up of its
    # DMs after a restart may stop a double send.
    fake = FakeDiscord(token=TOKEN, nonce_ttl=0.0, validate=not FULL)
    await fake.start()
    users = [fake.add_user(f"user{i}") for i in range(USERS)]
    bot = BotProcess(fake, tmp_path / "data", TOKEN, DEBRIEF_LOG_LEVEL="WARNING")
    soak = Soak(fake, bot)
    try:
        await bot.start(timeout=120)
        soak.up.set()
        started = time.monotonic()
        kills = asyncio.create_task(killer(soak, random.Random(15)))
        flows = asyncio.gather(*(flow(soak, user, n) for n, user in enumerate(users)))
        await asyncio.wait_for(flows, DEADLINE)
        kills.cancel()
        await asyncio.gather(kills, return_exceptions=True)
        if not soak.up.is_set() or bot.proc is None or bot.proc.returncode is not None:
            await bot.start(timeout=120)
        await asyncio.sleep(2.0)  # let the queue settle what the last restart recovered
        await bot.stop()
        print(
            f"\nsoak: {USERS} flows, {soak.kills} kills, {soak.retries} retries, "
            f"{len(soak.acked_answers)} acknowledged answers, {time.monotonic() - started:.0f} s"
        )
    finally:
        await bot.stop()
        await fake.close()

    assert soak.done == USERS
    assert soak.kills >= 1  # (the flows may finish before all the kills planned)
    with soak.db() as conn:
        # Every acknowledged answer is in the store, word for word.
        lost = []
        for user_id, key, words in soak.acked_answers:
            row = conn.execute(
                "SELECT a.value FROM answers a JOIN debriefs d ON d.id = a.debrief_id "
                "WHERE d.user_id = ? AND a.step = ?",
                (user_id, key),
            ).fetchone()
            if row is None or words not in row["value"]:
                lost.append((user_id, key))
        assert lost == []
        # Every acknowledged /interview log is in the store.
        for user_id in soak.acked_logs:
            assert conn.execute("SELECT COUNT(*) FROM interviews WHERE user_id = ?", (user_id,)).fetchone()[0] >= 1
        # Every prompt went out at most once, and its row says what became of it: sent (shown exactly once),
        # still pending (never shown), or cancelled (shown at most once): a prompt is cancelled when the
        # debrief it asks for was started (e.g. with its button while its send was still in flight), so a
        # cancelled debrief prompt must have its debrief — nothing was dropped on the way.
        shown: dict[int, int] = {}
        for user in users:
            for message in user.dm_messages:
                if message.author.bot and isinstance(message.nonce, str) and message.nonce.startswith("prompt-"):
                    prompt_id = int(message.nonce.split("-")[1])
                    shown[prompt_id] = shown.get(prompt_id, 0) + 1
        rows = conn.execute("SELECT id, kind, subject_id, user_id, state FROM prompts").fetchall()
        assert {row["state"] for row in rows} <= {"sent", "pending", "cancelled"}, [tuple(r) for r in rows]
        for row in rows:
            times = shown.get(row["id"], 0)
            if row["state"] == "sent":
                assert times == 1, tuple(row)
            elif row["state"] == "pending":
                assert times == 0, tuple(row)
            else:
                assert times <= 1, tuple(row)
                if row["kind"] == "debrief":
                    started = conn.execute(
                        "SELECT COUNT(*) FROM debriefs WHERE user_id = ? AND interview_id = ?",
                        (row["user_id"], row["subject_id"]),
                    ).fetchone()[0]
                    assert started == 1, tuple(row)
        assert set(shown) <= {row["id"] for row in rows}  # no message for a prompt the store does not hold
        for user in users:
            # No user got a duplicate: never two "How did it go" DMs for one interview.
            asked = sum(1 for m in user.dm_messages if m.author.bot and HOW in m.content)
            interviews = conn.execute("SELECT COUNT(*) FROM interviews WHERE user_id = ?", (user.id,)).fetchone()[0]
            assert 1 <= asked <= interviews, (user.username, asked, interviews)
    assert fake.violations == []
