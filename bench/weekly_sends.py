"""Benchmark: how many weekly DMs *with their chart* go out per second (issue 13), through the real bot.

The bot (``DebriefBot``, its prompt queue, its store on SQLite, its chart workers) runs against the fake
Discord (``fakediscord``, in this same process, no request validation), with the bot's clock set by
the benchmark. N users each get a generated season (tests/coach/patterns_season.py, enough for a chart)
and something this week; all of their weekly DMs fall due at the same minute. The clock is moved to that
minute and the benchmark waits until every user has their DM. Reported: the burst's length, weekly DMs
per second, how many charts the weekly worker drew, and what that rate means for 100,000 users due at
one moment.

While the burst runs, one more user asks for ``/patterns`` (drawn by the other worker, ``bot.charts``)
and another's debrief prompt falls due: their waits are reported beside it (the dispatcher gives the
weekly DMs only a share of its slots; bot/prompts.py).

Full form (by hand):  python bench/weekly_sends.py --users 300
Short form (CI):      python bench/weekly_sends.py --users 12 --interviews 20
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import logging
import os
import platform
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.app import DebriefBot, point_discord_at  # noqa: E402
from bot.clock import Clock  # noqa: E402
from bot.config import Settings, StorageSettings  # noqa: E402
from bot.render.summaries import PRIVATE_TITLE  # noqa: E402
from bot.store import Store  # noqa: E402
from fakediscord import FakeDiscord  # noqa: E402
from tests.coach.patterns_season import season  # noqa: E402
from tests.season_store import load_season  # noqa: E402

TOKEN = "bench-token"
THURSDAY = datetime(2026, 10, 22, 10, 0, tzinfo=UTC)
DUE = datetime(2026, 10, 25, 17, 0, tzinfo=UTC)  # Sun 18:00 Berlin
ZONE = "Europe/Berlin"


def is_weekly(message) -> bool:
    return message.content.startswith(f"**{PRIVATE_TITLE}**")


async def wait_until(check, timeout: float, what: str) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not check():
        if loop.time() > deadline:
            raise TimeoutError(what)
        await asyncio.sleep(0.01)


async def run(users: int, interviews: int, work: Path) -> dict[str, object]:
    async with FakeDiscord(token=TOKEN, validate=False) as fake:
        people = [fake.add_user(f"seeker{n}") for n in range(users)]
        asker, logger = fake.add_user("asker"), fake.add_user("logger")
        base = Settings()
        settings = dataclasses.replace(
            base,
            discord=dataclasses.replace(
                base.discord, token=TOKEN, api_base=fake.api_base, gateway_url=fake.gateway_url, sync_commands="always"
            ),
            storage=StorageSettings(data_dir=work),
        )
        point_discord_at(fake.api_base, fake.gateway_url)
        store = await Store.open(settings.storage.database_target)
        clock = Clock()
        clock.set(THURSDAY)
        bot = DebriefBot(settings, store, clock=clock, guild_ready_timeout=0.05)
        task = asyncio.create_task(bot.start(TOKEN))
        try:
            await asyncio.wait_for(bot.wait_until_ready(), 60)
            loaded = time.perf_counter()
            for n, person in enumerate([*people, asker]):
                await load_season(store, person.id, season(interviews, weeks=12, seed=300 + n, end=THURSDAY))
                await store.users.set_timezone(person.id, ZONE)
                async with store.transaction() as tx:  # something this week
                    await store.interviews.add(
                        tx, user_id=person.id, company="Acme", stage="technical", starts_at=THURSDAY, now=THURSDAY
                    )
                if person is not asker:
                    await bot.services.summaries.set_weekly(person.id, "Sun 18:00")
            load_s = time.perf_counter() - loaded
            clock.set(DUE - timedelta(hours=3))
            await store.users.ensure(logger.id, clock.now())
            await store.users.set_timezone(logger.id, ZONE)
            h = await logger.slash("interview log", company="Globex", when="1 hour ago", stage="technical")
            await h.wait_message(timeout=30)
            earlier = {m.id for m in logger.dm_messages}
            await bot.weekly_charts.worker_pid()  # both workers started before the burst (not measured)
            await bot.charts.worker_pid()

            def weekly_sent() -> int:
                return sum(1 for p in people for m in p.dm_messages if is_weekly(m))

            draws = bot.weekly_charts.draws
            clock.set(DUE + timedelta(seconds=1))
            started = time.perf_counter()
            # A debrief prompt due at the same minute, queued after the whole burst.
            await wait_until(
                lambda: any(m.id not in earlier and "Globex" in m.content for m in logger.dm_messages),
                600,
                "the debrief prompt never came",
            )
            prompt_s = time.perf_counter() - started
            prompt_behind = weekly_sent()
            await wait_until(lambda: weekly_sent() >= users // 4, 600, "the burst stalled")
            asked = time.perf_counter()
            h = await asker.slash("patterns")
            await h.wait_followup(timeout=600)
            patterns_s = time.perf_counter() - asked
            await wait_until(lambda: weekly_sent() >= users, 60 + users, "not every weekly DM went out")
            burst_s = time.perf_counter() - started
            with_chart = sum(1 for p in people for m in p.dm_messages if is_weekly(m) and m.attachment_objs)
            rate = users / burst_s
            return {
                "users": users,
                "interviews_each": interviews,
                "seeding_s": round(load_s, 1),
                "burst_s": round(burst_s, 2),
                "weekly_dms_per_s": round(rate, 2),
                "with_chart": with_chart,
                "charts_drawn": bot.weekly_charts.draws - draws,
                "minutes_for_100000_at_once": round(100_000 / rate / 60, 1),
                "debrief_prompt_during_burst_s": round(prompt_s, 2),
                "weekly_dms_before_it": prompt_behind,
                "patterns_during_burst_s": round(patterns_s, 2),
                "load_average": round(os.getloadavg()[0], 2),
                "cpus": os.cpu_count(),
                "python": platform.python_version(),
            }
        finally:
            await bot.close()
            await asyncio.gather(task, return_exceptions=True)
            await store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=300)
    parser.add_argument("--interviews", type=int, default=40, help="interviews in each user's season")
    parser.add_argument("--json", type=Path, help="write the figures here")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    with tempfile.TemporaryDirectory() as work:
        figures = asyncio.run(run(args.users, args.interviews, Path(work)))
    print(json.dumps(figures, indent=2))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
