"""A Sunday burst of weekly DMs must not hold back other people (issue 13, "one user must never slow
another"): each weekly DM draws a chart (about 170 ms in a worker process), so thousands falling due at
once keep the dispatcher and the chart worker busy for minutes.

The charts are made slow with the ChartWorker's ``draw`` seam (tests/render/slow_chart.py: it sleeps,
then draws), in place of the bot's workers; nothing of discord.py is mocked.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from bot.render.chart import ChartWorker
from bot.render.summaries import PRIVATE_TITLE
from tests.coach.patterns_season import season
from tests.cogs._debrief_steps import wait_until
from tests.cogs.test_patterns_e2e import process_gone
from tests.render.slow_chart import slow_draw
from tests.season_store import load_season

THURSDAY = datetime(2026, 10, 22, 10, 0, tzinfo=UTC)
DUE = datetime(2026, 10, 25, 17, 0, tzinfo=UTC)  # Sun 18:00 Berlin
#: Users whose weekly DM (with a chart) falls due at the same minute.
BURST = 8
#: A runaway bound (100x what these waits take), never a timing claim.
RUNAWAY = 60.0


def is_weekly(message) -> bool:
    return message.content.startswith(f"**{PRIVATE_TITLE}**")


async def slow_charts(world) -> None:
    """Both chart workers replaced by slow ones, already started (so no test waits on a process start)."""
    for name in ("charts", "weekly_charts"):
        getattr(world.bot, name).close()
        worker = ChartWorker(draw=slow_draw)
        await worker.worker_pid()
        setattr(world.bot, name, worker)


async def weekly_burst(world, count: int = BURST) -> list:
    """``count`` users, each with twelve weeks of data and something this week, all due Sun 18:00 Berlin."""
    world.clock.set(THURSDAY)
    users = [world.fake.add_user(f"seeker{n}") for n in range(count)]
    for n, user in enumerate(users):
        await load_season(world.store, user.id, season(40, weeks=12, seed=200 + n, end=THURSDAY))
        async with world.store.transaction() as tx:  # something this week, whatever the season drew
            await world.store.interviews.add(
                tx, user_id=user.id, company="Acme", stage="technical", starts_at=THURSDAY, now=THURSDAY
            )
        await world.store.users.set_timezone(user.id, "Europe/Berlin")
        _when, due, _zone = await world.bot.services.summaries.set_weekly(user.id, "Sun 18:00")
        assert due == DUE
    return users


def sent(users) -> int:
    return sum(1 for user in users for m in user.dm_messages if is_weekly(m))


async def burst_started(world) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + RUNAWAY
    while not any(p.kind == "weekly" for p in await world.store.prompts.claimed()):
        assert loop.time() < deadline, "the weekly DMs never started"
        await asyncio.sleep(0.01)


async def all_sent(users) -> None:
    """Every user's weekly DM goes out, once, with its chart."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + RUNAWAY
    while sent(users) < len(users):
        assert loop.time() < deadline, f"only {sent(users)} of {len(users)} weekly DMs went out"
        await asyncio.sleep(0.05)
    for user in users:
        [message] = [m for m in user.dm_messages if is_weekly(m)]
        assert [a.filename for a in message.attachment_objs] == ["patterns.png"]


async def test_patterns_does_not_wait_behind_a_burst_of_weekly_charts(world):
    """Bob asks for /patterns while eight weekly DMs are drawing their charts: his chart is drawn by its own
    worker, so it comes before most of the weekly DMs, not after all of them."""
    bob = world.bob
    users = await weekly_burst(world)
    await load_season(world.store, bob.id, season(40, weeks=12, seed=7, end=THURSDAY))
    await slow_charts(world)

    world.clock.set(DUE + timedelta(seconds=1))
    await burst_started(world)
    h = await bob.slash("patterns")
    reply = await h.wait_followup(timeout=RUNAWAY)
    weekly_before = sent(users)
    assert [a.filename for a in reply.attachment_objs] == ["patterns.png"]
    assert weekly_before <= 2, f"/patterns waited for {weekly_before} weekly charts"

    await all_sent(users)

    # /forget lets go of the weekly chart held in memory too; shutting down stops the weekly worker.
    user = users[0]
    assert user.id in world.bot.weekly_charts
    h = await user.slash("forget")
    confirm = await h.wait_message()
    await (await user.click(confirm, label="Delete everything")).response()  # answered before it deletes
    await wait_until(lambda: "records deleted" in confirm.content)
    assert user.id not in world.bot.weekly_charts
    pid = await world.bot.weekly_charts.worker_pid()
    await world.restart()
    assert await process_gone(pid), "the weekly chart worker outlived the bot"


async def test_a_debrief_prompt_due_during_a_burst_of_weekly_dms_goes_out_without_waiting_for_it(world):
    """Twenty weekly DMs fall due at Sun 18:00 Berlin, each with a slow chart; bob's debrief prompt falls due
    a minute later. More weekly DMs are due than the dispatcher has slots: if they could take every slot,
    bob's prompt would wait for several charts. They may take only a quarter, so it goes out at once."""
    bob = world.bob
    users = await weekly_burst(world, 20)
    world.clock.set(DUE - timedelta(hours=3))
    await world.store.users.ensure(bob.id, world.clock.now())
    await world.store.users.set_timezone(bob.id, "Europe/Berlin")
    h = await bob.slash("interview log", company="Globex", when="1 hour ago", stage="technical")
    await h.wait_message()
    [prompt] = [p for p in await world.store.prompts.for_user(bob.id) if p.kind == "debrief"]
    assert DUE <= prompt.due_at < DUE + timedelta(hours=1)  # due with the burst, and queued after it
    await slow_charts(world)

    earlier = {m.id for m in bob.dm_messages}  # (the reply to /interview log, in the same DM)
    world.clock.set(prompt.due_at + timedelta(seconds=1))
    message = await bob.wait_for_dm(predicate=lambda m: m.id not in earlier and "Globex" in m.content, timeout=RUNAWAY)
    weekly_before = sent(users)
    assert message.components, "the debrief prompt comes with its buttons"
    assert weekly_before <= 1, f"the debrief prompt waited for {weekly_before} weekly DMs"
    await all_sent(users)
