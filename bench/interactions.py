"""Benchmark: N people using Debrief at once, beside a bot that only acknowledges (issue 15).

Each simulated user goes through a whole flow against the fake Discord: sets a time zone and quiet
hours, logs an interview in plain words in a DM and confirms it with a button, logs a past interview
with ``/interview log``, runs ``/interview list`` and ``/settings show`` in a server, gets the prompt
DM and starts the debrief with its button, answers the debrief through buttons, forms, a select and
typed replies, and records an outcome. The bot runs as its own process (``python -m bot``), as in
production, with the fake Discord and the users in this process.

Then the same load, the same interaction types in the same order at the same concurrency, goes to a
minimal discord.py bot that only acknowledges (``bench/floor_bot.py``): the floor of this setup (the
fake, discord.py, the machine). Both run in the same invocation, one after the other, so the ratios
compare like with like on a machine whose load changes. The floor's sends go through Debrief's request
pacer, as Debrief's do, so neither runs into Discord's global limit.

Reported per interaction type and overall: p50/p99/max acknowledgement latency (from the interaction's
creation at the fake to the bot's callback), how many took past Discord's 3 s, errors, 429s, the bot
process's CPU time and peak RSS; the floor's figures; and the ratios Debrief / floor.
Also the harness process's own CPU time (the fake Discord and every simulated user): near the run's
length, a core is full and the figures measure the harness. ``--only floor`` (or ``debrief``) runs one side.

Full form (by hand):  python bench/interactions.py --users 1000 --runs 3
One side only:        python bench/interactions.py --users 1000 --only floor
Default:              python bench/interactions.py              (200 users, one run)
Short form (CI):      python bench/interactions.py --users 8 --think 0.05 --runs 1
On PostgreSQL:        python bench/interactions.py --database postgresql://USER@HOST/DB ...
                      (an empty database of its own: every table is emptied before each run)
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import signal
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.coach.script import STEPS  # noqa: E402
from fakediscord import FakeDiscord, FakeInteraction, FakeMessage  # noqa: E402

sys.path.insert(0, str(ROOT / "bench"))
from interactions_report import compare, median_by_type, single_table, table  # noqa: E402

TOKEN = "bench-token"
DEADLINE = 3.0  # Discord's acknowledgement deadline
#: The fake's acknowledgement window: longer than Discord's, so a slow answer is counted, not lost,
#: and the user's flow goes on.
ACK_WINDOW = 30.0
HOW = "How did it go"


def at_step(n: int) -> Callable[[FakeMessage], bool]:
    return lambda m: f"step {n} of {len(STEPS)}" in m.content and bool(m.buttons or m.selects)


class Record:
    """Acknowledgement latencies by interaction type, and what went wrong."""

    def __init__(self) -> None:
        self.handles: dict[str, list[FakeInteraction]] = defaultdict(list)
        self.replies: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, int] = defaultdict(int)
        self.error_samples: list[str] = []
        self.completed = 0

    def add(self, label: str, handle: FakeInteraction) -> FakeInteraction:
        self.handles[label].append(handle)
        return handle

    def error(self, where: str, exc: BaseException) -> None:
        self.errors[where] += 1
        if len(self.error_samples) < 10:
            self.error_samples.append(f"{where}: {type(exc).__name__}: {str(exc)[:200]}")

    def latencies(self) -> dict[str, list[float]]:
        out: dict[str, list[float]] = {}
        for label, handles in self.handles.items():
            out[label] = [h.acked_at - h.created for h in handles if h.acked_at is not None]
            missing = sum(1 for h in handles if h.acked_at is None)
            if missing:
                self.errors[f"{label}: never acknowledged"] += missing
        for label, values in self.replies.items():
            out[label] = list(values)
        return out


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


def summary(values: list[float]) -> dict[str, float]:
    return {
        "count": len(values),
        "p50_ms": round(percentile(values, 0.5) * 1000, 1),
        "p99_ms": round(percentile(values, 0.99) * 1000, 1),
        "max_ms": round(max(values, default=float("nan")) * 1000, 1),
        "past_3s": sum(1 for v in values if v > DEADLINE),
    }


class Think:
    def __init__(self, seconds: float, seed: int) -> None:
        self.seconds = seconds
        self.rng = random.Random(seed)

    async def __call__(self) -> None:
        await asyncio.sleep(self.rng.uniform(0.5, 1.5) * self.seconds)


# -- the two flows -------------------------------------------------------------------------------------

#: The interaction types of one flow, in order: (label, kind). The floor replays the same list.
FLOW: list[tuple[str, str]] = [
    ("/settings timezone", "slash-dm"),
    ("/settings quiet-hours", "slash-dm"),
    ("DM in plain words (reply)", "typed"),
    ("confirm button", "click"),
    ("/interview log", "slash-dm"),
    ("/interview list (server)", "slash-guild"),
    ("/settings show (server)", "slash-guild"),
    ("prompt: Start debrief", "click"),
    ("debrief: button opens a form", "form"),
    ("debrief: form submitted", "submit"),
    ("debrief: Skip", "click"),
    ("debrief: typed reply", "typed"),
    ("debrief: typed reply", "typed"),
    ("debrief: Skip", "click"),
    ("debrief: typed reply", "typed"),
    ("debrief: confidence button", "click"),
    ("debrief: Not sure", "click"),
    ("debrief: typed reply", "typed"),
    ("debrief: topics select", "select"),
    ("debrief: company view button", "click"),
    ("debrief: button opens a form", "form"),
    ("debrief: form submitted", "submit"),
    ("/interview outcome", "slash-dm"),
]


async def debrief_flow(user, guild, n: int, rec: Record, think: Think, wait: float, prompt_wait: float) -> None:
    channel = guild.channels[0]
    past = f"Past{n}"

    async def slash(label: str, command: str, **options) -> FakeMessage:
        h = rec.add(label, await user.slash(command, **options))
        return await h.wait_message(wait)

    async def click(label: str, message: FakeMessage, button: str) -> FakeInteraction:
        return rec.add(label, await user.click(message, label=button))

    async def typed(label: str, text: str, predicate: Callable[[FakeMessage], bool]) -> FakeMessage:
        started = time.monotonic()
        await user.send_dm(text)
        message = await user.wait_for_dm(wait, predicate=predicate)
        rec.replies[label].append(time.monotonic() - started)
        return message

    await think()
    await slash("/settings timezone", "settings timezone", zone="UTC")
    await think()
    await slash("/settings quiet-hours", "settings quiet-hours", hours="off")
    await think()
    offer = await typed(
        "DM in plain words (reply)", f"final round with Future{n} on Thursday at 3pm", lambda m: "Future" in m.content
    )
    await think()
    await (await click("confirm button", offer, "Yes, record it")).response(wait)
    await think()
    await slash("/interview log", "interview log", company=past, when="5 hours ago", stage="technical")
    await think()
    await slash("/interview list (server)", "interview list", guild=guild, channel=channel)
    await think()
    await slash("/settings show (server)", "settings show", guild=guild, channel=channel)
    prompt = await user.wait_for_dm(prompt_wait, predicate=lambda m: HOW in m.content and past in m.content)
    await think()
    await click("prompt: Start debrief", prompt, "Start debrief")
    step = await user.wait_for_dm(wait, predicate=at_step(1))
    await think()
    form = await click("debrief: button opens a form", step, "Write it")
    await form.response(wait)
    await think()
    rec.add("debrief: form submitted", await form.submit_modal({"Your answer": f"Recall of {past}, in order."}))
    step = await user.wait_for_dm(wait, predicate=at_step(2))
    await think()
    await click("debrief: Skip", step, "Skip")  # no questions to add
    await user.wait_for_dm(wait, predicate=at_step(3))
    await think()
    await typed("debrief: typed reply", "The walkthrough of my project went well.", at_step(4))
    await think()
    step = await typed("debrief: typed reply", "Blanked on a SQL join.", at_step(5))
    await think()
    await click("debrief: Skip", step, "Skip")
    await user.wait_for_dm(wait, predicate=at_step(6))
    await think()
    step = await typed("debrief: typed reply", "Friendly; tense at first.", at_step(7))
    await think()
    await click("debrief: confidence button", step, "4")
    step = await user.wait_for_dm(wait, predicate=at_step(8))
    await think()
    await click("debrief: Not sure", step, "Not sure")
    await user.wait_for_dm(wait, predicate=at_step(9))
    await think()
    step = await typed("debrief: typed reply", "yes", at_step(10))
    await think()
    rec.add("debrief: topics select", await user.select(step, ["coding", "nerves"]))
    step = await user.wait_for_dm(wait, predicate=at_step(11))
    await think()
    await click("debrief: company view button", step, "Keen")
    step = await user.wait_for_dm(wait, predicate=at_step(12))
    await think()
    form = await click("debrief: button opens a form", step, "Write it")
    await form.response(wait)
    await think()
    rec.add("debrief: form submitted", await form.submit_modal({"Your answer": "Rehearse the conflict story"}))
    await user.wait_for_dm(wait, predicate=lambda m: bool(m.embeds))
    await think()
    await slash("/interview outcome", "interview outcome", interview=past, result="rejected")


async def floor_flow(user, guild, n: int, rec: Record, think: Think, wait: float, prompt_wait: float) -> None:
    """The same interaction types, in the same order, against the bot that only acknowledges."""
    channel = guild.channels[0]
    last: FakeMessage | None = None
    form: FakeInteraction | None = None
    for label, kind in FLOW:
        await think()
        if kind in ("slash-dm", "slash-guild"):
            where = {"guild": guild, "channel": channel} if kind == "slash-guild" else {}
            h = rec.add(label, await user.slash("ping", text=label, **where))
            message = await h.wait_message(wait)
            if kind == "slash-dm":
                last = message
        elif kind == "typed":
            started = time.monotonic()
            await user.send_dm(label)
            last = await user.wait_for_dm(wait, predicate=lambda m: m.content == "ok")
            rec.replies[label].append(time.monotonic() - started)
        elif kind == "click":
            assert last is not None
            await rec.add(label, await user.click(last, label="Click")).response(wait)
        elif kind == "form":
            assert last is not None
            form = rec.add(label, await user.click(last, label="Form"))
            await form.response(wait)
        elif kind == "submit":
            assert form is not None
            rec.add(label, await form.submit_modal({"Answer": "words"}))
        elif kind == "select":
            assert last is not None
            rec.add(label, await user.select(last, ["a", "b"]))


# -- one run against one bot -----------------------------------------------------------------------------


def proc_figures(pid: int) -> tuple[float, int]:
    """(CPU seconds, peak RSS KiB) of a live process."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    cpu = (int(fields[11]) + int(fields[12])) / ticks
    peak = 0
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            peak = int(line.split()[1])
    return cpu, peak


async def empty_postgresql(url: str) -> None:
    """Migrate (the store does it) and empty every table, so each run starts as on a fresh SQLite file."""
    import asyncpg

    from bot.store.pg import PgDatabase

    await (await PgDatabase.open(url)).close()
    conn = await asyncpg.connect(url)
    try:
        tables = await conn.fetch("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
        names = ", ".join(t[0] for t in tables if t[0] != "schema_version")
        await conn.execute(f"TRUNCATE {names} RESTART IDENTITY CASCADE")
    finally:
        await conn.close()


async def run_once(
    target: str,
    users: int,
    think: float,
    seed: int,
    work: Path,
    profile: Path | None = None,
    database: str | None = None,
) -> dict[str, object]:
    data = work / f"{target}-data"
    data.mkdir(parents=True, exist_ok=True)
    async with FakeDiscord(token=TOKEN, validate=False, ack_timeout=ACK_WINDOW) as fake:
        people = [fake.add_user(f"user{i}") for i in range(users)]
        guild = fake.add_guild("Cohort", members=people, channels=["general"])
        env = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "DEBRIEF_"))}
        env.update(
            DISCORD_TOKEN=TOKEN,
            DISCORD_API_BASE=fake.api_base,
            DISCORD_GATEWAY_URL=fake.gateway_url,
            DEBRIEF_DATA_DIR=str(data),
            DEBRIEF_LOG_LEVEL="WARNING",
            DEBRIEF_DISCORD__SYNC_COMMANDS="always",
            PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")])),
        )
        if database and target == "debrief":
            await empty_postgresql(database)
            env["DEBRIEF_DATABASE"] = database
        if target == "floor":
            argv = [str(ROOT / "bench" / "floor_bot.py")]
        elif profile is not None:
            argv = ["-m", "cProfile", "-o", str(profile), "-m", "bot"]
        else:
            argv = ["-m", "bot"]
        log = (data / "bot.log").open("ab")
        proc = await asyncio.create_subprocess_exec(
            sys.executable, *argv, cwd=str(data), env=env, stdin=asyncio.subprocess.DEVNULL, stdout=log, stderr=log
        )
        try:
            await fake.wait_for_ready(60)
            await fake.wait_for_commands(60)
            cpu_before, _ = proc_figures(proc.pid)
            rec = Record()
            flow: Callable[..., Awaitable[None]] = debrief_flow if target == "debrief" else floor_flow
            wait = 60.0 + users / 20
            prompt_wait = 120.0 + users / 5  # prompts go out paced under the global limit

            async def one(n: int, person) -> None:
                try:
                    await flow(person, guild, n, rec, Think(think, seed * 100_003 + n), wait, prompt_wait)
                    rec.completed += 1
                except Exception as exc:
                    rec.error("flow", exc)

            loads: list[float] = []

            async def sample_load() -> None:  # the machine is shared: what else ran, every 5 s
                while True:
                    loads.append(os.getloadavg()[0])
                    await asyncio.sleep(5)

            sampler = asyncio.create_task(sample_load())
            started = time.monotonic()
            harness_before = time.process_time()
            await asyncio.gather(*(one(n, person) for n, person in enumerate(people)))
            harness_cpu = time.process_time() - harness_before
            sampler.cancel()
            seconds = time.monotonic() - started
            cpu_after, peak = proc_figures(proc.pid)
        finally:
            proc.send_signal(signal.SIGINT)
            try:
                await asyncio.wait_for(proc.wait(), 30)
            except TimeoutError:
                proc.kill()
                await proc.wait()
            log.close()
        latencies = rec.latencies()
        every = [v for values in latencies.values() for v in values]
        kinds = dict(FLOW)
        # Discord's 3 s deadline is for interactions; a reply to a DM is a send under the global limit.
        endpoint = [v for label, values in latencies.items() if kinds.get(label) != "typed" for v in values]
        dm_replies = [v for label, values in latencies.items() if kinds.get(label) == "typed" for v in values]
        error_messages = sum(
            1
            for person in people
            for message in person.dm_messages + person.messages_in(guild.channels[0])
            if "Something went wrong" in message.content
        )
        return {
            "target": target,
            "users": users,
            "completed_flows": rec.completed,
            "seconds": round(seconds, 1),
            "overall": summary(every),
            "interactions": summary(endpoint),
            "dm_replies": summary(dm_replies),
            "load_1min": [min(loads, default=0.0), max(loads, default=0.0)],
            "by_type": {label: summary(values) for label, values in sorted(latencies.items())},
            "errors": dict(rec.errors),
            "error_samples": rec.error_samples,
            "error_replies": error_messages,
            "responses_429": sum(1 for r in fake.requests if r.status == 429),
            "routes_429": dict(
                sorted(
                    {
                        route: sum(1 for r in fake.requests if r.status == 429 and f"{r.method} {r.route}" == route)
                        for route in {f"{r.method} {r.route}" for r in fake.requests if r.status == 429}
                    }.items()
                )
            ),
            "requests_by_route": dict(
                sorted(
                    {
                        route: sum(1 for r in fake.requests if f"{r.method} {r.route}" == route)
                        for route in {f"{r.method} {r.route}" for r in fake.requests}
                    }.items()
                )
            ),
            "violations": len(fake.violations),
            "bot_cpu_s": round(cpu_after - cpu_before, 2),
            "bot_peak_rss_mib": round(peak / 1024, 1),
            # This process: the fake Discord and every simulated user. Near ``seconds``, it is a core
            # full, and the latencies measure the harness rather than the bot.
            "harness_cpu_s": round(harness_cpu, 2),
        }


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--think", type=float, default=1.0, help="mean pause between a user's steps, seconds")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", type=Path, help="write the figures here")
    parser.add_argument("--profile", type=Path, help="run Debrief under cProfile, its stats written here")
    parser.add_argument("--database", help="a postgresql:// URL: Debrief's store on PostgreSQL (an empty database)")
    parser.add_argument(
        "--only", choices=("floor", "debrief"), help="run one side only (default: Debrief, then the floor)"
    )
    args = parser.parse_args()

    targets = ("debrief", "floor") if args.only is None else (args.only,)
    runs = []
    with tempfile.TemporaryDirectory(prefix="debrief-bench-") as tmp:
        for run in range(args.runs):
            work = Path(tmp) / f"run{run}"
            result: dict[str, object] = {"run": run + 1, "users": args.users}
            for target in targets:
                profile = args.profile if target == "debrief" else None
                database = args.database if target == "debrief" else None
                result[target] = await run_once(
                    target, args.users, args.think, args.seed + run, work, profile, database
                )
            if len(targets) == 2:
                result["compare"] = compare(result["debrief"], result["floor"], dict(FLOW))
                print(table(result), file=sys.stderr, flush=True)
            else:
                print(single_table(result[targets[0]], run + 1), file=sys.stderr, flush=True)
            runs.append(result)

    def med(get: Callable[[dict], float]) -> float:
        return round(statistics.median(get(r) for r in runs), 2)

    median: dict[str, float] = {}
    for target in targets:
        median[f"{target}_p99_ms"] = med(lambda r, t=target: r[t]["overall"]["p99_ms"])
        median[f"{target}_p50_ms"] = med(lambda r, t=target: r[t]["overall"]["p50_ms"])
        median[f"{target}_past_3s"] = med(lambda r, t=target: r[t]["overall"]["past_3s"])
        for part in ("interactions", "dm_replies"):
            for figure in ("p50_ms", "p99_ms", "past_3s"):
                median[f"{target}_{part}_{figure}"] = med(lambda r, t=target, p=part, f=figure: r[t][p][f])
        median[f"{target}_errors"] = med(lambda r, t=target: sum(r[t]["errors"].values()))
        median[f"{target}_cpu_s"] = med(lambda r, t=target: r[t]["bot_cpu_s"])
        median[f"{target}_peak_rss_mib"] = med(lambda r, t=target: r[t]["bot_peak_rss_mib"])
        median[f"{target}_harness_cpu_s"] = med(lambda r, t=target: r[t]["harness_cpu_s"])
    if len(targets) == 2:
        median["p99_ratio"] = med(lambda r: r["compare"]["overall_p99_ratio"])
        median["interactions_p99_ratio"] = med(lambda r: r["compare"]["interactions_p99_ratio"])
    figures = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "load_average_at_end": os.getloadavg(),
        "engine": "postgresql" if args.database else "sqlite",
        "users": args.users,
        "runs": args.runs,
        "think_s": args.think,
        "targets": list(targets),
        "median": median,
        "median_by_type": median_by_type(runs, targets),
        "each_run": runs,
    }
    text = json.dumps(figures, indent=2)
    print(text)
    if args.json:
        args.json.write_text(text)


if __name__ == "__main__":
    asyncio.run(main())
